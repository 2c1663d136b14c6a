#!/usr/bin/env python3
"""Linked long tables (issue 15): synthetic fixtures and independent reference values.

README. This script is the independent computation of the windowed lab-table summaries that
`cohort derive` evaluates from a codebook's `tables:` and `derived:` sections. It was written from
the definitions below (the issue 15 brief and the published ISTH overt-DIC score, Chinese DIC Scoring System, EASIX
and CARAC as the project's domain notes, "Clinical definitions", operationalise them), NOT from
the Swift code, and computes every value with pandas;
a second, plain-Python implementation (csv module, loops, exact `fractions.Fraction` arithmetic
for means and areas) runs alongside it and the script stops if the two disagree. It writes, into
`Tests/Fixtures/linked/`: `patients.csv` (60 synthetic patients, one row each), `labs.csv` (one
row per draw, deliberately irregular: unsorted blocks, several draws on one day, empty cells in
every measurement column, values exactly at the thresholds and draws exactly at the window
edges), `codebook.yaml` (one derived variable per case), `expected.csv` (one row per patient in
`patients.csv` order, one column per derived variable) and `unscorable.csv` (per per-day score
or flag formula, the patient-days in its window that had a draw but lacked a component). All data
are synthetic (numpy `default_rng(SEED)` plus hand-written edge-case patients; the columns added
later, labs' ddimer, aptt_prol, creatinine, ldh and patients' shock, organ_failure, bleeding_day,
thrombosis_day, come from a second generator `default_rng(SEED_EXTRA)` and are appended, so every
earlier cell and expected value is unchanged); running the script
twice gives byte-identical files. Usage, from the repository root:
`python3 Tests/References/linked_table_references.py`.

Semantics implemented (window `days = A...B` inclusive on the lab table's `day`; rows outside it
and missing values are ignored; "file order" is the line order of labs.csv):
  min / max / mean(labs.X, days)  over every non-missing value in the window (all draws of a day
                                  count); missing when there is none.
  first / last(labs.X, days)      first / last non-missing value ordered by day, then file order.
  count(labs.X, days)             number of non-missing values; 0 when none (also no lab rows).
  first_day(labs.X OP c, days)    smallest day with a draw whose non-missing value satisfies OP;
                                  missing when it never holds.
  days_below(labs.X, c, days)     number of distinct days with a non-missing value < c; 0 if none.
  auc(labs.X, days)               per day the mean of that day's values, then the trapezoid rule
                                  between consecutive days with a value (no extrapolation to the
                                  window ends); missing when fewer than two days have a value.
  SUMMARY(score(...), days)       per patient-day in the window with at least one draw, each
                                  component is the day's most abnormal non-missing value (lowest
                                  platelets, fibrinogen, antithrombin; highest D-dimer (xULN or
                                  mg/L), PT and APTT prolongation, creatinine, LDH), each from
                                  whichever draw of the day holds it; a patient-level column
                                  (bleeding, shock, organ_failure, bleeding_day, thrombosis_day)
                                  stands for each of the patient's days; a day lacking a required
                                  component has no score; an optional component missing that day
                                  (or not given) adds nothing (the toolkit's rule for the Chinese
                                  score's APTT and clinical items and for CARAC's laboratory
                                  flags); max / min / count / first (by day) / first_day(score OP
                                  c) then run over the scores.
  isth_dic_score                  platelets >= 100 -> 0, < 100 -> 1, < 50 -> 2; fibrin marker
                                  < 2 xULN -> 0, 2 to 4 xULN (both inclusive) -> 2, > 4 xULN -> 3;
                                  PT prolongation < 3 s -> 0, 3 to < 6 s -> 1, >= 6 s -> 2;
                                  fibrinogen >= 1.0 g/L -> 0, < 1.0 -> 1 (Taylor et al. 2001).
  chinese_dic_score               Chinese DIC Scoring System, haematological-malignancy variant:
                                  underlying disease 2 (underlying_disease = 1, the default; 0
                                  with = 0); bleeding, shock, organ failure 1 each (patient 0/1);
                                  platelets < 50 -> 1; D-dimer (mg/L) < 5 -> 0, 5 to < 9 -> 2,
                                  >= 9 -> 3; PT prolonged >= 6 s -> 2, else PT >= 3 s or APTT
                                  >= 10 s -> 1 (the item gives at most 2); fibrinogen < 1.0 -> 1.
                                  Required: platelets, D-dimer, PT, fibrinogen; optional: APTT and
                                  the clinical items (a missing one scores 0). DIC at >= 6.
  easix                           creatinine (mg/dL) x LDH (U/L) / platelets, evaluated in that
                                  order ((creatinine x LDH) / platelets, as doubles); the day's
                                  highest creatinine and LDH and lowest platelets; all three
                                  required; platelets 0 gives no score (division by zero).
  carac                           1 when the patient has a bleeding or thrombosis day in 0...28
                                  (inclusive; empty = no event) and that day's lowest platelets
                                  < platelet_cutoff (150; 50 in carac_plt50_*) or a laboratory
                                  flag among the values given (strict: D-dimer > 5 mg/L, APTT
                                  > 10 s, PT > 3 s, fibrinogen < 1.5 g/L), else 0, in three-valued
                                  logic: without an event in the window it is 0 whatever the labs;
                                  with one and a laboratory flag, 1; with one, no flag and no
                                  platelet count that day, the answer is unknown, so the day has no
                                  score. The lab flags are optional (a missing one raises none).
  antithrombin_low(activity)      1 when the day's lowest antithrombin < 70 %, else 0.
  fibrinogen_low(fibrinogen)      1 when the day's lowest fibrinogen < 1.5 g/L, else 0.
  a - b, a / b                    missing when either is missing; division by zero is missing.

Numbers are parsed with Python's float() (correctly rounded). expected.csv writes reals with
repr(float) (shortest round trip), counts, days, scores and 0/1 flags as integers, missing as an
empty field. Means, areas and EASIX values are pandas' / Python's floating-point results; the exact (Fraction)
values agree with them to the relative difference the script prints (compare means and areas with a tolerance,
e.g. 1e-12 relative; every other column, EASIX included, is the correctly rounded double result of
the operations in the order written above and compares exactly).
"""

from __future__ import annotations

import csv
import math
import operator
import os
import sys
from fractions import Fraction

import numpy as np
import pandas as pd

SEED = 20261215
REPO_ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
OUT_DIR = os.path.join(REPO_ROOT, "Tests", "Fixtures", "linked")

