#!/usr/bin/env Rscript
# Reference values for CohortKit's Firth (bias-reduced) logistic regression,
# computed with brglm2's brglmFit (type = "AS_mean": mean-bias-reducing adjusted
# score equations; for a canonical-link binomial GLM this is exactly Firth's
# 1993 penalized likelihood estimator).
#
# For every Firth case below this script fits
#   glm(formula, family = binomial, method = brglm2::brglmFit,
#       type = "AS_mean", epsilon = 1e-12, maxit = 500)
# and writes Tests/Fixtures/logistic/references/<case>_brglm2.json with
#   estimate, stdError, z, p    summary(fit)$coefficients
#   waldLower/Upper             estimate -/+ qnorm(0.975) * stdError
#   logLikelihood               logLik(fit): the UNPENALIZED binomial log-likelihood
#                               evaluated at the bias-reduced estimates
#   deviance, aic, bic          deviance(fit), AIC(fit), BIC(fit) (unpenalized, same point)
#   nullDeviance                fit$null.deviance as brglm2 reports it: deviance of the
#                               bias-reduced intercept-only fit, p = (events + 0.5)/(n + 1),
#                               NOT the ML null deviance
#   penalizedLogLikelihood      logLik(fit) + 0.5 * log det(X' W X) at the estimates,
#                               computed here with base R (cross-check for firthmodels'
#                               loglik_; brglm2 itself does not report it)
# brglm2 gives no profile-likelihood CIs or likelihood-ratio tests: those keys are null.
#
# Run from the repository root:  Rscript Tests/References/firth_references.R

options(warn = 1)
suppressPackageStartupMessages(library(brglm2))

DATA_DIR <- file.path("Tests", "Fixtures", "logistic", "data")
OUT_DIR <- file.path("Tests", "Fixtures", "logistic", "references")
dir.create(OUT_DIR, recursive = TRUE, showWarnings = FALSE)

Z_975 <- qnorm(0.975)
R_VERSION <- paste(R.version$major, R.version$minor, sep = ".")
BRGLM2_VERSION <- as.character(packageVersion("brglm2"))
TOOL <- paste("R", R_VERSION, "brglm2", BRGLM2_VERSION, "AS_mean")
VERSIONS <- list(R = R.version.string, brglm2 = BRGLM2_VERSION,
                 enrichwith = as.character(packageVersion("enrichwith")))

# ---------------------------------------------------------------------------
# JSON helpers (hand-formatted; numbers with 17 significant digits)
# ---------------------------------------------------------------------------
source(file.path("Tests", "References", "logistic_json.R"))

# ---------------------------------------------------------------------------
# Data preparation shared by all cases
# ---------------------------------------------------------------------------
prepare <- function(spec) {
  raw <- read.csv(file.path(DATA_DIR, spec$data), na.strings = c("", "NA"),
                  stringsAsFactors = FALSE)
  used <- c(spec$outcome, spec$covariates)
  cc <- raw[complete.cases(raw[, used, drop = FALSE]), used, drop = FALSE]
  rownames(cc) <- NULL
  if (!is.null(spec$eventLevel)) {
    cc$.y <- as.integer(cc[[spec$outcome]] == spec$eventLevel)
  } else {
    cc$.y <- as.integer(cc[[spec$outcome]])
  }
  refs <- list()
  for (v in spec$categorical) {
    # levels in C-locale (code point) order, as R's factor default does in the C locale
    lev <- sort(unique(cc[[v]]), method = "radix")
    f <- factor(cc[[v]], levels = lev)
    ref <- if (!is.null(spec$refs[[v]])) spec$refs[[v]] else lev[1]
    f <- relevel(f, ref = ref)
    cc[[v]] <- f
    refs[[v]] <- ref
  }
  list(data = cc, nDropped = nrow(raw) - nrow(cc), refs = refs)
}

