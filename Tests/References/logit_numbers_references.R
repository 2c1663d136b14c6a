#!/usr/bin/env Rscript
# Reference values for issue 12 ("Numbers"): fully converged maximum-likelihood fits, Firth profile
# limits under separation, Firth on a small data set, a covariate near 1e6, and drop1 with aliased
# columns. Writes Tests/Fixtures/logistic/data/issue12_<case>.csv and
# Tests/Fixtures/logistic/references/issue12_<case>.json (the LogisticReference schema of
# glm_references.R, plus extra keys noted below). Base R, MASS, survival and brglm2 only; the
# Firth profile is computed from logistf's published definition (logistf itself is not installed).
#
# Run from the repository root:  Rscript Tests/References/logit_numbers_references.R
#
# Cases
#   issue12_esoph_ml, issue12_colon_ml, issue12_pbc_ml: glm(binomial) converged to
#     control = glm.control(epsilon = 1e-15, maxit = 100). R's summary.glm takes its SEs from the
#     weights of the iteration before the last, so stdError/z/p here are RECOMPUTED at R's
#     estimates: sqrt(diag(solve(X'WX))) with W at the estimates. lrChisq: deviance of
#     glm.fit(X[, -j]) (same control) minus the fit's; termTests: drop1(fit, test = "LRT") refitted
#     with the same control. Extra keys: defaultEstimates / defaultStdErrors / defaultP: what glm
#     with its default control (epsilon 1e-8) reports, and defaultIterations, to document the gap.
#   issue12_birthwt_firth: MASS::birthwt with bwt_below_2500 = bwt < 2500 (identical to low:
#     complete separation), low ~ age + bwt_below_2500, Firth. Estimates: brglm2 AS_mean
#     (epsilon 1e-12, maxit 500). Profile limits and the penalised LR statistic by logistf's
#     definition: l*(b) = l(b) + 1/2 log det(X'W(b)X) with the FULL design's X'WX also in the
#     restricted fits; 2 (l*(hat) - max_{others} l*(b_j = b)) = qchisq(0.95, 1), roots by uniroot
#     (tol 1e-13) in a bracket found by scanning outward in steps of SE/4 to the last crossing.
#   issue12_small_firth: 20 rows, a covariate in small units (x ~ 0.01 scale) with a large Firth
#     coefficient (about 650); brglm2 converges (extra key brglm2Iterations: its iterations at
#     the default epsilon 1e-6 and at 1e-12).
#   issue12_scale_ml: lab = 1e6 + N(0, 1.5^2) (3 decimals), z binary. R's glm on the raw design
#     does not converge at epsilon 1e-15, so the fit is done with lab centred at 1e6 (the same model:
#     slopes, deviance and every LR statistic are invariant) and the intercept and covariance
#     mapped back (b0 = b0c - 1e6 b_lab). Profile limits of lab and z: exact roots on the centred
#     fit (invariant); the intercept's limits are checked in Swift by the definition instead.
#   issue12_aliased_ml: g (A/B/C), x, zc = (g == "C") entered after g, so zc is aliased. termTests
#     are drop1 on the FULL fit (aliased column included in X): dropping g leaves zc estimable
#     (df = rank difference = 1), dropping zc changes nothing (df 0, LRT 0, p null).

options(warn = 1)
suppressPackageStartupMessages({ library(MASS); library(survival); library(brglm2) })

DATA_DIR <- file.path("Tests", "Fixtures", "logistic", "data")
OUT_DIR <- file.path("Tests", "Fixtures", "logistic", "references")
CTRL <- glm.control(epsilon = 1e-15, maxit = 100)
CHI2 <- qchisq(0.95, 1)
TOOL <- paste("R", paste(R.version$major, R.version$minor, sep = "."))

jnum <- function(x) if (is.null(x) || length(x) == 0 || is.na(x) || !is.finite(x)) "null" else sprintf("%.17g", x)
jstr <- function(x) if (is.null(x)) "null" else paste0("\"", gsub("\"", "\\\\\"", x), "\"")
jarr <- function(v, f) paste0("[", paste(vapply(v, f, ""), collapse = ", "), "]")
jobj <- function(l) paste0("{", paste(sprintf("%s: %s", vapply(names(l), jstr, ""), unlist(l)), collapse = ", "), "}")

