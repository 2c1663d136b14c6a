# Issue 16, predictions of cohort linear, poisson and logbinomial (--at and --predict) against R:
# predict.lm(se.fit = TRUE, interval = "confidence") and predict.glm(type = "link", se.fit = TRUE)
# on public datasets shipped with R's MASS package:
#   birthwt.csv   MASS::birthwt (Hosmer & Lemeshow's low birth weight study), race coded as text;
#   insurance.csv MASS::Insurance (claims of car insurance policy holders), factors as text (District D1-D4).
# Writes Tests/Fixtures/glm/predictions/{birthwt,insurance}.csv and references.json.
# Run from the repository root: Rscript Tests/References/glm_prediction_references.R
# Tools: R 4.2.2 (stats::lm, glm, predict), MASS, rms 6.5-0 (rcs), jsonlite.
suppressMessages({ library(MASS); library(rms); library(jsonlite) })
invisible(Sys.setlocale("LC_COLLATE", "C"))
out <- "Tests/Fixtures/glm/predictions"
dir.create(out, showWarnings = FALSE, recursive = TRUE)

bw <- MASS::birthwt
bw$race <- c("white", "black", "other")[bw$race]
bw <- bw[, c("low", "age", "lwt", "race", "smoke", "ptl", "ht", "ui", "ftv", "bwt")]
write.csv(bw, file.path(out, "birthwt.csv"), row.names = FALSE)
ins <- MASS::Insurance
ins <- data.frame(District = paste0("D", ins$District),   # text, so both read it as a factor
                   Group = as.character(ins$Group), Age = as.character(ins$Age),
                  Holders = ins$Holders, Claims = ins$Claims, stringsAsFactors = FALSE)
write.csv(ins, file.path(out, "insurance.csv"), row.names = FALSE)

d <- read.csv(file.path(out, "birthwt.csv"), stringsAsFactors = TRUE)
di <- read.csv(file.path(out, "insurance.csv"), stringsAsFactors = TRUE)
tight <- glm.control(epsilon = 1e-14, maxit = 100)

# One prediction a row of newdata: the linear predictor, its SE, the fitted value and the CI formed
# on the link scale with quantile q (t on the residual df for lm, z for a GLM), back-transformed.
rows_of <- function(fit, newdata, linkinv, q) {
  pr <- predict(fit, newdata = newdata, type = if (inherits(fit, "glm")) "link" else "response", se.fit = TRUE)
  lapply(seq_len(nrow(newdata)), function(i) {
    list(at = lapply(as.list(newdata[i, , drop = FALSE]), as.character),
         eta = unname(pr$fit[i]), se = unname(pr$se.fit[i]), fitted = linkinv(unname(pr$fit[i])),
         lower = linkinv(unname(pr$fit[i] - q * pr$se.fit[i])), upper = linkinv(unname(pr$fit[i] + q * pr$se.fit[i])))
  })
}
every_row <- function(fit) {
  pr <- predict(fit, type = if (inherits(fit, "glm")) "link" else "response", se.fit = TRUE)
  list(line = as.integer(names(pr$fit)) + 1L, eta = unname(pr$fit), se = unname(pr$se.fit))
}

# Linear: bwt ~ age * smoke + race + rcs(lwt, 4); predict.lm's interval = "confidence" checked equal
# to fit ± qt(0.975, df)·se.
lin <- lm(bwt ~ age * smoke + race + rcs(lwt, 4), data = d)
nd <- data.frame(age = c(25, 19), smoke = c(1, 0), race = factor(c("white", "black"), levels = levels(d$race)), lwt = c(120, 160))
ci <- predict(lin, newdata = nd, interval = "confidence")
linear <- list(formula = "bwt ~ age * smoke + race + rcs(lwt, 4)", df = lin$df.residual,
               predictions = rows_of(lin, nd, identity, qt(0.975, lin$df.residual)),
               interval_check = list(lower = unname(ci[, "lwr"]), upper = unname(ci[, "upr"])), rows = every_row(lin))

# Poisson: claims with log(Holders) as the offset. predict.glm(newdata) evaluates offset(log(Holders))
# in newdata: Holders = 1 is the rate per policy holder, Holders = 500 the expected claims of 500.
poi <- glm(Claims ~ District + Group + Age + offset(log(Holders)), family = poisson, data = di, control = tight)
ndp <- data.frame(District = factor(c("D1", "D4", "D2"), levels = levels(di$District)), Group = factor(c("<1l", ">2l", "1-1.5l"), levels = levels(di$Group)),
                  Age = factor(c(">35", "<25", "25-29"), levels = levels(di$Age)), Holders = c(1, 1, 500))
poisson <- list(formula = "Claims ~ District + Group + Age", exposure = "Holders",
                predictions = rows_of(poi, ndp, exp, qnorm(0.975)), rows = every_row(poi))

# Log-binomial: risk of low birth weight, binomial(link = "log").
lb <- glm(low ~ smoke + race + ui, family = binomial(link = "log"), data = d, control = tight, start = c(log(mean(d$low)), 0, 0, 0, 0))
ndl <- data.frame(smoke = c(1, 0), race = factor(c("black", "white"), levels = levels(d$race)), ui = c(0, 1))
logbinomial <- list(formula = "low ~ smoke + race + ui", converged = lb$converged,
                    predictions = rows_of(lb, ndl, exp, qnorm(0.975)), rows = every_row(lb))

# Marginal standardisation (g-computation), written here from its definition: each fitted row
# predicted with the exposure set to each level (the other covariates as observed), averaged; for
# the Poisson model with offset log(Holders), the expected claims over the total Holders (the rate
# per holder). Differences and ratios against the first (reference) level.
standardised <- function(fit, data, exposure, levels, value = function(mu, data) mean(mu)) {
  used <- data[rownames(model.frame(fit)), ]
  v <- sapply(levels, function(L) {
    nd <- used
    nd[[exposure]] <- if (is.factor(used[[exposure]])) factor(L, levels = levels(used[[exposure]])) else as.numeric(L)
    value(predict(fit, newdata = nd, type = "response"), nd)
  })
  list(exposure = exposure, levels = levels, values = I(unname(v)), differences = I(unname(v[-1] - v[1])), ratios = I(unname(v[-1] / v[1])))
}
lb2 <- glm(low ~ smoke + race, family = binomial(link = "log"), data = d, control = tight, start = c(log(mean(d$low)), 0, 0, 0))
standardisation <- list(
  linear = c(list(formula = "bwt ~ age * smoke + race + rcs(lwt, 4)"), standardised(lin, d, "race", levels(d$race))),
  poisson = c(list(formula = "Claims ~ District + Group + Age", exposure_column = "Holders"),
              standardised(poi, di, "District", levels(di$District), function(mu, nd) sum(mu) / sum(nd$Holders))),
  logbinomial = c(list(formula = "low ~ smoke + race", converged = lb2$converged), standardised(lb2, d, "smoke", c("0", "1"))))

writeLines(toJSON(list(linear = linear, poisson = poisson, logbinomial = logbinomial, standardisation = standardisation), auto_unbox = TRUE, digits = NA, pretty = TRUE),
           file.path(out, "references.json"))
cat("wrote", out, "\n")
