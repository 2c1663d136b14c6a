# Peer for the bootstrap benchmark: the same B Firth refits with R's brglm2.
#
#   Rscript r_brglm_bootstrap.R refits FILE.csv INDICES.txt REPEATS COEFS_OUT
#   Rscript r_brglm_bootstrap.R e2e FILE.csv B
#
# MODE "refits": reads the cohort CSV and CohortKit's resamples (INDICES.txt: 1-based row numbers, one
#   resample a line, written by `cohort-bench bootstrap --indices-out`) outside the timing, then times
#   a loop of brglm2::brglmFit(X[i, ], y[i], family = binomial("logit"), control = list(type = "AS_mean"))
#   over every resample (Firth's bias reduction = the Jeffreys-prior penalty for the logit link),
#   REPEATS times; prints one JSON line (times, median) and writes each resample's coefficients to
#   COEFS_OUT (one line each) so that the harness can check both tools fitted the same models.
# MODE "e2e": the whole task a user would run in R, timed from the process's start by the harness:
#   read.csv, glm(..., method = brglm2::brglmFit, type = "AS_mean"), boot::boot(R = B) refitting
#   each resample with brglmFit, and boot.ci(type = "bca") for every odds ratio. Prints the intervals.
# Model: bleed ~ plt + icans_high + age (the Firth golden test's covariates). JSON by hand.
suppressPackageStartupMessages({ library(brglm2); library(boot) })
args <- commandArgs(trailingOnly = TRUE)
mode <- args[[1]]
d <- read.csv(args[[2]])
X <- cbind("(Intercept)" = 1, plt = d$plt, icans_high = d$icans_high, age = d$age)
y <- d$bleed
refit <- function(rows) brglmFit(X[rows, , drop = FALSE], y[rows], family = binomial("logit"),
                                 control = list(type = "AS_mean"))$coefficients

if (mode == "refits") {
  indices <- lapply(strsplit(readLines(args[[3]]), " ", fixed = TRUE), as.integer)
  repeats <- as.integer(args[[4]])
  times <- numeric(repeats)
  for (r in seq_len(repeats)) {
    start <- proc.time()[["elapsed"]]
    coefs <- lapply(indices, refit)
    times[r] <- proc.time()[["elapsed"]] - start
  }
  writeLines(vapply(coefs, function(b) paste(sprintf("%.17g", b), collapse = " "), ""), args[[5]])
  cat(sprintf('{"tool":"R brglm2","call":"brglmFit(X[i,], y[i], family = binomial(\\"logit\\"), control = list(type = \\"AS_mean\\")) in a loop","replicates":%d,"repeats":%d,"times":[%s],"median":%.6f,"brglm2":"%s"}\n',
              length(indices), repeats, paste(sprintf("%.6f", times), collapse = ","), median(times),
              as.character(packageVersion("brglm2"))))
} else if (mode == "e2e") {
  B <- as.integer(args[[3]])
  fit <- glm(bleed ~ plt + icans_high + age, data = d, family = binomial, method = "brglmFit", type = "AS_mean")
  set.seed(1)
  b <- boot(d, function(data, i) refit(i), R = B)
  for (j in 2:4) {
    ci <- boot.ci(b, index = j, type = "bca")$bca
    cat(names(coef(fit))[j], exp(coef(fit)[j]), exp(ci[4]), exp(ci[5]), "\n")
  }
} else stop("mode must be refits or e2e")
