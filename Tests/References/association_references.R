#!/usr/bin/env Rscript
# Reference values for CohortKit's measures of association (issue 16):
# Sources/CohortStats/ContingencyTables/ExposureTable.swift and MantelHaenszel.swift.
# Writes Tests/Fixtures/contingency/association.json.
#
# Data: SIMULATED only (set.seed below; rbinom), plus hand-made count tables with zero cells. No
# patient data and no R datasets. Table layout (epiR's): rows exposed / reference, columns event /
# no event; a = exposed events, b = exposed non-events, c = reference events, d = reference non-events.
#
# Crude table, each value from an R function where one exists, else from the published formula:
#   riskRatio       epiR::epi.2by2(method = "cohort.count")$massoc.detail$RR.strata.wald (one table)
#                   (checked against exp(log RR +- z sqrt(b/(a n1) + d/(c n0))) below)
#   oddsRatio       epiR ... $OR.strata.wald (Woolf: exp(log OR +- z sqrt(1/a+1/b+1/c+1/d)))
#   riskDifference  Newcombe (1998) method 10, the hybrid score interval = DescTools::BinomDiffCI(
#                   method = "score"). DescTools is not packaged for Debian bookworm, and epiR's
#                   ARisk.crude.score is a different interval (a score-statistic inversion solved to
#                   1e-6), so the formula is implemented here from the Wilson limits of base R's
#                   prop.test(correct = FALSE):
#                     L = RD - sqrt((p1 - l1)^2 + (u0 - p0)^2),  U = RD + sqrt((u1 - p1)^2 + (p0 - l0)^2)
#   conditional OR  fisher.test()$estimate/conf.int are solved by uniroot at ~1e-4, so the equations
#                   are solved again to 1e-13 (fisher_exact_roots.R); fisher.test's own values are
#                   recorded beside them (fisherEstimate, ...) for a check at 1e-3.
# A value R gives as Inf, NaN or NA is written null (the Swift code then reports no value and why).
#
# Stratified tables (2 x 2 x K):
#   mhOddsRatio     mantelhaen.test(x, correct = FALSE): estimate, conf.int (Robins-Breslow-Greenland)
#   mhTest          mantelhaen.test(x, correct = FALSE): statistic, p.value
#   mhRiskRatio     epiR ... $RR.mh.wald (Greenland-Robins); also checked against the formula
#   breslowDay      epiR ... $bOR.homog$test.statistic (Breslow-Day, no Tarone correction), and
#                   tarone: DescTools::BreslowDayTest(correct = TRUE)'s statistic, from its formula
#                   X2_BD - (sum a - sum A)^2 / sum V with epiR's A_k and V_k (DescTools missing, as
#                   above); df = informative strata - 1 and P = pchisq(tarone, df, lower = FALSE).
#                   epiR counts every stratum in its df, CohortKit only those whose a_k is not fixed
#                   by the margins (the others add 0/0, which epiR drops with na.rm = TRUE).
# Each stratified case includes a stratum with one exposure level (it changes no Mantel-Haenszel
# value: checked here by dropping it; epi.2by2 stops on such a stratum, so it is given the others).
#
# Versions: R 4.2.2, epiR 2.0.57 (Debian r-cran-epir). JSON by hand with %.17g.
# Run from the repository root:  Rscript Tests/References/association_references.R

options(warn = 1)
suppressPackageStartupMessages(suppressWarnings(library(epiR)))
source(file.path("Tests", "References", "fisher_exact_roots.R"))
OUT <- file.path("Tests", "Fixtures", "contingency", "association.json")

jnum <- function(x) {
  x <- unname(as.numeric(x))
  if (length(x) == 0 || !is.finite(x)) return("null")
  sprintf("%.17g", x)
}
jstr <- function(x) paste0("\"", x, "\"")
jobj <- function(l) paste0("{", paste(sprintf("\"%s\": %s", names(l), unlist(l)), collapse = ", "), "}")
jints <- function(v) paste0("[", paste(sprintf("%d", as.integer(v)), collapse = ", "), "]")
triple <- function(est, lower, upper) jobj(list(estimate = jnum(est), lower = jnum(lower), upper = jnum(upper)))
z <- qnorm(0.975)

epi <- function(x) suppressWarnings(epi.2by2(as.table(x), method = "cohort.count", conf.level = 0.95)$massoc.detail)