N_PATIENTS = 60
NO_LABS = ["P058", "P059", "P060"]                 # no lab rows at all
OUTSIDE_ONLY = ["P055", "P056", "P057"]            # rows only on days -10..-8 and 29..40
LAB_COLUMNS = ["platelets", "fibrinogen", "ddimer_xuln", "pt_prol", "antithrombin"]
# Added later (the Chinese DIC score, EASIX and CARAC): appended after the columns above and drawn
# from a generator of their own, so that every earlier cell and expected value stays as it was.
SEED_EXTRA = 20261203
EXTRA_LAB_COLUMNS = ["ddimer", "aptt_prol", "creatinine", "ldh"]
ALL_LAB_COLUMNS = LAB_COLUMNS + EXTRA_LAB_COLUMNS
PATIENT_COLUMNS = ["patient_id", "age", "group", "bleeding"]
EXTRA_PATIENT_COLUMNS = ["shock", "organ_failure", "bleeding_day", "thrombosis_day"]
ALL_PATIENT_COLUMNS = PATIENT_COLUMNS + EXTRA_PATIENT_COLUMNS

# --------------------------------------------------------------------------------------------
# Data
# --------------------------------------------------------------------------------------------

def blank(x):
    return "" if x is None else x


def row(pid, day, plt=None, fib=None, dd=None, pt=None, at=None):
    """One draw as the strings written to labs.csv (None = empty cell)."""
    return [pid, str(day), blank(plt), blank(fib), blank(dd), blank(pt), blank(at)]


def handwritten_labs():
    """Edge-case patients P001-P014, rows in the file order they are written in."""
    r = []
    # P001: three draws on day 0 and two on day 28 (first/last by file order, not by value);
    # draws on -7, -8 (outside -7...0) and 29 (outside 0...28).
    r += [row("P001", 0, "80", "2.10", "1.20", "1.0", "85"),
          row("P001", 0, "75", "2.00", "1.40", "1.2", "82"),
          row("P001", 0, "90", "2.30", "1.10", "0.8", "88"),
          row("P001", -7, "210", "3.10", "0.60", "0.2", "95"),
          row("P001", -8, "20", "3.00", "0.50", "0.1", "97"),
          row("P001", 14, "62", "1.80", "2.50", "2.4", "74"),
          row("P001", 28, "60", "2.40", "1.10", "0.9", "80"),
          row("P001", 28, "55", "2.50", "1.00", "1.0", "79"),
          row("P001", 29, "10", "0.50", "9.00", "9.0", "40")]
    # P002: the first day-0 draw has no platelets (first is the second draw); the last day-21
    # draw has none either (last is the earlier draw of that day); day -7 and day 0 both in -7...0.
    r += [row("P002", 0, None, "3.20", "0.90", "0.5", "90"),
          row("P002", 0, "140", "3.10", "0.80", "0.4", None),
          row("P002", 0, "150", None, "0.70", "0.3", "91"),
          row("P002", 7, "95", "2.60", "1.90", "2.9", "76"),
          row("P002", -7, "160", "3.40", "0.50", "0.2", "99"),
          row("P002", 21, "120", "2.90", "1.10", "1.1", "83"),
          row("P002", 21, "118", "2.95", "1.00", None, "84"),
          row("P002", 21, None, "3.00", None, "1.0", "86")]
    # P003: platelets exactly 100 on day 0, exactly 50 on day 5 (== 50; 50 is not < 50), lower
    # values only outside the windows (day -8, day 29).
    r += [row("P003", 29, "12", "1.20", "5.00", "7.0", "50"),
          row("P003", 0, "100", "2.80", "1.50", "1.5", "88"),
          row("P003", 5, "50", "2.20", "2.00", "3.0", "72"),
          row("P003", 5, "64", "2.10", "1.90", "2.8", "71"),
          row("P003", 12, "70", "2.40", "1.60", "2.0", "75"),
          row("P003", -8, "15", "2.50", "0.90", "0.9", "90"),
          row("P003", 20, "99", "2.70", "1.20", "1.4", "81")]
    # P004: platelets 0 on the first window day (plt_ratio 0/0 -> missing); later recovery.
    r += [row("P004", 0, "0", "1.60", "3.00", "4.0", "66"),
          row("P004", 3, "5", "1.40", "4.50", "5.5", "60"),
          row("P004", 10, "45", "1.90", "2.10", "3.1", "69"),
          row("P004", 26, "120", "2.60", "0.90", "1.0", "80")]
    # P005: no platelets anywhere in 0...28 (min/first/mean missing, count 0, every window day
    # unscorable for ISTH), but platelets on day -3 (inside -7...0) and day 30 (outside 0...28).
    r += [row("P005", -3, "180", "3.00", "0.70", "0.5", "92"),
          row("P005", 1, None, "2.50", "1.30", "1.5", "85"),
          row("P005", 4, None, "1.20", "4.20", "6.5", "62"),
          row("P005", 4, None, None, "3.80", None, None),
          row("P005", 9, None, "0.90", "5.10", "6.0", "58"),
          row("P005", 30, "45", "1.00", "3.00", "3.0", "70")]
    # P006: platelets on one window day only (two draws: mean of both, auc missing).
    r += [row("P006", 2, "130", "3.10", "0.80", "0.9", "101"),
          row("P006", 2, "126", "3.05", None, "1.1", "99"),
          row("P006", 9, None, "2.90", "1.00", "1.0", "97"),
          row("P006", 35, "140", "3.00", "0.70", "0.4", "100")]
    # P007: fibrinogen exactly 1.5 (not < 1.5) on day 1, exactly 1.0 (ISTH 0) on day 6,
    # 1.49 on day 8 (first low), 0.99 on day 11 (ISTH 1).
    r += [row("P007", 1, "110", "1.50", "1.50", "2.0", "78"),
          row("P007", 6, "104", "1.00", "1.80", "2.5", "74"),
          row("P007", 8, "98", "1.49", "1.90", "2.9", "71"),
          row("P007", 11, "96", "0.99", "2.00", "3.0", "70"),
          row("P007", 11, "97", None, "1.95", "2.9", "70"),
          row("P007", 15, "101", "1.70", "1.20", "1.8", "77")]
    # P008: D-dimer exactly 2 (-> 2) on day 1, exactly 4 (not > 4) on day 3, 4.01 on day 6.
    r += [row("P008", 6, "85", "2.00", "4.01", "2.0", "75"),
          row("P008", 1, "88", "2.20", "2.00", "1.0", "83"),
          row("P008", 3, "86", "2.10", "4.00", "2.0", "80"),
          row("P008", 3, "87", "2.15", "3.50", "2.1", "81"),
          row("P008", 18, "92", "2.40", "1.99", "1.0", "84")]
    # P009: ISTH boundaries. Day 2: plt 50 (1) + dd 4 (2) + PT 6 (2) + fib 1.0 (0) = 5.
    # Day 4: plt 49 (2) + dd 4 (2) + PT 3 (1) + fib 0.9 (1) = 6. Day 1: plt 100 (0) + dd 2 (2)
    # + PT 2.9 (0) + fib 1.0 (0) = 2. Day 0: PT exactly 3 (1) + dd 1.99 (0) + plt 101 + fib 2 = 1.
    r += [row("P009", 0, "101", "2.00", "1.99", "3.0", "88"),
          row("P009", 1, "100", "1.00", "2.00", "2.9", "81"),
          row("P009", 2, "50", "1.00", "4.00", "6.0", "70"),
          row("P009", 4, "49", "0.90", "4.00", "3.0", "69"),
          row("P009", 7, "70", "1.20", "3.00", "5.9", "72")]
    # P010: components from different draws of one day. Day 2: draw A has low platelets and a
    # high D-dimer but no fibrinogen, draw B low fibrinogen and a long PT but no D-dimer: the day
    # scores 2 + 3 + 2 + 1 = 8 though no single draw is complete. Day 5 likewise, score 3.
    r += [row("P010", 2, "30", None, "5.00", "1.0", "65"),
          row("P010", 2, "150", "0.80", None, "7.0", None),
          row("P010", 5, None, "2.00", "2.50", None, "78"),
          row("P010", 5, "90", None, None, "1.5", None),
          row("P010", 0, "160", "2.50", "1.00", "0.5", "90")]
    # P011: draws exactly at the window edges -7, 0, 28 and just outside (-8, 29).
    r += [row("P011", -8, "5", "0.30", "20.00", "20.0", "20"),
          row("P011", -7, "111", "2.70", "0.90", "0.6", "93"),
          row("P011", 0, "122", "2.60", "1.10", "0.7", "89"),
          row("P011", 28, "44", "0.95", "4.50", "6.0", "55"),
          row("P011", 29, "3", "0.20", "30.00", "25.0", "10"),
          row("P011", 14, "80", "1.60", "2.20", "3.5", "71")]
    # P012: antithrombin exactly 70 (not low) and 69 on the same day (low: the day's lowest);
    # fibrinogen exactly 1.5 only (fibrinogen_low 0 throughout).
    r += [row("P012", 3, "140", "1.50", "0.80", "0.5", "70"),
          row("P012", 6, "135", "1.50", "0.90", "0.6", "72"),
          row("P012", 6, "133", "1.60", "0.95", "0.7", "69"),
          row("P012", 10, "138", "1.55", "1.00", "0.6", None)]
    # P013: a window day whose only draw has every value missing (a draw day, unscorable), and a
    # day with two fully missing draws; one scorable day.
    r += [row("P013", 0, None, None, None, None, None),
          row("P013", 3, "85", "2.00", "2.20", "3.3", "74"),
          row("P013", 8, None, None, None, None, None),
          row("P013", 8, None, None, None, None, None),
          row("P013", 16, "75", None, "1.10", "2.0", "77")]
    # P014: platelets only below 50 on repeated days (days_below counts distinct days), with
    # identical values repeated on a day and a missing value between them.
    r += [row("P014", 1, "40", "1.90", "2.40", "3.2", "68"),
          row("P014", 1, "40", "1.85", "2.60", "3.4", "66"),
          row("P014", 1, None, "1.80", "2.70", "3.6", "64"),
          row("P014", 2, "48", "1.70", "3.10", "4.1", "61"),
          row("P014", 4, "52", "1.75", "2.90", "3.9", "63"),
          row("P014", 6, "30", "1.30", "4.40", "6.2", "57"),
          row("P014", 6, "35", "1.35", "4.10", "5.8", "59")]
    return r


