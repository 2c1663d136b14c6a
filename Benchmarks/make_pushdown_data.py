#!/usr/bin/env python3
"""A synthetic cohort table for the pushdown suite of Benchmarks/run (issue 17).

    make_pushdown_data.py [--n 1000000]

Writes Benchmarks/.data/pushdown/pushdown_<n>.csv (a header, then one row a patient, ready for
PostgreSQL's COPY ... CSV HEADER) and prints its path. Regeneration is skipped when the file's stamp
(pushdown_<n>.stamp: n, seed, a hash of this script) matches.

Columns (numpy, fixed seed; SYNTHETIC, no real patients):
  id       1..n (used only to split the table into sites: id % k)
  y        0/1 outcome
  age      integer years, 18-85
  ldh      integer U/L, log-normal around 250
  sex      F / M                         (2-level factor, reference F)
  risk     low / intermediate / high     (3-level factor, reference low)
  treated  0/1
The model y ~ age + ldh + sex + risk + treated has 7 parameters; the true log odds are
-3 + 0.02 age + 0.002 ldh + 0.2 [M] + 0.5 [intermediate] + 1.0 [high] - 0.4 treated (about 26 % events).
No value is missing. At n = 10,000,000 the file is about 340 MB.
"""
from __future__ import annotations

import argparse
import hashlib
import os

import numpy as np
import pandas as pd

SEED = 20261217
HERE = os.path.dirname(os.path.abspath(__file__))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=1_000_000)
    args = parser.parse_args()
    n = args.n
    out_dir = os.path.join(HERE, ".data", "pushdown")
    os.makedirs(out_dir, exist_ok=True)
    path = os.path.join(out_dir, f"pushdown_{n}.csv")
    with open(os.path.abspath(__file__), "rb") as f:
        stamp = f"{n} {SEED} {hashlib.sha256(f.read()).hexdigest()[:16]}\n"
    stamp_path = os.path.join(out_dir, f"pushdown_{n}.stamp")
    if os.path.exists(path) and os.path.exists(stamp_path) and open(stamp_path).read() == stamp:
        print(path)
        return
    rng = np.random.default_rng(SEED)
    age = rng.integers(18, 86, size=n)
    ldh = np.clip(np.rint(rng.lognormal(np.log(250.0), 0.4, size=n)), 80, 3000).astype(np.int64)
    male = rng.random(n) < 0.55
    risk = rng.choice(3, size=n, p=[0.5, 0.3, 0.2])
    treated = (rng.random(n) < 0.4).astype(np.int64)
    eta = -3.0 + 0.02 * age + 0.002 * ldh + 0.2 * male + np.array([0.0, 0.5, 1.0])[risk] - 0.4 * treated
    y = (rng.random(n) < 1.0 / (1.0 + np.exp(-eta))).astype(np.int64)
    frame = pd.DataFrame({
        "id": np.arange(1, n + 1),
        "y": y,
        "age": age,
        "ldh": ldh,
        "sex": np.where(male, "M", "F"),
        "risk": np.array(["low", "intermediate", "high"])[risk],
        "treated": treated,
    })
    tmp = path + ".tmp"
    frame.to_csv(tmp, index=False)
    os.replace(tmp, path)
    with open(stamp_path, "w") as f:
        f.write(stamp)
    print(path)


if __name__ == "__main__":
    main()
