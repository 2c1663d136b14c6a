#!/usr/bin/env Rscript
# Reference values for CohortKit's cluster-robust standard errors (issue 17, `--cluster COL`):
# Sources/CohortStats/Regression/ClusterRobust.swift.
# Writes Tests/Fixtures/cluster/{birthwt.csv, petersen.csv, references.json}.
#
# Data: public datasets only.
#   birthwt   MASS::birthwt (189 births), with a deterministic "centre": C01..C15 from
#             (7 * row) mod 15, and the centre missing on rows 5, 50 and 150 (those rows are dropped
#             by the fits below, as CohortKit drops a row missing its cluster).
#   petersen  sandwich::PetersenCL (5000 firm-years, 500 firms; Petersen 2009), cluster = firm.
# Fits and the covariance each records (sandwich 3.0-2, vcovCL's defaults, stated in `type`):
#   logit     glm(low ~ age + lwt + smoke + ht, binomial) on birthwt, vcovCL(fit, cluster = ~centre):
#             type HC0 with cadjust = TRUE, i.e. G/(G-1) * B M B, no (n-1)/(n-k) factor.
#   poisson   glm(ftv ~ age + smoke, poisson) on birthwt, vcovCL(fit, cluster = ~centre): HC0 as above.
#   linear    lm(y ~ x) on PetersenCL, vcovCL(fit, cluster = ~firm): type HC1 (vcovCL's default for
#             an lm), i.e. G/(G-1) * (n-1)/(n-k) * B M B.
#   linear_birthwt  lm(bwt ~ age + lwt + smoke) on birthwt, vcovCL(fit, cluster = ~centre): HC1.
# Each records the coefficients, the robust SEs and covariance (column-major), n and G. Checked here:
# vcovCL's default equals vcovCL(type = ..., cadjust = TRUE) with the type stated.
#
# Versions: R 4.2.2, sandwich 3.0-2, MASS 7.3. JSON by hand with %.17g.
# Run from the repository root:  Rscript Tests/References/cluster_references.R
suppressMessages({ library(MASS); library(sandwich); library(survival) })
out <- "Tests/Fixtures/cluster"
dir.create(out, showWarnings = FALSE, recursive = TRUE)
num <- function(x) if (is.na(x)) "null" else sprintf("%.17g", x)
vec <- function(x) paste0("[", paste(vapply(x, num, ""), collapse = ", "), "]")

bw <- MASS::birthwt
n <- nrow(bw)
bw$centre <- sprintf("C%02d", (7 * seq_len(n)) %% 15 + 1)
bw$centre[c(5, 50, 150)] <- NA
write.csv(bw[, c("low", "age", "lwt", "race", "smoke", "ht", "ftv", "bwt", "centre")], file.path(out, "birthwt.csv"),
          row.names = FALSE, quote = FALSE, na = "")
data("PetersenCL", package = "sandwich")
pe <- PetersenCL
write.csv(data.frame(firm = pe$firm, year = pe$year, x = sprintf("%.17g", pe$x), y = sprintf("%.17g", pe$y)),
          file.path(out, "petersen.csv"), row.names = FALSE, quote = FALSE)

entry <- function(name, fit, cluster, type) {
  v <- vcovCL(fit, cluster = cluster)
  stopifnot(isTRUE(all.equal(v, vcovCL(fit, cluster = cluster, type = type, cadjust = TRUE))))
  sprintf("  \"%s\": {\"type\": \"%s\", \"n\": %d, \"clusters\": %d, \"terms\": [%s],\n    \"coefficients\": %s,\n    \"se\": %s,\n    \"covariance\": %s}",
          name, type, nobs(fit), length(unique(cluster)),
          paste0("\"", names(coef(fit)), "\"", collapse = ", "), vec(coef(fit)), vec(sqrt(diag(v))), vec(as.vector(v)))
}
bwc <- bw[!is.na(bw$centre), ]
# glm's working weights and residuals (vcovCL's bread and estfun) are those of the iterate before the
# last, so at glm's default epsilon they are ~1e-6 off the converged fit (1e-8 at epsilon = 1e-15,
# measured). Each fit is run to epsilon = 1e-15 and then refitted from its converged coefficients
# (start =), so that its weights are the converged ones: the estimator at the MLE, which CohortKit computes.
tight <- glm.control(epsilon = 1e-15, maxit = 100)
converged <- function(formula, family) {
  first <- glm(formula, family = family, data = bwc, control = tight)
  glm(formula, family = family, data = bwc, control = tight, start = coef(first))
}
logit <- converged(low ~ age + lwt + smoke + ht, binomial)
pois <- converged(ftv ~ age + smoke, poisson)
lin <- lm(y ~ x, data = pe)
linb <- lm(bwt ~ age + lwt + smoke, data = bwc)
entries <- c(entry("logit", logit, bwc$centre, "HC0"), entry("poisson", pois, bwc$centre, "HC0"),
             entry("linear", lin, pe$firm, "HC1"), entry("linear_birthwt", linb, bwc$centre, "HC1"))

# Per-level fits (`--by`, issue 17): one glm per race of birthwt (all 189 rows) and one coxph per ECOG
# score of survival::lung (status recoded 0 censored / 1 dead; ph.ecog missing on 1 row, which is dropped; the single patient with
# ph.ecog 3 cannot be fitted). Coefficients and model-based SEs of each level.
lung <- survival::lung
write.csv(data.frame(time = lung$time, status = lung$status - 1, age = lung$age, sex = lung$sex, ph_ecog = lung$ph.ecog),
          file.path(out, "lung.csv"), row.names = FALSE, quote = FALSE, na = "")
bylevel <- function(fits) paste(vapply(names(fits), function(level) {
  f <- fits[[level]]
  sprintf("{\"level\": \"%s\", \"n\": %d, \"events\": %d, \"terms\": [%s], \"coefficients\": %s, \"se\": %s}", level, f$n, f$events,
          paste0("\"", names(coef(f$fit)), "\"", collapse = ", "), vec(coef(f$fit)), vec(sqrt(diag(vcov(f$fit)))))
}, ""), collapse = ",\n    ")
logits <- lapply(split(bw, bw$race), function(d) {
  fit <- glm(low ~ age + lwt, family = binomial, data = d, control = tight)
  fit <- glm(low ~ age + lwt, family = binomial, data = d, control = tight, start = coef(fit))
  list(fit = fit, n = nrow(d), events = sum(d$low))
})
coxes <- lapply(split(lung, lung$ph.ecog)[c("0", "1", "2")], function(d) {
  fit <- coxph(Surv(time, status == 2) ~ age + sex, data = d, control = coxph.control(eps = 1e-12, toler.chol = 1e-14, iter.max = 100))
  list(fit = fit, n = fit$n, events = fit$nevent)
})
entries <- c(entries, sprintf("  \"by_logit_race\": [\n    %s]", bylevel(logits)), sprintf("  \"by_cox_ecog\": [\n    %s]", bylevel(coxes)))
writeLines(c("{", paste(entries, collapse = ",\n"), "}"), file.path(out, "references.json"))
cat("cluster references written to", out, "\n")