def generated_labs(rng, pid, severe, outside_only):
    """Irregular draws for one patient: a few baseline days, sparse window days, late days."""
    if outside_only:
        days = sorted(rng.choice(np.r_[-10:-7, 29:41], size=rng.integers(2, 5), replace=False))
    else:
        baseline = rng.choice(np.arange(-10, 0), size=rng.integers(0, 3), replace=False)
        window = [d for d in range(0, 29) if rng.random() < 0.30]
        late = rng.choice(np.arange(29, 41), size=rng.integers(0, 3), replace=False)
        days = sorted(set(int(d) for d in np.r_[baseline, window, late]))
    base_plt = float(np.exp(rng.normal(np.log(190), 0.35)))
    nadir_day = rng.integers(4, 15)
    depth = rng.uniform(0.6, 0.95) if severe else rng.uniform(0.1, 0.5)
    rows = []
    for d in days:
        # a V-shaped dip around the nadir day, recovering by about day 28
        dip = depth * max(0.0, 1 - abs(d - nadir_day) / (12 if d > nadir_day else 6)) if d >= 0 else 0.0
        draws = 1 + (rng.random() < 0.18) + (rng.random() < 0.05)
        for _ in range(draws):
            noise = rng.normal(0, 0.08)
            plt = max(0, int(round(base_plt * (1 - dip) * math.exp(noise))))
            fib = max(0.1, rng.normal(3.2 - 2.6 * dip, 0.35))
            dd = max(0.2, float(np.exp(rng.normal(np.log(1 + 6 * dip), 0.3))))
            pt = max(0.0, rng.normal(0.8 + 7 * dip, 0.6))
            at = max(10, int(round(rng.normal(95 - 45 * dip, 6))))
            vals = [str(plt), f"{fib:.2f}", f"{dd:.2f}", f"{pt:.1f}", str(at)]
            # exact threshold values now and then
            if rng.random() < 0.06:
                vals[0] = str(rng.choice([50, 100]))
            if rng.random() < 0.06:
                vals[1] = str(rng.choice(["1.5", "1.0", "1.50"]))
            if rng.random() < 0.06:
                vals[2] = str(rng.choice(["2", "4", "4.00", "2.0"]))
            if rng.random() < 0.06:
                vals[3] = str(rng.choice(["3", "6", "3.0", "6.0"]))
            if rng.random() < 0.04:
                vals[4] = "70"
            vals = [v if rng.random() >= 0.12 else None for v in vals]
            rows.append(row(pid, d, *vals))
    return rows


def make_data():
    rng = np.random.default_rng(SEED)
    ids = [f"P{k:03d}" for k in range(1, N_PATIENTS + 1)]
    patients = []
    for k, pid in enumerate(ids):
        age = str(int(np.clip(round(rng.normal(60, 12)), 19, 88)))
        group = "A" if rng.random() < 0.5 else "B"
        bleeding = str(int(rng.random() < 0.25))
        if pid == "P020":
            age = ""                       # a missing age in the patient table
        patients.append([pid, age, group, bleeding])

    hand = handwritten_labs()
    hand_ids = {r[0] for r in hand}
    blocks = [hand]
    for pid in ids:
        if pid in hand_ids or pid in NO_LABS:
            continue
        severe = rng.random() < 0.35
        blocks.append(generated_labs(rng, pid, severe, pid in OUTSIDE_ONLY))
    labs = [r for b in blocks for r in b]

    # Disorder the file: (1) shuffle the rows inside several blocks of 12 consecutive rows
    # among the generated patients, (2) move a few random rows to the end of the file.
    start = len(hand)
    for b in range(start, len(labs) - 12, 12 * 4):
        block = labs[b:b + 12]
        order = rng.permutation(len(block))
        labs[b:b + 12] = [block[i] for i in order]
    moved = sorted(rng.choice(np.arange(start, len(labs)), size=15, replace=False), reverse=True)
    tail = [labs.pop(int(i)) for i in moved]
    labs += tail
    return patients, labs


