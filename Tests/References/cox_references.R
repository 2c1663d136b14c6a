#!/usr/bin/env Rscript
# Reference values for CohortKit's Cox proportional-hazards regression
# (Sources/CohortStats/TimeToEvent/Cox; issue 14).
#
# For every case below this script writes the data as Tests/Fixtures/survival/cox/<data>.csv
# (columns time, status 0 = censored / 1 = event, then the numeric covariates, then the stratum and
# cluster columns where the case has them) and records in Tests/Fixtures/survival/cox/references.json
#   survival::coxph(Surv(time, status) ~ covariates [+ strata(s)], ties = , [cluster = c],
#                   control = coxph.control(eps = 1e-12, toler.chol = 1e-13, iter.max = 100))
# coefficients, the model-based SEs (sqrt(diag(naive.var)) when robust, else sqrt(diag(var))), the
# robust SEs (sqrt(diag(var)) with cluster = , no small-sample factor) or null, loglik (at 0 and at
# the estimate), the LR statistic 2(l1 - l0), the score (log-rank) statistic at 0, the Wald
# statistic with the model-based variance (and fit$wald.test, which coxph computes with the robust
# variance when there is one), fit$rscore (the robust score test), df, n, nevent, the iterations and
# the covariance matrices; for three cases the profile-likelihood 95% limits (profile_ci below). eps = 1e-12 (coxph's default is 1e-9) so that the recorded estimates are the
# maximum to the last digits, not where coxph's default rule stopped.
# Datasets: all simulated (no real patient data), drawn with set.seed(20261203 + k) under a fixed
# RNGkind, with whole-day times so that ties occur and the CSV holds every value exactly (covariates
# rounded to 1 or 2 decimals), plus one small data set written literally.
#
# Only survival is used; JSON is written by hand with %.17g. Run from the repository root:
#   Rscript Tests/References/cox_references.R

options(warn = 1)
suppressPackageStartupMessages(library(survival))
RNGkind("Mersenne-Twister", "Inversion", "Rejection")
DIR <- file.path("Tests", "Fixtures", "survival", "cox")
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

# Profile-likelihood 95% limits of coefficient j: the roots of 2 (l(beta) - l_p(b)) = qchisq(0.95, 1),
# l_p(b) the maximum with x_j * b as an offset (the other coefficients refitted), found by uniroot
# to 1e-13 in b on each side of the estimate (survival has no profile intervals of its own).
profile_ci <- function(fit, d, covariates, j, ties, strata) {
  control <- coxph.control(eps = 1e-12, toler.chol = 1e-13, iter.max = 100)
  others <- covariates[-j]
  rhs <- paste(c(others, "offset(held)", if (!is.null(strata)) paste0("strata(", strata, ")")), collapse = " + ")
  f <- as.formula(paste("Surv(time, status) ~", rhs))
  target <- fit$loglik[2] - qchisq(0.95, 1) / 2
  h <- function(b) {
    d$held <- b * d[[covariates[j]]]
    tail(coxph(f, data = d, ties = ties, control = control)$loglik, 1) - target
  }
  beta <- unname(coef(fit))[j]; se <- sqrt(diag(fit$var))[j]
  c(uniroot(h, c(beta - 10 * se, beta), tol = 1e-13)$root, uniroot(h, c(beta, beta + 10 * se), tol = 1e-13)$root)
}

