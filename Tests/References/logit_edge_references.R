#!/usr/bin/env Rscript
# Reference values for CohortKit's logistic engine on edge cases (issue 12): separation, slow Firth
# convergence at small n, public data fitted to full convergence, a covariate near 1e6, aliasing.
#
# Writes the datasets to Tests/Fixtures/logistic/data/<name>.csv and the references to
# Tests/Fixtures/logistic/references/<case>.json, in the schema of glm_references.R /
# firth_references.R (read by LogisticReferenceTests via CohortTestSupport.LogisticReference), with
# extra keys (`note`, `stdErrorSummary`, `profileCheck*`, `brglm2Iterations`, ...) that the harness ignores.
#
# Maximum likelihood (method "glm"):
#   fit        glm(family = binomial, control = glm.control(epsilon = 1e-16, maxit = 100)); the aliased
#              set is taken from a fit with glm's default control (QR tolerance 1e-11), as in glm_references.R
#   estimate   coef(fit)
#   stdError   RECOMPUTED at the final estimates: sqrt(diag(solve(t(X) %*% diag(w) %*% X))), w = mu(1 - mu)
#              at coef(fit). summary(fit)'s SEs use the working weights of the iteration before the last
#              one; they are kept as `stdErrorSummary` (equal to ~1e-9 relative when IRLS has converged).
#   z, p       estimate / stdError, 2 pnorm(-|z|); waldLower/Upper estimate -/+ qnorm(0.975) stdError
#   lrChisq/P  deviance(glm.fit(X[, -j], y)) - deviance(fit), df 1 (same tight control)
#   termTests  drop1(fit, test = "LRT") with the fit's own control
#   profile    exact roots of D_j(b) - deviance(fit) = qchisq(0.95, 1), D_j(b) the deviance of
#              glm.fit(X[, -j], y, offset = b X[, j]); bracketed outward from the estimate, uniroot(tol = 1e-12);
#              each root is checked: the constrained refit converged and |D_j(root) - D - q| < 1e-9
#              (`profileCheckLower/Upper` record D_j(root) - D - q)
# Firth (method "firth"):
#   fit        glm(method = brglm2::brglmFit, type = "AS_mean", epsilon = 1e-12, maxit = 10000); brglm2's
#              iteration count is recorded as `brglm2Iterations`. The estimate is then polished by this
#              script's own penalised Newton (below) and the two must agree to 1e-8 (the script stops if not).
#   estimate, stdError, z, p, Wald limits   summary(fit) (brglm2: inverse Fisher information at the estimate)
#   profile    logistf's penalised profile limits (logistf is not installable here; its published
#              definition, Heinze & Schemper 2002, is implemented below): with
#                l*(beta) = l(beta) + 0.5 log det(X' W(beta) X),
#              X the FULL design in every restricted fit, the limits are the b with
#                2 [l*(beta_hat) - max_{beta_-j} l*(beta | beta_j = b)] = qchisq(0.95, 1).
#              Restricted maxima: Newton iterations on the free coefficients with the exact gradient
#              X_-j' (y - pi + h (1/2 - pi)) (h the hat diagonal of the full design) and Fisher
#              information X_-j' W X_-j, step-halving on l*, until |gradient_r| / max(1, max |x_r|) < 1e-11 (1e-8 with the raw x ~ 1e6); bracketed
#              outward from the estimate, then uniroot(tol = 1e-12); each root is checked
#              (`profileCheck*` = the equation's residual, required < 1e-9, and the refit's convergence).
#   lrChisq/P  penalised likelihood-ratio test of beta_j = 0: 2 [l*(beta_hat) - max l*(beta | beta_j = 0)]
#              (logistf's default test), df 1
#   logLikelihood, deviance, aic, bic   unpenalised, at the Firth estimate (as firth_references.R)
#   penalizedLogLikelihood              l*(beta_hat)
#
# Only R (stats, MASS for birthwt, survival for colon/pbc) and brglm2 are used; no package source is
# copied. JSON is written by hand with %.17g. Run from the repository root (Tests/References/regenerate
# sets LC_ALL=C and single-threaded BLAS):  Rscript Tests/References/logit_edge_references.R [case ...]

options(warn = 1)
suppressPackageStartupMessages({ library(brglm2); library(MASS); library(survival) })

DATA_DIR <- file.path("Tests", "Fixtures", "logistic", "data")
OUT_DIR <- file.path("Tests", "Fixtures", "logistic", "references")
CTRL <- glm.control(epsilon = 1e-16, maxit = 100)
CHI2_95 <- qchisq(0.95, 1)
Z_975 <- qnorm(0.975)
R_VERSION <- paste(R.version$major, R.version$minor, sep = ".")
BRGLM2_VERSION <- as.character(packageVersion("brglm2"))
VERSIONS_GLM <- list(R = R.version.string, MASS = as.character(packageVersion("MASS")),
                     survival = as.character(packageVersion("survival")))
