#!/usr/bin/env python3
"""Peer for the in-memory fit benchmark: statsmodels' Logit, default Newton.

    statsmodels_fit.py FILE.bin P [REPEATS]

Loads Benchmarks/make_data.py's .bin (little-endian float64 column blocks y, x1..xP) into a
Fortran-ordered n x (P+1) design with the intercept first, one column at a time (outside the timing),
then times ``sm.Logit(y, X).fit(disp=0)`` REPEATS times. Prints one JSON line.
"""
import json
import os
import resource
import statistics
import sys
import time

import numpy as np
import statsmodels
import statsmodels.api as sm

from proc_status import proc_status_bytes  # noqa: E402 (peers/ is on sys.path: the script's folder)


def main():
    path, p = sys.argv[1], int(sys.argv[2])
    repeats = int(sys.argv[3]) if len(sys.argv) > 3 else 5
    rss_start = proc_status_bytes("VmRSS")
    t0 = time.perf_counter()
    n = os.path.getsize(path) // ((p + 1) * 8)
    X = np.empty((n, p + 1), order="F")
    X[:, 0] = 1.0
    with open(path, "rb") as f:
        y = np.fromfile(f, dtype="<f8", count=n)
        for j in range(1, p + 1):
            X[:, j] = np.fromfile(f, dtype="<f8", count=n)
    load_seconds = time.perf_counter() - t0
    rss_before_fit = proc_status_bytes("VmRSS")

    times = []
    result = None
    for _ in range(repeats):
        start = time.perf_counter()
        result = sm.Logit(y, X).fit(disp=0)
        times.append(time.perf_counter() - start)

    out = {
        "tool": "statsmodels",
        "call": "sm.Logit(y, X).fit(disp=0)",
        "version": statsmodels.__version__,
        "numpy": np.__version__,
        "n": n,
        "p": p,
        "repeats": repeats,
        "times": times,
        "median": statistics.median(times),
        "load_seconds": load_seconds,
        "iterations": int(result.mle_retvals.get("iterations", -1)),
        "converged": bool(result.mle_retvals.get("converged", False)),
        "loglik": float(result.llf),
        "coefficients": [float(b) for b in result.params],
        "standard_errors": [float(s) for s in result.bse],
        "rss_start_bytes": rss_start,
        "rss_before_fit_bytes": rss_before_fit,
        "peak_rss_bytes": proc_status_bytes("VmHWM"),
        "ru_maxrss_bytes": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024,  # KiB on Linux
        "design_bytes": n * (p + 1) * 8,
    }
    print(json.dumps(out))


if __name__ == "__main__":
    main()
