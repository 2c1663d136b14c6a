#!/usr/bin/env Rscript
# Reference values for CohortKit's time-to-event code (Sources/CohortStats/TimeToEvent).
#
# For every dataset below this script writes the data as Tests/Fixtures/survival/<case>.csv
# (columns time, status, group; status 0 = censored, 1 and 2 = event types) and records in
# Tests/Fixtures/survival/references.json:
#   survival::survfit(Surv(time, status != 0) ~ group)      Kaplan-Meier of "any event" per group:
#       every time's n.risk, n.event, n.censor, surv, std.err (SE of the cumulative hazard, as survfit
#       stores it), the log-log (default here), log (R's default) and plain 95% limits;
#   summary(fit, times = days)                               the read-off at requested days (surv,
#       std.err of surv, n.risk, limits; extend = FALSE drops days after the last follow-up);
#   cmprsk::cuminc(time, status, group)                      per group x cause the estimate and variance
#       at every time the estimate jumps (the "corner" vectors reduced to one value a time), the
#       largest follow-up time, and timepoints(fit, days) (NA after the largest follow-up);
#   cuminc(...)$Tests                                        Gray's test per cause: stat, pv, df (rho = 0),
#       and with rho = 1 for the "large" and "strata" cases; "strata" passes strata = stratum (a fourth
#       column of its CSV), which stratifies the test only.
# Datasets are written literally or drawn with set.seed(20261122 + k); times are whole or half days so
# the CSV holds them exactly.
#
# Only survival and cmprsk are used; JSON is written by hand with %.17g. Run from the repository root:
#   Rscript Tests/References/survival_references.R

options(warn = 1)
suppressPackageStartupMessages({ library(survival); library(cmprsk) })
DIR <- file.path("Tests", "Fixtures", "survival")
OUT <- file.path(DIR, "references.json")
dir.create(DIR, recursive = TRUE, showWarnings = FALSE)

jnum <- function(x) {
  if (is.null(x) || length(x) == 0 || is.na(x)) return("null")
  if (is.infinite(x)) return(if (x > 0) "\"Infinity\"" else "\"-Infinity\"")
  sprintf("%.17g", x)
}
jstr <- function(x) paste0("\"", gsub("\"", "\\\\\"", x), "\"")
jarr <- function(v, f = jnum) paste0("[", paste(vapply(as.list(v), f, ""), collapse = ", "), "]")
jobj <- function(l) paste0("{", paste(sprintf("%s: %s", vapply(names(l), jstr, ""), unlist(l)), collapse = ", "), "}")

# --- Kaplan-Meier (any event) -------------------------------------------------------------------
km_json <- function(d, g, days) {
  sub <- d[d$group == g, ]
  fit <- survfit(Surv(time, status != 0) ~ 1, data = sub, conf.type = "log-log")
  flog <- survfit(Surv(time, status != 0) ~ 1, data = sub, conf.type = "log")
  fplain <- survfit(Surv(time, status != 0) ~ 1, data = sub, conf.type = "plain")
  s <- summary(fit, times = days)
  slog <- summary(flog, times = days)
  jobj(list(group = jstr(g), time = jarr(fit$time), nRisk = jarr(fit$n.risk), nEvent = jarr(fit$n.event),
            nCensor = jarr(fit$n.censor), surv = jarr(fit$surv), stdErr = jarr(fit$std.err),
            logLogLower = jarr(fit$lower), logLogUpper = jarr(fit$upper),
            logLower = jarr(flog$lower), logUpper = jarr(flog$upper),
            plainLower = jarr(fplain$lower), plainUpper = jarr(fplain$upper),
            summaryTime = jarr(s$time), summarySurv = jarr(s$surv), summaryStdErr = jarr(s$std.err),
            summaryNRisk = jarr(s$n.risk), summaryNEvent = jarr(s$n.event), summaryNCensor = jarr(s$n.censor),
            summaryLogLogLower = jarr(s$lower), summaryLogLogUpper = jarr(s$upper),
            summaryLogLower = jarr(slog$lower), summaryLogUpper = jarr(slog$upper)))
}

# --- cumulative incidence -------------------------------------------------------------------------
cuminc_json <- function(d, days, rho) {
  fit <- if (is.null(d$stratum)) cuminc(d$time, d$status, d$group, rho = rho)
         else cuminc(d$time, d$status, d$group, strata = d$stratum, rho = rho)
  tp <- timepoints(fit, days)
  curves <- fit[names(fit) != "Tests"]
  items <- vapply(names(curves), function(nm) {
    z <- curves[[nm]]
    k <- length(z$time)
    jumps <- if (k > 2) seq(3, k - 1, by = 2) else integer(0)   # corners: 0, t1, t1, ..., tm, tm, tmax
    parts <- strsplit(nm, " ", fixed = TRUE)[[1]]
    jobj(list(group = jstr(paste(parts[-length(parts)], collapse = " ")), cause = parts[length(parts)],
              time = jarr(z$time[jumps]), est = jarr(z$est[jumps]), var = jarr(z$var[jumps]),
              maxTime = jnum(z$time[k]),
              daysEst = jarr(tp$est[nm, ]), daysVar = jarr(tp$var[nm, ])))
  }, "")
  tests <- if (is.null(fit$Tests)) character(0) else vapply(rownames(fit$Tests), function(cause) {
    t <- fit$Tests[cause, ]
    jobj(list(cause = cause, stat = jnum(t[["stat"]]), pv = jnum(t[["pv"]]), df = jnum(t[["df"]])))
  }, "")
  list(curves = paste0("[", paste(items, collapse = ", "), "]"),
       tests = paste0("[", paste(tests, collapse = ", "), "]"),
       days = jarr(as.numeric(colnames(tp$est))))
}