VERSIONS_FIRTH <- list(R = R.version.string, brglm2 = BRGLM2_VERSION,
                       enrichwith = as.character(packageVersion("enrichwith")))

# ---------------------------------------------------------------------------
# JSON helpers (as glm_references.R)
# ---------------------------------------------------------------------------
source(file.path("Tests", "References", "logistic_json.R"))
write_data <- function(d, name) {
  con <- file(file.path(DATA_DIR, name), open = "wb")
  write.csv(d, con, row.names = FALSE, quote = FALSE, na = "")
  close(con)
}

# ---------------------------------------------------------------------------
# Datasets (written once, read back by every case as the Swift tests read them)
# ---------------------------------------------------------------------------
make_datasets <- function() {
  # 1. MASS::birthwt (Hosmer & Lemeshow; 189 births, public): low (= bwt < 2500 g) with an indicator
  #    that separates it perfectly and one that separates it quasi-completely (every bwt < 2000 is low).
  write_data(data.frame(low = birthwt$low, age = birthwt$age, bwt = birthwt$bwt,
                        bwt_below_2500 = as.integer(birthwt$bwt < 2500),
                        bwt_below_2000 = as.integer(birthwt$bwt < 2000)), "birthwt_separated.csv")
  # 1c. complete separation in 12 rows, written literally: y = 1 exactly when x > 5.
  write_data(data.frame(y = c(0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1),
                        x = c(1, 2, 2.5, 3, 4, 4.5, 5.5, 6, 7, 7.5, 8, 9),
                        z = c(1, 0, 1, 1, 0, 0, 1, 0, 1, 0, 1, 1)), "complete_separation_small.csv")
  # 2. 20 rows where brglm2 needs 37 iterations: quasi-separated (flag = 1 forces y = 1), drawn with
  #    set.seed(20261228) (seed 20261203 + 25, picked from 60 draws as the one at 37 iterations).
  set.seed(20261203 + 25)
  n <- 20
  x <- round(rnorm(n), 1)
  flag <- rep(0L, n); flag[sample(n, 4)] <- 1L
  y <- rbinom(n, 1, plogis(-0.5 + 1.2 * x)); y[flag == 1] <- 1L
  write_data(data.frame(y = y, x = x, flag = flag), "firth_slow_small.csv")
  # 3a. datasets::esoph (Breslow & Day; 88 strata, public) expanded to one row per person: case 1/0,
  #     age group as text (reference "25-34"), alcohol and tobacco groups as scores 1-4.
  e <- esoph
  rows <- lapply(seq_len(nrow(e)), function(i) {
    k <- e$ncases[i] + e$ncontrols[i]
    data.frame(case = rep(c(1L, 0L), c(e$ncases[i], e$ncontrols[i])), agegp = rep(as.character(e$agegp[i]), k),
               alcohol = rep(as.integer(e$alcgp[i]), k), tobacco = rep(as.integer(e$tobgp[i]), k))
  })
  write_data(do.call(rbind, rows), "esoph_binary.csv")
  # 3b. survival::colon (Moertel et al.; public), the death records (etype == 2): status, rx (text),
  #     sex, age, obstruct, nodes (36 missing: complete-case).
  cl <- colon[colon$etype == 2, ]
  write_data(data.frame(status = cl$status, rx = as.character(cl$rx), sex = cl$sex, age = cl$age,
                        obstruct = cl$obstruct, nodes = cl$nodes), "colon_death.csv")
  # 3c. survival::pbc (Mayo Clinic; public), all 418 rows: death (status == 2) vs censored or transplant.
  write_data(data.frame(death = as.integer(pbc$status == 2), age = round(pbc$age, 6), bili = pbc$bili,
                        albumin = pbc$albumin, protime = pbc$protime, edema = pbc$edema), "pbc_death.csv")
  # 4. a covariate near 1e6 with a small spread (a date-like value), seeded.
  set.seed(20261204)
  n <- 200
  u <- round(rnorm(n, 0, 10), 2)
  z <- rbinom(n, 1, 0.4)
  y <- rbinom(n, 1, plogis(-0.3 + 0.08 * u + 0.7 * z))
  write_data(data.frame(y = y, x = sprintf("%.2f", 1e6 + u), z = z), "offset_scale.csv")
  # 5. aliasing: x3 = x1 + x2 (integers, exact in binary) and site_c = (site == "C"), a numeric copy of one
  #    level of the factor `site`, seeded.
  set.seed(20261205)
  n <- 150
  x1 <- sample(0:20, n, replace = TRUE); x2 <- sample(0:10, n, replace = TRUE)
  site <- sample(c("A", "B", "C"), n, replace = TRUE)
  y <- rbinom(n, 1, plogis(-1 + 0.08 * x1 - 0.1 * x2 + 0.5 * (site == "B") + 0.9 * (site == "C")))
  write_data(data.frame(y = y, x1 = x1, x2 = x2, x3 = x1 + x2, site = site,
                        site_c = as.integer(site == "C")), "aliased.csv")
}