# One coxph fit as a JSON object.
case_json <- function(name, data_name, d, covariates, ties = "efron", strata = NULL, cluster = NULL, profile = FALSE) {
  rhs <- paste(covariates, collapse = " + ")
  if (!is.null(strata)) rhs <- paste0(rhs, " + strata(", strata, ")")
  f <- as.formula(paste("Surv(time, status) ~", rhs))
  control <- coxph.control(eps = 1e-12, toler.chol = 1e-13, iter.max = 100)
  fit <- if (is.null(cluster)) {
    coxph(f, data = d, ties = ties, control = control)
  } else {
    d$cluster_id <- d[[cluster]]
    coxph(f, data = d, ties = ties, cluster = cluster_id, control = control)
  }
  beta <- unname(coef(fit))
  naive <- if (is.null(fit$naive.var)) fit$var else fit$naive.var
  robust <- if (is.null(fit$naive.var)) NULL else fit$var
  # NA when the variance is singular (a coefficient running to infinity).
  wald_model <- tryCatch(as.numeric(t(beta) %*% solve(naive, beta)), error = function(e) NA)
  jobj(list(
    name = jstr(name), data = jstr(paste0(data_name, ".csv")), covariates = jarr(covariates, jstr),
    ties = jstr(ties), strata = if (is.null(strata)) "null" else jstr(strata),
    cluster = if (is.null(cluster)) "null" else jstr(cluster),
    n = jnum(fit$n), nEvents = jnum(fit$nevent), iterations = jnum(fit$iter),
    coefficients = jarr(beta), stdErrors = jarr(sqrt(diag(naive))),
    robustStdErrors = if (is.null(robust)) "null" else jarr(sqrt(diag(robust))),
    covariance = jarr(as.vector(naive)), robustCovariance = if (is.null(robust)) "null" else jarr(as.vector(robust)),
    nullLogLikelihood = jnum(fit$loglik[1]), logLikelihood = jnum(fit$loglik[2]),
    likelihoodRatio = jnum(2 * (fit$loglik[2] - fit$loglik[1])), scoreTest = jnum(fit$score),
    waldTest = jnum(wald_model), coxphWaldTest = jnum(fit$wald.test),
    robustScoreTest = if (is.null(fit$rscore)) "null" else jnum(fit$rscore),
    profileLower = if (profile) jarr(sapply(seq_along(beta), function(j) profile_ci(fit, d, covariates, j, ties, strata)[1])) else "null",
    profileUpper = if (profile) jarr(sapply(seq_along(beta), function(j) profile_ci(fit, d, covariates, j, ties, strata)[2])) else "null",
    df = jnum(sum(!is.na(beta)))))
}

cases <- character(0)

# --- simulated cohort: 230 patients, several covariates, 2 sites (strata), 40 centres (clusters) --
# age continuous (1 dp), sex 0/1, grade 1/2/3 coded as the 0/1 columns grade2 and grade3; whole-day
# times up to 900 days (so that some event times are tied); a site effect on the baseline hazard and a
# shared centre frailty so that the robust and model-based variances differ.
set.seed(20261203 + 5)
n <- 230
age <- round(rnorm(n, 62, 9), 1)
sex <- rbinom(n, 1, 0.45)
grade <- sample(1:3, n, replace = TRUE, prob = c(0.4, 0.35, 0.25))
site <- sample(c("north", "south"), n, replace = TRUE)
centre <- sample(1:40, n, replace = TRUE)
frailty <- rnorm(40, 0, 0.4)[centre]
rate <- exp(0.02 * (age - 62) - 0.5 * sex + 0.4 * (grade == 2) + 0.9 * (grade == 3) +
            0.3 * (site == "south") + frailty) / 300
event_time <- ceiling(rexp(n, rate))
censor_time <- sample(30:900, n, replace = TRUE)
cohort <- data.frame(time = pmin(event_time, censor_time), status = as.integer(event_time <= censor_time),
                     age = age, sex = sex, grade2 = as.integer(grade == 2), grade3 = as.integer(grade == 3),
                     site = site, centre = centre)
write_data(cohort, "cohort")
cases <- c(cases,
  case_json("cohort_efron", "cohort", cohort, c("age", "sex", "grade2", "grade3"), profile = TRUE),
  case_json("cohort_breslow", "cohort", cohort, c("age", "sex", "grade2", "grade3"), ties = "breslow"),
  case_json("cohort_strata_site", "cohort", cohort, c("age", "sex", "grade2", "grade3"), strata = "site"),
  case_json("cohort_cluster_centre", "cohort", cohort, c("age", "sex", "grade2", "grade3"), cluster = "centre"),
  case_json("cohort_cluster_centre_breslow_strata", "cohort", cohort, c("age", "grade2", "grade3"), ties = "breslow",
            strata = "site", cluster = "centre"))

# --- simulated small cohort: 30 patients, few events ----------------------------------------------
set.seed(20261203 + 6)
n <- 30
age <- round(runif(n, 40, 75))
rx <- rep(1:2, each = 15)
ecog <- rbinom(n, 1, 0.5)
event_time <- ceiling(rexp(n, exp(0.05 * (age - 57) - 0.6 * (rx == 2) + 0.4 * ecog) / 600))
censor_time <- sample(200:1200, n, replace = TRUE)
small <- data.frame(time = pmin(event_time, censor_time), status = as.integer(event_time <= censor_time),
                    age = age, rx = rx, ecog = ecog)
