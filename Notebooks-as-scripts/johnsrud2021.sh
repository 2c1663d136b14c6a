#!/usr/bin/env bash
# Johnsrud et al. 2021 (Blood Adv 5:4465), bleeding and thrombosis after CAR-T, walked through the
# way its methods section reads, on the SYNTHETIC reconstruction in Datasets/johnsrud2021/ (no real
# patients). Prints Markdown to stdout:
#
#   Notebooks-as-scripts/johnsrud2021.sh > johnsrud2021.md
#
# Uses .build/release/cohort (built if missing) or the binary named by $COHORT.
set -euo pipefail
cd "$(dirname "$0")/.."
COHORT=${COHORT:-.build/release/cohort}
[[ -x $COHORT ]] || swift build -c release --product cohort >&2
DATA=Datasets/johnsrud2021/cohort.csv   # its codebook (codebook.yaml) is found next to it
run() { echo; echo '```'; echo "\$ cohort $*"; echo '```'; echo; "$COHORT" "$@"; }

cat <<'MD'
# Bleeding and thrombosis after CAR-T: Johnsrud 2021, reproduced on a synthetic cohort

> The data are a **synthetic reconstruction** of the published aggregates (127 patients), written
> by a seeded generator (`swift run cohort-datasets`). No real patient is in them; values the paper
> never published were invented and are listed in `Datasets/johnsrud2021/README.md`.

## 1. Load and check the data

Every command reads the CSV through its codebook (types, ranges, levels, derived variables such as
`bleeding_any`, `icans_high` = ICANS grade ≥ 3 and `plt_low` = baseline platelets < 100 × 10⁹/L).
MD
run validate "$DATA"

cat <<'MD'

## 2. The cohort

Baseline characteristics by bleeding at any time in follow-up: measurements as median [IQR] with
the Wilcoxon rank-sum test, categories as n (%) with chi-square or Fisher's exact test, as chosen
by the expected counts.
MD
run describe "$DATA" --variables age,sex,disease,product,plt_baseline,ldh,crs_grade,icans_high,anticoagulation --by bleeding_any --format md

cat <<'MD'

## 3. Incidence with exact confidence intervals

Bleeding and thrombosis at any time, with Clopper-Pearson intervals, overall and by CAR-T product.
MD
run incidence "$DATA" --outcome bleeding_any --format md
run incidence "$DATA" --outcome thrombosis_any --format md
run incidence "$DATA" --outcome bleeding_any --by product --format md

cat <<'MD'

## 4. Univariable tests

Each candidate factor against bleeding. The paper reports baseline platelets (median 86 vs 178,
P < .01) and ICANS grade ≥ 3 (50% vs 15%, P = .01, Fisher's exact test) as risk factors.
MD
run compare "$DATA" --outcome bleeding_any --factors plt_baseline,plt_nadir,fibrinogen_nadir,ldh,age,icans_high,crs_grade,anticoagulation --format md
run compare "$DATA" --outcome thrombosis_any --factors icans_high,crs_grade --format md

cat <<'MD'

## 5. The multivariable model: maximum likelihood and Firth side by side

Twelve events allow one or two covariates. Maximum likelihood is biased away from zero with so few
events; Firth's penalised likelihood corrects that bias and stays finite under separation. Both
fits, with profile-likelihood intervals:
MD
run logit "$DATA" --outcome bleeding_any --covariates plt_low,icans_high --format md
run logit "$DATA" --outcome bleeding_any --covariates plt_low,icans_high --firth --format md

cat <<'MD'

Low baseline platelets stay associated with bleeding; ICANS grade ≥ 3 does not, once platelets
are in the model. A BCa bootstrap interval for the Firth odds ratios (2,000 resamples, seed 1):
MD
run logit "$DATA" --outcome bleeding_any --covariates plt_low,icans_high --firth --bootstrap 2000 --seed 1 --no-lr --format md

cat <<'MD'

## 6. Cumulative incidence with death as a competing risk

A patient who dies before bleeding can no longer bleed: 1 − Kaplan-Meier would overstate the
incidence. The Aalen-Johansen estimate treats death as a competing event; Gray's test compares the
products.
MD
run cuminc "$DATA" --event-days bleeding=bleeding_day,death=death_day --followup-day last_followup_day --event bleeding --days 28,90,365 --by product --format md

cat <<'MD'

## 7. Every published figure, recomputed

MD
"$COHORT" reproduce johnsrud2021 --format md
