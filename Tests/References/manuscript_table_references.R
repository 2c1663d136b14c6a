#!/usr/bin/env Rscript
# References for the manuscript tables of issue 16 on the shipped Johnsrud data
# (Datasets/johnsrud2021/cohort.csv), written to Tests/Fixtures/tables/manuscript_table_references.json:
#
#   smd:          standardised mean differences as R's tableone computes them. tableone is NOT
#                 installed here, so its published formulas are implemented below as its
#                 modules-smd.R states them (StdDiff, StdDiffMulti, ExtractSmd; Yoshida & Bartel;
#                 Austin 2009; Yang & Dalton 2012): measurements |m1 - m2| / sqrt((s1^2 + s2^2) / 2)
#                 with var() (n - 1); categories sqrt(T' ginv(S) T) on the proportions of levels 2..k,
#                 S the mean of the groups' multinomial covariances, MASS::ginv; missing values left
#                 out; with more than two groups the mean of the pairwise SMDs. By product (two
#                 groups) and by icans_grade (five groups, ten pairs).
#   univariable:  cohort logit --univariable on outcome bleeding (bleeding_day within 0..3650, the
#                 codebook's bleeding_any), covariates age, sex, product (reference axi-cel), ldh:
#                 glm(binomial) of each alone and of all together (epsilon 1e-14); OR, exact
#                 profile-likelihood CI (uniroot on the deviance), LR P (drop1(test = "Chisq")), Wald P.
#   cox:          cohort cox --univariable on Tests/Fixtures/survival/cox_command/cohort.csv (event 1,
#                 competing 2 censoring), covariates age, sex, product, plt: survival::coxph (Efron)
#                 of each alone and of all together (na.omit per model, as the toolkit drops per
#                 model); HR, Wald CI and P as summary(coxph) prints them.
options(warn = 1)
suppressPackageStartupMessages(library(MASS))
suppressPackageStartupMessages(library(survival))
num <- function(x) if (is.na(x) || !is.finite(x)) "null" else sprintf("%.17g", x)
d <- read.csv("Datasets/johnsrud2021/cohort.csv", na.strings = "")

## tableone's formulas (modules-smd.R), written out since the package is not at hand.
std_diff <- function(variable, group) {
  means <- tapply(variable, group, mean, na.rm = TRUE)
  vars <- tapply(variable, group, var, na.rm = TRUE)
  mean_diffs <- outer(means, means, "-")
  vars_mean <- outer(vars, vars, "+") / 2
  out <- mean_diffs / sqrt(vars_mean)
  abs(out[lower.tri(out)])
}
multinomial_var <- function(p) {
  covs <- -outer(p, p)
  diag(covs) <- p * (1 - p)
  covs
}
std_diff_multi <- function(variable, group) {
  keep <- !is.na(variable) & !is.na(group)
  tab <- table(variable[keep], group[keep])
  props <- prop.table(tab, margin = 2)[-1, , drop = FALSE]   # drop the first level
  means <- lapply(seq_len(ncol(props)), function(i) props[, i])
  covs <- lapply(means, multinomial_var)
  pairs <- combn(length(means), 2)
  apply(pairs, 2, function(ij) {
    t <- means[[ij[1]]] - means[[ij[2]]]
    s <- (covs[[ij[1]]] + covs[[ij[2]]]) / 2
    if (anyNA(t) || anyNA(s)) return(NaN)   # a group without a value: ginv() would stop on the NaN
    sqrt(drop(t(t) %*% MASS::ginv(s) %*% t))
  })
}
extract_smd <- function(values) mean(values)   # ExtractSmd: the mean of the pairwise SMDs

measurements <- c("age", "ldh", "bleeding_day")
categories <- c("sex", "disease", "product", "crs_grade", "icans_grade", "anticoagulation", "bleeding_site")
smd_by <- function(by) {
  vars <- setdiff(c(measurements, categories), by)
  lines <- sapply(vars, function(v) {
    # The groups as a factor, as tableone's strata are: a group without a value of the variable
    # stays in, and its NaN makes the SMD NaN (null here).
    group <- factor(d[[by]])
    value <- if (v %in% measurements) extract_smd(std_diff(d[[v]], group)) else extract_smd(std_diff_multi(d[[v]], group))
    sprintf('      "%s": %s', v, num(value))
  })
  sprintf('    "%s": {\n%s\n    }', by, paste(lines, collapse = ",\n"))
}

