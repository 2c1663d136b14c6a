#!/usr/bin/env Rscript
# Reference values for case (non-integer) weights in `cohort logit` (issue 16: "frequency weights
# and case weights; offsets").
#
# Data: MASS::birthwt written as Tests/Fixtures/weights/birthwt_weighted.csv with race as text
# (white/black/other) and three columns made here, deterministically (no random numbers):
#   w    case weight 0.35 + ((row * 37) mod 23) / 10: values 0.35 .. 2.55, mostly non-integer;
#        row 7 missing (dropped, as glm's na.action), row 11 zero (dropped by CohortKit, weight 0 in glm)
#   wi   whole-number weight 1 + (row mod 3): the frequency-weight path (rows repeated)
#   o    offset 0.02 * (age - 23)
# Fits stats::glm(low ~ age + lwt + race + smoke + ptl + ht, family = binomial, weights = w[, offset = o])
# with glm.control(epsilon = 1e-15, maxit = 100) and writes Tests/Fixtures/weights/<case>.json:
# terms (CohortKit's names: race[other]), estimate, stdError (summary.glm, dispersion 1), z, p,
# deviance, nullDeviance, the model LR chi-square (nullDeviance - deviance), drop1(test = "LRT")
# term tests, n (rows with a positive weight, = nobs(glm)), the weight sums and nDropped.
# glm's AIC is not used: with non-integer weights binomial()$aic rounds wᵢ and wᵢyᵢ (and warns
# "non-integer #successes"); CohortKit reports -2ℓ + 2k with the weighted ℓ.
#
# Cox: survival::lung written as Tests/Fixtures/weights/lung_weighted.csv (status 1 = death, 0 =
# censored; inst, age, sex, ph.ecog as in the package) with deterministic columns
#   w    case weight 0.4 + ((row * 29) mod 17) / 8; row 5 missing, row 9 zero
#   o    offset 0.05 * ((row * 7) mod 5)
# Fits survival::coxph(Surv(time, status) ~ age + sex + ph.ecog, weights = w[, + offset(o)]
# [, cluster = inst], ties = ...) with coxph.control(eps = 1e-12, iter.max = 50) on the rows with a
# positive weight (coxph refuses weight 0; CohortKit drops the row and says so) and writes
# cox_<case>.json: terms, coefficients, SEs (fit$var: robust, by cluster or, as coxph's default with
# non-integer weights, by row), model-based SEs (naive.var), log partial
# likelihoods at 0 and at the estimate, the LR test, n and events.
# Run from the repository root:  Rscript Tests/References/weights_references.R

options(warn = 1, digits = 17)
suppressPackageStartupMessages(library(MASS))
OUT <- file.path("Tests", "Fixtures", "weights")
dir.create(OUT, recursive = TRUE, showWarnings = FALSE)
CTRL <- glm.control(epsilon = 1e-15, maxit = 100)

json_num <- function(x) {
  if (length(x) == 0) return("[]")
  s <- ifelse(is.na(x), "null", formatC(x, digits = 17, format = "g"))
  s
}
arr <- function(x) paste0("[", paste(json_num(x), collapse = ", "), "]")
str_arr <- function(x) paste0("[", paste0('"', x, '"', collapse = ", "), "]")

bw <- MASS::birthwt
i <- seq_len(nrow(bw))
data <- data.frame(low = bw$low, age = bw$age, lwt = bw$lwt,
                   race = c("white", "black", "other")[bw$race],
                   smoke = bw$smoke, ptl = bw$ptl, ht = bw$ht,
                   w = 0.35 + ((i * 37) %% 23) / 10,
                   wi = 1 + (i %% 3),
                   o = 0.02 * (bw$age - 23))
data$w[7] <- NA
data$w[11] <- 0
write.csv(data, file.path(OUT, "birthwt_weighted.csv"), row.names = FALSE, na = "", quote = FALSE)
data$race <- factor(data$race)  # levels black, other, white (sorted): CohortKit's default reference

rename <- function(terms) {
  terms <- sub("^\\(Intercept\\)$", "(Intercept)", terms)
  sub("^race(black|other|white)$", "race[\\1]", terms)
}

