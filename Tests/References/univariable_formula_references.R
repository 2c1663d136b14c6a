# Issue 16, --univariable with --formula: each term of the formula that is not an interaction fitted
# alone, as gtsummary's tbl_uvregression would (one glm / coxph per term; a factor's levels and an
# rcs() term's columns together, log(ldh) as written), on the SIMULATED data of formula_references.R
# (Tests/Fixtures/formula/cohort.csv; run that first).
#
# Writes Tests/Fixtures/formula/univariable.json. Run from the repository root:
#   Rscript Tests/References/univariable_formula_references.R
# Tools: R 4.2.2 (glm), survival (coxph), rms 6.5-0 (rcs).
suppressMessages({ library(rms); library(survival); library(jsonlite) })
out <- "Tests/Fixtures/formula"
d <- read.csv(file.path(out, "cohort.csv"), stringsAsFactors = FALSE)
d$race <- factor(d$race)                     # reference: black, the first in sorted order (as ours)
tight <- glm.control(epsilon = 1e-14, maxit = 100)
# Exact profile-likelihood limits, as manuscript_table_references.R: the roots of
# D(b) - D(estimate) = qchisq(0.95, 1) with coefficient j held at b as an offset, by uniroot
# (tol 1e-12). (confint's MASS profile interpolates a spline on a grid: about 1e-5 here.)
profile_limit <- function(X, y, j, est, se, dev_hat, dir) {
  g <- function(b) suppressWarnings(glm.fit(X[, -j, drop = FALSE], y, family = binomial(), offset = b * X[, j], control = tight))$deviance - dev_hat - qchisq(0.95, 1)
  prev <- est
  for (m in c(0.5, 1, 1.5, 2, 3, 4, 6, 8, 12, 20, 50)) {
    b <- est + dir * m * se
    if (g(b) > 0) return(uniroot(g, lower = min(prev, b), upper = max(prev, b), tol = 1e-12, maxiter = 10000)$root)
    prev <- b
  }
  NA_real_
}
our_name <- function(r) {
  r <- ifelse(startsWith(r, "rcs("), sub("^.*\\)", "", r), r)
  for (lv in c("white", "black", "other")) r <- gsub(paste0("\\brace", lv, "\\b"), paste0("race[", lv, "]"), r)
  r
}

# The knots of rcs(lwt, 4) from every non-missing lwt (rms places them before incomplete rows go),
# the same in each fit.
terms <- c("age", "smoke", "race", "rcs(lwt, 4)", "log(ldh)")
logistic <- lapply(terms, function(term) {
  fit <- glm(as.formula(paste("low ~", term)), family = binomial, data = d, control = tight)
  s <- summary(fit)$coefficients
  X <- model.matrix(fit); y <- fit$y
  ci <- t(sapply(seq_len(ncol(X)), function(j) if (j == 1) c(NA, NA) else
    c(profile_limit(X, y, j, s[j, 1], s[j, 2], deviance(fit), -1), profile_limit(X, y, j, s[j, 1], s[j, 2], deviance(fit), +1))))
  # Each coefficient's LR test: the refit without its column, on the same rows.
  lr <- sapply(seq_len(ncol(X)), function(j) {
    if (j == 1) return(NA)
    r <- glm.fit(X[, -j, drop = FALSE], y, family = binomial(), control = tight)
    r$deviance - fit$deviance
  })
  list(term = term, n = nobs(fit), dropped = nrow(d) - nobs(fit),
       coefficients = lapply(seq_len(nrow(s))[-1], function(i) list(
         name = our_name(rownames(s)[i]), estimate = s[i, 1], se = s[i, 2],
         lower = ci[i, 1], upper = ci[i, 2], lr_chisq = lr[i], lr_p = pchisq(lr[i], 1, lower.tail = FALSE))))
})

cox_terms <- c("age", "smoke", "race", "rcs(lwt, 4)")
cox <- lapply(cox_terms, function(term) {
  fit <- coxph(as.formula(paste("Surv(time, status == 'event') ~", term)), data = d, ties = "efron",
               control = coxph.control(eps = 1e-12, toler.chol = 1e-15, iter.max = 100))
  s <- summary(fit)$coefficients
  list(term = term, n = fit$n, events = fit$nevent,
       coefficients = lapply(seq_len(nrow(s)), function(i) list(
         name = our_name(rownames(s)[i]), estimate = s[i, "coef"], se = s[i, "se(coef)"], p = s[i, "Pr(>|z|)"])))
})

writeLines(toJSON(list(logistic = list(formula = "low ~ age * smoke + race + rcs(lwt, 4) + log(ldh)", fits = logistic),
                       cox = list(formula = "~ age * smoke + race + rcs(lwt, 4)", fits = cox)),
                  auto_unbox = TRUE, digits = I(17), pretty = TRUE, null = "null", na = "null"),
           file.path(out, "univariable.json"))
cat("wrote", file.path(out, "univariable.json"), "\n")