## Univariable and multivariable logistic models.
d$bleeding <- as.integer(!is.na(d$bleeding_day) & d$bleeding_day >= 0 & d$bleeding_day <= 3650)
d$sex <- factor(d$sex, levels = c("F", "M"))
d$product <- factor(d$product, levels = c("axi-cel", "CD19/22"))
covariates <- c("age", "sex", "product", "ldh")
term_name <- function(name) sub("^(sex|product)(.*)$", "\\1[\\2]", name)
# glm to full convergence (epsilon 1e-14, as glm_references.R) and exact profile-likelihood limits:
# the roots of D(b) - D(estimate) = qchisq(0.95, 1) with the coefficient held at b as an offset,
# by uniroot (tol 1e-12). (confint's MASS profile interpolates a spline on a grid: about 1e-4.)
CTRL <- glm.control(epsilon = 1e-14, maxit = 100)
profile_limit <- function(X, y, j, est, se, dev_hat, dir) {
  g <- function(b) suppressWarnings(glm.fit(X[, -j, drop = FALSE], y, family = binomial(), offset = b * X[, j], control = CTRL))$deviance - dev_hat - qchisq(0.95, 1)
  prev <- est
  for (m in c(0.5, 1, 1.5, 2, 3, 4, 6, 8, 12, 20, 50)) {
    b <- est + dir * m * se
    if (g(b) > 0) return(uniroot(g, lower = min(prev, b), upper = max(prev, b), tol = 1e-12, maxiter = 10000)$root)
    prev <- b
  }
  NA_real_
}
coefficients <- function(formula) {
  fit <- glm(formula, family = binomial, data = d, control = CTRL)
  X <- model.matrix(fit)
  y <- fit$y
  s <- summary(fit)$coefficients
  lr <- drop1(fit, test = "Chisq")
  rows <- sapply(rownames(s)[-1], function(term) {
    variable <- sub("^(sex|product).*$", "\\1", term)
    j <- match(term, colnames(X))
    lower <- profile_limit(X, y, j, s[term, 1], s[term, 2], deviance(fit), -1)
    upper <- profile_limit(X, y, j, s[term, 1], s[term, 2], deviance(fit), +1)
    sprintf('"%s": {"or": %s, "lower": %s, "upper": %s, "pWald": %s, "pLR": %s}', term_name(term),
            num(exp(s[term, 1])), num(exp(lower)), num(exp(upper)), num(s[term, 4]),
            num(lr[variable, "Pr(>Chi)"]))
  })
  sprintf('{"n": %d, %s}', nobs(fit), paste(rows, collapse = ", "))
}
uni <- sapply(covariates, function(v) sprintf('      "%s": %s', v, coefficients(as.formula(paste("bleeding ~", v)))))
multi <- coefficients(bleeding ~ age + sex + product + ldh)

## Cox models on the cox command fixture.
cx <- read.csv("Tests/Fixtures/survival/cox_command/cohort.csv", na.strings = "")
cox_coefficients <- function(formula) {
  fit <- coxph(formula, data = cx, ties = "efron", control = coxph.control(eps = 1e-12, toler.chol = 1e-13, iter.max = 100))
  s <- summary(fit)
  rows <- sapply(rownames(s$coefficients), function(term) {
    sprintf('"%s": {"hr": %s, "lower": %s, "upper": %s, "p": %s}', term_name(term),
            num(s$conf.int[term, "exp(coef)"]), num(s$conf.int[term, "lower .95"]), num(s$conf.int[term, "upper .95"]),
            num(s$coefficients[term, "Pr(>|z|)"]))
  })
  sprintf('{"n": %d, "events": %d, %s}', fit$n, fit$nevent, paste(rows, collapse = ", "))
}
cox_covariates <- c("age", "sex", "product", "plt")
cox_uni <- sapply(cox_covariates, function(v) sprintf('      "%s": %s', v, cox_coefficients(as.formula(paste("Surv(time, status == 1) ~", v)))))
cox_multi <- cox_coefficients(Surv(time, status == 1) ~ age + sex + product + plt)

out <- c("{",
  '  "source": "Datasets/johnsrud2021/cohort.csv",',
  '  "smd": {',
  paste0(paste(c(smd_by("product"), smd_by("icans_grade")), collapse = ",\n")),
  "  },",
  '  "univariable": {',
  paste0(paste(uni, collapse = ",\n"), ","),
  sprintf('      "multivariable": %s', multi),
  "  },",
  '  "cox": {',
  paste0(paste(cox_uni, collapse = ",\n"), ","),
  sprintf('      "multivariable": %s', cox_multi),
  "  }",
  "}")
writeLines(out, "Tests/Fixtures/tables/manuscript_table_references.json")