case_json <- function(name, d, note, rho = c(0)) {
  write.csv(d, file.path(DIR, paste0(name, ".csv")), row.names = FALSE, quote = FALSE)
  groups <- sort(unique(d$group))
  u <- sort(unique(d$time))
  if (length(u) > 100) u <- u[round(seq(1, length(u), length.out = 100))]   # large case: 100 of its times
  days <- sort(unique(c(0, u, u + 0.25, max(d$time) + 1, -1)))
  km <- vapply(groups, function(g) km_json(d, g, days[days >= 0]), "")
  ci <- lapply(rho, function(r) cuminc_json(d, days, r))
  tests <- paste0("[", paste(vapply(seq_along(rho), function(i)
    jobj(list(rho = jnum(rho[i]), tests = ci[[i]]$tests)), ""), collapse = ", "), "]")
  paste0("    ", jobj(list(name = jstr(name), data = jstr(paste0(name, ".csv")), note = jstr(note),
                            n = jnum(nrow(d)), groups = jarr(groups, jstr),
                            kmDays = jarr(days[days >= 0]),
                            km = paste0("[", paste(km, collapse = ", "), "]"),
                            cumincDays = ci[[1]]$days, cuminc = ci[[1]]$curves, grayTests = tests)))
}

df <- function(time, status, group) data.frame(time = time, status = status, group = group)
draw <- function(k, n, groups, ties = FALSE, pcens = 0.3) {
  set.seed(20261122 + k)
  g <- sample(groups, n, replace = TRUE)
  t <- if (ties) sample(0:12, n, replace = TRUE) else round(rexp(n, 1 / 200) * 2) / 2
  st <- ifelse(runif(n) < pcens, 0L, sample(1:2, n, replace = TRUE, prob = c(0.6, 0.4)))
  df(t, st, g)
}

cases <- list(
  list("hand", df(c(1, 2, 2, 2, 3, 3, 4, 5, 5, 6,    1, 1, 2, 3, 3, 3, 4, 6, 7, 8),
                  c(1, 1, 2, 0, 2, 0, 1, 0, 1, 2,    2, 1, 0, 1, 1, 0, 2, 1, 0, 1),
                  rep(c("A", "B"), each = 10)),
       "written literally: ties of events with censorings (A day 2, 3; B day 3) and between types (A day 2, B day 1)"),
  list("ties", draw(1, 80, c("x", "y"), ties = TRUE), "80 rows, days 0-12: heavy ties, events at day 0"),
  list("three_groups", draw(2, 150, c("g1", "g2", "g3")), "150 rows, 3 groups, half-day times"),
  list("censored_group", rbind(draw(3, 40, c("a", "b")), df(c(5, 10, 15, 20, 30), rep(0, 5), rep("c", 5))),
       "group c: every patient censored (no events of either type)"),
  list("one_patient_group", rbind(draw(4, 40, c("a", "b")), df(12, 1, "solo")),
       "group 'solo' has one patient (an event on day 12)"),
  list("time_zero", df(c(0, 0, 0, 1, 2, 3, 0, 0, 4, 5, 6, 7), c(1, 2, 0, 1, 1, 0, 1, 1, 2, 0, 1, 0),
                       rep(c("a", "b"), each = 6)), "events and a censoring at day 0"),
  list("one_time", df(c(10, 10, 10, 10, 10, 10, 10, 10), c(1, 2, 1, 0, 1, 1, 0, 2), rep(c("a", "b"), each = 4)),
       "every event and censoring on the same day"),
  list("no_competing", draw(5, 60, c("a", "b"), pcens = 0.4) |> transform(status = pmin(status, 1L)),
       "one event type only: cumulative incidence = 1 - Kaplan-Meier"),
  list("single_group", draw(6, 50, c("all")), "one group: no Gray's test"),
  list("last_is_event", df(c(2, 4, 4, 6, 8, 3, 5, 7), c(0, 1, 2, 0, 1, 1, 0, 2), rep(c("a", "b"), c(5, 3))),
       "the largest follow-up time of group a is an event (Kaplan-Meier falls to 0)"),
  list("large", draw(7, 2000, c("low", "mid", "high")), "2000 rows, 3 groups, 2 event types", rho = c(0, 1)),
  list("strata", within(draw(8, 600, c("a", "b", "c"), ties = TRUE), {
         set.seed(20261200); stratum <- sample(c("s1", "s2", "s3"), length(time), replace = TRUE) }),
       "600 rows on days 0-12, 3 groups, Gray's test stratified by a 3-level 'stratum' column (cuminc strata =)",
       rho = c(0, 1)),
  list("strata_confounded", within(draw(9, 90, c("a", "b", "c")), stratum <- paste0("s", group)),
       "each stratum holds one group: the stratified scores and variance are 0, cmprsk's statistic -1 (singular)")
)

body <- vapply(cases, function(c) case_json(c[[1]], c[[2]], c[[3]], if (length(c) > 3) c$rho else 0), "")
lines <- c("{", paste0("  \"tool\": ", jstr(paste0("R ", R.version$major, ".", R.version$minor,
                                                   ", survival ", packageVersion("survival"),
                                                   ", cmprsk ", packageVersion("cmprsk"))), ","),
           paste0("  \"version\": ", jstr(R.version.string), ","),
           "  \"cases\": [", paste0(body, c(rep(",", length(body) - 1), "")), "  ]", "}")
con <- file(OUT, open = "wb"); writeLines(lines, con, sep = "\n"); close(con)
cat("wrote", OUT, "and", length(cases), "datasets\n")
