#!/usr/bin/env Rscript
# Reference values for offsets in `cohort linear` and `cohort logbinomial` (issue 16: "frequency
# weights and case weights; offsets").
#
# Data: MASS::birthwt written as Tests/Fixtures/offsets/birthwt_offset.csv with race as text
# (white/black/other) and columns made here, deterministically (no random numbers):
#   olin  an lm offset in grams, 2 * (lwt - 130); row 4 missing (dropped, as lm's na.action)
#   olog  a log-risk offset, -0.01 * (age - 23)
#   w     a case weight 0.5 + ((row * 13) mod 7) / 4
# Fits
#   lm(bwt ~ age + race + smoke + ht, offset = olin[, weights = w])
#   glm(low ~ age + smoke + race, family = binomial(link = "log"), offset = olog)  (converges inside (0, 1))
# and writes Tests/Fixtures/offsets/<case>.json: terms (CohortKit's names: race[other]), estimate,
# stdError, statistic, p, the fit's summaries (lm: RSS, sigma, R², adjusted R², F, logLik, AIC;
# glm: deviance and null deviance, whose null model keeps the offset), drop1 term tests of race
# (lm: F test, glm: LRT), and predictions at two sets of values, one giving the offset a value and
# one leaving it out (R's predict(newdata) with the offset 0), with se.fit and the confidence limits
# (lm: t-based, interval = "confidence"; glm: exp(eta ± z·se) of type = "link").
# Run from the repository root:  Rscript Tests/References/offset_references.R

options(warn = 1, digits = 17)
suppressPackageStartupMessages(library(MASS))
OUT <- file.path("Tests", "Fixtures", "offsets")
dir.create(OUT, recursive = TRUE, showWarnings = FALSE)

json_num <- function(x) ifelse(is.na(x), "null", formatC(x, digits = 17, format = "g"))
arr <- function(x) paste0("[", paste(json_num(x), collapse = ", "), "]")
str_arr <- function(x) paste0("[", paste0('"', x, '"', collapse = ", "), "]")

bw <- MASS::birthwt
i <- seq_len(nrow(bw))
data <- data.frame(bwt = bw$bwt, low = bw$low, age = bw$age, lwt = bw$lwt,
                   race = c("white", "black", "other")[bw$race], smoke = bw$smoke, ht = bw$ht,
                   olin = 2 * (bw$lwt - 130), olog = -0.01 * (bw$age - 23),
                   w = 0.5 + ((i * 13) %% 7) / 4)
data$olin[4] <- NA
write.csv(data, file.path(OUT, "birthwt_offset.csv"), row.names = FALSE, na = "", quote = FALSE)
data$race <- factor(data$race)  # levels black, other, white (sorted): CohortKit's default reference

rename <- function(terms) sub("^race(black|other|white)$", "race[\\1]", terms)
# The two sets of values of --at: the first gives the offset, the second leaves it at 0.
at_sets <- function(offset) {
  d <- data.frame(age = c(25, 30), race = factor(c("white", "black"), levels = levels(data$race)), smoke = c(1, 0))
  if (offset == "olin") d$ht <- c(0, 1)
  d[[offset]] <- c(if (offset == "olin") 10 else 0.05, 0)
  d
}