newcombe <- function(a, n1, c, n0) {
  wilson <- function(x, n) as.numeric(prop.test(x, n, correct = FALSE)$conf.int)
  p1 <- a / n1; p0 <- c / n0
  w1 <- wilson(a, n1); w0 <- wilson(c, n0)
  rd <- p1 - p0
  c(rd, rd - sqrt((p1 - w1[1])^2 + (w0[2] - p0)^2), rd + sqrt((w1[2] - p1)^2 + (p0 - w0[1])^2))
}

crude_json <- function(name, a, b, c, d, note) {
  x <- matrix(c(a, c, b, d), 2)      # rows exposed/reference, columns event/no event
  e <- epi(x)
  n1 <- a + b; n0 <- c + d
  rr <- unlist(e$RR.strata.wald)   # one table: epiR names its crude values "strata"
  if (a > 0 && c > 0) {              # the formula agrees with epiR where the interval exists
    se <- sqrt(b / (a * n1) + d / (c * n0)); est <- (a / n1) / (c / n0)
    stopifnot(isTRUE(all.equal(rr, c(est, est * exp(-z * se), est * exp(z * se)), tolerance = 1e-13, check.attributes = FALSE)))
  }
  or <- unlist(e$OR.strata.wald)
  rd <- newcombe(a, n1, c, n0)
  f <- fisher.test(x)
  h <- nc_hyper(x)
  paste0("    ", jobj(list(
    name = jstr(name), note = jstr(note), a = a, b = b, c = c, d = d,
    riskRatio = triple(rr[1], rr[2], rr[3]),
    riskDifference = triple(rd[1], rd[2], rd[3]),
    oddsRatio = triple(or[1], or[2], or[3]),
    conditionalOddsRatio = triple(exact_mle(h), exact_lower(h, 0.025), exact_upper(h, 0.025)),
    fisherConditionalOddsRatio = triple(f$estimate, f$conf.int[1], f$conf.int[2]))))
}

bd_tarone <- function(x, psi) {
  a <- x[1, 1, ]; n1 <- x[1, 1, ] + x[1, 2, ]; n0 <- x[2, 1, ] + x[2, 2, ]; m1 <- x[1, 1, ] + x[2, 1, ]
  keep <- pmax(0, m1 - n0) < pmin(n1, m1)
  a <- a[keep]; n1 <- n1[keep]; n0 <- n0[keep]; m1 <- m1[keep]
  # epiR's A_k (the root in the support) and V_k
  bb <- n0 + n1 * psi - m1 * (1 - psi)
  determ <- sqrt(bb^2 + 4 * (1 - psi) * psi * n1 * m1)
  roots <- (-bb + cbind(-determ, determ)) / (2 - 2 * psi)
  A <- ifelse(roots[, 1] <= pmin(n1, m1) & roots[, 1] >= 0, roots[, 1], roots[, 2])
  V <- 1 / (1 / A + 1 / (n1 - A) + 1 / (m1 - A) + 1 / (n0 - m1 + A))
  bd <- sum((a - A)^2 / V)
  tarone <- bd - (sum(a) - sum(A))^2 / sum(V)
  list(bd = bd, tarone = tarone, df = sum(keep) - 1, used = sum(keep))
}

strata_json <- function(name, x, note) {
  mh <- mantelhaen.test(x, correct = FALSE)
  informative <- apply(x, 3, function(t) all(rowSums(t) > 0))
  mh2 <- mantelhaen.test(x[, , informative], correct = FALSE)   # one-exposure strata change nothing
  stopifnot(isTRUE(all.equal(c(mh$estimate, mh$conf.int, mh$statistic), c(mh2$estimate, mh2$conf.int, mh2$statistic), tolerance = 1e-14)))
  # epi.2by2 stops on a stratum with one exposure level (its per-stratum exact OR), so it gets
  # the informative strata; the Greenland-Robins formula on every stratum must agree.
  e <- epi(x[, , informative])
  rrmh <- unlist(e$RR.mh.wald)
  a <- x[1, 1, ]; c <- x[2, 1, ]; n1 <- a + x[1, 2, ]; n0 <- c + x[2, 2, ]; n <- n1 + n0; m1 <- a + c
  rr <- sum(a * n0 / n) / sum(c * n1 / n)
  se <- sqrt(sum(m1 * n1 * n0 / n^2 - a * c / n) / (sum(a * n0 / n) * sum(c * n1 / n)))
  stopifnot(isTRUE(all.equal(rrmh, c(rr, rr * exp(-z * se), rr * exp(z * se)), tolerance = 1e-13, check.attributes = FALSE)))
  bdt <- bd_tarone(x, unname(mh$estimate))
  stopifnot(isTRUE(all.equal(bdt$bd, e$bOR.homog$test.statistic, tolerance = 1e-12)))
  strata <- vapply(seq_len(dim(x)[3]), function(k) jints(c(x[1, 1, k], x[1, 2, k], x[2, 1, k], x[2, 2, k])), "")
  paste0("    ", jobj(list(
    name = jstr(name), note = jstr(note),
    strata = paste0("[", paste(strata, collapse = ", "), "]"),
    mhOddsRatio = triple(mh$estimate, mh$conf.int[1], mh$conf.int[2]),
    mhRiskRatio = triple(rrmh[1], rrmh[2], rrmh[3]),
    mhTest = jobj(list(statistic = jnum(mh$statistic), p = jnum(mh$p.value))),
    breslowDay = jobj(list(statistic = jnum(bdt$bd), tarone = jnum(bdt$tarone), df = bdt$df, strataUsed = bdt$used,
                           p = jnum(pchisq(bdt$tarone, bdt$df, lower.tail = FALSE)),
                           epiRStatistic = jnum(e$bOR.homog$test.statistic), epiRdf = e$bOR.homog$df)))))
}

