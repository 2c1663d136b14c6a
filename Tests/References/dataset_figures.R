# Independent check of the shipped synthetic datasets (Datasets/johnsrud2021, Datasets/nct02965092):
# recomputes every figure of each study's published.yaml from cohort.csv with base R and brglm2,
# written without the toolkit's code (the derived variables and both DIC scores are re-implemented
# here from the definitions in the shared domain facts). Prints study / figure / published /
# computed / match, checks plausibility invariants, cross-checks the ids and printed values against
# published.yaml, writes Tests/Fixtures/datasets/figures.json, and exits 1 on any mismatch.
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

# ================= Johnsrud 2021 =================
J <- "johnsrud2021"
d <- read.csv(file.path(root, J, "cohort.csv"), na.strings = "", stringsAsFactors = FALSE)
stopifnot(nrow(d) == 127)
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
n$dic <- as.integer(chinese >= 6)
# ISTH overt DIC (Taylor 2001), fibrin marker = D-dimer / ULN: < 2 -> 0, 2-4 -> 2, > 4 -> 3.
isth <- ifelse(n$plt < 50, 2, ifelse(n$plt < 100, 1, 0)) +
  ifelse(n$ddimer_xuln > 4, 3, ifelse(n$ddimer_xuln >= 2, 2, 0)) +
  ifelse(n$pt_prolong >= 6, 2, ifelse(n$pt_prolong >= 3, 1, 0)) + (n$fibrinogen < 1.0)
n$isth_overt_dic <- as.integer(isth >= 5)

check(abs(n$ddimer_xuln - n$ddimer / n$ddimer_uln) < 0.051, "ddimer_xuln = ddimer / ddimer_uln")
check(n$coag_disorder >= n$dic, "every DIC is a coagulation disorder")
check(ifelse(n$dic == 1, !is.na(n$dic_recovered), is.na(n$dic_recovered)), "recovery recorded exactly for DIC")
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
