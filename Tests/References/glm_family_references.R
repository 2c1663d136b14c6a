#!/usr/bin/env Rscript
# Reference values for `cohort linear`, `cohort poisson` (and --negative-binomial) and
# `cohort logbinomial` (issue 16).
#
# 1. Writes the synthetic datasets Tests/Fixtures/glm/data/*.csv from a seeded generator (below),
#    and MASS::quine and datasets::warpbreaks as CSV.
# 2. Fits each case with
#      linear          stats::lm(weights =), summary.lm; sandwich::vcovHC(type = "HC0".."HC3")
#      poisson         stats::glm(family = poisson, offset = log(exposure), weights =)
#      negbin          MASS::glm.nb, then theta refined to the exact joint maximum (see below)
#      logbinomial     stats::glm(family = binomial(link = "log"))
#      modifiedPoisson stats::glm(family = poisson) with sandwich::vcovHC(type = "HC0") (Zou 2004)
#    with glm.control(epsilon = 1e-15, maxit = 200), and writes Tests/Fixtures/glm/references/<case>.json.
#
# Negative binomial: glm.nb stops theta.ml at |Δθ| < .Machine$double.eps^0.25 and the outer loop at
# 1e-8, so its θ is only good to about 1e-6 relative. The reference alternates theta.ml(eps = 1e-14)
# and glm(negative.binomial(θ), epsilon = 1e-15) from glm.nb's fit until θ changes by < 1e-13
# relative: the same maximum glm.nb approaches, to the digits the tests check. glm.nb's own numbers
# are written alongside (glmnbTheta, glmnbEstimate) for information.
#
# Per case: terms (R's names, mapped to CohortKit's NAME[LEVEL] by the generator's factor list),
# estimate, stdError, statistic (t or z), p, ciLower/ciUpper (t-based for lm, Wald for glm),
# deviance, nullDeviance, dfResidual, logLik, aic, and per model sigma, rSquared, adjRSquared,
# fStatistic/fDF1/fP (lm), pearsonChi2 (glm), theta/thetaSE (negbin).
# Run from the repository root:  Rscript Tests/References/glm_family_references.R

options(warn = 1)
suppressPackageStartupMessages({ library(MASS); library(sandwich) })
DATA <- file.path("Tests", "Fixtures", "glm", "data")
OUT <- file.path("Tests", "Fixtures", "glm", "references")
dir.create(DATA, recursive = TRUE, showWarnings = FALSE)
dir.create(OUT, recursive = TRUE, showWarnings = FALSE)
CTRL <- glm.control(epsilon = 1e-15, maxit = 200)

# ---------------------------------------------------------------------------
# Data
# ---------------------------------------------------------------------------
set.seed(20261203)
n <- 240
age <- round(rnorm(n, 60, 12), 1)
sex <- sample(c("F", "M"), n, replace = TRUE)
arm <- sample(c("control", "low", "high"), n, replace = TRUE)
w <- sample(1:4, n, replace = TRUE)
sd_e <- 2 + 0.08 * abs(age - 60)                      # heteroscedastic errors
y <- 10 + 0.3 * age + ifelse(sex == "M", 2.5, 0) + c(control = 0, low = -1.5, high = 3)[arm] + rnorm(n, 0, sd_e)
age_months <- age * 12                                # aliased with age
linear <- data.frame(y = round(y, 3), age, sex, arm, w, age_months)
linear$y[c(5, 17)] <- NA; linear$age[33] <- NA
write.csv(linear, file.path(DATA, "linear.csv"), row.names = FALSE, na = "")

m <- 300
grp <- sample(c("A", "B", "C"), m, replace = TRUE)
x <- round(runif(m, 0, 2), 3)
pt <- round(runif(m, 0.5, 5), 2)                     # person-years
mu <- pt * exp(-1 + 0.4 * x + c(A = 0, B = 0.5, C = -0.3)[grp])
events <- rnbinom(m, size = 2.5, mu = mu)
cw <- sample(1:3, m, replace = TRUE)
counts <- data.frame(events, pt, x, grp, cw)
counts$x[9] <- NA
write.csv(counts, file.path(DATA, "counts.csv"), row.names = FALSE, na = "")

k <- 400
dose <- round(runif(k, 0, 3), 2)
site <- sample(c("north", "south"), k, replace = TRUE)
risk <- exp(-2.2 + 0.35 * dose + ifelse(site == "south", 0.3, 0))
outcome <- rbinom(k, 1, risk)
bw <- sample(1:2, k, replace = TRUE)
write.csv(data.frame(outcome, dose, site, bw), file.path(DATA, "logbin.csv"), row.names = FALSE)

