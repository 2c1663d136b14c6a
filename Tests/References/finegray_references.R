#!/usr/bin/env Rscript
# Reference values for CohortKit's Fine-Gray subdistribution hazards model
# (Sources/CohortStats/TimeToEvent/FineGray).
#
# For every case below this script writes the data as Tests/Fixtures/survival/finegray/<data>.csv
# (columns time, status 0 = censored / 1 = event of interest / 2 = competing event, then the numeric
# covariates) and records in Tests/Fixtures/survival/finegray/references.json
#   cmprsk::crr(time, status, cov1 = covariates, failcode = 1, cencode = 0, gtol = 1e-13, maxiter = 100)
# coefficients, the sandwich SEs sqrt(diag(var)), the naive SEs sqrt(diag(invinf)), z, P, loglik,
# loglik.null, the matrices inf (information), invinf and var (column-major), the distinct event
# times uftime and the baseline jumps bfitj, and predict.crr's cumulative incidence for two covariate
# vectors read as a step function at a few days (0 before the first event time).
# gtol = 1e-13 (crr's default is 1e-6) and up to three polishing Newton steps (see case_json) so that
# the recorded estimates are the maximum of the pseudo log-likelihood to the last digits, not where
# crr's default rule stopped; `converged` records crr's own flag before polishing (its rule can be
# unreachable at 1e-13 when rounding dominates) and `maxAbsScore` the largest |score| at the recorded
# estimate.
# For every case it also records the other convention, survival::finegray + coxph(Surv(fgstart, fgstop,
# fgstatus) ~ covariates, weights = fgwt, id = id, robust = TRUE) with Efron ties and eps = 1e-12 (robust
# = TRUE: without competing events every weight is 1 and coxph would skip it): coefficients, naive
# and robust SEs (sqrt(diag(naive.var)), sqrt(diag(var))) and loglik.
# For the case without competing events the script also records survival::coxph(ties = "breslow",
# robust = TRUE): the same estimate, coxph's naive variance = crr's invinf and its robust variance =
# crr's var (the censoring term vanishes without competing events).
#
# Datasets: all simulated (no real patient data), drawn with set.seed(20261204 + k) under a fixed
# RNGkind, with whole-day times so that ties occur and covariates rounded to 1 or 2 decimals so that
# the CSV holds every value exactly; plus one small data set written literally.
#
# Only cmprsk and survival are used; JSON is written by hand with %.17g. Run from the repository root:
#   Rscript Tests/References/finegray_references.R

options(warn = 1)
suppressPackageStartupMessages({ library(cmprsk); library(survival) })
RNGkind("Mersenne-Twister", "Inversion", "Rejection")
DIR <- file.path("Tests", "Fixtures", "survival", "finegray")
OUT <- file.path(DIR, "references.json")
dir.create(DIR, recursive = TRUE, showWarnings = FALSE)

jnum <- function(x) {
  if (is.null(x) || length(x) == 0 || is.na(x)) return("null")
  if (is.infinite(x)) return(if (x > 0) "\"Infinity\"" else "\"-Infinity\"")
  sprintf("%.17g", x)
}
jstr <- function(x) paste0("\"", gsub("\"", "\\\\\"", x), "\"")
jarr <- function(v, f = jnum) paste0("[", paste(vapply(as.list(v), f, ""), collapse = ", "), "]")
jobj <- function(l) paste0("{", paste(sprintf("%s: %s", vapply(names(l), jstr, ""), unlist(l)), collapse = ", "), "}")

write_data <- function(d, name) {
  write.csv(d, file.path(DIR, paste0(name, ".csv")), row.names = FALSE, quote = FALSE)
}

# predict.crr's CIF (a step function over uftime) read at `days`: 0 before the first event time.
cif_at <- function(pred, days) {
  sapply(days, function(t) { k <- sum(pred[, 1] <= t); if (k == 0) 0 else pred[k, 2] })
}

