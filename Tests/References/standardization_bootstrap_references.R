#!/usr/bin/env Rscript
# Reference values for the bootstrap of `--standardize` in `cohort linear`, `poisson` and
# `logbinomial` (issue 16: adjusted means, rates and risks by marginal standardisation with
# bootstrap CIs). The resamples are drawn here (set.seed(16), 40 resamples of the model's rows,
# written 1-based as resamples.csv); on each, R refits the model and standardises over the resample:
# each row predicted with the exposure set to each level, averaged (rate models: over Σ exp(offset)).
# CohortKit refits the same resamples (StandardizationBootstrapReferenceTests) and must give the
# same replicate values; its percentile endpoints are then a function of those replicates that is
# checked against boot.ci elsewhere (bootstrap_references.R).
# Data: Tests/Fixtures/offsets/birthwt_offset.csv (offset_references.R; MASS::birthwt, public).
#   linear   lm(bwt ~ age + race + smoke + ht), exposure race (three levels: black the reference)
#   poisson  glm(ptlike ~ age + smoke + race, poisson) with offset log(pt), exposure smoke; ptlike
#            and pt are made from the data deterministically: ptlike = low + ht, pt = 1 + (row mod 4)
#   logbin   glm(low ~ age + smoke + race, binomial(log)) started at the mean risk and restarted from
#            its estimate, exposure smoke; resamples whose maximum has a fitted risk of 1 are null
# Writes Tests/Fixtures/standardization/<case>.json: the estimates on all rows and the replicates
# (one array per resample: the levels' values, then differences and ratios against the reference).
# Run from the repository root:  Rscript Tests/References/standardization_bootstrap_references.R

options(digits = 17)
OUT <- file.path("Tests", "Fixtures", "standardization")
dir.create(OUT, recursive = TRUE, showWarnings = FALSE)
d <- read.csv(file.path("Tests", "Fixtures", "offsets", "birthwt_offset.csv"))
i <- seq_len(nrow(d))
d$ptlike <- d$low + d$ht
d$pt <- 1 + (i %% 4)
write.csv(d[, c("bwt", "low", "age", "race", "smoke", "ht", "ptlike", "pt")], file.path(OUT, "birthwt.csv"), row.names = FALSE, quote = FALSE)
d$race <- factor(d$race)  # black, other, white
n <- nrow(d)
set.seed(16)
B <- 40
resamples <- t(sapply(seq_len(B), function(b) sample.int(n, n, replace = TRUE)))
write.table(resamples, file.path(OUT, "resamples.csv"), sep = ",", row.names = FALSE, col.names = FALSE)

num <- function(x) paste0("[", paste(formatC(x, digits = 17, format = "g"), collapse = ", "), "]")

standardise <- function(fit, data, exposure, levels, rate = FALSE) {
  values <- sapply(levels, function(level) {
    cf <- data
    cf[[exposure]] <- if (is.factor(data[[exposure]])) factor(level, levels = levels(data[[exposure]])) else as.numeric(level)
    p <- predict(fit, newdata = cf, type = "response")
    if (rate) sum(p) / sum(cf$pt) else mean(p)
  })
  c(values, values[-1] - values[1], values[-1] / values[1])
}

run_case <- function(name, refit, exposure, levels, rate = FALSE) {
  full <- standardise(refit(d), d, exposure, levels, rate)
  # A resample whose refit fails in R (the log-binomial model can leave (0, 1), or reach a fitted
  # risk of 1) is written as null and not compared.
  reps <- lapply(seq_len(B), function(b) {
    r <- d[resamples[b, ], ]
    fit <- tryCatch(suppressWarnings(refit(r)), error = function(e) NULL)
    if (is.null(fit)) NULL else standardise(fit, r, exposure, levels, rate)
  })
  writeLines(c("{",
    sprintf('  "case": "%s",', name),
    sprintf('  "exposure": "%s",', exposure),
    sprintf('  "estimates": %s,', num(full)),
    sprintf('  "replicates": [%s]', paste(vapply(reps, function(x) if (is.null(x)) "null" else num(x), ""), collapse = ",\n    ")),
    "}"), file.path(OUT, paste0(name, ".json")))
}

ctrl <- glm.control(epsilon = 1e-15, maxit = 200)
run_case("linear", function(x) lm(bwt ~ age + race + smoke + ht, data = x), "race", c("black", "other", "white"))
run_case("poisson", function(x) glm(ptlike ~ age + smoke + race + offset(log(pt)), family = poisson, data = x, control = ctrl),
         "smoke", c("0", "1"), rate = TRUE)
run_case("logbinomial", function(x) {
  fit <- glm(low ~ age + smoke + race, family = binomial(link = "log"), data = x, control = ctrl, mustart = rep(mean(x$low), nrow(x)))
  for (k in 1:3) fit <- glm(low ~ age + smoke + race, family = binomial(link = "log"), data = x, control = ctrl, start = coef(fit))
  # A fitted risk at 1 is a maximum on the boundary, not an interior MLE: CohortKit's log-binomial
  # refit fails there (its rule: a fitted risk above 1 - 1e-8), so such a resample is not compared.
  stopifnot(fit$converged, max(fitted(fit)) < 1 - 1e-8)
  fit
}, "smoke", c("0", "1"))
