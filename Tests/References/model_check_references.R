# Issue 16, model checking of logistic regression: reference values for the C statistic with
# DeLong's interval (pROC), the Hosmer-Lemeshow test, the calibration intercept and slope and the
# Brier score (glm, rms::val.prob), on SIMULATED data only (seeded below; no real patients, no R
# datasets).
#
# Writes Tests/Fixtures/model_check/references.json, lowess.json (R's lowess, the calibration
# plot's smoother) and, for the cases fitted end to end, Tests/Fixtures/model_check/<case>.csv. Run from the repository root:
#   Rscript Tests/References/model_check_references.R
#
# Tools (Debian bookworm): R 4.2.2, r-cran-proc 1.18.0, r-cran-rms 6.5-0.
# ResourceSelection (hoslem.test) has no Debian package and is not installed: `hosmer_lemeshow`
# below evaluates its published formula (ResourceSelection 0.3-5, R/hoslem.test.R): cut points
# unique(quantile(p, seq(0, 1, 1/g))), cut(include.lowest = TRUE), the Pearson sum over both
# outcome columns, df = g - 2. Its P is taken from the upper tail (pchisq(lower.tail = FALSE));
# hoslem.test writes 1 - pchisq(...), equal to within 1e-16 absolute.
suppressMessages({ library(pROC); library(rms) })
source("Tests/References/logistic_json.R")

out_dir <- "Tests/Fixtures/model_check"
dir.create(out_dir, showWarnings = FALSE, recursive = TRUE)

hosmer_lemeshow <- function(y, p, g = 10) {
  qq <- unique(quantile(p, probs = seq(0, 1, 1/g)))
  groups <- cut(p, breaks = qq, include.lowest = TRUE)
  observed <- xtabs(cbind(y0 = 1 - y, y1 = y) ~ groups)
  expected <- xtabs(cbind(p0 = 1 - p, p1 = p) ~ groups)
  chisq <- sum((observed - expected)^2 / expected)
  list(statistic = chisq, df = g - 2, p = pchisq(chisq, g - 2, lower.tail = FALSE),
       groups = length(qq) - 1, sizes = as.vector(table(groups)), observed = as.vector(observed[, 2]))
}

tight <- glm.control(epsilon = 1e-14, maxit = 100)

# Every measure from the linear predictor eta and the outcome y.
measures <- function(eta, y, level = 0.95, g = 10) {
  p <- plogis(eta)
  r <- roc(y, eta, levels = c(0, 1), direction = "<", quiet = TRUE)
  ci <- as.vector(ci.auc(r, conf.level = level, method = "delong"))
  se <- sqrt(var(r, method = "delong"))
  # The Mann-Whitney probability by brute force (m x n comparisons), independent of pROC.
  x1 <- eta[y == 1]; x0 <- eta[y == 0]
  brute <- mean(outer(x1, x0, ">") + 0.5 * outer(x1, x0, "=="))
  hl <- hosmer_lemeshow(y, p, g)
  large <- glm(y ~ 1, offset = eta, family = binomial, control = tight)
  slope <- glm(y ~ eta, family = binomial, control = tight)
  vp <- val.prob(logit = eta, y = y, pl = FALSE)
  list(
    n = length(y), events = sum(y), level = level, groups_requested = g,
    auc = as.numeric(auc(r)), auc_bruteforce = brute, auc_se = se, auc_lower = ci[1], auc_upper = ci[3],
    hl_statistic = hl$statistic, hl_df = hl$df, hl_p = hl$p, hl_groups = hl$groups,
    hl_sizes = hl$sizes, hl_observed = hl$observed,
    calibration_intercept = unname(coef(large)[1]),
    calibration_slope = unname(coef(slope)[2]), recalibration_intercept = unname(coef(slope)[1]),
    brier = mean((p - y)^2),
    valprob_slope = unname(vp["Slope"]), valprob_intercept = unname(vp["Intercept"]),
    valprob_brier = unname(vp["Brier"]), valprob_c = unname(vp["C (ROC)"])
  )
}

cases <- list()
add_case <- function(name, eta, y, data_file = NULL, covariates = NULL, level = 0.95, g = 10) {
  m <- measures(eta, y, level, g)
  cases[[length(cases) + 1]] <<- list(name = name, data = data_file, covariates = covariates,
                                       eta = eta, y = y, m = m)
}

# 1. A fitted model: two continuous covariates (age in whole years: ties) and a binary one.
set.seed(20261601)
n <- 400
x1 <- round(rnorm(n), 3)
x2 <- rbinom(n, 1, 0.4)
age <- round(rnorm(n, 60, 10))
y <- rbinom(n, 1, plogis(-1 + 0.8 * x1 + 0.7 * x2 + 0.03 * (age - 60)))
d <- data.frame(y = y, x1 = x1, x2 = x2, age = age)
write.csv(d, file.path(out_dir, "fitted_mixed.csv"), row.names = FALSE, quote = FALSE)
f <- glm(y ~ x1 + x2 + age, data = d, family = binomial, control = tight)
add_case("fitted_mixed", unname(f$linear.predictors), y, "fitted_mixed.csv", c("x1", "x2", "age"))

