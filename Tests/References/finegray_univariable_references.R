#!/usr/bin/env Rscript
# Reference values for `cohort finegray --univariable` (issue 16: the univariable screen beside the
# multivariable model, here for Fine-Gray), on the simulated cohort of cox_command_references.R
# (Tests/Fixtures/survival/cox_command/cohort.csv; run that script first). Each covariate alone:
#   crr(ftime = time, fstatus = status, cov1 = model.matrix(~ X)[, -1], failcode = 1, cencode = 0,
#       gtol = 1e-12, maxiter = 100)
# on the rows where time, status and X are recorded (not the multivariable model's complete cases:
# each fit uses its own rows, as gtsummary::tbl_uvregression and cohort logit --univariable do),
# status 2 (death) competing. Writes Tests/Fixtures/survival/cox_command/finegray_univariable_references.json:
# per covariate the terms (R's names: productB, sexM), n, coefficients, sandwich SEs, P and the SHR's
# 95% limits as summary(crr)$conf.int.
# All data simulated; no real patient data. JSON written by hand with %.17g.
#   Rscript Tests/References/finegray_univariable_references.R

options(warn = 1)
suppressPackageStartupMessages(library(cmprsk))
DIR <- file.path("Tests", "Fixtures", "survival", "cox_command")
d <- read.csv(file.path(DIR, "cohort.csv"), stringsAsFactors = FALSE, na.strings = "")

jnum <- function(x) if (is.null(x) || length(x) == 0 || is.na(x)) "null" else sprintf("%.17g", x)
jstr <- function(x) paste0("\"", x, "\"")
jarr <- function(v, f = jnum) paste0("[", paste(vapply(as.list(v), f, ""), collapse = ", "), "]")
jobj <- function(l) paste0("{", paste(sprintf("%s: %s", vapply(names(l), jstr, ""), unlist(l)), collapse = ", "), "}")

alone <- function(covariate) {
  e <- d[complete.cases(d[, c("time", "status", covariate)]), ]
  if (is.character(e[[covariate]])) e[[covariate]] <- factor(e[[covariate]])  # sorted levels: the first is the reference
  x <- model.matrix(as.formula(paste("~", covariate)), data = e)[, -1, drop = FALSE]
  fit <- crr(e$time, e$status, cov1 = x, failcode = 1, cencode = 0, gtol = 1e-12, maxiter = 100)
  s <- summary(fit)
  beta <- unname(fit$coef)
  se <- sqrt(diag(fit$var))
  jobj(list(covariate = jstr(covariate), terms = jarr(colnames(x), jstr), n = jnum(fit$n),
            coefficients = jarr(beta), stdErrors = jarr(se), p = jarr(2 * pnorm(-abs(beta / se))),
            hrLower = jarr(unname(s$conf.int[, 3])), hrUpper = jarr(unname(s$conf.int[, 4]))))
}

cases <- vapply(c("age", "sex", "product", "plt"), alone, "")
writeLines(c("[", paste0("  ", cases, collapse = ",\n"), "]"), file.path(DIR, "finegray_univariable_references.json"))