write_json <- function(name, top, coefs, termTests = NULL) {
  lines <- c("{", paste0("  ", sprintf("%s: %s", vapply(names(top), jstr, ""), unlist(top)), ","))
  lines <- c(lines, "  \"coefficients\": [")
  for (i in seq_along(coefs)) lines <- c(lines, paste0("    ", jobj(coefs[[i]]), if (i < length(coefs)) "," else ""))
  lines <- c(lines, "  ]", if (!is.null(termTests)) "," else NULL)
  if (!is.null(termTests)) {
    lines[length(lines) - 1] <- "  ],"; lines <- lines[-length(lines)]
    lines <- c(lines, "  \"termTests\": [")
    for (i in seq_along(termTests)) lines <- c(lines, paste0("    ", jobj(termTests[[i]]), if (i < length(termTests)) "," else ""))
    lines <- c(lines, "  ]")
  }
  lines <- c(lines, "}")
  con <- file(file.path(OUT_DIR, paste0(name, ".json")), open = "wb"); writeLines(lines, con); close(con)
}

write_data <- function(name, d) {
  con <- file(file.path(DATA_DIR, paste0(name, ".csv")), open = "wb")
  write.csv(d, con, row.names = FALSE, quote = FALSE); close(con)
}

# Levels in code-point order, the first the reference (CohortKit's default).
as_factors <- function(d, categorical) {
  for (v in categorical) d[[v]] <- factor(d[[v]], levels = sort(unique(d[[v]]), method = "radix"))
  d
}
term_names <- function(X, d, categorical) {
  cn <- colnames(X)
  for (v in categorical) {
    hit <- startsWith(cn, v) & nchar(cn) > nchar(v)
    cn[hit] <- paste0(v, "[", substring(cn[hit], nchar(v) + 1), "]")
  }
  cn
}
info_cov <- function(X, beta) {
  mu <- plogis(drop(X %*% beta)); solve(crossprod(X * sqrt(mu * (1 - mu))))
}
top_fields <- function(name, data, outcome, covariates, refs, method, tool, n, nDropped, events) {
  list(case = jstr(name), data = jstr(paste0(name, ".csv")), outcome = jstr(outcome), eventLevel = "null",
       covariates = jarr(covariates, jstr), referenceLevels = if (length(refs)) jobj(lapply(refs, jstr)) else "{}",
       method = jstr(method), tool = jstr(tool), n = sprintf("%d", n), nDropped = sprintf("%d", nDropped),
       events = sprintf("%d", events))
}

