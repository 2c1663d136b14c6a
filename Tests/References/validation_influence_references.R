# Issue 16: reference values for `cohort logit --validate B` (bootstrap validation as
# rms::validate) and `--influence` (residuals, leverage, Cook's distance as R's glm), on the
# SIMULATED data of model_check_references.R (Tests/Fixtures/model_check/fitted_*.csv; no real
# patients).
#
# Run from the repository root:
#   Rscript Tests/References/validation_influence_references.R
# Writes Tests/Fixtures/validation/:
#   influence_firth_<case>.csv  the same from brglm2's Firth fit (type = "AS_mean", epsilon 1e-14)
#   influence_<case>.csv     each row's line (its line in the data file: row i is line i + 1),
#                            residuals(fit, "pearson"), residuals(fit, "deviance"), hatvalues(fit),
#                            cooks.distance(fit) of glm(family = binomial, epsilon = 1e-14)
#   resamples_<case>.csv     B resamples drawn here (set.seed, sample(n, n, replace = TRUE)), one a
#                            line, 1-based row indices; the Swift test refits on exactly these rows
#   validation_<case>.json   the Efron-Gong optimism on those resamples, by rms's own formulas
#   rms_validate.json        rms::validate(lrm(...), B = 2000) on fitted_mixed, with the Monte Carlo
#                            error of its corrected Dxy, for the statistical comparison
#
# (a) The exact comparison. rms::validate draws its resamples with R's RNG, which CohortKit cannot
# reproduce, so the resamples are drawn here, written out, and the optimism is computed on them
# with rms 6.5-0's own `discrim` (taken from the body of rms:::validate.lrm, not copied) and
# predab.resample's averaging (training and test indices each averaged over the resamples used,
# optimism = mean training - mean test, corrected = apparent - optimism). One change: rms's
# lrm.fit stops at a deviance change of eps = 0.025 by default (validate's refits and discrim's
# recalibration alike), some 1e-4 from the maximum; every fit here is run to convergence
# (converged_lrm below: lrm.fit started at glm's epsilon = 1e-14 estimates), which is what
# CohortKit's refits reach, so the two agree to 1e-10 and not merely to lrm.fit's stopping error.
#
# (b) The statistical comparison: rms::validate itself, B = 2000, on fitted_mixed. Its corrected
# index differs from CohortKit's (other resamples) by Monte Carlo error: the SD of the
# per-resample optimism over sqrt(B), estimated here from 2000 resamples of the same kind.
#
# Tools: R 4.2.2, r-cran-rms 6.5-0, Hmisc 4.8-0, brglm2 0.9.
suppressMessages({ library(rms); library(brglm2) })
source("Tests/References/logistic_json.R")

out_dir <- "Tests/Fixtures/validation"
dir.create(out_dir, showWarnings = FALSE, recursive = TRUE)
tight <- glm.control(epsilon = 1e-14, maxit = 100)

# rms's own discrim (validate.lrm's measure), with lrm.fit run to convergence.
body_lines <- body(rms:::validate.lrm)
discrim_expr <- Filter(function(e) is.call(e) && identical(e[[1]], as.name("<-")) && identical(e[[2]], as.name("discrim")), as.list(body_lines))[[1]]
discrim_env <- new.env(parent = asNamespace("rms"))
# lrm.fit to convergence: started from glm's converged estimates (epsilon = 1e-14), where lrm.fit's
# first step changes the deviance by far less than eps and it stops (a tiny eps alone makes it
# halve steps forever once the deviance change is rounding noise).
converged_lrm <- function(x, y, ...) {
  x <- as.matrix(x)
  g <- glm(y ~ x, family = binomial, control = tight)
  if (!g$converged) stop("glm did not converge")
  f <- rms::lrm.fit(x, y, initial = unname(coef(g)), eps = 1e-8, maxit = 100, tol = 1e-13)
  if (!f$fail) stopifnot(max(abs(coef(f) - coef(g)) / pmax(1, abs(coef(g)))) < 1e-11)
  f
}
discrim_env$lrm.fit <- function(x, y, ...) converged_lrm(x, y)
discrim <- eval(discrim_expr[[3]], envir = discrim_env)
environment(discrim) <- discrim_env
tight_lrm <- function(x, y) converged_lrm(x, y)

