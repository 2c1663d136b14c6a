#!/usr/bin/env python3
"""Turns the raw results of Benchmarks/run's reader suite into the side-by-side table (stdout) and Markdown.

    report_reader.py --results DIR --data FILE.csv --markdown OUT.md --command TEXT --rows N --columns C
                     [--elapsed S] [--git TEXT] [--load "1 5 15"] [--load-after "1 5 15"]

DIR holds read_<tool>.json (one JSON line from `cohort-bench read` / peers/pandas_read.py /
peers/fread_read.R), read_<tool>.maxrss_kib (GNU time: %M, then "%e %U %S"), read_<tool>.busy (the
machine's busy CPU ticks from /proc/stat before and after) and read_<tool>.command, for the tools
cohortkit, pandas and fread. Exits 1, writing nothing, when a tool's rows or columns differ from
--rows / --columns.
"""
import argparse
import datetime
import hashlib
import json
import os
import platform
import sys

from report import load_json, machine, max_kib, megabytes, n_label, run, seconds, times

TOOLS = (("cohortkit", "CohortKit"), ("pandas", "pandas.read_csv"), ("fread", "data.table::fread"))
# Targets shown beside the measurements (not used to change anything): peer time / CohortKit time at least
# this much, and CohortKit peak RSS / file size at most this much.
TARGET_SPEEDUP = {"pandas": 2.0, "fread": 1.5}
TARGET_MEMORY_PER_FILE = 2.0
# Other processes' CPU use (in cores) above which the report warns that the timings may be distorted.
OTHER_LOAD_WARNING = 0.25


def cpu_use(results_dir, key):
    """The process's (user + system) / wall time from GNU time: about how many cores it kept busy."""
    try:
        with open(os.path.join(results_dir, f"read_{key}.maxrss_kib")) as f:
            wall, user, system = (float(x) for x in f.read().split()[1:4])
    except (OSError, ValueError):
        return None
    return (user + system) / wall if wall > 0 else None


def other_load(results_dir, key):
    """CPU cores used by other processes while the tool's process ran: (machine busy time - the process's
    user + system time) / wall time. None when the figures are missing."""
    try:
        with open(os.path.join(results_dir, f"read_{key}.maxrss_kib")) as f:
            wall, user, system = (float(x) for x in f.read().split()[1:4])
        with open(os.path.join(results_dir, f"read_{key}.busy")) as f:
            before, after = (int(x) for x in f.read().split()[:2])
    except (OSError, ValueError):
        return None
    if wall <= 0:
        return None
    return max(0.0, ((after - before) / os.sysconf("SC_CLK_TCK") - user - system) / wall)


def environment():
    cpu, mem, os_name = machine()
    py = run([sys.executable, "-c",
              "import sys, numpy, pandas\n"
              "try:\n    import pyarrow; pa = pyarrow.__version__\nexcept ImportError:\n    pa = 'not installed'\n"
              "print(sys.version.split()[0], numpy.__version__, pandas.__version__, pa, sep='|')"]).split("|")
    py += ["?"] * (4 - len(py))
    r = run(["Rscript", "-e", "cat(paste(R.version$major, R.version$minor, sep='.'), "
             "as.character(packageVersion('data.table')), data.table::getDTthreads(), sep='|')"]).split("|")
    r += ["?"] * (3 - len(r))
    swift = run(["swift", "--version"]).splitlines()
    swift = next((line for line in swift if "Swift version" in line), swift[0] if swift else "?")
    return {
        "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "cpu": cpu, "nproc": os.cpu_count(), "memory": mem, "os": os_name or platform.platform(),
        "kernel": platform.release(), "swift": swift,
        "python": py[0], "numpy": py[1], "pandas": py[2], "pyarrow": py[3],
        "r": r[0], "data_table": r[1], "dt_threads": r[2],
        "git": run(["git", "rev-parse", "--short", "HEAD"]),
    }


