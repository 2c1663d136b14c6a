#!/usr/bin/env Rscript
# Reference values for CohortKit's rank, trend, correlation and t tests
# (Sources/CohortStats/GroupComparisons, Sources/CohortStats/Correlation).
#
# Writes Tests/Fixtures/group_tests/references.json with the input data of every case and what
# base R 4.2.2 (package stats) returns for it:
#   wilcox.test(x, y, alternative, correct, exact)         statistic W, p.value, method, warnings
#   kruskal.test(groups)                                   statistic, parameter (df), p.value, method
#   cor.test(x, y, method, alternative, exact, continuity) estimate, statistic, parameter, p.value,
#                                                          conf.int (Pearson), method, warnings
#   prop.trend.test(events, totals, score)                 statistic, p.value, method; plus the
#                                                          signed z = T / sqrt(V) from its formula
#   t.test(x, y, var.equal, alternative, conf.level)       statistic, parameter, p.value,
#                                                          mean(x) - mean(y), conf.int, method
# Each test is called over alternatives and switches (correct, exact, continuity, var.equal).
# "degenerate": inputs where R stops, or returns NaN / NA; R's outcome is recorded and the Swift code
# must throw a clear error there instead.
#
# Data: written below or drawn with set.seed(20261122) and rounded so that they print exactly;
# every input is written to the JSON with %.17g. JSON is written by hand (no jsonlite).
# Run from the repository root:  Rscript Tests/References/group_test_references.R

options(warn = 1)
OUT <- file.path("Tests", "Fixtures", "group_tests", "references.json")
dir.create(dirname(OUT), recursive = TRUE, showWarnings = FALSE)

jnum <- function(x) {
  if (is.null(x) || length(x) == 0 || is.na(x)) return("null")
  if (is.infinite(x)) return(if (x > 0) "\"Infinity\"" else "\"-Infinity\"")
  sprintf("%.17g", x)
}
jstr <- function(x) paste0("\"", gsub("\"", "\\\\\"", x), "\"")
jarr <- function(v, f = jnum) paste0("[", paste(vapply(v, f, ""), collapse = ", "), "]")
jbool <- function(b) if (is.null(b)) "null" else if (b) "true" else "false"
jobj <- function(l) paste0("{", paste(sprintf("%s: %s", vapply(names(l), jstr, ""), unlist(l)), collapse = ", "), "}")

with_warnings <- function(expr) {
  w <- character(0)
  value <- withCallingHandlers(expr, warning = function(c) { w <<- c(w, conditionMessage(c)); invokeRestart("muffleWarning") })
  list(value = value, warnings = w)
}
trim <- function(s) sub("^ +", "", s)   # R's " Two Sample t-test" has a leading blank
set.seed(20261122)
r3 <- function(v) round(v, 3)
r6 <- function(v) round(v, 6)   # for samples that must have no ties