# Risks that reach 1: every patient with score above 8 has the outcome, and the risk rises
# exponentially with the score, so the log-binomial maximum lies on the boundary.
j <- 200
score <- round(runif(j, 0, 10), 2)
event <- ifelse(score > 8, 1L, rbinom(j, 1, pmin(1, exp(-2.4 + 0.3 * score))))
age2 <- round(rnorm(j, 50, 10))
write.csv(data.frame(event, score, age2), file.path(DATA, "logbin_boundary.csv"), row.names = FALSE)

# Large counts (most above 200): θ's score then uses digamma/trigamma rather than finite sums.
big_x <- round(runif(150, 0, 1), 3)
big <- data.frame(count = rnbinom(150, size = 4, mu = exp(6 + 0.5 * big_x)), big_x)
write.csv(big, file.path(DATA, "counts_large.csv"), row.names = FALSE)

write.csv(MASS::quine, file.path(DATA, "quine.csv"), row.names = FALSE)
write.csv(datasets::warpbreaks, file.path(DATA, "warpbreaks.csv"), row.names = FALSE)

# ---------------------------------------------------------------------------
# JSON (numbers with 17 significant digits)
# ---------------------------------------------------------------------------
jval <- function(v) {
  if (is.null(v)) return("null")
  if (is.list(v)) {
    if (length(v) == 0) return("{}")
    return(paste0("{", paste(sprintf("\"%s\": %s", names(v), vapply(v, jval, "")), collapse = ", "), "}"))
  }
  one <- function(x) {
    if (is.logical(x)) return(if (is.na(x)) "null" else if (x) "true" else "false")
    if (is.character(x)) return(paste0("\"", gsub("\"", "\\\\\"", x), "\""))
    if (is.na(x) || !is.finite(x)) return("null")
    if (x == round(x) && abs(x) < 1e9 && is.integer(x)) return(sprintf("%d", x))
    sprintf("%.17g", x)
  }
  if (length(v) == 1 && is.null(attr(v, "array"))) return(one(v))
  paste0("[", paste(vapply(seq_along(v), function(i) one(v[[i]]), ""), collapse = ", "), "]")
}
arr <- function(v) { attr(v, "array") <- TRUE; v }
write_case <- function(name, fields) {
  lines <- sprintf("  \"%s\": %s", names(fields), vapply(fields, jval, ""))
  writeLines(c("{", paste(lines, collapse = ",\n"), "}"), file.path(OUT, paste0(name, ".json")))
}

# R's coefficient names -> CohortKit's NAME[LEVEL].
rename <- function(terms, factors) {
  for (f in factors) terms <- sub(paste0("^", f, "(.+)$"), paste0(f, "[\\1]"), terms)
  terms
}

# ---------------------------------------------------------------------------
# Cases
# ---------------------------------------------------------------------------
read <- function(file) read.csv(file.path(DATA, file), stringsAsFactors = TRUE, na.strings = "")

# summary.glm's covariance (and sandwich's bread) come from the QR of the last IRLS iteration,
# whose weights are those of the iterate before the returned estimate; refitting from the estimate
# makes them the weights at the estimate (CohortKit's convention, as for the logistic references).
at_estimate <- function(fit, d) {
  if (is.null(d$.off)) d$.off <- 0
  for (i in 1:2) fit <- glm(formula(fit), family = fit$family, data = d, weights = .w, offset = .off, start = coef(fit), control = CTRL)
  fit
}

lm_case <- function(name, file, outcome, covariates, factors = character(), weights = NULL, robust = NULL, levels = list()) {
  d <- read(file)
  for (f in names(levels)) d[[f]] <- relevel(d[[f]], levels[[f]])
  formula <- reformulate(covariates, outcome)
  fit <- if (is.null(weights)) lm(formula, d) else lm(formula, d, weights = d[[weights]])
  s <- summary(fit)
  b <- coef(fit)
  ok <- !is.na(b)
  V <- vcov(fit)
  if (!is.null(robust)) V <- vcovHC(fit, type = toupper(robust))
  se <- rep(NA_real_, length(b)); dv <- diag(V); if (length(dv) == length(b)) se <- sqrt(dv) else se[ok] <- sqrt(dv)
  t <- b / se
  p <- 2 * pt(abs(t), fit$df.residual, lower.tail = FALSE)
  q <- qt(0.975, fit$df.residual)
  f <- s$fstatistic
  write_case(name, list(
    case = name, model = "lm", data = file, outcome = outcome, covariates = arr(covariates),
    factor = levels, weights = weights, robust = robust,
    n = as.integer(nobs(fit)), nDropped = as.integer(length(fit$na.action)),
    terms = arr(rename(names(b), factors)), aliased = arr(!ok),
    estimate = arr(unname(b)), stdError = arr(se), statistic = arr(unname(t)), p = arr(unname(p)),
    ciLower = arr(unname(b - q * se)), ciUpper = arr(unname(b + q * se)),
    deviance = deviance(fit), dfResidual = as.integer(fit$df.residual), sigma = s$sigma,
    rSquared = s$r.squared, adjRSquared = s$adj.r.squared,
    fStatistic = unname(f[1]), fDF1 = as.integer(f[2]),
    fP = unname(pf(f[1], f[2], f[3], lower.tail = FALSE)),
    logLik = as.numeric(logLik(fit)), aic = AIC(fit)))
}

