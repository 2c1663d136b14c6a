#!/usr/bin/env python3
"""Peer for the end-to-end benchmark: CSV file -> coefficient table with pandas + statsmodels.

    statsmodels_e2e.py FILE.csv

pd.read_csv, sm.Logit(y, [1, x1..xp]).fit(disp=0) (default Newton), then the coefficient table with
Wald z tests and Wald 95 % CIs (summary()) and odds ratios with their Wald CIs (conf_int()), printed to
standard output (the harness sends it to /dev/null). The whole process is what is timed.
"""
import sys

import numpy as np
import pandas as pd
import statsmodels.api as sm


def main():
    df = pd.read_csv(sys.argv[1])
    covariates = [c for c in df.columns if c != "y"]
    X = sm.add_constant(df[covariates])
    result = sm.Logit(df["y"], X).fit(disp=0)
    print(result.summary())
    ci = result.conf_int()
    table = pd.DataFrame({"odds_ratio": np.exp(result.params), "or_lower": np.exp(ci[0]), "or_upper": np.exp(ci[1]),
                          "p_wald": result.pvalues})
    print(table.to_string())


if __name__ == "__main__":
    main()
