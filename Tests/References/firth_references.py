#!/usr/bin/env python3
"""Firth logistic regression reference values computed with firthmodels.

For every Firth case this script fits firthmodels.FirthLogisticRegression and
writes Tests/Fixtures/logistic/references/<case>_firthmodels.json.

API calls used (firthmodels 0.8.x, public API only):
  model = FirthLogisticRegression(backend="numpy", max_iter=500, max_halfstep=50,
                                  gtol=1e-10, xtol=1e-6)    # penalty_weight 0.5 = Firth
  model.fit(X, y)            X: pandas DataFrame of the non-intercept model-matrix
                             columns (fit_intercept=True adds the intercept)
  model.coef_, model.intercept_        estimates
  model.bse_, model.pvalues_           Wald SEs and Wald p-values (intercept LAST)
  model.conf_int(method="wald")        Wald 95% CI
  model.conf_int(method="pl", alpha=0.05, tol=1e-10, max_iter=200)
                                       profile PENALIZED-likelihood 95% CI
                                       (Venzon-Moolgavkar iteration; the bound is where
                                       2*(l*(beta_hat) - max_{other} l*) = chi2_{0.95,1})
  model.lrt()                          penalized likelihood-ratio test of each coefficient
                                       = 0 (constrained refit, df 1) -> model.lrt_pvalues_,
                                       model.lrt_bse_ (= |beta| / sqrt(chi2))
  model.loglik_                        penalized log-likelihood at the estimates
lrChisq is not exposed as an attribute; it is recovered exactly as
(beta / lrt_bse_)^2, which is the chi-square firthmodels used for lrt_pvalues_.

Output order: "(Intercept)" first, then the columns in R's model-matrix order
(categorical levels sorted in code-point order, reference level removed), so
the terms line up with the R reference files.

Usage (from the repository root): python3 Tests/References/firth_references.py
"""

from __future__ import annotations

import json
import math
import os
import platform
import sys
import warnings
from importlib.metadata import version

import numpy as np
import pandas as pd
import scipy
from firthmodels import FirthLogisticRegression

REPO_ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
DATA_DIR = os.path.join(REPO_ROOT, "Tests", "Fixtures", "logistic", "data")
OUT_DIR = os.path.join(REPO_ROOT, "Tests", "Fixtures", "logistic", "references")

# Tolerances. firthmodels declares convergence when max|modified score| < gtol AND
# max|Newton step| < xtol; the same settings are used for the constrained refits of
# lrt(). gtol = 1e-10 is the criterion that matters here. xtol is left at 1e-6
# because firthmodels step-halves every step larger than xtol that does not raise the
# penalized log-likelihood in float64, and steps of ~1e-10..1e-7 change it by less
# than its rounding: with xtol = 1e-10 (or 1e-8) the solver stalls in some fits
# (cohort127_firth main fit with xtol 1e-10: no convergence in 500 iterations;
# its icans_high LRT refit with xtol 1e-8: max_iter, p-value NaN). Once
# max|score| < 1e-10 the Newton step is itself ~1e-10, so xtol does not bind.
GTOL = 1e-10
XTOL = 1e-6
PL_TOL = 1e-10
FIRTHMODELS_VERSION = version("firthmodels")
TOOL = f"firthmodels {FIRTHMODELS_VERSION}"
VERSIONS = {
    "python": platform.python_version(),
    "firthmodels": FIRTHMODELS_VERSION,
    "numpy": np.__version__,
    "scipy": scipy.__version__,
    "pandas": pd.__version__,
}

CASES = [
    dict(case="cohort127_firth", data="cohort127.csv", outcome="bleed", eventLevel=None,
         covariates=["plt", "icans_high", "age"], categorical=[], refs={},
         separatedTerms=[]),
    dict(case="quasi_separated_firth", data="quasi_separated.csv", outcome="y",
         eventLevel=None, covariates=["x", "flag"], categorical=[], refs={},
         separatedTerms=["flag"]),
    dict(case="mixed_firth", data="mixed.csv", outcome="y", eventLevel=None,
         covariates=["age", "sex", "stage", "lab"], categorical=["sex", "stage"], refs={},
         separatedTerms=[]),
]


# ---------------------------------------------------------------------------
# JSON output (hand-formatted to match the R scripts; 17 significant digits)
# ---------------------------------------------------------------------------
def jnum(x) -> str:
    if x is None:
        return "null"
    x = float(x)
    if not math.isfinite(x):
        return "null"
    return format(x, ".17g")


def jstr(s) -> str:
    return "null" if s is None else json.dumps(s)


def jstrarr(v) -> str:
    return "[" + ", ".join(jstr(s) for s in v) + "]"


def jstrobj(d) -> str:
    if not d:
        return "{}"
    return "{" + ", ".join(f"{jstr(k)}: {jstr(v)}" for k, v in d.items()) + "}"


