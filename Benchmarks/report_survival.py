#!/usr/bin/env python3
"""The survival suite's agreement check, table (stdout) and Markdown report, from Benchmarks/run survival.

    report_survival.py check --results DIR --model cox|finegray --n N
    report_survival.py report --results DIR --markdown FILE --command TEXT --sizes "N ..." --fg-sizes "N ..."
                       --finegray-built 0|1 --covariates A,B [--elapsed S] [--cohort PATH] [--git TEXT]
                       [--load "L1 L5 L15"] [--load-after "..."]

DIR holds, per model (cox, finegray), tool (cohortkit, r) and n, with NAME = <model>_<tool>_<n>:
  NAME.probe          GNU time '%e %M' of the first run (made within the limit; it gives the coefficients)
  NAME.probe.out      its stdout: cohort's --format json (CohortKit), the printed summary (R)
  NAME.timeout        present when that run did not finish within the limit (then nothing else for NAME)
  e2e_NAME.json       hyperfine --export-json of the timed runs, absent when the probe was the one run
  e2e_NAME.maxrss_kib GNU time %M of each timed run
  NAME.command        the command
  <model>_r_<n>.probe.jsonl, <model>_r_<n>.jsonl  peers/r_survival.R's JSON lines (probe; timed runs): the
                      read and fit times inside R, the coefficients
  fit_<model>_cohortkit_<n>.json  cohort-bench cox|finegray: CohortKit's fit alone, in memory (median of 3)

`check` compares the probes' coefficients (CohortKit vs R, max relative difference, tolerance 1e-6) and
exits 1 when they differ; it is run before anything at that n is timed. `report` checks again (with
cohort-bench's coefficients too), prints the tables and writes the Markdown; it fails, after writing,
when any comparison failed. Ratios are peer / CohortKit.
"""
import argparse
import json
import math
import os
import statistics
import sys

from report import environment, megabytes, n_label, seconds, times
from make_survival_data import tag

AGREEMENT_TOLERANCE = 1e-6  # max relative difference of the coefficients
MODELS = {
    "cox": ("Cox (cause-specific, Efron ties)", "cohort cox", "fread + survival::coxph"),
    "finegray": ("Fine-Gray (subdistribution hazard)", "cohort finegray", "fread + cmprsk::crr"),
}


def path(d, name):
    return os.path.join(d, name)


def last_line(p):
    with open(p) as f:
        lines = [line for line in f.read().splitlines() if line.strip()]
    return lines[-1] if lines else ""


def json_lines(p):
    if not os.path.exists(p):
        return []
    with open(p) as f:
        return [json.loads(line) for line in f if line.strip()]


def ck_coefficients(d, model, n):
    """CohortKit's coefficients from its probe's --format json, by term; None if there was no run."""
    p = path(d, f"{model}_cohortkit_{n}.probe.out")
    if not os.path.exists(p) or os.path.exists(path(d, f"{model}_cohortkit_{n}.timeout")):
        return None
    with open(p) as f:
        out = json.load(f)
    return {c["term"]: c["estimate"] for c in out["coefficients"]}


def r_coefficients(d, model, n):
    runs = json_lines(path(d, f"{model}_r_{n}.probe.jsonl"))
    return runs[-1]["coefficients"] if runs else None


def max_rel_diff(a, b):
    """Largest |a - b| / |b| over b's terms (inf when a term is missing or not a number)."""
    worst = 0.0
    for term, reference in b.items():
        value = a.get(term)
        if value is None or reference is None:
            return math.inf
        worst = max(worst, abs(value - reference) / max(abs(reference), 1e-300))
    return worst


def check(d, model, n):
    """(max rel diff or None when a side is missing, text)."""
    ck, r = ck_coefficients(d, model, n), r_coefficients(d, model, n)
    if ck is None or r is None:
        missing = "CohortKit" if ck is None else "R"
        return None, f"{model} n={n_label(n)}: no comparison ({missing} has no fit at this n)"
    diff = max_rel_diff(ck, r)
    verdict = "OK" if diff < AGREEMENT_TOLERANCE else "MISMATCH"
    detail = ", ".join(f"{t} {ck.get(t)!r} vs {r[t]!r}" for t in r) if verdict != "OK" else ""
    return diff, (f"{model} n={n_label(n)}: max relative difference of the {len(r)} coefficients, CohortKit vs R: "
                  f"{diff:.1e} (tolerance {AGREEMENT_TOLERANCE:g}) {verdict}" + (f": {detail}" if detail else ""))


