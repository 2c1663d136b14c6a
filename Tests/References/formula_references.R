# Issue 16, model formulas: reference values for logistic and Cox models written as R formulas
# (interactions, factors, restricted cubic splines, log() and I()), the term likelihood-ratio tests
# (drop1) and Harrell's default spline knots, on SIMULATED data only (seeded below; no real patients).
#
# Writes Tests/Fixtures/formula/cohort.csv (the data), references.json (fits) and knots.json.
# Run from the repository root:  Rscript Tests/References/formula_references.R
#
# Tools (Debian bookworm): R 4.2.2 (stats::glm, drop1), r-cran-survival (coxph), r-cran-rms 6.5-0
# (rcs) and r-cran-hmisc (rcspline.eval, the knots rms uses).
suppressMessages({ library(rms); library(survival); library(jsonlite) })
out <- "Tests/Fixtures/formula"
dir.create(out, showWarnings = FALSE, recursive = TRUE)

set.seed(20261203)
n <- 300
age <- round(runif(n, 15, 45))
lwt <- round(rnorm(n, 130, 30))
race <- sample(c("white", "black", "other"), n, replace = TRUE, prob = c(.5, .2, .3))
smoke <- rbinom(n, 1, .4)
ldh <- round(exp(rnorm(n, log(250), .4)))
eta <- -1 + .03 * (age - 30) + .8 * smoke - .02 * (lwt - 130) + .0004 * pmax(lwt - 140, 0)^2 / 10 +
  .5 * (race == "black") + .3 * (race == "other") + .04 * smoke * (age - 30) + .6 * log(ldh / 250)
low <- rbinom(n, 1, plogis(eta))
time <- round(rexp(n, exp(eta - 4)) * 10 + 1)
censor <- round(runif(n, 20, 400))
status <- ifelse(time <= censor, "event", "censored")
time <- pmin(time, censor)
centre <- paste0("c", (seq_len(n) %% 12) + 1)   # no draws for these three: the other columns stay as they were
w <- (seq_len(n) * 7) %% 4                       # frequency weights 0..3
lexp <- log(seq_len(n) %% 5 + 1) / 2             # an offset
d <- data.frame(low, age, lwt, race, smoke, ldh, time, status, centre, w, lexp, stringsAsFactors = FALSE)
d$lwt[c(7, 50, 123, 250, 299)] <- NA
d$ldh[c(12, 88, 201)] <- NA
write.csv(d, file.path(out, "cohort.csv"), row.names = FALSE, na = "")

tight <- glm.control(epsilon = 1e-14, maxit = 100)

# Our column names from R's: rcs(x, k)x' -> x', factor(level) -> factor[level].
our_name <- function(r, factors) {
  r <- ifelse(startsWith(r, "rcs("), sub("^.*\\)", "", r), r)
  for (f in factors) {
    for (lv in c("white", "black", "other")) r <- gsub(paste0("\\b", f, lv, "\\b"), paste0(f, "[", lv, "]"), r)
  }
  r
}

