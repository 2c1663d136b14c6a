#!/usr/bin/env Rscript
# Reference values for `cohort finegray --weights` and `--offset` (issue 16: weights and offsets for
# every regression command), on the simulated cohort of cox_command_references.R (run it first),
# written with three DETERMINISTIC columns (no random numbers) as
# Tests/Fixtures/survival/finegray_weights/cohort.csv:
#   wi  frequency weight 1 + (row mod 3)
#   wc  case weight 0.4 + ((row * 29) mod 17) / 8
#   o   offset 0.1 * ((row * 7) mod 5) - 0.2
# Cases (covariates age + sex + product + plt, status 1 the event, 2 competing, complete cases):
#   crr_frequency      cmprsk::crr on the rows repeated wi times: what crr's convention with
#                      frequency weights must equal (crr itself takes no weights), gtol = 1e-12;
#                      coefficients, sandwich and naive SEs, log pseudo-likelihoods, predict.crr of
#                      two profiles at days 30, 90, 200.
#   finegray_case      survival::finegray(weights = wc) + coxph(weights = fgwt, id, robust = TRUE,
#                      Efron): finegray's censoring distribution is unweighted and fgwt carries wc.
#   finegray_offset    the same as finegray_case plus offset(o), without weights.
# crr has no offset: the offset under crr's convention is checked by an identity in the Swift test
# (an offset c·x moves x's coefficient by −c and leaves everything else).
# All data simulated; no real patient data. JSON written by hand with %.17g.
#   Rscript Tests/References/finegray_weights_references.R

options(warn = 1)
suppressPackageStartupMessages(library(cmprsk))
suppressPackageStartupMessages(library(survival))
IN <- file.path("Tests", "Fixtures", "survival", "cox_command", "cohort.csv")
DIR <- file.path("Tests", "Fixtures", "survival", "finegray_weights")
dir.create(DIR, recursive = TRUE, showWarnings = FALSE)
d <- read.csv(IN, stringsAsFactors = FALSE, na.strings = "")
i <- seq_len(nrow(d))
d <- d[, c("time", "status", "age", "sex", "product", "plt")]
d$wi <- 1 + (i %% 3)
d$wc <- 0.4 + ((i * 29) %% 17) / 8
d$o <- 0.1 * ((i * 7) %% 5) - 0.2
write.csv(d, file.path(DIR, "cohort.csv"), row.names = FALSE, na = "", quote = FALSE)

jnum <- function(x) if (is.null(x) || length(x) == 0 || is.na(x)) "null" else sprintf("%.17g", x)
jstr <- function(x) paste0("\"", x, "\"")
jarr <- function(v, f = jnum) paste0("[", paste(vapply(as.list(v), f, ""), collapse = ", "), "]")
jobj <- function(l) paste0("{", paste(sprintf("%s: %s", vapply(names(l), jstr, ""), unlist(l)), collapse = ", "), "}")

e <- d[complete.cases(d[, c("time", "status", "age", "sex", "product", "plt")]), ]
e$product <- factor(e$product)
e$sex <- factor(e$sex)
days <- c(30, 90, 200)
at_days <- function(curve) sapply(days, function(t) { k <- which(curve[, 1] <= t); if (length(k) == 0) 0 else curve[max(k), 2] })

crr_frequency <- function() {
  r <- e[rep(seq_len(nrow(e)), e$wi), ]
  x <- model.matrix(~ age + sex + product + plt, data = r)[, -1]
  fit <- crr(r$time, r$status, cov1 = x, failcode = 1, cencode = 0, gtol = 1e-12, maxiter = 100)
  profile <- function(age, sex, product, plt) {
    row <- data.frame(age = age, sex = factor(sex, levels = levels(e$sex)), product = factor(product, levels = levels(e$product)), plt = plt)
    model.matrix(~ age + sex + product + plt, data = row)[, -1, drop = FALSE]
  }
  beta <- unname(fit$coef)
  jobj(list(name = jstr("crr_frequency"), terms = jarr(colnames(x), jstr), rows = jnum(nrow(e)), expandedRows = jnum(nrow(r)),
            coefficients = jarr(beta), stdErrors = jarr(sqrt(diag(fit$var))), naiveStdErrors = jarr(sqrt(diag(solve(fit$inf)))),
            logLikelihood = jnum(fit$loglik), nullLogLikelihood = jnum(fit$loglik.null),
            cif1 = jarr(at_days(predict(fit, cov1 = profile(60, "M", "B", 100)))),
            cif2 = jarr(at_days(predict(fit, cov1 = profile(70, "F", "A", 200))))))
}

finegray_case <- function(name, weighted, offset) {
  f <- e
  f$fg_id <- seq_len(nrow(f))
  f$fg_status <- factor(f$status, 0:2, c("censor", "event", "competing"))
  keep <- f[, c("time", "fg_status", "age", "sex", "product", "plt", "o", "wc", "fg_id")]
  fg <- if (weighted) finegray(Surv(time, fg_status) ~ ., data = keep, etype = "event", weights = wc)
        else finegray(Surv(time, fg_status) ~ ., data = keep, etype = "event")
  ctrl <- coxph.control(eps = 1e-12, toler.chol = 1e-13, iter.max = 100)
  fit <- if (offset) coxph(Surv(fgstart, fgstop, fgstatus) ~ age + sex + product + plt + offset(o), data = fg, weights = fgwt,
                           id = fg_id, robust = TRUE, control = ctrl)
         else coxph(Surv(fgstart, fgstop, fgstatus) ~ age + sex + product + plt, data = fg, weights = fgwt, id = fg_id,
                    robust = TRUE, control = ctrl)
  beta <- unname(coef(fit))
  jobj(list(name = jstr(name), terms = jarr(names(coef(fit)), jstr), rows = jnum(nrow(e)), coefficients = jarr(beta),
            stdErrors = jarr(sqrt(diag(fit$var))), naiveStdErrors = jarr(sqrt(diag(fit$naive.var))),
            logLikelihood = jnum(fit$loglik[2]), nullLogLikelihood = jnum(fit$loglik[1])))
}

cases <- c(crr_frequency(), finegray_case("finegray_case", TRUE, FALSE), finegray_case("finegray_offset", FALSE, TRUE))
writeLines(c("[", paste0("  ", cases, collapse = ",\n"), "]"), file.path(DIR, "references.json"))
