#!/usr/bin/env python3
"""Synthetic cohort for the formula suite of Benchmarks/run: one CSV holding both a formula model's
variables and that model's design columns, precomputed.

    make_formula_data.py [--n 1000000]

Writes Benchmarks/.data/formula_<tag>.csv (<tag>: 10k, 100k, 1m, else n) and formula_<tag>.json (n, seed,
knots, bytes, a stamp) and prints the CSV's path. Regeneration is skipped when the stamp (n, seed, a hash
of this script) matches and the CSV has the recorded size.

Columns (numpy, fixed seed; no real patients):
  y      0/1 from a logistic model with an age:smoke interaction, a race effect and nonlinear lwt and ldh
  age    years, 18-90, 1 decimal
  smoke  0/1
  race   text: white, black, other (CohortKit and R both take the first sorted level, black, as reference)
  lwt    weight, lb, 3 decimals (continuous: no value holds 5 % of the rows, so no end-tie rule applies)
  ldh    U/L, log-normal, 3 decimals (likewise)
  p1..p11  the design columns, without the intercept, of
           y ~ age * smoke + race + rcs(lwt, 4) + rcs(ldh, 4)
         in CohortKit's column order (each term's columns where the term first appears: R puts age:smoke last):
         age, smoke, age:smoke, race[other], race[white], lwt, lwt', lwt'', ldh, ldh', ldh''. The spline columns use the same knots (rms / Hmisc::rcspline.eval's default:
         type-7 quantiles at seq(.05, .95, length = 4), n >= 100, no heavy end ties) and the same arithmetic,
         operation for operation, as Sources/CohortStats/Regression/Formula/RestrictedCubicSpline.swift, and
         are written with Python's shortest round-trip repr, so `--covariates p1,...,p11` fits the same
         numbers as `--formula` and both fits do the same numerical work.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os

import numpy as np

SEED = 20261203
FORMULA = "y ~ age * smoke + race + rcs(lwt, 4) + rcs(ldh, 4)"
DESIGN = ["age", "smoke", "age:smoke", "race[other]", "race[white]", "lwt", "lwt'", "lwt''", "ldh", "ldh'", "ldh''"]
PLAIN = [f"p{i}" for i in range(1, len(DESIGN) + 1)]


def tag(n: int) -> str:
    if n % 1_000_000 == 0:
        return f"{n // 1_000_000}m"
    if n % 1_000 == 0:
        return f"{n // 1_000}k"
    return str(n)


def r_seq(start: float, stop: float, count: int) -> list[float]:
    """R's seq(from, to, length.out = count): from + i*by inside, to itself last."""
    by = (stop - start) / (count - 1)
    return [start] + [start + i * by for i in range(1, count - 1)] + [stop]


def type7(sorted_x: np.ndarray, p: float) -> float:
    """R's quantile(type = 7), step for step as Quantiles.type7 (CohortStats) computes it."""
    index = 1 + float(len(sorted_x) - 1) * p
    lower_index = float(np.floor(index))
    lower = int(lower_index) - 1
    fraction = index - lower_index
    if lower + 1 >= len(sorted_x) or not fraction > 0 or sorted_x[lower + 1] == sorted_x[lower]:
        return float(sorted_x[lower])
    return float((1 - fraction) * sorted_x[lower] + fraction * sorted_x[lower + 1])


def default_knots(x: np.ndarray, k: int = 4) -> list[float]:
    """Harrell's default knots for k = 4..6 in the case this data is built for (n >= 100, more than k + 2
    distinct values, no value at either end holding 5 % of the rows); asserts that case holds."""
    assert 4 <= k <= 6
    xs = np.sort(x)
    n = len(xs)
    values, counts = np.unique(xs, return_counts=True)
    assert n >= 100 and len(values) - 2 > k, "the simple knot rule needs n >= 100 and many distinct values"
    assert counts.max() / n < 0.05, "a value holds 5 % of the rows: the end-tie rule would apply"
    knots = [type7(xs, p) for p in r_seq(0.05, 0.95, k)]
    assert len(set(knots)) == k
    return sorted(knots)