def met(ok):
    return "yes" if ok else "**no**"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--results", required=True)
    ap.add_argument("--data", required=True, help="the CSV file that was read")
    ap.add_argument("--markdown", required=True)
    ap.add_argument("--command", required=True)
    ap.add_argument("--rows", type=int, required=True, help="rows every tool must report")
    ap.add_argument("--columns", type=int, required=True, help="columns every tool must report")
    ap.add_argument("--elapsed", type=float)
    ap.add_argument("--git", default=None, help="what was built (default: git HEAD now)")
    ap.add_argument("--load", default=None, help="/proc/loadavg (1, 5, 15 min) before the reads")
    ap.add_argument("--load-after", default=None, help="/proc/loadavg after the reads")
    ap.add_argument("--binary", default=None, help="the built cohort-bench that DIR/cohort-bench was copied from")
    args = ap.parse_args()

    file_bytes = os.path.getsize(args.data)
    meta = {}
    sidecar = os.path.splitext(args.data)[0] + ".json"
    if os.path.exists(sidecar):
        with open(sidecar) as f:
            meta = json.load(f)

    res = {}
    for key, _ in TOOLS:
        r = load_json(os.path.join(args.results, f"read_{key}.json"))
        r["maxrss_time"] = max_kib(os.path.join(args.results, f"read_{key}.maxrss_kib"))
        with open(os.path.join(args.results, f"read_{key}.command")) as f:
            r["shown_command"] = f.read().strip()
        r["other_load"] = other_load(args.results, key)
        r["cpu_use"] = cpu_use(args.results, key)
        # Memory from a separate one-read process when there is one (Benchmarks/run's memory_tool).
        one = os.path.join(args.results, f"memory_{key}.maxrss_kib")
        if os.path.exists(one):
            r["memory_peak"] = max_kib(one)
            r["memory_start"] = load_json(os.path.join(args.results, f"memory_{key}.json")).get("rss_start_bytes")
        else:
            r["memory_peak"], r["memory_start"] = r["maxrss_time"], r.get("rss_start_bytes")
        res[key] = r

    # Every tool must have read the same table: same rows (the quoted line breaks make this a real
    # check of RFC 4180 handling) and same columns.
    wrong = [f"{name}: {res[key]['rows']:,} rows x {res[key]['columns']} columns"
             for key, name in TOOLS if (res[key]["rows"], res[key]["columns"]) != (args.rows, args.columns)]
    if wrong:
        print(f"report_reader: expected {args.rows:,} rows x {args.columns} columns from every tool; got\n  "
              + "\n  ".join(f"{name}: {res[key]['rows']:,} rows x {res[key]['columns']} columns" for key, name in TOOLS),
              file=sys.stderr)
        print(f"report_reader: MISMATCH ({'; '.join(wrong)}); {args.markdown} not written", file=sys.stderr)
        return 1

    ck = res["cohortkit"]
    threads = res["fread"].get("threads", "?")
    peer_label = {"pandas": "pandas.read_csv", "fread": f"data.table::fread ({threads} thread{'s' if threads != 1 else ''})"}
    label = f"read CSV {n_label(args.rows)} x {args.columns} (median of {len(ck['times'])})"
    rows = []  # (benchmark, cohortkit, peer, peer value, ratio)
    speedup = {}
    for key in ("pandas", "fread"):
        speedup[key] = res[key]["median"] / ck["median"]
        rows.append((label, seconds(ck["median"]), peer_label[key], seconds(res[key]["median"]), times(speedup[key])))
    for key in ("pandas", "fread"):
        rows.append(("peak RSS, one read a process (GNU time)", megabytes(ck["memory_peak"]), peer_label[key],
                     megabytes(res[key]["memory_peak"]), times(res[key]["memory_peak"] / ck["memory_peak"])))
    mem_label = f"peak RSS / file size ({file_bytes / 1e6:.0f} MB)"
    for key in ("pandas", "fread"):
        rows.append((mem_label, times(ck["memory_peak"] / file_bytes), peer_label[key],
                     times(res[key]["memory_peak"] / file_bytes), times(res[key]["memory_peak"] / ck["memory_peak"])))
    # What the read itself added: peak minus the process's RSS before reading (interpreter, libraries).
    own = {key: res[key]["memory_peak"] - res[key]["memory_start"] for key, _ in TOOLS if res[key].get("memory_start")}
    if "cohortkit" in own:
        for key in ("pandas", "fread"):
            if key in own:
                rows.append((f"(peak - RSS before reading) / file size", times(own["cohortkit"] / file_bytes), peer_label[key],
                             times(own[key] / file_bytes), times(own[key] / own["cohortkit"])))

    ck_mem_ratio = ck["memory_peak"] / file_bytes
    targets = [
        (f"CohortKit at least {TARGET_SPEEDUP['pandas']:g}x faster than pandas.read_csv",
         times(speedup["pandas"]), speedup["pandas"] >= TARGET_SPEEDUP["pandas"]),
        (f"CohortKit at least {TARGET_SPEEDUP['fread']:g}x faster than data.table::fread (default threads: {threads})",
         times(speedup["fread"]), speedup["fread"] >= TARGET_SPEEDUP["fread"]),
        (f"CohortKit peak RSS at most {TARGET_MEMORY_PER_FILE:g}x the file size",
         times(ck_mem_ratio), ck_mem_ratio <= TARGET_MEMORY_PER_FILE),
    ]

    header = ("benchmark", "CohortKit", "peer", "peer value", "ratio (peer/CohortKit)")
    widths = [max(len(r[i]) for r in rows + [header]) for i in range(5)]

    def line(r):
        return "  ".join(str(c).ljust(w) for c, w in zip(r, widths)).rstrip()

    title = (f"CohortKit CSV reader vs peers: {args.rows:,} rows x {args.columns} columns, {file_bytes / 1e6:.0f} MB, "
             f"synthetic cohort export (Benchmarks/make_reader_data.py)")
    out = [title, "", line(header), line(tuple("-" * w for w in widths))] + [line(r) for r in rows]
    out += ["", "targets (shown, not enforced):"]
    for text, value, ok in targets:
        out.append(f"  {text}: {value}  {'met' if ok else 'NOT met'}")
    busy = [(name, res[key]["other_load"]) for key, name in TOOLS
            if res[key]["other_load"] is not None and res[key]["other_load"] > OTHER_LOAD_WARNING]
    for name, load in busy:
        out.append(f"warning: other processes used {load:.2f} CPU cores on average while {name} ran: "
                   "its timings may be distorted")
    print("\n".join(out))

    env = environment()
    binary_sha = None
    snapshot = os.path.join(args.results, "cohort-bench")
    if os.path.exists(snapshot):
        with open(snapshot, "rb") as f:
            binary_sha = hashlib.sha256(f.read()).hexdigest()
    if args.git:
        env["git"] = args.git
    md = [f"# CohortKit benchmark: reading a CSV, {args.rows:,} rows x {args.columns} columns", ""]
    md += [f"- Date: {env['date']}",
           f"- Command: `{args.command}`" + (f" (reader suite: {args.elapsed:.0f} s)" if args.elapsed else ""),
           f"- Machine: {env['cpu']}, nproc = {env['nproc']}, {env['memory']} RAM, {env['os']}, Linux {env['kernel']}",
           f"- Load average (1, 5, 15 min) before the reads: {args.load or '?'}; after: {args.load_after or '?'}",
           f"- CohortKit: git {env['git']}; {env['swift']}; `CSVReader.read(path:)` with default `CSVOptions`"
           + (f"; run from a copy of `{args.binary}` (sha256 {binary_sha[:12]}) taken before the reads" if binary_sha else ""),
           f"- pandas {env['pandas']} (numpy {env['numpy']}, pyarrow {env['pyarrow']}), Python {env['python']}: "
           f"`pandas.read_csv(path)`, defaults (C engine)",
           f"- R {env['r']}, data.table {env['data_table']}: `fread(path)`, defaults; getDTthreads() = {threads}",
           f"- Data: `{os.path.basename(args.data)}`, {file_bytes:,} bytes ({file_bytes / 1e6:.0f} MB), "
           f"synthetic (`Benchmarks/make_reader_data.py`, seed {meta.get('seed', '?')})"
           + (f"; {meta['notes']:,} quoted notes, {meta['notes_with_doubled_quote']:,} with a doubled quote, "
              f"{meta['notes_with_line_break']:,} with a line break inside" if "notes" in meta else ""),
           "- Other processes' CPU use while each tool ran (machine busy time from /proc/stat minus the tool's "
           "own, per second of wall time): " + ", ".join(
               f"{name} {'?' if res[key]['other_load'] is None else format(res[key]['other_load'], '.2f')} cores"
               for key, name in TOOLS)
           + (" (**above " + f"{OTHER_LOAD_WARNING:g}: timings may be distorted**)" if busy else ""),
           f"- Each tool in its own process, {len(ck['times'])} reads timed inside it, median shown; "
           "memory from another process per tool that reads once: peak RSS by GNU time (`/usr/bin/time -f %M`) "
           "for the whole process, start-up included",
           "", "Ratios are peer / CohortKit: above 1 means CohortKit is faster or smaller. "
           "See [Benchmarks/README.md](../README.md) for what each row measures.", ""]
    md += ["| " + " | ".join(header) + " |", "|---|---:|---|---:|---:|"]
    for r in rows:
        md.append("| " + " | ".join(r) + " |")
    md += ["", "## Targets (shown, not enforced)", "", "| target | measured | met |", "|---|---:|---|"]
    for text, value, ok in targets:
        md.append(f"| {text} | {value} | {met(ok)} |")
    md += ["", "## Details", "",
           "| tool | command | rows | columns | median | min | max | all reads | peak RSS (GNU time) | "
           "peak RSS (VmHWM) | RSS at start | process CPU / wall | column types |",
           "|---|---|---:|---:|---:|---:|---:|---|---:|---:|---:|---:|---|"]
    for key, name in TOOLS:
        r = res[key]
        types = r.get("column_types")
        types = ", ".join(f"{k} {v}" for k, v in types.items()) if types else "not reported"
        md.append(f"| {name} | `{r['shown_command']}` | {r['rows']:,} | {r['columns']} | {seconds(r['median'])} | "
                  f"{seconds(min(r['times']))} | {seconds(max(r['times']))} | "
                  f"{', '.join(f'{t:.3f}' for t in r['times'])} | {megabytes(r['maxrss_time'])} | "
                  f"{megabytes(r.get('peak_rss_bytes'))} | {megabytes(r.get('rss_start_bytes'))} | "
                  f"{'n/a' if r['cpu_use'] is None else format(r['cpu_use'], '.2f')} | {types} |")
    md += ["", "Process CPU / wall: GNU time's (user + system) / elapsed for the whole process (start-up included): "
           "about how many cores the tool kept busy. CohortKit chooses its own parallelism; fread runs with its "
           "default thread count; pandas' C parser itself parses on one thread.",
           "", "Raw output: `Benchmarks/.data/results-reader-*/` (not committed).", ""]
    with open(args.markdown, "w") as f:
        f.write("\n".join(md))
    return 0


if __name__ == "__main__":
    sys.exit(main())