# ---------------------------------------------------------------------------
# Data preparation (as glm_references.R)
# ---------------------------------------------------------------------------
prepare <- function(spec) {
  raw <- read.csv(file.path(DATA_DIR, spec$data), na.strings = c("", "NA"), stringsAsFactors = FALSE)
  used <- c(spec$outcome, spec$covariates)
  cc <- raw[complete.cases(raw[, used, drop = FALSE]), used, drop = FALSE]
  rownames(cc) <- NULL
  cc$.y <- as.integer(cc[[spec$outcome]])
  refs <- list()
  for (v in spec$categorical) {
    lev <- sort(unique(cc[[v]]), method = "radix")
    ref <- if (!is.null(spec$refs[[v]])) spec$refs[[v]] else lev[1]
    cc[[v]] <- relevel(factor(cc[[v]], levels = lev), ref = ref)
    refs[[v]] <- ref
  }
  list(data = cc, nDropped = nrow(raw) - nrow(cc), refs = refs)
}
term_names <- function(X, data, categorical) {
  cn <- colnames(X)
  out <- cn
  for (v in categorical) {
    # (a column named like the factor plus a level, not merely starting with the name: site_c is not site[_c])
    hit <- startsWith(cn, v) & substring(cn, nchar(v) + 1) %in% levels(data[[v]])
    lv <- substring(cn[hit], nchar(v) + 1)
    out[hit] <- paste0(v, "[", lv, "]")
  }
  out
}

# ---------------------------------------------------------------------------
# Maximum likelihood: constrained refits and profile roots (as glm_references.R, with the checks)
# ---------------------------------------------------------------------------
# Deviance of a constrained refit: glm.fit from its default start and warm-started at the full-model
# estimates, at epsilon 1e-16 and 1e-12; the smallest deviance among the converged attempts is used (as
# glm_references.R: a wandering IRLS can stop with converged = TRUE at a far larger deviance, and every
# attempt's deviance is >= the constrained minimum). Epsilon 1e-12 is needed where the deviance carries
# rounding noise above 1e-16 (the raw x ~ 1e6 with the intercept fixed); the loosest epsilon whose
# attempt was used is kept in REFIT_EPSILON for the case's JSON.
REFIT_EPSILON <- 1e-16
refit_deviance <- function(Xr, y, offset, start) {
  best <- NA_real_; eps <- NA_real_
  for (ctrl in list(CTRL, glm.control(epsilon = 1e-12, maxit = 100))) {
    for (st in list(NULL, start)) {
      r <- suppressWarnings(glm.fit(Xr, y, family = binomial(), offset = offset, start = st, control = ctrl))
      if (r$converged && is.finite(r$deviance) && (is.na(best) || r$deviance < best - 1e-9)) {
        best <- r$deviance; eps <- ctrl$epsilon
      }
    }
  }
  if (!is.na(eps)) REFIT_EPSILON <<- max(REFIT_EPSILON, eps)
  best
}

# Steps outward from the estimate in multiples of `unit` until g > 0, then uniroot; returns the root and
# the equation's residual there (NA, NA when no sign change before |b - est| > 1e7 units).
bracket_root <- function(g, est, unit, dir) {
  mults <- c(0, 0.5, 1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10, 15, 20, 30, 50, 100, 1e3, 1e4, 1e5)
  prev <- est
  for (m in mults[-1]) {
    b <- est + dir * m * unit
    gb <- g(b)
    if (is.finite(gb) && gb > 0) {
      gp <- g(prev)
      if (is.na(gp)) stop(sprintf("profile bracket: no converged refit at %.10g", prev))
      if (!(gp < 0)) stop(sprintf("profile bracket: g(%.6g) = %.6g", prev, gp))
      r <- uniroot(g, lower = min(prev, b), upper = max(prev, b), tol = 1e-12, maxiter = 10000)
      return(c(r$root, g(r$root)))
    }
    prev <- b
  }
  c(NA_real_, NA_real_)
}

# The restricted problem for coefficient j: free columns Xr, offset(b) with beta_j fixed at b, a start for the
# free coefficients and the estimate of beta_j. For the raw intercept of a centred design (x = c + xc) the
# free coefficients are u = the centred intercept and the others, with
#   eta = u (1 + xc / c) - (b / c) xc + ...,   i.e. beta_x = (u - b) / c,
# which is the model with raw intercept b, written without the cancellation b + beta_x x (two numbers ~5e4
# whose sum is ~1: in double precision eta would carry rounding ~1e-11 and the score a noise floor).
restricted <- function(spec, Xc, j, beta_c) {
  if (colnames(Xc)[j] == "(Intercept)" && length(spec$centre) > 0) {
    stopifnot(length(spec$centre) == 1)
    v <- names(spec$centre); cc <- spec$centre[[v]]
    Xr <- Xc[, -j, drop = FALSE]; Xr[, v] <- 1 + Xc[, v] / cc
    start <- beta_c[-j]; start[v] <- beta_c[j]
    return(list(Xr = Xr, offset = function(b) -(b / cc) * Xc[, v], start = start,
                est = beta_c[j] - cc * beta_c[v]))
  }
  list(Xr = Xc[, -j, drop = FALSE], offset = function(b) b * Xc[, j], start = beta_c[-j], est = beta_c[j])
}