glm_fields <- function(fit, V, factors, extra = list()) {
  b <- coef(fit)
  ok <- !is.na(b)
  se <- rep(NA_real_, length(b)); dv <- diag(V); if (length(dv) == length(b)) se <- sqrt(dv) else se[ok] <- sqrt(dv)
  z <- b / se
  c(list(terms = arr(rename(names(b), factors)), aliased = arr(!ok),
         estimate = arr(unname(b)), stdError = arr(se), statistic = arr(unname(z)),
         p = arr(unname(2 * pnorm(-abs(z)))),
         ciLower = arr(unname(b - qnorm(0.975) * se)), ciUpper = arr(unname(b + qnorm(0.975) * se)),
         deviance = deviance(fit), nullDeviance = fit$null.deviance, dfResidual = as.integer(fit$df.residual),
         pearsonChi2 = sum(residuals(fit, "pearson")^2), logLik = as.numeric(logLik(fit)), aic = AIC(fit),
         n = as.integer(nobs(fit)), nDropped = as.integer(length(fit$na.action))), extra)
}

glm_case <- function(name, file, outcome, covariates, family, factors = character(), weights = NULL,
                     exposure = NULL, levels = list(), robust = FALSE, model = "poisson") {
  d <- read(file)
  for (f in names(levels)) d[[f]] <- relevel(d[[f]], levels[[f]])
  d$.w <- if (is.null(weights)) 1 else d[[weights]]
  d$.off <- if (is.null(exposure)) 0 else log(d[[exposure]])
  fit <- glm(reformulate(covariates, outcome), family = family, data = d, weights = .w, offset = .off, control = CTRL)
  fit <- at_estimate(fit, d)
  V <- if (robust) vcovHC(fit, type = "HC0") else vcov(fit)
  write_case(name, c(list(case = name, model = model, data = file, outcome = outcome, covariates = arr(covariates),
                          factor = levels, weights = weights, exposure = exposure, converged = fit$converged),
                     glm_fields(fit, V, factors)))
}

nb_case <- function(name, file, outcome, covariates, factors = character(), weights = NULL, exposure = NULL, levels = list()) {
  d <- read(file)
  for (f in names(levels)) d[[f]] <- relevel(d[[f]], levels[[f]])
  d$.w <- if (is.null(weights)) 1 else d[[weights]]
  d$.off <- if (is.null(exposure)) 0 else log(d[[exposure]])
  formula <- reformulate(c(covariates, "offset(.off)"), outcome)
  nb <- glm.nb(formula, data = d, weights = .w)
  fit <- nb
  theta <- nb$theta
  for (i in 1:200) {
    fit <- glm(reformulate(covariates, outcome), family = negative.binomial(theta), data = d, weights = .w,
               offset = .off, start = coef(fit), control = CTRL)
    y <- fit$y; mu <- fitted(fit)
    new <- theta.ml(y, mu, sum(fit$prior.weights), fit$prior.weights, limit = 200, eps = 1e-14)
    done <- abs(new - theta) / theta < 1e-13
    theta <- as.numeric(new)
    if (done) break
  }
  fit <- glm(reformulate(covariates, outcome), family = negative.binomial(theta), data = d, weights = .w,
             offset = .off, start = coef(fit), control = CTRL)
  fit <- at_estimate(fit, d)
  mu <- fitted(fit); y <- fit$y; pw <- fit$prior.weights
  info <- sum(pw * (-trigamma(theta + y) + trigamma(theta) - 1/theta + 2/(mu + theta) - (y + theta)/(mu + theta)^2))
  ll <- sum(pw * (lgamma(theta + y) - lgamma(theta) - lgamma(y + 1) + theta * log(theta) + y * log(mu + (y == 0)) - (theta + y) * log(theta + mu)))
  fields <- glm_fields(fit, vcov(fit, dispersion = 1), factors)   # glm.nb's summary: dispersion 1
  fields$logLik <- ll
  fields$aic <- -2 * ll + 2 * (sum(!is.na(coef(fit))) + 1)
  write_case(name, c(list(case = name, model = "negbin", data = file, outcome = outcome, covariates = arr(covariates),
                          factor = levels, weights = weights, exposure = exposure, converged = TRUE),
                     fields, list(theta = theta, thetaSE = 1 / sqrt(info), glmnbTheta = nb$theta, glmnbThetaSE = nb$SE.theta,
                                  glmnbEstimate = arr(unname(coef(nb))), glmnbTwiceLogLik = nb$twologlik)))
}

