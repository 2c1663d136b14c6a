#!/usr/bin/env python3
"""The cuminc suite's table (stdout) and Markdown report, from the raw results of Benchmarks/run cuminc.

    report_cuminc.py --results DIR --data CSV --markdown FILE --command TEXT --days DAYS
                     [--r-data CSV] [--r-note TEXT] [--elapsed S] [--cohort PATH] [--git TEXT]

DIR holds, as the logistic suite's end-to-end rows do, e2e_<name>.json (hyperfine --export-json),
e2e_<name>.maxrss_kib (GNU time %M) and e2e_<name>.command for cohortkit and r_cmprsk (and
cohortkit_r_size when R was measured on a smaller file), plus cohortkit.json (cohort cuminc --format json)
and r_cmprsk.json (peers/r_cuminc.R: estimates, variances and Gray's test at the same days) for the
agreement check. Machine and tool descriptions come from report.py.
"""
import argparse
import json
import os

from report import environment, max_kib, megabytes, n_label, seconds, times

AGREEMENT_TOLERANCE = 1e-10  # relative, on the estimates and variances


def e2e(d, name):
    path = os.path.join(d, f"e2e_{name}.json")
    if not os.path.exists(path):
        return None
    with open(path) as f:
        h = json.load(f)["results"][0]
    h["maxrss"] = max_kib(os.path.join(d, f"e2e_{name}.maxrss_kib"))
    with open(os.path.join(d, f"e2e_{name}.command")) as f:
        h["shown_command"] = f.read().strip()
    return h


def rows_of(path):
    n = 0
    with open(path, "rb") as f:
        for _ in f:
            n += 1
    return n - 1