# ---------------------------------------------------------------------------
# Converged maximum likelihood
# ---------------------------------------------------------------------------
ml_case <- function(name, d, outcome, covariates, categorical, nDropped = 0, profiles = NULL, centre = NULL) {
  write_data(name, d)
  d <- read.csv(file.path(DATA_DIR, paste0(name, ".csv")), stringsAsFactors = FALSE)
  d <- as_factors(d, categorical)
  form <- as.formula(paste(outcome, "~", paste(covariates, collapse = " + ")))
  fit0 <- suppressWarnings(glm(form, binomial, d))
  aliased <- is.na(coef(fit0))
  X <- model.matrix(fit0); y <- fit0$y
  terms <- term_names(X, d, categorical)
  Xe <- X[, !aliased, drop = FALSE]
  A <- diag(ncol(Xe))
  if (!is.null(centre)) {  # centred fit, mapped back: beta = A beta_c
    j <- match(centre$column, colnames(Xe)); Xe[, j] <- Xe[, j] - centre$at; A[1, j] <- -centre$at
  }
  fit <- glm.fit(Xe, y, family = binomial(), control = CTRL)
  stopifnot(fit$converged)
  bc <- coef(fit); beta <- drop(A %*% bc)
  cov <- A %*% info_cov(Xe, bc) %*% t(A)
  se <- sqrt(diag(cov)); z <- beta / se; p <- 2 * pnorm(-abs(z))
  dev <- fit$deviance
  lr <- vapply(seq_along(bc), function(j) {
    r <- glm.fit(Xe[, -j, drop = FALSE], y, family = binomial(), control = CTRL)
    if (!r$converged || (!is.null(centre) && j == 1)) NA_real_ else r$deviance - dev
  }, 0)
  default <- suppressWarnings(glm(form, binomial, d))
  dsum <- summary(default)$coefficients
  coefs <- list(); k <- 0
  for (i in seq_along(terms)) {
    if (aliased[i]) {
      coefs[[i]] <- list(term = jstr(terms[i]), aliased = "true")
      next
    }
    k <- k + 1
    pr <- if (!is.null(profiles)) profiles(Xe, y, k, bc, sqrt(diag(info_cov(Xe, bc)))[k], dev) else c(NA, NA)
    coefs[[i]] <- list(term = jstr(terms[i]), estimate = jnum(beta[k]), stdError = jnum(se[k]), z = jnum(z[k]), p = jnum(p[k]),
                       aliased = "false", profileLower = jnum(pr[1]), profileUpper = jnum(pr[2]),
                       lrChisq = jnum(lr[k]), lrP = jnum(pchisq(lr[k], 1, lower.tail = FALSE)),
                       defaultEstimate = jnum(coef(default)[i]), defaultStdError = jnum(dsum[terms[i] == term_names(X, d, categorical)[!aliased], 2]))
  }
  # drop1 on the fit with the aliased columns in X (R's own drop1), refitted with the tight control.
  fitFull <- suppressWarnings(glm(form, binomial, d, control = glm.control(epsilon = 1e-15, maxit = 100)))
  if (!is.null(centre)) {  # drop1 is invariant to centring a covariate (the intercept stays)
    dc <- d; dc[[centre$column]] <- dc[[centre$column]] - centre$at
    fitFull <- glm(form, binomial, dc, control = glm.control(epsilon = 1e-15, maxit = 100))
  }
  tt <- NULL
  if (!is.null(fitFull)) {
    dr <- drop1(fitFull, test = "LRT")
    # glm's QR tolerance at epsilon 1e-15 is 1e-18; R's aliasing at its default control is what CohortKit follows.
    dr0 <- drop1(fit0, test = "LRT")
    tt <- lapply(rownames(dr)[-1], function(v) {
      df <- dr[v, "Df"]
      list(term = jstr(v), chiSquare = jnum(if (df == 0) 0 else dr[v, "LRT"]), df = sprintf("%d", as.integer(if (any(aliased)) dr0[v, "Df"] else df)),
           p = jnum(if (df == 0) NA else dr[v, "Pr(>Chi)"]))
    })
    if (any(aliased)) {
      # With aliased columns the tight glm does not detect the collinearity (QR tolerance 1e-18):
      # use drop1 on the default-control fit for which columns stay, and refit each tightly.
      tt <- lapply(rownames(dr0)[-1], function(v) {
        df <- dr0[v, "Df"]
        asgn <- attr(X, "assign"); cols <- which(asgn != match(v, attr(terms(fit0), "term.labels")))
        Xr <- X[, cols, drop = FALSE]
        r0 <- glm.fit(Xr, y, family = binomial())  # default QR tolerance: R's aliasing
        keep <- !is.na(r0$coefficients)
        r <- glm.fit(Xr[, keep, drop = FALSE], y, family = binomial(), control = CTRL)
        lrt <- r$deviance - dev
        list(term = jstr(v), chiSquare = jnum(if (df == 0) 0 else lrt), df = sprintf("%d", as.integer(df)),
             p = jnum(if (df == 0) NA else pchisq(lrt, df, lower.tail = FALSE)),
             restrictedColumns = jarr(term_names(X, d, categorical)[cols][keep], jstr),
             rLRT = jnum(dr0[v, "LRT"]))
      })
    }
  }
  ll <- -dev / 2
  top <- top_fields(name, d, outcome, covariates, lapply(setNames(categorical, categorical), function(v) levels(d[[v]])[1]),
                    "glm", paste(TOOL, "glm.fit converged (epsilon 1e-15), SEs at the estimates"), nrow(d), nDropped, sum(y))
  top <- c(top, list(logLikelihood = jnum(ll), deviance = jnum(dev), nullDeviance = jnum(fit$null.deviance),
                     aic = jnum(dev + 2 * sum(!aliased)), bic = jnum(dev + log(nrow(d)) * sum(!aliased)),
                     separatedTerms = "[]", defaultIterations = sprintf("%d", default$iter),
                     iterations = sprintf("%d", fit$iter)))
  write_json(name, top, coefs, tt)
  cat(name, "written; default glm max rel diff in estimates:",
      format(max(abs(coef(default)[!aliased] / beta - 1)), digits = 3), "\n")
}

# Exact profile roots D(b) - D = qchisq (on Xe, possibly centred), scanning outward in SE/4 steps.
ml_profiles <- function(Xe, y, j, bc, se, dev) {
  g <- function(b) glm.fit(Xe[, -j, drop = FALSE], y, family = binomial(), offset = b * Xe[, j], control = CTRL, start = bc[-j])$deviance - dev - CHI2
  sapply(c(-1, 1), function(dir) {
    prev <- bc[j]
    for (m in seq(0.25, 40, by = 0.25)) {
      b <- bc[j] + dir * m * se
      if (g(b) > 0) return(uniroot(g, sort(c(prev, b)), tol = 1e-13)$root)
      prev <- b
    }
    NA
  })
}