# Steps are multiples of the SE, or of min(SE, 1) for a separated term (whose SE is meaningless).
ml_profile <- function(pr, y, unit, dev_hat, dir) {
  g <- function(b) refit_deviance(pr$Xr, y, pr$offset(b), pr$start) - dev_hat - CHI2_95
  bracket_root(g, pr$est, unit, dir)
}

# ---------------------------------------------------------------------------
# Firth: penalised log-likelihood and its restricted maximisation (logistf's definition)
# ---------------------------------------------------------------------------
log1pexp <- function(e) ifelse(e > 0, e + log1p(exp(-e)), log1p(exp(e)))
# l*(eta) with the penalty of the full design Xpen; also returns pi and the hat diagonal.
penalised <- function(eta, y, Xpen) {
  p <- plogis(eta); w <- p * (1 - p)
  info <- crossprod(Xpen * sqrt(w))
  ch <- tryCatch(chol(info), error = function(e) NULL)
  if (is.null(ch)) return(list(value = -Inf, p = p, w = w, h = rep(NA_real_, length(p)), loglik = NA_real_))
  A <- backsolve(ch, t(Xpen * sqrt(w)), transpose = TRUE)   # R^-T (W^1/2 X)'
  h <- colSums(A^2)
  list(value = sum(y * eta - log1pexp(eta)) + sum(log(diag(ch))), p = p, w = w, h = h,
       loglik = sum(y * eta - log1pexp(eta)))
}
pen_score <- function(Xf, y, offset, Xpen, gam) {
  st <- penalised(offset + drop(Xf %*% gam), y, Xpen)
  drop(crossprod(Xf, y - st$p + st$h * (0.5 - st$p)))
}
numeric_jacobian <- function(Xf, y, offset, Xpen, gam) {
  k <- length(gam); J <- matrix(0, k, k)
  for (s in seq_len(k)) {
    e <- 1e-5 / max(1, abs(Xf[, s]))   # moves the linear predictor by at most 1e-5
    up <- gam; dn <- gam; up[s] <- up[s] + e; dn[s] <- dn[s] - e
    J[, s] <- (pen_score(Xf, y, offset, Xpen, up) - pen_score(Xf, y, offset, Xpen, dn)) / (2 * e)
  }
  (J + t(J)) / 2
}
# max over gamma of l*(offset + Xf gamma), penalty from Xpen. Returns value, gamma, converged, iterations.
penalised_fit <- function(Xf, y, offset, Xpen, start, maxit = 2000) {
  gam <- start
  # The score of a column near 1e6 is measured per unit of it, and all scores to 1e-8 instead of 1e-11: there the
  # linear predictor b + beta x cancels two numbers ~5e4, so it carries rounding ~1e-11 and the score a
  # noise floor ~2e-10 per unit (the penalised log-likelihood is still exact to ~1e-16 relative, the error
  # being quadratic in the score).
  col_scale <- pmax(1, apply(abs(Xf), 2, max))
  score_tol <- if (any(col_scale > 1e3) || max(abs(offset)) > 1e3) 1e-8 else 1e-11
  cur <- penalised(offset + drop(Xf %*% gam), y, Xpen)
  if (!is.finite(cur$value)) {
    # The start puts every probability at 0 or 1 (e.g. the raw-scale intercept moved by thousands):
    # start instead from the ML fit with this offset, which glm.fit finds from its own start.
    ml <- suppressWarnings(glm.fit(Xf, y, family = binomial(), offset = offset, control = glm.control(maxit = 100)))
    gam <- ml$coefficients
    cur <- penalised(offset + drop(Xf %*% gam), y, Xpen)
    if (!is.finite(cur$value)) return(list(value = -Inf, gamma = start, converged = FALSE, iterations = 0, st = cur))
  }
  for (it in seq_len(maxit)) {
    score <- drop(crossprod(Xf, y - cur$p + cur$h * (0.5 - cur$p)))
    if (all(abs(score) / col_scale < score_tol)) return(list(value = cur$value, gamma = gam, converged = TRUE, iterations = it - 1, st = cur))
    info <- crossprod(Xf * sqrt(cur$w))
    # Newton direction from the exact gradient's Jacobian (central differences of the analytic score);
    # the Fisher information X_f' W X_f alone converges only linearly far from the estimate.
    J <- numeric_jacobian(Xf, y, offset, Xpen, gam)
    step <- tryCatch({ s <- solve(-J, score); if (sum(s * score) > 0) s else solve(info, score) },
                     error = function(e) solve(info, score))
    for (half in 0:60) {
      cand <- gam + step / 2^half
      nxt <- penalised(offset + drop(Xf %*% cand), y, Xpen)
      if (is.finite(nxt$value) && nxt$value >= cur$value - 1e-13 * abs(cur$value)) break
    }
    gam <- cand; cur <- nxt
  }
  list(value = cur$value, gamma = gam, converged = FALSE, iterations = maxit, st = cur)
}
firth_profile <- function(pr, y, unit, pen_hat, dir, Xpen) {
  last <- pr$start
  g <- function(b) {
    r <- penalised_fit(pr$Xr, y, pr$offset(b), Xpen, last)
    if (!r$converged) r <- penalised_fit(pr$Xr, y, pr$offset(b), Xpen, pr$start)
    if (!r$converged) stop(sprintf("restricted penalised fit did not converge at b = %.10g", b))
    last <<- r$gamma
    2 * (pen_hat - r$value) - CHI2_95
  }
  bracket_root(g, pr$est, unit, dir)
}