# One crr fit as a JSON object; `profiles` are covariate vectors (rows) for predict.crr.
case_json <- function(name, data_name, d, covariates, profiles, days, cox = FALSE) {
  x <- as.matrix(d[, covariates, drop = FALSE])
  fit <- crr(d$time, d$status, cov1 = x, failcode = 1, cencode = 0, gtol = 1e-13, maxiter = 100)
  converged <- fit$converged
  # Polish: up to three exact Newton steps b + inf^-1 score from crr's own score and information,
  # each evaluated by crr itself (init = b, maxiter = 0 evaluates every output at b without
  # iterating), kept while the largest |score| falls. crr's backtracking refuses a step whose gain
  # is below the rounding of loglik and can leave |score| near 1e-10 with little information.
  for (k in 1:3) {
    step <- fit$coef + solve(fit$inf, fit$score)
    polished <- crr(d$time, d$status, cov1 = x, failcode = 1, cencode = 0, init = step, maxiter = 0)
    if (max(abs(polished$score)) >= max(abs(fit$score))) break
    fit <- polished
  }
  beta <- unname(fit$coef)
  se <- sqrt(diag(fit$var))
  z <- beta / se
  cif <- lapply(seq_len(nrow(profiles)), function(k) cif_at(predict(fit, cov1 = profiles[k, , drop = FALSE]), days))
  fields <- list(
    name = jstr(name), data = jstr(paste0(data_name, ".csv")), covariates = jarr(covariates, jstr),
    n = jnum(fit$n), nEvents = jnum(sum(d$status == 1)), nCompeting = jnum(sum(d$status == 2)),
    nCensored = jnum(sum(d$status == 0)), converged = if (converged) "true" else "false",
    maxAbsScore = jnum(max(abs(fit$score))),
    coefficients = jarr(beta), stdErrors = jarr(se), naiveStdErrors = jarr(sqrt(diag(fit$invinf))),
    z = jarr(z), p = jarr(2 * pnorm(-abs(z))),
    logLikelihood = jnum(fit$loglik), nullLogLikelihood = jnum(fit$loglik.null),
    information = jarr(as.vector(fit$inf)), naiveCovariance = jarr(as.vector(fit$invinf)),
    covariance = jarr(as.vector(fit$var)),
    eventTimes = jarr(fit$uftime), baselineJumps = jarr(fit$bfitj),
    profiles = paste0("[", paste(apply(profiles, 1, jarr), collapse = ", "), "]"),
    days = jarr(days), cif = paste0("[", paste(sapply(cif, jarr), collapse = ", "), "]"))
  # The other convention: survival::finegray's weighted data, coxph with Efron ties and the robust
  # variance over the subjects (id).
  d$fg_id <- seq_len(nrow(d))
  d$fg_status <- factor(d$status, 0:2, c("censor", "event", "competing"))
  fgdata <- finegray(Surv(time, fg_status) ~ ., data = d[, c("time", "fg_status", covariates, "fg_id")], etype = "event")
  fgfit <- coxph(as.formula(paste("Surv(fgstart, fgstop, fgstatus) ~", paste(covariates, collapse = " + "))),
                 data = fgdata, weights = fgwt, id = fg_id, robust = TRUE,
                 control = coxph.control(eps = 1e-12, toler.chol = 1e-13, iter.max = 100))
  fields$finegrayCoxphCoefficients <- jarr(unname(coef(fgfit)))
  fields$finegrayCoxphNaiveStdErrors <- jarr(sqrt(diag(fgfit$naive.var)))
  fields$finegrayCoxphRobustStdErrors <- jarr(sqrt(diag(fgfit$var)))
  fields$finegrayCoxphLogLikelihood <- jnum(fgfit$loglik[2])
  fields$finegrayCoxphNullLogLikelihood <- jnum(fgfit$loglik[1])
  if (cox) {
    f <- as.formula(paste("Surv(time, status == 1) ~", paste(covariates, collapse = " + ")))
    cfit <- coxph(f, data = d, ties = "breslow", robust = TRUE,
                  control = coxph.control(eps = 1e-12, toler.chol = 1e-13, iter.max = 100))
    fields$coxphBreslowCoefficients <- jarr(unname(coef(cfit)))
    fields$coxphBreslowNaiveStdErrors <- jarr(sqrt(diag(cfit$naive.var)))
    fields$coxphBreslowRobustStdErrors <- jarr(sqrt(diag(cfit$var)))
    fields$coxphBreslowLogLikelihood <- jnum(cfit$loglik[2])
  }
  jobj(fields)
}

# Draws n rows: cause 1 with probability plogis(lp1), else cause 2; the event time is whole days
# from an exponential whose rate depends on lp2; censoring uniform on censor_days (whole days).
simulate <- function(n, x, lp1, lp2, mean_days, censor_days, competing = TRUE) {
  cause <- if (competing) ifelse(runif(n) < plogis(lp1), 1L, 2L) else rep(1L, n)
  event_time <- ceiling(rexp(n, exp(lp2) / mean_days))
  censor_time <- sample(censor_days, n, replace = TRUE)
  data.frame(time = pmin(event_time, censor_time), status = ifelse(event_time <= censor_time, cause, 0L), x)
}

cases <- character(0)

