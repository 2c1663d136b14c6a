#!/usr/bin/env python3
"""Synthetic patients and a long lab table for the derive suite of Benchmarks/run.

    make_derive_data.py [--n 100000]

Writes the folder Benchmarks/.data/derive_<tag>/ (<tag>: 10k, 100k, 300k, 1m, else n) with
  patients.csv   one row a patient: patient_id (P0000001 ...), age (18-85), sex (M/F)
  labs.csv       one row a draw: patient_id, day, platelets, fibrinogen, ddimer_xuln, pt_prol, antithrombin
  codebook.yaml  the patient variables, `tables: labs` (file labs.csv, id patient_id, day day) and
                 DERIVED below (14 derived variables: window summaries and the ISTH overt-DIC score)
  meta.json      n, seed, row and missing counts, bytes of both CSVs, a stamp
and prints the folder's path. Regeneration is skipped when meta.json's stamp (n, seed, a hash of this
script) matches and both CSVs have the recorded sizes.

The lab table (numpy, fixed seed; no real patients): for each patient every study day from -2 to 35 has
a draw with probability 0.78 (about 30 draw days), and about 6 % of draw days have a second draw (a
repeated day), so about 31 rows a patient; rows are in patient then day order, as a lab export is.
Values follow a dip after day 0 whose depth varies by patient (about a quarter of patients have a
severe one, so ISTH scores of 5 or more occur): platelets (integer, x10^9/L), fibrinogen (g/L, 2
decimals), D-dimer (x ULN, 2 decimals), PT prolongation (s, 1 decimal), antithrombin (integer, %).
Each value is missing (an empty field) with probability 0.03, independently. At n = 100,000 the lab
table is about 3.1 million rows, 105 MB.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os

import numpy as np
import pandas as pd

SEED = 20261216
FIRST_DAY, LAST_DAY = -2, 35
P_DAY = 0.78          # a draw on a given day
P_REPEAT = 0.06       # a second draw on a draw day
P_MISSING = 0.03      # each value, independently
LABS = ["platelets", "fibrinogen", "ddimer_xuln", "pt_prol", "antithrombin"]

ISTH = "isth_dic_score(labs.platelets, labs.ddimer_xuln, labs.pt_prol, labs.fibrinogen)"
W = "days = 0...28"
# name -> formula (the peers implement each of these; keep them in step)
DERIVED = [
    ("plt_baseline", "last(labs.platelets, days = -2...0)"),
    ("plt_nadir", f"min(labs.platelets, {W})"),
    ("plt_first", f"first(labs.platelets, {W})"),
    ("plt_count", f"count(labs.platelets, {W})"),
    ("plt_days_below50", f"days_below(labs.platelets, 50, {W})"),
    ("plt_auc", f"auc(labs.platelets, {W})"),
    ("fib_min", f"min(labs.fibrinogen, {W})"),
    ("fib_mean", f"mean(labs.fibrinogen, {W})"),
    ("fib_low_onset", f"first_day(labs.fibrinogen < 1.5, {W})"),
    ("ddimer_peak", f"max(labs.ddimer_xuln, {W})"),
    ("pt_peak", f"max(labs.pt_prol, {W})"),
    ("at_last", f"last(labs.antithrombin, {W})"),
    ("isth_max", f"max({ISTH}, {W})"),
    ("isth_onset", f"first_day({ISTH} >= 5, {W})"),
]

CODEBOOK_HEAD = """\
# Benchmarks/make_derive_data.py: SYNTHETIC patients and lab draws for the derive suite (no real patients).
variables:
  patient_id: identifier
  age: integer
  sex: {type: categorical, levels: [F, M]}
tables:
  labs:
    file: labs.csv
    id: patient_id
    day: day
    variables:
      platelets: {type: real, unit: x10^9/L, range: [0, 2000]}
      fibrinogen: {type: real, unit: g/L, range: [0, 20]}
      ddimer_xuln: {type: real, unit: xULN, range: [0, 1000]}
      pt_prol: {type: real, unit: s, range: [0, 200]}
      antithrombin: {type: real, unit: "%", range: [0, 200]}
