#!/usr/bin/env Rscript
# Reference values for `cohort cox` end to end (issue 14): a simulated cohort CSV with what a real
# one has (text covariates with a chosen reference level, competing events, missing values in the
# time, a covariate and the cluster column, two forms of the time input), fitted by
# survival::coxph as the command should fit it:
#   coxph(Surv(time, status == 1) ~ age + sex + product + plt [+ strata(site)], ties = ,
#         [cluster = centre], control = coxph.control(eps = 1e-12, toler.chol = 1e-13, iter.max = 100))
# status 2 (death, the competing event) censors: a cause-specific hazard. Rows with any missing
# value are dropped (na.omit, coxph's default). Writes
#   Tests/Fixtures/survival/cox_command/cohort.csv     the data (time/status and event-day columns)
#   Tests/Fixtures/survival/cox_command/references.json per case: n, nevent, coefficients (named
#     as R names them, e.g. productB), SEs (model-based; robust with cluster), z, P, the hazard
#     ratios' 95% limits as summary(coxph)$conf.int prints them, loglik at 0 and at the estimate,
#     and the LR, Wald and score tests (fit$wald.test and fit$score, robust with cluster).
# All data simulated (set.seed below); no real patient data. Only survival is used; JSON is
# written by hand with %.17g. Run from the repository root:
#   Rscript Tests/References/cox_command_references.R

options(warn = 1)
suppressPackageStartupMessages(library(survival))
RNGkind("Mersenne-Twister", "Inversion", "Rejection")
DIR <- file.path("Tests", "Fixtures", "survival", "cox_command")
dir.create(DIR, recursive = TRUE, showWarnings = FALSE)

jnum <- function(x) {
  if (is.null(x) || length(x) == 0 || is.na(x)) return("null")
  sprintf("%.17g", x)
}
jstr <- function(x) paste0("\"", x, "\"")
jarr <- function(v, f = jnum) paste0("[", paste(vapply(as.list(v), f, ""), collapse = ", "), "]")
jobj <- function(l) paste0("{", paste(sprintf("%s: %s", vapply(names(l), jstr, ""), unlist(l)), collapse = ", "), "}")

set.seed(20261203 + 40)
n <- 260
age <- round(rnorm(n, 60, 10), 1)
sex <- sample(c("F", "M"), n, replace = TRUE)
product <- sample(c("A", "B", "C"), n, replace = TRUE, prob = c(0.4, 0.35, 0.25))
plt <- round(rlnorm(n, log(120), 0.5))
site <- sample(c("east", "west", "north"), n, replace = TRUE)
centre <- paste0("c", sample(1:25, n, replace = TRUE))
frailty <- setNames(rnorm(25, 0, 0.4), paste0("c", 1:25))[centre]
rate1 <- exp(0.02 * (age - 60) + 0.4 * (sex == "M") + 0.5 * (product == "B") - 0.3 * (product == "C") -
             0.004 * (plt - 120) + frailty) / 200
rate2 <- exp(0.03 * (age - 60)) / 500
t1 <- ceiling(rexp(n, rate1)); t2 <- ceiling(rexp(n, rate2)); tc <- sample(20:400, n, replace = TRUE)
time <- pmin(t1, t2, tc)
status <- ifelse(time == t1 & t1 <= tc, 1L, ifelse(time == t2 & t2 <= tc, 2L, 0L))
# Missing values: a time, two covariates, a cluster.
time[7] <- NA; age[15] <- NA; plt[33] <- NA; centre[48] <- NA
d <- data.frame(time = time, status = status, age = age, sex = sex, product = product, plt = plt, site = site, centre = centre)
# The same times as the event-day form: event_day and event_type when there is an event, else the
# last follow-up day (a row without a time has neither).
d$event_day <- ifelse(d$status > 0, d$time, NA)
d$event_type <- ifelse(is.na(d$time), NA, ifelse(d$status == 1, "bleeding", ifelse(d$status == 2, "death", NA)))
d$followup_day <- d$time
write.csv(d, file.path(DIR, "cohort.csv"), row.names = FALSE, quote = FALSE, na = "")

case_json <- function(name, ties = "efron", strata = FALSE, cluster = FALSE, reference = "A") {
  d$product <- relevel(factor(d$product), ref = reference)
  d$sex <- factor(d$sex)
  rhs <- "age + sex + product + plt"
  if (strata) rhs <- paste(rhs, "+ strata(site)")
  f <- as.formula(paste("Surv(time, status == 1) ~", rhs))
  control <- coxph.control(eps = 1e-12, toler.chol = 1e-13, iter.max = 100)
  fit <- if (cluster) coxph(f, data = d, ties = ties, cluster = centre, control = control)
         else coxph(f, data = d, ties = ties, control = control)
  s <- summary(fit)
  beta <- unname(coef(fit))
  naive <- if (is.null(fit$naive.var)) fit$var else fit$naive.var
  se <- sqrt(diag(fit$var))
  jobj(list(
    name = jstr(name), ties = jstr(ties), strata = if (strata) jstr("site") else "null",
    cluster = if (cluster) jstr("centre") else "null", reference = jstr(reference),
    terms = jarr(names(coef(fit)), jstr), n = jnum(fit$n), nEvents = jnum(fit$nevent),
    coefficients = jarr(beta), stdErrors = jarr(se), naiveStdErrors = jarr(sqrt(diag(naive))),
    z = jarr(beta / se), p = jarr(2 * pnorm(-abs(beta / se))),
    hrLower = jarr(unname(s$conf.int[, 3])), hrUpper = jarr(unname(s$conf.int[, 4])),
    nullLogLikelihood = jnum(fit$loglik[1]), logLikelihood = jnum(fit$loglik[2]),
    lrTest = jnum(2 * (fit$loglik[2] - fit$loglik[1])), waldTest = jnum(fit$wald.test),
    scoreTest = jnum(if (cluster) fit$rscore else fit$score)))
}

cases <- c(
  case_json("efron"),
  case_json("breslow", ties = "breslow"),
  case_json("strata_site", strata = TRUE),
  case_json("cluster_centre", cluster = TRUE),
  case_json("reference_B", reference = "B"))
writeLines(c("[", paste0("  ", cases, collapse = ",\n"), "]"), file.path(DIR, "references.json"))
cat("wrote", length(cases), "cases to", DIR, "\n")
