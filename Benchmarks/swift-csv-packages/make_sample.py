#!/usr/bin/env python3
"""Write a deterministic, cohort-like CSV for Benchmarks/swift-csv-packages (standard library only).

    make_sample.py OUT.csv [--rows N] [--seed S]

Default: 160,000 data rows (about 20 MB), seed 20261122. The same arguments give the same bytes on any
machine (random.Random with a fixed seed; no numpy). UTF-8, LF line endings, a header row, 14 columns:

    patient_id       string id, e.g. P0004711-B2
    site             categorical text (8 hospital sites)
    sex              categorical text F / M (about 0.5 % empty)
    age              int 18-95
    smoking          categorical text never / former / current, about 4 % NA and 2 % empty
    bmi              real, 1 decimal (about 3 % empty)
    sbp              int, systolic blood pressure (about 2 % NA)
    creatinine       real, 2 decimals (about 5 % empty)
    hba1c            real, 1 decimal (about 6 % NA)
    ldl              real, 3 decimals
    egfr             real, 2 decimals (about 4 % empty)
    followup_days    int 1-3650
    event            int 0/1
    notes            free text, always quoted, always with commas; about 5 % contain an escaped quote ("")
                     and about 2 % a non-ASCII character (e.g. "umol/L" written with the micro sign)

No field starts or ends with a space and no unquoted field contains a comma or a quote, so every CSV parser
that follows RFC 4180 sees the same fields.
"""
import argparse
import random

SITES = ["Aarhus", "Bergen", "Cork", "Dresden", "Eindhoven", "Florence", "Graz", "Helsinki"]
SMOKING = ["never", "former", "current"]
PHRASES = [
    "stable on metformin", "dose increased", "seen in clinic", "referred to cardiology",
    "no adverse events", "lost to follow-up later", "HbA1c improving", "statin started",
    "BP controlled", "smoker, advised to quit", "renal function declining", "admitted once",
    "family history of CAD", "ACE inhibitor, then ARB", "eGFR stable", "diet only",
]
NON_ASCII = ["creatinine 98 \u00b5mol/L", "Dr. M\u00fcller", "caf\u00e9 visit", "CRP \u2264 5"]


def num(rng, value, decimals, p_missing, na_share=0.0):
    """Format a real with `decimals` decimals, or a missing cell ('' or 'NA')."""
    if rng.random() < p_missing:
        return "NA" if rng.random() < na_share else ""
    return f"{value:.{decimals}f}"


def notes(rng):
    parts = rng.sample(PHRASES, rng.randint(2, 4))
    if rng.random() < 0.02:
        parts.insert(rng.randint(0, len(parts)), rng.choice(NON_ASCII))
    text = ", ".join(parts)
    if rng.random() < 0.05:
        text += ', patient said ""fine""'
    return '"' + text + '"'


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out")
    ap.add_argument("--rows", type=int, default=160_000)
    ap.add_argument("--seed", type=int, default=20261122)
    a = ap.parse_args()
    rng = random.Random(a.seed)
    header = ["patient_id", "site", "sex", "age", "smoking", "bmi", "sbp", "creatinine", "hba1c", "ldl",
              "egfr", "followup_days", "event", "notes"]
    with open(a.out, "w", encoding="utf-8", newline="\n") as f:
        f.write(",".join(header) + "\n")
        for i in range(a.rows):
            age = rng.randint(18, 95)
            r = rng.random()
            smoking = "NA" if r < 0.04 else "" if r < 0.06 else rng.choice(SMOKING)
            row = [
                f"P{i + 1:07d}-{rng.choice('ABCD')}{rng.randint(0, 9)}",
                rng.choice(SITES),
                "" if rng.random() < 0.005 else rng.choice("FM"),
                str(age),
                smoking,
                num(rng, rng.gauss(27.5, 5.0), 1, 0.03),
                "NA" if rng.random() < 0.02 else str(int(rng.gauss(132, 18))),
                num(rng, rng.lognormvariate(0.0, 0.3), 2, 0.05),
                num(rng, rng.gauss(6.4, 1.1), 1, 0.06, na_share=1.0),
                num(rng, rng.gauss(3.1, 0.9), 3, 0.0),
                num(rng, max(5.0, rng.gauss(78, 20)), 2, 0.04),
                str(rng.randint(1, 3650)),
                "1" if rng.random() < 0.18 else "0",
                notes(rng),
            ]
            f.write(",".join(row) + "\n")


if __name__ == "__main__":
    main()
