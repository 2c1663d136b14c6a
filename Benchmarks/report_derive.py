#!/usr/bin/env python3
"""The derive suite's agreement check, table (stdout) and Markdown report, from Benchmarks/run derive.

    report_derive.py check --results DIR --n N
    report_derive.py report --results DIR --markdown FILE --command TEXT --sizes "N ..." [--elapsed S]
                     [--cohort PATH] [--git TEXT] [--load "L1 L5 L15"] [--load-after "..."]

DIR holds, per tool (cohortkit, pandas, datatable, datatable_t2) and n, with NAME = <tool>_<n>:
  NAME.probe          GNU time '%e %M' of the first run (untimed for the table; its output is the one compared)
  NAME.csv            that run's output table
  e2e_NAME.json       hyperfine --export-json of the timed runs
  e2e_NAME.maxrss_kib GNU time %M of each timed run
  NAME.command        the command

`check` compares every derived column of the four outputs at n, patient by patient (the rows matched by
patient_id): equal missingness, and values within 1e-9 relative (absolute for values below 1); it exits 1
when they differ, before anything at that n is timed. `report` checks again, prints the table and writes
the Markdown; it fails, after writing, when a comparison failed. Ratios are peer / CohortKit.
"""
import argparse
import json
import os
import sys

import numpy as np
import pandas as pd

from report import environment, megabytes, n_label, seconds, times
from report_survival import end_to_end, exponent, slope
from make_derive_data import DERIVED, tag

TOLERANCE = 1e-9
TOOLS = [
    ("cohortkit", "CohortKit", "cohort derive"),
    ("pandas", "pandas", "peers/pandas_derive.py"),
    ("datatable", "data.table (1 thread)", "peers/datatable_derive.R, data.table's default threads: 1 here"),
    ("datatable_t2", "data.table (2 threads)", "peers/datatable_derive.R with setDTthreads(2)"),
]


def path(d, name):
    return os.path.join(d, name)


def data_dir(n):
    return os.path.join(os.path.dirname(os.path.abspath(__file__)), ".data", f"derive_{tag(n)}")


def meta(n):
    with open(os.path.join(data_dir(n), "meta.json")) as f:
        return json.load(f)