indices <- c("Dxy", "R2", "Intercept", "Slope", "B")

validate_on <- function(X, y, resamples) {
  full <- tight_lrm(X, y)
  g <- glm(y ~ X, family = binomial, control = tight)
  stopifnot(max(abs(coef(full) - coef(g)) / pmax(1, abs(coef(g)))) < 1e-12)
  apparent <- discrim(drop(cbind(1, X) %*% coef(full)), y, full, evalfit = TRUE, kint = 1)[indices]
  training <- 0; test <- 0; used <- 0; per_optimism <- NULL
  for (b in seq_len(nrow(resamples))) {
    idx <- resamples[b, ]
    fb <- tryCatch(tight_lrm(X[idx, , drop = FALSE], y[idx]), error = function(e) NULL, warning = function(w) NULL)
    if (is.null(fb) || fb$fail) next
    beta <- coef(fb)
    tr <- discrim(drop(cbind(1, X[idx, , drop = FALSE]) %*% beta), y[idx], fb, evalfit = TRUE, kint = 1)[indices]
    te <- discrim(drop(cbind(1, X) %*% beta), y, fb, evalfit = FALSE, kint = 1)[indices]
    training <- training + tr; test <- test + te; used <- used + 1
    per_optimism <- rbind(per_optimism, tr - te)
  }
  training <- training / used; test <- test / used
  optimism <- training - test
  list(apparent = apparent, training = training, test = test, optimism = optimism,
       corrected = apparent - optimism, used = used, per_optimism = per_optimism)
}

write_validation <- function(path, name, covariates, B, v) {
  c_of <- function(dxy) 0.5 + dxy / 2
  # C = 0.5 + Dxy/2 for every column (optimism: Dxy's over 2).
  row <- function(key) {
    x <- v[[key]]
    c(Dxy = x[["Dxy"]], C = if (key == "optimism") x[["Dxy"]] / 2 else c_of(x[["Dxy"]]), R2 = x[["R2"]],
      Intercept = x[["Intercept"]], Slope = x[["Slope"]], Brier = x[["B"]])
  }
  lines <- c("{", sprintf("  \"name\": %s,", jstr(name)), sprintf("  \"covariates\": %s,", jstrarr(covariates)),
             sprintf("  \"resamples\": %d,", B), sprintf("  \"used\": %d,", v$used))
  keys <- c("apparent", "training", "test", "optimism", "corrected")
  for (k in seq_along(keys)) {
    values <- row(keys[k])
    obj <- paste(sprintf("%s: %s", vapply(names(values), jstr, ""), vapply(values, jnum, "")), collapse = ", ")
    lines <- c(lines, sprintf("  %s: {%s}%s", jstr(keys[k]), obj, if (k < length(keys)) "," else ""))
  }
  lines <- c(lines, "}")
  con <- file(path, open = "wb"); writeLines(lines, con, sep = "\n"); close(con)
}

cases <- list(
  list(name = "fitted_mixed", file = "Tests/Fixtures/model_check/fitted_mixed.csv", covariates = c("x1", "x2", "age"), B = 60, seed = 20261610),
  list(name = "fitted_categorical", file = "Tests/Fixtures/model_check/fitted_categorical.csv", covariates = c("grp", "sex"), B = 60, seed = 20261611)
)

