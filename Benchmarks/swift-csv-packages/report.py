#!/usr/bin/env python3
"""Turn the JSON lines of one Benchmarks/swift-csv-packages/run into its Markdown table.

    report.py RESULTS.jsonl --md OUT.md --command CMD --file CSV [--run-seconds S]

Prints the table to stdout and writes it, with the date, machine, file and command, to OUT.md.
Exits 1 if the tools disagree on the number of rows or fields, or on the field bytes (Swift tools).
"""
import argparse
import datetime
import hashlib
import json
import os
import platform
import subprocess
import sys


def sh(*cmd):
    try:
        return subprocess.run(cmd, capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "?"


def cpu_model():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "?"


def mem_gib():
    try:
        with open("/proc/meminfo") as f:
            for line in f:
                if line.startswith("MemTotal:"):
                    return f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    except OSError:
        pass
    return "?"


def os_name():
    try:
        with open("/etc/os-release") as f:
            for line in f:
                if line.startswith("PRETTY_NAME="):
                    return line.split("=", 1)[1].strip().strip('"')
    except OSError:
        pass
    return platform.system()


def loadavg():
    try:
        with open("/proc/loadavg") as f:
            return " ".join(f.read().split()[:3])
    except OSError:
        return "?"


def md5(path):
    h = hashlib.md5()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def fmt_s(x):
    return f"{x:.3f}" if x < 10 else f"{x:.2f}"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("jsonl")
    ap.add_argument("--md", required=True)
    ap.add_argument("--command", required=True)
    ap.add_argument("--file", required=True)
    ap.add_argument("--run-seconds", type=float)
    ap.add_argument("--load-before", help="/proc/loadavg's first three fields when the run started")
    a = ap.parse_args()

    recs = [json.loads(line) for line in open(a.jsonl) if line.strip().startswith("{")]
    by_key = {r["key"]: r for r in recs}
    pandas_rec = by_key.get("pandas")
    read_rec = by_key.get("read")
    parsers = [r for r in recs if r["key"] not in ("read", "pandas")]
    if pandas_rec is None or not parsers:
        sys.exit("report.py: need the pandas line and at least one Swift parser line")

    # The tools must have seen the same table.
    problems = []
    ref = parsers[0]
    for r in parsers[1:]:
        for k in ("rows", "fields", "field_bytes"):
            if r[k] != ref[k]:
                problems.append(f"{r['key']} {k} = {r[k]} but {ref['key']} {k} = {ref[k]}")
    if pandas_rec["rows"] != ref["rows"] or pandas_rec["cells"] != ref["fields"]:
        problems.append(f"pandas read {pandas_rec['rows']} rows x {pandas_rec['columns']} columns, "
                        f"{ref['key']} {ref['rows']} rows and {ref['fields']} fields")

    p_med = pandas_rec["median_s"]
    n = pandas_rec["repeats"]
    size = pandas_rec["file_bytes"]
    p_cpu = pandas_rec["median_cpu_s"]
    rows_md = [
        f"| tool | version | API timed | median s (of {n}) | MB/s | x slower than pandas (tool s / pandas s) "
        "| median CPU s | x slower than pandas, CPU s |",
        "|---|---|---|---:|---:|---:|---:|---:|",
    ]
    for r in parsers + [pandas_rec]:
        if r is pandas_rec:
            ratio = ratio_cpu = "1 (reference)"
        else:
            ratio, ratio_cpu = f"{r['median_s'] / p_med:.1f}x", f"{r['median_cpu_s'] / p_cpu:.1f}x"
        rows_md.append(f"| {r['tool']} | {r['version']} | `{r['api']}` | {fmt_s(r['median_s'])} | "
                       f"{r['mb_per_s']:.1f} | {ratio} | {fmt_s(r['median_cpu_s'])} | {ratio_cpu} |")
    table = "\n".join(rows_md)

    swift_version = sh("swift", "--version").splitlines()
    swift_version = swift_version[0] if swift_version else "?"
    git_rev = sh("git", "rev-parse", "--short", "HEAD")
    date = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    run_s = f" (whole run: {a.run_seconds:.0f} s)" if a.run_seconds else ""
    fname = os.path.basename(a.file)

    lines = [
        "# Swift CSV packages beside pandas: parsing one CSV file",
        "",
        f"- Date: {date}",
        f"- Command: `{a.command}`{run_s}",
        f"- Machine: {cpu_model()}, nproc = {sh('nproc')}, {mem_gib()} RAM, {os_name()}, "
        f"Linux {platform.release()}",
        f"- Swift: {swift_version}, `swift build -c release`; CohortKit git {git_rev} "
        "(the toolkit does not depend on these packages; they are only measured here)",
        f"- Load average (1, 5, 15 min) at the start: {a.load_before or '?'}, at the end: {loadavg()} "
        "(2 cores: anything else running shows here and slows every row)",
        f"- Python {platform.python_version()}, pandas {pandas_rec['version']}",
        f"- File: `{fname}`, {size:,} bytes ({size / 1e6:.1f} MB), {ref['rows']:,} data rows x "
        f"{ref['fields'] // max(ref['rows'], 1)} columns + header, md5 {md5(a.file)}",
        f"- Repeats: {n} per tool in one process each; the median is reported. MB/s = 10^6 bytes of the file "
        "per second of the median wall time. CPU s is the process's CPU time (user + system) over the same "
        "calls: it leaves out time spent waiting for a core, so it moves less than the wall time when the "
        "machine is shared.",
        "",
        table,
        "",
        "The Swift rows time the parse of a String already in memory and a pass over every field "
        "(UTF-8 byte counts summed); reading the file is excluded"
        + (f" (it took {read_rec['median_s']:.3f} s, median, with `{read_rec['api']}`)" if read_rec else "")
        + ". The pandas row times `pandas.read_csv(path)` with its defaults (C engine, type inference), which also reads the file (from the page cache) "
        "and converts the numeric columns to int64/float64, work the Swift packages do not do (they return strings). "
        "See [Benchmarks/swift-csv-packages/README.md](../swift-csv-packages/README.md).",
        "",
        "## Every repeat (seconds)",
        "",
        "| tool | API | wall | CPU |",
        "|---|---|---|---|",
    ]
    for r in ([read_rec] if read_rec else []) + parsers + [pandas_rec]:
        lines.append(f"| {r['tool']} | `{r['api']}` | {', '.join(f'{t:.3f}' for t in r['times_s'])} | "
                     f"{', '.join(f'{t:.3f}' for t in r['cpu_times_s'])} |")
    lines += [
        "",
        "## Same table seen by every tool",
        "",
        f"- Swift parsers: {ref['rows']:,} rows, {ref['fields']:,} fields, {ref['field_bytes']:,} bytes of field "
        "content (UTF-8, quotes removed), " + ("identical for all of them" if not problems else "DISAGREE"),
        f"- pandas: {pandas_rec['rows']:,} rows x {pandas_rec['columns']} columns, "
        f"{pandas_rec['missing_cells']:,} missing cells; dtypes: "
        + ", ".join(f"{c} {t}" for c, t in pandas_rec["dtypes"].items()),
    ]
    for p in problems:
        lines.append(f"- PROBLEM: {p}")
    os.makedirs(os.path.dirname(os.path.abspath(a.md)), exist_ok=True)
    with open(a.md, "w") as f:
        f.write("\n".join(lines) + "\n")

    print(table)
    if problems:
        for p in problems:
            print(f"report.py: {p}", file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
