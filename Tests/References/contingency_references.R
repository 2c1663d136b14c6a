#!/usr/bin/env Rscript
# Reference values for CohortKit's contingency-table tests (Sources/CohortStats/ContingencyTables).
#
# For every table below this script calls base R (package stats) and writes
# Tests/Fixtures/contingency/references.json:
#   fisher.test(x)                          two-sided P (2x2 and r x c), estimate and 95% conf.int (2x2)
#   fisher.test(x, alternative = "less")    one-sided P and its one-sided 95% interval (2x2)
#   fisher.test(x, alternative = "greater") likewise
#   chisq.test(x, correct = TRUE / FALSE)   statistic, df, P, method, expected counts, warnings
#
# fisher.test finds the conditional MLE and the interval limits with uniroot at its default
# tolerance (.Machine$double.eps^0.25, about 1.2e-4), so its estimate and limits are accurate to
# about 1e-4 only. The script therefore also solves the defining equations itself to 1e-13
# (keys "exact*"): with the noncentral hypergeometric distribution of the [1,1] cell,
#   P(X = s; psi) = dhyper(s, m, n, k) psi^s / sum_u dhyper(u, m, n, k) psi^u,
#   m = column 1 total, n = column 2 total, k = row 1 total,
# the MLE solves E(X; psi) = x, the lower limit P(X >= x; psi) = alpha and the upper limit
# P(X <= x; psi) = alpha (alpha = 0.025 two-sided, 0.05 one-sided); at x = min of the support the
# MLE and lower limit are 0, at the max the MLE and upper limit are Inf (Agresti 2002, 3.6.1).
# The equations are solved in log(psi) with uniroot(tol = 1e-13, extendInt = "yes").
#
# chisq.test on a table with an all-zero row or column returns NaN (expected count 0); such cases
# record "chisqNaN": true and the Swift code throws a clear error instead.
#
# Only base R is used; JSON is written by hand with %.17g. Run from the repository root:
#   Rscript Tests/References/contingency_references.R

options(warn = 1)
OUT <- file.path("Tests", "Fixtures", "contingency", "references.json")
dir.create(dirname(OUT), recursive = TRUE, showWarnings = FALSE)

jnum <- function(x) {
  if (is.null(x) || length(x) == 0 || is.na(x)) return("null")
  if (is.infinite(x)) return(if (x > 0) "\"Infinity\"" else "\"-Infinity\"")
  sprintf("%.17g", x)
}
jstr <- function(x) paste0("\"", gsub("\"", "\\\\\"", gsub("\n\t", " ", x)), "\"")
jarr <- function(v, f) paste0("[", paste(vapply(v, f, ""), collapse = ", "), "]")
jmat <- function(m, f) jarr(seq_len(nrow(m)), function(i) jarr(m[i, ], f))
jobj <- function(l) paste0("{", paste(sprintf("%s: %s", vapply(names(l), jstr, ""), unlist(l)), collapse = ", "), "}")

# The exact solutions of the defining equations (2x2): shared with association_references.R.
source(file.path("Tests", "References", "fisher_exact_roots.R"))

with_warnings <- function(expr) {
  w <- character(0)
  value <- withCallingHandlers(expr, warning = function(c) { w <<- c(w, conditionMessage(c)); invokeRestart("muffleWarning") })
  list(value = value, warnings = w)
}

chisq_json <- function(x, correct) {
  r <- with_warnings(chisq.test(x, correct = correct))
  t <- r$value
  jobj(list(statistic = jnum(unname(t$statistic)), df = jnum(unname(t$parameter)), p = jnum(t$p.value),
            method = jstr(t$method), expected = jmat(t$expected, jnum), warnings = jarr(r$warnings, jstr)))
}

case_json <- function(name, x, note) {
  is2x2 <- all(dim(x) == 2)
  # workspace: FEXACT's default (200000) is too small for the larger r x c cases below; it changes
  # memory only, not the result.
  f <- if (is2x2) fisher.test(x) else fisher.test(x, workspace = 2e8)
  fields <- list(name = jstr(name), note = jstr(note), counts = jmat(x, function(v) sprintf("%d", as.integer(v))),
                 fisherMethod = jstr(f$method), fisherP = jnum(f$p.value))
  if (is2x2) {
    fl <- fisher.test(x, alternative = "less"); fg <- fisher.test(x, alternative = "greater")
    h <- nc_hyper(x)
    fields <- c(fields, list(
      fisherLessP = jnum(fl$p.value), fisherGreaterP = jnum(fg$p.value),
      fisherEstimate = jnum(unname(f$estimate)),
      fisherLower = jnum(f$conf.int[1]), fisherUpper = jnum(f$conf.int[2]),
      fisherLessUpper = jnum(fl$conf.int[2]), fisherGreaterLower = jnum(fg$conf.int[1]),
      exactEstimate = jnum(exact_mle(h)),
      exactLower = jnum(exact_lower(h, 0.025)), exactUpper = jnum(exact_upper(h, 0.025)),
      exactLessUpper = jnum(exact_upper(h, 0.05)), exactGreaterLower = jnum(exact_lower(h, 0.05))))
  }
  nan <- any(rowSums(x) == 0) || any(colSums(x) == 0)
  fields$chisqNaN <- if (nan) "true" else "false"
  if (!nan) {
    fields$chisqCorrected <- chisq_json(x, TRUE)
    fields$chisqUncorrected <- chisq_json(x, FALSE)
  } else {
    # record what R does: statistic NaN, P NA
    stopifnot(is.nan(suppressWarnings(chisq.test(x))$statistic))
  }
  paste0("    ", jobj(fields))
}

