#!/usr/bin/env python3
"""Synthetic logistic-regression data for Benchmarks/run.

Writes, into Benchmarks/.data/ (or --out-dir):

  logit_<tag>_<p>.csv   header ``y,x1,...,xp``; every number written with 6 significant digits ("%.6g")
  logit_<tag>_<p>.bin   the SAME values as raw little-endian float64, column-major blocks:
                        y[0..n), x1[0..n), ..., xp[0..n)   (no header; (p+1)*n*8 bytes)
  logit_<tag>_<p>.json  sidecar: n, p, column names, layout, seed, true coefficients, stamp

The values in the .bin are the CSV text parsed back (correctly rounded), so a tool reading the CSV and
a tool reading the .bin fit exactly the same numbers.

Covariates: x1..x14 standard normal, with x2 and x3 correlated with x1 (r about 0.5 and 0.3) and
x5 with x4 (r about 0.4); x15..x20 binary 0/1 with prevalences 0.5, 0.3, 0.2, 0.1, 0.6, 0.05.
True coefficients are moderate and are scaled so that the SD of the linear predictor is 1.5; the
intercept gives an event rate of roughly 30 %. No separation: every covariate has a bounded effect.

Regeneration is skipped when the three files exist and the sidecar's stamp matches this script's
parameters and source (sha256).
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
import time

import numpy as np

SEED = 20240611
LP_SD = 1.5
FORMAT = "%.6g"


def stamp_for(n: int, p: int) -> str:
    with open(__file__, "rb") as f:
        source = hashlib.sha256(f.read()).hexdigest()[:16]
    return f"n={n};p={p};seed={SEED};lp_sd={LP_SD};fmt={FORMAT};src={source}"


def generate(n: int, p: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray, np.ndarray, float]:
    """Returns (y, X (p, n) row-per-covariate, beta, intercept) before rounding."""
    assert p == 20, "this generator describes 20 covariates"
    x = np.empty((p, n))
    z = rng.standard_normal((14, n))
    x[:14] = z
    x[1] = 0.5 * z[0] + np.sqrt(1 - 0.5**2) * z[1]
    x[2] = 0.3 * z[0] + np.sqrt(1 - 0.3**2) * z[2]
    x[4] = 0.4 * z[3] + np.sqrt(1 - 0.4**2) * z[4]
    for j, prevalence in enumerate([0.5, 0.3, 0.2, 0.1, 0.6, 0.05]):
        x[14 + j] = (rng.random(n) < prevalence).astype(np.float64)
    beta = np.array([0.6, -0.4, 0.3, 0.25, -0.2, 0.15, -0.1, 0.08, 0.05, -0.05,
                     0.02, 0.0, 0.0, -0.3,   # x12, x13: true zero
                     0.5, -0.7, 0.4, 0.9, -0.3, 1.0])
    lp = beta @ x
    scale = LP_SD / lp.std()
    beta = beta * scale
    lp = lp * scale
    # Event rate about 30 %: shift the intercept so that mean(sigmoid(lp + b0)) ~ 0.3.
    b0 = -1.2 - lp.mean()
    prob = 1.0 / (1.0 + np.exp(-(lp + b0)))
    y = (rng.random(n) < prob).astype(np.float64)
    return y, x, beta, b0


def format_column(values: np.ndarray) -> np.ndarray:
    return np.char.mod(FORMAT, values)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=1_000_000)
    parser.add_argument("--p", type=int, default=20)
    parser.add_argument("--tag", default=None, help="file name tag (default: 1m for 1e6, 100k for 1e5, else n)")
    parser.add_argument("--out-dir", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), ".data"))
    parser.add_argument("--force", action="store_true")
    args = parser.parse_args()

    n, p = args.n, args.p
    tag = args.tag or {1_000_000: "1m", 100_000: "100k"}.get(n, str(n))
    base = os.path.join(args.out_dir, f"logit_{tag}_{p}")
    paths = {ext: f"{base}.{ext}" for ext in ("bin", "csv", "json")}
    stamp = stamp_for(n, p)
    if not args.force and all(os.path.exists(x) for x in paths.values()):
        try:
            with open(paths["json"]) as f:
                meta = json.load(f)
            if meta.get("stamp") == stamp and os.path.getsize(paths["bin"]) == (p + 1) * n * 8:
                print(f"make_data: {base}.* up to date", file=sys.stderr)
                print(base)
                return 0
        except (OSError, ValueError):
            pass

    t0 = time.time()
    os.makedirs(args.out_dir, exist_ok=True)
    rng = np.random.default_rng(SEED)
    y, x, beta, b0 = generate(n, p, rng)

    # Format to text, then parse the text back: the .bin holds exactly what the CSV says.
    columns = [format_column(y)] + [format_column(x[j]) for j in range(p)]
    parsed = np.empty((p + 1, n))
    for j, text in enumerate(columns):
        parsed[j] = text.astype(np.float64)  # strtod: correctly rounded
    assert np.all((parsed[0] == 0) | (parsed[0] == 1))

    names = ["y"] + [f"x{j}" for j in range(1, p + 1)]
    tmp_csv = paths["csv"] + ".tmp"
    with open(tmp_csv, "w", newline="\n") as f:
        f.write(",".join(names) + "\n")
        chunk = 100_000
        for start in range(0, n, chunk):
            stop = min(n, start + chunk)
            rows = zip(*(c[start:stop].tolist() for c in columns))
            f.write("\n".join(",".join(r) for r in rows))
            f.write("\n")
    tmp_bin = paths["bin"] + ".tmp"
    parsed.astype("<f8").tofile(tmp_bin)  # C order of (p+1, n): column-major blocks y, x1, ..., xp
    meta = {
        "n": n,
        "p": p,
        "columns": names,
        "layout": "little-endian float64, column-major: y[0..n) then x1[0..n) ... xp[0..n); no header",
        "csv_format": FORMAT,
        "seed": SEED,
        "true_intercept": b0,
        "true_coefficients": beta.tolist(),
        "event_rate": float(parsed[0].mean()),
        "linear_predictor_sd": LP_SD,
        "stamp": stamp,
    }
    tmp_json = paths["json"] + ".tmp"
    with open(tmp_json, "w") as f:
        json.dump(meta, f, indent=1)
        f.write("\n")
    os.replace(tmp_csv, paths["csv"])
    os.replace(tmp_bin, paths["bin"])
    os.replace(tmp_json, paths["json"])  # last: the stamp marks a complete set
    print(f"make_data: wrote {base}.{{csv,bin,json}} (n={n}, p={p}, event rate {meta['event_rate']:.3f}) "
          f"in {time.time() - t0:.1f} s", file=sys.stderr)
    print(base)
    return 0


if __name__ == "__main__":
    sys.exit(main())