def probe(d, name):
    """(wall seconds, peak RSS bytes) of NAME's probe, or None."""
    p = path(d, f"{name}.probe")
    if not os.path.exists(p) or os.path.exists(path(d, f"{name}.timeout")):
        return None
    wall, kib = last_line(p).split()
    return float(wall), int(kib) * 1024


def end_to_end(d, name):
    """{runs, median, min, max, peak} of NAME's timed runs (hyperfine), or of its probe when that was the one
    run; None when NAME did not run or ran out of time. Peak RSS: the largest over the probe and the runs."""
    pr = probe(d, name)
    if pr is None:
        return None
    hp = path(d, f"e2e_{name}.json")
    if os.path.exists(hp):
        with open(hp) as f:
            h = json.load(f)["results"][0]
        peaks = [pr[1]]
        with open(path(d, f"e2e_{name}.maxrss_kib")) as f:
            peaks += [int(x) * 1024 for x in f.read().split() if x.isdigit()]
        return {"runs": len(h["times"]), "median": h["median"], "min": min(h["times"]), "max": max(h["times"]),
                "peak": max(peaks)}
    return {"runs": 1, "median": pr[0], "min": pr[0], "max": pr[0], "peak": pr[1]}


def r_fit(d, model, n):
    """Median of R's in-process fit times (coxph() / crr() alone) over the timed runs, else the probe's."""
    runs = json_lines(path(d, f"{model}_r_{n}.jsonl")) or json_lines(path(d, f"{model}_r_{n}.probe.jsonl"))
    if not runs or os.path.exists(path(d, f"{model}_r_{n}.timeout")):
        return None
    return {"runs": len(runs), "median": statistics.median(r["fit_seconds"] for r in runs),
            "read": statistics.median(r["read_seconds"] for r in runs), "tool": runs[-1]["tool"]}


def ck_fit(d, model, n):
    p = path(d, f"fit_{model}_cohortkit_{n}.json")
    if not os.path.exists(p):
        return None
    with open(p) as f:
        out = json.loads(f.read().strip().splitlines()[-1])
    with open(path(d, f"fit_{model}_cohortkit_{n}.maxrss_kib")) as f:
        out["maxrss"] = int(f.read().split()[-1]) * 1024
    return out


def slope(points):
    """Least-squares slope of log(time) on log(n): time grows as n^slope. None with fewer than 2 points."""
    points = [(n, t) for n, t in points if t is not None and t > 0]
    if len(points) < 2:
        return None
    xs, ys = [math.log(n) for n, _ in points], [math.log(t) for _, t in points]
    mx, my = statistics.fmean(xs), statistics.fmean(ys)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / sum((x - mx) ** 2 for x in xs)


def events(n):
    here = os.path.dirname(os.path.abspath(__file__))
    p = os.path.join(here, ".data", f"survival_{tag(n)}.json")
    if not os.path.exists(p):
        return None
    with open(p) as f:
        return json.load(f)["status_counts"]


def ratio(peer, ck):
    return times(peer / ck) if peer is not None and ck else ""


