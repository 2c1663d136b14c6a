# Independent check of the shipped synthetic datasets (Datasets/johnsrud2021, Datasets/nct02965092):
# recomputes every figure of each study's published.yaml from cohort.csv and labs.csv with base R
# and brglm2, written without the toolkit's code (the laboratory summaries, the derived variables
# and both DIC scores are re-implemented here from the definitions in the shared domain facts).
# Prints study / figure / published / computed / match, checks plausibility invariants, cross-checks
# the ids and printed values against published.yaml, writes Tests/Fixtures/datasets/figures.json,
# and exits 1 on any mismatch.
#
# Laboratory summaries (issue 15): windows are inclusive study days; a missing value is ignored;
# first/last take the first/last draw in the window that has the value; a per-day score takes each
# component's most abnormal value that day and is missing on a day lacking a component.
#
# Usage (repository root): Rscript Tests/References/dataset_figures.R [DATASETS_DIR]
suppressPackageStartupMessages(library(brglm2))

args <- commandArgs(trailingOnly = TRUE)
root <- if (length(args) >= 1) args[1] else "Datasets"
out_json <- "Tests/Fixtures/datasets/figures.json"

# ---- formats: the journal's printing rules (documented in Datasets/README.md) ----
drop_zero <- function(s) sub("^0\\.", ".", s)
fmt <- list(
  integer = function(v) sprintf("%d", as.integer(round(v$value))),
  fraction = function(v) sprintf("%d/%d", v$k, v$n),
  percent0 = function(v) sprintf("%.0f%%", round(100 * v$k / v$n + 1e-9, 0)),
  percent1 = function(v) sprintf("%.1f%%", round(100 * v$k / v$n + 1e-9, 1)),
  number = function(v) { r <- round(v$value, 1); if (r == round(r)) sprintf("%d", as.integer(r)) else sprintf("%.1f", r) },
  # two decimals, no leading zero; a P that rounds to .00 is printed "<.01"
  p_journal = function(v) { r <- round(v$p, 2); if (r < 0.01) "<.01" else drop_zero(sprintf("%.2f", r)) },
  sig2 = function(v) formatC(signif(v$p, 2), format = "fg", digits = 2)
)

rows <- list()
add <- function(study, id, published, format = NULL, v, expect = NULL) {
  if (is.null(expect)) {
    computed <- fmt[[format]](v)
    match <- identical(computed, published)
  } else {
    computed <- sprintf("P = %.4g", v$p)
    ok <- TRUE
    if (!is.null(expect$p_below)) ok <- ok && v$p < expect$p_below
    if (!is.null(expect$p_at_least)) ok <- ok && v$p >= expect$p_at_least
    if (!is.null(expect$direction)) {
      computed <- sprintf("%s, %s", computed, v$direction)
      ok <- ok && identical(v$direction, expect$direction)
    }
    match <- ok
  }
  value <- if (!is.null(v$p)) v$p else if (!is.null(v$value)) v$value else v$k / v$n
  rows[[length(rows) + 1]] <<- data.frame(study = study, figure = id, published = published, computed = computed,
                                          match = match, value = value, stringsAsFactors = FALSE)
}