# ---------------------------------------------------------------------------
# One case. spec$centre (optional): list(column = constant). The model is then fitted on a copy with
# column - constant, and mapped back: beta_raw = A beta_c, Cov_raw = A Cov_c A' (A = identity except
# A[intercept, column] = -constant). Profiles of the other coefficients are the same on both copies (the
# same family of models); the raw intercept's profile and LR test use restricted() above.
# ---------------------------------------------------------------------------
design <- function(spec, d, form) {
  dc <- d
  for (v in names(spec$centre)) dc[[v]] <- d[[v]] - spec$centre[[v]]
  list(dc = dc)
}
mapping <- function(spec, cn) {
  A <- diag(length(cn)); dimnames(A) <- list(cn, cn)
  for (v in names(spec$centre)) A["(Intercept)", v] <- -spec$centre[[v]]
  A
}
# For a centred case: what R does on the raw column (for the record, not used as the reference).
raw_fit_keys <- function(spec, fitter, est) {
  if (length(spec$centre) == 0) return(list())
  w <- character(0)
  f <- withCallingHandlers(fitter(), warning = function(x) { w <<- c(w, conditionMessage(x)); invokeRestart("muffleWarning") })
  list(rawFitConverged = jbool(f$converged), rawFitIterations = jint(f$iter),
       rawFitWarnings = jstrarr(unique(w)),
       rawFitMaxRelativeDifference = jnum(max(abs(coef(f) - est) / abs(est))))
}

# drop1's comparison rebuilt with the tight control: for each term, the model matrix without the term's
# columns, its aliased columns found by qr(tol = 1e-11) as glm's default control finds them, refitted;
# Df = rank(full) - rank(reduced), LRT = deviance(reduced) - deviance(full).
tight_drop1 <- function(Xall, assign, labels, y, dev_full, rank_full) {
  out <- list()
  for (k in seq_along(labels)) {
    Xr <- Xall[, assign != k, drop = FALSE]
    q <- qr(Xr, tol = 1e-11)
    keep <- sort(q$pivot[seq_len(q$rank)])
    fr <- glm.fit(Xr[, keep, drop = FALSE], y, family = binomial(), control = CTRL)
    df <- rank_full - q$rank
    lrt <- fr$deviance - dev_full
    out[[labels[k]]] <- c(df = df, lrt = lrt, p = if (df > 0) pchisq(lrt, df, lower.tail = FALSE) else NA)
  }
  out
}

