# Peer for the survival suite: CSV file -> fitted model and its printed summary, end to end.
#
#   Rscript r_survival.R cox|finegray FILE.csv COVARIATES OUT.jsonl
#
# cox:      data.table::fread (default threads), then
#           coxph(Surv(time, status == 1) ~ a + b + ..., ties = "efron"): the cause-specific Cox model of
#           event 1 (status 2 censors), coxph's defaults otherwise; print(summary(fit)).
# finegray: data.table::fread, then crr(time, status, cov1 = as.matrix(covariates), failcode = 1,
#           cencode = 0): the Fine-Gray model of event 1 with cmprsk's defaults; print(summary(fit)).
# The summary goes to stdout (the harness sends it to /dev/null). Appends one JSON line to OUT.jsonl (one
# line a run, so the harness can take the median over hyperfine's runs): the in-process times of the read
# and of the fit call alone (coxph() / crr(), which include the model frame and the variance), the
# coefficients, the iterations and the peak RSS (/proc/self/status VmHWM).
suppressPackageStartupMessages({ library(data.table); library(survival); library(cmprsk) })
args <- commandArgs(trailingOnly = TRUE)
model <- args[[1]]
covariates <- strsplit(args[[3]], ",")[[1]]
t0 <- proc.time()[["elapsed"]]
dt <- fread(args[[2]])
t1 <- proc.time()[["elapsed"]]
if (model == "cox") {
  formula <- as.formula(paste("Surv(time, status == 1) ~", paste(covariates, collapse = " + ")))
  fit <- coxph(formula, data = dt, ties = "efron")
  t2 <- proc.time()[["elapsed"]]
  coefs <- coef(fit)
  iterations <- fit$iter
  converged <- !isTRUE(fit$info[["convergence"]] > 0) && fit$iter < 20
  call <- sprintf("coxph(Surv(time, status == 1) ~ %s, ties = \\\"efron\\\")", paste(covariates, collapse = " + "))
  versions <- sprintf("survival %s", packageVersion("survival"))
} else if (model == "finegray") {
  fit <- crr(dt$time, dt$status, cov1 = as.matrix(dt[, covariates, with = FALSE]), failcode = 1, cencode = 0)
  t2 <- proc.time()[["elapsed"]]
  coefs <- fit$coef
  names(coefs) <- covariates
  iterations <- NA  # crr does not return its iteration count
  converged <- isTRUE(fit$converged)
  call <- "crr(ftime, fstatus, cov1 = as.matrix(covariates), failcode = 1, cencode = 0)"
  versions <- sprintf("cmprsk %s", packageVersion("cmprsk"))
} else {
  stop("model must be cox or finegray")
}
print(summary(fit))
hwm <- function() {
  line <- grep("^VmHWM:", readLines("/proc/self/status"), value = TRUE)
  as.numeric(strsplit(trimws(sub("VmHWM:", "", line)), " +")[[1]][1]) * 1024
}
num <- function(x) ifelse(is.na(x), "null", sprintf("%.17g", x))
json <- sprintf(paste0("{\"tool\": \"R %s.%s %s data.table %s\", \"call\": \"%s\", \"rows\": %d, \"read_seconds\": %.4f, ",
                       "\"fit_seconds\": %.4f, \"iterations\": %s, \"converged\": %s, \"coefficients\": {%s}, \"peak_rss_bytes\": %.0f}"),
                R.version$major, R.version$minor, versions, packageVersion("data.table"), call, nrow(dt),
                t1 - t0, t2 - t1, num(iterations), tolower(converged),
                paste(sprintf("\"%s\": %s", names(coefs), num(coefs)), collapse = ", "), hwm())
stopifnot(length(json) == 1)
cat(json, "\n", sep = "", file = args[[4]], append = TRUE)