# ---- the analysis kinds of published.yaml, written once here ----
subset_rows <- function(d, where) {
  keep <- rep(TRUE, nrow(d))
  for (name in names(where)) keep <- keep & !is.na(d[[name]]) & d[[name]] == where[[name]]
  d[keep, , drop = FALSE]
}
count <- function(d, where = list()) list(value = nrow(subset_rows(d, where)))
proportion <- function(d, outcome, where = list()) {
  s <- subset_rows(d, where); y <- s[[outcome]][!is.na(s[[outcome]])]
  list(k = sum(y == 1), n = length(y))
}
summary_stat <- function(d, variable, statistic, where = list()) {
  x <- subset_rows(d, where)[[variable]]; x <- x[!is.na(x)]
  list(value = switch(statistic, median = median(x), min = min(x), max = max(x)))
}
fisher <- function(d, outcome, factor) {
  ok <- !is.na(d[[outcome]]) & !is.na(d[[factor]])
  list(p = fisher.test(table(d[[factor]][ok], d[[outcome]][ok]))$p.value)
}
# Two-sided Wilcoxon rank-sum, normal approximation with tie and continuity corrections.
ranksum <- function(d, variable, by) {
  ok <- !is.na(d[[variable]]) & !is.na(d[[by]])
  x <- d[[variable]][ok]; g <- d[[by]][ok]
  t <- wilcox.test(x[g == 1], x[g == 0], exact = FALSE, correct = TRUE)
  m1 <- median(x[g == 1]); m0 <- median(x[g == 0])
  list(p = t$p.value, direction = if (m1 > m0) "higher" else if (m1 < m0) "lower" else "equal")
}
logistic <- function(d, outcome, covariates, term, method) {
  f <- reformulate(covariates, outcome)
  # Tight convergence so the unrounded P values are references to ~1e-10, not to R's default
  # stopping rules (glm's epsilon 1e-8 on the deviance, brglm2's 1e-6).
  fit <- if (method == "firth") glm(f, binomial, d, method = "brglmFit", type = "AS_mean", epsilon = 1e-12, maxit = 200)
         else glm(f, binomial, d, control = glm.control(epsilon = 1e-14, maxit = 100))
  # glm's standard errors use the IRLS weights of the step before the last, off by ~1e-7 here;
  # one more fit started at the estimate puts them at the estimate itself.
  if (method != "firth") fit <- glm(f, binomial, d, start = coef(fit), control = glm.control(epsilon = 1e-14, maxit = 100))
  co <- summary(fit)$coefficients
  list(p = co[term, "Pr(>|z|)"], estimate = co[term, "Estimate"])
}
spearman <- function(d, x, y) {
  t <- suppressWarnings(cor.test(d[[x]], d[[y]], method = "spearman", exact = FALSE))
  list(p = t$p.value, direction = if (t$estimate > 0) "positive" else "negative", rho = unname(t$estimate))
}

invariants <- character(0)
check <- function(ok, what) if (!all(ok, na.rm = TRUE)) invariants <<- c(invariants, what)

# ---- linked laboratory tables (labs.csv: one row a draw) ----
read_labs <- function(path, ids) {
  l <- read.csv(path, na.strings = "", stringsAsFactors = FALSE)
  check(all(l$patient_id %in% ids), paste(basename(dirname(path)), "labs: every patient_id is a patient"))
  check(!is.unsorted(l$patient_id * 10000 + l$day), paste(basename(dirname(path)), "labs: sorted by patient, then day"))
  l
}
first_value <- function(x) x[1]
last_value <- function(x) x[length(x)]
# f over the patient's present values of `col` on days a..b (inclusive, in row order); NA when none.
lab_summary <- function(l, col, a, b, f, ids) {
  w <- l[l$day >= a & l$day <= b & !is.na(l[[col]]), ]
  sapply(ids, function(id) { x <- w[[col]][w$patient_id == id]; if (length(x)) f(x) else NA })
}

# ================= Johnsrud 2021 =================
J <- "johnsrud2021"
d <- read.csv(file.path(root, J, "cohort.csv"), na.strings = "", stringsAsFactors = FALSE)
stopifnot(nrow(d) == 127)
jl <- read_labs(file.path(root, J, "labs.csv"), d$patient_id)
# The laboratory summaries, as the codebook derives them from labs.csv.
d$plt_baseline <- lab_summary(jl, "platelets", -14, -1, first_value, d$patient_id)
d$plt_nadir <- lab_summary(jl, "platelets", 0, 30, min, d$patient_id)
d$fibrinogen_nadir <- lab_summary(jl, "fibrinogen", 0, 30, min, d$patient_id)
d$pt_peak <- lab_summary(jl, "pt", 0, 30, max, d$patient_id)
d$ddimer_peak <- lab_summary(jl, "ddimer", 0, 30, max, d$patient_id)
for (v in c("plt_baseline", "plt_nadir", "fibrinogen_nadir", "pt_peak", "ddimer_peak")) check(!is.na(d[[v]]), paste(v, "present for everyone"))
# Days of the extremes (README: on days 4-11, where the laboratory changes after CAR-T peak).
extreme_day <- function(l, col, value) sapply(seq_along(d$patient_id), function(i) {
  x <- l[l$patient_id == d$patient_id[i] & l$day >= 0 & l$day <= 30 & !is.na(l[[col]]), ]
  x$day[x[[col]] == value[i]][1]
})
j_days <- cbind(platelets = extreme_day(jl, "platelets", d$plt_nadir), fibrinogen = extreme_day(jl, "fibrinogen", d$fibrinogen_nadir),
                pt = extreme_day(jl, "pt", d$pt_peak), ddimer = extreme_day(jl, "ddimer", d$ddimer_peak))
