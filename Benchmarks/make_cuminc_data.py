#!/usr/bin/env python3
"""Synthetic competing-risks data for the cuminc suite of Benchmarks/run.

    make_cuminc_data.py [--n 1000000]

Writes Benchmarks/.data/cuminc_<tag>.csv (<tag>: 1m for 1,000,000, 100k for 100,000, else n) and a sidecar
cuminc_<tag>.json (n, seed, counts, stamp); prints the CSV's path. Regeneration is skipped when the sidecar's
stamp (n, seed, a hash of this script) matches and the CSV has the recorded size.

Columns, one row a patient (numpy, fixed seed; no real data):

  time    days to the first event or censoring, 2 decimals: min(event time, censoring time), event times
          exponential with group-dependent rates, censoring uniform on 0-2000 days; many distinct
          values (141,285) at n = 1e6, so ties are common but most times are distinct
  status  0 censored (about 25 %), 1 the event of interest (about 44 %), 2 the competing event (about 32 %)
  group   a / b / c (40 / 35 / 25 %); the rate of event 1 differs between groups, event 2 does not
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os

import numpy as np

SEED = 20261122


def tag(n: int) -> str:
    return {1_000_000: "1m", 100_000: "100k"}.get(n, str(n))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=1_000_000)
    args = ap.parse_args()
    n = args.n
    here = os.path.dirname(os.path.abspath(__file__))
    out = os.path.join(here, ".data")
    os.makedirs(out, exist_ok=True)
    csv_path = os.path.join(out, f"cuminc_{tag(n)}.csv")
    meta_path = os.path.join(out, f"cuminc_{tag(n)}.json")
    with open(os.path.abspath(__file__), "rb") as f:
        stamp = hashlib.sha256(f.read() + f"{n}:{SEED}".encode()).hexdigest()[:16]
    if os.path.exists(csv_path) and os.path.exists(meta_path):
        with open(meta_path) as f:
            meta = json.load(f)
        if meta.get("stamp") == stamp and os.path.getsize(csv_path) == meta.get("bytes"):
            print(csv_path)
            return

    rng = np.random.default_rng(SEED)
    group = rng.choice(3, size=n, p=[0.40, 0.35, 0.25])
    rate1 = np.array([1 / 900, 1 / 700, 1 / 1100])[group]
    rate2 = np.full(n, 1 / 1200)
    t1 = rng.exponential(1 / rate1)
    t2 = rng.exponential(1 / rate2)
    censor = rng.uniform(0, 2000, size=n)
    time = np.minimum(np.minimum(t1, t2), censor)
    status = np.where(time == censor, 0, np.where(time == t1, 1, 2))
    time = np.round(time, 2)
    labels = np.array(["a", "b", "c"])[group]
    with open(csv_path, "w") as f:
        f.write("time,status,group\n")
        f.writelines(f"{t:.2f},{s},{g}\n" for t, s, g in zip(time, status, labels))
    meta = {"n": n, "seed": SEED, "stamp": stamp, "bytes": os.path.getsize(csv_path),
            "distinct_times": int(np.unique(time).size),
            "status_counts": {str(k): int((status == k).sum()) for k in (0, 1, 2)},
            "group_counts": {g: int((labels == g).sum()) for g in ("a", "b", "c")}}
    with open(meta_path, "w") as f:
        json.dump(meta, f, indent=2)
    print(csv_path)


if __name__ == "__main__":
    main()
