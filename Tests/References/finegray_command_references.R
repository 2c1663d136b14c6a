#!/usr/bin/env Rscript
# Reference values for `cohort finegray` end to end (issue 14), on the simulated cohort that
# cox_command_references.R writes (Tests/Fixtures/survival/cox_command/cohort.csv: text covariates,
# competing deaths, missing values; run that script first):
#   crr(ftime = time, fstatus = status, cov1 = model.matrix(~ age + sex + product + plt)[, -1],
#       failcode = 1, cencode = 0, gtol = 1e-12, maxiter = 100)
# on the complete cases (crr's na.omit), status 2 (death) competing. gtol far below crr's default
# 1e-6 so that the recorded estimate is the maximum to the last digits. Writes
# Tests/Fixtures/survival/cox_command/finegray_references.json: per case the terms (R's names,
# productB), n, coefficients, sandwich SEs (sqrt(diag(var))), naive SEs (sqrt(diag(solve(inf)))),
# z, P, the SHR's 95% limits as summary(crr)$conf.int, loglik and loglik.null, and the predicted
# cumulative incidence (predict.crr) of two covariate profiles read at days 30, 90 and 200 (the
# step function's value at the last event time on or before the day).
# Also Tests/Fixtures/survival/cox_command/finegray_coxph_references.json: the same model by
# survival::finegray + coxph(weights = fgwt, id, robust = TRUE, Efron ties), for --convention finegray-coxph.
# All data simulated; no real patient data. Only cmprsk is used; JSON written by hand with %.17g.
#   Rscript Tests/References/finegray_command_references.R

options(warn = 1)
suppressPackageStartupMessages(library(cmprsk))
suppressPackageStartupMessages(library(survival))
DIR <- file.path("Tests", "Fixtures", "survival", "cox_command")
d <- read.csv(file.path(DIR, "cohort.csv"), stringsAsFactors = FALSE, na.strings = "")

jnum <- function(x) {
  if (is.null(x) || length(x) == 0 || is.na(x)) return("null")
  sprintf("%.17g", x)
}
jstr <- function(x) paste0("\"", x, "\"")
jarr <- function(v, f = jnum) paste0("[", paste(vapply(as.list(v), f, ""), collapse = ", "), "]")
jobj <- function(l) paste0("{", paste(sprintf("%s: %s", vapply(names(l), jstr, ""), unlist(l)), collapse = ", "), "}")

days <- c(30, 90, 200)
at_days <- function(curve) sapply(days, function(t) { k <- which(curve[, 1] <= t); if (length(k) == 0) 0 else curve[max(k), 2] })

case_json <- function(name, reference = "A") {
  e <- d[complete.cases(d[, c("time", "status", "age", "sex", "product", "plt")]), ]
  e$product <- relevel(factor(e$product), ref = reference)
  e$sex <- factor(e$sex)
  x <- model.matrix(~ age + sex + product + plt, data = e)[, -1]
  fit <- crr(e$time, e$status, cov1 = x, failcode = 1, cencode = 0, gtol = 1e-12, maxiter = 100)
  s <- summary(fit)
  beta <- unname(fit$coef)
  se <- sqrt(diag(fit$var))
  # Profiles: age 60, sex M, product B (or A when B is the reference... always given by level), plt 100;
  # and age 70, sex F, the reference product, plt 200.
  profile <- function(age, sex, product, plt) {
    row <- data.frame(age = age, sex = factor(sex, levels = levels(e$sex)), product = factor(product, levels = levels(e$product)), plt = plt)
    model.matrix(~ age + sex + product + plt, data = row)[, -1, drop = FALSE]
  }
  p1 <- predict(fit, cov1 = profile(60, "M", "B", 100))
  p2 <- predict(fit, cov1 = profile(70, "F", reference, 200))
  jobj(list(
    name = jstr(name), reference = jstr(reference), terms = jarr(colnames(x), jstr), n = jnum(fit$n),
    coefficients = jarr(beta), stdErrors = jarr(se), naiveStdErrors = jarr(sqrt(diag(solve(fit$inf)))),
    z = jarr(beta / se), p = jarr(2 * pnorm(-abs(beta / se))),
    hrLower = jarr(unname(s$conf.int[, 3])), hrUpper = jarr(unname(s$conf.int[, 4])),
    logLikelihood = jnum(fit$loglik), nullLogLikelihood = jnum(fit$loglik.null),
    days = jarr(days), profile1 = jstr(paste0("age=60, sex=M, product=B, plt=100")), cif1 = jarr(at_days(p1)),
    profile2 = jstr(paste0("age=70, sex=F, product=", reference, ", plt=200")), cif2 = jarr(at_days(p2))))
}

# The other convention (--convention finegray-coxph): survival::finegray's weighted rows, coxph with
# Efron ties and the robust variance over the patients.
coxph_json <- function(name) {
  e <- d[complete.cases(d[, c("time", "status", "age", "sex", "product", "plt")]), ]
  e$product <- relevel(factor(e$product), ref = "A")
  e$sex <- factor(e$sex)
  e$fg_id <- seq_len(nrow(e))
  e$fg_status <- factor(e$status, 0:2, c("censor", "event", "competing"))
  fgdata <- finegray(Surv(time, fg_status) ~ ., data = e[, c("time", "fg_status", "age", "sex", "product", "plt", "fg_id")], etype = "event")
  fit <- coxph(Surv(fgstart, fgstop, fgstatus) ~ age + sex + product + plt, data = fgdata, weights = fgwt, id = fg_id,
               robust = TRUE, control = coxph.control(eps = 1e-12, toler.chol = 1e-13, iter.max = 100))
  beta <- unname(coef(fit)); se <- sqrt(diag(fit$var))
  jobj(list(name = jstr(name), terms = jarr(names(coef(fit)), jstr), coefficients = jarr(beta), stdErrors = jarr(se),
            naiveStdErrors = jarr(sqrt(diag(fit$naive.var))), z = jarr(beta / se),
            logLikelihood = jnum(fit$loglik[2]), nullLogLikelihood = jnum(fit$loglik[1])))
}

cases <- c(case_json("crr"), case_json("reference_C", reference = "C"))
writeLines(c("[", paste0("  ", coxph_json("finegray_coxph"), "", collapse = ""), "]"), file.path(DIR, "finegray_coxph_references.json"))
writeLines(c("[", paste0("  ", cases, collapse = ",\n"), "]"), file.path(DIR, "finegray_references.json"))
cat("wrote", length(cases), "cases\n")