check(j_days >= 4 & j_days <= 11, "Johnsrud nadirs and peaks on days 4-11")
check(is.na(d$bleeding_day) | j_days[, "platelets"] <= d$bleeding_day, "a bleeder's platelet nadir not after the bleed")
check(tapply(jl$day, jl$patient_id, max)[as.character(d$patient_id)] <= d$last_followup_day, "no draw after last follow-up")
# Derived variables, as the codebook defines them (re-implemented).
d$icans_high <- as.integer(d$icans_grade >= 3)
d$plt_low <- as.integer(d$plt_baseline < 100)
d$bleeding_any <- as.integer(!is.na(d$bleeding_day) & d$bleeding_day >= 0 & d$bleeding_day <= 3650)
d$thrombosis_any <- as.integer(!is.na(d$thrombosis_day) & d$thrombosis_day >= 0 & d$thrombosis_day <= 3650)
d$thrombosis_3mo <- as.integer(!is.na(d$thrombosis_day) & d$thrombosis_day >= 0 & d$thrombosis_day <= 91)
d$bleeding_after_discharge <- ifelse(is.na(d$bleeding_day), NA, as.integer(d$bleeding_day > d$discharge_day))

# Plausibility invariants (not figures).
check(d$plt_nadir < d$plt_baseline, "platelet nadir below baseline")
check(is.na(d$bleeding_day) | d$bleeding_day <= d$last_followup_day, "bleeding within follow-up")
check(is.na(d$thrombosis_day) | d$thrombosis_day <= d$last_followup_day, "thrombosis within follow-up")
check(ifelse(d$death == 1, !is.na(d$death_day) & d$death_day == d$last_followup_day, is.na(d$death_day)),
      "death day = last follow-up day for deaths, missing otherwise")
check(d$bleeding_any + d$thrombosis_any <= 1, "no patient both bled and had a thrombosis (reconstruction choice)")
check(d$age >= 18 & d$age <= 80, "adults 18-80")
check(d$product != "axi-cel" | d$disease == "LBCL", "axi-cel only in LBCL")

