#!/usr/bin/env Rscript
# Reference descriptive statistics for Sources/CohortStats/Descriptive/ (NumericSummary,
# Quantiles). Writes Tests/Fixtures/descriptive/references.json: for each vector, R's
# mean(), sd(), quantile(type = 7) at several probabilities, min() and max(), and the number of
# NA values. Vectors cover n = 1, n = 2, ties, all values equal, negative values, values far from
# zero (where a one-pass variance loses digits), and seeded random samples.
# JSON is written by hand with %.17g; NA becomes null.
options(warn = 1)
set.seed(20261122)
cases <- list(
  single = c(42),
  pair = c(3, 8),
  ties = c(1, 2, 2, 2, 3, 3, 9),
  constant = c(5, 5, 5, 5),
  negative = c(-4.5, -1, 0, 2.25, -7, 3),
  with_missing = c(10, NA, 20, 30, NA, 40),
  all_missing = c(NA_real_, NA_real_),
  far_from_zero = 1e9 + c(0.1, 0.2, 0.3, 0.4, 0.5),
  platelets = c(21, 48, 60, 75, 81, 88, 95, 120, 122, 150, 176, 205, 220, 400),
  normal_1000 = rnorm(1000, mean = 150, sd = 60),
  skewed_500 = rexp(500, rate = 1 / 30),
  integers_127 = sample(20:85, 127, replace = TRUE)
)
probs <- c(0, 0.1, 0.25, 0.5, 0.75, 0.9, 1)
num <- function(x) if (is.na(x)) "null" else sprintf("%.17g", x)
vec <- function(x) paste0("[", paste(vapply(x, num, ""), collapse = ", "), "]")
out <- c("{", paste0('  "probabilities": ', vec(probs), ","), '  "cases": [')
entries <- character(0)
for (name in names(cases)) {
  x <- cases[[name]]
  present <- x[!is.na(x)]
  q <- if (length(present) > 0) quantile(present, probs, type = 7, names = FALSE) else rep(NA, length(probs))
  entries <- c(entries, paste0(
    '    {"name": "', name, '", "values": ', vec(x),
    ', "n": ', length(present), ', "missing": ', sum(is.na(x)),
    ', "mean": ', num(if (length(present)) mean(present) else NA),
    ', "sd": ', num(if (length(present) > 1) sd(present) else NA),
    ', "quantiles": ', vec(q),
    ', "min": ', num(if (length(present)) min(present) else NA),
    ', "max": ', num(if (length(present)) max(present) else NA), "}"))
}
out <- c(out, paste(entries, collapse = ",\n"), "  ]", "}")
writeLines(out, "Tests/Fixtures/descriptive/references.json")
