#!/usr/bin/env Rscript
# References for `cohort describe --by` and `cohort compare` on measurements and trends: what a
# statistician would compute in R 4.2.2 on the same fixture files. Writes
# Tests/Fixtures/descriptive/commands.json.
#   describe: Tests/Fixtures/logistic/data/cohort127.csv by icans_high, each measurement's mean, sd,
#             quantile(type = 7) and wilcox.test(x ~ icans_high) P (normal approximation with
#             continuity correction: ties and n >= 50), and fisher.test(bleed, icans_high) P;
#   compare:  the same file, wilcox.test(plt ~ bleed), wilcox.test(age ~ bleed) P and W; Welch
#             t.test(age ~ bleed) t, df and P; Tests/Fixtures/codebook/cohort.csv, bleeding within
#             28 days by ICANS grade, prop.trend.test with the grades as scores (events and totals
#             tabulated here from the raw columns, not from the toolkit).
options(warn = 1)
num <- function(x) sprintf("%.17g", x)
d <- read.csv("Tests/Fixtures/logistic/data/cohort127.csv")
groups <- sort(unique(d$icans_high))
measure <- function(name) {
  by_group <- lapply(groups, function(g) d[[name]][d$icans_high == g])
  summaries <- lapply(c(list(d[[name]]), by_group), function(x) {
    q <- quantile(x, c(0.25, 0.5, 0.75), type = 7, names = FALSE)
    sprintf('{"n": %d, "mean": %s, "sd": %s, "q1": %s, "median": %s, "q3": %s, "min": %s, "max": %s}',
            length(x), num(mean(x)), num(sd(x)), num(q[1]), num(q[2]), num(q[3]), num(min(x)), num(max(x)))
  })
  test <- suppressWarnings(wilcox.test(as.formula(paste(name, "~ icans_high")), data = d))
  sprintf('    "%s": {"summaries": [%s], "p": %s, "W": %s}', name, paste(summaries, collapse = ", "),
          num(test$p.value), num(test$statistic))
}
fisher <- fisher.test(table(d$bleed, d$icans_high))$p.value
w_plt <- suppressWarnings(wilcox.test(plt ~ bleed, data = d))
w_age <- suppressWarnings(wilcox.test(age ~ bleed, data = d))
t_age <- t.test(age ~ bleed, data = d)

f <- read.csv("Tests/Fixtures/codebook/cohort.csv", check.names = FALSE)
bleed28 <- !is.na(f[["Bleeding day"]]) & f[["Bleeding day"]] >= 0 & f[["Bleeding day"]] <= 28
grades <- sort(unique(f[["ICANS grade"]]))
events <- sapply(grades, function(g) sum(bleed28[f[["ICANS grade"]] == g]))
totals <- sapply(grades, function(g) sum(f[["ICANS grade"]] == g))
trend <- suppressWarnings(prop.trend.test(events, totals, score = grades))

out <- c("{",
  '  "describe": {',
  paste0(paste(sapply(c("plt", "age", "ldh"), measure), collapse = ",\n"), ","),
  sprintf('    "bleed": {"p": %s}', num(fisher)),
  "  },",
  sprintf('  "compare": {"plt": {"p": %s, "W": %s}, "age": {"p": %s, "W": %s}, "age_welch": {"t": %s, "df": %s, "p": %s}},',
          num(w_plt$p.value), num(w_plt$statistic), num(w_age$p.value), num(w_age$statistic),
          num(t_age$statistic), num(t_age$parameter), num(t_age$p.value)),
  sprintf('  "trend": {"events": [%s], "totals": [%s], "statistic": %s, "p": %s}',
          paste(events, collapse = ", "), paste(totals, collapse = ", "), num(trend$statistic), num(trend$p.value)),
  "}")
writeLines(out, "Tests/Fixtures/descriptive/commands.json")
