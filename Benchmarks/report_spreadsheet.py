#!/usr/bin/env python3
"""The spreadsheet suite's row-count check and report (Benchmarks/run spreadsheet).

    report_spreadsheet.py check --results DIR --n N --format xlsx|dta
        Both tools' first runs at N must have read N rows: CohortKit's from the header line of
        `cohort codebook` ("... (N rows) ..."), pandas' from its JSON line. Exit 1 otherwise.
    report_spreadsheet.py report --results DIR --markdown FILE --sizes "N ..." [--command ... --elapsed S
                                 --cohort BIN --git DESC --load L --load-after L]
        The side-by-side table (best wall time of each tool, ratio pandas / CohortKit, peak RSS) and each
        tool's scaling exponent in n, printed and written as Markdown.

Raw files (written by Benchmarks/run): TOOL_FORMAT_N.K.wall (seconds), .K.rss (GNU time %M, KiB), .K.out
(stdout), TOOL_FORMAT_N.timeout (the limit, when a run was stopped), FORMAT_N.size ("N bytes").
"""
import argparse
import json
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from report import environment, machine_state, megabytes, n_label, seconds, times  # noqa: E402
from report_survival import exponent, slope  # noqa: E402

TOOLS = ["cohortkit", "pandas"]
FORMATS = {"xlsx": "Excel .xlsx", "dta": "Stata .dta"}


def rows_read(d, tool, fmt, n):
    p = os.path.join(d, f"{tool}_{fmt}_{n}.1.out")
    if not os.path.exists(p) or os.path.exists(os.path.join(d, f"{tool}_{fmt}_{n}.timeout")):
        return None
    text = open(p).read()
    if tool == "cohortkit":
        m = re.search(r"\((\d+) rows\)", text)
        return int(m.group(1)) if m else -1
    return int(json.loads(text.strip().splitlines()[-1])["rows"])


def check(d, n, fmt):
    ok = True
    for tool in TOOLS:
        r = rows_read(d, tool, fmt, n)
        if r is None:
            print(f"check {fmt} n={n}: {tool} not run (out of time)", file=sys.stderr)
            continue
        print(f"check {fmt} n={n}: {tool} read {r} rows", file=sys.stderr)
        if r != n:
            print(f"check {fmt} n={n}: {tool} read {r} rows, expected {n}", file=sys.stderr)
            ok = False
    return ok


def runs(d, tool, fmt, n):
    """(wall times, peak RSS bytes, pandas' in-process read seconds or None, timed out)"""
    walls, rss, reads = [], [], []
    for k in (1, 2, 3):
        w = os.path.join(d, f"{tool}_{fmt}_{n}.{k}.wall")
        if not os.path.exists(w):
            continue
        walls.append(float(open(w).read()))
        r = os.path.join(d, f"{tool}_{fmt}_{n}.{k}.rss")
        if os.path.exists(r):
            rss.append(int(open(r).read().split()[-1]) * 1024)
        if tool == "pandas":
            o = os.path.join(d, f"{tool}_{fmt}_{n}.{k}.out")
            reads.append(json.loads(open(o).read().strip().splitlines()[-1])["read_seconds"])
    timeout = os.path.exists(os.path.join(d, f"{tool}_{fmt}_{n}.timeout"))
    return walls, (max(rss) if rss else None), (min(reads) if reads else None), timeout


def file_mb(b):
    return "n/a" if b is None else (f"{b / 1e6:.1f} MB" if b < 1e7 else f"{b / 1e6:.0f} MB")