# The added columns. Hand-written cells for the edge-case patients, keyed by (patient, k = the
# patient's k-th row in file order); None = an empty cell. Cells not listed are drawn.
HAND_EXTRA_LABS = {
    # P001 day 0: the highest creatinine (1.30) and LDH (300) and the lowest platelets (75) come
    # from three different draws: EASIX 1.3 x 300 / 75. Day 28: creatinine from one draw, LDH from
    # the other.
    ("P001", 0): {"creatinine": "1.10", "ldh": "250"},
    ("P001", 1): {"creatinine": "0.90", "ldh": "300"},
    ("P001", 2): {"creatinine": "1.30", "ldh": "280"},
    ("P001", 6): {"creatinine": None, "ldh": "400"},
    ("P001", 7): {"creatinine": "1.00", "ldh": None},
    # P003 day 5: D-dimer 4.99 and exactly 5 (the day's highest, 5, scores 2 in the Chinese score).
    ("P003", 2): {"ddimer": "4.99"},
    ("P003", 3): {"ddimer": "5.0"},
    # P004 day 0: platelets 0, creatinine and LDH present: EASIX divides by zero (no score).
    # Day 3: D-dimer exactly 9 (Chinese 3).
    ("P004", 0): {"creatinine": "1.50", "ldh": "600"},
    ("P004", 1): {"ddimer": "9"},
    # P007: APTT missing on day 1 with PT 2.0 (the day is scored, APTT counting 0), exactly 10 on
    # day 6 (PT 2.5: APTT scores 1), 9.99 on day 8 (PT 2.9: 0); D-dimer 4.99, 5.0, 8.99, 9.0.
    ("P007", 0): {"ddimer": "1.00", "aptt_prol": None},
    ("P007", 1): {"ddimer": "4.99", "aptt_prol": "10.0"},
    ("P007", 2): {"ddimer": "5.0", "aptt_prol": "9.99"},
    ("P007", 3): {"ddimer": "8.99", "aptt_prol": None},
    ("P007", 4): {"ddimer": "9.0", "aptt_prol": "12.0"},
    ("P007", 5): {"ddimer": "1.20", "aptt_prol": "10.01"},
    # P008 (platelets >= 85, fibrinogen >= 2, PT <= 2.1): CARAC's strict flags. D-dimer exactly
    # 5 on day 1 (no flag), 5.01 on day 3; APTT exactly 10 on day 6 (no flag), 10.01 on day 18.
    ("P008", 0): {"ddimer": "2.0", "aptt_prol": "10"},
    ("P008", 1): {"ddimer": "5", "aptt_prol": "4.0"},
    ("P008", 2): {"ddimer": "5.01", "aptt_prol": "5.0"},
    ("P008", 3): {"ddimer": "4.80", "aptt_prol": "5.5"},
    ("P008", 4): {"ddimer": "1.50", "aptt_prol": "10.01"},
    # P009 (shock 1): Chinese boundaries. Day 0: PT exactly 3 (1), D-dimer 4.99 (0): 2+1+1 = 4.
    # Day 1: PT 2.9 with APTT exactly 10 (1), D-dimer exactly 5 (2): 2+1+2+1 = 6 (DIC, onset 1;
    # without the APTT and the clinical item the day scores 4). Day 2: platelets 50 (0), D-dimer
    # exactly 9 (3), PT 6 with APTT 15 (2, not 3), fibrinogen 1.0 (0): 2+1+3+2 = 8.
    ("P009", 0): {"ddimer": "4.99", "aptt_prol": None},
    ("P009", 1): {"ddimer": "5", "aptt_prol": "10"},
    ("P009", 2): {"ddimer": "9", "aptt_prol": "15.0"},
    ("P009", 3): {"ddimer": "8.99", "aptt_prol": None},
    ("P009", 4): {"ddimer": "5.0", "aptt_prol": "12.0"},
    # P010 day 2: D-dimer in the draw without fibrinogen, APTT in the draw without D-dimer.
    ("P010", 0): {"ddimer": "12.00", "aptt_prol": None},
    ("P010", 1): {"ddimer": None, "aptt_prol": "20.0"},
    ("P010", 2): {"ddimer": "3.00"},
    ("P010", 3): {"ddimer": None},
    # P011 day 28 (the window's last day): D-dimer 9.5.
    ("P011", 3): {"ddimer": "9.50"},
    # P012: D-dimer exactly 5 on day 3; no creatinine on day 10 (EASIX unscorable that day).
    ("P012", 0): {"ddimer": "5.00"},
    ("P012", 3): {"creatinine": None},
    # P013: the draws with every value missing stay fully missing.
    ("P013", 0): dict.fromkeys(EXTRA_LAB_COLUMNS),
    ("P013", 2): dict.fromkeys(EXTRA_LAB_COLUMNS),
    ("P013", 3): dict.fromkeys(EXTRA_LAB_COLUMNS),
}

# Patient-level additions for the edge-case patients (None = empty). Event days are study days.
HAND_EXTRA_PATIENTS = {
    "P003": {"shock": "0", "organ_failure": "0", "bleeding_day": "29", "thrombosis_day": "-1"},  # both outside 0...28
    "P004": {"organ_failure": "1"},
    "P005": {"shock": "0", "organ_failure": "0", "bleeding_day": "3", "thrombosis_day": None},   # no platelets in 0...28
    "P007": {"bleeding_day": None, "thrombosis_day": "0"},                                        # first window day
    "P008": {"bleeding_day": "28", "thrombosis_day": None},                                       # last window day
    "P009": {"shock": "1", "organ_failure": "0", "bleeding_day": "28", "thrombosis_day": None},
    "P010": {"shock": "1", "organ_failure": "1", "bleeding_day": None, "thrombosis_day": "12"},
    "P011": {"bleeding_day": "-1", "thrombosis_day": "29"},                                       # both outside
    "P012": {"bleeding_day": "40", "thrombosis_day": "5"},
    "P013": {"bleeding_day": None, "thrombosis_day": None},
}


