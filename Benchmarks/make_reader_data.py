#!/usr/bin/env python3
"""Synthetic CAR-T cohort export for the reader suite of Benchmarks/run.

    make_reader_data.py [--n 1000000] [--quick] [--out-dir DIR] [--force]

Writes, into Benchmarks/.data/ (or --out-dir):

  reader_<tag>_25.csv   25 columns, one header line, LF line ends, RFC 4180 quoting
  reader_<tag>_25.json  sidecar: n, columns, seed, missing rates, counts of the special cells, stamp

<tag> is 1m for n = 1,000,000 (the default), 100k for n = 100,000 (--quick), else n. Prints the CSV's path.

Columns (one row per patient; the values are synthetic, drawn with numpy from a fixed seed):

  patient_id         "P0000001", ... unique, in order
  age                int 18-85 (about normal, mean 60, SD 12)
  sex                M / F
  disease            DLBCL, PMBCL, tFL, MCL, B-ALL
  product            axi-cel, tisa-cel, liso-cel, brexu-cel (depends on disease)
  infusion_date      ISO 8601 yyyy-mm-dd, 2017-01-01 .. 2022-12-31
  ten lab columns    platelets_baseline (int), ldh (int), fibrinogen (2 decimals), pt_peak (1 decimal),
                     ddimer_peak (2 decimals), crp (1 decimal), ferritin (int), hemoglobin (1 decimal),
                     wbc (2 decimals), antithrombin (int); each with 5-15 % missing cells, about 60 % of
                     them empty and 40 % "NA"
  crs_grade          0-4
  icans_grade        0-4, about 4 % missing (empty or "NA")
  bleeding           yes / no (about 9 % yes, more often with low platelets)
  bleeding_day       int 0-90 when bleeding == yes, empty otherwise
  thrombosis         0 / 1
  anticoagulation    true / false
  last_followup_day  int 1-2000
  death              0 / 1
  notes              empty for about 80 % of rows; otherwise free text with commas, always quoted;
                     about 2 % of the notes hold a quoted word (written as a doubled quote ""), and about
                     1 row in 10,000 has a line break (LF) inside its quoted note

Only notes need quoting (commas, quotes, line breaks); every other field is bare. The file is checked
after writing with Python's csv module: n records of 25 fields, the notes as generated.

Regeneration is skipped when the CSV and the sidecar exist and the sidecar's stamp (n, seed and a hash
of this script) matches and the CSV has the recorded size.
"""
from __future__ import annotations

import argparse
import csv
import hashlib
import json
import os
import sys
import time

import numpy as np

SEED = 20250117
COLUMNS = [
    "patient_id", "age", "sex", "disease", "product", "infusion_date",
    "platelets_baseline", "ldh", "fibrinogen", "pt_peak", "ddimer_peak", "crp", "ferritin", "hemoglobin", "wbc",
    "antithrombin",
    "crs_grade", "icans_grade", "bleeding", "bleeding_day", "thrombosis", "anticoagulation", "last_followup_day",
    "death", "notes",
]
assert len(COLUMNS) == 25

