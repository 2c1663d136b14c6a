# Peer for the cuminc suite: CSV file -> cumulative incidence at given days with cmprsk, end to end.
#
#   Rscript r_cuminc.R FILE.csv DAYS OUT.json
#
# data.table::fread (default threads), cmprsk::cuminc(time, status, group) (rho = 0: estimates,
# variances and Gray's test per cause) and timepoints(fit, DAYS). Prints the estimates (as a user would
# see them; the harness sends stdout to /dev/null) and writes one JSON line to OUT.json: the timings of
# the read and of cuminc + timepoints inside the process, the estimates and variances at each day per
# "group cause", Gray's test, and the peak RSS (/proc/self/status VmHWM).
suppressPackageStartupMessages({ library(data.table); library(cmprsk) })
args <- commandArgs(trailingOnly = TRUE)
days <- as.numeric(strsplit(args[[2]], ",")[[1]])
t0 <- proc.time()[["elapsed"]]
dt <- fread(args[[1]])
t1 <- proc.time()[["elapsed"]]
fit <- cuminc(dt$time, dt$status, dt$group)
tp <- timepoints(fit, days)
t2 <- proc.time()[["elapsed"]]
print(tp)
print(fit$Tests)
hwm <- function() {
  line <- grep("^VmHWM:", readLines("/proc/self/status"), value = TRUE)
  as.numeric(strsplit(trimws(sub("VmHWM:", "", line)), " +")[[1]][1]) * 1024
}
num <- function(x) ifelse(is.na(x), "null", sprintf("%.17g", x))
curve <- function(name) sprintf("\"%s\": {\"est\": [%s], \"var\": [%s]}", name,
                                paste(num(tp$est[name, ]), collapse = ", "), paste(num(tp$var[name, ]), collapse = ", "))
tests <- vapply(rownames(fit$Tests), function(k) sprintf("\"%s\": {\"stat\": %s, \"pv\": %s, \"df\": %s}", k,
                num(fit$Tests[k, "stat"]), num(fit$Tests[k, "pv"]), num(fit$Tests[k, "df"])), "")
json <- sprintf(paste0("{\"tool\": \"R %s.%s cmprsk %s data.table %s\", \"rows\": %d, \"read_seconds\": %.3f, ",
                       "\"cuminc_seconds\": %.3f, \"days\": [%s], \"curves\": {%s}, \"tests\": {%s}, \"peak_rss_bytes\": %.0f}"),
                R.version$major, R.version$minor, packageVersion("cmprsk"), packageVersion("data.table"), nrow(dt),
                t1 - t0, t2 - t1, paste(days, collapse = ", "),
                paste(vapply(rownames(tp$est), curve, ""), collapse = ", "), paste(tests, collapse = ", "), hwm())
writeLines(json, args[[3]])
