# The derive suite's data.table peer: the derived variables of Benchmarks/make_derive_data.py's codebook
# with fread, grouped aggregations (GForce where data.table has it) and fwrite.
#
#   Rscript datatable_derive.R DIR OUT.csv [THREADS]
#
# THREADS: "default" (data.table's own choice, getDTthreads(): half the logical CPUs, so 1 on the 2-core
# machine) or a number given to setDTthreads(). Writes OUT.csv: the patient table's columns, then one
# column a derived variable in the codebook's order, one row a patient in patients.csv order, missing as
# an empty field. Semantics as peers/pandas_derive.py (and cohort derive): windows inclusive, missing values
# ignored, first/last by day then file order, auc over per-day means by the trapezoid rule (missing with
# fewer than two days), the ISTH score per patient-day from each component's most abnormal value that day.
suppressPackageStartupMessages(library(data.table))
args <- commandArgs(trailingOnly = TRUE)
folder <- args[1]
out <- args[2]
threads <- if (length(args) >= 3) args[3] else "default"
if (threads != "default") setDTthreads(as.integer(threads))

labcols <- c("platelets", "fibrinogen", "ddimer_xuln", "pt_prol", "antithrombin")
patients <- fread(file.path(folder, "patients.csv"), colClasses = list(character = c("patient_id", "sex")))
labs <- fread(file.path(folder, "labs.csv"), colClasses = list(character = "patient_id", integer = "day", numeric = labcols))
# The patient row number of each draw; day order within a patient, file order within a day (setorder is stable).
labs[, p := match(patient_id, patients$patient_id)]
labs[, patient_id := NULL]
setorder(labs, p, day)
n <- nrow(patients)
res <- data.table(p = seq_len(n))

# Adds the columns of `agg` (keyed by p) to res; patients without a row get `fill`.
put <- function(agg, fill = NA) {
  cols <- setdiff(names(agg), "p")
  res[agg, on = "p", (cols) := mget(paste0("i.", cols))]
  if (!is.na(fill)) for (col in cols) set(res, which(is.na(res[[col]])), col, fill)
}

w <- labs[day >= 0L & day <= 28L]
put(labs[day >= -2L & day <= 0L & !is.na(platelets), .(plt_baseline = last(platelets)), by = p])
put(w[!is.na(platelets), .(plt_nadir = min(platelets), plt_first = first(platelets), plt_count = .N), by = p])
set(res, which(is.na(res$plt_count)), "plt_count", 0L)
put(unique(w[platelets < 50, .(p, day)])[, .(plt_days_below50 = .N), by = p], 0L)

# auc: per-day means, then the trapezoid between consecutive days of a patient.
daily <- w[!is.na(platelets), .(v = mean(platelets)), by = .(p, day)]
daily[, `:=`(d0 = shift(day), v0 = shift(v)), by = p]
put(daily[, .(plt_auc = if (.N >= 2L) sum((day - d0) * (v + v0) / 2, na.rm = TRUE) else NA_real_), by = p])

put(w[!is.na(fibrinogen), .(fib_min = min(fibrinogen), fib_mean = mean(fibrinogen)), by = p])
put(w[fibrinogen < 1.5, .(fib_low_onset = min(day)), by = p])
put(w[!is.na(ddimer_xuln), .(ddimer_peak = max(ddimer_xuln)), by = p])
put(w[!is.na(pt_prol), .(pt_peak = max(pt_prol)), by = p])
put(w[!is.na(antithrombin), .(at_last = last(antithrombin)), by = p])

# ISTH overt-DIC score per patient-day from the day's most abnormal value of each component.
day_parts <- suppressWarnings(w[, .(plt = min(platelets, na.rm = TRUE), dd = max(ddimer_xuln, na.rm = TRUE),
                   pt = max(pt_prol, na.rm = TRUE), fib = min(fibrinogen, na.rm = TRUE)), by = .(p, day)])
# GForce min/max with na.rm give +-Inf on a day without a value: that day has no score.
day_parts <- day_parts[is.finite(plt) & is.finite(dd) & is.finite(pt) & is.finite(fib)]
day_parts[, score := fifelse(plt < 50, 2L, fifelse(plt < 100, 1L, 0L)) +
                     fifelse(dd > 4, 3L, fifelse(dd >= 2, 2L, 0L)) +
                     fifelse(pt >= 6, 2L, fifelse(pt >= 3, 1L, 0L)) + fifelse(fib < 1.0, 1L, 0L)]
put(day_parts[, .(isth_max = max(score)), by = p])
put(day_parts[score >= 5L, .(isth_onset = min(day)), by = p])

res[, p := NULL]
fwrite(cbind(patients, res), out, na = "")
