# Issue 15 data preparation, computed independently in R on the shipped SYNTHETIC
# Datasets/johnsrud2021/cohort.csv: z-scores (scale), cut points (cut, right = FALSE), natural logs,
# and the rows a filter keeps. Writes Tests/Fixtures/preparation/johnsrud_expected.csv, which
# PreparationTests compares with CohortKit's standardize, cut, log and --where.
#
#   Rscript Tests/References/preparation_references.R
invisible(Sys.setlocale("LC_ALL", "C"))
d <- read.csv("Datasets/johnsrud2021/cohort.csv", stringsAsFactors = FALSE, na.strings = c("", "NA"))
# scale(): centred by the mean, divided by the n - 1 standard deviation of the non-missing values.
z_age <- as.numeric(scale(d$age))
z_ldh <- as.numeric(scale(d$ldh))
# cut(right = FALSE): intervals [a, b); R's labels, as CohortKit's defaults.
ldh_group <- as.character(cut(d$ldh, breaks = c(0, 250, 500, Inf), right = FALSE))
log_ldh <- log(d$ldh)
# A row is kept where the condition is TRUE; NA (missing) is dropped, as dplyr::filter.
kept <- as.integer(d$age >= 50 & d$disease == "LBCL")
out <- data.frame(
  line = seq_len(nrow(d)) + 1L,
  z_age = sprintf("%.17g", z_age),
  z_ldh = ifelse(is.na(z_ldh), "", sprintf("%.17g", z_ldh)),
  ldh_group = ifelse(is.na(ldh_group), "", ldh_group),
  log_ldh = ifelse(is.na(log_ldh), "", sprintf("%.17g", log_ldh)),
  kept = ifelse(is.na(kept), "", kept)
)
dir.create("Tests/Fixtures/preparation", showWarnings = FALSE)
write.csv(out, "Tests/Fixtures/preparation/johnsrud_expected.csv", row.names = FALSE, quote = which(names(out) == "ldh_group"))
cat(sprintf("%s; %d rows, %d kept by age >= 50 & disease == \"LBCL\"\n", R.version.string, nrow(d), sum(kept, na.rm = TRUE)))