DISEASES = ["DLBCL", "PMBCL", "tFL", "MCL", "B-ALL"]
DISEASE_P = [0.55, 0.08, 0.12, 0.10, 0.15]
PRODUCTS = ["axi-cel", "tisa-cel", "liso-cel", "brexu-cel"]
PRODUCT_P_BY_DISEASE = {  # rows follow DISEASES, columns PRODUCTS
    "DLBCL": [0.55, 0.25, 0.20, 0.00],
    "PMBCL": [0.70, 0.05, 0.25, 0.00],
    "tFL":   [0.50, 0.25, 0.25, 0.00],
    "MCL":   [0.00, 0.00, 0.10, 0.90],
    "B-ALL": [0.00, 0.55, 0.00, 0.45],
}
# Lab columns: (name, decimals, missing rate).
LABS = [
    ("platelets_baseline", 0, 0.06), ("ldh", 0, 0.08), ("fibrinogen", 2, 0.12), ("pt_peak", 1, 0.10),
    ("ddimer_peak", 2, 0.15), ("crp", 1, 0.05), ("ferritin", 0, 0.09), ("hemoglobin", 1, 0.07),
    ("wbc", 2, 0.06), ("antithrombin", 0, 0.14),
]
EMPTY_SHARE_OF_MISSING = 0.6   # the rest are "NA"
NOTE_RATE = 0.20
QUOTED_WORD_RATE = 0.02        # of the notes
NEWLINE_RATE_PER_ROW = 1e-4    # of all rows
NOTE_PHRASES = [
    "CRS onset day {d}, tocilizumab x{k}",
    "ICANS grade {g}, dexamethasone started",
    "platelets transfused, {k} units",
    "bridging therapy: R-GemOx, cycles: {k}",
    "readmitted day {d}, febrile neutropenia",
    "epistaxis, managed conservatively",
    "DVT left leg, LMWH started day {d}",
    "lost to follow-up, last contact by phone",
    "consent withdrawn, data to day {d}",
    "prolonged cytopenia, G-CSF given",
    "HLH-like features, anakinra day {d}",
    "tumor flare, steroids {k} days",
    "fibrinogen low, cryoprecipitate given",
    "PET at day {d}: CR, Deauville 2",
]
QUOTED_WORDS = ["fine", "tired", "better", "no pain", "dizzy"]


def stamp_for(n: int) -> str:
    with open(__file__, "rb") as f:
        source = hashlib.sha256(f.read()).hexdigest()[:16]
    return f"n={n};seed={SEED};src={source}"


def fixed(values: np.ndarray, decimals: int) -> np.ndarray:
    if decimals == 0:
        return np.rint(values).astype(np.int64).astype(str)
    return np.char.mod(f"%.{decimals}f", np.round(values, decimals))


def with_missing(text: np.ndarray, rate: float, rng: np.random.Generator) -> tuple[np.ndarray, int, int]:
    """Blanks a share `rate` of the cells: EMPTY_SHARE_OF_MISSING of them empty, the rest "NA"."""
    text = text.astype(object)
    u = rng.random(text.shape[0])
    empty = u < rate * EMPTY_SHARE_OF_MISSING
    na = (u >= rate * EMPTY_SHARE_OF_MISSING) & (u < rate)
    text[empty] = ""
    text[na] = "NA"
    return text, int(empty.sum()), int(na.sum())


def make_notes(n: int, rng: np.random.Generator) -> tuple[list[str], dict]:
    """Raw note text per row ("" for none), and counts of the special cases."""
    has_note = rng.random(n) < NOTE_RATE
    idx = np.flatnonzero(has_note)
    m = idx.size
    n_phrases = rng.choice([1, 2, 3], size=m, p=[0.5, 0.35, 0.15])
    phrase = rng.integers(0, len(NOTE_PHRASES), size=(m, 3))
    d = rng.integers(0, 91, size=(m, 3))
    k = rng.integers(1, 6, size=(m, 3))
    g = rng.integers(1, 5, size=(m, 3))
    quoted = rng.random(m) < QUOTED_WORD_RATE
    word = rng.integers(0, len(QUOTED_WORDS), size=m)
    # Line breaks: NEWLINE_RATE_PER_ROW of all rows, among the rows that have a note.
    newline = rng.random(m) < NEWLINE_RATE_PER_ROW / NOTE_RATE
    notes = [""] * n
    for j in range(m):
        parts = [NOTE_PHRASES[phrase[j, i]].format(d=d[j, i], k=k[j, i], g=g[j, i]) for i in range(n_phrases[j])]
        if quoted[j]:
            parts.append(f'patient says "{QUOTED_WORDS[word[j]]}", reviewed')
        sep = ", "
        text = sep.join(parts)
        if newline[j]:
            text = parts[0] + ",\n" + (sep.join(parts[1:]) if len(parts) > 1 else "see discharge letter, page 2")
        notes[idx[j]] = text
    counts = {"notes": int(m), "notes_with_doubled_quote": int(quoted.sum()),
              "notes_with_line_break": int(newline.sum())}
    return notes, counts