P <- function(...) add(J, ...)
P("patients", "127", "integer", count(d))
P("disease_lbcl", "111", "integer", count(d, list(disease = "LBCL")))
P("disease_ball", "16", "integer", count(d, list(disease = "B-ALL")))
P("product_axicel", "89", "integer", count(d, list(product = "axi-cel")))
P("product_cd1922", "38", "integer", count(d, list(product = "CD19/22")))
P("axicel_lbcl", "89", "integer", count(d, list(product = "axi-cel", disease = "LBCL")))
P("cd1922_lbcl", "22", "integer", count(d, list(product = "CD19/22", disease = "LBCL")))
P("cd1922_ball", "16", "integer", count(d, list(product = "CD19/22", disease = "B-ALL")))
P("bleeding_fraction", "12/127", "fraction", proportion(d, "bleeding_any"))
P("bleeding_percent", "9.4%", "percent1", proportion(d, "bleeding_any"))
P("bleeding_day_min", "8", "number", summary_stat(d, "bleeding_day", "min"))
P("bleeding_day_max", "30", "number", summary_stat(d, "bleeding_day", "max"))
P("bleeding_day_median", "17.5", "number", summary_stat(d, "bleeding_day", "median"))
P("bleeding_after_discharge", "7", "integer", count(d, list(bleeding_after_discharge = 1)))
P("site_hematuria", "6", "integer", count(d, list(bleeding_site = "hematuria")))
P("site_soft_tissue", "2", "integer", count(d, list(bleeding_site = "soft_tissue")))
P("site_subdural", "2", "integer", count(d, list(bleeding_site = "subdural")))
P("site_gastrointestinal", "1", "integer", count(d, list(bleeding_site = "gastrointestinal")))
P("site_hemoptysis", "1", "integer", count(d, list(bleeding_site = "hemoptysis")))
P("thrombosis_fraction", "8/127", "fraction", proportion(d, "thrombosis_any"))
P("thrombosis_percent", "6.3%", "percent1", proportion(d, "thrombosis_any"))
P("thrombosis_day_min", "2", "number", summary_stat(d, "thrombosis_day", "min"))
P("thrombosis_day_max", "91", "number", summary_stat(d, "thrombosis_day", "max"))
P("thrombosis_day_median", "29", "number", summary_stat(d, "thrombosis_day", "median"))
P("thrombosis_3mo", "8", "integer", count(d, list(thrombosis_3mo = 1)))
P("type_dvt", "5", "integer", count(d, list(thrombosis_type = "DVT")))
P("type_visceral", "2", "integer", count(d, list(thrombosis_type = "visceral")))
P("type_stroke", "1", "integer", count(d, list(thrombosis_type = "stroke")))
P("axicel_bleeding_percent", "11.2%", "percent1", proportion(d, "bleeding_any", list(product = "axi-cel")))
P("axicel_bleeding_fraction", "10/89", "fraction", proportion(d, "bleeding_any", list(product = "axi-cel")))
P("axicel_thrombosis_percent", "6.7%", "percent1", proportion(d, "thrombosis_any", list(product = "axi-cel")))
P("axicel_thrombosis_fraction", "6/89", "fraction", proportion(d, "thrombosis_any", list(product = "axi-cel")))
P("cd1922_bleeding_fraction", "2/38", "fraction", proportion(d, "bleeding_any", list(product = "CD19/22")))
P("cd1922_thrombosis_fraction", "2/38", "fraction", proportion(d, "thrombosis_any", list(product = "CD19/22")))
P("plt_median_bleeding", "86", "number", summary_stat(d, "plt_baseline", "median", list(bleeding_any = 1)))
P("plt_median_no_bleeding", "178", "number", summary_stat(d, "plt_baseline", "median", list(bleeding_any = 0)))
P("plt_bleeding_p", "<.01", "p_journal", ranksum(d, "plt_baseline", "bleeding_any"))
P("icans_bleeding_percent", "50%", "percent0", proportion(d, "icans_high", list(bleeding_any = 1)))
P("icans_no_bleeding_percent", "15%", "percent0", proportion(d, "icans_high", list(bleeding_any = 0)))
P("icans_bleeding_fraction", "6/12", "fraction", proportion(d, "icans_high", list(bleeding_any = 1)))
P("icans_no_bleeding_fraction", "17/115", "fraction", proportion(d, "icans_high", list(bleeding_any = 0)))
P("icans_bleeding_p", ".01", "p_journal", fisher(d, "bleeding_any", "icans_high"))
P("icans_thrombosis_percent", "50%", "percent0", proportion(d, "icans_high", list(thrombosis_any = 1)))
P("icans_no_thrombosis_percent", "16%", "percent0", proportion(d, "icans_high", list(thrombosis_any = 0)))
P("icans_thrombosis_fraction", "4/8", "fraction", proportion(d, "icans_high", list(thrombosis_any = 1)))
P("icans_no_thrombosis_fraction", "19/119", "fraction", proportion(d, "icans_high", list(thrombosis_any = 0)))
P("icans_thrombosis_p", ".04", "p_journal", fisher(d, "thrombosis_any", "icans_high"))
P("icans_total", "23/127", "fraction", proportion(d, "icans_high"))
P("icans_bleeding_p_exact", "0.0083", "sig2", fisher(d, "bleeding_any", "icans_high"))
P("icans_thrombosis_p_exact", "0.035", "sig2", fisher(d, "thrombosis_any", "icans_high"))
assoc <- function(id, variable, by, direction) P(id, "associated", v = ranksum(d, variable, by), expect = list(p_below = 0.05, direction = direction))
assoc("bleeding_age", "age", "bleeding_any", "higher")
assoc("bleeding_plt_nadir", "plt_nadir", "bleeding_any", "lower")
assoc("bleeding_fibrinogen_nadir", "fibrinogen_nadir", "bleeding_any", "lower")
assoc("bleeding_ldh", "ldh", "bleeding_any", "higher")
assoc("icans_pt_peak", "pt_peak", "icans_high", "higher")
assoc("icans_fibrinogen_nadir", "fibrinogen_nadir", "icans_high", "lower")
assoc("icans_ddimer_peak", "ddimer_peak", "icans_high", "higher")
covariates <- c("plt_low", "icans_high")
P("multivariable_plt_low_ml", "remained associated", v = logistic(d, "bleeding_any", covariates, "plt_low", "ml"), expect = list(p_below = 0.05))
P("multivariable_icans_ml", "not associated", v = logistic(d, "bleeding_any", covariates, "icans_high", "ml"), expect = list(p_at_least = 0.05))
P("multivariable_plt_low_firth", "remained associated", v = logistic(d, "bleeding_any", covariates, "plt_low", "firth"), expect = list(p_below = 0.05))
P("multivariable_icans_firth", "not associated", v = logistic(d, "bleeding_any", covariates, "icans_high", "firth"), expect = list(p_at_least = 0.05))
P("crs_bleeding", "not associated", v = ranksum(d, "crs_grade", "bleeding_any"), expect = list(p_at_least = 0.05))
P("crs_thrombosis", "not associated", v = ranksum(d, "crs_grade", "thrombosis_any"), expect = list(p_at_least = 0.05))
P("anticoagulation_bleeding", "not associated", v = fisher(d, "bleeding_any", "anticoagulation"), expect = list(p_at_least = 0.05))

