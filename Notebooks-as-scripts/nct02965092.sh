#!/usr/bin/env bash
# NCT02965092 (anti-CD19 CAR-T in relapsed/refractory B-ALL; Ann Hematol 2019): CRS-related
# coagulopathy and DIC, walked through the way its methods section reads, on the SYNTHETIC
# reconstruction in Datasets/nct02965092/ (no real patients). Prints Markdown to stdout:
#
#   Notebooks-as-scripts/nct02965092.sh > nct02965092.md
#
# Uses .build/release/cohort (built if missing) or the binary named by $COHORT.
set -euo pipefail
cd "$(dirname "$0")/.."
COHORT=${COHORT:-.build/release/cohort}
[[ -x $COHORT ]] || swift build -c release --product cohort >&2
DATA=Datasets/nct02965092/cohort.csv   # its codebook (codebook.yaml) is found next to it
run() { echo; echo '```'; echo "\$ cohort $*"; echo '```'; echo; "$COHORT" "$@"; }

cat <<'MD'
# Coagulopathy after CAR-T in B-ALL: NCT02965092, reproduced on a synthetic cohort

> The data are a **synthetic reconstruction** of the published aggregates (53 patients), written
> by a seeded generator (`swift run cohort-datasets`). No real patient is in them; laboratory
> values were invented so that the published counts follow from the scoring rules, as listed in
> `Datasets/nct02965092/README.md`.

## 1. Load and check the data

The codebook derives the ASTCT CRS grade from fever, hypotension and hypoxia, the CARAC laboratory
flags, and both DIC scores (Chinese DIC Scoring System, DIC at ≥ 6 points; ISTH overt DIC, ≥ 5)
from the coded laboratory values.
MD
run validate "$DATA"

cat <<'MD'

## 2. The cohort

By coagulation disorder (any CARAC laboratory flag):
MD
run describe "$DATA" --variables age,sex,crs_grade,neurotox_grade,plt,ddimer,fibrinogen,pt_prolong,aptt_prolong,remission_1mo --by coag_disorder --format md

cat <<'MD'

## 3. Incidence with exact confidence intervals

Coagulation disorders, DIC by the Chinese score, severe CRS and remission at one month, with
Clopper-Pearson intervals; then DIC by the ISTH score on the same laboratory values, for contrast
(the two scores disagree, as in LEGEND-2).
MD
for outcome in coag_disorder dic crs_3_4 neurotox_2_3 remission_1mo isth_dic; do
    run incidence "$DATA" --outcome "$outcome" --format md
done

cat <<'MD'

## 4. Univariable tests

Coagulopathy and DIC against CRS grade: Fisher's exact test, and the Cochran-Armitage test for a
trend across the ordered grades.
MD
run compare "$DATA" --outcome coag_disorder --factors crs_grade,neurotox_grade --format md
run compare "$DATA" --outcome coag_disorder --factors crs_grade --trend --format md
run compare "$DATA" --outcome dic --factors crs_grade --trend --format md

cat <<'MD'

The paper reports that coagulopathy severity rose with CRS grade; Spearman's rank correlation:
MD
run correlate "$DATA" --x crs_grade --y coag_severity --method spearman --format md

cat <<'MD'

## 5. A model: maximum likelihood and Firth side by side

Coagulation disorder on severe CRS (grade 3-4). With 30 events a single covariate is well
supported; Firth's estimate is shown beside the maximum-likelihood one.
MD
run logit "$DATA" --outcome coag_disorder --covariates crs_3_4 --format md
run logit "$DATA" --outcome coag_disorder --covariates crs_3_4 --firth --format md

cat <<'MD'

(The trial's report gives counts, not event days, so this dataset carries no times and no
cumulative-incidence analysis: see the Johnsrud 2021 notebook for that.)

## 6. Every published figure, recomputed

MD
"$COHORT" reproduce nct02965092 --format md
