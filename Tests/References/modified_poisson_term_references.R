#!/usr/bin/env Rscript
# Reference values for the term test of the modified Poisson model (issue 16: `cohort logbinomial`'s
# fallback, Zou 2004), where the LR test does not apply: the robust Wald chi-square of all of a
# term's columns, b' V[term, term]^-1 b, with V the HC0 sandwich of the Poisson working model.
# sandwich is not installable here (no Debian r-cran-sandwich), so its vcovHC(type = "HC0") for a
# glm is written out from its published formula (Zeileis 2006): V = B M B with the bread
# B = (X' diag(mu) X)^-1 and the meat M = sum_i (y_i - mu_i)^2 x_i x_i' (Poisson, log link).
# Data: Tests/Fixtures/offsets/birthwt_offset.csv (offset_references.R); model
#   glm(low ~ age + race + smoke, family = poisson)  (race: three levels, two columns)
# Writes Tests/Fixtures/glm/references/modified_poisson_terms.json: terms, estimates, robust SEs and,
# per term, the Wald chi-square, df and P.
# Run from the repository root:  Rscript Tests/References/modified_poisson_term_references.R

options(digits = 17)
d <- read.csv(file.path("Tests", "Fixtures", "offsets", "birthwt_offset.csv"))
d$race <- factor(d$race)  # levels black, other, white: black the reference, as CohortKit's default
fit <- glm(low ~ age + race + smoke, family = poisson, data = d, control = glm.control(epsilon = 1e-15, maxit = 100))
X <- model.matrix(fit)
mu <- fitted(fit)
bread <- solve(crossprod(X, X * mu))
meat <- crossprod(X * (d$low - mu))
V <- bread %*% meat %*% bread
b <- coef(fit)
assign <- attr(X, "assign")
labels <- attr(terms(fit), "term.labels")
wald <- sapply(seq_along(labels), function(k) {
  j <- which(assign == k)
  as.numeric(t(b[j]) %*% solve(V[j, j, drop = FALSE]) %*% b[j])
})
df <- sapply(seq_along(labels), function(k) sum(assign == k))
num <- function(x) paste0("[", paste(formatC(x, digits = 17, format = "g"), collapse = ", "), "]")
str <- function(x) paste0("[", paste0('"', x, '"', collapse = ", "), "]")
terms <- sub("^race(black|other|white)$", "race[\\1]", names(b))
writeLines(c("{",
  sprintf('  "terms": %s,', str(terms)),
  sprintf('  "estimate": %s,', num(unname(b))),
  sprintf('  "stdError": %s,', num(sqrt(diag(V)))),
  sprintf('  "termNames": %s,', str(labels)),
  sprintf('  "termChiSquare": %s,', num(wald)),
  sprintf('  "termDF": [%s],', paste(df, collapse = ", ")),
  sprintf('  "termP": %s', num(pchisq(wald, df, lower.tail = FALSE))),
  "}"), file.path("Tests", "Fixtures", "glm", "references", "modified_poisson_terms.json"))
