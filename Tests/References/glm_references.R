#!/usr/bin/env Rscript
# Reference values for CohortKit's maximum-likelihood logistic regression.
#
# For every ML case below this script fits stats::glm(family = binomial) with
# control = glm.control(epsilon = 1e-14, maxit = 100) and writes
# Tests/Fixtures/logistic/references/<case>.json.
#
# Per coefficient j (of the non-aliased columns of the model matrix X):
#   estimate, stdError, z, p   summary(fit)$coefficients
#   waldLower/Upper            estimate -/+ qnorm(0.975) * stdError
#   lrChisq                    deviance(glm.fit(X[, -j], y)) - deviance(fit), df 1
#   lrP                        pchisq(lrChisq, 1, lower.tail = FALSE)
#   termTests                  drop1(fit, test = "LRT"): each variable (all its columns) dropped,
#                              (with aliased columns: drop1 of the model with them, see below)
#                              refitted with the fit's own control (epsilon 1e-14)
#   profileLower/Upper         exact roots of D_j(b) - deviance(fit) = qchisq(0.95, 1),
#                              D_j(b) = deviance(glm.fit(X[, -j], y, offset = b * X[, j]))
#                              found with uniroot(tol = 1e-12) on each side of the estimate
#   confintLower/Upper         R's own confint(fit) (MASS profile + spline), for information
# Aliased coefficients (NA in R) get "aliased": true and null numbers; the refits
# for the other coefficients use X without the aliased columns.
#
# Only base R (stats; confint.glm uses the recommended package MASS) is used.
# Run from the repository root:  Rscript Tests/References/glm_references.R

options(warn = 1)

DATA_DIR <- file.path("Tests", "Fixtures", "logistic", "data")
OUT_DIR <- file.path("Tests", "Fixtures", "logistic", "references")
dir.create(OUT_DIR, recursive = TRUE, showWarnings = FALSE)

CTRL <- glm.control(epsilon = 1e-14, maxit = 100)
CHI2_95 <- qchisq(0.95, 1)
Z_975 <- qnorm(0.975)

R_VERSION <- paste(R.version$major, R.version$minor, sep = ".")
TOOL <- paste("R", R_VERSION, "glm")
VERSIONS <- list(R = R.version.string,
                 MASS = as.character(packageVersion("MASS")))

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

# Deviance of the refit on columns Xr with a fixed offset. Two starts are tried:
# glm.fit's default initialisation (which ignores the offset) and a warm start at
# the full-model estimates of those columns. Either can wander off when the
# offset is large, and a wandering IRLS can still stop with converged = TRUE at a
# far larger deviance, so the smallest deviance among the converged attempts is
# used (every attempt's deviance is >= the minimum, so this is always safe).
refit_deviance <- function(Xr, y, offset, start) {
  devs <- c()
  for (st in list(NULL, start)) {
    r <- suppressWarnings(glm.fit(Xr, y, family = binomial(), offset = offset,
                                  start = st, control = CTRL))
    if (r$converged && is.finite(r$deviance)) devs <- c(devs, r$deviance)
  }
  if (length(devs) == 0) stop("glm.fit refit did not converge")
  min(devs)
}

# Steps outward from the estimate in multiples of min(SE, 1) (an SE above 1 is
# only seen for the separated term, whose SE is meaningless) until g > 0.
profile_root <- function(Xe, y, j, beta, se, dev_hat, dir) {
  Xr <- Xe[, -j, drop = FALSE]
  xj <- Xe[, j]
  est <- beta[j]
  start <- beta[-j]
  unit <- min(se, 1)
  g <- function(b) refit_deviance(Xr, y, b * xj, start) - dev_hat - CHI2_95
  mults <- c(0, 0.5, 1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10, 15, 20, 30, 50, 100,
             1e3, 1e4, 1e5)
  prev <- est
  for (m in mults[-1]) {
    b <- est + dir * m * unit
    if (abs(b) > 1e7) break
    gb <- g(b)
    if (is.finite(gb) && gb > 0) {
      if (g(prev) >= 0) stop(sprintf("profile bracket: g(%.6g)=%.6g at j=%d est=%.6g se=%.6g", prev, g(prev), j, est, se))
      lo <- min(prev, b); hi <- max(prev, b)
      r <- uniroot(g, lower = lo, upper = hi, tol = 1e-12, maxiter = 10000)
      return(r$root)
    }
    prev <- b
  }
  NA_real_
}