def extend_data(patients, labs):
    """Appends the added columns to the rows make_data() returned, from a generator of their own."""
    rng = np.random.default_rng(SEED_EXTRA)
    for r in patients:
        pid, bleeding = r[0], r[3]
        v = {"shock": str(int(rng.random() < 0.15)), "organ_failure": str(int(rng.random() < 0.20))}
        day = int(rng.integers(-3, 45))
        v["bleeding_day"] = str(day) if bleeding == "1" and rng.random() < 0.85 else None
        day = int(rng.integers(-5, 60))
        v["thrombosis_day"] = str(day) if rng.random() < 0.15 else None
        v.update(HAND_EXTRA_PATIENTS.get(pid, {}))
        r += [blank(v[c]) for c in EXTRA_PATIENT_COLUMNS]
    seen = {}
    for r in labs:
        pid = r[0]
        k = seen[pid] = seen.get(pid, -1) + 1
        xuln = float(r[4]) if r[4] != "" else None
        pt = float(r[5]) if r[5] != "" else None
        plt = float(r[2]) if r[2] != "" else None
        dd = (xuln if xuln is not None else 1.0) * 1.25 * float(np.exp(rng.normal(0, 0.15)))
        aptt = max(0.0, (pt if pt is not None else 1.0) * 1.6 + rng.normal(0, 2.0))
        stress = 1.0 if plt is None else min(3.0, max(1.0, 150.0 / max(plt, 1.0)))
        cr = float(np.exp(rng.normal(math.log(0.85 * math.sqrt(stress)), 0.3)))
        ldh = float(np.exp(rng.normal(math.log(230 * stress), 0.35)))
        v = {"ddimer": f"{dd:.2f}", "aptt_prol": f"{aptt:.1f}", "creatinine": f"{cr:.2f}", "ldh": str(int(round(ldh)))}
        # exact thresholds now and then (Chinese D-dimer 5 and 9, APTT 10; CARAC D-dimer 5, APTT 10)
        if rng.random() < 0.07:
            v["ddimer"] = str(rng.choice(["5", "9", "5.0", "9.00"]))
        if rng.random() < 0.07:
            v["aptt_prol"] = str(rng.choice(["10", "10.0"]))
        for c in EXTRA_LAB_COLUMNS:
            if rng.random() < 0.12:
                v[c] = None
        v.update(HAND_EXTRA_LABS.get((pid, k), {}))
        r += [blank(v[c]) for c in EXTRA_LAB_COLUMNS]
    return patients, labs


def write_csv(path, header, rows):
    with open(path, "w", newline="") as f:
        f.write(",".join(header) + "\n")
        for r in rows:
            f.write(",".join(r) + "\n")


# --------------------------------------------------------------------------------------------
# Codebook: one derived variable per case
# --------------------------------------------------------------------------------------------

ISTH_POS = "isth_dic_score(labs.platelets, labs.ddimer_xuln, labs.pt_prol, labs.fibrinogen)"
ISTH_NAMED = ("isth_dic_score(platelets = labs.platelets, fibrin_marker = labs.ddimer_xuln, "
              "pt_prolongation = labs.pt_prol, fibrinogen = labs.fibrinogen)")
W = "days = 0...28"
CHINESE = ("chinese_dic_score(labs.platelets, labs.ddimer, labs.pt_prol, labs.fibrinogen, aptt_prolongation = labs.aptt_prol, "
           "bleeding = bleeding, shock = shock, organ_failure = organ_failure)")
CHINESE_LABS = "chinese_dic_score(labs.platelets, labs.ddimer, labs.pt_prol, labs.fibrinogen)"
CHINESE_NO_DISEASE = ("chinese_dic_score(platelets = labs.platelets, ddimer = labs.ddimer, pt_prolongation = labs.pt_prol, "
                      "fibrinogen = labs.fibrinogen, underlying_disease = 0)")
EASIX = "easix(labs.creatinine, labs.ldh, labs.platelets)"
CARAC = ("carac(bleeding_day, thrombosis_day, labs.platelets, ddimer = labs.ddimer, pt_prolongation = labs.pt_prol, "
         "fibrinogen = labs.fibrinogen)")
CARAC_50 = ("carac(bleeding_day, thrombosis_day, labs.platelets, ddimer = labs.ddimer, aptt_prolongation = labs.aptt_prol, "
            "pt_prolongation = labs.pt_prol, fibrinogen = labs.fibrinogen, platelet_cutoff = 50)")

