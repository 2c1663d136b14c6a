# Peer for the reader benchmark: data.table::fread with its defaults (default threads).
#
#   Rscript fread_read.R FILE.csv [REPEATS]
#
# Times fread(FILE) REPEATS times (default 5) in this process and prints one JSON line in cohort-bench's
# shape: tool, call, rows, columns, times, median, peak_rss_bytes (VmHWM of this process), plus
# getDTthreads(), the data.table version and the column classes fread chose. The previous table is
# dropped and gc() run before each read (outside the timing), so the peak holds one table at a time.
# JSON written by hand (no jsonlite).
suppressPackageStartupMessages(library(data.table))
args <- commandArgs(trailingOnly = TRUE)
path <- args[[1]]
repeats <- if (length(args) >= 2) as.integer(args[[2]]) else 5L

proc_status_bytes <- function(field) {
  lines <- readLines("/proc/self/status")
  line <- lines[startsWith(lines, paste0(field, ":"))]
  if (length(line) == 0) return(NA_real_)
  as.numeric(strsplit(trimws(sub(paste0(field, ":"), "", line)), "[[:space:]]+")[[1]][1]) * 1024
}

rss_start <- proc_status_bytes("VmRSS")
times <- numeric(repeats)
dt <- NULL
for (r in seq_len(repeats)) {
  dt <- NULL
  invisible(gc())
  start <- proc.time()[["elapsed"]]
  dt <- fread(path)
  times[r] <- proc.time()[["elapsed"]] - start
}
classes <- table(vapply(dt, function(x) class(x)[1], ""))
num <- function(x) sprintf("%.15g", x)
cat(sprintf(paste0('{"tool":"data.table","call":"data.table::fread","version":"%s","threads":%d,',
                   '"rows":%d,"columns":%d,"times":[%s],"median":%s,"peak_rss_bytes":%s,"rss_start_bytes":%s,',
                   '"column_types":{%s}}\n'),
            as.character(packageVersion("data.table")), getDTthreads(), nrow(dt), ncol(dt),
            paste(num(times), collapse = ","), num(median(times)),
            num(proc_status_bytes("VmHWM")), num(rss_start),
            paste(sprintf('"%s":%d', names(classes), as.integer(classes)), collapse = ",")))