# --- Wilcoxon rank sum -------------------------------------------------------------------------
wilcox_data <- list(
  list("r_help_example", c(0.80, 0.83, 1.89, 1.04, 1.45, 1.38, 1.91, 1.64, 0.73, 1.46), c(1.15, 0.88, 0.90, 0.74, 1.21),
       "?wilcox.test example, no ties: exact"),
  list("two_vs_two", c(1, 2), c(3, 4), "smallest separated samples: exact P = 1/6 two-sided"),
  list("n1_vs_6", c(3.2), c(1.1, 2.5, 4.7, 0.3, 5.9, 2.2), "one observation against six"),
  list("separated_6_6", c(1:6) + 0.5, c(7:12), "complete separation: P = 2/924"),
  list("ties_small", c(1, 2, 2, 3, 5), c(2, 3, 3, 4, 6, 6), "ties: normal approximation with tie correction"),
  list("likert_heavy_ties", sample(1:4, 30, replace = TRUE), sample(2:5, 25, replace = TRUE), "heavy ties (4-5 levels)"),
  list("large_normal", r6(rnorm(80)), r6(rnorm(65) + 0.3), "both >= 50, no ties: normal approximation by default"),
  list("boundary_49_49", r6(rnorm(49)), r6(rnorm(49, 0.5)), "49 and 49, no ties: still exact"),
  list("unequal_3_40", c(2.1, 3.7, 0.4), r6(rexp(40)), "3 vs 40, exact"),
  list("large_ties", sample(1:7, 120, TRUE), sample(2:7, 90, TRUE), "large with heavy ties (7-point scale)")
)
wilcox_cases <- character(0)
for (d in wilcox_data) {
  x <- d[[2]]; y <- d[[3]]
  if (d[[1]] %in% c("boundary_49_49", "large_normal", "unequal_3_40")) stopifnot(!anyDuplicated(c(x, y)))
  for (alt in c("two.sided", "less", "greater")) for (correct in c(TRUE, FALSE)) for (ex in list(NULL, FALSE, TRUE)) {
    r <- with_warnings(wilcox.test(x, y, alternative = alt, correct = correct, exact = ex))
    t <- r$value
    wilcox_cases <- c(wilcox_cases, jobj(list(name = jstr(d[[1]]), note = jstr(d[[4]]), x = jarr(x), y = jarr(y),
      alternative = jstr(alt), correct = jbool(correct), exact = jbool(ex),
      statistic = jnum(unname(t$statistic)), p = jnum(t$p.value), method = jstr(t$method), warnings = jarr(r$warnings, jstr))))
  }
}

# --- Kruskal-Wallis ------------------------------------------------------------------------------
kruskal_data <- list(
  list("r_help_example", list(c(2.9, 3.0, 2.5, 2.6, 3.2), c(3.8, 2.7, 4.0, 2.4), c(2.8, 3.4, 3.7, 2.2, 2.0)), "?kruskal.test example, no ties"),
  list("two_groups_singleton", list(c(1, 2), c(3)), "a group of one"),
  list("ties_integers", list(c(1, 2, 2, 3, 5), c(2, 3, 3, 4, 6, 6), c(4, 4, 5, 7)), "ties: tie-corrected H"),
  list("likert_heavy_ties", list(sample(1:3, 20, TRUE), sample(1:3, 15, TRUE), sample(2:4, 12, TRUE), sample(1:4, 9, TRUE)), "heavy ties, 4 groups"),
  list("large_four_groups", list(r3(rnorm(60)), r3(rnorm(45, 0.2)), r3(rnorm(70, 0.1)), r3(rnorm(30, -0.3))), "large, no ties"),
  list("separated", list(1:4, 5:8, 9:12), "complete separation")
)
kruskal_cases <- vapply(kruskal_data, function(d) {
  t <- kruskal.test(d[[2]])
  jobj(list(name = jstr(d[[1]]), note = jstr(d[[3]]), groups = jarr(d[[2]], function(g) jarr(g)),
            statistic = jnum(unname(t$statistic)), df = jnum(unname(t$parameter)), p = jnum(t$p.value), method = jstr(t$method)))
}, "")

