#!/usr/bin/env python3
"""Generate the synthetic logistic-regression fixture datasets for CohortKit.

All data are synthetic (no real patients). Every dataset is drawn from its own
numpy Generator, np.random.default_rng(SEED + k), so that changing one dataset
never changes another. Running this script twice produces byte-identical CSVs.

Output: Tests/Fixtures/logistic/data/*.csv (header row, comma separated, LF
line endings, missing values written as empty fields).

Usage (from the repository root):
    python3 Tests/References/generate_logistic_datasets.py
"""

from __future__ import annotations

import os
import sys

import numpy as np

SEED = 20240611

REPO_ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
OUT_DIR = os.path.join(REPO_ROOT, "Tests", "Fixtures", "logistic", "data")


def expit(eta: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-eta))


def fmt(values: np.ndarray, decimals: int) -> list[str]:
    """Fixed-precision formatting without negative zero."""
    rounded = np.round(np.asarray(values, dtype=float), decimals) + 0.0
    return [f"{v:.{decimals}f}" for v in rounded]


def fmt_int(values: np.ndarray) -> list[str]:
    return [str(int(v)) for v in values]


def write_csv(name: str, header: list[str], columns: list[list[str]]) -> None:
    n = len(columns[0])
    assert all(len(c) == n for c in columns), name
    path = os.path.join(OUT_DIR, name)
    with open(path, "w", encoding="ascii", newline="\n") as fh:
        fh.write(",".join(header) + "\n")
        for i in range(n):
            fh.write(",".join(c[i] for c in columns) + "\n")


def with_missing(strings: list[str], mask: np.ndarray) -> list[str]:
    return ["" if m else s for s, m in zip(strings, mask)]


# ---------------------------------------------------------------------------
# 1. mixed.csv: numeric, binary string and 3-level categorical covariates
# ---------------------------------------------------------------------------
def make_mixed() -> None:
    rng = np.random.default_rng(SEED + 1)
    n = 200
    age = np.round(rng.normal(62.0, 11.0, n), 1)
    sex = rng.choice(np.array(["F", "M"]), size=n, p=[0.48, 0.52])
    stage = rng.choice(np.array(["I", "II", "III"]), size=n, p=[0.36, 0.34, 0.30])
    lab = np.round(np.exp(rng.normal(np.log(100.0), 0.25, n)), 2)
    eta = (
        -0.4
        + 0.035 * (age - 62.0)
        + 0.45 * (sex == "M")
        + 0.55 * (stage == "II")
        + 1.10 * (stage == "III")
        - 0.012 * (lab - 100.0)
    )
    y = (rng.random(n) < expit(eta)).astype(int)
    write_csv(
        "mixed.csv",
        ["y", "age", "sex", "stage", "lab"],
        [fmt_int(y), fmt(age, 1), list(sex), list(stage), fmt(lab, 2)],
    )


# ---------------------------------------------------------------------------
# 2. rank_deficient.csv: x3 == x1 + 2*x2 exactly in the written digits, const == 1
# ---------------------------------------------------------------------------
def make_rank_deficient() -> None:
    rng = np.random.default_rng(SEED + 2)
    n = 150
    # work in integer hundredths so the identity is exact in decimal
    x1_c = np.round(rng.normal(0.0, 1.0, n) * 100).astype(np.int64)
    x2_c = np.round(rng.normal(1.0, 0.8, n) * 100).astype(np.int64)
    x3_c = x1_c + 2 * x2_c
    x1, x2 = x1_c / 100.0, x2_c / 100.0
    eta = -0.3 + 0.9 * x1 - 0.6 * x2
    y = (rng.random(n) < expit(eta)).astype(int)

    def cents(v: np.ndarray) -> list[str]:
        out = []
        for c in v:
            sign = "-" if c < 0 else ""
            a = abs(int(c))
            out.append(f"{sign}{a // 100}.{a % 100:02d}")
        return out

    write_csv(
        "rank_deficient.csv",
        ["y", "x1", "x2", "x3", "const"],
        [fmt_int(y), cents(x1_c), cents(x2_c), cents(x3_c), ["1"] * n],
    )


# ---------------------------------------------------------------------------
# 3. quasi_separated.csv: flag == 1 implies y == 1 (15 rows)
# ---------------------------------------------------------------------------
def make_quasi_separated() -> None:
    rng = np.random.default_rng(SEED + 3)
    n = 120
    x = np.round(rng.normal(0.0, 1.0, n), 3)
    flag = np.zeros(n, dtype=int)
    flag[rng.choice(n, size=15, replace=False)] = 1
    eta = -0.6 + 0.9 * x
    y = (rng.random(n) < expit(eta)).astype(int)
    y[flag == 1] = 1
    assert y[flag == 0].sum() > 0 and (y[flag == 0] == 0).sum() > 0
    write_csv(
        "quasi_separated.csv",
        ["y", "x", "flag"],
        [fmt_int(y), fmt(x, 3), fmt_int(flag)],
    )