# ================= NCT02965092 =================
N <- "nct02965092"
n <- read.csv(file.path(root, N, "cohort.csv"), na.strings = "", stringsAsFactors = FALSE)
stopifnot(nrow(n) == 53)
nl <- read_labs(file.path(root, N, "labs.csv"), n$patient_id)
# The worst values of days 0-28, as the codebook derives them from labs.csv.
n$plt <- lab_summary(nl, "plt", 0, 28, min, n$patient_id)
n$ddimer <- lab_summary(nl, "ddimer", 0, 28, max, n$patient_id)
n$pt_prolong <- lab_summary(nl, "pt_prolong", 0, 28, max, n$patient_id)
n$aptt_prolong <- lab_summary(nl, "aptt_prolong", 0, 28, max, n$patient_id)
n$fibrinogen <- lab_summary(nl, "fibrinogen", 0, 28, min, n$patient_id)
# ASTCT CRS grade: 0 without fever, else the worse of the hypotension and hypoxia domains, at least 1;
# codes 0-3 of either domain (none; fluids / low-flow; one vasopressor / high-flow; several /
# positive pressure) give grades 0, 2, 3, 4.
domain <- function(code) ifelse(code == 0, 0, code + 1)
n$crs_grade <- ifelse(n$fever == 1, pmax(1, domain(n$hypotension), domain(n$hypoxia)), 0)
n$crs_3_4 <- as.integer(n$crs_grade >= 3 & n$crs_grade <= 4)
n$neurotox_2_3 <- as.integer(n$neurotox_grade >= 2 & n$neurotox_grade <= 3)
# CARAC working laboratory flags (shared facts): D-dimer > 5 mg/L, APTT > 10 s, PT > 3 s, fibrinogen < 1.5 g/L.
n$coag_disorder <- as.integer(n$ddimer > 5 | n$aptt_prolong > 10 | n$pt_prolong > 3 | n$fibrinogen < 1.5)
# Chinese DIC Scoring System, haematological-malignancy variant (shared facts' point table).
chinese <- 2 + n$bleeding + n$shock + n$organ_failure +
  (n$plt < 50) + (n$plt_fall_24h >= 0.5) +
  ifelse(n$ddimer >= 9, 3, ifelse(n$ddimer >= 5, 2, 0)) +
  ifelse(n$pt_prolong >= 6, 2, ifelse(n$pt_prolong >= 3 | n$aptt_prolong >= 10, 1, 0)) +
  (n$fibrinogen < 1.0)
# ISTH overt DIC (Taylor 2001), fibrin marker = D-dimer / ULN: < 2 -> 0, 2-4 -> 2, > 4 -> 3.
isth_score <- function(plt, xuln, pt, fib) ifelse(plt < 50, 2, ifelse(plt < 100, 1, 0)) +
  ifelse(xuln > 4, 3, ifelse(xuln >= 2, 2, 0)) + ifelse(pt >= 6, 2, ifelse(pt >= 3, 1, 0)) + (fib < 1.0)
isth <- isth_score(n$plt, n$ddimer / n$ddimer_uln, n$pt_prolong, n$fibrinogen)

# Per-day scores over days 0-28: each component's most abnormal value of the day (lowest
# platelets and fibrinogen, highest D-dimer and prolongations), no score on a day lacking one.
w <- nl[nl$day >= 0 & nl$day <= 28, ]
worst_of <- function(x, f) { x <- x[!is.na(x)]; if (length(x)) f(x) else NA }
days <- aggregate(cbind(plt = w$plt, ddimer = w$ddimer, pt = w$pt_prolong, aptt = w$aptt_prolong, fib = w$fibrinogen),
                  by = list(patient_id = w$patient_id, day = w$day), FUN = function(x) x, simplify = FALSE)
