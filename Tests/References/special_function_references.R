#!/usr/bin/env Rscript
# Reference values for the special functions in Sources/CohortStats/Distributions:
# R's pbeta, qbeta, pt, qt, pchisq, qchisq, pnorm, qnorm, in both tails, over the ranges the
# tests use. Writes Tests/Fixtures/distributions/special_functions.json.
# Only R's functions are called; no R source is copied. JSON is written by hand with %.17g.
# Values that are not finite, or below 1e-305 (where a double has lost digits to subnormals),
# are not written: the tests compare relative errors. A value of 0 means R underflowed.
# Left out on purpose (R is not accurate enough there to serve as reference):
#  * qbeta cases where R itself warns (bpser underflow in its log-scale search) or where R's own
#    pbeta does not give p back from R's qbeta; both are listed on stderr when the script runs;
#  * qt at tail probabilities <= 1e-20 for df <= 100: see student_t_extreme_quantiles.py (mpmath).
options(warn = 1)

records <- character(0)
add <- function(f, args, lower, value) {
  if (!is.finite(value) || (value != 0 && abs(value) < 1e-305)) return(invisible())
  records[[length(records) + 1]] <<- sprintf(
    '    {"f": "%s", "args": [%s], "lowerTail": %s, "value": %s}',
    f, paste(sprintf("%.17g", args), collapse = ", "), if (lower) "true" else "false", sprintf("%.17g", value))
}

shapes <- c(0.5, 1, 2.5, 10, 37.3, 1000, 1e4)
xs <- c(1e-300, 1e-100, 1e-10, 1e-3, 0.1, 0.3, 0.5, 0.7, 0.9, 0.999, 1 - 1e-10, 1 - 1e-16)
probs <- c(1e-300, 1e-100, 1e-20, 1e-5, 0.025, 0.3, 0.5, 0.7, 0.975, 1 - 1e-10, 1 - 1e-16)

for (a in shapes) for (b in shapes) {
  mu <- a / (a + b); sd <- sqrt(a * b / ((a + b)^2 * (a + b + 1)))
  # the grid plus points around the centre, where large-parameter prefactors are delicate
  centre <- mu + sd * c(-8, -3, -1, 0, 1, 3, 8)
  for (x in c(xs, centre[centre > 0 & centre < 1])) for (lower in c(TRUE, FALSE))
    add("pbeta", c(x, a, b), lower, pbeta(x, a, b, lower.tail = lower))
  for (p in probs) for (lower in c(TRUE, FALSE)) {
    warned <- FALSE
    q <- withCallingHandlers(qbeta(p, a, b, lower.tail = lower),
                             warning = function(w) { warned <<- TRUE; invokeRestart("muffleWarning") })
    # R's own round trip: the Newton correction dx = (pbeta(q) - p) / dbeta(q) that R's pbeta
    # asks for must be below 1e-13 q; otherwise qbeta's search stopped early.
    dx <- if (q > 0 && q < 1)
      (pbeta(q, a, b, lower.tail = lower) / p - 1) * exp(log(p) - dbeta(q, a, b, log = TRUE)) else 0
    if (warned) message(sprintf("skipped qbeta(%g, %g, %g, lower.tail = %s): R warned", p, a, b, lower))
    else if (!is.finite(dx) || abs(dx) > 1e-13 * q)
      message(sprintf("skipped qbeta(%g, %g, %g, lower.tail = %s): R's pbeta asks to move qbeta by %.3g relative", p, a, b, lower, dx / q))
    else add("qbeta", c(p, a, b), lower, q)
  }
}

dfs <- c(1, 2, 3.5, 10, 30, 100, 1e3, 1e4, 1e5, 1e6)
ts <- c(-1e10, -1e3, -40, -10, -3, -1.96, -0.5, -1e-8, 0, 1e-8, 0.5, 1.96, 3, 10, 40, 1e3)
for (df in dfs) {
  for (t in ts) for (lower in c(TRUE, FALSE)) add("pt", c(t, df), lower, pt(t, df, lower.tail = lower))
  # tail probabilities <= 1e-20 with df <= 100: from mpmath instead (student_t_extreme_quantiles.py)
  for (p in if (df <= 100) probs[probs > 1e-20] else probs)
    for (lower in c(TRUE, FALSE)) add("qt", c(p, df), lower, qt(p, df, lower.tail = lower))
}

chiDfs <- c(1, 2, 3, 7.5, 10, 50, 1e3, 1e4, 1e5, 1e6)
for (df in chiDfs) {
  sd <- sqrt(2 * df)
  x <- c(df * c(1e-6, 0.01, 0.5, 0.9, 1, 1.1, 2, 5, 20), df + sd * c(-3, -1, 1, 3, 10))
  for (v in x[x > 0]) for (lower in c(TRUE, FALSE))
    add("pchisq", c(v, df), lower, pchisq(v, df, lower.tail = lower))
  for (p in probs) for (lower in c(TRUE, FALSE))
    add("qchisq", c(p, df), lower, qchisq(p, df, lower.tail = lower))
}

for (z in c(-38, -37.5, -30, -10, -5, -1.96, -1, -1e-10, 0, 1, 1.96, 5, 10, 30, 37.5))
  for (lower in c(TRUE, FALSE)) add("pnorm", c(z), lower, pnorm(z, lower.tail = lower))
for (p in probs) for (lower in c(TRUE, FALSE)) add("qnorm", c(p), lower, qnorm(p, lower.tail = lower))

out <- c("{",
  sprintf('  "tool": "R %s",', paste(R.version$major, R.version$minor, sep = ".")),
  sprintf('  "versions": {"R": "%s"},', R.version.string),
  '  "script": "Tests/References/special_function_references.R",',
  '  "cases": [',
  paste(records, collapse = ",\n"),
  "  ]", "}")
writeLines(out, "Tests/Fixtures/distributions/special_functions.json")
cat(length(records), "records\n")
