# R glm reference for the PostgreSQL tests (issue 17): the logistic model the tests fit inside the
# database, on the same rows (Tests/Fixtures/postgres/cohort.csv), fitted by R's glm to full
# convergence (epsilon 1e-14). Standard errors are recomputed from the information at R's final
# estimates (R's own use the weights of the iteration before its last).
# Writes Tests/Fixtures/postgres/glm_reference.csv. Run from the repository root.
d <- read.csv("Tests/Fixtures/postgres/cohort.csv", stringsAsFactors = FALSE)
d <- d[complete.cases(d[, c("bleeding", "age", "ldh", "sex", "disease", "icans_high")]), ]
d$sex <- relevel(factor(d$sex), ref = "F")
d$disease <- factor(d$disease, levels = c("LBCL", "B-ALL", "MCL"))
fit <- glm(bleeding ~ age + ldh + sex + disease + icans_high, family = binomial, data = d,
           control = glm.control(epsilon = 1e-14, maxit = 100))
X <- model.matrix(fit)
mu <- fitted(fit)
info <- crossprod(X * sqrt(mu * (1 - mu)))
se <- sqrt(diag(solve(info)))
terms <- sub("^sex", "sex[", sub("^disease", "disease[", names(coef(fit))))
terms <- ifelse(grepl("\\[", terms), paste0(terms, "]"), terms)
out <- data.frame(term = terms, estimate = sprintf("%.17g", coef(fit)), std_error = sprintf("%.17g", se))
out <- rbind(out, data.frame(term = "deviance", estimate = sprintf("%.17g", deviance(fit)), std_error = ""),
             data.frame(term = "n", estimate = as.character(nrow(d)), std_error = ""))
write.csv(out, "Tests/Fixtures/postgres/glm_reference.csv", row.names = FALSE, quote = FALSE)
