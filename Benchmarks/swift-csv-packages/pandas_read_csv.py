#!/usr/bin/env python3
"""Time pandas.read_csv(path) the same way swift-csv-packages-bench times the Swift packages.

    pandas_read_csv.py FILE.csv [--repeats N]

Times the call `pandas.read_csv(path)` alone (defaults: C engine, header row, type inference, '' and 'NA'
read as missing), N times in one process (default 3), with time.perf_counter (wall) and time.process_time (CPU). The import of pandas is
outside the timing. Unlike the Swift rows, the file's read is inside the call (from the page cache after the
first repeat). Prints one JSON line like the Swift tool's: tool, version, api, repeats, times_s, median_s,
mb_per_s (file bytes / 1e6 / median_s), cpu_times_s and median_cpu_s (time.process_time), rows, columns, cells, missing_cells, file_bytes.
"""
import argparse
import json
import os
import statistics
import time

import pandas


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("path")
    ap.add_argument("--repeats", type=int, default=3)
    a = ap.parse_args()
    if a.repeats < 1:
        ap.error("--repeats needs N >= 1")
    times, cpu = [], []
    df = None
    for _ in range(a.repeats):
        del df  # free the previous frame before the next call, as the Swift tool drops its rows
        c0, t0 = time.process_time(), time.perf_counter()
        df = pandas.read_csv(a.path)
        times.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
    med = statistics.median(times)
    size = os.path.getsize(a.path)
    print(json.dumps({
        "key": "pandas",
        "tool": "pandas",
        "version": pandas.__version__,
        "api": "pandas.read_csv(path)",
        "repeats": a.repeats,
        "times_s": [round(t, 6) for t in times],
        "median_s": round(med, 6),
        "mb_per_s": round(size / 1e6 / med, 3),
        "cpu_times_s": [round(t, 6) for t in cpu],
        "median_cpu_s": round(statistics.median(cpu), 6),
        "rows": int(df.shape[0]),
        "columns": int(df.shape[1]),
        "cells": int(df.size),
        "missing_cells": int(df.isna().sum().sum()),
        "dtypes": {c: str(t) for c, t in df.dtypes.items()},
        "file_bytes": size,
    }))


if __name__ == "__main__":
    main()
