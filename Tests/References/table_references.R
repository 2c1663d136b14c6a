# Reference values for the issue 6 tables (event types, model diagnostics, events per variable) on
# Datasets/johnsrud2021/cohort.csv, computed with base R only. Writes
# Tests/Fixtures/tables/johnsrud_table_references.json by hand with %.17g.
# Run from the repository root: Rscript Tests/References/table_references.R
d <- read.csv("Datasets/johnsrud2021/cohort.csv")
# The codebook's derived columns: bleeding_any = event_within(bleeding_day, 0...3650),
# icans_high = at_least(icans_grade, 3).
d$bleeding_any <- as.integer(!is.na(d$bleeding_day) & d$bleeding_day >= 0 & d$bleeding_day <= 3650)
d$icans_high <- as.integer(d$icans_grade >= 3)
d$disease <- factor(d$disease, levels = c("LBCL", "B-ALL"))
f <- glm(bleeding_any ~ disease + icans_high, family = binomial, data = d)
events <- sum(d$bleeding_any)
p <- sum(!is.na(coef(f))) - 1
sites <- table(factor(d$bleeding_site[d$bleeding_site != ""],
                      levels = c("hematuria", "soft_tissue", "subdural", "gastrointestinal", "hemoptysis")))
out <- c("{",
  sprintf('  "n": %d,', nrow(d)),
  sprintf('  "events": %d,', events),
  sprintf('  "iterations": %d,', f$iter),
  sprintf('  "logLikelihood": %.17g,', as.numeric(logLik(f))),
  sprintf('  "aic": %.17g,', AIC(f)),
  sprintf('  "parameters": %d,', p),
  sprintf('  "eventsPerVariable": %.17g,', min(events, nrow(d) - events) / p),
  sprintf('  "bleedingSites": [%s],', paste(as.integer(sites), collapse = ", ")),
  sprintf('  "bleedingSitePercentOfEvents": [%s],', paste(sprintf("%.17g", 100 * as.integer(sites) / sum(sites)), collapse = ", ")),
  sprintf('  "bleedingSitePercentOfCohort": [%s]', paste(sprintf("%.17g", 100 * as.integer(sites) / nrow(d)), collapse = ", ")),
  "}")
writeLines(out, "Tests/Fixtures/tables/johnsrud_table_references.json")
