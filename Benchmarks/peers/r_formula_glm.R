# Peer for the formula suite: CSV file -> logistic model and its Wald table, end to end, written either as
# the formula with interactions and splines or as the same design's precomputed columns p1..p11.
#
#   Rscript r_formula_glm.R formula|plain FILE.csv OUT.jsonl
#
# formula: library(rms) (for rcs), data.table::fread (default threads), then
#          glm(y ~ age * smoke + race + rcs(lwt, 4) + rcs(ldh, 4), family = binomial): rms::rcs places
#          Harrell's default knots and builds the spline columns inside model.frame, as an R user would.
# plain:   data.table::fread, then glm(y ~ p1 + ... + p11, family = binomial) (rms is not loaded).
# Both: glm's defaults (glm.control(epsilon = 1e-8)); summary() (Wald z tests) and confint.default() (Wald
# 95 % CIs) with odds ratios, printed to standard output (the harness sends it to /dev/null). Appends one
# JSON line to OUT.jsonl (one a run, so the harness can take medians over hyperfine's runs): the in-process
# seconds of loading rms, of the read and of glm() alone (model frame, design and IRLS), the coefficients
# under CohortKit's names (rcs(lwt, 4)lwt' -> lwt', raceother -> race[other]; plain: p1..p11 mapped to the
# design's names), the iterations and the peak RSS (/proc/self/status VmHWM).
args <- commandArgs(trailingOnly = TRUE)
mode <- args[[1]]
t0 <- proc.time()[["elapsed"]]
suppressPackageStartupMessages(library(data.table))
if (mode == "formula") suppressPackageStartupMessages(library(rms))
t1 <- proc.time()[["elapsed"]]
dt <- fread(args[[2]])
t2 <- proc.time()[["elapsed"]]
design <- c("age", "smoke", "age:smoke", "race[other]", "race[white]", "lwt", "lwt'", "lwt''", "ldh", "ldh'", "ldh''")
if (mode == "formula") {
  fit <- glm(y ~ age * smoke + race + rcs(lwt, 4) + rcs(ldh, 4), family = binomial, data = dt)
  call <- "glm(y ~ age * smoke + race + rcs(lwt, 4) + rcs(ldh, 4), family = binomial)"
  ours <- names(coef(fit))
  ours <- ifelse(startsWith(ours, "rcs("), sub("^.*\\)", "", ours), ours)
  ours <- sub("^race(.*)$", "race[\\1]", ours)
} else if (mode == "plain") {
  fit <- glm(y ~ p1 + p2 + p3 + p4 + p5 + p6 + p7 + p8 + p9 + p10 + p11, family = binomial, data = dt)
  call <- "glm(y ~ p1 + ... + p11, family = binomial)"
  ours <- c("(Intercept)", design[as.integer(sub("^p", "", names(coef(fit))[-1]))])
} else {
  stop("mode must be formula or plain")
}
t3 <- proc.time()[["elapsed"]]
s <- summary(fit)
ci <- confint.default(fit)
print(s)
print(cbind(odds_ratio = exp(coef(fit)), exp(ci), p_wald = coef(s)[, 4]))
hwm <- function() {
  line <- grep("^VmHWM:", readLines("/proc/self/status"), value = TRUE)
  as.numeric(strsplit(trimws(sub("VmHWM:", "", line)), " +")[[1]][1]) * 1024
}
coefs <- coef(fit)
json <- sprintf(paste0("{\"tool\": \"R %s.%s data.table %s%s\", \"call\": \"%s\", \"rows\": %d, \"library_seconds\": %.4f, ",
                       "\"read_seconds\": %.4f, \"fit_seconds\": %.4f, \"iterations\": %d, \"converged\": %s, ",
                       "\"coefficients\": {%s}, \"peak_rss_bytes\": %.0f}"),
                R.version$major, R.version$minor, packageVersion("data.table"),
                if (mode == "formula") sprintf(" rms %s", packageVersion("rms")) else "", call, nobs(fit),
                t1 - t0, t2 - t1, t3 - t2, fit$iter, if (fit$converged) "true" else "false",
                paste(sprintf("\"%s\": %.17g", ours, coefs), collapse = ", "), hwm())
cat(json, "\n", sep = "", file = args[[3]], append = TRUE)