logistic_case <- function(name, formula, r_formula, data, reference = NULL, at = NULL) {
  if (!is.null(reference)) data$race <- relevel(factor(data$race), ref = reference) else data$race <- factor(data$race)
  fit <- glm(r_formula, family = binomial, data = data, control = tight)
  s <- summary(fit)$coefficients
  d1 <- drop1(fit, test = "LRT")
  terms <- rownames(d1)[-1]
  # predict(se.fit = TRUE) on the link scale at given values, the CI formed there (plogis(fit ± z se)).
  predictions <- if (is.null(at)) list() else lapply(seq_len(nrow(at)), function(i) {
    nd <- at[i, , drop = FALSE]
    if ("race" %in% names(nd)) nd$race <- factor(nd$race, levels = levels(data$race))
    pr <- predict(fit, newdata = nd, type = "link", se.fit = TRUE)
    z <- qnorm(0.975)
    list(at = lapply(as.list(at[i, , drop = FALSE]), as.character), eta = unname(pr$fit), se = unname(pr$se.fit),
         risk = plogis(unname(pr$fit)), lower = plogis(unname(pr$fit - z * pr$se.fit)), upper = plogis(unname(pr$fit + z * pr$se.fit)))
  })
  list(name = name, formula = formula, reference = if (is.null(reference)) NULL else reference,
       n = nobs(fit), dropped = nrow(data) - nobs(fit), deviance = deviance(fit), null_deviance = fit$null.deviance,
       coefficients = lapply(seq_len(nrow(s)), function(i) list(
         r_name = rownames(s)[i], name = our_name(rownames(s)[i], "race"),
         estimate = s[i, 1], se = s[i, 2])),
       drop1 = lapply(terms, function(t) list(term = t, df = d1[t, "Df"], chisq = d1[t, "LRT"], p = d1[t, "Pr(>Chi)"])),
       predictions = predictions,
       # Every fitted row: its line in cohort.csv (header = line 1), predict(se.fit = TRUE) on the link scale.
       rows = if (is.null(at)) NULL else {
         pr <- predict(fit, type = "link", se.fit = TRUE)
         list(line = as.integer(names(pr$fit)) + 1L, eta = unname(pr$fit), se = unname(pr$se.fit))
       })
}

cases <- list(
  logistic_case("interaction_spline", "low ~ age * smoke + race + rcs(lwt, 4)",
                low ~ age * smoke + race + rcs(lwt, 4), d,
                at = data.frame(age = c(30, 22), smoke = c(1, 0), race = c("white", "other"), lwt = c(120, 190), stringsAsFactors = FALSE)),
  logistic_case("factor_interaction_transforms", "low ~ smoke * race + log(ldh) + I(age^2)",
                low ~ smoke * race + log(ldh) + I(age^2), d, reference = "white",
                at = data.frame(smoke = 1, race = "black", ldh = 310, age = 41, stringsAsFactors = FALSE)),
  logistic_case("given_knots_numeric_interaction", "low ~ rcs(age, 3) + rcs(lwt, c(100, 120, 140, 170)) + age:lwt",
                low ~ rcs(age, 3) + rcs(lwt, c(100, 120, 140, 170)) + age:lwt, d)
)

# Cox: the same kinds of terms, Efron ties (coxph's default).
dc <- d
dc$race <- factor(dc$race)
cox <- coxph(Surv(time, status == "event") ~ age * smoke + race + rcs(lwt, 4), data = dc, ties = "efron",
             control = coxph.control(eps = 1e-12, toler.chol = 1e-15, iter.max = 100))
cs <- summary(cox)$coefficients
# Whole-term tests: LR tests of refits without the term (what drop1 computes; survival has no
# drop1 method for coxph, so the reduced models are fitted here, on the full model's complete cases);
# robust Wald tests b' V^-1 b with
# cluster = centre.
cox_lr <- function(reduced) {
  r <- coxph(reduced, data = dc[!is.na(dc$lwt), ], ties = "efron",  # the full model's rows
             control = coxph.control(eps = 1e-12, toler.chol = 1e-15, iter.max = 100))
  chisq <- 2 * (cox$loglik[2] - r$loglik[2])
  df <- length(coef(cox)) - length(coef(r))
  list(df = df, chisq = chisq, p = pchisq(chisq, df, lower.tail = FALSE))
}
cd1 <- list(race = cox_lr(Surv(time, status == "event") ~ age * smoke + rcs(lwt, 4)),
            `rcs(lwt, 4)` = cox_lr(Surv(time, status == "event") ~ age * smoke + race))
cox_cl <- coxph(Surv(time, status == "event") ~ age * smoke + race + rcs(lwt, 4), data = dc, ties = "efron", cluster = centre,
                control = coxph.control(eps = 1e-12, toler.chol = 1e-15, iter.max = 100))