def check(d, n):
    """(ok, text): every tool's output at n against CohortKit's, column by column."""
    names = [name for name, _ in DERIVED]
    outputs = {}
    for tool, _, _ in TOOLS:
        p = path(d, f"{tool}_{n}.csv")
        if os.path.exists(p):
            t = pd.read_csv(p, dtype={"patient_id": str}, keep_default_na=False, na_values=[""])
            outputs[tool] = t.set_index("patient_id")
    if "cohortkit" not in outputs or len(outputs) < 2:
        return False, f"n={n:,}: outputs missing ({', '.join(outputs) or 'none'})"
    ref = outputs["cohortkit"]
    problems, worst = [], 0.0
    for tool, t in outputs.items():
        if tool == "cohortkit":
            continue
        if len(t) != len(ref) or not t.index.equals(ref.index):
            problems.append(f"{tool}: {len(t)} rows or a different patient order (CohortKit {len(ref)})")
            continue
        missing_cols = [c for c in names if c not in t.columns or c not in ref.columns]
        if missing_cols:
            problems.append(f"{tool}: columns missing: {', '.join(missing_cols)}")
            continue
        for c in names:
            a, b = ref[c].to_numpy(dtype=float), t[c].to_numpy(dtype=float)
            na_a, na_b = np.isnan(a), np.isnan(b)
            if (na_a != na_b).any():
                k = int(np.argmax(na_a != na_b))
                problems.append(f"{tool} {c}: missing differs for {int((na_a != na_b).sum())} patients "
                                f"(first {ref.index[k]}: CohortKit {a[k]}, {tool} {b[k]})")
                continue
            ok = ~na_a
            rel = np.abs(a[ok] - b[ok]) / np.maximum(1.0, np.abs(a[ok]))
            if rel.size and rel.max() > TOLERANCE:
                k = np.flatnonzero(ok)[int(np.argmax(rel))]
                problems.append(f"{tool} {c}: {int((rel > TOLERANCE).sum())} patients differ "
                                f"(largest at {ref.index[k]}: CohortKit {a[k]!r}, {tool} {b[k]!r})")
            if rel.size:
                worst = max(worst, float(rel.max()))
    if problems:
        return False, f"n={n:,}: " + "; ".join(problems)
    return True, (f"n={n:,}: {', '.join(t for t in outputs if t != 'cohortkit')} agree with CohortKit on all "
                  f"{len(names)} derived variables for {len(ref):,} patients (missing equal; largest relative "
                  f"difference {worst:.1e})")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("mode", choices=["check", "report"])
    ap.add_argument("--results", required=True)
    ap.add_argument("--n", type=int)
    ap.add_argument("--markdown")
    ap.add_argument("--command", default="")
    ap.add_argument("--sizes", default="")
    ap.add_argument("--elapsed", type=float)
    ap.add_argument("--cohort", default=".build/release/cohort")
    ap.add_argument("--git", default=None)
    ap.add_argument("--load", default="")
    ap.add_argument("--load-after", default="")
    args = ap.parse_args()
    d = args.results

    if args.mode == "check":
        ok, text = check(d, args.n)
        print(f"==> agreement: {text}", file=sys.stderr)
        raise SystemExit(0 if ok else 1)

    sizes = [int(x) for x in args.sizes.split()]
    all_ok, notes, rows, details = True, [], [], []
    points = {tool: [] for tool, _, _ in TOOLS}
    for n in sizes:
        ok, text = check(d, n)
        notes.append(text)
        all_ok &= ok
        m = meta(n)
        input_bytes = m["bytes"]["patients"] + m["bytes"]["labs"]
        res = {tool: (end_to_end(d, f"{tool}_{n}") if ok else None) for tool, _, _ in TOOLS}
        ck = res["cohortkit"]
        row = [f"{n:,}", f"{m['lab_rows']:,}", megabytes(input_bytes)]
        for tool, _, _ in TOOLS:
            r = res[tool]
            row.append(f"{seconds(r['median'])} ({r['runs']})" if r else ("disagree: not timed" if not ok else "not run"))
            if tool != "cohortkit":
                row.append(times(r["median"] / ck["median"]) if r and ck else "")
            points[tool].append((n, r and r["median"]))
        for tool, _, _ in TOOLS:
            r = res[tool]
            row.append(f"{megabytes(r['peak'])} ({r['peak'] / input_bytes:.2f}x)" if r else "")
            if r:
                cmd_file = path(d, f"e2e_{tool}_{n}.command")
                if not os.path.exists(cmd_file):
                    cmd_file = path(d, f"{tool}_{n}.command")
                with open(cmd_file) as f:
                    details.append((f"{n:,}", tool, f.read().strip(), r))
        rows.append(row)
    header = ["n", "lab rows", "input (2 CSVs)"]
    for tool, label, _ in TOOLS:
        header.append(label)
        if tool != "cohortkit":
            header.append("ratio")
    header += [f"{label} peak (/ input)" for _, label, _ in TOOLS]
    scaling = {tool: slope(p) for tool, p in points.items()}
    scaling_line = ("scaling exponent (log-log slope of end-to-end time on n): "
                    + ", ".join(f"{label} {exponent(scaling[tool])}" for tool, label, _ in TOOLS))

    # The target (issue 15): at least 3x faster than pandas at n = 100,000, memory near the input size.
    target = []
    if 100000 in sizes:
        k = sizes.index(100000)
        ck, pdr = end_to_end(d, "cohortkit_100000"), end_to_end(d, "pandas_100000")
        if ck and pdr:
            r = pdr["median"] / ck["median"]
            mem = ck["peak"] / (meta(100000)["bytes"]["patients"] + meta(100000)["bytes"]["labs"])
            target = [f"Target (issue 15): CohortKit at least 3x faster than pandas at n = 100,000: "
                      f"{times(r)} ({'met' if r >= 3 else 'not met'}); peak memory near the input size: "
                      f"{mem:.2f}x the two CSVs."]

    widths = [max(len(str(x[i])) for x in rows + [header]) for i in range(len(header))]

    def line(x):
        return "  ".join(str(c).ljust(w) for c, w in zip(x, widths)).rstrip()

    print("cohort derive vs pandas and data.table, end to end (CSV files to CSV file): seconds (runs), ratio = peer / CohortKit")
    print("\n".join([line(header), line(["-" * w for w in widths])] + [line(r) for r in rows]))
    print(scaling_line)
    print("\n".join(target + notes))

    env = environment(args.cohort)
    if args.git:
        env["git"] = args.git
    md = [f"# CohortKit benchmark: cohort derive (linked lab table), n = {n_label(min(sizes))} to {n_label(max(sizes))} patients", ""]
    md += [f"- Date: {env['date']}",
           f"- Command: `{args.command}`" + (f" (whole run: {args.elapsed:.0f} s)" if args.elapsed else ""),
           f"- Machine: {env['cpu']}, {env['nproc']} logical CPUs, {env['memory']}; {env['os']}, kernel {env['kernel']}",
           f"- Load average (1, 5, 15 min) before: {args.load or 'n/a'}; after: {args.load_after or 'n/a'}",
           f"- CohortKit: git {env['git']}; {env['swift']}; `swift build -c release`",
           f"- pandas {env['pandas']}, numpy {env['numpy']}, Python {env['python']}",
           f"- R {env['r']}, data.table {env['data_table']} (getDTthreads() = {env['dt_threads']})",
           f"- hyperfine: {env['hyperfine']}", "",
           "Each tool reads `patients.csv` and the linked `labs.csv` (Benchmarks/make_derive_data.py: about 31 draws "
           "a patient on days -2 to 35, 5 labs, 3 % of values missing), computes the 14 derived variables of the "
           "generated codebook and writes one row a patient to a CSV file: the whole process, start to file "
           "written. Seconds are hyperfine's median (runs in brackets); ratio = peer / CohortKit (above 1: "
           "CohortKit faster). Peak = the largest GNU time `%M` over the runs, with the ratio to the bytes of the "
           "two input CSVs.", "",
           "| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    md += ["| " + " | ".join(r) + " |" for r in rows]
    md += ["", scaling_line + ".", ""]
    md += [t for t in target] + ([""] if target else [])
    md += ["Agreement, checked before timing (every derived variable, patient by patient: missing equal, "
           f"values within {TOLERANCE:g} relative):", ""] + [f"- {t}" for t in notes]
    md += ["", "Derived variables (the codebook's `derived:`):", "", "```yaml"]
    md += [f"{name}: {formula}" for name, formula in DERIVED] + ["```", ""]
    md += ["Commands and every run:", "", "| n | tool | command | runs | median | min | max | peak |", "|---|---|---|---|---|---|---|---|"]
    for n, tool, command, r in details:
        md.append(f"| {n} | {tool} | `{command}` | {r['runs']} | {seconds(r['median'])} | {seconds(r['min'])} | "
                  f"{seconds(r['max'])} | {megabytes(r['peak'])} |")
    if args.markdown:
        with open(args.markdown, "w") as f:
            f.write("\n".join(md) + "\n")
    raise SystemExit(0 if all_ok else 1)


if __name__ == "__main__":
    main()