lb_case <- function(name, file, outcome, covariates, factors = character(), weights = NULL, levels = list()) {
  d <- read(file)
  for (f in names(levels)) d[[f]] <- relevel(d[[f]], levels[[f]])
  d$.w <- if (is.null(weights)) 1 else d[[weights]]
  result <- tryCatch({
    fit <- withCallingHandlers(
      glm(reformulate(covariates, outcome), family = binomial(link = "log"), data = d, weights = .w, control = CTRL),
      warning = function(w) { message("logbinomial ", name, ": ", conditionMessage(w)); invokeRestart("muffleWarning") })
    list(fit = fit, error = NULL)
  }, error = function(e) list(fit = NULL, error = conditionMessage(e)))
  fit <- result$fit
  if (!is.null(fit) && fit$converged && max(fitted(fit)) < 1 - 1e-8) {
    fit <- at_estimate(fit, d)
    write_case(name, c(list(case = name, model = "logbinomial", data = file, outcome = outcome, covariates = arr(covariates),
                            factor = levels, weights = weights, converged = TRUE, rError = NULL),
                       glm_fields(fit, vcov(fit), factors)))
  } else {
    # Zou's modified Poisson, as the command's fallback.
    pfit <- at_estimate(glm(reformulate(covariates, outcome), family = poisson, data = d, weights = .w, control = CTRL), d)
    why <- if (is.null(fit)) result$error else sprintf("converged = %s, max fitted risk %.17g", fit$converged, max(fitted(fit)))
    write_case(name, c(list(case = name, model = "modifiedPoisson", data = file, outcome = outcome, covariates = arr(covariates),
                            factor = levels, weights = weights, converged = FALSE, rError = why),
                       glm_fields(pfit, vcovHC(pfit, type = "HC0"), factors)))
  }
}

lm_case("lm_basic", "linear.csv", "y", c("age", "sex", "arm"), factors = c("sex", "arm"), levels = list(arm = "control"))
lm_case("lm_weighted", "linear.csv", "y", c("age", "sex", "arm"), factors = c("sex", "arm"), weights = "w", levels = list(arm = "control"))
lm_case("lm_aliased", "linear.csv", "y", c("age", "age_months", "sex"), factors = c("sex"))
for (type in c("hc0", "hc1", "hc2", "hc3")) {
  lm_case(paste0("lm_", type), "linear.csv", "y", c("age", "sex", "arm"), factors = c("sex", "arm"), robust = type, levels = list(arm = "control"))
}
lm_case("lm_weighted_hc3", "linear.csv", "y", c("age", "sex", "arm"), factors = c("sex", "arm"), weights = "w", robust = "hc3", levels = list(arm = "control"))

glm_case("poisson_exposure", "counts.csv", "events", c("x", "grp"), poisson, factors = "grp", exposure = "pt")
glm_case("poisson_weighted", "counts.csv", "events", c("x", "grp"), poisson, factors = "grp", exposure = "pt", weights = "cw")
glm_case("poisson_warpbreaks", "warpbreaks.csv", "breaks", c("wool", "tension"), poisson, factors = c("wool", "tension"), levels = list(tension = "L"))
nb_case("negbin_quine", "quine.csv", "Days", c("Eth", "Sex", "Age", "Lrn"), factors = c("Eth", "Sex", "Age", "Lrn"))
nb_case("negbin_large_counts", "counts_large.csv", "count", c("big_x"))
nb_case("negbin_counts", "counts.csv", "events", c("x", "grp"), factors = "grp", exposure = "pt")
nb_case("negbin_counts_weighted", "counts.csv", "events", c("x", "grp"), factors = "grp", exposure = "pt", weights = "cw")
lb_case("logbinomial_basic", "logbin.csv", "outcome", c("dose", "site"), factors = "site")
lb_case("logbinomial_weighted", "logbin.csv", "outcome", c("dose", "site"), factors = "site", weights = "bw")
lb_case("logbinomial_boundary", "logbin_boundary.csv", "event", c("score", "age2"))
glm_case("modified_poisson_basic", "logbin.csv", "outcome", c("dose", "site"), poisson, factors = "site", robust = TRUE, model = "modifiedPoisson")