def model_table(d, model, sizes, built, limit):
    """(rows, notes, scaling, details, ok) for one model."""
    title, ck_name, r_name = MODELS[model]
    rows, notes, details, ok = [], [], [], True
    points = {"ck_e2e": [], "r_e2e": [], "ck_fit": [], "r_fit": []}
    r_stopped = ck_stopped = None
    for n in sizes:
        counts = events(n) or {}
        ck = end_to_end(d, f"{model}_cohortkit_{n}") if built else None
        r = end_to_end(d, f"{model}_r_{n}")
        ckf, rf = ck_fit(d, model, n), r_fit(d, model, n)
        diff, text = check(d, model, n) if built else (None, "")
        if ckf is not None and r_coefficients(d, model, n) is not None:
            fit_diff = max_rel_diff(ckf["coefficients"], r_coefficients(d, model, n))
            text += f"; cohort-bench's in-memory fit vs R: {fit_diff:.1e}"
            diff = fit_diff if diff is None else max(diff, fit_diff)
        disagree = diff is not None and not diff < AGREEMENT_TOLERANCE
        if disagree:  # not timed (the harness skips it): no figures, the report fails
            ok = False
            ck = r = ckf = rf = None
        if text:
            notes.append(text)

        def cell(result, name):
            nonlocal r_stopped, ck_stopped
            if result is not None:
                return f"{seconds(result['median'])} ({result['runs']})"
            if disagree:
                return "coefficients disagree: not timed"
            if not built and name == "cohortkit":
                return "not built yet"
            if os.path.exists(path(d, f"{model}_{name}_{n}.timeout")):
                if name == "r":
                    r_stopped = r_stopped or n
                else:
                    ck_stopped = ck_stopped or n
                return f"> {limit} s (stopped)"
            return "not run"

        ck_cell, r_cell = cell(ck, "cohortkit"), cell(r, "r")
        rows.append((f"{n:,}", f"{counts['1']:,}" if "1" in counts else "",
                     ck_cell, r_cell, ratio(r and r["median"], ck and ck["median"]),
                     seconds(ckf["median"]) if ckf else "n/a", seconds(rf["median"]) if rf else ("n/a" if r is None else ""),
                     ratio(rf and rf["median"], ckf and ckf["median"]),
                     megabytes(ck["peak"]) if ck else "", megabytes(r["peak"]) if r else "",
                     ratio(r and r["peak"], ck and ck["peak"]),
                     f"{diff:.1e}" if diff is not None else ""))
        points["ck_e2e"].append((n, ck and ck["median"]))
        points["r_e2e"].append((n, r and r["median"]))
        points["ck_fit"].append((n, ckf and ckf["median"]))
        points["r_fit"].append((n, rf and rf["median"]))
        for who, res in (("CohortKit", ck), ("R", r)):
            if res is not None:
                name = f"{model}_{'cohortkit' if who == 'CohortKit' else 'r'}_{n}"
                cmd_file = path(d, f"e2e_{name}.command")  # the timed runs' command; else the probe's
                if not os.path.exists(cmd_file):
                    cmd_file = path(d, f"{name}.command")
                with open(cmd_file) as f:
                    command = f.read().strip()
                details.append((model, f"{n:,}", who, command, res))
    scaling = {k: slope(v) for k, v in points.items()}
    if r_stopped:
        notes.insert(0, f"R ({r_name}) could not do n = {r_stopped:,} within the limit of {limit} s a run; "
                        f"larger n were not run for R.")
    if ck_stopped:
        notes.insert(0, f"CohortKit ({ck_name}) could not do n = {ck_stopped:,} within the limit of {limit} s a run; "
                        f"larger n were not run for it.")
    return title, rows, notes, scaling, details, ok


HEADER = ("n", "events (status 1)", "CohortKit end to end", "R end to end", "ratio", "CohortKit fit", "R fit", "ratio",
          "CohortKit peak", "R peak", "ratio", "max rel diff")