run_case <- function(spec) {
  prep <- prepare(spec)
  d <- prep$data
  form <- as.formula(paste(".y ~", paste(spec$covariates, collapse = " + ")))
  warns <- character(0)
  catch <- function(expr) withCallingHandlers(expr, warning = function(w) {
    warns <<- c(warns, conditionMessage(w))
    invokeRestart("muffleWarning")
  })
  # Step 1: aliasing as R reports it with glm's DEFAULT control (epsilon 1e-8,
  # QR tolerance min(1e-7, epsilon/1000) = 1e-11). With epsilon = 1e-14 glm.fit
  # would use QR tolerance 1e-17 and miss collinearities that hold only up to
  # floating-point rounding (x3 = x1 + 2*x2, and even const vs the intercept).
  fit0 <- suppressWarnings(glm(form, family = binomial, data = d))
  X <- model.matrix(fit0)
  terms <- term_names(X, d, spec$categorical)
  aliased <- is.na(coef(fit0))
  # Step 2: the tight fit, on the non-aliased columns only.
  if (any(aliased)) {
    drop_vars <- colnames(X)[aliased]
    stopifnot(all(drop_vars %in% spec$covariates))  # whole numeric covariates only
    keep <- setdiff(spec$covariates, drop_vars)
    form_eff <- as.formula(paste(".y ~", paste(keep, collapse = " + ")))
  } else {
    form_eff <- form
  }
  fit <- catch(glm(form_eff, family = binomial, data = d, control = CTRL))
  y <- fit$y
  Xe <- model.matrix(fit)
  stopifnot(identical(colnames(Xe), colnames(X)[!aliased]), !any(is.na(coef(fit))))
  dev_hat <- deviance(fit)
  sm <- summary(fit)$coefficients

  ci_r <- tryCatch(suppressMessages(suppressWarnings(confint(fit))),
                   error = function(e) NULL)

  coefs <- list()
  for (k in seq_len(ncol(X))) {
    nm <- colnames(X)[k]
    if (aliased[k]) {
      coefs[[k]] <- list(term = jstr(terms[k]), estimate = "null", stdError = "null",
                         z = "null", p = "null", aliased = "true",
                         profileLower = "null", profileUpper = "null",
                         waldLower = "null", waldUpper = "null",
                         lrChisq = "null", lrP = "null",
                         confintLower = "null", confintUpper = "null")
      next
    }
    est <- sm[nm, 1]; se <- sm[nm, 2]
    j <- which(colnames(Xe) == nm)
    beta <- coef(fit)
    lr <- refit_deviance(Xe[, -j, drop = FALSE], y, rep(0, length(y)), beta[-j]) - dev_hat
    lrp <- pchisq(lr, 1, lower.tail = FALSE)
    lo <- profile_root(Xe, y, j, beta, se, dev_hat, -1)
    hi <- profile_root(Xe, y, j, beta, se, dev_hat, +1)
    cil <- if (!is.null(ci_r) && nm %in% rownames(ci_r)) ci_r[nm, 1] else NA
    ciu <- if (!is.null(ci_r) && nm %in% rownames(ci_r)) ci_r[nm, 2] else NA
    coefs[[k]] <- list(term = jstr(terms[k]), estimate = jnum(est), stdError = jnum(se),
                       z = jnum(sm[nm, 3]), p = jnum(sm[nm, 4]), aliased = "false",
                       profileLower = jnum(lo), profileUpper = jnum(hi),
                       waldLower = jnum(est - Z_975 * se), waldUpper = jnum(est + Z_975 * se),
                       lrChisq = jnum(lr), lrP = jnum(lrp),
                       confintLower = jnum(cil), confintUpper = jnum(ciu))
  }

  # Likelihood-ratio test of each variable as a whole (R's drop1 refits with fit$control).
  # With aliased columns: drop1 of the user's model, aliased columns included (issue 12), on the
  # default-control fit whose QR tolerance detects the aliasing; removing a variable can make an
  # aliased column estimable, and df is the rank difference (0 when nothing estimable is lost).
  d1 <- if (any(aliased)) drop1(fit0, test = "LRT") else drop1(fit, test = "LRT")
  term_rows <- rownames(d1)[rownames(d1) != "<none>"]
  term_json <- if (length(term_rows) == 0) "[]" else paste0("[", paste(vapply(term_rows, function(t)
    sprintf("{\"term\": %s, \"chiSquare\": %s, \"df\": %s, \"p\": %s}", jstr(t), jnum(d1[t, "LRT"]),
            jint(d1[t, "Df"]), jnum(d1[t, "Pr(>Chi)"])), ""), collapse = ", "), "]")

  top <- list(
    case = jstr(spec$case),
    data = jstr(spec$data),
    outcome = jstr(spec$outcome),
    eventLevel = jstr(spec$eventLevel),
    covariates = jstrarr(spec$covariates),
    referenceLevels = jstrobj(prep$refs),
    method = jstr("glm"),
    tool = jstr(TOOL),
    versions = jstrobj(VERSIONS),
    n = jint(nrow(d)),
    nDropped = jint(prep$nDropped),
    events = jint(sum(y)),
    logLikelihood = jnum(as.numeric(logLik(fit))),
    deviance = jnum(dev_hat),
    nullDeviance = jnum(fit$null.deviance),
    aic = jnum(AIC(fit)),
    bic = jnum(BIC(fit)),
    converged = jbool(fit$converged),
    iterations = jint(fit$iter),
    warnings = jstrarr(unique(warns)),
    separatedTerms = jstrarr(spec$separatedTerms),
    termTests = term_json
  )
  write_case_json(file.path(OUT_DIR, paste0(spec$case, ".json")), top, coefs)
  cat(sprintf("%-22s n=%d dropped=%d events=%d converged=%s iter=%d warnings=%s\n",
              spec$case, nrow(d), prep$nDropped, sum(y), fit$converged, fit$iter,
              paste(unique(warns), collapse = " | ")))
}

