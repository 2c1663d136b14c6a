#!/usr/bin/env python3
"""Cross-check of Tests/Fixtures/group_tests/references.json (R 4.2.2) with SciPy and statsmodels.

Reads the R cases (their data and settings), asks SciPy for the same quantity wherever SciPy
computes it by the same rule, and writes Tests/Fixtures/group_tests/scipy_crosscheck.json:
one record per comparison, {"kind", "name", "settings", "quantity", "r", "scipy", "relDiff",
"sameRule", "note"}. Where SciPy's rule differs from R's (see RULES below) the record has
sameRule false and is there to document the difference, not to test against.

RULES (SciPy 1.17 vs R 4.2.2):
* mannwhitneyu: statistic U of x = R's W. method="auto" is exact only when a sample is < 8 and
  there are no ties (R: both < 50, no ties); so the R exact cases are compared with
  method="exact" and R's normal cases with method="asymptotic", use_continuity = R's correct.
* kruskal: same H and chi-square P.
* spearmanr: rho is the same; P is always the t approximation (SciPy has no AS 89), so P is the
  same rule only where R also uses the t approximation (ties, exact = FALSE, n > 1290) without
  continuity correction.
* kendalltau: tau-b is the same; method="exact" (no ties) equals R's exact P; method="asymptotic"
  uses the same tie-corrected variance, without continuity correction.
* pearsonr: r, P (t test) and the Fisher-z interval are the same.
* ttest_ind: t, df, P and confidence_interval are the same (equal_var = R's var.equal).
* Trend: SciPy has none. statsmodels' Table.test_ordinal_association (linear-by-linear
  association, Agresti 2002 s3.4.6) uses the permutation variance, so its z equals
  R's prop.trend.test z times sqrt((N - 1)/N) (with shift_zeros=False: by default Table adds 0.5 to
  empty cells); recorded with that factor applied (sameRule true)
  and the raw ratio in the note.

Run from the repository root: python3 Tests/References/group_test_scipy_crosscheck.py
"""
import json
import math
import sys

import numpy as np
import scipy
import scipy.stats as st
import statsmodels
from statsmodels.stats.contingency_tables import Table

IN = "Tests/Fixtures/group_tests/references.json"
OUT = "Tests/Fixtures/group_tests/scipy_crosscheck.json"
ALT = {"two.sided": "two-sided", "less": "less", "greater": "greater"}

refs = json.load(open(IN))
records = []


def rel(a, b):
    if a == b:
        return 0.0
    return abs(a - b) / max(abs(b), 1e-300)


def add(kind, name, settings, quantity, r, s, same, note=""):
    records.append({"kind": kind, "name": name, "settings": settings, "quantity": quantity,
                    "r": r, "scipy": float(s), "relDiff": rel(float(s), r), "sameRule": same, "note": note})


for c in refs["wilcoxon"]:
    exact = "exact" in c["method"]
    settings = f'{c["alternative"]} correct={c["correct"]} exact={c["exact"]}'
    res = st.mannwhitneyu(c["x"], c["y"], alternative=ALT[c["alternative"]], use_continuity=c["correct"],
                          method="exact" if exact else "asymptotic")
    add("wilcoxon", c["name"], settings, "statistic", c["statistic"], res.statistic, True)
    add("wilcoxon", c["name"], settings, "p", c["p"], res.pvalue, True)
    auto = st.mannwhitneyu(c["x"], c["y"], alternative=ALT[c["alternative"]], use_continuity=c["correct"])
    if rel(auto.pvalue, c["p"]) > 1e-6:
        add("wilcoxon", c["name"], settings, "p (scipy method=auto)", c["p"], auto.pvalue, False,
            "SciPy's auto rule (exact only when a sample < 8) differs from R's (both < 50, no ties)")

for c in refs["kruskal"]:
    res = st.kruskal(*c["groups"])
    add("kruskal", c["name"], "", "statistic", c["statistic"], res.statistic, True)
    add("kruskal", c["name"], "", "p", c["p"], res.pvalue, True)