def exponent(x):
    return "n/a" if x is None else f"n^{x:.2f}"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("mode", choices=["check", "report"])
    ap.add_argument("--results", required=True)
    ap.add_argument("--model")
    ap.add_argument("--n", type=int)
    ap.add_argument("--markdown")
    ap.add_argument("--command", default="")
    ap.add_argument("--sizes", default="")
    ap.add_argument("--fg-sizes", default="")
    ap.add_argument("--finegray-built", type=int, default=0)
    ap.add_argument("--covariates", default="")
    ap.add_argument("--elapsed", type=float)
    ap.add_argument("--cohort", default=".build/release/cohort")
    ap.add_argument("--git", default=None)
    ap.add_argument("--load", default="")
    ap.add_argument("--load-after", default="")
    args = ap.parse_args()
    d = args.results

    if args.mode == "check":
        diff, text = check(d, args.model, args.n)
        print(f"==> agreement: {text}", file=sys.stderr)
        raise SystemExit(0 if diff is None or diff < AGREEMENT_TOLERANCE else 1)

    with open(path(d, "limit")) as f:
        limit = f.read().strip()
    sizes = [int(x) for x in args.sizes.split()]
    fg_sizes = [int(x) for x in args.fg_sizes.split()]
    tables = [model_table(d, "cox", sizes, True, limit),
              model_table(d, "finegray", fg_sizes, bool(args.finegray_built), limit)]
    ok = all(t[5] for t in tables)

    widths = [max(len(str(x[i])) for t in tables for x in t[1] + [HEADER]) for i in range(len(HEADER))]

    def line(x):
        return "  ".join(str(c).ljust(w) for c, w in zip(x, widths)).rstrip()

    out = ["CohortKit survival models vs R on simulated cohorts (Benchmarks/make_survival_data.py): "
           "seconds (runs), ratio = R / CohortKit"]
    for title, rows, notes, scaling, _, _ in tables:
        out += ["", title, line(HEADER), line(tuple("-" * w for w in widths))] + [line(x) for x in rows]
        out.append(f"scaling exponent (log-log slope of time on n): end to end CohortKit {exponent(scaling['ck_e2e'])}, "
                   f"R {exponent(scaling['r_e2e'])}; fit alone CohortKit {exponent(scaling['ck_fit'])}, R {exponent(scaling['r_fit'])}")
        out += notes
    print("\n".join(out))

    env = environment(args.cohort)
    if args.git:
        env["git"] = args.git
    r_tools = sorted({r_fit(d, m, n)["tool"] for m, ns in (("cox", sizes), ("finegray", fg_sizes)) for n in ns
                      if r_fit(d, m, n)})
    md = [f"# CohortKit benchmark: survival models (Cox, Fine-Gray), n = {min(fg_sizes):,} to {max(sizes):,}", ""]
    md += [f"- Date: {env['date']}",
           f"- Command: `{args.command}`" + (f" (whole run: {args.elapsed:.0f} s)" if args.elapsed else ""),
           f"- Machine: {env['cpu']}, nproc = {env['nproc']}, {env['memory']} RAM, {env['os']}, Linux {env['kernel']}; "
           f"load average before {args.load or '?'}, after {args.load_after or '?'}",
           f"- CohortKit: git {env['git']}; {env['swift']}",
           f"- {'; '.join(r_tools) or 'R ' + env['r']} (fread threads: {env['dt_threads']})",
           f"- {env['hyperfine']}; peak memory by GNU time (`/usr/bin/time -f %M`); limit a run: {limit} s",
           f"- Data: `Benchmarks/.data/survival_<n>.csv`: time (whole days, 1-1825), status 0 censored / 1 event / "
           f"2 competing (about 40 / 40 / 20 %), covariates {args.covariates} (3 continuous, 2 binary)"]
    md += ["", "Each cell: median seconds (number of runs). *End to end*: the whole process, CSV file to fitted model "
           "and printed output (CohortKit `--format json`; R `fread`, the fit, `print(summary(fit))`). *Fit*: the "
           "model fit alone, data in memory (CohortKit: `cohort-bench cox` / `finegray`, `CohortStats.fit`; R: the time of the "
           "`coxph()` / `crr()` call inside the end-to-end runs). *Peak*: the largest resident memory of an "
           "end-to-end run. Ratio = R / CohortKit (above 1: CohortKit faster or smaller). *max rel diff*: the "
           "largest relative difference of the coefficients, CohortKit vs R (checked before timing; must be "
           f"< {AGREEMENT_TOLERANCE:g}). See [Benchmarks/README.md](../README.md#survival-suite).", ""]
    for title, rows, notes, scaling, _, _ in tables:
        md += [f"## {title}", ""]
        md += ["| " + " | ".join(HEADER) + " |", "|" + "---:|" * len(HEADER)]
        md += ["| " + " | ".join(x) + " |" for x in rows]
        md += [f"| scaling exponent | | {exponent(scaling['ck_e2e'])} | {exponent(scaling['r_e2e'])} | | "
               f"{exponent(scaling['ck_fit'])} | {exponent(scaling['r_fit'])} | | | | | |", ""]
        md += [f"- {x}" for x in notes] + [""]
    md += ["The scaling exponent is the least-squares slope of log(median seconds) on log(n) over the sizes "
           "measured (n^1.00: linear). End to end it includes each process's fixed start-up (for R: loading "
           "data.table, survival and cmprsk), which flattens it at small n; the fit-alone exponent is the "
           "algorithm's.", ""]
    md += ["## Runs", "", "| model | n | tool | command | runs | median | min | max | peak RSS |",
           "|---|---:|---|---|---:|---:|---:|---:|---:|"]
    for t in tables:
        for model, n, who, command, res in t[4]:
            md.append(f"| {model} | {n} | {who} | `{command}` | {res['runs']} | {seconds(res['median'])} | "
                      f"{seconds(res['min'])} | {seconds(res['max'])} | {megabytes(res['peak'])} |")
    md += ["", "Raw output: `Benchmarks/.data/results-survival*/` (not committed).", ""]
    with open(args.markdown, "w") as f:
        f.write("\n".join(md))
    if not ok:
        raise SystemExit("report_survival.py: CohortKit and R disagree (see above)")


if __name__ == "__main__":
    main()