# Map model-matrix column names to CohortKit term names (NAME[LEVEL]).
term_names <- function(X, data, categorical) {
  cn <- colnames(X)
  out <- cn
  for (v in categorical) {
    hit <- startsWith(cn, v) & nchar(cn) > nchar(v)
    lv <- substring(cn[hit], nchar(v) + 1)
    stopifnot(all(lv %in% levels(data[[v]])))
    out[hit] <- paste0(v, "[", lv, "]")
  }
  out
}

run_case <- function(spec) {
  prep <- prepare(spec)
  d <- prep$data
  form <- as.formula(paste(".y ~", paste(spec$covariates, collapse = " + ")))
  warns <- character(0)
  fit <- withCallingHandlers(
    glm(form, family = binomial, data = d, method = brglm2::brglmFit,
        type = "AS_mean", epsilon = 1e-12, maxit = 500),
    warning = function(w) {
      warns <<- c(warns, conditionMessage(w))
      invokeRestart("muffleWarning")
    })
  stopifnot(fit$converged, !any(is.na(coef(fit))))
  X <- model.matrix(fit)
  y <- fit$y
  terms <- term_names(X, d, spec$categorical)
  sm <- summary(fit)$coefficients
  mu <- fitted(fit)
  ll <- as.numeric(logLik(fit))
  pen <- ll + 0.5 * as.numeric(determinant(crossprod(X * sqrt(mu * (1 - mu))),
                                           logarithm = TRUE)$modulus)

  coefs <- list()
  for (k in seq_len(ncol(X))) {
    nm <- colnames(X)[k]
    est <- sm[nm, 1]; se <- sm[nm, 2]
    coefs[[k]] <- list(term = jstr(terms[k]), estimate = jnum(est), stdError = jnum(se),
                       z = jnum(sm[nm, 3]), p = jnum(sm[nm, 4]), aliased = "false",
                       profileLower = "null", profileUpper = "null",
                       waldLower = jnum(est - Z_975 * se), waldUpper = jnum(est + Z_975 * se),
                       lrChisq = "null", lrP = "null")
  }

  top <- list(
    case = jstr(spec$case),
    data = jstr(spec$data),
    outcome = jstr(spec$outcome),
    eventLevel = jstr(spec$eventLevel),
    covariates = jstrarr(spec$covariates),
    referenceLevels = jstrobj(prep$refs),
    method = jstr("firth"),
    tool = jstr(TOOL),
    versions = jstrobj(VERSIONS),
    n = jint(nrow(d)),
    nDropped = jint(prep$nDropped),
    events = jint(sum(y)),
    logLikelihood = jnum(ll),
    deviance = jnum(deviance(fit)),
    nullDeviance = jnum(fit$null.deviance),
    aic = jnum(AIC(fit)),
    bic = jnum(BIC(fit)),
    penalizedLogLikelihood = jnum(pen),
    converged = jbool(fit$converged),
    iterations = jint(fit$iter),
    warnings = jstrarr(unique(warns)),
    separatedTerms = jstrarr(spec$separatedTerms)
  )
  write_case_json(file.path(OUT_DIR, paste0(spec$case, "_brglm2.json")), top, coefs)
  cat(sprintf("%-22s n=%d events=%d converged=%s iter=%d warnings=%s\n",
              spec$case, nrow(d), sum(y), fit$converged, fit$iter,
              paste(unique(warns), collapse = " | ")))
}

CASES <- list(
  list(case = "cohort127_firth", data = "cohort127.csv", outcome = "bleed", eventLevel = NULL,
       covariates = c("plt", "icans_high", "age"), categorical = character(0),
       refs = list(), separatedTerms = character(0)),
  list(case = "quasi_separated_firth", data = "quasi_separated.csv", outcome = "y",
       eventLevel = NULL, covariates = c("x", "flag"), categorical = character(0),
       refs = list(), separatedTerms = c("flag")),
  list(case = "mixed_firth", data = "mixed.csv", outcome = "y", eventLevel = NULL,
       covariates = c("age", "sex", "stage", "lab"), categorical = c("sex", "stage"),
       refs = list(), separatedTerms = character(0))
)

only <- commandArgs(trailingOnly = TRUE)
for (spec in CASES) {
  if (length(only) == 0 || spec$case %in% only) run_case(spec)
}