CASES <- list(
  list(case = "mixed_default", data = "mixed.csv", outcome = "y", eventLevel = NULL,
       covariates = c("age", "sex", "stage", "lab"), categorical = c("sex", "stage"),
       refs = list(), separatedTerms = character(0)),
  list(case = "mixed_ref", data = "mixed.csv", outcome = "y", eventLevel = NULL,
       covariates = c("age", "sex", "stage", "lab"), categorical = c("sex", "stage"),
       refs = list(sex = "M", stage = "II"), separatedTerms = character(0)),
  list(case = "rank_deficient", data = "rank_deficient.csv", outcome = "y", eventLevel = NULL,
       covariates = c("x1", "x2", "x3", "const"), categorical = character(0),
       refs = list(), separatedTerms = character(0)),
  list(case = "quasi_separated", data = "quasi_separated.csv", outcome = "y", eventLevel = NULL,
       covariates = c("x", "flag"), categorical = character(0),
       refs = list(), separatedTerms = c("flag")),
  list(case = "large", data = "large.csv", outcome = "y", eventLevel = NULL,
       covariates = c("x1", "x2", "x3", "grp"), categorical = c("grp"),
       refs = list(), separatedTerms = character(0)),
  list(case = "missing_complete_case", data = "missing.csv", outcome = "outcome",
       eventLevel = "yes", covariates = c("age", "score", "arm"), categorical = c("arm"),
       refs = list(), separatedTerms = character(0)),
  list(case = "cohort127_ml", data = "cohort127.csv", outcome = "bleed", eventLevel = NULL,
       covariates = c("plt", "icans_high", "age"), categorical = character(0),
       refs = list(), separatedTerms = character(0))
)

only <- commandArgs(trailingOnly = TRUE)
for (spec in CASES) {
  if (length(only) == 0 || spec$case %in% only) run_case(spec)
}