linear_case <- function(name, weighted) {
  d <- data
  fit <- if (weighted) lm(bwt ~ age + race + smoke + ht, data = d, offset = olin, weights = w)
         else lm(bwt ~ age + race + smoke + ht, data = d, offset = olin)
  s <- summary(fit)
  cf <- coef(s)
  dr <- drop1(fit, test = "F")
  pr <- predict(fit, newdata = at_sets("olin"), se.fit = TRUE, interval = "confidence")
  lines <- c(
    "{",
    sprintf('  "case": "%s",', name),
    sprintf('  "weights": %s,', if (weighted) '"w"' else "null"),
    sprintf('  "n": %d,', nobs(fit)),
    sprintf('  "nDropped": %d,', nrow(d) - nobs(fit)),
    sprintf('  "terms": %s,', str_arr(rename(rownames(cf)))),
    sprintf('  "estimate": %s,', arr(cf[, 1])),
    sprintf('  "stdError": %s,', arr(cf[, 2])),
    sprintf('  "statistic": %s,', arr(cf[, 3])),
    sprintf('  "p": %s,', arr(cf[, 4])),
    sprintf('  "residualSumOfSquares": %s,', json_num(deviance(fit))),
    sprintf('  "sigma": %s,', json_num(s$sigma)),
    sprintf('  "rSquared": %s,', json_num(s$r.squared)),
    sprintf('  "adjustedRSquared": %s,', json_num(s$adj.r.squared)),
    sprintf('  "fStatistic": %s,', json_num(unname(s$fstatistic[1]))),
    sprintf('  "logLikelihood": %s,', json_num(as.numeric(logLik(fit)))),
    sprintf('  "aic": %s,', json_num(AIC(fit))),
    sprintf('  "raceF": %s,', json_num(dr["race", "F value"])),
    sprintf('  "predictionFit": %s,', arr(pr$fit[, "fit"])),
    sprintf('  "predictionStdError": %s,', arr(pr$se.fit)),
    sprintf('  "predictionLower": %s,', arr(pr$fit[, "lwr"])),
    sprintf('  "predictionUpper": %s', arr(pr$fit[, "upr"])),
    "}")
  writeLines(lines, file.path(OUT, paste0(name, ".json")))
}

linear_case("linear_offset", FALSE)
linear_case("linear_offset_weights", TRUE)

logbinomial_case <- function(name) {
  d <- data
  ctrl <- glm.control(epsilon = 1e-15, maxit = 200)
  # glm's default start leaves (0, 1) for the log link here ("no valid set of coefficients"):
  # start every mean at the overall risk (the maximum does not depend on it; checked below).
  mu0 <- rep(mean(d$low), nrow(d))
  fit <- glm(low ~ age + smoke + race, family = binomial(link = "log"), data = d, offset = olog, control = ctrl, mustart = mu0)
  # glm stops on the change in deviance; restarting from its estimate takes it to the maximum.
  for (k in 1:3) fit <- glm(low ~ age + smoke + race, family = binomial(link = "log"), data = d, offset = olog, control = ctrl, start = coef(fit))
  stopifnot(fit$converged, max(fitted(fit)) < 1)
  cf <- coef(summary(fit))
  # drop1's refit has no start either: the model without race refitted the same way.
  reduced <- glm(low ~ age + smoke, family = binomial(link = "log"), data = d, offset = olog, control = ctrl, mustart = mu0)
  for (k in 1:3) reduced <- glm(low ~ age + smoke, family = binomial(link = "log"), data = d, offset = olog, control = ctrl, start = coef(reduced))
  stopifnot(reduced$converged)
  nd <- at_sets("olog")
  pr <- predict(fit, newdata = nd, type = "link", se.fit = TRUE)
  z <- qnorm(0.975)
  lines <- c(
    "{",
    sprintf('  "case": "%s",', name),
    sprintf('  "n": %d,', nobs(fit)),
    sprintf('  "terms": %s,', str_arr(rename(rownames(cf)))),
    sprintf('  "estimate": %s,', arr(cf[, 1])),
    sprintf('  "stdError": %s,', arr(cf[, 2])),
    sprintf('  "statistic": %s,', arr(cf[, 3])),
    sprintf('  "p": %s,', arr(cf[, 4])),
    sprintf('  "deviance": %s,', json_num(deviance(fit))),
    sprintf('  "nullDeviance": %s,', json_num(fit$null.deviance)),
    sprintf('  "raceChiSquare": %s,', json_num(deviance(reduced) - deviance(fit))),
    sprintf('  "predictionFit": %s,', arr(exp(pr$fit))),
    sprintf('  "predictionStdError": %s,', arr(pr$se.fit)),
    sprintf('  "predictionLower": %s,', arr(exp(pr$fit - z * pr$se.fit))),
    sprintf('  "predictionUpper": %s', arr(exp(pr$fit + z * pr$se.fit))),
    "}")
  writeLines(lines, file.path(OUT, paste0(name, ".json")))
}

logbinomial_case("logbinomial_offset")