# esoph as one row per subject (cases y = 1, controls y = 0).
e <- esoph
rows <- rep(seq_len(nrow(e)), e$ncases + e$ncontrols)
y <- unlist(lapply(seq_len(nrow(e)), function(i) c(rep(1L, e$ncases[i]), rep(0L, e$ncontrols[i]))))
esoph_long <- data.frame(case = y, agegp = as.character(e$agegp[rows]), alcgp = as.character(e$alcgp[rows]),
                         tobgp = as.character(e$tobgp[rows]))
ml_case("issue12_esoph_ml", esoph_long, "case", c("agegp", "alcgp", "tobgp"), c("agegp", "alcgp", "tobgp"))

co <- colon[colon$etype == 2, c("status", "rx", "sex", "age", "obstruct", "perfor", "adhere", "nodes", "differ", "extent", "surg")]
co$rx <- as.character(co$rx)
co_cc <- co[complete.cases(co), ]
ml_case("issue12_colon_ml", co_cc, "status", c("rx", "sex", "age", "obstruct", "perfor", "adhere", "nodes", "differ", "extent", "surg"), "rx")

pb <- pbc[!is.na(pbc$trt), c("status", "age", "sex", "bili", "albumin", "protime", "edema", "ascites", "copper", "ast")]
pb$dead <- as.integer(pb$status == 2); pb$status <- NULL
pb$sex <- as.character(pb$sex)
pb <- pb[complete.cases(pb), c("dead", "age", "sex", "bili", "albumin", "protime", "edema", "ascites", "copper", "ast")]
ml_case("issue12_pbc_ml", pb, "dead", c("age", "sex", "bili", "albumin", "protime", "edema", "ascites", "copper", "ast"), "sex")

# A covariate near 1e6 with a small spread.
set.seed(12); n <- 300
lab <- 1e6 + round(rnorm(n, sd = 1.5), 3); zz <- rbinom(n, 1, 0.4)
yy <- rbinom(n, 1, plogis(0.6 * (lab - 1e6) + 0.8 * zz - 0.3))
big <- data.frame(y = yy, lab = sprintf("%.3f", lab), z = zz)
ml_case("issue12_scale_ml", big, "y", c("lab", "z"), character(0), profiles = function(Xe, y, j, bc, se, dev) {
  if (j == 1) c(NA, NA) else ml_profiles(Xe, y, j, bc, se, dev)
}, centre = list(column = "lab", at = 1e6))

# Aliased columns: zc = (g == "C") after g.
set.seed(7); n <- 200
g <- sample(c("A", "B", "C"), n, replace = TRUE); x <- round(rnorm(n), 2)
ya <- rbinom(n, 1, plogis(-0.2 + 0.7 * (g == "B") + 1.1 * (g == "C") + 0.8 * x))
ml_case("issue12_aliased_ml", data.frame(y = ya, g = g, x = x, zc = as.integer(g == "C")), "y", c("g", "x", "zc"), "g")

# ---------------------------------------------------------------------------
# Firth: logistf's penalised profile, by definition
# ---------------------------------------------------------------------------
plogl <- function(beta, X, y) {
  eta <- drop(X %*% beta); mu <- plogis(eta); w <- mu * (1 - mu)
  ll <- sum(ifelse(y == 1, plogis(eta, log.p = TRUE), plogis(-eta, log.p = TRUE)))
  I <- crossprod(X * sqrt(w)); ch <- tryCatch(chol(I), error = function(e) NULL)
  if (is.null(ch)) return(NULL)
  list(ll = ll, pl = ll + sum(log(diag(ch))), I = I, mu = mu, w = w, ch = ch)
}
mscore <- function(X, y, e) {
  A <- backsolve(e$ch, t(X * sqrt(e$w)), transpose = TRUE); h <- colSums(A^2)
  drop(crossprod(X, y - e$mu + h * (0.5 - e$mu)))
}
# Maximises l* over `free` (the rest held), full-design penalty; Newton with I_ff, step halving on l*.
cfit <- function(beta, free, X, y, maxit = 5000, tol = 1e-10) {
  e <- plogl(beta, X, y)
  for (it in 1:maxit) {
    U <- mscore(X, y, e)[free]
    d <- solve(e$I[free, free, drop = FALSE], U)
    if (sqrt(sum(U * d)) < tol) return(list(beta = beta, pl = e$pl, ll = e$ll, it = it))
    mx <- max(abs(d)); if (mx > 5) d <- d * 5 / mx
    s <- 1
    repeat {
      b2 <- beta; b2[free] <- b2[free] + s * d
      e2 <- plogl(b2, X, y)
      if (!is.null(e2) && is.finite(e2$pl) && e2$pl >= e$pl - 1e-12 * (abs(e$pl) + 1)) break
      s <- s / 2; if (s < 1e-12) stop("cfit: step halving failed")
    }
    beta <- b2; e <- e2
  }
  stop("cfit: no convergence")
}