# 2. A fitted model of categorical covariates only: six distinct fitted risks, so the deciles tie
#    and the Hosmer-Lemeshow groups collapse; the C statistic has heavy ties.
set.seed(20261602)
n <- 150
grp <- sample(c("A", "B", "C"), n, replace = TRUE, prob = c(0.5, 0.3, 0.2))
sex <- rbinom(n, 1, 0.5)
y <- rbinom(n, 1, plogis(-1.2 + 0.9 * (grp == "B") + 1.5 * (grp == "C") + 0.5 * sex))
d <- data.frame(y = y, grp = grp, sex = sex)
write.csv(d, file.path(out_dir, "fitted_categorical.csv"), row.names = FALSE, quote = FALSE)
f <- glm(y ~ grp + sex, data = d, family = binomial, control = tight)
add_case("fitted_categorical", unname(f$linear.predictors), y, "fitted_categorical.csv", c("grp", "sex"))

# 3. External validation: a model from elsewhere, too extreme and too high (slope below 1,
#    intercept below 0), its log-odds rounded to 0.01 (ties); 8 groups and a 90% interval.
set.seed(20261603)
n <- 250
x <- rnorm(n)
y <- rbinom(n, 1, plogis(-0.5 + x))
eta <- round(0.4 + 1.6 * x, 2)
add_case("external", eta, y, level = 0.90, g = 8)

# 4. Small, C near 1: the upper DeLong limit (1.03) capped at 1, as pROC caps it.
set.seed(20261604)
n <- 30
x <- round(rnorm(n), 1)
y <- as.numeric(x + rnorm(n, 0, 0.4) > 0.3)
add_case("small_capped", round(-1 + 4 * x, 6), y)

# 5. Three distinct risks only: two Hosmer-Lemeshow groups, C with heavy ties.
set.seed(20261605)
n <- 60
level3 <- sample(1:3, n, replace = TRUE)
y <- rbinom(n, 1, c(0.1, 0.3, 0.6)[level3])
add_case("three_values", c(-2, -0.5, 0.4)[level3], y)

# JSON, by hand (17 significant digits; see logistic_json.R): one object a case, each given as
# its "key": value lines, written after the `header` lines.
jarr <- function(v) paste0("[", paste(vapply(v, jnum, ""), collapse = ", "), "]")
jintarr <- function(v) paste0("[", paste(vapply(v, jint, ""), collapse = ", "), "]")
write_cases <- function(path, header, case_fields) {
  lines <- c("{", header, "  \"cases\": [")
  for (i in seq_along(case_fields)) {
    fields <- case_fields[[i]]
    lines <- c(lines, "    {", paste0("      ", fields, c(rep(",", length(fields) - 1), "")),
               if (i < length(case_fields)) "    }," else "    }")
  }
  lines <- c(lines, "  ]", "}")
  con <- file(path, open = "wb")
  writeLines(lines, con, sep = "\n")
  close(con)
}
write_cases(file.path(out_dir, "references.json"),
            sprintf("  \"tool\": %s,", jstr(sprintf("R %s; pROC %s; rms %s", getRversion(),
                                                   packageVersion("pROC"), packageVersion("rms")))),
            lapply(cases, function(cs) {
              m <- cs$m
              c(sprintf("\"name\": %s", jstr(cs$name)),
                sprintf("\"data\": %s", if (is.null(cs$data)) "null" else jstr(cs$data)),
                sprintf("\"covariates\": %s", jstrarr(cs$covariates)),
                sprintf("\"eta\": %s", jarr(cs$eta)),
                sprintf("\"y\": %s", jintarr(cs$y)),
                vapply(names(m), function(k) {
                  v <- m[[k]]
                  sprintf("%s: %s", jstr(k), if (k %in% c("hl_sizes", "hl_observed")) jintarr(v)
                          else if (length(v) > 1) jarr(v) else jnum(v))
                }, ""))
            }))
cat("wrote", length(cases), "cases to", file.path(out_dir, "references.json"), "\n")

# lowess (stats, C clowess): the smoother of the calibration plot. Simulated points with tied x,
# R's defaults (f = 2/3, iter = 3), the calibration plot's call (iter = 0, as rms::val.prob), a
# small span, a 0/1 outcome against fitted risks, and a zero delta.
set.seed(20261606)
n <- 120
x <- round(runif(n, 0, 10), 1)
y <- sin(x) + rnorm(n, 0, 0.4)
y[c(7, 50)] <- y[c(7, 50)] + 5   # outliers, for the robustness passes
risk <- plogis(cases[[1]]$eta)
smooths <- list(
  list(name = "defaults", x = x, y = y, f = 2/3, iter = 3L, delta = NULL),
  list(name = "no_robustness", x = x, y = y, f = 2/3, iter = 0L, delta = NULL),
  list(name = "small_span", x = x, y = y, f = 0.2, iter = 3L, delta = NULL),
  list(name = "zero_delta", x = x, y = y, f = 0.5, iter = 2L, delta = 0),
  list(name = "binary_outcome", x = risk, y = cases[[1]]$y, f = 2/3, iter = 0L, delta = NULL)
)
write_cases(file.path(out_dir, "lowess.json"), character(0), lapply(smooths, function(sm) {
  fit <- if (is.null(sm$delta)) lowess(sm$x, sm$y, f = sm$f, iter = sm$iter) else
    lowess(sm$x, sm$y, f = sm$f, iter = sm$iter, delta = sm$delta)
  c(sprintf("\"name\": %s", jstr(sm$name)), sprintf("\"f\": %s", jnum(sm$f)),
    sprintf("\"iter\": %d", sm$iter), sprintf("\"delta\": %s", if (is.null(sm$delta)) "null" else jnum(sm$delta)),
    sprintf("\"x\": %s", jarr(sm$x)), sprintf("\"y\": %s", jarr(sm$y)),
    sprintf("\"sorted_x\": %s", jarr(fit$x)), sprintf("\"fitted\": %s", jarr(fit$y)))
}))
cat("wrote", length(smooths), "lowess cases\n")