per_day <- data.frame(patient_id = days$patient_id, day = days$day,
                      plt = sapply(days$plt, worst_of, min), ddimer = sapply(days$ddimer, worst_of, max),
                      pt = sapply(days$pt, worst_of, max), aptt = sapply(days$aptt, worst_of, max), fib = sapply(days$fib, worst_of, min))
per_day <- per_day[order(per_day$patient_id, per_day$day), ]
k <- match(per_day$patient_id, n$patient_id)
per_day$chinese <- 2 + n$bleeding[k] + n$shock[k] + n$organ_failure[k] + (per_day$plt < 50) + (n$plt_fall_24h[k] >= 0.5) +
  ifelse(per_day$ddimer >= 9, 3, ifelse(per_day$ddimer >= 5, 2, 0)) +
  ifelse(per_day$pt >= 6, 2, ifelse(per_day$pt >= 3 | per_day$aptt >= 10, 1, 0)) + (per_day$fib < 1.0)
per_day$isth <- isth_score(per_day$plt, per_day$ddimer / n$ddimer_uln[k], per_day$pt, per_day$fib)
scored <- function(col) per_day[!is.na(per_day[[col]]), ]
by_patient <- function(p, col, f) sapply(n$patient_id, function(id) { x <- p[p$patient_id == id, ]; if (nrow(x)) f(x, col) else NA })
n$chinese_score <- by_patient(scored("chinese"), "chinese", function(x, col) max(x[[col]]))
n$isth_score <- by_patient(scored("isth"), "isth", function(x, col) max(x[[col]]))
n$dic <- as.integer(n$chinese_score >= 6)
n$isth_overt_dic <- as.integer(n$isth_score >= 5)
n$dic_onset_day <- by_patient(scored("chinese"), "chinese", function(x, col) x$day[x[[col]] >= 6][1])
n$isth_onset_day <- by_patient(scored("isth"), "isth", function(x, col) x$day[x[[col]] >= 5][1])
n$chinese_score_last <- by_patient(scored("chinese"), "chinese", function(x, col) last_value(x[[col]]))
# Recovery: the last scored day of the window below the DIC threshold; empty without DIC.
n$dic_recovered <- ifelse(n$dic == 1, as.integer(n$chinese_score_last < 6), NA)

check(n$chinese_score == chinese, "the highest per-day Chinese score is the score of the worst values")
check(n$isth_score == isth, "the highest per-day ISTH score is the score of the worst values")
check(!is.na(n$chinese_score) & !is.na(n$isth_score), "both scores present for everyone")
check(n$coag_disorder >= n$dic, "every DIC is a coagulation disorder")
check(ifelse(n$dic == 1, !is.na(n$dic_onset_day), is.na(n$dic_onset_day)), "a DIC onset day exactly for DIC")
check(n$dic_onset_day <= 14, "DIC onset by day 14")
# The worst day: one draw of days 0-28 carries all five worst values.
check(sapply(n$patient_id, function(id) {
  x <- w[w$patient_id == id, ]; o <- n[n$patient_id == id, ]
  sum(x$plt == o$plt & x$ddimer == o$ddimer & x$pt_prolong == o$pt_prolong & x$aptt_prolong == o$aptt_prolong &
      x$fibrinogen == o$fibrinogen, na.rm = TRUE) == 1
}), "one draw of days 0-28 carries all five worst values")
check(n$coag_severity == ifelse(n$dic == 1, 3, ifelse(n$coag_disorder == 1, ifelse(n$fibrinogen < 1.5 | n$bleeding == 1, 2, 1), 0)),
      "coag_severity follows its rule")
check(n$shock == as.integer(n$hypotension >= 2), "shock = vasopressor-requiring hypotension")

Q <- function(...) add(N, ...)
Q("patients", "53", "integer", count(n))
Q("remission_percent", "88.7%", "percent1", proportion(n, "remission_1mo"))
Q("remission_fraction", "47/53", "fraction", proportion(n, "remission_1mo"))
Q("crs_3_4", "19/53", "fraction", proportion(n, "crs_3_4"))
Q("neurotox_2_3", "8/53", "fraction", proportion(n, "neurotox_2_3"))
Q("coag_disorder_fraction", "30/53", "fraction", proportion(n, "coag_disorder"))
Q("coag_disorder_percent", "56.6%", "percent1", proportion(n, "coag_disorder"))
Q("dic", "15/53", "fraction", proportion(n, "dic"))
Q("dic_recovered", "14/15", "fraction", proportion(n, "dic_recovered", list(dic = 1)))
Q("severity_crs_correlation", "positively correlated", v = spearman(n, "crs_grade", "coag_severity"),
  expect = list(p_below = 0.05, direction = "positive"))