# --- 200 patients, three covariates (age, a binary sex, a score), whole days up to 400 -------------
set.seed(20261204 + 1)
n <- 200
x <- data.frame(age = round(rnorm(n, 60, 10), 1), sex = rbinom(n, 1, 0.5), score = round(rnorm(n), 2))
cohort <- simulate(n, x, lp1 = 0.3 + 0.04 * (x$age - 60) - 0.6 * x$sex, lp2 = 0.3 * x$score, mean_days = 150,
                   censor_days = 20:400)
write_data(cohort, "cohort")
profiles <- rbind(c(55, 0, -0.5), c(70, 1, 1.2))
days <- c(1, 10, 30, 90, 180, 365, 1000)
cases <- c(cases, case_json("cohort", "cohort", cohort, c("age", "sex", "score"), profiles, days))
cases <- c(cases, case_json("cohort_two", "cohort", cohort, c("sex", "score"), profiles[, 2:3], days))

# --- heavy ties: 300 patients, whole days 1..20, two covariates ------------------------------------
set.seed(20261204 + 2)
n <- 300
x <- data.frame(x1 = round(rnorm(n), 2), x2 = rbinom(n, 1, 0.4))
ties <- simulate(n, x, lp1 = 0.5 * x$x1 - 0.5 * x$x2, lp2 = 0.2 * x$x1, mean_days = 12, censor_days = 1:20)
write_data(ties, "ties")
cases <- c(cases, case_json("ties", "ties", ties, c("x1", "x2"), rbind(c(0, 0), c(1, 1)), c(1, 2, 5, 10, 15, 20)))

# --- no competing events: crr is Cox with Breslow ties, its var coxph's robust variance -----------
set.seed(20261204 + 3)
n <- 150
x <- data.frame(a = round(rnorm(n), 2), b = rbinom(n, 1, 0.5))
nocomp <- simulate(n, x, lp1 = 0, lp2 = 0.6 * x$a - 0.4 * x$b, mean_days = 100, censor_days = 10:250,
                   competing = FALSE)
write_data(nocomp, "no_competing")
cases <- c(cases, case_json("no_competing", "no_competing", nocomp, c("a", "b"), rbind(c(0, 0), c(1, 1)),
                            c(5, 50, 100, 200), cox = TRUE))

# --- heavy censoring: 400 patients, about 90% censored ---------------------------------------------
set.seed(20261204 + 4)
n <- 400
x <- data.frame(u = round(runif(n, -1, 1), 2), g = rbinom(n, 1, 0.3), w = round(rnorm(n, 5, 2), 1))
heavy <- simulate(n, x, lp1 = 0.8 * x$u + 0.5 * x$g, lp2 = 0.1 * (x$w - 5), mean_days = 2000,
                  censor_days = 1:500)
write_data(heavy, "heavy_censoring")
cases <- c(cases, case_json("heavy_censoring", "heavy_censoring", heavy, c("u", "g", "w"),
                            rbind(c(0, 0, 5), c(0.5, 1, 7)), c(30, 100, 250, 500)))

# --- times of 0: events, competing events and censoring at day 0 (crr reads G(0), not G(0-), there) --
set.seed(20261204 + 5)
n <- 80
x <- data.frame(v = round(rnorm(n), 2))
zero <- simulate(n, x, lp1 = 0.4 * x$v, lp2 = 0.5 * x$v, mean_days = 6, censor_days = 0:20)
zero$time <- pmax(0, zero$time - 2)
write_data(zero, "zero_times")
cases <- c(cases, case_json("zero_times", "zero_times", zero, c("v"), rbind(-1, 1), c(0, 1, 5, 10)))

# --- one event of interest among 12 rows, with competing events and censoring ----------------------
one <- data.frame(time = c(2, 3, 3, 5, 6, 7, 8, 8, 10, 11, 12, 14),
                  status = c(2L, 0L, 2L, 0L, 1L, 2L, 0L, 2L, 0L, 2L, 0L, 0L),
                  x = c(0.3, -1.2, 0.8, 0.1, 0.4, -0.4, 2.2, -0.9, 0.6, 1.1, -0.2, 0.0))
write_data(one, "one_event")
cases <- c(cases, case_json("one_event", "one_event", one, c("x"), rbind(0, 1), c(1, 6, 20)))

lines <- c("{", paste0("  \"tool\": ", jstr(paste0("R ", R.version$major, ".", R.version$minor,
                                                   ", cmprsk ", packageVersion("cmprsk"),
                                                   ", survival ", packageVersion("survival"))), ","),
           "  \"cases\": [", paste0("    ", cases, collapse = ",\n"), "  ]", "}")
con <- file(OUT, open = "wb"); writeLines(lines, con, sep = "\n"); close(con)
cat("wrote", OUT, "with", length(cases), "cases\n")