# name, formula, spec for the independent computation, output kind ("real" or "int")
DERIVED = [
    ("plt_min_0_28", f"min(labs.platelets, {W})", ("summary", "min", "platelets", (0, 28)), "real"),
    ("plt_max_0_28", f"max(labs.platelets, {W})", ("summary", "max", "platelets", (0, 28)), "real"),
    ("plt_mean_0_28", f"mean(labs.platelets, {W})", ("summary", "mean", "platelets", (0, 28)), "real"),
    ("plt_first_0_28", f"first(labs.platelets, {W})", ("summary", "first", "platelets", (0, 28)), "real"),
    ("plt_last_0_28", f"last(labs.platelets, {W})", ("summary", "last", "platelets", (0, 28)), "real"),
    ("plt_count_0_28", f"count(labs.platelets, {W})", ("summary", "count", "platelets", (0, 28)), "int"),
    ("plt_min_m7_0", "min(labs.platelets, days = -7...0)", ("summary", "min", "platelets", (-7, 0)), "real"),
    ("fib_count_0_28", f"count(labs.fibrinogen, {W})", ("summary", "count", "fibrinogen", (0, 28)), "int"),
    ("fib_first_low", f"first_day(labs.fibrinogen < 1.5, {W})", ("first_day", "fibrinogen", "<", 1.5, (0, 28)), "int"),
    ("ddimer_first_above4", f"first_day(labs.ddimer_xuln > 4, {W})", ("first_day", "ddimer_xuln", ">", 4, (0, 28)), "int"),
    ("plt_first_day_eq50", f"first_day(labs.platelets == 50, {W})", ("first_day", "platelets", "==", 50, (0, 28)), "int"),
    ("plt_first_day_ge100", f"first_day(labs.platelets >= 100, {W})", ("first_day", "platelets", ">=", 100, (0, 28)), "int"),
    ("plt_days_below50", f"days_below(labs.platelets, 50, {W})", ("days_below", "platelets", 50, (0, 28)), "int"),
    ("plt_auc_0_28", f"auc(labs.platelets, {W})", ("auc", "platelets", (0, 28)), "real"),
    ("isth_max", f"max({ISTH_POS}, {W})", ("score", "max", "isth", None, (0, 28)), "int"),
    ("isth_max_named", f"max({ISTH_NAMED}, {W})", ("score", "max", "isth", None, (0, 28)), "int"),
    ("isth_min", f"min({ISTH_POS}, {W})", ("score", "min", "isth", None, (0, 28)), "int"),
    ("isth_count", f"count({ISTH_POS}, {W})", ("score", "count", "isth", None, (0, 28)), "int"),
    ("isth_onset", f"first_day({ISTH_NAMED} >= 5, {W})", ("score", "first_day", "isth", 5, (0, 28)), "int"),
    ("isth_first_ge3", f"first_day({ISTH_POS} >= 3, {W})", ("score", "first_day", "isth", 3, (0, 28)), "int"),
    ("isth_max_all", f"max({ISTH_POS}, days = -10...40)", ("score", "max", "isth", None, (-10, 40)), "int"),
    ("at_low_max", f"max(antithrombin_low(labs.antithrombin), {W})", ("score", "max", "at_low", None, (0, 28)), "int"),
    ("fib_low_max", f"max(fibrinogen_low(labs.fibrinogen), {W})", ("score", "max", "fib_low", None, (0, 28)), "int"),
    ("plt_drop", "plt_first_0_28 - plt_min_0_28", ("arith", "-", "plt_first_0_28", "plt_min_0_28"), "real"),
    ("plt_ratio", "plt_min_0_28 / plt_first_0_28", ("arith", "/", "plt_min_0_28", "plt_first_0_28"), "real"),
    # added with the Chinese DIC score, EASIX and CARAC (the columns above are unchanged)
    ("chinese_max", f"max({CHINESE}, {W})", ("score", "max", "chinese", None, (0, 28)), "int"),
    ("chinese_min", f"min({CHINESE}, {W})", ("score", "min", "chinese", None, (0, 28)), "int"),
    ("chinese_count", f"count({CHINESE}, {W})", ("score", "count", "chinese", None, (0, 28)), "int"),
    ("chinese_onset", f"first_day({CHINESE} >= 6, {W})", ("score", "first_day", "chinese", 6, (0, 28)), "int"),
    ("chinese_labs_max", f"max({CHINESE_LABS}, {W})", ("score", "max", "chinese_labs", None, (0, 28)), "int"),
    ("chinese_labs_onset", f"first_day({CHINESE_LABS} >= 6, {W})", ("score", "first_day", "chinese_labs", 6, (0, 28)), "int"),
    ("chinese_no_disease_max", f"max({CHINESE_NO_DISEASE}, {W})", ("score", "max", "chinese_no_disease", None, (0, 28)), "int"),
    ("easix_max", f"max({EASIX}, {W})", ("score", "max", "easix", None, (0, 28)), "real"),
    ("easix_min", f"min({EASIX}, {W})", ("score", "min", "easix", None, (0, 28)), "real"),
    ("easix_first", f"first({EASIX}, {W})", ("score", "first", "easix", None, (0, 28)), "real"),
    ("easix_count", f"count({EASIX}, {W})", ("score", "count", "easix", None, (0, 28)), "int"),
    ("carac_any", f"max({CARAC}, {W})", ("score", "max", "carac", None, (0, 28)), "int"),
    ("carac_count", f"count({CARAC}, {W})", ("score", "count", "carac", None, (0, 28)), "int"),
    ("carac_plt50_any", f"max({CARAC_50}, {W})", ("score", "max", "carac_plt50", None, (0, 28)), "int"),
    ("carac_plt50_onset", f"first_day({CARAC_50} >= 1, {W})", ("score", "first_day", "carac_plt50", 1, (0, 28)), "int"),
]

CODEBOOK_HEAD = """\
# Issue 15 linked-table fixture: SYNTHETIC patients and lab draws (not real patients), written by
# Tests/References/linked_table_references.py together with expected.csv.
variables:
  patient_id: identifier
  age: integer
  group: {type: categorical, levels: [A, B]}
  bleeding: binary
  shock: binary
  organ_failure: binary
  bleeding_day: integer
  thrombosis_day: integer
tables:
  labs:
    file: labs.csv
    id: patient_id
    day: day
    variables:
      platelets: {type: real, unit: x10^9/L, range: [0, 2000]}
      fibrinogen: {type: real, unit: g/L, range: [0, 20]}
      ddimer_xuln: {type: real, unit: xULN, range: [0, 1000]}
      pt_prol: {type: real, unit: s, range: [0, 200]}
      antithrombin: {type: real, unit: "%", range: [0, 200]}
      ddimer: {type: real, unit: mg/L, range: [0, 1000]}
      aptt_prol: {type: real, unit: s, range: [0, 200]}
      creatinine: {type: real, unit: mg/dL, range: [0, 30]}
      ldh: {type: real, unit: U/L, range: [0, 50000]}
derived:
"""


def codebook_text():
    return CODEBOOK_HEAD + "".join(f"  {name}: {formula}\n" for name, formula, _, _ in DERIVED)


# --------------------------------------------------------------------------------------------
# The per-day score definitions (written from the published definitions)
# --------------------------------------------------------------------------------------------

def isth_score(plt, dd, pt, fib):
    s = 2 if plt < 50 else 1 if plt < 100 else 0
    s += 3 if dd > 4 else 2 if dd >= 2 else 0
    s += 2 if pt >= 6 else 1 if pt >= 3 else 0
    s += 1 if fib < 1.0 else 0
    return s


def chinese_score(plt, dd, pt, fib, aptt=None, bleeding=None, shock=None, organ_failure=None, underlying_disease=1):
    """Chinese DIC Scoring System, haematological-malignancy variant (domain notes). An optional
    component that is missing (not given, or no value that day) adds nothing: the toolkit's rule."""
    s = 2 if underlying_disease else 0
    s += sum(1 for x in (bleeding, shock, organ_failure) if x is not None and x != 0)
    s += 1 if plt < 50 else 0
    s += 3 if dd >= 9 else 2 if dd >= 5 else 0
    s += 2 if pt >= 6 else 1 if pt >= 3 or (aptt is not None and aptt >= 10) else 0
    s += 1 if fib < 1.0 else 0
    return s


def easix_value(creatinine, ldh, plt):
    """creatinine x LDH / platelets, evaluated left to right; no value when platelets are 0."""
    if plt == 0:
        return None
    return creatinine * ldh / plt


def carac_flag(plt, bleeding_day, thrombosis_day, dd=None, aptt=None, pt=None, fib=None, cutoff=150):
    """CARAC on one day: a bleeding or thrombosis day in 0...28 (patient level) with platelets below
    the cut-off or a laboratory flag (strict: D-dimer > 5 mg/L, APTT > 10 s, PT > 3 s, fibrinogen
    < 1.5 g/L) among the values given that day."""
    event = any(d is not None and 0 <= d <= 28 for d in (bleeding_day, thrombosis_day))
    if not event:
        return 0
    flags = [dd is not None and dd > 5, aptt is not None and aptt > 10, pt is not None and pt > 3,
             fib is not None and fib < 1.5]
    if any(flags):
        return 1
    # An event, no laboratory flag: the platelet count decides; without one the answer is unknown.
    return None if plt is None else int(plt < cutoff)


CARAC_PLT = ("platelets", "min", False)  # optional: carac_flag decides when a missing count matters

