#!/usr/bin/env python3
"""The derive suite's pandas peer: the derived variables of Benchmarks/make_derive_data.py's codebook,
computed with vectorised pandas groupby aggregations.

    pandas_derive.py DIR OUT.csv

Reads DIR/patients.csv and DIR/labs.csv, writes OUT.csv: the patient table's columns, then one column a
derived variable (the codebook's order), one row a patient in patients.csv order, missing as an empty
field. The semantics are cohort derive's (Tests/References/linked_table_references.py): windows inclusive,
missing values ignored, first/last by day then file order, auc over per-day means by the trapezoid rule
(missing with fewer than two days), the ISTH score per patient-day from each component's most abnormal
value that day (a day lacking one has no score). Labs are grouped by the patient's row number (the lab
ids mapped once through a Categorical of the patient ids), not by the id strings.
"""
import sys

import numpy as np
import pandas as pd

LABS = ["platelets", "fibrinogen", "ddimer_xuln", "pt_prol", "antithrombin"]


def main():
    folder, out = sys.argv[1], sys.argv[2]
    patients = pd.read_csv(f"{folder}/patients.csv", dtype={"patient_id": str, "sex": str})
    labs = pd.read_csv(f"{folder}/labs.csv", dtype={"patient_id": str, "day": np.int64, **{c: np.float64 for c in LABS}})
    n = len(patients)
    # Patient row number of each draw (every lab id is a patient's: the data are generated so).
    labs["p"] = pd.Categorical(labs["patient_id"], categories=patients["patient_id"]).codes
    labs = labs.drop(columns="patient_id")
    # Day order within a patient, file order within a day (a stable sort; groupby keeps row order).
    labs = labs.sort_values(["p", "day"], kind="stable", ignore_index=True)
    res = pd.DataFrame(index=pd.RangeIndex(n))

    def per_patient(s, fill=np.nan):
        return s.reindex(res.index, fill_value=fill)

    base = labs[(labs["day"] >= -2) & (labs["day"] <= 0)]
    w = labs[(labs["day"] >= 0) & (labs["day"] <= 28)]
    g = w.groupby("p", sort=True)

    res["plt_baseline"] = per_patient(base.groupby("p")["platelets"].last())  # last() skips missing values
    res["plt_nadir"] = per_patient(g["platelets"].min())
    res["plt_first"] = per_patient(g["platelets"].first())
    res["plt_count"] = per_patient(g["platelets"].count(), 0)
    low = w.loc[w["platelets"] < 50, ["p", "day"]].drop_duplicates()
    res["plt_days_below50"] = per_patient(low.groupby("p").size(), 0)

    # auc: per-day means, then the trapezoid between consecutive days of a patient.
    daily = w.groupby(["p", "day"], sort=True)["platelets"].mean().dropna().reset_index()
    same = daily["p"].to_numpy()[1:] == daily["p"].to_numpy()[:-1]
    x, y = daily["day"].to_numpy(dtype=float), daily["platelets"].to_numpy()
    piece = np.where(same, (x[1:] - x[:-1]) * (y[1:] + y[:-1]) / 2, 0.0)
    pieces = pd.Series(piece, index=daily["p"].to_numpy()[1:])
    area = pieces.groupby(level=0).sum()
    days_with_value = daily.groupby("p").size()
    res["plt_auc"] = per_patient(area.where(days_with_value.reindex(area.index) >= 2))

    res["fib_min"] = per_patient(g["fibrinogen"].min())
    res["fib_mean"] = per_patient(g["fibrinogen"].mean())
    res["fib_low_onset"] = per_patient(w.loc[w["fibrinogen"] < 1.5].groupby("p")["day"].min())
    res["ddimer_peak"] = per_patient(g["ddimer_xuln"].max())
    res["pt_peak"] = per_patient(g["pt_prol"].max())
    res["at_last"] = per_patient(g["antithrombin"].last())

    # ISTH overt-DIC score per patient-day from the day's most abnormal value of each component.
    day = w.groupby(["p", "day"], sort=True).agg(plt=("platelets", "min"), dd=("ddimer_xuln", "max"),
                                                 pt=("pt_prol", "max"), fib=("fibrinogen", "min")).dropna()
    score = (np.select([day["plt"] < 50, day["plt"] < 100], [2, 1], 0)
             + np.select([day["dd"] > 4, day["dd"] >= 2], [3, 2], 0)
             + np.select([day["pt"] >= 6, day["pt"] >= 3], [2, 1], 0)
             + (day["fib"] < 1.0).to_numpy().astype(int))
    day = day.assign(score=score).reset_index()
    res["isth_max"] = per_patient(day.groupby("p")["score"].max())
    res["isth_onset"] = per_patient(day.loc[day["score"] >= 5].groupby("p")["day"].min())

    table = pd.concat([patients, res], axis=1)
    integers = ["plt_count", "plt_days_below50", "fib_low_onset", "isth_max", "isth_onset"]
    table[integers] = table[integers].astype("Int64")
    table.to_csv(out, index=False, lineterminator="\n")


if __name__ == "__main__":
    main()
