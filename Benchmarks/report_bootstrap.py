#!/usr/bin/env python3
"""The bootstrap suite's table (stdout) and Benchmarks/results/bootstrap-latest.md.

    report_bootstrap.py --results DIR --data CSV --markdown FILE --command TEXT --elapsed S --git TEXT
                        --replicates B --binary PATH

DIR holds refits_cohortkit.json (cohort-bench bootstrap), refits_brglm2.json (peers/r_brglm_bootstrap.R),
coefs_cohortkit.txt / coefs_brglm2.txt (one resample's coefficients a line; NA for a failed resample),
e2e_<name>.json (hyperfine --export-json) and e2e_<name>.command. Fails, writing nothing, when the two
tools' coefficients disagree (they refit the very same resamples).
"""
import argparse
import datetime
import math
import os
import sys

from report import load_json, machine, run, seconds, times

TARGET_SECONDS = 1.0     # 2,000 Firth refits of the 127-patient model on this 2-core machine
AGREEMENT_TOLERANCE = 1e-5  # brglmFit stops at its default epsilon 1e-6 on the change of the estimates


def read_coefficients(path):
    rows = []
    with open(path) as f:
        for line in f:
            line = line.strip()
            rows.append(None if line == "NA" else [float(v) for v in line.split()])
    return rows


def hyperfine_median(path):
    data = load_json_whole(path)
    return data["results"][0]["median"], data["results"][0]["times"]


def load_json_whole(path):
    import json
    with open(path) as f:
        return json.load(f)