robust_wald <- function(fit, pattern) {
  j <- grep(pattern, names(coef(fit)))
  b <- coef(fit)[j]
  chisq <- as.numeric(t(b) %*% solve(vcov(fit)[j, j]) %*% b)
  list(chisq = chisq, df = length(j), p = pchisq(chisq, length(j), lower.tail = FALSE))
}
cox_case <- list(name = "cox_interaction_spline", formula = "~ age * smoke + race + rcs(lwt, 4)", n = cox$n,
                 loglik = cox$loglik[2],
                 drop1 = lapply(names(cd1), function(t) c(list(term = t), cd1[[t]])),
                 robust = list(list(term = "race", test = robust_wald(cox_cl, "^race")), list(term = "rcs(lwt, 4)", test = robust_wald(cox_cl, "^rcs"))),
                 coefficients = lapply(seq_len(nrow(cs)), function(i) list(
                   r_name = rownames(cs)[i], name = our_name(rownames(cs)[i], "race"), estimate = cs[i, "coef"], se = cs[i, "se(coef)"])))

# Frequency weights and an offset: glm(weights = w, offset = lexp) by maximum likelihood, and Firth's
# penalised likelihood by brglm2 (type "AS_mean", which is Firth's for the logit link) with the same
# prior weights and offset.
suppressMessages(library(brglm2))
dw <- d
dw$race <- factor(dw$race)
weighted_case <- function(name, method) {
  f <- low ~ age + smoke + race + offset(lexp)
  fit <- if (method == "ml") glm(f, family = binomial, data = dw, weights = w, control = tight)
         else glm(f, family = binomial, data = dw, weights = w, method = "brglmFit", type = "AS_mean", epsilon = 1e-12, maxit = 500)
  s <- summary(fit)$coefficients
  list(name = name, method = method, n_rows = sum(dw$w > 0), n_weighted = sum(dw$w), deviance = deviance(fit),
       null_deviance = if (method == "ml") fit$null.deviance else NULL,
       coefficients = lapply(seq_len(nrow(s)), function(i) list(name = our_name(rownames(s)[i], "race"), estimate = s[i, 1], se = s[i, 2])))
}
weighted <- list(weighted_case("weights_offset_ml", "ml"), weighted_case("weights_offset_firth", "firth"))

# The other regressions with a formula: lm and glm(poisson) with log(time) as the offset.
glm_formula_case <- function(name, command, formula, fit, terms) {
  s <- summary(fit)$coefficients
  # Whole-term tests of the multi-column terms: drop1's F test (lm) and LR test (glm), same rows.
  d1 <- drop1(fit, test = if (command == "linear") "F" else "LRT")
  tests <- lapply(terms, function(t) list(term = t, df = d1[t, "Df"],
                                          statistic = if (command == "linear") d1[t, "F value"] else d1[t, "LRT"],
                                          p = if (command == "linear") d1[t, "Pr(>F)"] else d1[t, "Pr(>Chi)"]))
  list(name = name, command = command, formula = formula, deviance = deviance(fit), term_tests = tests,
       coefficients = lapply(seq_len(nrow(s)), function(i) list(name = our_name(rownames(s)[i], "race"), estimate = s[i, 1], se = s[i, 2])))
}
dg <- d
dg$race <- factor(dg$race)
other_models <- list(
  glm_formula_case("linear", "linear", "ldh ~ age * smoke + race + rcs(lwt, 4)", lm(ldh ~ age * smoke + race + rcs(lwt, 4), data = dg),
                   c("race", "rcs(lwt, 4)")),
  glm_formula_case("poisson", "poisson", "low ~ age * smoke + rcs(lwt, 4)",
                   glm(low ~ age * smoke + rcs(lwt, 4) + offset(log(time)), family = poisson, data = dg, control = tight),
                   c("rcs(lwt, 4)"))
)

# The robust Wald test of a whole term (cohort linear --robust hc3): b' V⁻¹ b with V from
# sandwich::vcovHC(type = "HC3") over the term's columns.
suppressMessages(library(sandwich))
lm_fit <- lm(ldh ~ age * smoke + race + rcs(lwt, 4), data = dg)
V <- vcovHC(lm_fit, type = "HC3")
robust_linear <- lapply(list(c("race", "^race"), c("rcs(lwt, 4)", "^rcs")), function(t) {
  j <- grep(t[2], names(coef(lm_fit)))
  b <- coef(lm_fit)[j]
  chisq <- as.numeric(t(b) %*% solve(V[j, j]) %*% b)
  list(term = t[1], df = length(j), statistic = chisq, p = pchisq(chisq, length(j), lower.tail = FALSE))
})

