# Peer for the pushdown suite (issue 17): rows read from PostgreSQL, then R glm, end to end.
#
#   Rscript r_pg_glm.R PORT DBNAME TABLE OUT.json
#
# RPostgreSQL (libpq) connects to 127.0.0.1:PORT as user cohort, dbGetQuery reads the model's columns of
# TABLE (all rows), factors are made with CohortKit's references (sex: F; risk: low, intermediate, high),
# then glm(y ~ age + ldh + sex + risk + treated, family = binomial) with glm's defaults
# (glm.control(epsilon = 1e-8)), summary() (Wald z tests) and confint.default() (Wald 95 % CIs), printed to
# standard output (the harness sends it to /dev/null). Writes OUT.json: the in-process seconds of the read
# and of glm() alone, the rows, the coefficients under CohortKit's names (sexM -> sex[M]) and the peak RSS.
args <- commandArgs(trailingOnly = TRUE)
suppressPackageStartupMessages(library(RPostgreSQL))
t0 <- proc.time()[["elapsed"]]
con <- dbConnect(PostgreSQL(), host = "127.0.0.1", port = as.integer(args[[1]]), user = "cohort", dbname = args[[2]])
d <- dbGetQuery(con, sprintf("SELECT y, age, ldh, sex, risk, treated FROM %s", args[[3]]))
invisible(dbDisconnect(con))
t1 <- proc.time()[["elapsed"]]
d$sex <- factor(d$sex, levels = c("F", "M"))
d$risk <- factor(d$risk, levels = c("low", "intermediate", "high"))
fit <- glm(y ~ age + ldh + sex + risk + treated, family = binomial, data = d)
t2 <- proc.time()[["elapsed"]]
s <- summary(fit)
ci <- confint.default(fit)
print(s)
print(cbind(odds_ratio = exp(coef(fit)), exp(ci), p_wald = coef(s)[, 4]))
hwm <- function() {
  line <- grep("^VmHWM:", readLines("/proc/self/status"), value = TRUE)
  as.numeric(strsplit(trimws(sub("VmHWM:", "", line)), " +")[[1]][1]) * 1024
}
coefs <- coef(fit)
ours <- sub("^sex(.*)$", "sex[\\1]", sub("^risk(.*)$", "risk[\\1]", names(coefs)))
json <- sprintf(paste0("{\"tool\": \"R %s.%s RPostgreSQL %s\", \"rows\": %d, \"read_seconds\": %.4f, ",
                       "\"fit_seconds\": %.4f, \"iterations\": %d, \"converged\": %s, \"coefficients\": {%s}, ",
                       "\"peak_rss_bytes\": %.0f}"),
                R.version$major, R.version$minor, as.character(packageVersion("RPostgreSQL")), nrow(d),
                t1 - t0, t2 - t1, fit$iter, tolower(as.character(fit$converged)),
                paste(sprintf("\"%s\": %.17g", ours, coefs), collapse = ", "), hwm())
writeLines(json, args[[4]])