def rcs_columns(x: np.ndarray, knots: list[float]) -> list[np.ndarray]:
    """x and the k - 2 nonlinear columns, as RestrictedCubicSpline.value computes them."""
    k = len(knots)
    last, penultimate = knots[k - 1], knots[k - 2]
    scale = (last - knots[0]) * (last - knots[0])
    d_last = np.maximum(x - last, 0.0)
    d_pen = np.maximum(x - penultimate, 0.0)
    cube_last = d_last * d_last * d_last
    cube_pen = d_pen * d_pen * d_pen
    out = [x]
    for j in range(1, k - 1):
        t = knots[j - 1]
        d = np.maximum(x - t, 0.0)
        out.append((d * d * d + ((penultimate - t) * cube_last - (last - t) * cube_pen) / (last - penultimate)) / scale)
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=1_000_000)
    args = ap.parse_args()
    n = args.n
    here = os.path.dirname(os.path.abspath(__file__))
    out = os.path.join(here, ".data")
    os.makedirs(out, exist_ok=True)
    csv_path = os.path.join(out, f"formula_{tag(n)}.csv")
    meta_path = os.path.join(out, f"formula_{tag(n)}.json")
    with open(os.path.abspath(__file__), "rb") as f:
        stamp = hashlib.sha256(f.read() + f"{n}:{SEED}".encode()).hexdigest()[:16]
    if os.path.exists(csv_path) and os.path.exists(meta_path):
        with open(meta_path) as f:
            meta = json.load(f)
        if meta.get("stamp") == stamp and os.path.getsize(csv_path) == meta.get("bytes"):
            print(csv_path)
            return

    rng = np.random.default_rng(SEED)
    # Rounded through their CSV text, so that the design is computed from the numbers a reader parses.
    age_text = [f"{v:.1f}" for v in np.clip(rng.normal(55, 12, n), 18, 90).tolist()]
    age = np.array(age_text, dtype=float)
    smoke = (rng.random(n) < 0.35).astype(np.int64)
    race_levels = np.array(["white", "black", "other"])
    race_code = rng.choice(3, size=n, p=[0.55, 0.25, 0.20])
    race = race_levels[race_code]
    lwt_text = [f"{v:.3f}" for v in np.clip(rng.normal(140, 25, n), 70, 260).tolist()]
    lwt = np.array(lwt_text, dtype=float)
    ldh_text = [f"{v:.3f}" for v in rng.lognormal(np.log(250), 0.35, n).tolist()]
    ldh = np.array(ldh_text, dtype=float)
    # The truth (not a spline): a U shape in lwt, a log-linear ldh effect with a plateau, an age:smoke interaction.
    eta = (-1.2 + 0.02 * (age - 55) + 0.6 * smoke + 0.015 * (age - 55) * smoke
           + np.where(race == "black", 0.4, 0.0) + np.where(race == "other", 0.2, 0.0)
           + 0.0004 * (lwt - 140) ** 2 - 0.005 * (lwt - 140)
           + 0.8 * np.tanh(np.log(ldh / 250) * 2))
    y = (rng.random(n) < 1 / (1 + np.exp(-eta))).astype(np.int64)

    knots = {"lwt": default_knots(lwt), "ldh": default_knots(ldh)}
    design = [age, smoke.astype(float), age * smoke.astype(float),
              (race == "other").astype(float), (race == "white").astype(float),
              *rcs_columns(lwt, knots["lwt"]), *rcs_columns(ldh, knots["ldh"])]
    assert len(design) == len(DESIGN)

    def fmt(a: np.ndarray) -> list[str]:
        return [repr(v) for v in a.tolist()]

    columns = [[str(v) for v in y.tolist()], age_text, [str(v) for v in smoke.tolist()], race.tolist(), lwt_text,
               ldh_text] + [fmt(c) for c in design]
    tmp = csv_path + ".tmp"
    with open(tmp, "w") as f:
        f.write(",".join(["y", "age", "smoke", "race", "lwt", "ldh"] + PLAIN) + "\n")
        f.writelines(",".join(row) + "\n" for row in zip(*columns))
    os.replace(tmp, csv_path)
    meta = {"n": n, "seed": SEED, "stamp": stamp, "bytes": os.path.getsize(csv_path), "formula": FORMULA,
            "design": dict(zip(PLAIN, DESIGN)), "knots": knots, "events": int(y.sum()),
            "race_counts": {lv: int((race == lv).sum()) for lv in sorted(race_levels)}}
    with open(meta_path, "w") as f:
        json.dump(meta, f, indent=2)
    print(csv_path)


if __name__ == "__main__":
    main()
