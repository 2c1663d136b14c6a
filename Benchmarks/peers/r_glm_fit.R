# Peer for the in-memory fit benchmark: R's glm.fit (and glm with a formula).
#
#   Rscript r_glm_fit.R FILE.bin P REPEATS MODE
#
# MODE "glm.fit": times glm.fit(X, y, family = binomial()) on an n x (P+1) matrix with the intercept
#                 column first (the same design CohortKit and statsmodels get).
# MODE "glm":     times glm(y ~ ., data = df, family = binomial) on a data.frame of y, x1..xP
#                 (model.frame + model.matrix + glm.fit + the glm object).
# The .bin (Benchmarks/make_data.py: little-endian float64 column blocks y, x1..xP) is read one column
# at a time with readBin, outside the timing. Prints one JSON line, written by hand (no jsonlite).

args <- commandArgs(trailingOnly = TRUE)
path <- args[[1]]
p <- as.integer(args[[2]])
repeats <- if (length(args) >= 3) as.integer(args[[3]]) else 5L
mode <- if (length(args) >= 4) args[[4]] else "glm.fit"

proc_status_bytes <- function(field) {
  lines <- readLines("/proc/self/status")
  line <- lines[startsWith(lines, paste0(field, ":"))]
  if (length(line) == 0) return(NA_real_)
  as.numeric(strsplit(trimws(sub(paste0(field, ":"), "", line)), "[[:space:]]+")[[1]][1]) * 1024
}

rss_start <- proc_status_bytes("VmRSS")
t0 <- proc.time()[["elapsed"]]
n <- file.size(path) %/% ((p + 1) * 8)
con <- file(path, "rb")
y <- readBin(con, "double", n = n, size = 8, endian = "little")
if (mode == "glm.fit") {
  X <- matrix(1, nrow = n, ncol = p + 1, dimnames = list(NULL, c("(Intercept)", paste0("x", seq_len(p)))))
  for (j in seq_len(p)) X[, j + 1] <- readBin(con, "double", n = n, size = 8, endian = "little")
} else {
  df <- list(y = y)
  for (j in seq_len(p)) df[[paste0("x", j)]] <- readBin(con, "double", n = n, size = 8, endian = "little")
  df <- as.data.frame(df)
}
close(con)
load_seconds <- proc.time()[["elapsed"]] - t0
invisible(gc())
rss_before_fit <- proc_status_bytes("VmRSS")

times <- numeric(repeats)
fit <- NULL
for (r in seq_len(repeats)) {
  fit <- NULL
  start <- proc.time()[["elapsed"]]
  if (mode == "glm.fit") {
    fit <- glm.fit(X, y, family = binomial())
  } else {
    fit <- glm(y ~ ., data = df, family = binomial)
  }
  times[r] <- proc.time()[["elapsed"]] - start
}

coefficients <- unname(coef(fit))
if (mode == "glm.fit") {
  # SEs as summary.glm computes them: from the R factor of the last IRLS QR.
  Rinv <- chol2inv(fit$qr$qr[seq_len(fit$rank), seq_len(fit$rank), drop = FALSE])
  ses <- rep(NA_real_, length(coefficients))
  ses[fit$qr$pivot[seq_len(fit$rank)]] <- sqrt(diag(Rinv))
  loglik <- -fit$deviance / 2
} else {
  ses <- unname(sqrt(diag(vcov(fit))))
  loglik <- as.numeric(logLik(fit))
}

num <- function(x) ifelse(is.finite(x), sprintf("%.17g", x), "null")
vec <- function(x) paste0("[", paste(num(x), collapse = ","), "]")
call <- if (mode == "glm.fit") "glm.fit(X, y, family = binomial())" else "glm(y ~ ., data = df, family = binomial)"
cat(sprintf(paste0(
  '{"tool":"R %s","call":"%s","version":"%s","blas":"%s","n":%d,"p":%d,"repeats":%d,"times":%s,',
  '"median":%s,"load_seconds":%s,"iterations":%d,"converged":%s,"loglik":%s,"coefficients":%s,',
  '"standard_errors":%s,"rss_start_bytes":%s,"rss_before_fit_bytes":%s,"peak_rss_bytes":%s,"design_bytes":%s}\n'),
  mode, call, paste(R.version$major, R.version$minor, sep = "."), basename(extSoftVersion()[["BLAS"]]),
  n, p, repeats, vec(times), num(median(times)), num(load_seconds), as.integer(fit$iter),
  if (isTRUE(fit$converged)) "true" else "false", num(loglik), vec(coefficients), vec(ses),
  num(rss_start), num(rss_before_fit), num(proc_status_bytes("VmHWM")), num(as.numeric(n) * (p + 1) * 8)))