# --- correlation ---------------------------------------------------------------------------------
xs <- function(n) sample(n) + r3(runif(1))   # untied, not just 1..n
cor_data <- list(
  list("n5_no_ties", c(1.2, 3.4, 2.2, 5.0, 4.1), c(2.0, 2.9, 1.1, 4.4, 3.9), "Spearman exact enumeration (n <= 9), Kendall exact"),
  list("n9_no_ties", xs(9), xs(9), "largest n of Spearman's exact enumeration"),
  list("n10_no_ties", xs(10), xs(10), "smallest n of the Edgeworth series"),
  list("n30_no_ties", r6(rnorm(30)), NULL, "Edgeworth; Kendall exact"),
  list("n49_no_ties", r6(rnorm(49)), NULL, "Kendall exact at its largest n"),
  list("n60_no_ties", r6(rnorm(60)), NULL, "Kendall normal approximation (n >= 50)"),
  list("n1300_no_ties", round(rnorm(1300), 9), NULL, "Spearman t approximation (n > 1290)"),
  list("n1290_no_ties", round(rnorm(1290), 9), NULL, "Spearman: the largest n of the AS 89 (Edgeworth) branch"),
  list("n12_ties", c(1, 2, 2, 3, 4, 4, 4, 5, 6, 7, 7, 8), c(2, 1, 3, 3, 5, 4, 6, 6, 6, 8, 7, 9), "ties: Spearman t, Kendall normal with tie-corrected variance"),
  list("n40_heavy_ties", sample(1:4, 40, TRUE), NULL, "heavy ties"),
  list("n3_no_ties", c(1.5, 2.5, 0.5), c(3, 1, 2), "smallest n for Pearson"),
  list("perfect_monotone", c(1, 2, 3, 4, 5, 6, 7), c(2, 4, 6, 8, 10, 12, 14), "r = rho = tau = 1"),
  list("n200_weak", r6(rnorm(200)), NULL, "Edgeworth at n = 200"),
  list("n300_ties", round(rnorm(300), 1), NULL, "large n with ties: Spearman t, Kendall normal")
)
cor_cases <- character(0)
cor_datasets <- character(0)   # the data once; the cases name it
for (d in cor_data) {
  x <- d[[2]]; y <- d[[3]]
  if (is.null(y)) y <- round(0.4 * x + rnorm(length(x)), 9)
  if (d[[1]] == "n40_heavy_ties") y <- pmin(5, pmax(1, x + sample(-1:1, 40, TRUE)))
  if (grepl("no_ties", d[[1]])) stopifnot(!anyDuplicated(x), !anyDuplicated(y))
  cor_datasets <- c(cor_datasets, jobj(list(name = jstr(d[[1]]), note = jstr(d[[4]]), x = jarr(x), y = jarr(y))))
  for (method in c("pearson", "spearman", "kendall")) {
    if (method == "kendall" && length(x) > 500) next
    if (method == "pearson" && length(x) < 3) next
    # R's cor(x, 2x) is 1 - 2e-16 here (rounding), so its Pearson t (1e8) and P are noise: not a reference.
    if (method == "pearson" && d[[1]] == "perfect_monotone") next
    exacts <- if (method == "pearson") list(NULL) else list(NULL, FALSE)
    conts <- if (method == "pearson") FALSE else c(FALSE, TRUE)
    for (alt in c("two.sided", "less", "greater")) for (ex in exacts) for (cont in conts) {
      r <- with_warnings(cor.test(x, y, method = method, alternative = alt, exact = ex, continuity = cont))
      t <- r$value
      ci <- if (is.null(t$conf.int)) c(NA, NA) else t$conf.int
      cor_cases <- c(cor_cases, jobj(list(name = jstr(d[[1]]),
        correlation = jstr(method), alternative = jstr(alt), exact = jbool(ex), continuity = jbool(cont),
        estimate = jnum(unname(t$estimate)), statistic = jnum(unname(t$statistic)), df = jnum(unname(t$parameter)),
        p = jnum(t$p.value), ciLower = jnum(ci[1]), ciUpper = jnum(ci[2]), method = jstr(t$method), warnings = jarr(r$warnings, jstr))))
    }
  }
}

