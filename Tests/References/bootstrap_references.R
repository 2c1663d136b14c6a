#!/usr/bin/env Rscript
# Reference values for CohortKit's bootstrap intervals (Sources/CohortStats/Resampling).
#
# For each case below R's boot package draws the replicates (boot::boot, seeded with set.seed), the
# jackknife influence values are computed here, L_i = (n - 1) * (mean(t_(-.)) - t_(-i)) (what
# empinf(type = "jack") returns), and boot::boot.ci(type = "perc") and boot.ci(type = "bca", L = L)
# give the endpoints at several levels. Tests/Fixtures/bootstrap/references.json holds the replicate
# vector t, t0 and L of every case together with the endpoints, so the Swift code is given the very
# same replicates and influence values and must reproduce boot.ci's way of turning them into
# endpoints (norm.inter on the order statistics (R+1)*alpha, its extremes) to 1e-12.
#
# Cases: a mean (smooth), a median of integers (heavy ties among replicates), a ratio of means, a
# correlation (skewed, bounded), a mean whose t0 is set to the 97th percentile of its replicates (the
# estimate outside most replicates: large bias correction, adjusted alphas near the ends) and a mean
# with R = 49 (extreme order statistics at 95% and 99%). Whether boot.ci warned "extreme order
# statistics used as endpoints" is recorded per type and level.
#
# Only R and its recommended package boot are used; JSON is written by hand with %.17g. Run from the
# repository root:  Rscript Tests/References/bootstrap_references.R
suppressPackageStartupMessages(library(boot))
options(warn = 1)
OUT <- file.path("Tests", "Fixtures", "bootstrap", "references.json")
dir.create(dirname(OUT), recursive = TRUE, showWarnings = FALSE)

jnum <- function(x) if (is.na(x)) "null" else sprintf("%.17g", x)
jarr <- function(v) paste0("[", paste(vapply(v, jnum, ""), collapse = ", "), "]")
jbool <- function(b) if (b) "true" else "false"

jackknife_L <- function(data, statistic) {
  n <- NROW(data)
  loo <- vapply(seq_len(n), function(i) statistic(data, seq_len(n)[-i]), 0)
  (n - 1) * (mean(loo) - loo)
}

# boot.ci with warnings captured: returns the endpoints and whether boot warned about extremes.
ci <- function(b, level, type, L) {
  extreme <- FALSE
  out <- withCallingHandlers(
    boot.ci(b, conf = level, type = type, L = L),
    warning = function(w) {
      if (grepl("extreme order statistics", conditionMessage(w))) extreme <<- TRUE
      invokeRestart("muffleWarning")
    })
  m <- if (type == "perc") out$percent else out$bca
  list(lower = m[1, 4], upper = m[1, 5], extreme = extreme)
}

cases <- list()
add_case <- function(name, data, statistic, R, levels, seed, t0_override = NULL) {
  set.seed(seed)
  b <- boot(data, statistic, R = R)
  if (!is.null(t0_override)) b$t0 <- t0_override(b$t[, 1])
  L <- jackknife_L(data, statistic)
  perc <- lapply(levels, function(l) ci(b, l, "perc", L))
  bca <- lapply(levels, function(l) ci(b, l, "bca", L))
  field <- function(results, key) vapply(results, function(r) as.numeric(r[[key]]), 0)
  cases[[length(cases) + 1]] <<- paste0(
    "{\"name\": \"", name, "\", \"R\": ", R, ", \"n\": ", NROW(data),
    ",\n   \"t0\": ", jnum(b$t0[1]),
    ",\n   \"levels\": ", jarr(levels),
    ",\n   \"percentileLower\": ", jarr(field(perc, "lower")), ", \"percentileUpper\": ", jarr(field(perc, "upper")),
    ",\n   \"percentileExtreme\": [", paste(vapply(perc, function(r) jbool(r$extreme), ""), collapse = ", "), "]",
    ",\n   \"bcaLower\": ", jarr(field(bca, "lower")), ", \"bcaUpper\": ", jarr(field(bca, "upper")),
    ",\n   \"bcaExtreme\": [", paste(vapply(bca, function(r) jbool(r$extreme), ""), collapse = ", "), "]",
    ",\n   \"L\": ", jarr(L),
    ",\n   \"t\": ", jarr(b$t[, 1]), "}")
}

levels <- c(0.8, 0.9, 0.95, 0.99)
set.seed(20261122); x_normal <- rnorm(30, mean = 10, sd = 2)
add_case("mean_normal", x_normal, function(d, i) mean(d[i]), 1999, levels, 1)
set.seed(7); x_int <- sample(1:8, 25, replace = TRUE)
add_case("median_ties", x_int, function(d, i) median(d[i]), 1000, levels, 2)
set.seed(11); pairs <- data.frame(x = rexp(20) + 0.5, y = rexp(20) + 1)
add_case("ratio_of_means", pairs, function(d, i) mean(d$y[i]) / mean(d$x[i]), 999, levels, 3)
set.seed(13); z <- rnorm(15); corr_data <- data.frame(a = z, b = 0.8 * z + 0.6 * rnorm(15))
add_case("correlation", corr_data, function(d, i) cor(d$a[i], d$b[i]), 2000, levels, 4)
set.seed(17); x_exp <- rexp(40)
add_case("estimate_outside_replicates", x_exp, function(d, i) mean(d[i]), 999, levels, 5,
         t0_override = function(t) unname(quantile(t, 0.97)))
add_case("small_R_extremes", x_normal, function(d, i) mean(d[i]), 49, c(0.8, 0.9, 0.95, 0.99), 6)

writeLines(c(
  "{",
  sprintf("  \"generator\": \"Tests/References/bootstrap_references.R (R %s, boot %s)\",",
          paste(R.version$major, R.version$minor, sep = "."), as.character(packageVersion("boot"))),
  "  \"cases\": [",
  paste0("  ", paste(unlist(cases), collapse = ",\n  ")),
  "  ]",
  "}"), OUT)
cat("wrote", OUT, "\n")