def generate(n: int) -> tuple[list[np.ndarray], list[str], dict]:
    """The 25 columns as arrays of field text (quoted where needed), the raw notes, and facts for the sidecar."""
    rng = np.random.default_rng(SEED)
    facts: dict = {"missing": {}}
    cols: dict[str, np.ndarray] = {}
    assert n < 10_000_000, "patient_id has 7 digits"
    cols["patient_id"] = np.char.mod("P%07d", np.arange(1, n + 1))
    cols["age"] = np.clip(np.rint(rng.normal(60, 12, n)), 18, 85).astype(np.int64).astype(str)
    cols["sex"] = np.where(rng.random(n) < 0.6, "M", "F")
    disease = rng.choice(len(DISEASES), size=n, p=DISEASE_P)
    cols["disease"] = np.array(DISEASES)[disease]
    product = np.empty(n, dtype=np.int64)
    for i, name in enumerate(DISEASES):
        rows = np.flatnonzero(disease == i)
        product[rows] = rng.choice(len(PRODUCTS), size=rows.size, p=PRODUCT_P_BY_DISEASE[name])
    cols["product"] = np.array(PRODUCTS)[product]
    start, stop = np.datetime64("2017-01-01"), np.datetime64("2023-01-01")
    days = rng.integers(0, (stop - start).astype(int), size=n)
    cols["infusion_date"] = np.datetime_as_string(start + days.astype("timedelta64[D]"), unit="D")

    platelets = np.clip(rng.lognormal(np.log(150), 0.55, n), 5, 600)
    values = {
        "platelets_baseline": platelets,
        "ldh": np.clip(rng.lognormal(np.log(280), 0.6, n), 90, 5000),
        "fibrinogen": np.clip(rng.normal(3.5, 1.2, n), 0.5, 9.0),
        "pt_peak": 11 + np.clip(rng.gamma(2.0, 1.5, n), 0, 29),
        "ddimer_peak": np.clip(rng.lognormal(np.log(2.0), 0.9, n), 0.19, 80),
        "crp": np.clip(rng.lognormal(np.log(40), 1.1, n), 0.2, 600),
        "ferritin": np.clip(rng.lognormal(np.log(900), 1.0, n), 10, 60000),
        "hemoglobin": np.clip(rng.normal(10.5, 1.7, n), 6, 16),
        "wbc": np.clip(rng.lognormal(np.log(4.0), 0.7, n), 0.05, 60),
        "antithrombin": np.clip(rng.normal(85, 18, n), 20, 140),
    }
    for name, decimals, rate in LABS:
        cols[name], empty, na = with_missing(fixed(values[name], decimals), rate, rng)
        facts["missing"][name] = {"rate": rate, "empty": empty, "NA": na}

    cols["crs_grade"] = rng.choice(5, size=n, p=[0.30, 0.40, 0.20, 0.07, 0.03]).astype(str)
    icans = rng.choice(5, size=n, p=[0.60, 0.15, 0.13, 0.09, 0.03]).astype(str)
    cols["icans_grade"], empty, na = with_missing(icans, 0.04, rng)
    facts["missing"]["icans_grade"] = {"rate": 0.04, "empty": empty, "NA": na}
    bleeding = rng.random(n) < np.where(platelets < 50, 0.25, 0.07)
    cols["bleeding"] = np.where(bleeding, "yes", "no")
    bleeding_day = rng.integers(0, 91, size=n).astype(str).astype(object)
    bleeding_day[~bleeding] = ""
    cols["bleeding_day"] = bleeding_day
    facts["bleeding"] = int(bleeding.sum())
    cols["thrombosis"] = (rng.random(n) < 0.06).astype(np.int64).astype(str)
    cols["anticoagulation"] = np.where(rng.random(n) < 0.15, "true", "false")
    cols["last_followup_day"] = rng.integers(1, 2001, size=n).astype(str)
    cols["death"] = (rng.random(n) < 0.30).astype(np.int64).astype(str)

    notes, counts = make_notes(n, rng)
    facts.update(counts)
    cols["notes"] = np.array(['"' + t.replace('"', '""') + '"' if t else "" for t in notes], dtype=object)
    return [cols[c] for c in COLUMNS], notes, facts