# --- Cochran-Armitage trend ------------------------------------------------------------------------
trend_data <- list(
  list("r_help_smokers", c(83, 90, 129, 70), c(86, 93, 136, 82), NULL, "?prop.trend.test example"),
  list("zero_cells", c(0, 2, 5, 9), c(20, 20, 20, 20), NULL, "a group with no events"),
  list("custom_scores", c(0, 2, 5, 9), c(20, 20, 20, 20), c(0, 1, 2, 5), "unequally spaced scores"),
  list("empty_group", c(1, 0, 3), c(10, 0, 10), NULL, "a group with no subjects (R drops its 0/0 proportion)"),
  list("two_groups", c(8, 4), c(40, 87), NULL, "two groups: X^2 equals Pearson's uncorrected chi-square"),
  list("decreasing_negative_scores", c(12, 9, 7, 3, 1), c(30, 31, 29, 33, 28), c(-2, -1, 0, 1.5, 3), "decreasing trend, negative scores"),
  list("no_trend", c(5, 5, 5), c(20, 20, 20), NULL, "equal proportions: X^2 = 0, P = 1")
)
trend_cases <- vapply(trend_data, function(d) {
  ev <- d[[2]]; tot <- d[[3]]; sc <- if (is.null(d[[4]])) seq_along(ev) else d[[4]]
  r <- with_warnings(prop.trend.test(ev, tot, score = sc))
  t <- r$value
  # the signed z = T / sqrt(V) from its formula (Agresti 2002, 5.3.5), checked against prop.trend.test
  N <- sum(tot); p <- sum(ev) / N; sbar <- sum(tot * sc) / N
  z <- sum(ev * (sc - sbar)) / sqrt(p * (1 - p) * sum(tot * (sc - sbar)^2))
  stopifnot(abs(z^2 - unname(t$statistic)) <= 1e-12 * max(1, z^2))
  if (d[[1]] == "two_groups") stopifnot(abs(unname(chisq.test(cbind(ev, tot - ev), correct = FALSE)$statistic) - unname(t$statistic)) < 1e-12)
  jobj(list(name = jstr(d[[1]]), note = jstr(d[[5]]), events = jarr(ev), totals = jarr(tot), scores = if (is.null(d[[4]])) "null" else jarr(sc),
            statistic = jnum(unname(t$statistic)), df = jnum(unname(t$parameter)), p = jnum(t$p.value), method = jstr(t$method),
            z = jnum(z), zLessP = jnum(pnorm(z)), zGreaterP = jnum(pnorm(z, lower.tail = FALSE)), warnings = jarr(r$warnings, jstr)))
}, "")

# --- two-sample t --------------------------------------------------------------------------------
t_data <- list(
  list("unequal_n_and_variance", r3(rnorm(12, 5, 1)), r3(rnorm(30, 4, 3)), "Welch df far from m + n - 2"),
  list("sleep", c(0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0), c(1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4), "R's sleep data, as two independent groups"),
  list("two_vs_two", c(1, 3), c(4, 8), "smallest Welch case"),
  list("one_vs_five", c(2.5), c(1, 2, 4, 3, 6), "Student only: a sample of one"),
  list("large_offset", 1e6 + c(0.11, 0.25, 0.19, 0.32, 0.05), 1e6 + c(0.41, 0.38, 0.52, 0.29), "means near 1e6: two-pass variance"),
  list("large_n", r3(rnorm(300, 10, 2)), r3(rnorm(250, 10.4, 1)), "large samples")
)
t_cases <- character(0)
for (d in t_data) for (ve in c(FALSE, TRUE)) for (alt in c("two.sided", "less", "greater")) for (level in c(0.95, 0.9)) {
  x <- d[[2]]; y <- d[[3]]
  if (!ve && (length(x) < 2 || length(y) < 2)) next
  t <- t.test(x, y, var.equal = ve, alternative = alt, conf.level = level)
  t_cases <- c(t_cases, jobj(list(name = jstr(d[[1]]), note = jstr(d[[4]]), x = jarr(x), y = jarr(y), varEqual = jbool(ve),
    alternative = jstr(alt), level = jnum(level), statistic = jnum(unname(t$statistic)), df = jnum(unname(t$parameter)),
    p = jnum(t$p.value), estimate = jnum(unname(t$estimate[1] - t$estimate[2])), ciLower = jnum(t$conf.int[1]),
    ciUpper = jnum(t$conf.int[2]), method = jstr(trim(t$method)))))
}

