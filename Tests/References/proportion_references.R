#!/usr/bin/env Rscript
# Reference confidence intervals for a binomial proportion, for
# Sources/CohortStats/Proportions/BinomialInterval.swift. Writes
# Tests/Fixtures/proportions/binomial_intervals.json.
#
# clopperPearson: binom.test(x, n, conf.level = level)$conf.int (R's exact interval).
# wilson, jeffreys, agrestiCoull: the binom package is not installed, so these are computed here
# from their published formulas with R's qnorm and qbeta (not from the toolkit's code):
#   wilson        Wilson (1927); Brown, Cai & DasGupta (2001) eq. (4), textbook form
#                 (p + z^2/(2n) -/+ z sqrt(p(1-p)/n + z^2/(4n^2))) / (1 + z^2/n),
#                 cross-checked against prop.test(x, n, correct = FALSE)$conf.int to 1e-12;
#   jeffreys      qbeta(alpha/2, x + 1/2, n - x + 1/2), qbeta(1 - alpha/2, ...), with lower 0 at
#                 x = 0 and upper 1 at x = n (Brown, Cai & DasGupta 2001, section 4.1.2);
#   agrestiCoull  n~ = n + z^2, p~ = (x + z^2/2)/n~, p~ -/+ z sqrt(p~(1-p~)/n~), clipped to [0, 1]
#                 (Agresti & Coull 1998; the z^2 form of Brown, Cai & DasGupta 2001).
# z = qnorm(1 - alpha/2). JSON is written by hand with %.17g.
options(warn = 1)

cases <- list(c(0, 1), c(1, 1), c(0, 10), c(10, 10), c(12, 127), c(8, 127), c(30, 53),
              c(1, 1000), c(999, 1000), c(5000, 10000))
levels <- c(0.90, 0.95, 0.99)

wilson <- function(x, n, level) {
  z <- qnorm(1 - (1 - level) / 2); p <- x / n
  centre <- p + z^2 / (2 * n)
  half <- z * sqrt(p * (1 - p) / n + z^2 / (4 * n^2))
  c(max(0, (centre - half) / (1 + z^2 / n)), min(1, (centre + half) / (1 + z^2 / n)))
}
jeffreys <- function(x, n, level) {
  alpha <- 1 - level
  c(if (x == 0) 0 else qbeta(alpha / 2, x + 0.5, n - x + 0.5),
    if (x == n) 1 else qbeta(1 - alpha / 2, x + 0.5, n - x + 0.5))
}
agrestiCoull <- function(x, n, level) {
  z <- qnorm(1 - (1 - level) / 2)
  nt <- n + z^2; pt <- (x + z^2 / 2) / nt
  half <- z * sqrt(pt * (1 - pt) / nt)
  c(max(0, pt - half), min(1, pt + half))
}

records <- character(0)
add <- function(x, n, level, method, ci) {
  records[[length(records) + 1]] <<- sprintf(
    '    {"events": %d, "n": %d, "level": %.17g, "method": "%s", "lower": %.17g, "upper": %.17g}',
    as.integer(x), as.integer(n), level, method, ci[1], ci[2])
}

for (case in cases) for (level in levels) {
  x <- case[1]; n <- case[2]
  add(x, n, level, "clopperPearson", as.numeric(binom.test(x, n, conf.level = level)$conf.int))
  w <- wilson(x, n, level)
  pt <- suppressWarnings(as.numeric(prop.test(x, n, conf.level = level, correct = FALSE)$conf.int))
  stopifnot(max(abs(w - pt)) < 1e-12)
  add(x, n, level, "wilson", w)
  add(x, n, level, "jeffreys", jeffreys(x, n, level))
  add(x, n, level, "agrestiCoull", agrestiCoull(x, n, level))
}

out <- c("{",
  sprintf('  "tool": "R %s",', paste(R.version$major, R.version$minor, sep = ".")),
  sprintf('  "versions": {"R": "%s"},', R.version.string),
  '  "script": "Tests/References/proportion_references.R",',
  '  "cases": [', paste(records, collapse = ",\n"), "  ]", "}")
writeLines(out, "Tests/Fixtures/proportions/binomial_intervals.json")
cat(length(records), "records\n")
