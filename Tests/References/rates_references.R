# Issue 16: reference values for person-time incidence rates (`cohort rates`), on SIMULATED data
# only (seeded below; no real patients).
#
# Run from the repository root:
#   Rscript Tests/References/rates_references.R
# Writes Tests/Fixtures/rates/:
#   pairs.json     single rates and two-group comparisons over hand-chosen (x, T) cases, zeros
#                  included: poisson.test(x, T) (rate, exact CI), poisson.test(c(x1, x0), c(T1, T0))
#                  (rate ratio, exact conditional CI, P) and epiR::epi.2by2(method = "cohort.time")
#                  (rate difference with its Wald CI; exposed = group 1, unexposed = the reference)
#   cohort.csv, codebook.yaml   a three-arm cohort: infections (counts 0..) over follow-up days,
#                  some values missing
#   cohort.json    its rates by arm per 1000 person-days, each arm against "control", from the same
#                  R functions on the aggregated counts
#
# epiR's convention for person-time (epi.2by2, method = "cohort.time", epiR 2.0.57): the table is
# rbind(c(a, b), c(c, d)) with a, c the events and b, d the person-time of the exposed and the
# unexposed; the incidence rate difference is (a/b − c/d) · units with SE √(a/b² + c/d²) · units
# and Wald limits ± qnorm(1 − α/2) SE ($massoc.detail$ARate.strata.wald). Its rate ratio interval
# is the same exact conditional one as poisson.test's.
#
# Tools: R 4.2.2, r-cran-epir 2.0.57.
suppressMessages(library(epiR))
source("Tests/References/logistic_json.R")
out_dir <- "Tests/Fixtures/rates"
dir.create(out_dir, showWarnings = FALSE, recursive = TRUE)

rate_fields <- function(x, t, level, per) {
  pt <- poisson.test(x, t, conf.level = level)
  c(events = jint(x), personTime = jnum(t), rate = jnum(unname(pt$estimate) * per),
    lower = jnum(pt$conf.int[1] * per), upper = jnum(pt$conf.int[2] * per))
}

compare_fields <- function(x1, t1, x0, t0, level, per) {
  ratio <- if (x1 + x0 > 0) poisson.test(c(x1, x0), c(t1, t0), conf.level = level) else NULL
  ird <- if (x1 > 0 && x0 > 0) {
    e <- epi.2by2(as.table(rbind(c(x1, t1), c(x0, t0))), method = "cohort.time", units = per, conf.level = level)
    unlist(e$massoc.detail$ARate.strata.wald)
  } else NULL
  # Where epi.2by2 does not run (a zero count), the same formula evaluated here.
  z <- qnorm(1 - (1 - level) / 2)
  d <- (x1 / t1 - x0 / t0) * per
  se <- sqrt(x1 / t1^2 + x0 / t0^2) * per
  diff <- if (is.null(ird)) c(est = d, lower = d - z * se, upper = d + z * se) else c(est = ird[["est"]], lower = ird[["lower"]], upper = ird[["upper"]])
  c(ratio = jnum(if (is.null(ratio)) NA else unname(ratio$estimate)),
    ratioLower = jnum(if (is.null(ratio)) NA else ratio$conf.int[1]),
    ratioUpper = if (is.null(ratio)) "null" else if (is.infinite(ratio$conf.int[2])) "\"Inf\"" else jnum(ratio$conf.int[2]),
    p = jnum(if (is.null(ratio)) NA else ratio$p.value),
    difference = jnum(diff[["est"]]), differenceLower = jnum(diff[["lower"]]), differenceUpper = jnum(diff[["upper"]]),
    differenceFrom = jstr(if (is.null(ird)) "formula" else "epi.2by2"))
}

obj <- function(fields) paste0("{", paste(sprintf("%s: %s", vapply(names(fields), jstr, ""), fields), collapse = ", "), "}")

# Pairs: (x1, T1) against (x0, T0), level, per.
pairs <- list(
  c(12, 3650, 5, 4100, 0.95, 1000),
  c(0, 1200, 7, 1500, 0.95, 1000),
  c(9, 800, 0, 950, 0.95, 1000),
  c(0, 500, 0, 700, 0.95, 1),
  c(1, 10.5, 1, 22.25, 0.90, 1),
  c(230, 51234.5, 180, 60321, 0.99, 100000),
  c(3, 2.5, 40, 7.75, 0.95, 1),
  c(1500, 1e6, 1480, 9.7e5, 0.95, 1e5),
  c(17, 17, 17, 17, 0.95, 1)
)
lines <- c("{", "  \"pairs\": [")
for (i in seq_along(pairs)) {
  p <- pairs[[i]]
  f <- c(level = jnum(p[5]), per = jnum(p[6]),
         group = obj(rate_fields(p[1], p[2], p[5], p[6])), reference = obj(rate_fields(p[3], p[4], p[5], p[6])),
         comparison = obj(compare_fields(p[1], p[2], p[3], p[4], p[5], p[6])))
  lines <- c(lines, paste0("    ", obj(f), if (i < length(pairs)) "," else ""))
}
lines <- c(lines, "  ]", "}")
con <- file(file.path(out_dir, "pairs.json"), open = "wb"); writeLines(lines, con, sep = "\n"); close(con)

# A cohort: three arms, counts of infections over follow-up days; a few values missing.
set.seed(20261620)
n <- 240
arm <- sample(c("control", "low", "high"), n, replace = TRUE)
days <- round(runif(n, 30, 720))
rate <- c(control = 2.0, low = 1.4, high = 0.9)[arm] / 1000
infections <- rpois(n, rate * days)
infections[c(5, 77)] <- NA
days[c(12, 150)] <- NA
arm[c(200)] <- NA
d <- data.frame(id = sprintf("P%03d", seq_len(n)), arm = arm, infections = infections, days = days)
write.csv(d, file.path(out_dir, "cohort.csv"), row.names = FALSE, quote = FALSE, na = "")
writeLines(c("variables:",
             "  id: {type: identifier}",
             "  arm: {type: categorical, levels: [control, low, high]}",
             "  infections: {type: integer, label: Infections}",
             "  days: {type: integer, unit: days, label: Follow-up}"), file.path(out_dir, "codebook.yaml"))
ok <- !is.na(d$arm) & !is.na(d$infections) & !is.na(d$days)
groups <- c("control", "low", "high")
lines <- c("{", sprintf("  \"dropped\": %d,", sum(!ok)), "  \"rows\": [")
for (i in seq_along(groups)) {
  s <- d[ok & d$arm == groups[i], ]
  f <- c(group = jstr(groups[i]), patients = jint(nrow(s)), rate_fields(sum(s$infections), sum(s$days), 0.95, 1000))
  lines <- c(lines, paste0("    ", obj(f), if (i < length(groups)) "," else ""))
}
lines <- c(lines, "  ],", "  \"comparisons\": [")
ref <- d[ok & d$arm == "control", ]
for (i in 2:3) {
  s <- d[ok & d$arm == groups[i], ]
  f <- c(group = jstr(groups[i]), compare_fields(sum(s$infections), sum(s$days), sum(ref$infections), sum(ref$days), 0.95, 1000))
  lines <- c(lines, paste0("    ", obj(f), if (i < 3) "," else ""))
}
lines <- c(lines, "  ]", "}")
con <- file(file.path(out_dir, "cohort.json"), open = "wb"); writeLines(lines, con, sep = "\n"); close(con)