# --- degenerate inputs: R's outcome --------------------------------------------------------------
outcome <- function(expr) tryCatch({
  v <- suppressWarnings(expr)
  if (is.na(v)) if (is.nan(v)) "NaN" else "NA" else stop("not degenerate: ", v)
}, error = function(e) paste("error:", conditionMessage(e)))
deg <- list(
  list("wilcoxon", "all_tied", list(x = c(1, 1, 1), y = c(1, 1)), outcome(wilcox.test(c(1, 1, 1), c(1, 1))$p.value)),
  list("wilcoxon", "empty_x", list(x = numeric(0), y = c(2, 3, 4)), outcome(wilcox.test(numeric(0), c(2, 3, 4))$p.value)),
  list("kruskal", "all_tied", list(groups = list(c(1, 1), c(1, 1))), outcome(kruskal.test(list(c(1, 1), c(1, 1)))$p.value)),
  list("kruskal", "one_group", list(groups = list(c(1, 2))), outcome(kruskal.test(list(c(1, 2)))$p.value)),
  list("kruskal", "empty_group", list(groups = list(c(1, 2), numeric(0))), outcome(kruskal.test(list(c(1, 2), numeric(0)))$p.value)),
  list("trend", "no_events", list(events = c(0, 0, 0), totals = c(10, 10, 10)), outcome(prop.trend.test(c(0, 0, 0), c(10, 10, 10))$p.value)),
  list("trend", "all_events", list(events = c(10, 10, 10), totals = c(10, 10, 10)), outcome(prop.trend.test(c(10, 10, 10), c(10, 10, 10))$p.value)),
  list("trend", "equal_scores", list(events = c(1, 2, 3), totals = c(10, 10, 10), scores = c(1, 1, 1)),
       outcome(prop.trend.test(c(1, 2, 3), c(10, 10, 10), score = c(1, 1, 1))$p.value)),
  list("welch", "constant", list(x = c(1, 1, 1), y = c(2, 2, 2)), outcome(t.test(c(1, 1, 1), c(2, 2, 2))$p.value)),
  list("welch", "n1", list(x = c(1), y = c(1, 2)), outcome(t.test(c(1), c(1, 2))$p.value)),
  list("spearman", "constant_y", list(x = c(1, 2, 3), y = c(1, 1, 1)), outcome(cor.test(c(1, 2, 3), c(1, 1, 1), method = "spearman")$p.value)),
  list("kendall", "constant_y", list(x = c(1, 2, 3), y = c(1, 1, 1)), outcome(cor.test(c(1, 2, 3), c(1, 1, 1), method = "kendall")$p.value)),
  list("pearson", "constant_y", list(x = c(1, 2, 3), y = c(1, 1, 1)), outcome(cor.test(c(1, 2, 3), c(1, 1, 1))$p.value)),
  list("pearson", "n2", list(x = c(1, 2), y = c(2, 1)), outcome(cor.test(c(1, 2), c(2, 1))$p.value)),
  list("kendall", "n1", list(x = c(1), y = c(2)), outcome(cor.test(c(1), c(2), method = "kendall")$p.value))
)
deg_cases <- vapply(deg, function(d) {
  inputs <- vapply(names(d[[3]]), function(k) { v <- d[[3]][[k]]; if (is.list(v)) jarr(v, function(g) jarr(g)) else jarr(v) }, "")
  jobj(c(list(test = jstr(d[[1]]), name = jstr(d[[2]])), as.list(inputs), list(rOutcome = jstr(d[[4]]))))
}, "")

body <- paste0("{\n  \"tool\": ", jstr(R.version.string), ",\n",
  "  \"wilcoxon\": [\n    ", paste(wilcox_cases, collapse = ",\n    "), "\n  ],\n",
  "  \"kruskal\": [\n    ", paste(kruskal_cases, collapse = ",\n    "), "\n  ],\n",
  "  \"correlationData\": [\n    ", paste(cor_datasets, collapse = ",\n    "), "\n  ],\n",
  "  \"correlation\": [\n    ", paste(cor_cases, collapse = ",\n    "), "\n  ],\n",
  "  \"trend\": [\n    ", paste(trend_cases, collapse = ",\n    "), "\n  ],\n",
  "  \"ttest\": [\n    ", paste(t_cases, collapse = ",\n    "), "\n  ],\n",
  "  \"degenerate\": [\n    ", paste(deg_cases, collapse = ",\n    "), "\n  ]\n}\n")
writeLines(body, OUT, sep = "")
cat(sprintf("wrote %s: %d wilcoxon, %d kruskal, %d correlation, %d trend, %d t, %d degenerate\n", OUT,
            length(wilcox_cases), length(kruskal_cases), length(cor_cases), length(trend_cases), length(t_cases), length(deg_cases)))