# ---------------------------------------------------------------------------
# 4. large.csv: n = 100000
# ---------------------------------------------------------------------------
def make_large() -> None:
    rng = np.random.default_rng(SEED + 4)
    n = 100_000
    x1 = np.round(rng.normal(0.0, 1.0, n), 3)
    x2 = np.round(rng.uniform(0.0, 10.0, n), 2)
    x3 = (rng.random(n) < 0.4).astype(int)
    grp = rng.choice(np.array(["a", "b", "c", "d"]), size=n, p=[0.3, 0.3, 0.25, 0.15])
    eta = (
        -1.2
        + 0.5 * x1
        + 0.08 * x2
        - 0.35 * x3
        + 0.2 * (grp == "b")
        + 0.45 * (grp == "c")
        - 0.3 * (grp == "d")
    )
    y = (rng.random(n) < expit(eta)).astype(int)
    write_csv(
        "large.csv",
        ["y", "x1", "x2", "x3", "grp"],
        [fmt_int(y), fmt(x1, 3), fmt(x2, 2), fmt_int(x3), list(grp)],
    )


# ---------------------------------------------------------------------------
# 5. missing.csv: string outcome "yes"/"no", ~5% missing covariates, a few missing outcomes
# ---------------------------------------------------------------------------
def make_missing() -> None:
    rng = np.random.default_rng(SEED + 5)
    n = 300
    age = np.clip(np.round(rng.normal(55.0, 13.0, n), 1), 18.0, 90.0)
    score = rng.integers(0, 11, size=n)  # 0..10 inclusive
    arm = rng.choice(np.array(["control", "low", "high"]), size=n, p=[0.34, 0.33, 0.33])
    eta = (
        -1.0
        + 0.025 * (age - 55.0)
        + 0.15 * (score - 5)
        + 0.4 * (arm == "low")
        + 0.9 * (arm == "high")
    )
    y = rng.random(n) < expit(eta)
    outcome = np.where(y, "yes", "no")

    miss_age = rng.random(n) < 0.05
    miss_score = rng.random(n) < 0.05
    miss_arm = rng.random(n) < 0.05
    miss_outcome = np.zeros(n, dtype=bool)
    miss_outcome[rng.choice(n, size=4, replace=False)] = True

    write_csv(
        "missing.csv",
        ["outcome", "age", "score", "arm"],
        [
            with_missing(list(outcome), miss_outcome),
            with_missing(fmt(age, 1), miss_age),
            with_missing(fmt_int(score), miss_score),
            with_missing(list(arm), miss_arm),
        ],
    )


# ---------------------------------------------------------------------------
# 6. cohort127.csv: small CAR-T-like cohort, exactly 12 bleeding events
# ---------------------------------------------------------------------------
def make_cohort127() -> None:
    rng = np.random.default_rng(SEED + 6)
    n = 127
    age = np.clip(np.round(rng.normal(58.0, 11.0, n)), 21, 84).astype(int)
    icans_high = (rng.random(n) < 0.22).astype(int)
    plt = np.clip(np.round(np.exp(rng.normal(np.log(130.0), 0.6, n))), 10, 400).astype(int)
    ldh = np.clip(np.round(np.exp(rng.normal(np.log(260.0), 0.45, n))), 90, 2500).astype(int)
    # risk score: low platelets, high-grade ICANS and age raise bleeding risk
    eta = -2.6 - 0.018 * (plt - 130) + 1.3 * icans_high + 0.02 * (age - 58)
    p = expit(eta)
    events = rng.choice(n, size=12, replace=False, p=p / p.sum())
    bleed = np.zeros(n, dtype=int)
    bleed[events] = 1
    write_csv(
        "cohort127.csv",
        ["bleed", "plt", "icans_high", "age", "ldh"],
        [fmt_int(bleed), fmt_int(plt), fmt_int(icans_high), fmt_int(age), fmt_int(ldh)],
    )


def main() -> int:
    os.makedirs(OUT_DIR, exist_ok=True)
    make_mixed()
    make_rank_deficient()
    make_quasi_separated()
    make_large()
    make_missing()
    make_cohort127()
    return 0


if __name__ == "__main__":
    sys.exit(main())