# score name -> (lab components as (column, "min" or "max" = the most abnormal direction, required),
# patient-level columns (each stands for every day of its patient), function of the components'
# values then the patient values, None for a missing one; a None result is no score)
SCORES = {
    "isth": ([("platelets", "min", True), ("ddimer_xuln", "max", True), ("pt_prol", "max", True), ("fibrinogen", "min", True)],
             [], isth_score),
    "at_low": ([("antithrombin", "min", True)], [], lambda at: int(at < 70)),
    "fib_low": ([("fibrinogen", "min", True)], [], lambda fib: int(fib < 1.5)),
    "chinese": ([("platelets", "min", True), ("ddimer", "max", True), ("pt_prol", "max", True), ("fibrinogen", "min", True),
                 ("aptt_prol", "max", False)], ["bleeding", "shock", "organ_failure"], chinese_score),
    "chinese_labs": ([("platelets", "min", True), ("ddimer", "max", True), ("pt_prol", "max", True), ("fibrinogen", "min", True)],
                     [], chinese_score),
    "chinese_no_disease": ([("platelets", "min", True), ("ddimer", "max", True), ("pt_prol", "max", True), ("fibrinogen", "min", True)],
                           [], lambda plt, dd, pt, fib: chinese_score(plt, dd, pt, fib, underlying_disease=0)),
    "easix": ([("creatinine", "max", True), ("ldh", "max", True), ("platelets", "min", True)], [], easix_value),
    "carac": ([CARAC_PLT, ("ddimer", "max", False), ("pt_prol", "max", False), ("fibrinogen", "min", False)],
              ["bleeding_day", "thrombosis_day"],
              lambda plt, dd, pt, fib, b, t: carac_flag(plt, b, t, dd=dd, pt=pt, fib=fib)),
    "carac_plt50": ([CARAC_PLT, ("ddimer", "max", False), ("aptt_prol", "max", False), ("pt_prol", "max", False),
                     ("fibrinogen", "min", False)], ["bleeding_day", "thrombosis_day"],
                    lambda plt, dd, aptt, pt, fib, b, t: carac_flag(plt, b, t, dd=dd, aptt=aptt, pt=pt, fib=fib, cutoff=50)),
}

OPS = {"<": operator.lt, "<=": operator.le, ">": operator.gt, ">=": operator.ge, "==": operator.eq, "!=": operator.ne}


# --------------------------------------------------------------------------------------------
# Reference computation 1: pandas
# --------------------------------------------------------------------------------------------

def read_tables():
    patients = pd.read_csv(os.path.join(OUT_DIR, "patients.csv"), dtype=str, keep_default_na=False)
    labs = pd.read_csv(os.path.join(OUT_DIR, "labs.csv"), dtype=str, keep_default_na=False)
    labs["line"] = np.arange(len(labs))          # file order
    labs["day"] = labs["day"].map(int)
    for c in ALL_LAB_COLUMNS:
        labs[c] = labs[c].map(lambda s: float(s) if s != "" else np.nan)
    return patients, labs


def in_window(labs, window):
    a, b = window
    return labs[(labs["day"] >= a) & (labs["day"] <= b)]


def daily_scores(labs, patients, score, window):
    """Per patient-day with a draw in the window: the score, NaN when a required component is
    missing (or the definition gives none)."""
    comps, patient_cols, fn = SCORES[score]
    w = in_window(labs, window)
    day = w.groupby(["patient_id", "day"]).agg(**{c: (c, how) for c, how, _ in comps}).reset_index()
    if patient_cols:
        pat = patients[["patient_id"] + patient_cols].copy()
        for c in patient_cols:
            pat[c] = pat[c].map(lambda s: float(s) if s != "" else np.nan)
        pat.columns = ["patient_id"] + [f"patient.{c}" for c in patient_cols]
        day = day.merge(pat, on="patient_id", how="left", validate="many_to_one")
    ok = day[[c for c, _, required in comps if required]].notna().all(axis=1)
    inputs = [c for c, _, _ in comps] + [f"patient.{c}" for c in patient_cols]

    def value(vals):
        v = fn(*[None if math.isnan(x) else x for x in vals])
        return np.nan if v is None else float(v)

    day["score"] = np.nan
    day.loc[ok, "score"] = [value(vals) for vals in day.loc[ok, inputs].itertuples(index=False)]
    return day


def pandas_reference(patients, labs):
    ids = pd.Index(patients["patient_id"], name="patient_id")
    out = pd.DataFrame(index=ids)
    unscorable = []
    for name, _, spec, _ in DERIVED:
        kind = spec[0]
        if kind == "summary":
            _, how, col, window = spec
            v = in_window(labs, window).dropna(subset=[col]).sort_values(["day", "line"], kind="mergesort")
            g = v.groupby("patient_id")[col]
            res = {"min": g.min, "max": g.max, "mean": g.mean, "first": g.first, "last": g.last, "count": g.size}[how]()
            res = res.reindex(ids)
            if how == "count":
                res = res.fillna(0)
        elif kind == "first_day":
            _, col, op, c, window = spec
            v = in_window(labs, window).dropna(subset=[col])
            res = v[OPS[op](v[col], c)].groupby("patient_id")["day"].min().reindex(ids)
        elif kind == "days_below":
            _, col, c, window = spec
            v = in_window(labs, window).dropna(subset=[col])
            res = v[v[col] < c].groupby("patient_id")["day"].nunique().reindex(ids).fillna(0)
        elif kind == "auc":
            _, col, window = spec
            v = in_window(labs, window).dropna(subset=[col])
            per_day = v.groupby(["patient_id", "day"])[col].mean().reset_index().sort_values(["patient_id", "day"])

            def trapezoid(d):
                if len(d) < 2:
                    return np.nan
                x = d["day"].to_numpy(dtype=float)
                y = d[col].to_numpy()
                return float(np.sum((x[1:] - x[:-1]) * (y[1:] + y[:-1]) / 2.0))

            res = per_day.groupby("patient_id")[["day", col]].apply(trapezoid).reindex(ids)
        elif kind == "score":
            _, how, score, c, window = spec
            day = daily_scores(labs, patients, score, window)
            unscorable.append((name, score, window, len(day), int(day["score"].notna().sum()),
                               int(day["score"].isna().sum())))
            scored = day.dropna(subset=["score"])
            g = scored.groupby("patient_id")
            if how == "max":
                res = g["score"].max().reindex(ids)
            elif how == "min":
                res = g["score"].min().reindex(ids)
            elif how == "count":
                res = g.size().reindex(ids).fillna(0)
            elif how == "first":
                res = scored.sort_values(["patient_id", "day"]).groupby("patient_id")["score"].first().reindex(ids)
            elif how == "first_day":
                res = scored[scored["score"] >= c].groupby("patient_id")["day"].min().reindex(ids)
        elif kind == "arith":
            _, op, a, b = spec
            x, y = out[a], out[b]
            if op == "-":
                res = x - y
            else:
                res = x / y.where(y != 0)          # division by zero -> missing
        out[name] = res.astype(float)
    return out, unscorable