def cell(walls, timeout, limit_note):
    if not walls:
        return f"stopped ({limit_note})" if timeout else "not run"
    return f"{seconds(min(walls))} ({len(walls)})"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("mode", choices=["check", "report"])
    ap.add_argument("--results", required=True)
    ap.add_argument("--n", type=int)
    ap.add_argument("--format", choices=list(FORMATS))
    ap.add_argument("--markdown")
    ap.add_argument("--command", default="")
    ap.add_argument("--sizes", default="")
    ap.add_argument("--elapsed", type=float, default=0)
    ap.add_argument("--cohort", default=".build/release/cohort")
    ap.add_argument("--git", default="")
    ap.add_argument("--load", default="")
    ap.add_argument("--load-after", default="")
    ap.add_argument("--one-run", type=float, default=300, help="SPREADSHEET_ONE_RUN: seconds over which run 1 is the only one")
    args = ap.parse_args()
    d = args.results
    if args.mode == "check":
        sys.exit(0 if check(d, args.n, args.format) else 1)

    sizes = [int(s) for s in args.sizes.split()]
    header = ("| rows | file | CohortKit `cohort codebook` s (runs) | pandas s (runs) | pandas / CohortKit "
              "| pandas read call alone (/ CohortKit) | CohortKit peak RSS | pandas peak RSS | RSS pandas / CohortKit |")
    lines = [header, "|---|---|---|---|---|---|---|---|---|"]
    series = {}
    one_run = False
    for fmt, label in FORMATS.items():
        for n in sizes:
            sp = os.path.join(d, f"{fmt}_{n}.size")
            size = int(open(sp).read().split()[1]) if os.path.exists(sp) else None
            ck = runs(d, "cohortkit", fmt, n)
            pd_ = runs(d, "pandas", fmt, n)
            if not ck[0] and not pd_[0] and not ck[3] and not pd_[3]:
                continue
            ckb = min(ck[0]) if ck[0] else None
            pdb = min(pd_[0]) if pd_[0] else None
            one_run |= any(0 < len(r[0]) < 3 for r in (ck, pd_))
            series.setdefault(("CohortKit", fmt), []).append((n, ckb))
            series.setdefault(("pandas", fmt), []).append((n, pdb))
            series.setdefault(("pandas read call alone", fmt), []).append((n, pd_[2]))
            lines.append(
                f"| {n_label(n)} | {label}, {file_mb(size)} | {cell(ck[0], ck[3], 'limit')} | {cell(pd_[0], pd_[3], 'limit')} "
                f"| {times(pdb / ckb) if pdb and ckb else 'n/a'} | {seconds(pd_[2])} ({times(pd_[2] / ckb) if pd_[2] and ckb else 'n/a'}) "
                f"| {megabytes(ck[1])} | {megabytes(pd_[1])} | {times(pd_[1] / ck[1]) if pd_[1] and ck[1] else 'n/a'} |")
    scaling = ["| tool | .xlsx: time grows as | .dta: time grows as |", "|---|---|---|"]
    for tool in ["CohortKit", "pandas", "pandas read call alone"]:
        scaling.append(f"| {tool} | {exponent(slope(series.get((tool, 'xlsx'), [])))} "
                       f"| {exponent(slope(series.get((tool, 'dta'), [])))} |")
    notes = [
        "Seconds: the best (minimum) wall time of the whole process over the runs in brackets (3, or 1 where the "
        f"first run took over {args.one_run:g} s), start-up included (Python importing pandas and openpyxl: see the "
        "`import_seconds` in the raw JSON); ratio = pandas / CohortKit, above 1 means CohortKit is faster. "
        "CohortKit: `cohort codebook FILE` (the reader reads every cell into typed columns, then the starter "
        "codebook is inferred from every column's values; a short YAML is printed). pandas: "
        "`peers/pandas_spreadsheet.py FILE`: `read_excel(FILE, engine=\"openpyxl\")` or `read_stata(FILE)`. "
        "**pandas read call alone** is the read call's own time inside the pandas process (imports excluded), "
        "with its ratio to CohortKit's whole process (which includes CohortKit's start-up): the figure most "
        "favourable to pandas. Peak RSS: GNU time "
        "`%M` of the whole process, the largest over the runs. Both tools read every file's rows before "
        "anything was timed (the row counts agreed).",
    ]
    if one_run:
        notes.append(f"Some cells are one run: the first run took over {args.one_run:g} s (SPREADSHEET_ONE_RUN), so it "
                     "was not repeated.")
    print("\n".join(lines + [""] + scaling + [""] + notes))
    if not args.markdown:
        return
    env = environment(args.cohort)
    if args.git:
        env["git"] = args.git
    md = [f"# CohortKit benchmark: reading Excel and Stata files, n = {n_label(min(sizes))} to {n_label(max(sizes))} rows x 25 columns", ""]
    md += [f"- Date: {env['date']}",
           f"- Command: `{args.command}`" + (f" (whole run: {args.elapsed:.0f} s)" if args.elapsed else ""),
           f"- Machine: {env['cpu']}, {env['nproc']} logical CPUs, {env['memory']}; {env['os']}, kernel {env['kernel']}; "
           f"{machine_state(args.load, args.load_after)}",
           f"- Load average (1, 5, 15 min) before: {args.load or 'n/a'}; after: {args.load_after or 'n/a'}",
           f"- CohortKit: git {env['git']}; {env['swift']}; `swift build -c release`",
           f"- Python {env['python']}, pandas {env['pandas']}, openpyxl {openpyxl_version()}",
           "- Data: `make_reader_data.py --n N` (the reader suite's synthetic CAR-T cohort, 25 columns) converted by "
           "`make_spreadsheet_data.py` to `.xlsx` (openpyxl write-only, numbers as numbers, text as shared strings, "
           "empty fields as empty cells) and `.dta` (pandas `to_stata`, format 118)",
           "", *lines, "", "Scaling exponent: least-squares slope of log(best time) on log(n) over the sizes measured "
           "(start-up included, so it is below 1 where start-up weighs).", "", *scaling, "", *notes, ""]
    os.makedirs(os.path.dirname(os.path.abspath(args.markdown)), exist_ok=True)
    with open(args.markdown, "w") as f:
        f.write("\n".join(md))


def openpyxl_version():
    try:
        import openpyxl
        return openpyxl.__version__
    except ImportError:
        return "?"


if __name__ == "__main__":
    main()