write_data(small, "small")
cases <- c(cases, case_json("small_efron", "small", small, c("age", "rx", "ecog")))

# --- simulated, heavy ties: 300 patients, whole-day times 1..15 ----------------------------------
set.seed(20261203 + 1)
n <- 300
x1 <- round(rnorm(n), 2)
x2 <- rbinom(n, 1, 0.4)
x3 <- round(runif(n, 20, 80))
stratum <- sample(c("A", "B", "C"), n, replace = TRUE)
clinic <- sample(1:30, n, replace = TRUE)
rate <- exp(0.5 * x1 - 0.7 * x2 + 0.01 * x3) / 10
event_time <- ceiling(rexp(n, rate))
censor_time <- sample(1:15, n, replace = TRUE)
ties <- data.frame(time = pmin(event_time, censor_time), status = as.integer(event_time <= censor_time),
                   x1 = x1, x2 = x2, x3 = x3, stratum = stratum, clinic = clinic)
write_data(ties, "ties")
cases <- c(cases,
  case_json("ties_efron", "ties", ties, c("x1", "x2", "x3")),
  case_json("ties_breslow", "ties", ties, c("x1", "x2", "x3"), ties = "breslow", profile = TRUE),
  case_json("ties_strata", "ties", ties, c("x1", "x2", "x3"), strata = "stratum", profile = TRUE),
  case_json("ties_strata_cluster", "ties", ties, c("x1", "x2", "x3"), strata = "stratum", cluster = "clinic"),
  case_json("ties_breslow_cluster", "ties", ties, c("x1", "x2"), ties = "breslow", cluster = "clinic"))

# --- simulated, time zero left in: 80 patients, some followed for 0 days ---------------------------
set.seed(20261203 + 2)
n <- 80
x <- round(rnorm(n), 2)
t0 <- pmax(0, round(rexp(n, exp(0.8 * x) / 20)) - 2)
zero <- data.frame(time = t0, status = rbinom(n, 1, 0.8), x = x)
write_data(zero, "zero_times")
cases <- c(cases, case_json("zero_times_efron", "zero_times", zero, c("x")))

# --- monotone likelihood: every event has z = 1, so beta_z runs to +infinity ----------------------
# coxph warns "Loglik converged before variable 2; coefficient may be infinite"; its recorded
# coefficient for z is where iteration stopped, the log-likelihood its supremum to about 1e-10.
set.seed(20261203 + 3)
n <- 60
x <- round(rnorm(n), 2)
z <- rbinom(n, 1, 0.5)
mono <- data.frame(time = ceiling(rexp(n, 1 / 20)), status = ifelse(z == 1, rbinom(n, 1, 0.7), 0L), x = x, z = z)
write_data(mono, "monotone")
cases <- c(cases, case_json("monotone_z", "monotone", mono, c("x", "z")))

# --- a group with no events: its hazard ratio runs to 0 (monotone likelihood, beta -> -infinity) -----
set.seed(20261203 + 4)
n <- 50
group <- rep(0:1, each = 25)
x <- round(rnorm(n), 2)
cg <- data.frame(time = ceiling(rexp(n, 1 / 30)), status = ifelse(group == 1, 0L, rbinom(n, 1, 0.8)), group = group, x = x)
write_data(cg, "censored_group")
cases <- c(cases, case_json("censored_group", "censored_group", cg, c("group", "x")))

# --- one event: the estimate exists because the event's x is inside its risk set's range ---------
one <- data.frame(time = 1:12, status = as.integer(1:12 == 4), x = c(0.3, -1.2, 0.8, 0.1, 1.5, -0.4, 2.2, -0.9, 0.6, 1.1, -0.2, 0.0))
write_data(one, "one_event")
cases <- c(cases, case_json("one_event", "one_event", one, c("x")))

lines <- c("{", paste0("  \"tool\": ", jstr(paste0("R ", R.version$major, ".", R.version$minor,
                                                   ", survival ", packageVersion("survival"))), ","),
           "  \"cases\": [", paste0("    ", cases, collapse = ",\n"), "  ]", "}")
con <- file(OUT, open = "wb"); writeLines(lines, con, sep = "\n"); close(con)
cat("wrote", OUT, "with", length(cases), "cases\n")
