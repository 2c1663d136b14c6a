#!/usr/bin/env Rscript
# Reference values for CohortKit's meta-analysis (issue 17, `cohort meta`):
# Sources/CohortStats/MetaAnalysis/MetaAnalysis.swift.
# Writes Tests/Fixtures/meta/{bcg,normand1999,hackshaw1998}.csv (the public datasets' effect sizes)
# and Tests/Fixtures/meta/references.json.
#
# Data: public datasets shipped with metafor/metadat (no patient data):
#   bcg          dat.bcg, the 13 BCG vaccine trials; escalc(measure = "RR") gives the log risk ratio yi
#                and its variance vi from the 2x2 counts (written beside them).
#   normand1999  dat.normand1999, 9 stroke-rehabilitation studies; escalc(measure = "MD"): mean
#                differences in length of stay (days), large heterogeneity.
#   hackshaw1998 dat.hackshaw1998, 37 studies of passive smoking and lung cancer (log odds ratios yi,
#                vi as shipped), low heterogeneity.
#   hackshaw_first6  its first 6 studies: the REML and DL estimates of tau^2 are 0 (the boundary).
#
# Each case and method (REML, DL, EE = metafor's equal-effects "fixed" model) records
# metafor::rma(yi, vi, method = ...)'s estimate b, se, zval, pval, ci.lb, ci.ub, tau2, I2, H2, QE,
# QEp, k and weights(fit) (percent). REML is Fisher scoring; metafor stops when tau^2 changes by less
# than threshold = 1e-5, so the fit is redone with control = list(threshold = 1e-13, maxiter = 10000)
# (recorded; the default-threshold tau^2 is recorded too, as tau2_default). The tau^2 CI is
# confint(fit)'s Q-profile interval (Viechtbauer 2007) with control = list(tol = 1e-13) (uniroot's
# default tol is eps^0.25 ~ 1.2e-4), with the implied tau, I^2 and H^2 limits; level 0.95 and, for
# bcg, also 0.90 (rma(level = 90)).
#
# Versions: R 4.2.2, metafor 3.8-1, metadat 1.2-0 (Debian r-cran-metafor). JSON by hand with %.17g.
# Run from the repository root:  Rscript Tests/References/meta_references.R
suppressMessages(library(metafor))
out <- "Tests/Fixtures/meta"
dir.create(out, showWarnings = FALSE, recursive = TRUE)
num <- function(x) if (is.na(x)) "null" else if (is.infinite(x)) sprintf("\"%sInf\"", if (x < 0) "-" else "") else sprintf("%.17g", x)
vec <- function(x) paste0("[", paste(vapply(x, num, ""), collapse = ", "), "]")
csvnum <- function(x) sprintf("%.17g", x)

bcg <- escalc(measure = "RR", ai = tpos, bi = tneg, ci = cpos, di = cneg, data = dat.bcg)
bcg_out <- data.frame(trial = bcg$trial, author = bcg$author, year = bcg$year, tpos = bcg$tpos, tneg = bcg$tneg,
                      cpos = bcg$cpos, cneg = bcg$cneg, yi = csvnum(bcg$yi), vi = csvnum(bcg$vi), sei = csvnum(sqrt(bcg$vi)))
write.csv(bcg_out, file.path(out, "bcg.csv"), row.names = FALSE, quote = 2)
nor <- escalc(measure = "MD", m1i = m1i, sd1i = sd1i, n1i = n1i, m2i = m2i, sd2i = sd2i, n2i = n2i, data = dat.normand1999)
write.csv(data.frame(study = nor$study, source = nor$source, yi = csvnum(nor$yi), vi = csvnum(nor$vi)),
          file.path(out, "normand1999.csv"), row.names = FALSE, quote = 2)
hac <- dat.hackshaw1998
write.csv(data.frame(study = hac$study, author = hac$author, year = hac$year, yi = csvnum(hac$yi), vi = csvnum(hac$vi)),
          file.path(out, "hackshaw1998.csv"), row.names = FALSE, quote = 2)

cases <- list(
  list(name = "bcg", yi = as.numeric(bcg$yi), vi = as.numeric(bcg$vi), level = 95),
  list(name = "bcg_level90", yi = as.numeric(bcg$yi), vi = as.numeric(bcg$vi), level = 90),
  list(name = "normand1999", yi = as.numeric(nor$yi), vi = as.numeric(nor$vi), level = 95),
  list(name = "hackshaw1998", yi = hac$yi, vi = hac$vi, level = 95),
  list(name = "hackshaw_first6", yi = hac$yi[1:6], vi = hac$vi[1:6], level = 95))

tight <- list(threshold = 1e-13, maxiter = 10000)
entries <- c()
for (cs in cases) {
  methods <- c()
  for (m in c("REML", "DL", "EE")) {
    fit <- rma(cs$yi, cs$vi, method = m, level = cs$level, control = if (m == "REML") tight else list())
    f <- c(sprintf("\"estimate\": %s", num(fit$b[1])), sprintf("\"se\": %s", num(fit$se)), sprintf("\"z\": %s", num(fit$zval)),
           sprintf("\"p\": %s", num(fit$pval)), sprintf("\"lower\": %s", num(fit$ci.lb)), sprintf("\"upper\": %s", num(fit$ci.ub)),
           sprintf("\"tau2\": %s", num(fit$tau2)), sprintf("\"I2\": %s", num(fit$I2)), sprintf("\"H2\": %s", num(fit$H2)),
           sprintf("\"Q\": %s", num(fit$QE)), sprintf("\"Qp\": %s", num(fit$QEp)), sprintf("\"k\": %d", fit$k),
           sprintf("\"weights\": %s", vec(weights(fit))))
    if (m == "REML") {
      f <- c(f, sprintf("\"tau2_default\": %s", num(rma(cs$yi, cs$vi, method = m, level = cs$level)$tau2)))
    }
    if (m != "EE") {
      ci <- confint(fit, control = list(tol = 1e-13))$random
      f <- c(f, sprintf("\"tau2_ci\": %s", vec(ci["tau^2", 2:3])), sprintf("\"tau_ci\": %s", vec(ci["tau", 2:3])),
             sprintf("\"I2_ci\": %s", vec(ci["I^2(%)", 2:3])), sprintf("\"H2_ci\": %s", vec(ci["H^2", 2:3])))
    }
    methods <- c(methods, sprintf("      \"%s\": {%s}", m, paste(f, collapse = ", ")))
  }
  entries <- c(entries, sprintf("  \"%s\": {\n    \"level\": %s, \"yi\": %s, \"vi\": %s,\n    \"methods\": {\n%s\n    }\n  }",
                                cs$name, num(cs$level / 100), vec(cs$yi), vec(cs$vi), paste(methods, collapse = ",\n")))
}
writeLines(c("{", paste(entries, collapse = ",\n"), "}"), file.path(out, "references.json"))

# The issue's numbers, as a check of this script: REML tau^2 0.3132, pooled -0.7145, SE 0.1798.
fit <- rma(yi, vi, data = bcg)
stopifnot(abs(fit$tau2 - 0.3132) < 5e-5, abs(fit$b[1] + 0.7145) < 5e-5, abs(fit$se - 0.1798) < 5e-5)
cat("meta references written to", out, "\n")