data = {d["name"]: d for d in refs["correlationData"]}
for c in refs["correlation"]:
    d = data[c["name"]]
    x, y = np.array(d["x"]), np.array(d["y"])
    ties = len(set(d["x"])) < len(x) or len(set(d["y"])) < len(y)
    settings = f'{c["alternative"]} exact={c["exact"]} continuity={c["continuity"]}'
    alt = ALT[c["alternative"]]
    if c["correlation"] == "pearson":
        res = st.pearsonr(x, y, alternative=alt)
        add("pearson", c["name"], settings, "estimate", c["estimate"], res.statistic, True)
        add("pearson", c["name"], settings, "p", c["p"], res.pvalue, True)
        if c["ciLower"] is not None:
            ci = res.confidence_interval(0.95)
            add("pearson", c["name"], settings, "ciLower", c["ciLower"], ci.low, True)
            add("pearson", c["name"], settings, "ciUpper", c["ciUpper"], ci.high, True)
    elif c["correlation"] == "spearman":
        res = st.spearmanr(x, y, alternative=alt)
        add("spearman", c["name"], settings, "estimate", c["estimate"], res.statistic, True)
        t_rule = (ties or c["exact"] is False or len(x) > 1290) and not c["continuity"]
        if not c["continuity"]:
            add("spearman", c["name"], settings, "p", c["p"], res.pvalue, t_rule,
                "" if t_rule else "R: AS 89 (exact n <= 9, Edgeworth 10..1290); SciPy: t approximation")
    else:
        if c["continuity"]:
            continue
        exact = c["exact"] is not False and len(x) < 50 and not ties
        res = st.kendalltau(x, y, alternative=alt, method="exact" if exact else "asymptotic")
        add("kendall", c["name"], settings, "estimate", c["estimate"], res.statistic, True)
        add("kendall", c["name"], settings, "p", c["p"], res.pvalue, True)

for c in refs["trend"]:
    events, totals = np.array(c["events"]), np.array(c["totals"])
    scores = np.array(c["scores"] if c["scores"] is not None else range(1, len(events) + 1), dtype=float)
    keep = totals > 0
    table = np.vstack([events[keep], totals[keep] - events[keep]]).T
    res = Table(table, shift_zeros=False).test_ordinal_association(row_scores=scores[keep], col_scores=np.array([1.0, 0.0]))
    n = totals.sum()
    z_sm = (res.statistic - res.null_mean) / res.null_sd
    add("trend", c["name"], "", "z x sqrt(N/(N-1))", c["z"], z_sm * math.sqrt(n / (n - 1)), True,
        f"statsmodels z / prop.trend.test z = {z_sm / c['z'] if c['z'] != 0 else float('nan'):.15g}, sqrt((N-1)/N) = {math.sqrt((n - 1) / n):.15g}")

for c in refs["ttest"]:
    settings = f'var.equal={c["varEqual"]} {c["alternative"]} level={c["level"]}'
    res = st.ttest_ind(c["x"], c["y"], equal_var=c["varEqual"], alternative=ALT[c["alternative"]])
    ci = res.confidence_interval(c["level"])
    add("ttest", c["name"], settings, "statistic", c["statistic"], res.statistic, True)
    add("ttest", c["name"], settings, "df", c["df"], res.df, True)
    add("ttest", c["name"], settings, "p", c["p"], res.pvalue, True)
    for q, r, s in (("ciLower", c["ciLower"], ci.low), ("ciUpper", c["ciUpper"], ci.high)):
        if not isinstance(r, str):   # "Infinity": a one-sided end
            add("ttest", c["name"], settings, q, r, s, True)

same = [r for r in records if r["sameRule"]]
worst = max(same, key=lambda r: r["relDiff"] if r["r"] >= 1e-15 else 0)
print(f"{len(records)} comparisons, {len(same)} by the same rule; worst relative difference there "
      f"{worst['relDiff']:.3g} ({worst['kind']} {worst['name']} {worst['settings']} {worst['quantity']})")
for r in records:
    if not r["sameRule"]:
        print(f"  differs by rule: {r['kind']} {r['name']} {r['settings']} {r['quantity']}: R {r['r']:.6g} SciPy {r['scipy']:.6g}")
with open(OUT, "w") as f:
    f.write('{\n  "tool": "scipy %s, statsmodels %s, numpy %s",\n  "records": [\n' % (scipy.__version__, statsmodels.__version__, np.__version__))
    f.write(",\n".join("    " + json.dumps(r, sort_keys=True) for r in records))
    f.write("\n  ]\n}\n")
print("wrote", OUT)