derived:
"""


def tag(n: int) -> str:
    if n % 1_000_000 == 0:
        return f"{n // 1_000_000}m"
    if n % 1_000 == 0:
        return f"{n // 1_000}k"
    return str(n)


def formatted(x: np.ndarray, decimals: int, missing: np.ndarray) -> np.ndarray:
    """x as text with `decimals` decimals (integers when 0); '' where missing."""
    if decimals == 0:
        text = x.astype(np.int64).astype(str)
    else:
        text = np.char.mod(f"%.{decimals}f", x)
    return np.where(missing, "", text)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=100_000)
    args = ap.parse_args()
    n = args.n
    here = os.path.dirname(os.path.abspath(__file__))
    out = os.path.join(here, ".data", f"derive_{tag(n)}")
    os.makedirs(out, exist_ok=True)
    paths = {k: os.path.join(out, f) for k, f in
             (("patients", "patients.csv"), ("labs", "labs.csv"), ("codebook", "codebook.yaml"), ("meta", "meta.json"))}
    with open(os.path.abspath(__file__), "rb") as f:
        stamp = hashlib.sha256(f.read() + f"{n}:{SEED}".encode()).hexdigest()[:16]
    if all(os.path.exists(p) for p in paths.values()):
        with open(paths["meta"]) as f:
            meta = json.load(f)
        if meta.get("stamp") == stamp and all(os.path.getsize(paths[k]) == meta["bytes"][k] for k in ("patients", "labs")):
            print(out)
            return

    rng = np.random.default_rng(SEED)
    ids = np.char.add("P", np.char.zfill(np.arange(1, n + 1).astype(str), 7))
    age = rng.integers(18, 86, n)
    sex = np.where(rng.random(n) < 0.42, "F", "M")
    pd.DataFrame({"patient_id": ids, "age": age, "sex": sex}).to_csv(paths["patients"], index=False, lineterminator="\n")

    # Draw days: an n x 38 grid of (patient, day) kept with P_DAY; some kept days drawn twice.
    days = np.arange(FIRST_DAY, LAST_DAY + 1)
    keep = rng.random((n, days.size)) < P_DAY
    repeat = keep & (rng.random((n, days.size)) < P_REPEAT)
    copies = keep.astype(np.int64) + repeat
    patient = np.repeat(np.repeat(np.arange(n), days.size), copies.ravel())
    day = np.repeat(np.tile(days, n), copies.ravel())
    rows = patient.size

    # Per patient: baseline platelets, nadir day and dip depth (a quarter severe).
    base = np.exp(rng.normal(np.log(210), 0.3, n))
    nadir = rng.integers(4, 15, n)
    severe = rng.random(n) < 0.25
    depth = np.where(severe, rng.uniform(0.6, 0.97, n), rng.uniform(0.05, 0.5, n))
    d = day.astype(float)
    after = np.where(d > nadir[patient], 14.0, 6.0)
    dip = np.where(d >= 0, depth[patient] * np.maximum(0.0, 1 - np.abs(d - nadir[patient]) / after), 0.0)

    plt = np.maximum(0, np.round(base[patient] * (1 - dip) * np.exp(rng.normal(0, 0.08, rows))))
    fib = np.maximum(0.1, rng.normal(3.3 - 2.7 * dip, 0.35, rows))
    ddimer = np.maximum(0.2, np.exp(rng.normal(np.log(1 + 7 * dip), 0.3, rows)))
    pt = np.maximum(0.0, rng.normal(0.8 + 7.5 * dip, 0.6, rows))
    at = np.maximum(10, np.round(rng.normal(96 - 45 * dip, 6, rows)))
    missing = rng.random((len(LABS), rows)) < P_MISSING

    labs = pd.DataFrame({
        "patient_id": ids[patient],
        "day": day,
        "platelets": formatted(plt, 0, missing[0]),
        "fibrinogen": formatted(fib, 2, missing[1]),
        "ddimer_xuln": formatted(ddimer, 2, missing[2]),
        "pt_prol": formatted(pt, 1, missing[3]),
        "antithrombin": formatted(at, 0, missing[4]),
    })
    labs.to_csv(paths["labs"], index=False, lineterminator="\n")
    with open(paths["codebook"], "w") as f:
        f.write(CODEBOOK_HEAD + "".join(f"  {name}: {formula}\n" for name, formula in DERIVED))

    meta = {
        "n": n, "seed": SEED, "lab_rows": int(rows), "rows_per_patient": rows / n,
        "missing_values": {c: int(m.sum()) for c, m in zip(LABS, missing)},
        "repeated_days": int(repeat.sum()), "severe_patients": int(severe.sum()),
        "derived": [name for name, _ in DERIVED],
        "bytes": {k: os.path.getsize(paths[k]) for k in ("patients", "labs")},
        "stamp": stamp,
    }
    with open(paths["meta"], "w") as f:
        json.dump(meta, f, indent=1)
    print(out)


if __name__ == "__main__":
    main()