run_glm <- function(spec) {
  REFIT_EPSILON <<- 1e-16
  prep <- prepare(spec); d <- prep$data
  form <- as.formula(paste(".y ~", paste(spec$covariates, collapse = " + ")))
  dc <- design(spec, d, form)$dc
  warns <- character(0)
  catch <- function(expr) withCallingHandlers(expr, warning = function(w) {
    warns <<- c(warns, conditionMessage(w)); invokeRestart("muffleWarning") })
  fit0 <- suppressWarnings(glm(form, family = binomial, data = dc))       # default control: R's aliasing
  X0 <- model.matrix(fit0)
  terms <- term_names(X0, d, spec$categorical)
  aliased <- is.na(coef(fit0))
  Xc <- X0[, !aliased, drop = FALSE]
  y <- fit0$y
  fit <- catch(glm.fit(Xc, y, family = binomial(), control = CTRL))
  if (!fit$converged) warns <- c(warns, "glm.fit: algorithm did not converge")
  beta <- fit$coefficients
  stopifnot(!any(is.na(beta)))
  mu <- plogis(drop(Xc %*% beta)); w <- mu * (1 - mu)
  Vc <- solve(crossprod(Xc * sqrt(w)))
  # summary(glm)'s SEs: the weights of the iteration before the last (fit$weights)
  Vsum <- solve(crossprod(Xc * sqrt(fit$weights)))
  A <- mapping(spec, colnames(Xc))
  est <- drop(A %*% beta); V <- A %*% Vc %*% t(A); Vs <- A %*% Vsum %*% t(A)
  se <- sqrt(diag(V)); se_sum <- sqrt(diag(Vs))
  dev_hat <- fit$deviance
  max_score <- max(abs(crossprod(Xc, y - mu)))
  ci_r <- tryCatch(suppressMessages(suppressWarnings(confint(glm(form, family = binomial, data = d, control = CTRL)))),
                   error = function(e) NULL)
  coefs <- list(); k_e <- 0
  for (k in seq_len(ncol(X0))) {
    nm <- colnames(X0)[k]
    if (aliased[k]) {
      coefs[[k]] <- list(term = jstr(terms[k]), estimate = "null", stdError = "null", z = "null", p = "null",
                         aliased = "true", profileLower = "null", profileUpper = "null", waldLower = "null",
                         waldUpper = "null", lrChisq = "null", lrP = "null")
      next
    }
    j <- which(colnames(Xc) == nm)
    pr <- restricted(spec, Xc, j, beta)
    lr <- refit_deviance(pr$Xr, y, pr$offset(0), pr$start) - dev_hat
    unit <- if (terms[k] %in% spec$separatedTerms) min(se[j], 1) else se[j]
    lo <- ml_profile(pr, y, unit, dev_hat, -1)
    hi <- ml_profile(pr, y, unit, dev_hat, +1)
    for (r in list(lo, hi)) if (is.finite(r[1]) && !(abs(r[2]) < 1e-9)) stop(sprintf("%s %s: profile residual %g", spec$case, nm, r[2]))
    z <- est[j] / se[j]
    cil <- if (!is.null(ci_r) && nm %in% rownames(ci_r)) ci_r[nm, 1] else NA
    ciu <- if (!is.null(ci_r) && nm %in% rownames(ci_r)) ci_r[nm, 2] else NA
    coefs[[k]] <- list(term = jstr(terms[k]), estimate = jnum(est[j]), stdError = jnum(se[j]), z = jnum(z),
                       p = jnum(2 * pnorm(-abs(z))), aliased = "false",
                       profileLower = jnum(lo[1]), profileUpper = jnum(hi[1]),
                       waldLower = jnum(est[j] - Z_975 * se[j]), waldUpper = jnum(est[j] + Z_975 * se[j]),
                       lrChisq = jnum(lr), lrP = jnum(pchisq(lr, 1, lower.tail = FALSE)),
                       stdErrorSummary = jnum(se_sum[j]),
                       profileCheckLower = jnum(lo[2]), profileCheckUpper = jnum(hi[2]),
                       confintLower = jnum(cil), confintUpper = jnum(ciu))
  }
  # Term tests: drop1 as R computes it on R's fit (default control when something is aliased, since the
  # tight control's QR tolerance 1e-19 detects no aliasing at all), and the same comparison with the
  # tight control; the two must agree to 1e-6.
  labels <- attr(terms(form), "term.labels")
  td <- tight_drop1(X0, attr(X0, "assign"), labels, y, dev_hat, ncol(Xc))
  rfit <- if (any(aliased)) fit0 else glm(form, family = binomial, data = dc, control = CTRL)
  d1 <- suppressWarnings(drop1(rfit, test = "LRT"))
  term_json <- paste0("[", paste(vapply(labels, function(t) {
    stopifnot(d1[t, "Df"] == td[[t]]["df"], abs(d1[t, "LRT"] - td[[t]]["lrt"]) < 1e-6 * max(1, td[[t]]["lrt"]))
    sprintf("{\"term\": %s, \"chiSquare\": %s, \"df\": %s, \"p\": %s, \"drop1ChiSquare\": %s, \"drop1P\": %s}",
            jstr(t), jnum(td[[t]]["lrt"]), jint(td[[t]]["df"]), jnum(td[[t]]["p"]),
            jnum(d1[t, "LRT"]), jnum(d1[t, "Pr(>Chi)"]))
  }, ""), collapse = ", "), "]")
  n_par <- ncol(Xc); ll <- -dev_hat / 2
  raw <- raw_fit_keys(spec, function() glm(form, family = binomial, data = d, control = CTRL), est)
  top <- list(case = jstr(spec$case), data = jstr(spec$data), outcome = jstr(spec$outcome), eventLevel = "null",
              covariates = jstrarr(spec$covariates), referenceLevels = jstrobj(prep$refs), method = jstr("glm"),
              tool = jstr(paste("R", R_VERSION, "glm")), versions = jstrobj(VERSIONS_GLM),
              n = jint(nrow(d)), nDropped = jint(prep$nDropped), events = jint(sum(y)),
              logLikelihood = jnum(ll), deviance = jnum(dev_hat), nullDeviance = jnum(fit$null.deviance),
              aic = jnum(dev_hat + 2 * n_par), bic = jnum(dev_hat + log(nrow(d)) * n_par),
              converged = jbool(fit$converged), iterations = jint(fit$iter), maxAbsScore = jnum(max_score),
              refitEpsilon = jnum(REFIT_EPSILON),
              warnings = jstrarr(unique(warns)), separatedTerms = jstrarr(character(0)),
              note = jstr(spec$note), termTests = term_json)
  top <- c(top, raw)
  write_case_json(file.path(OUT_DIR, paste0(spec$case, ".json")), top, coefs)
  cat(sprintf("%-28s glm   n=%d dropped=%d events=%d converged=%s iter=%d max|score|=%.2g\n", spec$case, nrow(d),
              prep$nDropped, sum(y), fit$converged, fit$iter, max_score))
}

