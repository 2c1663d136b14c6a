#!/usr/bin/env python3
"""The report suite's table (stdout) and Markdown report, from the raw results of Benchmarks/run report.

    report_report.py --results DIR --ck-out DIR --r-out DIR --markdown FILE --command TEXT [--elapsed S] [--cohort PATH] [--git TEXT]

DIR holds e2e_cohortkit.* and e2e_r_report.* (hyperfine JSON, GNU time peak RSS, the command) as the other
suites' end-to-end rows do. --ck-out holds the two `cohort report` folders (johnsrud2021/, nct02965092/),
--r-out the R peer's tables (peers/r_report.R); the agreement check compares, table by table, the numbers
both print: incidence (events, n, %, exact CI), cumulative incidence (estimate, SE) and logistic models
(estimate, SE, OR).
"""
import argparse
import csv
import os

from report import environment, max_kib, megabytes, seconds, times


def e2e(d, name):
    import json
    with open(os.path.join(d, f"e2e_{name}.json")) as f:
        h = json.load(f)["results"][0]
    h["maxrss"] = max_kib(os.path.join(d, f"e2e_{name}.maxrss_kib"))
    with open(os.path.join(d, f"e2e_{name}.command")) as f:
        h["shown_command"] = f.read().strip()
    return h


def ck_rows(path):
    with open(path, newline="") as f:
        return list(csv.DictReader(f))


def r_rows(path):
    """The rows of the R peer's Markdown table as dicts (header from the first table line)."""
    lines = [l for l in open(path).read().splitlines() if l.startswith("|")]
    header = [c.strip() for c in lines[0].strip("|").split("|")]
    return [dict(zip(header, [c.strip() for c in l.strip("|").split("|")])) for l in lines[2:]]


def close(a, b, tol):
    return abs(float(a) - float(b)) <= tol


