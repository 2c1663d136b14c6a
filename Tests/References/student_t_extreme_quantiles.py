#!/usr/bin/env python3
"""Reference Student t quantiles in the far tails (tail probability 1e-20 and below), computed
with mpmath at 60 significant digits. Writes Tests/Fixtures/distributions/qt_extreme_mpmath.json.

Why not R: R 4.2.2's qt is itself inaccurate there (qt(1e-300, 3.5) is 4e-8 relative away from
the root of pt(t, 3.5) = 1e-300, and qt(1e-300, 10) 1.2e-11), as checked here with mpmath, so
special_function_references.R leaves these cases out and this script supplies them.

Method (only mpmath's public functions are called): P(T <= -u) = I_x(nu/2, 1/2) / 2 with
x = nu / (nu + u^2); I_x = 2p is solved for x as a fixed point of the hypergeometric form of
I_x (Abramowitz & Stegun 26.5.23), and the root is checked with mpmath.betainc to 1e-30.
"""
import json
import mpmath as mp

mp.mp.dps = 60
DFS = [1, 2, 3.5, 10, 30, 100]   # larger df: R is accurate there (its own references)
PROBS = ["1e-300", "1e-100", "1e-20"]


def quantile(p, df):
    nu = mp.mpf(df)
    a, b = nu / 2, mp.mpf(1) / 2
    front = 2 * mp.mpf(p) * a * mp.beta(a, b)
    x = mp.mpf(0)
    for _ in range(500):
        # I_x(a, b) = x^a / (a B(a, b)) * 2F1(a, 1-b; a+1; x)   (Abramowitz & Stegun 26.5.23)
        # solved for x as a fixed point; it contracts by about x/(a(1-x)) per step here.
        nxt = (front / mp.hyp2f1(a, 1 - b, a + 1, x)) ** (1 / a)
        if x != 0 and abs(nxt / x - 1) < mp.mpf("1e-50"):
            x = nxt
            break
        x = nxt
    else:
        raise RuntimeError((p, df))
    # independent check of the root with mpmath's own incomplete beta
    check = mp.betainc(a, b, 0, x, regularized=True) / (2 * mp.mpf(p)) - 1
    assert abs(check) < mp.mpf("1e-30"), (p, df, check)
    return -mp.sqrt(nu * (1 - x) / x)


cases = []
for df in DFS:
    for p in PROBS:
        t = quantile(p, df)
        print(df, p, mp.nstr(t, 20), flush=True)
        # lower tail p gives t; the upper tail p gives -t (symmetry)
        cases.append({"f": "qt", "args": [float(p), float(df)], "lowerTail": True, "value": float(t)})
        cases.append({"f": "qt", "args": [float(p), float(df)], "lowerTail": False, "value": float(-t)})

out = {"tool": f"mpmath {mp.__version__}", "versions": {"mpmath": mp.__version__},
       "script": "Tests/References/student_t_extreme_quantiles.py", "cases": cases}
with open("Tests/Fixtures/distributions/qt_extreme_mpmath.json", "w") as f:
    json.dump(out, f, indent=1)
    f.write("\n")
print(len(cases), "cases")