def main():
    ap = argparse.ArgumentParser()
    for name in ("--results", "--data", "--markdown", "--command", "--git", "--binary"):
        ap.add_argument(name, required=True)
    ap.add_argument("--elapsed", type=int, default=0)
    ap.add_argument("--load", default="?", help="/proc/loadavg (1, 5, 15 min) before the suite")
    ap.add_argument("--load-after", default="?", help="/proc/loadavg after the suite")
    ap.add_argument("--replicates", type=int, required=True)
    a = ap.parse_args()
    d = a.results

    ck = load_json(os.path.join(d, "refits_cohortkit.json"))
    br = load_json(os.path.join(d, "refits_brglm2.json"))
    ck_coefs = read_coefficients(os.path.join(d, "coefs_cohortkit.txt"))
    br_coefs = read_coefficients(os.path.join(d, "coefs_brglm2.txt"))
    if len(ck_coefs) != a.replicates or len(br_coefs) != a.replicates:
        sys.exit(f"report_bootstrap.py: expected {a.replicates} resamples, got {len(ck_coefs)} (CohortKit) and {len(br_coefs)} (brglm2)")
    compared, worst, failed = 0, 0.0, 0
    for c, b in zip(ck_coefs, br_coefs):
        if c is None:
            failed += 1
            continue
        for x, y in zip(c, b):
            worst = max(worst, abs(x - y))
        compared += 1
    if not worst <= AGREEMENT_TOLERANCE:
        sys.exit(f"report_bootstrap.py: CohortKit and brglm2 coefficients differ by {worst:.3g} (> {AGREEMENT_TOLERANCE}) on the same resamples")

    e2e = {}
    for name in ("cohortkit", "r_boot"):
        path = os.path.join(d, f"e2e_{name}.json")
        if os.path.exists(path):
            e2e[name] = hyperfine_median(path) + (open(os.path.join(d, f"e2e_{name}.command")).read().strip(),)

    cpu, mem, os_name = machine()
    ck_t, br_t = ck["median"], br["median"]
    met = ck_t <= TARGET_SECONDS
    rows = [
        ("2,000 Firth refits (median of %d / %d runs)" % (ck["repeats"], br["repeats"]), ck_t, br_t),
    ]
    if "cohortkit" in e2e and "r_boot" in e2e:
        rows.append(("end to end: CSV -> BCa intervals (median of %d / %d runs)" % (len(e2e["cohortkit"][1]), len(e2e["r_boot"][1])),
                     e2e["cohortkit"][0], e2e["r_boot"][0]))

    table = ["| task | CohortKit | R (brglm2) | R / CohortKit |", "|---|---:|---:|---:|"]
    for label, mine, peer in rows:
        table.append(f"| {label} | {seconds(mine)} | {seconds(peer)} | {times(peer / mine)} |")
    text = "\n".join(table)
    print(text)
    print(f"target: 2,000 Firth refits in at most {TARGET_SECONDS:.0f} s: {seconds(ck_t)} ({'met' if met else 'NOT met'})")
    print(f"same resamples, same models: {compared} resamples compared, max |CohortKit - brglm2| = {worst:.2g}; {failed} failed in CohortKit")

    md = [
        "# Bootstrap benchmark: 2,000 Firth refits of the 127-patient model",
        "",
        f"Command: `{a.command}` ({a.elapsed} s). Commit: {a.git}.",
        f"Date: {datetime.datetime.now(datetime.timezone.utc).strftime('%Y-%m-%d %H:%M UTC')}. "
        f"Machine: {cpu}, {os.cpu_count()} cores, {mem}, {os_name}. Binary: `{a.binary}`.",
        f"Data: `{a.data}`, model `bleed ~ plt + icans_high + age` (the Firth golden test's), n = {ck['n']}, "
        f"B = {a.replicates} resamples, seed {ck['seed']}.",
        "",
        text,
        "",
        f"Target: 2,000 Firth refits in at most {TARGET_SECONDS:.0f} s on this 2-core machine: "
        f"**{seconds(ck_t)}, {'met' if met else 'NOT met'}**.",
        "",
        "## What each row measures",
        "",
        f"- **Refits**: CohortKit `{ck['call']}` on {ck['cores']} cores, the model loaded and fitted once "
        f"before timing; times {', '.join(f'{t:.3f}' for t in ck['times'])} s. R: `{br['call']}` "
        f"(brglm2 {br['brglm2']}, one core) over the very same resamples (CohortKit writes their row numbers; "
        f"R reads them outside the timing); times {', '.join(f'{t:.2f}' for t in br['times'])} s.",
        f"- CohortKit's `bootstrapIntervals` (the same refits, plus {ck['n']} jackknife refits and the intervals): "
        f"{seconds(ck['intervals_seconds'])}.",
    ]
    for name, (median, runs, command) in e2e.items():
        md.append(f"- **End to end** ({name}): `{command}`, hyperfine, times {', '.join(f'{t:.2f}' for t in runs)} s.")
    md += [
        "",
        "## Agreement",
        "",
        f"Both tools refit the same {a.replicates} resamples: {compared} compared, largest absolute coefficient "
        f"difference {worst:.2g} (brglmFit stops at its default epsilon 1e-6, CohortKit's bootstrap refits at 1e-6); "
        f"{failed} resample(s) failed in CohortKit.",
        f"CohortKit's BCa 95% intervals for the odds ratios (plt, icans_high, age): "
        + ", ".join(f"{lo:.4g}-{hi:.4g}" for lo, hi in [tuple(x) for x in ck["bca_or"][1:] if x]) + ".",
        "",
        f"CohortKit runs the refits on {ck['cores']} cores, R's loop on one: per core, CohortKit's refits are "
        f"{times(br_t / (ck_t * ck['cores']))} faster.",
        "",
        f"Timings are wall clock on a shared 2-core VM; other builds ran at the same time (load average before the "
        f"suite {a.load}, after {a.load_after}; each tool waits up to QUIET_WAIT seconds for the machine to go quiet, "
        f"then measures anyway), which moves them by 10-50 %.",
    ]
    with open(a.markdown, "w") as f:
        f.write("\n".join(md) + "\n")


if __name__ == "__main__":
    main()