# --------------------------------------------------------------------------------------------
# Reference computation 2: plain Python (csv module, loops, exact fractions) as a cross-check
# --------------------------------------------------------------------------------------------

def python_reference():
    with open(os.path.join(OUT_DIR, "patients.csv"), newline="") as f:
        prows = list(csv.DictReader(f))
    ids = [r["patient_id"] for r in prows]
    patient = {r["patient_id"]: {c: (Fraction(r[c]) if r[c] != "" else None) for c in EXTRA_PATIENT_COLUMNS + ["bleeding"]}
               for r in prows}
    draws = {pid: [] for pid in ids}
    with open(os.path.join(OUT_DIR, "labs.csv"), newline="") as f:
        for line, r in enumerate(csv.DictReader(f)):
            d = {c: (Fraction(r[c]) if r[c] != "" else None) for c in ALL_LAB_COLUMNS}
            d["day"], d["line"] = int(r["day"]), line
            draws[r["patient_id"]].append(d)
    result = {}
    for pid in ids:
        vals = {}
        for name, _, spec, _ in DERIVED:
            kind = spec[0]
            win = spec[-1] if kind != "arith" else None
            rows = [d for d in draws[pid] if kind == "arith" or win[0] <= d["day"] <= win[1]]
            if kind == "summary":
                _, how, col, _ = spec
                xs = [(d["day"], d["line"], d[col]) for d in rows if d[col] is not None]
                xs.sort()
                v = [x for _, _, x in xs]
                if how == "count":
                    vals[name] = len(v)
                elif not v:
                    vals[name] = None
                else:
                    vals[name] = {"min": min(v), "max": max(v), "mean": sum(v) / len(v),
                                  "first": v[0], "last": v[-1]}[how]
            elif kind == "first_day":
                _, col, op, c, _ = spec
                hits = [d["day"] for d in rows if d[col] is not None and OPS[op](d[col], Fraction(c))]
                vals[name] = min(hits) if hits else None
            elif kind == "days_below":
                _, col, c, _ = spec
                vals[name] = len({d["day"] for d in rows if d[col] is not None and d[col] < c})
            elif kind == "auc":
                _, col, _ = spec
                by_day = {}
                for d in rows:
                    if d[col] is not None:
                        by_day.setdefault(d["day"], []).append(d[col])
                days = sorted(by_day)
                m = [sum(by_day[k]) / len(by_day[k]) for k in days]
                vals[name] = (sum((days[i + 1] - days[i]) * (m[i] + m[i + 1]) / 2 for i in range(len(days) - 1))
                              if len(days) >= 2 else None)
            elif kind == "score":
                _, how, score, c, _ = spec
                comps, patient_cols, fn = SCORES[score]
                scores = []
                for day in sorted({d["day"] for d in rows}):
                    parts = []
                    for col, direction, _ in comps:
                        xs = [d[col] for d in rows if d["day"] == day and d[col] is not None]
                        parts.append((min if direction == "min" else max)(xs) if xs else None)
                    if any(x is None for x, (_, _, required) in zip(parts, comps) if required):
                        continue
                    x = fn(*parts, *[patient[pid][c] for c in patient_cols])
                    if x is not None:
                        scores.append((day, x))
                s = [x for _, x in scores]
                if how == "count":
                    vals[name] = len(s)
                elif how == "first":
                    vals[name] = s[0] if s else None
                elif how == "first_day":
                    hits = [day for day, x in scores if x >= c]
                    vals[name] = hits[0] if hits else None
                else:
                    vals[name] = (max(s) if how == "max" else min(s)) if s else None
            elif kind == "arith":
                _, op, a, b = spec
                x, y = vals[a], vals[b]
                if x is None or y is None or (op == "/" and y == 0):
                    vals[name] = None
                else:
                    vals[name] = x - y if op == "-" else x / y
        result[pid] = vals
    return ids, result


def cross_check(out, ids, exact):
    """Stops on any disagreement; returns the largest relative difference of the inexact columns."""
    worst = {}
    for name, _, spec, _ in DERIVED:
        for pid in ids:
            p = out.at[pid, name]
            e = exact[pid][name]
            if e is None:
                if not math.isnan(p):
                    sys.exit(f"{pid} {name}: pandas {p!r}, python missing")
                continue
            if math.isnan(p):
                sys.exit(f"{pid} {name}: pandas missing, python {float(e)!r}")
            if p == float(e):
                continue
            # means, areas and what is computed from them may differ by rounding only
            rel = abs(Fraction(p) - Fraction(e)) / max(abs(Fraction(e)), Fraction(1, 10**300))
            if rel > Fraction(1, 10**13):
                sys.exit(f"{pid} {name}: pandas {p!r}, python {float(e)!r}")
            worst[name] = max(worst.get(name, 0.0), float(rel))
    return worst


# --------------------------------------------------------------------------------------------

def fmt(x, kind):
    if isinstance(x, float) and math.isnan(x):
        return ""
    if kind == "int":
        assert float(x).is_integer()
        return str(int(x))
    return repr(float(x))


def main():
    os.makedirs(OUT_DIR, exist_ok=True)
    patients, labs = extend_data(*make_data())
    write_csv(os.path.join(OUT_DIR, "patients.csv"), ALL_PATIENT_COLUMNS, patients)
    write_csv(os.path.join(OUT_DIR, "labs.csv"), ["patient_id", "day"] + ALL_LAB_COLUMNS, labs)
    with open(os.path.join(OUT_DIR, "codebook.yaml"), "w") as f:
        f.write(codebook_text())

    pt, lb = read_tables()
    out, unscorable = pandas_reference(pt, lb)
    ids, exact = python_reference()
    worst = cross_check(out, ids, exact)

    rows = [[pid] + [fmt(out.at[pid, name], kind) for name, _, _, kind in DERIVED] for pid in out.index]
    write_csv(os.path.join(OUT_DIR, "expected.csv"), ["patient_id"] + [n for n, _, _, _ in DERIVED], rows)
    write_csv(os.path.join(OUT_DIR, "unscorable.csv"),
              ["variable", "score", "window", "draw_days", "scored_days", "unscorable_days"],
              [[n, s, f"{w[0]}...{w[1]}", str(a), str(b), str(c)] for n, s, w, a, b, c in unscorable])

    print(f"patients {len(pt)}, lab rows {len(lb)}, derived variables {len(DERIVED)}")
    print("pandas and the plain-Python computation agree (exactly, except these relative differences):")
    for name, rel in sorted(worst.items()):
        print(f"  {name}: {rel:.3g}")
    print("pandas", pd.__version__, "numpy", np.__version__, "python", sys.version.split()[0])


if __name__ == "__main__":
    main()