# ---- report ----
res <- do.call(rbind, rows)
options(width = 200)
print(res[, c("study", "figure", "published", "computed", "match")], row.names = FALSE, right = FALSE)
cat(sprintf("\nISTH overt DIC on the NCT02965092 data (not a published figure): %d/53; Chinese score >= 6: %d/53\n",
            sum(n$isth_overt_dic), sum(n$dic)))
cat(sprintf("Spearman rho (CRS grade, coagulopathy severity) = %.3f\n", spearman(n, "crs_grade", "coag_severity")$rho))
cat(sprintf("NCT02965092 DIC onset day (Chinese >= 6): median %g, range %g-%g; ISTH overt-DIC onset: median %g, range %g-%g\n",
            median(n$dic_onset_day, na.rm = TRUE), min(n$dic_onset_day, na.rm = TRUE), max(n$dic_onset_day, na.rm = TRUE),
            median(n$isth_onset_day, na.rm = TRUE), min(n$isth_onset_day, na.rm = TRUE), max(n$isth_onset_day, na.rm = TRUE)))
cat(sprintf("labs.csv rows: Johnsrud %d (%d patients), NCT02965092 %d (%d patients)\n", nrow(jl), length(unique(jl$patient_id)),
            nrow(nl), length(unique(nl$patient_id))))
cat("Johnsrud median day of the platelet nadir, fibrinogen nadir, PT peak, D-dimer peak:", apply(j_days, 2, median), "\n")
ml <- glm(bleeding_any ~ plt_low + icans_high, binomial, d)
cat("Logistic (ML) bleeding ~ plt_low + icans_high: OR =", sprintf("%.2f", exp(coef(ml))[-1]), "\n")

# ---- cross-check with published.yaml: the same ids and printed values ----
yaml_figures <- function(path) {
  lines <- readLines(path)
  ids <- sub("^\\s*- id: *", "", grep("^\\s*- id:", lines, value = TRUE))
  printed <- sub("^\\s*printed: *\"(.*)\"\\s*$", "\\1", grep("^\\s*printed:", lines, value = TRUE))
  data.frame(figure = ids, printed = printed, stringsAsFactors = FALSE)
}
mismatch_yaml <- character(0)
for (study in c(J, N)) {
  y <- yaml_figures(file.path(root, study, "published.yaml"))
  r <- res[res$study == study, ]
  if (!setequal(y$figure, r$figure)) mismatch_yaml <- c(mismatch_yaml, sprintf("%s: ids differ (%s)", study,
      paste(c(setdiff(y$figure, r$figure), setdiff(r$figure, y$figure)), collapse = ", ")))
  both <- merge(y, r, by = "figure")
  bad <- both$figure[both$printed != both$published]
  if (length(bad)) mismatch_yaml <- c(mismatch_yaml, sprintf("%s: printed values differ for %s", study, paste(bad, collapse = ", ")))
}

cat(sprintf("\n%d figures checked (%d Johnsrud, %d NCT02965092): %d match\n", nrow(res), sum(res$study == J),
            sum(res$study == N), sum(res$match)))
if (length(invariants)) cat("FAILED invariants:", paste(invariants, collapse = "; "), "\n")
if (length(mismatch_yaml)) cat("published.yaml disagrees:", paste(mismatch_yaml, collapse = "; "), "\n")
if (!all(res$match) || length(invariants) || length(mismatch_yaml)) quit(status = 1)
# Committed values for the Swift tests (hand-written JSON, %.17g), written only when all match.
dir.create(dirname(out_json), showWarnings = FALSE, recursive = TRUE)
esc <- function(s) gsub("\"", "\\\\\"", s)
items <- sprintf("  {\"study\": \"%s\", \"figure\": \"%s\", \"published\": \"%s\", \"computed\": \"%s\", \"value\": %.17g}",
                 res$study, res$figure, esc(res$published), esc(res$computed), res$value)
writeLines(c("[", paste(items, collapse = ",\n"), "]"), out_json)

cat("all figures match; all invariants hold; wrote", out_json, "\n")
