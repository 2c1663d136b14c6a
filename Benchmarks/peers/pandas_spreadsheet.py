#!/usr/bin/env python3
"""Spreadsheet suite's pandas peer: read one Excel workbook or Stata file, the way a pandas user would.

    pandas_spreadsheet.py FILE.xlsx|FILE.dta

.xlsx: pandas.read_excel(FILE, engine="openpyxl") (the first sheet, all defaults otherwise);
.dta:  pandas.read_stata(FILE) (all defaults).

Prints one JSON line: tool, call, rows, columns, read_seconds (the read call alone, in-process),
import_seconds (importing pandas and openpyxl), peak_rss_bytes (VmHWM) and the versions. The harness
times the whole process from outside (as it times cohort), and checks rows against CohortKit's.
"""
import json
import sys
import time

t0 = time.perf_counter()
import pandas as pd
import openpyxl
t1 = time.perf_counter()


def vm_hwm():
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    return None


path = sys.argv[1]
if path.endswith(".xlsx"):
    call = 'pandas.read_excel(FILE, engine="openpyxl")'
    start = time.perf_counter()
    df = pd.read_excel(path, engine="openpyxl")
else:
    call = "pandas.read_stata(FILE)"
    start = time.perf_counter()
    df = pd.read_stata(path)
elapsed = time.perf_counter() - start
print(json.dumps({
    "tool": "pandas", "call": call, "file": path, "rows": int(df.shape[0]), "columns": int(df.shape[1]),
    "read_seconds": elapsed, "import_seconds": t1 - t0, "peak_rss_bytes": vm_hwm(),
    "pandas": pd.__version__, "openpyxl": openpyxl.__version__,
}))