logit_case <- function(name, weights, offset = FALSE) {
  f <- low ~ age + lwt + race + smoke + ptl + ht
  d <- data
  d$ww <- d[[weights]]
  fit <- suppressWarnings(if (offset) glm(f, family = binomial, data = d, weights = ww, offset = o, control = CTRL)
         else glm(f, family = binomial, data = d, weights = ww, control = CTRL))
  s <- coef(summary(fit))
  dr <- suppressWarnings(drop1(fit, test = "LRT"))  # "non-integer #successes": expected with case weights
  dr <- dr[-1, , drop = FALSE]
  used <- !is.na(d$ww) & d$ww > 0
  lines <- c(
    "{",
    sprintf('  "case": "%s",', name),
    '  "data": "birthwt_weighted.csv",',
    sprintf('  "weights": "%s",', weights),
    sprintf('  "offset": %s,', if (offset) '"o"' else "null"),
    sprintf('  "n": %d,', sum(used)),
    sprintf('  "nDropped": %d,', nrow(d) - sum(used)),
    sprintf('  "weightSum": %s,', json_num(sum(d$ww[used]))),
    sprintf('  "weightedEvents": %s,', json_num(sum(d$ww[used] * d$low[used]))),
    sprintf('  "terms": %s,', str_arr(rename(rownames(s)))),
    sprintf('  "estimate": %s,', arr(s[, 1])),
    sprintf('  "stdError": %s,', arr(s[, 2])),
    sprintf('  "z": %s,', arr(s[, 3])),
    sprintf('  "p": %s,', arr(s[, 4])),
    sprintf('  "deviance": %s,', json_num(deviance(fit))),
    sprintf('  "nullDeviance": %s,', json_num(fit$null.deviance)),
    sprintf('  "lrChiSquare": %s,', json_num(fit$null.deviance - deviance(fit))),
    sprintf('  "lrDF": %d,', fit$df.null - fit$df.residual),
    sprintf('  "termNames": %s,', str_arr(rownames(dr))),
    sprintf('  "termDF": %s,', arr(dr$Df)),
    sprintf('  "termChiSquare": %s,', arr(dr$LRT)),
    sprintf('  "termP": %s', arr(dr$`Pr(>Chi)`)),
    "}")
  writeLines(lines, file.path(OUT, paste0(name, ".json")))
}

logit_case("logit_case_weights", "w")
logit_case("logit_case_weights_offset", "w", offset = TRUE)
logit_case("logit_frequency_weights", "wi")

# ---------------------------------------------------------------------------
# Cox
# ---------------------------------------------------------------------------
suppressPackageStartupMessages(library(survival))
lung <- survival::lung
j <- seq_len(nrow(lung))
cox_data <- data.frame(time = lung$time, status = lung$status - 1, inst = lung$inst, age = lung$age,
                       sex = lung$sex, ph_ecog = lung$ph.ecog,
                       w = 0.4 + ((j * 29) %% 17) / 8, o = 0.05 * ((j * 7) %% 5))
cox_data$w[5] <- NA
cox_data$w[9] <- 0
write.csv(cox_data, file.path(OUT, "lung_weighted.csv"), row.names = FALSE, na = "", quote = FALSE)

cox_case <- function(name, ties, offset = FALSE, cluster = FALSE) {
  d <- cox_data[!is.na(cox_data$w) & cox_data$w > 0, ]
  f <- if (offset) Surv(time, status) ~ age + sex + ph_ecog + offset(o) else Surv(time, status) ~ age + sex + ph_ecog
  ctrl <- coxph.control(eps = 1e-12, iter.max = 50, toler.chol = 1e-14)
  fit <- if (cluster) coxph(f, data = d, weights = w, cluster = inst, ties = ties, control = ctrl)
         else coxph(f, data = d, weights = w, ties = ties, control = ctrl)
  used <- nrow(model.frame(fit))
  # coxph 3.5-3 makes the variance robust (each row its own cluster) when weights are not whole
  # numbers ("has.rwt"), and keeps the model-based one as naive.var.
  naive <- if (!is.null(fit$naive.var)) fit$naive.var else fit$var
  lines <- c(
    "{",
    sprintf('  "case": "%s",', name),
    sprintf('  "ties": "%s",', ties),
    sprintf('  "offset": %s,', if (offset) '"o"' else "null"),
    sprintf('  "cluster": %s,', if (cluster) '"inst"' else "null"),
    sprintf('  "n": %d,', used),
    sprintf('  "nDropped": %d,', nrow(cox_data) - used),
    sprintf('  "nEvents": %d,', fit$nevent),
    sprintf('  "weightSum": %s,', json_num(sum(d$w[!is.na(d$ph_ecog) & (!cluster | !is.na(d$inst))]))),
    sprintf('  "terms": %s,', str_arr(names(coef(fit)))),
    sprintf('  "coefficients": %s,', arr(unname(coef(fit)))),
    sprintf('  "stdErrors": %s,', arr(sqrt(diag(fit$var)))),
    sprintf('  "naiveStdErrors": %s,', arr(sqrt(diag(naive)))),
    sprintf('  "nullLogLikelihood": %s,', json_num(fit$loglik[1])),
    sprintf('  "logLikelihood": %s,', json_num(fit$loglik[2])),
    sprintf('  "lrTest": %s', json_num(2 * (fit$loglik[2] - fit$loglik[1]))),
    "}")
  writeLines(lines, file.path(OUT, paste0(name, ".json")))
}

cox_case("cox_weights_efron", "efron")
cox_case("cox_weights_breslow", "breslow")
cox_case("cox_weights_offset", "efron", offset = TRUE)
cox_case("cox_weights_cluster", "efron", cluster = TRUE)