run_firth <- function(spec) {
  prep <- prepare(spec); d <- prep$data
  form <- as.formula(paste(".y ~", paste(spec$covariates, collapse = " + ")))
  dc <- design(spec, d, form)$dc
  warns <- character(0)
  fit <- withCallingHandlers(
    glm(form, family = binomial, data = dc, method = brglm2::brglmFit, type = "AS_mean", epsilon = 1e-12, maxit = 10000),
    warning = function(w) { warns <<- c(warns, conditionMessage(w)); invokeRestart("muffleWarning") })
  stopifnot(fit$converged, !any(is.na(coef(fit))))
  Xc <- model.matrix(fit); y <- fit$y
  terms <- term_names(Xc, d, spec$categorical)
  # Polish with the script's own penalised Newton; brglm2 must agree.
  pol <- penalised_fit(Xc, y, rep(0, length(y)), Xc, setNames(rep(0, ncol(Xc)), colnames(Xc)))   # from 0, not from brglm2's estimate
  stopifnot(pol$converged)
  polish_diff <- max(abs(pol$gamma - coef(fit)) / pmax(1, abs(coef(fit))))
  if (polish_diff > 1e-8) stop(sprintf("%s: brglm2 and the penalised Newton differ by %g", spec$case, polish_diff))
  beta <- pol$gamma; pen_hat <- pol$value
  A <- mapping(spec, colnames(Xc))
  est <- drop(A %*% coef(fit)); V <- A %*% vcov(fit) %*% t(A); se <- sqrt(diag(V))
  mu <- fitted(fit); ll <- as.numeric(logLik(fit))
  coefs <- list()
  for (j in seq_len(ncol(Xc))) {
    nm <- colnames(Xc)[j]
    pr <- restricted(spec, Xc, j, beta)
    unit <- if (terms[j] %in% spec$separatedTerms) min(se[j], 1) else se[j]
    lo <- firth_profile(pr, y, unit, pen_hat, -1, Xc)
    hi <- firth_profile(pr, y, unit, pen_hat, +1, Xc)
    for (r in list(lo, hi)) if (is.finite(r[1]) && !(abs(r[2]) < 1e-9)) stop(sprintf("%s %s: profile residual %g", spec$case, nm, r[2]))
    # penalised LR test of beta_j = 0 (on the design whose j-th coefficient is the reported one)
    r0 <- penalised_fit(pr$Xr, y, pr$offset(0), Xc, pr$start)
    stopifnot(r0$converged)
    lr <- 2 * (pen_hat - r0$value)
    z <- est[j] / se[j]
    coefs[[j]] <- list(term = jstr(terms[j]), estimate = jnum(est[j]), stdError = jnum(se[j]), z = jnum(z),
                       p = jnum(2 * pnorm(-abs(z))), aliased = "false",
                       profileLower = jnum(lo[1]), profileUpper = jnum(hi[1]),
                       waldLower = jnum(est[j] - Z_975 * se[j]), waldUpper = jnum(est[j] + Z_975 * se[j]),
                       lrChisq = jnum(lr), lrP = jnum(pchisq(lr, 1, lower.tail = FALSE)),
                       profileCheckLower = jnum(lo[2]), profileCheckUpper = jnum(hi[2]))
  }
  top <- list(case = jstr(spec$case), data = jstr(spec$data), outcome = jstr(spec$outcome), eventLevel = "null",
              covariates = jstrarr(spec$covariates), referenceLevels = jstrobj(prep$refs), method = jstr("firth"),
              tool = jstr(paste("R", R_VERSION, "brglm2", BRGLM2_VERSION, "AS_mean")), versions = jstrobj(VERSIONS_FIRTH),
              n = jint(nrow(d)), nDropped = jint(prep$nDropped), events = jint(sum(y)),
              logLikelihood = jnum(ll), deviance = jnum(deviance(fit)), nullDeviance = jnum(fit$null.deviance),
              aic = jnum(AIC(fit)), bic = jnum(BIC(fit)), penalizedLogLikelihood = jnum(pen_hat),
              converged = jbool(fit$converged), iterations = jint(fit$iter), brglm2Iterations = jint(fit$iter),
              polishDifference = jnum(polish_diff),
              warnings = jstrarr(unique(warns)), separatedTerms = jstrarr(spec$separatedTerms),
              note = jstr(spec$note))
  top <- c(top, raw_fit_keys(spec, function() glm(form, family = binomial, data = d, method = brglm2::brglmFit,
                                                  type = "AS_mean", epsilon = 1e-12, maxit = 1000), est))
  write_case_json(file.path(OUT_DIR, paste0(spec$case, ".json")), top, coefs)
  cat(sprintf("%-28s firth n=%d events=%d brglm2 iter=%d polish diff=%.2g\n", spec$case, nrow(d), sum(y),
              fit$iter, polish_diff))
  for (j in seq_len(ncol(Xc))) cat(sprintf("    %-16s %.10g  profile [%.10g, %.10g]  OR [%.6g, %.6g]\n", terms[j], est[j],
      as.numeric(coefs[[j]]$profileLower), as.numeric(coefs[[j]]$profileUpper),
      exp(as.numeric(coefs[[j]]$profileLower)), exp(as.numeric(coefs[[j]]$profileUpper))))
}