firth_case <- function(name, d, outcome, covariates, profileTerms) {
  write_data(name, d)
  d <- read.csv(file.path(DATA_DIR, paste0(name, ".csv")))
  form <- as.formula(paste(outcome, "~", paste(covariates, collapse = " + ")))
  fit <- suppressWarnings(glm(form, binomial, d, method = brglmFit, type = "AS_mean", epsilon = 1e-12, maxit = 500))
  fitDefault <- suppressWarnings(glm(form, binomial, d, method = brglmFit, type = "AS_mean"))
  X <- model.matrix(fit); y <- fit$y
  hat <- cfit(coef(fit), seq_len(ncol(X)), X, y)
  beta <- hat$beta
  se <- sqrt(diag(solve(hat$e <- plogl(beta, X, y)$I)))
  prof <- function(j, b, warm) { st <- warm; st[j] <- b; cfit(st, setdiff(seq_len(ncol(X)), j), X, y) }
  coefs <- list()
  for (j in seq_len(ncol(X))) {
    r0 <- prof(j, 0, beta); lr <- 2 * (hat$pl - r0$pl)
    limits <- c(NA, NA)
    if (colnames(X)[j] %in% profileTerms) {
      limits <- sapply(c(-1, 1), function(dir) {
        # scan outward to the last crossing within 60 SEs
        warm <- beta; prev <- beta[j]; bracket <- NULL; below <- TRUE
        for (m in seq(0.25, 60, by = 0.25)) {
          b <- beta[j] + dir * m * se[j]
          r <- tryCatch(prof(j, b, warm), error = function(e) NULL)
          if (is.null(r)) break
          warm <- r$beta
          val <- 2 * (hat$pl - r$pl) - CHI2
          if (val > 0 && below) bracket <- sort(c(prev, b))
          below <- val <= 0; prev <- b
        }
        f <- function(b) 2 * (hat$pl - prof(j, b, beta)$pl) - CHI2
        uniroot(f, bracket, tol = 1e-13)$root
      })
    }
    coefs[[j]] <- list(term = jstr(colnames(X)[j]), estimate = jnum(beta[j]), stdError = jnum(se[j]), z = jnum(beta[j] / se[j]),
                       p = jnum(2 * pnorm(-abs(beta[j] / se[j]))), aliased = "false",
                       profileLower = jnum(limits[1]), profileUpper = jnum(limits[2]),
                       lrChisq = jnum(lr), lrP = jnum(pchisq(lr, 1, lower.tail = FALSE)),
                       brglm2Estimate = jnum(coef(fit)[j]))
  }
  top <- top_fields(name, d, outcome, covariates, list(), "firth",
                    paste(TOOL, "brglm2", as.character(packageVersion("brglm2")), "AS_mean; profile and LR by logistf's definition"),
                    nrow(d), 0, sum(y))
  top <- c(top, list(logLikelihood = jnum(hat$ll), penalizedLogLikelihood = jnum(hat$pl), deviance = jnum(-2 * hat$ll),
                     separatedTerms = "[]", brglm2Iterations = sprintf("%d", fit$iter),
                     brglm2DefaultIterations = sprintf("%d", fitDefault$iter), brglm2DefaultConverged = tolower(fitDefault$converged)))
  write_json(name, top, coefs)
  cat(name, "written\n")
}

bw <- MASS::birthwt
bw$bwt_below_2500 <- as.integer(bw$bwt < 2500)
firth_case("issue12_birthwt_firth", bw[, c("low", "age", "bwt_below_2500")], "low", c("age", "bwt_below_2500"), c("age"))

set.seed(9); n <- 20
xs <- round(rnorm(n), 2); zs <- rbinom(n, 1, 0.5)
ys <- as.integer(xs + 0.5 * zs + rnorm(n, sd = 0.3) > 0)
firth_case("issue12_small_firth", data.frame(y = ys, x = xs * 0.01, z = zs), "y", c("x", "z"), character(0))