for (case in cases) {
  d <- read.csv(case$file)
  f <- as.formula(paste("y ~", paste(case$covariates, collapse = " + ")))
  g0 <- glm(f, data = d, family = binomial, control = tight)
  # Refitted from its own estimates: glm's QR (and so hatvalues) holds the weights of the
  # iteration's start, here the converged estimates (from a cold start they are the weights of the
  # iteration before the last, some 1e-8 off in the hat values).
  g <- glm(f, data = d, family = binomial, control = tight, start = coef(g0))
  X <- model.matrix(f, d)[, -1, drop = FALSE]
  y <- d$y
  n <- nrow(d)

  # Influence, as glm gives it.
  infl <- data.frame(line = seq_len(n) + 1, pearson = residuals(g, "pearson"), deviance = residuals(g, "deviance"),
                     leverage = hatvalues(g), cooks = cooks.distance(g))
  con <- file(file.path(out_dir, sprintf("influence_%s.csv", case$name)), open = "wb")
  writeLines("line,pearson,deviance,leverage,cooks", con, sep = "\n")
  writeLines(sprintf("%d,%.17g,%.17g,%.17g,%.17g", infl$line, infl$pearson, infl$deviance, infl$leverage, infl$cooks), con, sep = "\n")
  close(con)

  # Firth (brglm2 AS_mean, = logistf's estimates): glm's methods at the penalised estimates;
  # hatvalues is then W^1/2 X (X'WX)^-1 X'W^1/2 at those estimates, logistf's hat.diag (checked
  # against the formula here), the leverage CohortKit reports for --firth.
  gf <- glm(f, data = d, family = binomial, method = "brglmFit", type = "AS_mean", control = list(epsilon = 1e-14, maxit = 500))
  Xf <- model.matrix(gf); pf <- fitted(gf); wf <- pf * (1 - pf)
  stopifnot(max(abs(diag(sqrt(wf) * Xf %*% solve(t(Xf) %*% (wf * Xf)) %*% t(Xf * sqrt(wf))) - hatvalues(gf))) < 1e-14)
  con <- file(file.path(out_dir, sprintf("influence_firth_%s.csv", case$name)), open = "wb")
  writeLines("line,pearson,deviance,leverage,cooks", con, sep = "\n")
  writeLines(sprintf("%d,%.17g,%.17g,%.17g,%.17g", seq_len(n) + 1, residuals(gf, "pearson"), residuals(gf, "deviance"),
                     hatvalues(gf), cooks.distance(gf)), con, sep = "\n")
  close(con)

  # Resamples drawn here, then the optimism on them.
  set.seed(case$seed)
  resamples <- t(vapply(seq_len(case$B), function(b) sample.int(n, n, replace = TRUE), integer(n)))
  con <- file(file.path(out_dir, sprintf("resamples_%s.csv", case$name)), open = "wb")
  writeLines(apply(resamples, 1, paste, collapse = ","), con, sep = "\n")
  close(con)
  v <- validate_on(X, y, resamples)
  write_validation(file.path(out_dir, sprintf("validation_%s.json", case$name)), case$name, case$covariates, case$B, v)
  cat(case$name, ": used", v$used, "of", case$B, "; corrected Dxy", v$corrected[["Dxy"]], "\n")
}

# (b) rms::validate itself on fitted_mixed, B = 2000, and the Monte Carlo SE of its corrected Dxy.
d <- read.csv("Tests/Fixtures/model_check/fitted_mixed.csv")
set.seed(20261612)
fit <- lrm(y ~ x1 + x2 + age, data = d, x = TRUE, y = TRUE)
val <- validate(fit, B = 2000)
set.seed(20261613)
X <- as.matrix(d[, c("x1", "x2", "age")])
mc <- validate_on(X, d$y, t(vapply(1:2000, function(b) sample.int(nrow(d), nrow(d), replace = TRUE), integer(nrow(d)))))
se_dxy <- sd(mc$per_optimism[, "Dxy"]) / sqrt(mc$used)
lines <- c("{",
           sprintf("  \"B\": %d,", 2000L),
           sprintf("  \"used\": %s,", jint(val["Dxy", "n"])),
           sprintf("  \"apparentDxy\": %s,", jnum(val["Dxy", "index.orig"])),
           sprintf("  \"optimismDxy\": %s,", jnum(val["Dxy", "optimism"])),
           sprintf("  \"correctedDxy\": %s,", jnum(val["Dxy", "index.corrected"])),
           sprintf("  \"correctedC\": %s,", jnum(0.5 + val["Dxy", "index.corrected"] / 2)),
           sprintf("  \"correctedSlope\": %s,", jnum(val["Slope", "index.corrected"])),
           sprintf("  \"monteCarloSEDxy\": %s,", jnum(se_dxy)),
           sprintf("  \"monteCarloSEC\": %s", jnum(se_dxy / 2)),
           "}")
con <- file(file.path(out_dir, "rms_validate.json"), open = "wb"); writeLines(lines, con, sep = "\n"); close(con)
print(val)
cat("Monte Carlo SE of corrected Dxy at B = 2000:", se_dxy, "\n")
