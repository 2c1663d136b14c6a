#!/usr/bin/env python3
"""Synthetic competing-risks cohorts with covariates for the survival suite of Benchmarks/run.

    make_survival_data.py [--n 1000000]

Writes Benchmarks/.data/survival_<tag>.csv (<tag>: 10k, 30k, 100k, 300k, 1m, else n) and a sidecar
survival_<tag>.json (n, seed, counts, stamp); prints the CSV's path. Regeneration is skipped when the
sidecar's stamp (n, seed, a hash of this script) matches and the CSV has the recorded size. Each size is
drawn with the same seed, so the files are not nested samples of one another: each is a cohort of its own.

Columns, one row a patient (numpy, fixed seed; no real data):

  time     whole days, 1-1825: the first of the event times and censoring, rounded up (so ties are
           common, as in real data: at most 1,825 distinct times at any n)
  status   0 censored (about 40 %), 1 the event of interest (about 40 %), 2 the competing event
           (about 20 %)
  age      years, 18-90, 1 decimal (3 significant digits)
  albumin  g/dL, 1.5-5.5, 3 significant digits
  ldh      LDH / upper limit of normal, log-normal, 2 significant digits
  male     0/1 (about 55 % 1)
  prior    0/1, prior line of therapy (about 30 % 1)

Event times are exponential with cause-specific hazards h_k(t | x) = lambda_k exp(beta_k' x), so both
the cause-specific Cox model of event 1 (cohort cox, coxph) and the Fine-Gray model (cohort finegray,
crr) have every coefficient clearly away from 0; censoring is uniform on 0-1825 days. The linear
predictors are computed from the values as written, so the CSV holds exactly the data that was drawn.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os

import numpy as np

SEED = 20261203
HORIZON = 1825                      # days: uniform censoring on (0, HORIZON)
RATE = (1 / 1600, 1 / 2700)         # baseline hazards per day of event 1 and event 2
BETA1 = {"age": 0.02, "albumin": -0.4, "ldh": 0.25, "male": 0.2, "prior": 0.35}
BETA2 = {"age": 0.01, "albumin": -0.2, "ldh": 0.1, "male": 0.1, "prior": -0.15}
CENTRE = {"age": 62.0, "albumin": 3.8, "ldh": 1.0, "male": 0.0, "prior": 0.0}


def tag(n: int) -> str:
    if n % 1_000_000 == 0:
        return f"{n // 1_000_000}m"
    if n % 1_000 == 0:
        return f"{n // 1_000}k"
    return str(n)


def significant(x: np.ndarray, digits: int) -> np.ndarray:
    """x rounded to `digits` significant digits (as %.{digits}g writes it)."""
    scale = 10.0 ** (digits - 1 - np.floor(np.log10(np.abs(x))))
    return np.round(x * scale) / scale


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=1_000_000)
    args = ap.parse_args()
    n = args.n
    here = os.path.dirname(os.path.abspath(__file__))
    out = os.path.join(here, ".data")
    os.makedirs(out, exist_ok=True)
    csv_path = os.path.join(out, f"survival_{tag(n)}.csv")
    meta_path = os.path.join(out, f"survival_{tag(n)}.json")
    with open(os.path.abspath(__file__), "rb") as f:
        stamp = hashlib.sha256(f.read() + f"{n}:{SEED}".encode()).hexdigest()[:16]
    if os.path.exists(csv_path) and os.path.exists(meta_path):
        with open(meta_path) as f:
            meta = json.load(f)
        if meta.get("stamp") == stamp and os.path.getsize(csv_path) == meta.get("bytes"):
            print(csv_path)
            return

    rng = np.random.default_rng(SEED)
    x = {
        "age": np.round(np.clip(rng.normal(62, 12, n), 18, 90), 1),
        "albumin": significant(np.clip(rng.normal(3.8, 0.5, n), 1.5, 5.5), 3),
        "ldh": significant(rng.lognormal(0.0, 0.5, n), 2),
        "male": (rng.random(n) < 0.55).astype(np.int64),
        "prior": (rng.random(n) < 0.30).astype(np.int64),
    }
    lp1 = sum(b * (x[k] - CENTRE[k]) for k, b in BETA1.items())
    lp2 = sum(b * (x[k] - CENTRE[k]) for k, b in BETA2.items())
    t1 = rng.exponential(1.0 / (RATE[0] * np.exp(lp1)))
    t2 = rng.exponential(1.0 / (RATE[1] * np.exp(lp2)))
    censor = rng.uniform(0, HORIZON, n)
    first = np.minimum(np.minimum(t1, t2), censor)
    status = np.where(first == censor, 0, np.where(first == t1, 1, 2))
    time = np.ceil(first).astype(np.int64)   # whole days, >= 1

    with open(csv_path, "w") as f:
        f.write("time,status,age,albumin,ldh,male,prior\n")
        f.writelines(f"{t},{s},{a:.1f},{al:.3g},{l:.2g},{m},{p}\n"
                     for t, s, a, al, l, m, p in zip(time.tolist(), status.tolist(), x["age"].tolist(),
                                                     x["albumin"].tolist(), x["ldh"].tolist(),
                                                     x["male"].tolist(), x["prior"].tolist()))
    meta = {"n": n, "seed": SEED, "stamp": stamp, "bytes": os.path.getsize(csv_path),
            "covariates": list(BETA1), "beta_event1": BETA1, "beta_event2": BETA2,
            "distinct_times": int(np.unique(time).size),
            "status_counts": {str(k): int((status == k).sum()) for k in (0, 1, 2)}}
    with open(meta_path, "w") as f:
        json.dump(meta, f, indent=2)
    print(csv_path)


if __name__ == "__main__":
    main()
