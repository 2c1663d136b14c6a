#!/usr/bin/env python3
"""Writes Tests/Fixtures/postgres/cohort.csv: a synthetic three-centre cohort (no real patients) for
the PostgreSQL tests (issue 17). Deterministic (seeded); run from the repository root."""
import math
import random

rng = random.Random(17)
centres = [("A", 150, -1.0), ("B", 120, -0.4), ("C", 90, 0.3)]
rows = []
pid = 0
for centre, n, practice in centres:
    for _ in range(n):
        pid += 1
        age = rng.randint(19, 84)
        ldh = round(rng.lognormvariate(math.log(320), 0.6), 1)
        sex = rng.choice(["F", "M"])
        disease = rng.choices(["LBCL", "B-ALL", "MCL"], [0.6, 0.25, 0.15])[0]
        icans_high = 1 if rng.random() < 0.3 else 0
        eta = practice - 2.0 + 0.02 * (age - 55) + 0.8 * math.log(ldh / 320) + 0.9 * icans_high \
            + {"LBCL": 0.0, "B-ALL": 0.5, "MCL": -0.3}[disease] + (0.25 if sex == "M" else 0.0)
        bleeding = 1 if rng.random() < 1 / (1 + math.exp(-eta)) else 0
        age_text = "" if rng.random() < 0.02 else str(age)
        ldh_text = "" if rng.random() < 0.03 else repr(ldh)
        rows.append([str(pid), centre, age_text, ldh_text, sex, disease, str(icans_high), str(bleeding)])

with open("Tests/Fixtures/postgres/cohort.csv", "w") as f:
    f.write("patient_id,centre,age,ldh,sex,disease,icans_high,bleeding\n")
    for row in rows:
        f.write(",".join(row) + "\n")