def agreement(ck_out, r_out):
    checked, problems = 0, []
    for study in ("johnsrud2021", "nct02965092"):
        ck_dir, r_dir = os.path.join(ck_out, study, "tables"), os.path.join(r_out, study)
        for name in sorted(os.listdir(r_dir)):
            if not name.endswith(".md"):
                continue
            stem = name[:-3]
            ck_path = os.path.join(ck_dir, stem + ".csv")
            if not os.path.exists(ck_path):
                problems.append(f"{study}/{stem}: no CohortKit table")
                continue
            ck, r = ck_rows(ck_path), r_rows(os.path.join(r_dir, name))
            if stem.startswith("incidence"):
                for a, b in zip(ck, r):
                    same = (a["events"] == b["events"] and a["n"] == b["n"] and a["percent"] == b["pct"]
                            and a["ci"].replace("\u2013", "-") == b["ci"])
                    checked += 4
                    if not same:
                        problems.append(f"{study}/{stem}: {a} vs {b}")
            elif stem.startswith("cuminc"):
                # R's curves are "GROUP CAUSE" (cause 1 = the event, 2 = death); without groups the group is "1".
                events = []
                for a in ck:
                    if a["event"] not in events:
                        events.append(a["event"])
                for a in ck:
                    curve = (a["group"] if a.get("group") else "1") + " " + str(events.index(a["event"]) + 1)
                    match = [b for b in r if b["curve"] == curve and float(b["day"]) == float(a["day"])]
                    if len(match) != 1 or a["estimate"] != match[0]["estimate"] or not close(a["se"], match[0]["se"], 0.006):
                        problems.append(f"{study}/{stem}: {a} vs {match}")
                    checked += 2
            elif stem.startswith("logit"):
                for a, b in zip(ck, r):
                    # Both print 4 significant digits (R's %.4g drops trailing zeros): equal to 1e-3 relative.
                    def near(x, y):
                        return x == "" or abs(float(x) - float(y)) <= 1e-3 * abs(float(y))
                    same = a["term"] == b["term"] and near(a["estimate"], b["estimate"]) and near(a["stdError"], b["se"])
                    same = same and near(a["oddsRatio"], b["or"])
                    checked += 3
                    if not same:
                        problems.append(f"{study}/{stem}: {a} vs {b}")
    return checked, problems


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--results", required=True)
    ap.add_argument("--ck-out", required=True)
    ap.add_argument("--r-out", required=True)
    ap.add_argument("--markdown", required=True)
    ap.add_argument("--command", required=True)
    ap.add_argument("--elapsed", type=float)
    ap.add_argument("--cohort", default=".build/release/cohort")
    ap.add_argument("--git", default=None)
    args = ap.parse_args()
    ck, r = e2e(args.results, "cohortkit"), e2e(args.results, "r_report")
    files = sum(len(fs) for _, _, fs in os.walk(args.ck_out))
    r_files = sum(len(fs) for _, _, fs in os.walk(args.r_out))
    checked, problems = agreement(args.ck_out, args.r_out)
    rows = [(f"both studies' reports, cold process (median of {len(ck['times'])} / {len(r['times'])})", seconds(ck["median"]),
             "base R + survival + cmprsk + brglm2", seconds(r["median"]), times(r["median"] / ck["median"])),
            ("peak memory (largest process)", megabytes(ck["maxrss"]), "R", megabytes(r["maxrss"]), times(r["maxrss"] / ck["maxrss"]))]
    header = ("benchmark", "CohortKit", "peer", "peer value", "ratio (peer/CohortKit)")
    widths = [max(len(x[i]) for x in rows + [header]) for i in range(5)]

    def line(x):
        return "  ".join(str(c).ljust(w) for c, w in zip(x, widths)).rstrip()

    verdict = f"agreement: {checked} numbers compared in the incidence, cumulative incidence and logistic tables: " + \
        ("OK" if not problems and checked > 0 else "MISMATCH " + "; ".join(problems[:5]))
    out = ["CohortKit `cohort report` (2 studies) vs an equivalent R script", "", line(header), line(tuple("-" * w for w in widths))]
    out += [line(x) for x in rows] + ["", f"files written: CohortKit {files} (tables in md, html, csv, json, tex; SVG figures; "
                                         f"index.html, summary.md, provenance.json), R {r_files} (tables in md and html)", verdict]
    print("\n".join(out))

    env = environment(args.cohort)
    if args.git:
        env["git"] = args.git
    md = ["# CohortKit benchmark: batch reports of both shipped studies", ""]
    md += [f"- Date: {env['date']}",
           f"- Command: `{args.command}`" + (f" (whole run: {args.elapsed:.0f} s)" if args.elapsed else ""),
           f"- Machine: {env['cpu']}, nproc = {env['nproc']}, {env['memory']} RAM, {env['os']}, Linux {env['kernel']}",
           f"- CohortKit: git {env['git']}; {env['swift']}",
           f"- R {env['r']}; {env['hyperfine']}; peak memory by GNU time (`/usr/bin/time -f %M`)",
           "- Data: `Datasets/johnsrud2021` (127 rows) and `Datasets/nct02965092` (53 rows), with their `study.yaml`", ""]
    md += ["Each row is whole processes, study files to files on disk: CohortKit runs `cohort report` on both study files "
           "(every output: Table 1s, incidence, screens, ML and Firth models with profile-likelihood intervals and LR tests, "
           "cumulative incidence with Gray's test, bar counts, the reproduce table, figures, pages, provenance); R runs "
           "`Benchmarks/peers/r_report.R` (the same tables but the reproduce table and the figures; Firth intervals by Wald, "
           "brglm2 having no penalised profile). Ratio = R / CohortKit. See [Benchmarks/README.md](../README.md).", ""]
    md += ["| " + " | ".join(header) + " |", "|---|---|---|---:|---:|"] + ["| " + " | ".join(x) + " |" for x in rows]
    md += ["", out[-2], "", "## Agreement", "", verdict, "", "## Commands", "",
           "| row | command | runs | median | min | max | peak RSS |", "|---|---|---:|---:|---:|---:|---:|"]
    for name, h in (("CohortKit", ck), ("R", r)):
        md.append(f"| {name} | `{h['shown_command']}` | {len(h['times'])} | {seconds(h['median'])} | {seconds(h['min'])} | "
                  f"{seconds(h['max'])} | {megabytes(h['maxrss'])} |")
    md += ["", "Raw output: `Benchmarks/.data/results-report/` (not committed).", ""]
    with open(args.markdown, "w") as f:
        f.write("\n".join(md))
    if problems or checked == 0:
        raise SystemExit("report_report.py: CohortKit and R disagree (see above)")


if __name__ == "__main__":
    main()