# --- simulated crude tables -------------------------------------------------------------------
set.seed(20261203)
sim_crude <- function(n1, n0, r1, r0) { a <- rbinom(1, n1, r1); c <- rbinom(1, n0, r0); c(a, n1 - a, c, n0 - c) }
crude <- list(
  list("sim_small", sim_crude(40, 87, 0.20, 0.06), "simulated: 40 exposed at risk 0.20, 87 reference at 0.06"),
  list("sim_medium", sim_crude(150, 350, 0.30, 0.18), "simulated: 150 vs 350, risks 0.30 / 0.18"),
  list("sim_large", sim_crude(2500, 7500, 0.052, 0.038), "simulated: 2500 vs 7500, risks 0.052 / 0.038"),
  list("sim_protective", sim_crude(60, 60, 0.10, 0.35), "simulated: 60 vs 60, risks 0.10 / 0.35 (RR < 1, RD < 0)"),
  list("zero_exposed_events", c(0, 25, 7, 93), "a = 0: RR and Wald OR 0 without an interval; conditional MLE 0"),
  list("zero_reference_events", c(5, 20, 0, 30), "c = 0: RR and Wald OR infinite (null); conditional MLE and upper limit Inf (null)"),
  list("all_events_exposed", c(12, 0, 9, 9), "b = 0: Wald OR infinite; RR has an interval"),
  list("tiny", c(3, 1, 1, 3), "tiny table, all cells positive")
)
# --- simulated stratified tables (2 x 2 x K) ----------------------------------------------------
sim_strata <- function(spec) {
  x <- array(0L, c(2, 2, length(spec)))
  for (k in seq_along(spec)) { s <- spec[[k]]; t <- sim_crude(s[1], s[2], s[3], s[4]); x[, , k] <- matrix(as.integer(t[c(1, 3, 2, 4)]), 2) }
  x
}
strata <- list(
  list("sim_common_or", sim_strata(list(c(30, 70, 0.25, 0.10), c(50, 50, 0.40, 0.20), c(80, 20, 0.15, 0.05), c(0, 25, 0, 0.12))),
       "simulated: three strata with similar odds ratios, and a fourth with no exposed rows"),
  list("sim_heterogeneous", sim_strata(list(c(40, 40, 0.50, 0.10), c(40, 40, 0.10, 0.30), c(60, 60, 0.30, 0.30), c(12, 0, 0.5, 0))),
       "simulated: odds ratios on both sides of 1 (Breslow-Day small), and a stratum with no reference rows")
)

body <- c(vapply(crude, function(cs) { v <- cs[[2]]; crude_json(cs[[1]], v[1], v[2], v[3], v[4], cs[[3]]) }, ""))
sbody <- vapply(strata, function(cs) strata_json(cs[[1]], cs[[2]], cs[[3]]), "")
lines <- c("{", paste0("  \"tool\": ", jstr(paste0(R.version.string, "; epiR ", packageVersion("epiR"))), ","),
           "  \"crude\": [", paste0(body, c(rep(",", length(body) - 1), "")), "  ],",
           "  \"stratified\": [", paste0(sbody, c(rep(",", length(sbody) - 1), "")), "  ]", "}")
con <- file(OUT, open = "wb"); writeLines(lines, con, sep = "\n"); close(con)
cat("wrote", OUT, "\n")
