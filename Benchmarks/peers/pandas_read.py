#!/usr/bin/env python3
"""Peer for the reader benchmark: pandas.read_csv with its defaults (C engine).

    pandas_read.py FILE.csv [--repeats N]

Times ``pd.read_csv(FILE)`` N times (default 5) in this process and prints one JSON line in
cohort-bench's shape: tool, call, rows, columns, times, median, peak_rss_bytes (VmHWM of this process),
plus the pandas version and the dtypes it chose. The previous DataFrame is dropped before each read,
as CohortKit's loop does, so the peak holds one table at a time.
"""
import argparse
import gc
import json
import statistics
import sys
import time

import pandas as pd

from proc_status import proc_status_bytes  # noqa: E402 (peers/ is on sys.path: the script's folder)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("file")
    ap.add_argument("--repeats", type=int, default=5)
    args = ap.parse_args()
    rss_start = proc_status_bytes("VmRSS")
    times = []
    df = None
    rows = columns = 0
    dtypes = {}
    for _ in range(args.repeats):
        df = None
        gc.collect()
        start = time.perf_counter()
        df = pd.read_csv(args.file)
        times.append(time.perf_counter() - start)
        rows, columns = df.shape
    for dtype in df.dtypes:
        dtypes[str(dtype)] = dtypes.get(str(dtype), 0) + 1
    print(json.dumps({
        "tool": "pandas",
        "call": "pandas.read_csv",
        "version": pd.__version__,
        "rows": int(rows),
        "columns": int(columns),
        "times": times,
        "median": statistics.median(times),
        "peak_rss_bytes": proc_status_bytes("VmHWM"),
        "rss_start_bytes": rss_start,
        "column_types": dtypes,
    }))


if __name__ == "__main__":
    sys.exit(main())