def write_case_json(path: str, top: dict, coefs: list[dict]) -> None:
    lines = ["{"]
    lines += [f"  {jstr(k)}: {v}," for k, v in top.items()]
    lines.append('  "coefficients": [')
    for i, cf in enumerate(coefs):
        inner = [f"      {jstr(k)}: {v}" for k, v in cf.items()]
        lines.append("    {")
        lines.append(",\n".join(inner))
        lines.append("    }," if i < len(coefs) - 1 else "    }")
    lines += ["  ]", "}"]
    with open(path, "w", encoding="utf-8", newline="\n") as fh:
        fh.write("\n".join(lines) + "\n")


# ---------------------------------------------------------------------------
# Design matrix
# ---------------------------------------------------------------------------
def design(spec: dict):
    raw = pd.read_csv(os.path.join(DATA_DIR, spec["data"]), keep_default_na=False,
                      na_values=["", "NA"], dtype=str)
    used = [spec["outcome"]] + spec["covariates"]
    cc = raw[used].dropna().reset_index(drop=True)
    n_dropped = len(raw) - len(cc)
    if spec["eventLevel"] is not None:
        y = (cc[spec["outcome"]] == spec["eventLevel"]).astype(float).to_numpy()
    else:
        y = cc[spec["outcome"]].astype(float).to_numpy()
    cols: dict[str, np.ndarray] = {}
    refs: dict[str, str] = {}
    for v in spec["covariates"]:
        if v in spec["categorical"]:
            levels = sorted(cc[v].unique())  # code-point order, like R in the C locale
            ref = spec["refs"].get(v, levels[0])
            refs[v] = ref
            for lev in levels:
                if lev != ref:
                    cols[f"{v}[{lev}]"] = (cc[v] == lev).astype(float).to_numpy()
        else:
            cols[v] = cc[v].astype(float).to_numpy()
    X = pd.DataFrame(cols)
    return X, y, len(cc), n_dropped, refs


def run_case(spec: dict) -> None:
    X, y, n, n_dropped, refs = design(spec)
    caught: list[str] = []
    with warnings.catch_warnings(record=True) as wlist:
        warnings.simplefilter("always")
        model = FirthLogisticRegression(backend="numpy", max_iter=500, max_halfstep=50,
                                        gtol=GTOL, xtol=XTOL)
        model.fit(X, y)
        model.lrt()
        ci_pl = model.conf_int(alpha=0.05, method="pl", tol=PL_TOL, max_iter=200)
        ci_wald = model.conf_int(alpha=0.05, method="wald")
    for w in wlist:
        msg = str(w.message)
        if msg not in caught:
            caught.append(msg)
    if not model.converged_:
        raise RuntimeError(f"{spec['case']}: firthmodels did not converge")

    # firthmodels orders parameters as [features..., intercept]; put intercept first.
    k = X.shape[1]
    order = [k] + list(range(k))
    names = ["(Intercept)"] + list(X.columns)
    beta = np.concatenate([model.coef_, [model.intercept_]])

    coefs = []
    for name, i in zip(names, order):
        est, se = beta[i], model.bse_[i]
        lrt_bse = model.lrt_bse_[i]
        if math.isfinite(lrt_bse) and lrt_bse > 0:
            chi2 = (est / lrt_bse) ** 2
        elif lrt_bse == math.inf:
            chi2 = 0.0
        else:
            chi2 = math.nan
        coefs.append({
            "term": jstr(name),
            "estimate": jnum(est),
            "stdError": jnum(se),
            "z": jnum(est / se),
            "p": jnum(model.pvalues_[i]),
            "aliased": "false",
            "profileLower": jnum(ci_pl[i, 0]),
            "profileUpper": jnum(ci_pl[i, 1]),
            "waldLower": jnum(ci_wald[i, 0]),
            "waldUpper": jnum(ci_wald[i, 1]),
            "lrChisq": jnum(chi2),
            "lrP": jnum(model.lrt_pvalues_[i]),
        })

    top = {
        "case": jstr(spec["case"]),
        "data": jstr(spec["data"]),
        "outcome": jstr(spec["outcome"]),
        "eventLevel": jstr(spec["eventLevel"]),
        "covariates": jstrarr(spec["covariates"]),
        "referenceLevels": jstrobj(refs),
        "method": jstr("firth"),
        "tool": jstr(TOOL),
        "versions": jstrobj(VERSIONS),
        "n": str(n),
        "nDropped": str(n_dropped),
        "events": str(int(y.sum())),
        "logLikelihood": "null",
        "deviance": "null",
        "nullDeviance": "null",
        "aic": "null",
        "bic": "null",
        "penalizedLogLikelihood": jnum(model.loglik_),
        "converged": "true" if model.converged_ else "false",
        "iterations": str(int(model.n_iter_)),
        "warnings": jstrarr(caught),
        "separatedTerms": jstrarr(spec["separatedTerms"]),
    }
    path = os.path.join(OUT_DIR, f"{spec['case']}_firthmodels.json")
    write_case_json(path, top, coefs)
    print(f"{spec['case']:<22} n={n} events={int(y.sum())} converged={model.converged_} "
          f"iter={model.n_iter_} warnings={' | '.join(caught)}")


def main() -> int:
    os.makedirs(OUT_DIR, exist_ok=True)
    only = sys.argv[1:]
    for spec in CASES:
        if not only or spec["case"] in only:
            run_case(spec)
    return 0


if __name__ == "__main__":
    sys.exit(main())