writeLines(toJSON(list(logistic = cases, cox = cox_case, weighted = weighted, other_models = other_models, robust_linear = robust_linear), auto_unbox = TRUE, digits = I(17), pretty = TRUE, null = "null"),
           file.path(out, "references.json"))

# Knots by Hmisc::rcspline.eval(knots.only = TRUE), the function rms::rcs calls.
set.seed(7)
samples <- list(
  large = round(rnorm(250, 130, 30), 1),
  small = round(rnorm(40, 50, 10), 2),
  tied_low = c(rep(0, 60), round(rexp(140, 1 / 20), 1)),
  tied_both = c(rep(0, 30), round(runif(150, 1, 99)), rep(100, 20)),
  few_distinct = c(1, 2, 2, 3, 3, 3, 4, 4, 5, 6)
)
knots <- list()
for (s in names(samples)) for (k in 3:7) {
  kn <- tryCatch(suppressWarnings(rcspline.eval(samples[[s]], nk = k, knots.only = TRUE)), error = function(e) NULL)
  if (!is.null(kn)) knots[[length(knots) + 1]] <- list(sample = s, k = k, knots = as.numeric(kn))
}
basis <- rcspline.eval(c(80, 110, 130.5, 150, 210), knots = c(100, 120, 140, 170), inclx = TRUE)
writeLines(toJSON(list(samples = samples, knots = knots,
                       basis = list(x = c(80, 110, 130.5, 150, 210), knots = c(100, 120, 140, 170), values = unname(basis))),
                  auto_unbox = TRUE, digits = I(17), pretty = TRUE), file.path(out, "knots.json"))
cat("wrote", out, "\n")

# Marginal standardisation (g-computation) of the interaction_spline model over smoke (0/1) and race
# (3 levels): each complete case's risk predicted with the exposure set to each level, averaged;
# differences and ratios against the reference (smoke 0, race black). The same on three resamples of
# the complete cases (indices drawn here with set.seed, 0-based in the JSON), each refitted: the
# toolkit's bootstrap statistic given the same rows must return the same values. A resample keeps
# the fit's design (the knots of the full data, as rms::bootcov and validate keep the design matrix),
# so the knots are fixed here rather than placed again on each resample.
lwt_knots <- rcspline.eval(d$lwt[!is.na(d$lwt)], nk = 4, knots.only = TRUE)
ds <- d[complete.cases(d[, c("low", "age", "smoke", "race", "lwt")]), ]
ds$race <- factor(ds$race)
standardize <- function(data, exposure, levels) {
  fit <- glm(low ~ age * smoke + race + rcs(lwt, lwt_knots), family = binomial, data = data, control = tight)
  risks <- sapply(levels, function(l) {
    nd <- data
    nd[[exposure]] <- if (is.factor(data[[exposure]])) factor(l, levels = levels(data[[exposure]])) else as.numeric(l)
    mean(predict(fit, newdata = nd, type = "response"))
  })
  c(risks, risks[-1] - risks[1], risks[-1] / risks[1])
}
set.seed(99)
resamples <- lapply(1:3, function(i) sample.int(nrow(ds), nrow(ds), replace = TRUE))
std_cases <- lapply(list(list(exposure = "smoke", levels = c("0", "1")), list(exposure = "race", levels = c("black", "other", "white"))), function(s) {
  list(exposure = s$exposure, levels = s$levels, estimates = unname(standardize(ds, s$exposure, s$levels)),
       resamples = lapply(resamples, function(idx) list(rows = idx - 1, estimates = unname(standardize(ds[idx, ], s$exposure, s$levels)))))
})
writeLines(toJSON(list(formula = "low ~ age * smoke + race + rcs(lwt, 4)", cases = std_cases), auto_unbox = TRUE, digits = I(17), pretty = FALSE),
           file.path(out, "standardization.json"))