def verify(path: str, n: int, notes: list[str]) -> None:
    """Reads the file back with Python's csv module: the header, n records of 25 fields, the notes as made."""
    with open(path, newline="") as f:
        reader = csv.reader(f)
        header = next(reader)
        if header != COLUMNS:
            raise SystemExit(f"make_reader_data: {path}: header is {header}")
        rows = 0
        for record in reader:
            if len(record) != 25:
                raise SystemExit(f"make_reader_data: {path}: record {rows + 1} has {len(record)} fields")
            if record[24] != notes[rows]:
                raise SystemExit(f"make_reader_data: {path}: record {rows + 1}: notes read back differ")
            rows += 1
    if rows != n:
        raise SystemExit(f"make_reader_data: {path}: {rows} records, expected {n}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=None, help="rows (default 1,000,000; 100,000 with --quick)")
    parser.add_argument("--quick", action="store_true", help="n = 100,000")
    parser.add_argument("--out-dir", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), ".data"))
    parser.add_argument("--force", action="store_true", help="regenerate even when the stamp matches")
    args = parser.parse_args()

    n = args.n if args.n is not None else (100_000 if args.quick else 1_000_000)
    tag = {1_000_000: "1m", 100_000: "100k"}.get(n, str(n))
    csv_path = os.path.join(args.out_dir, f"reader_{tag}_25.csv")
    json_path = os.path.join(args.out_dir, f"reader_{tag}_25.json")
    stamp = stamp_for(n)
    if not args.force and os.path.exists(csv_path) and os.path.exists(json_path):
        try:
            with open(json_path) as f:
                meta = json.load(f)
            if meta.get("stamp") == stamp and os.path.getsize(csv_path) == meta.get("bytes"):
                print(f"make_reader_data: {csv_path} up to date", file=sys.stderr)
                print(csv_path)
                return 0
        except (OSError, ValueError):
            pass

    t0 = time.time()
    os.makedirs(args.out_dir, exist_ok=True)
    columns, notes, facts = generate(n)
    t_generated = time.time() - t0

    tmp_csv = csv_path + ".tmp"
    with open(tmp_csv, "w", newline="\n", encoding="utf-8") as f:
        f.write(",".join(COLUMNS) + "\n")
        chunk = 100_000
        for start in range(0, n, chunk):
            stop = min(n, start + chunk)
            rows = zip(*(c[start:stop].tolist() for c in columns))
            f.write("\n".join(",".join(r) for r in rows))
            f.write("\n")
    t_written = time.time() - t0
    verify(tmp_csv, n, notes)
    size = os.path.getsize(tmp_csv)
    meta = {
        "n": n,
        "columns": COLUMNS,
        "seed": SEED,
        "bytes": size,
        "line_end": "LF",
        "quoting": "RFC 4180: only notes are quoted (always, when not empty); quotes inside doubled",
        "missing_tokens": ["", "NA"],
        **facts,
        "stamp": stamp,
    }
    tmp_json = json_path + ".tmp"
    with open(tmp_json, "w") as f:
        json.dump(meta, f, indent=1)
        f.write("\n")
    os.replace(tmp_csv, csv_path)
    os.replace(tmp_json, json_path)  # last: the stamp marks a complete pair
    print(f"make_reader_data: wrote {csv_path} (n={n:,}, {size / 1e6:.0f} MB; generate {t_generated:.1f} s, "
          f"write {t_written - t_generated:.1f} s, check {time.time() - t0 - t_written:.1f} s)", file=sys.stderr)
    print(csv_path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
