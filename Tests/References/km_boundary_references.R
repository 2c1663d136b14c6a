#!/usr/bin/env Rscript
# Kaplan-Meier confidence limits where the survival is 1 or 0 (issue: log-log interval at S = 1).
#
# For four small datasets written literally below, this script writes Tests/Fixtures/survival/<case>.csv
# (time,status,group; one group "all"; status 0 = censored, 1 = event) and records in
# Tests/Fixtures/survival/km_boundary.json, for conf.type "log-log", "log" and "plain" (95%):
#   survfit(Surv(time, status) ~ 1, conf.type = ...)           every time's surv, std.err, lower, upper
#   summary(fit, times = days)                                 surv, std.err of surv, n.risk, lower, upper
# and, per summary day, `rule`: which of R's conventions applies there (see below).
#
# What R 4.2.2 / survival 3.5-3 does (read from survival:::survfit_confint and summary.survfit):
#   * a day before the group's first observed time: summary() pads the row S = 1, std.err 0 and
#     lower = upper = 1 for every conf.type ("beforeFirstTime");
#   * S = 1 at or after a censoring that precedes every event: survfit_confint sets p = 1 to NA for
#     log-log (log(-log 1) is not defined), so lower = upper = NA; log and plain give (1, 1)
#     ("censoredAtOne");
#   * S = 0 (the last patient at risk had the event): std.err is Inf in survfit, NaN in summary; log-log
#     and log give NA, plain NaN (both written as null here) ("zero");
#   * otherwise the usual transformed limits ("estimate").
# Days after the last follow-up are dropped by summary() (extend = FALSE), and days < 0 are not asked.
#
# Only survival is used; JSON is written by hand with %.17g (NA and NaN as null). Run from the
# repository root:  Rscript Tests/References/km_boundary_references.R

options(warn = 1)
suppressPackageStartupMessages(library(survival))
DIR <- file.path("Tests", "Fixtures", "survival")
OUT <- file.path(DIR, "km_boundary.json")
TYPES <- c(logLog = "log-log", log = "log", plain = "plain")

jnum <- function(x) {
  if (is.null(x) || length(x) == 0 || is.na(x)) return("null")
  if (is.infinite(x)) return(if (x > 0) "\"Infinity\"" else "\"-Infinity\"")
  sprintf("%.17g", x)
}
jstr <- function(x) paste0("\"", gsub("\"", "\\\\\"", x), "\"")
jarr <- function(v, f = jnum) paste0("[", paste(vapply(as.list(v), f, ""), collapse = ", "), "]")
jobj <- function(l) paste0("{", paste(sprintf("%s: %s", vapply(names(l), jstr, ""), unlist(l)), collapse = ", "), "}")

case_json <- function(name, time, status, note) {
  d <- data.frame(time = time, status = status, group = "all")
  write.csv(d, file.path(DIR, paste0(name, ".csv")), row.names = FALSE, quote = FALSE)
  u <- sort(unique(time))
  days <- sort(unique(c(0, 0.5, u, u + 0.5, max(time) + 1)))
  fits <- lapply(TYPES, function(ct) survfit(Surv(time, status) ~ 1, data = d, conf.type = ct))
  sums <- lapply(fits, function(f) summary(f, times = days))
  f <- fits$logLog; s <- sums$logLog
  first_event <- if (any(status == 1)) min(time[status == 1]) else Inf
  rule <- vapply(seq_along(s$time), function(i) {
    t <- s$time[i]
    if (t < min(time)) "beforeFirstTime"
    else if (s$surv[i] == 1) "censoredAtOne"
    else if (s$surv[i] == 0) "zero"
    else "estimate"
  }, "")
  # The rules above must be what R did.
  ll <- sums$logLog
  stopifnot(all(ll$lower[rule == "beforeFirstTime"] == 1), all(is.na(ll$lower[rule %in% c("censoredAtOne", "zero")])),
            all(sums$log$lower[rule == "censoredAtOne"] == 1), all(sums$plain$upper[rule == "censoredAtOne"] == 1),
            all(is.na(sums$log$lower[rule == "zero"])), all(is.nan(sums$plain$lower[rule == "zero"])))
  curve <- list(time = jarr(f$time), nRisk = jarr(f$n.risk), nEvent = jarr(f$n.event), nCensor = jarr(f$n.censor),
                surv = jarr(f$surv), stdErr = jarr(f$std.err))
  summ <- list(time = jarr(s$time), surv = jarr(s$surv), stdErr = jarr(s$std.err), nRisk = jarr(s$n.risk),
               rule = jarr(rule, jstr))
  for (k in names(TYPES)) {
    curve[[paste0(k, "Lower")]] <- jarr(fits[[k]]$lower); curve[[paste0(k, "Upper")]] <- jarr(fits[[k]]$upper)
    summ[[paste0(k, "Lower")]] <- jarr(sums[[k]]$lower); summ[[paste0(k, "Upper")]] <- jarr(sums[[k]]$upper)
  }
  paste0("    ", jobj(list(name = jstr(name), data = jstr(paste0(name, ".csv")), note = jstr(note),
                            firstEvent = jnum(first_event), days = jarr(days),
                            survfit = jobj(curve), summary = jobj(summ))))
}

cases <- list(
  list("km_censored_first", c(0, 0, 1, 3, 3, 4, 6, 8, 9, 10), c(0, 0, 0, 1, 0, 1, 1, 0, 1, 0),
       "two censorings at day 0 and one at day 1 before the first event (day 3): S = 1 with log-log NA on days 0-2.5"),
  list("km_all_censored", c(2, 4, 4, 7, 9), c(0, 0, 0, 0, 0),
       "no events: S = 1 throughout; (1, 1) on days 0-1.5 (before the first time), log-log NA from day 2"),
  list("km_late_first_event", c(30, 35, 40, 40, 52), c(1, 0, 1, 1, 1),
       "first observed time is an event on day 30 ((1, 1) before it); the last patient has the event: S = 0 on day 52"),
  list("km_event_at_zero", c(0, 0, 2, 5), c(1, 0, 1, 0),
       "an event and a censoring on day 0: S < 1 from day 0, no S = 1 row")
)
body <- vapply(cases, function(c) case_json(c[[1]], c[[2]], c[[3]], c[[4]]), "")
lines <- c("{", paste0("  \"tool\": ", jstr(paste0("R ", R.version$major, ".", R.version$minor,
                                                   ", survival ", packageVersion("survival"))), ","),
           paste0("  \"version\": ", jstr(R.version.string), ","),
           "  \"cases\": [", paste0(body, c(rep(",", length(body) - 1), "")), "  ]", "}")
con <- file(OUT, open = "wb"); writeLines(lines, con, sep = "\n"); close(con)
cat("wrote", OUT, "and", length(cases), "datasets\n")
