#!/usr/bin/env Rscript
# Reference for the event-days form of `cohort cuminc` (one day column per event type, the earliest
# counts, ties to the type listed first): bleeding with death as the competing event on the shipped
# synthetic Johnsrud 2021 reconstruction, by product, as a statistician would set it up for
# cmprsk::cuminc by hand. Writes Tests/Fixtures/survival/event_days.json.
options(warn = 1)
suppressPackageStartupMessages(library(cmprsk))
d <- read.csv("Datasets/johnsrud2021/cohort.csv")
b <- d$bleeding_day; de <- d$death_day
bleed_first <- !is.na(b) & (is.na(de) | b <= de)
time <- ifelse(bleed_first, b, ifelse(!is.na(de), de, d$last_followup_day))
status <- ifelse(bleed_first, 1, ifelse(!is.na(de), 2, 0))
fit <- cuminc(time, status, d$product)
days <- c(28, 90, 365)
tp <- timepoints(fit, days)
num <- function(x) sprintf("%.17g", x)
rows <- character(0)
for (name in rownames(tp$est)) {
  parts <- strsplit(name, " ")[[1]]
  group <- paste(parts[-length(parts)], collapse = " ")
  type <- c("bleeding", "death")[as.integer(parts[length(parts)])]
  for (j in seq_along(days)) {
    rows <- c(rows, sprintf('    {"group": "%s", "eventType": "%s", "day": %s, "estimate": %s, "variance": %s}',
                            group, type, num(days[j]), num(tp$est[name, j]), num(tp$var[name, j])))
  }
}
tests <- sprintf('    {"eventType": "%s", "statistic": %s, "p": %s, "df": %s}', c("bleeding", "death"),
                 num(fit$Tests[, "stat"]), num(fit$Tests[, "pv"]), num(fit$Tests[, "df"]))
writeLines(c("{", '  "estimates": [', paste(rows, collapse = ",\n"), "  ],", '  "tests": [', paste(tests, collapse = ",\n"), "  ]", "}"),
           "Tests/Fixtures/survival/event_days.json")