S <- function(case, data, outcome, covariates, method, note, categorical = character(0), refs = list(),
              separatedTerms = character(0), centre = list())
  list(case = case, data = data, outcome = outcome, covariates = covariates, method = method, note = note,
       categorical = categorical, refs = refs, separatedTerms = separatedTerms, centre = centre)

CASES <- list(
  S("birthwt_separated_firth", "birthwt_separated.csv", "low", c("age", "bwt_below_2500"), "firth",
    "MASS::birthwt; bwt_below_2500 equals low on every row (complete separation of that term)",
    separatedTerms = "bwt_below_2500"),
  S("birthwt_quasi_separated_firth", "birthwt_separated.csv", "low", c("age", "bwt_below_2000"), "firth",
    "MASS::birthwt; every bwt < 2000 g birth is low (19), and 40 low births are >= 2000 g: quasi-complete separation",
    separatedTerms = "bwt_below_2000"),
  S("complete_separation_small_firth", "complete_separation_small.csv", "y", c("x", "z"), "firth",
    "12 rows, y = 1 exactly when x > 5: complete separation by x", separatedTerms = "x"),
  S("firth_slow_small_firth", "firth_slow_small.csv", "y", c("x", "flag"), "firth",
    "20 rows, flag = 1 forces y = 1 (quasi-separation); brglm2 needs 37 iterations at epsilon 1e-12",
    separatedTerms = "flag"),
  S("esoph_ml", "esoph_binary.csv", "case", c("agegp", "alcohol", "tobacco"), "glm",
    "datasets::esoph expanded to 975 people; age group categorical (reference 25-34), alcohol and tobacco group scores 1-4",
    categorical = "agegp"),
  S("colon_death_ml", "colon_death.csv", "status", c("rx", "sex", "age", "obstruct", "nodes"), "glm",
    "survival::colon, etype == 2 (death) rows; rx reference Obs; 18 rows without nodes dropped",
    categorical = "rx", refs = list(rx = "Obs")),
  S("pbc_death_ml", "pbc_death.csv", "death", c("age", "bili", "albumin", "protime", "edema"), "glm",
    "survival::pbc, all 418 rows; death (status 2) vs censored or transplanted; 2 rows without protime dropped"),
  S("offset_scale_ml", "offset_scale.csv", "y", c("x", "z"), "glm",
    paste("x = 1e6 + N(0, 10): fitted on the copy x - 1e6 and mapped back (intercept = b0 - 1e6 b1, covariance A V A');",
          "the raw intercept's profile and LR test fix b0 and free u = b0 + 1e6 b1 (no cancellation);",
          "rawFit*: R's glm on the raw x with the same control (it does not reach epsilon 1e-16 there);",
          "confintLower/Upper: R's confint on that raw fit (MASS profile + spline; its profile warns of non-convergence), for information"),
    centre = list(x = 1e6)),
  S("offset_scale_firth", "offset_scale.csv", "y", c("x", "z"), "firth",
    paste("x = 1e6 + N(0, 10): brglm2 and the penalised profiles on the copy x - 1e6, mapped back; the penalty",
          "log det(X'WX) is that of the centred design (it differs from the raw design's by a constant, 2 log|det A| = 0);",
          "rawFit*: brglm2 on the raw x (maxit 1000), for the record"),
    centre = list(x = 1e6)),
  S("aliased_factor_level_ml", "aliased.csv", "y", c("x1", "x2", "x3", "site_c", "site"), "glm",
    paste("x3 = x1 + x2 (aliased) and site_c = (site == C) listed before site, so R aliases site[C];",
          "termTests follow drop1: dropping a term whose columns the others still span leaves the rank and deviance",
          "unchanged (df 0, chi-square 0, P null); site has df 1 (its C column is aliased in the full model)"),
    categorical = "site"),
  S("aliased_numeric_copy_ml", "aliased.csv", "y", c("x1", "x2", "x3", "site", "site_c"), "glm",
    "as aliased_factor_level_ml with site before site_c, so R aliases site_c and x3",
    categorical = "site")
)

only <- commandArgs(trailingOnly = TRUE)
make_datasets()
for (spec in CASES) {
  if (length(only) == 0 || spec$case %in% only) {
    if (spec$method == "glm") run_glm(spec) else run_firth(spec)
  }
}
