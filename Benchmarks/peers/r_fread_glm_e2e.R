# Peer for the end-to-end benchmark: CSV file -> coefficient table with data.table::fread + glm.
#
#   Rscript r_fread_glm_e2e.R FILE.csv
#
# fread (default threads), glm(y ~ ., family = binomial), summary() (Wald z tests) and confint.default()
# (Wald 95 % CIs), with odds ratios, printed to standard output (the harness sends it to /dev/null).
# The whole process is what is timed.
suppressPackageStartupMessages(library(data.table))
args <- commandArgs(trailingOnly = TRUE)
dt <- fread(args[[1]])
fit <- glm(y ~ ., data = dt, family = binomial)
s <- summary(fit)
ci <- confint.default(fit)
print(s)
print(cbind(odds_ratio = exp(coef(fit)), exp(ci), p_wald = coef(s)[, 4]))