def agreement(ck, r):
    """Largest relative differences of estimates and variances (CohortKit vs cmprsk) and Gray's statistics."""
    worst_est = worst_var = 0.0
    compared = 0
    missing = []
    for row in ck["estimates"]:
        key = f"{row['group']} {row['eventType']}"
        curve = r["curves"].get(key)
        if curve is None:
            missing.append(key)
            continue
        i = r["days"].index(row["day"])
        e, v = curve["est"][i], curve["var"][i]
        if e is None:
            if row["estimate"] is not None:
                missing.append(f"{key} day {row['day']}: R NA")
            continue
        se = row["standardError"]
        worst_est = max(worst_est, abs(row["estimate"] - e) / max(abs(e), 1e-300))
        worst_var = max(worst_var, abs(se * se - v) / max(abs(v), 1e-300))
        compared += 1
    tests = []
    for t in ck["grayTests"]:
        rt = r["tests"].get(t["eventType"])
        if rt is not None and t["statistic"] is not None:
            tests.append((t["eventType"], t["statistic"], rt["stat"], t["pValue"], rt["pv"]))
    return compared, worst_est, worst_var, missing, tests


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--results", required=True)
    ap.add_argument("--data", required=True)
    ap.add_argument("--r-data", default=None, help="the file R was timed on, when smaller than --data")
    ap.add_argument("--r-note", default="")
    ap.add_argument("--markdown", required=True)
    ap.add_argument("--command", required=True)
    ap.add_argument("--days", required=True)
    ap.add_argument("--elapsed", type=float)
    ap.add_argument("--cohort", default=".build/release/cohort")
    ap.add_argument("--git", default=None)
    args = ap.parse_args()
    d = args.results

    n = rows_of(args.data)
    r_data = args.r_data or args.data
    r_n = rows_of(r_data) if args.r_data else n
    ck = e2e(d, "cohortkit")
    ck_r = e2e(d, "cohortkit_r_size") or ck
    r = e2e(d, "r_cmprsk")
    with open(os.path.join(d, "cohortkit.json")) as f:
        ck_json = json.load(f)
    with open(os.path.join(d, "r_cmprsk.json")) as f:
        r_json = json.load(f)
    compared, worst_est, worst_var, missing, tests = agreement(ck_json, r_json)
    ok = compared > 0 and not missing and worst_est <= AGREEMENT_TOLERANCE and worst_var <= AGREEMENT_TOLERANCE

    rows = [(f"cohort cuminc, CSV -> table, n={n_label(n)} (median of {len(ck['times'])})", seconds(ck["median"]), "", "", "")]
    if not args.r_data:
        rows = []  # R ran on the same file: the next row says it all
    rows += [(f"end-to-end n={n_label(r_n)} (median of {len(r['times'])} / {len(ck_r['times'])})", seconds(ck_r["median"]),
             "fread + cmprsk::cuminc", seconds(r["median"]), times(r["median"] / ck_r["median"])),
            (f"end-to-end peak memory n={n_label(r_n)}", megabytes(ck_r["maxrss"]), "fread + cmprsk::cuminc",
             megabytes(r["maxrss"]), times(r["maxrss"] / ck_r["maxrss"])),
            (f"R in-process: fread / cuminc + timepoints", "", "R", f"{seconds(r_json['read_seconds'])} / {seconds(r_json['cuminc_seconds'])}", "")]
    header = ("benchmark", "CohortKit", "peer", "peer value", "ratio (peer/CohortKit)")
    widths = [max(len(x[i]) for x in rows + [header]) for i in range(5)]

    def line(x):
        return "  ".join(str(c).ljust(w) for c, w in zip(x, widths)).rstrip()

    out = [f"CohortKit cuminc vs R cmprsk: n={n:,}, 3 groups, 2 event types, synthetic (Benchmarks/make_cuminc_data.py)"]
    if args.r_note:
        out.append(args.r_note)
    out += ["", line(header), line(tuple("-" * w for w in widths))] + [line(x) for x in rows]
    out += ["", f"agreement with cmprsk at days {args.days} (n={n_label(r_n)}): {compared} group x type x day estimates, "
            f"max rel diff estimate {worst_est:.1e}, variance {worst_var:.1e} (tolerance {AGREEMENT_TOLERANCE:g}): "
            + ("OK" if ok else "MISMATCH " + "; ".join(missing[:5]))]
    for k, s, rs, p, rp in tests:
        out.append(f"  Gray's test, type {k}: CohortKit {s:.10g} (P {p:.4g}), cmprsk {rs:.10g} (P {rp:.4g}), rel diff {abs(s - rs) / max(abs(rs), 1e-300):.1e}")
    print("\n".join(out))

    env = environment(args.cohort)
    if args.git:
        env["git"] = args.git
    md = [f"# CohortKit benchmark: cumulative incidence, n = {n:,}", ""]
    md += [f"- Date: {env['date']}",
           f"- Command: `{args.command}`" + (f" (whole run: {args.elapsed:.0f} s)" if args.elapsed else ""),
           f"- Machine: {env['cpu']}, nproc = {env['nproc']}, {env['memory']} RAM, {env['os']}, Linux {env['kernel']}",
           f"- CohortKit: git {env['git']}; {env['swift']}",
           f"- {r_json['tool']} (fread threads: {env['dt_threads']})",
           f"- {env['hyperfine']}; peak memory by GNU time (`/usr/bin/time -f %M`)",
           f"- Data: `{os.path.basename(args.data)}` ({os.path.getsize(args.data) / 1e6:.0f} MB): time (days, 2 decimals), "
           f"status 0/1/2, group a/b/c; days read off: {args.days}"]
    if args.r_note:
        md.append(f"- **{args.r_note}**")
    md += ["", "Both rows are whole processes, CSV file to printed table (R: `fread`, `cuminc(time, status, group)` with "
           "Gray's test, `timepoints`); ratio = peer / CohortKit. See [Benchmarks/README.md](../README.md).", ""]
    md += ["| " + " | ".join(header) + " |", "|---|---|---|---:|---:|"]
    md += ["| " + " | ".join(x) + " |" for x in rows]
    md += ["", "## Agreement", "", out[-1 - len(tests)]] + [f"- {t.strip()}" for t in out[len(out) - len(tests):]]
    md += ["", "## Commands", "", "| row | command | runs | median | min | max | peak RSS |", "|---|---|---:|---:|---:|---:|---:|"]
    for name, h in (("CohortKit", ck), ("CohortKit (R's size)", ck_r if ck_r is not ck else None), ("R", r)):
        if h is None:
            continue
        md.append(f"| {name} | `{h['shown_command']}` | {len(h['times'])} | {seconds(h['median'])} | {seconds(h['min'])} | "
                  f"{seconds(h['max'])} | {megabytes(h['maxrss'])} |")
    md += ["", "Raw output: `Benchmarks/.data/results-cuminc-*/` (not committed).", ""]
    with open(args.markdown, "w") as f:
        f.write("\n".join(md))
    if not ok:
        raise SystemExit("report_cuminc.py: CohortKit and cmprsk disagree (see above)")


if __name__ == "__main__":
    main()