tab <- function(nr, ...) matrix(c(...), nrow = nr, byrow = TRUE)
cases <- list(
  list("johnsrud_8of40_vs_4of87", matrix(c(8, 32, 4, 83), 2, byrow = TRUE), "12 events: 8/40 vs 4/87 (rows = groups, columns = event / no event)"),
  list("johnsrud_5of20_vs_7of107", matrix(c(5, 15, 7, 100), 2, byrow = TRUE), "12 events: 5/20 vs 7/107"),
  list("zero_cell", matrix(c(0, 20, 6, 101), 2, byrow = TRUE), "zero events in group 1: MLE 0, lower limit 0"),
  list("zero_cell_upper", matrix(c(6, 0, 3, 9), 2, byrow = TRUE), "a zero cell making the MLE Inf"),
  list("no_events", matrix(c(0, 40, 0, 87), 2, byrow = TRUE), "degenerate: no events at all (a zero column)"),
  list("zero_row_2x2", matrix(c(0, 0, 5, 7), 2, byrow = TRUE), "an all-zero row in a 2x2"),
  list("zero_row_3x2", matrix(c(3, 4, 0, 0, 1, 6), 3, byrow = TRUE), "an all-zero row in a 3x2 (r x c path)"),
  list("table_2x3", matrix(c(3, 1, 4, 1, 5, 9), 2, byrow = TRUE), "2x3, small counts"),
  list("table_3x3", matrix(c(2, 0, 3, 1, 4, 1, 3, 1, 0), 3, byrow = TRUE), "3x3, small counts"),
  list("table_3x4", matrix(c(1, 2, 0, 3, 2, 0, 4, 1, 0, 3, 2, 2), 3, byrow = TRUE), "3x4, small counts"),
  list("large_2x2", matrix(c(130, 2370, 95, 2405), 2, byrow = TRUE), "n = 5000: 130/2500 vs 95/2500"),
  list("very_large_2x2", matrix(c(1200, 18800, 1000, 19000), 2, byrow = TRUE), "n = 40000: log-space arithmetic (factorials far beyond double range)"),
  list("balanced_2x2", matrix(c(10, 10, 10, 10), 2, byrow = TRUE), "O = E: Yates correction 0, R drops it from the method name"),
  list("small_2x2", matrix(c(3, 1, 1, 3), 2, byrow = TRUE), "tiny, symmetric support: ties in the two-sided P"),
  # Larger sparse r x c tables, checked against CohortKit's network algorithm (FisherNetwork.swift).
  list("nct_like_4x5", tab(4, 10, 8, 4, 1, 0,  1, 3, 2, 1, 1,  0, 1, 3, 2, 1,  0, 1, 2, 5, 7),
       "4x5, n = 53, like coagulopathy severity (23/8/7/15) by a 5-level grade: 3.1e8 tables, too many to enumerate"),
  list("sparse_5x6", tab(5, 4, 2, 1, 0, 0, 0,  2, 3, 1, 1, 0, 0,  0, 1, 3, 1, 1, 0,  0, 0, 1, 3, 2, 1,  0, 0, 0, 1, 3, 4),
       "5x6, n = 35, a sparse diagonal band"),
  list("table_3x8", tab(3, 3, 2, 1, 0, 2, 1, 0, 1,  1, 2, 3, 2, 0, 1, 2, 0,  0, 1, 1, 3, 2, 2, 1, 3), "3x8, n = 34"),
  list("table_2x10", tab(2, 3, 1, 4, 1, 5, 0, 2, 6, 1, 3,  0, 2, 1, 3, 1, 4, 2, 0, 3, 1), "2x10, n = 43"),
  list("zero_row_5x5", tab(5, 10, 8, 4, 1, 0,  1, 3, 2, 1, 1,  0, 0, 0, 0, 0,  0, 1, 3, 2, 1,  0, 1, 2, 5, 7),
       "nct_like_4x5 with an all-zero row inserted: fisher.test drops it, the P is the 4x5 P"),
  list("most_probable_3x4", tab(3, 2, 2, 2, 2,  2, 2, 2, 2,  2, 2, 2, 2), "the observed table is the most probable: P = 1 up to rounding"),
  list("least_probable_3x3", tab(3, 5, 0, 0,  0, 5, 0,  0, 0, 5), "the observed table is among the least probable (6 tied permutation tables)")
)

body <- vapply(cases, function(c) case_json(c[[1]], c[[2]], c[[3]]), "")
lines <- c("{", paste0("  \"tool\": ", jstr(paste("R", R.version$major, ".", R.version$minor, sep = "")), ","),
           paste0("  \"version\": ", jstr(R.version.string), ","),
           "  \"cases\": [", paste0(body, c(rep(",", length(body) - 1), "")), "  ]", "}")
con <- file(OUT, open = "wb"); writeLines(lines, con, sep = "\n"); close(con)
cat("wrote", OUT, "\n")
