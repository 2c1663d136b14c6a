#!/usr/bin/env Rscript
# Reference values for the Kaplan-Meier additions of issue 14 (Sources/CohortStats/TimeToEvent:
# LogRankTest.swift, SurvivalQuantile.swift, RestrictedMean.swift): tests between groups, quantiles
# with their intervals, and the restricted mean. Every event type counts as the event (status != 0).
#
# Datasets (columns time,status,group[,stratum]; status 0 = censored, 1 or 2 = an event):
#   * written here, to Tests/Fixtures/survival/km_tests_<case>.csv: `hand6` (the 6 patients worked by
#     hand in KMTestsHandWorkedTests.swift), `edges` (a curve flat at exactly 0.5, one ending at 0.5, one
#     that never reaches 0.5, an all-censored group, a group censored before the first event),
#     `nonmonotone` (upper limit curves that rise again late), and three simulated cohorts drawn here
#     with set.seed(20261203 + k) (no real patient data): `sim_small` (24 patients, 2 groups, 2
#     strata of unequal baseline hazard), `sim_cohort` (220 patients, 4 groups of 70/100/49/1 with
#     crossing hazards, weekly visit days so events and censorings tie, both event types, 2 strata)
#     and `sim_strata4` (137 patients, 2 groups, 4 strata of different size, baseline hazard and
#     group mix, the group effect reversed in two of them);
#   * read from the CSVs of survival_references.R: ties, three_groups, censored_group, strata, large,
#     strata_confounded.
# Recorded in Tests/Fixtures/survival/km_tests.json, per case:
#   survdiff(Surv(time, status != 0) ~ group [+ strata(stratum)], rho = r)   for r in 0, 1 (and 0.5 on
#       the simulated cases): obs and exp summed over strata (rowSums), per stratum, var (row-major), chisq, df
#       (groups with exp > 0, less one), pvalue; unstratified always, stratified where there is a stratum;
#       where survdiff stops (solve() on a singular variance) the error message instead;
#   per group and conf.type ("log-log", "log", "plain" at 95%; "log-log", "log" at 90%),
#   survfit(Surv(time, status != 0) ~ 1, conf.type =, conf.int =):
#       quantile(fit, probs = c(0.1, 0.25, 0.5, 0.75, 0.9)) with lower and upper (quantile.survfit), and
#       the median and its LCL and UCL that print(fit) shows (survival:::survmean's table);
#   per group, survmean(fit, rmean = tau)'s rmean and se(rmean) (what print(fit, rmean = tau) shows)
#       for tau in: half the first time, each quartile of the data's times, the last time, last + 10.
# NA is written null. Only survival is used; JSON is written by hand with %.17g. From the repository root:
#   Rscript Tests/References/km_tests_references.R

options(warn = 1)
suppressPackageStartupMessages(library(survival))
DIR <- file.path("Tests", "Fixtures", "survival")
OUT <- file.path(DIR, "km_tests.json")
# conf.type x conf.int: the three types at 95%, and log-log and log at 90%
INTERVALS <- data.frame(type = c("log-log", "log", "plain", "log-log", "log"), level = c(0.95, 0.95, 0.95, 0.9, 0.9))
PROBS <- c(0.1, 0.25, 0.5, 0.75, 0.9)

jnum <- function(x) {
  if (is.null(x) || length(x) == 0 || is.na(x)) return("null")
  if (is.infinite(x)) return(if (x > 0) "\"Infinity\"" else "\"-Infinity\"")
  sprintf("%.17g", x)
}
jstr <- function(x) paste0("\"", gsub("\"", "\\\\\"", x), "\"")
jarr <- function(v, f = jnum) paste0("[", paste(vapply(as.list(v), f, ""), collapse = ", "), "]")
jobj <- function(l) paste0("{", paste(sprintf("%s: %s", vapply(names(l), jstr, ""), unlist(l)), collapse = ", "), "}")
jlist <- function(items) paste0("[", paste(items, collapse = ", "), "]")

survdiff_json <- function(d, rho, stratified) {
  f <- if (stratified) Surv(time, status != 0) ~ group + strata(stratum) else Surv(time, status != 0) ~ group
  s <- tryCatch(survdiff(f, data = d, rho = rho), error = function(e) e)
  if (inherits(s, "error"))   # a singular variance: solve() stops (strata_confounded)
    return(jobj(list(rho = jnum(rho), stratified = if (stratified) "true" else "false",
                     error = jstr(trimws(conditionMessage(s))))))
  obs <- as.matrix(s$obs); ex <- as.matrix(s$exp)   # groups x strata (one column without strata)
  stopifnot(identical(names(s$n), paste0("group=", sort(unique(d$group)))))
  jobj(list(rho = jnum(rho), stratified = if (stratified) "true" else "false",
            obs = jarr(rowSums(obs)), exp = jarr(rowSums(ex)),
            obsByStratum = jlist(apply(obs, 2, jarr)), expByStratum = jlist(apply(ex, 2, jarr)),
            var = jarr(t(s$var)), chisq = jnum(s$chisq), df = jnum(sum(rowSums(ex) > 0) - 1),
            pvalue = jnum(s$pvalue)))
}

curve_json <- function(sub, label, taus) {
  per_type <- vapply(seq_len(nrow(INTERVALS)), function(i) {
    type <- INTERVALS$type[i]; level <- INTERVALS$level[i]
    fit <- survfit(Surv(time, status != 0) ~ 1, data = sub, conf.type = type, conf.int = level)
    q <- quantile(fit, probs = PROBS, conf.int = TRUE)
    m <- survival:::survmean(fit, rmean = max(sub$time))$matrix
    jobj(list(confType = jstr(type), level = jnum(level), quantile = jarr(q$quantile), lower = jarr(q$lower),
              upper = jarr(q$upper), printMedian = jnum(m[["median"]]), printLower = jnum(m[[paste0(level, "LCL")]]),
              printUpper = jnum(m[[paste0(level, "UCL")]])))
  }, "")
  fit <- survfit(Surv(time, status != 0) ~ 1, data = sub)
  rm <- vapply(taus, function(tau) {
    m <- survival:::survmean(fit, rmean = tau)$matrix
    jobj(list(tau = jnum(tau), rmean = jnum(m[["rmean"]]), se = jnum(m[["se(rmean)"]])))
  }, "")
  jobj(list(group = jstr(label), n = jnum(nrow(sub)), events = jnum(sum(sub$status != 0)),
            intervals = jlist(per_type), rmean = jlist(rm)))
}

case_json <- function(name, file, d, note, rhos = c(0, 1)) {
  groups <- sort(unique(d$group))
  u <- sort(unique(d$time))
  taus <- unique(c(u[1] / 2, unname(quantile(u, c(0.25, 0.5, 0.75), type = 1)), max(u), max(u) + 10))
  tests <- c(vapply(rhos, function(r) survdiff_json(d, r, FALSE), ""),
             if (!is.null(d$stratum)) vapply(rhos, function(r) survdiff_json(d, r, TRUE), "") else character(0))
  curves <- vapply(groups, function(g) curve_json(d[d$group == g, ], g, taus), "")
  paste0("    ", jobj(list(name = jstr(name), data = jstr(file), note = jstr(note), n = jnum(nrow(d)),
                            groups = jarr(groups, jstr), probs = jarr(PROBS), tests = jlist(tests),
                            curves = jlist(curves))))
}

write_case <- function(name, d) {
  file <- paste0("km_tests_", name, ".csv")
  write.csv(d, file.path(DIR, file), row.names = FALSE, quote = FALSE)
  file
}
read_case <- function(file) read.csv(file.path(DIR, file), stringsAsFactors = FALSE,
                                     colClasses = c(group = "character"))
df <- function(time, status, group) data.frame(time = time, status = status, group = group)

hand6 <- df(c(3, 5, 7, 1, 3, 4), c(1, 1, 0, 1, 1, 1), rep(c("A", "B"), each = 3))
edges <- rbind(
  # flat at exactly 4/8 = 0.5 from day 4 (a censoring on day 6 inside the stretch) to the event on day 9
  df(c(1, 2, 3, 4, 6, 9, 10, 12), c(1, 1, 1, 1, 0, 1, 0, 1), "flat_half"),
  # 3/4, then 2/4 = 0.5 on day 4, then only censorings: the curve ends on 0.5
  df(c(2, 4, 7, 8), c(1, 1, 0, 0), "ends_half"),
  # 2 events in 10: S never reaches 0.5
  df(c(1, 3, 5, 6, 8, 9, 11, 12, 13, 14), c(1, 0, 0, 1, 0, 0, 0, 0, 0, 0), "high"),
  # every patient censored (expected events > 0: at risk at event times)
  df(c(2, 5, 8, 11), c(0, 0, 0, 0), "censored"),
  # censored before the first event of any group: expected 0, left out of survdiff's test (df)
  df(c(0.5, 0.5), c(0, 0), "early_out"))
# Pointwise upper limits that rise again late in the curve (log: S·exp(z·se) grows when few are at
# risk), so 1 - upper is not monotone and quantile.survfit's approx() sorts it: the 10% quantile's
# upper limit is then not the first time the upper curve passes 0.9 (found by a search over small
# random datasets, written here literally).
nonmonotone <- rbind(
  df(c(7, 7, 11, 11, 14, 16, 19, 26, 27), c(1, 1, 1, 1, 1, 1, 0, 1, 1), "m1"),
  df(c(3, 4, 7, 11, 12, 13, 16, 18, 22, 25, 28, 30), c(1, 1, 1, 1, 1, 0, 1, 0, 0, 1, 1, 1), "m2"),
  df(c(4, 5, 6, 9, 10, 11, 12, 13, 24, 30), c(1, 1, 0, 1, 1, 1, 1, 0, 1, 1), "m3"))
# Simulated cohorts (RNG kinds fixed so the draws do not depend on R's defaults). Times are whole
# days or weeks, so the CSVs and the values are byte-reproducible.
RNGkind("Mersenne-Twister", "Inversion", "Rejection")
# 24 patients (11 vs 13), follow-up in whole weeks (a few ties), 2 strata: s2 (about 40%) has 1.8 times
# the hazard of s1; uniform censoring between weeks 10 and 60.
sim_small <- local({
  set.seed(20261203 + 1)
  n <- 24
  group <- rep(c("g1", "g2"), c(11, 13))
  stratum <- ifelse(runif(n) < 0.4, "s2", "s1")
  rate <- ifelse(group == "g1", 1 / 30, 1 / 18) * ifelse(stratum == "s2", 1.8, 1)
  t <- rexp(n, rate); cens <- runif(n, 10, 60)
  data.frame(time = pmax(1, round(pmin(t, cens))), status = as.integer(t <= cens), group = group,
             stratum = stratum)
})
# 220 patients in 4 groups of 70, 100, 49 and 1 (g4: one patient, an event on day 119, literal).
# Weibull times in days (g1 shape 1.3 scale 700; g2 shape 0.8 scale 400, so its hazard is higher early
# and lower late than g1's; g3 shape 1.1 scale 250), stratum s2 (about 45%) with hazard ratio 0.6;
# censored at an administrative end uniform on days 180-1000 or an exponential loss (mean 2500 days);
# every time recorded at the next weekly visit (7 * ceiling(t / 7)), so events tie with each other and
# with censorings; an event is type 2 with probability 0.25 (both count as the event here).
sim_cohort <- local({
  set.seed(20261203 + 2)
  sizes <- c(g1 = 70, g2 = 100, g3 = 49)
  group <- rep(names(sizes), sizes); n <- length(group)
  shape <- c(g1 = 1.3, g2 = 0.8, g3 = 1.1)[group]; scale <- c(g1 = 700, g2 = 400, g3 = 250)[group]
  stratum <- ifelse(runif(n) < 0.45, "s2", "s1")
  scale <- scale * ifelse(stratum == "s2", 0.6^(-1 / shape), 1)   # hazard ratio 0.6 in s2
  t <- rweibull(n, shape, scale)
  cens <- pmin(runif(n, 180, 1000), rexp(n, 1 / 2500))
  status <- ifelse(t <= cens, sample(1:2, n, replace = TRUE, prob = c(0.75, 0.25)), 0L)
  d <- data.frame(time = 7 * ceiling(pmin(t, cens) / 7), status = as.integer(status), group = group,
                  stratum = stratum)
  rbind(d, data.frame(time = 119, status = 1L, group = "g4", stratum = "s1"))
})
# 137 patients, groups a and b, 4 strata of 35, 27, 45 and 30 with medians of about 20, 50, 100 and
# 150 days; the share of group b differs by stratum (0.3, 0.5, 0.6, 0.4) and its hazard ratio is 0.6 in
# s1 and s3 but 1.6 in s2 and s4; whole days (many ties among the short times); about 10% censored
# at a uniform time below 400 days.
sim_strata4 <- local({
  set.seed(20261203 + 3)
  sizes <- c(s1 = 35, s2 = 27, s3 = 45, s4 = 30)
  stratum <- rep(names(sizes), sizes); n <- length(stratum)
  group <- ifelse(runif(n) < c(s1 = 0.3, s2 = 0.5, s3 = 0.6, s4 = 0.4)[stratum], "b", "a")
  rate <- log(2) / c(s1 = 20, s2 = 50, s3 = 100, s4 = 150)[stratum] *
    ifelse(group == "b", c(s1 = 0.6, s2 = 1.6, s3 = 0.6, s4 = 1.6)[stratum], 1)
  t <- rexp(n, rate)
  cens <- ifelse(runif(n) < 0.1, runif(n, 1, 400), Inf)
  data.frame(time = pmax(1, round(pmin(t, cens))), status = as.integer(t <= cens), group = group,
             stratum = stratum)
})

cases <- list(
  list("hand6", write_case("hand6", hand6), hand6, "6 patients in 2 groups, a tied event time (day 3): worked by hand in the test"),
  list("edges", write_case("edges", edges), edges,
       "quantile edges: S flat at exactly 0.5, S ending at 0.5, S never reaching 0.5, all censored, censored before every event"),
  list("nonmonotone", write_case("nonmonotone", nonmonotone), nonmonotone,
       "upper limit curves that rise again (log): quantile.survfit sorts 1 - upper before reading it"),
  list("sim_small", write_case("sim_small", sim_small), sim_small,
       "simulated: 24 patients in 2 groups, weeks, stratum of 2 levels (s2 hazard x1.8)", c(0, 0.5, 1)),
  list("sim_cohort", write_case("sim_cohort", sim_cohort), sim_cohort,
       "simulated: 220 patients, 4 groups (g4 one patient), crossing hazards, weekly visit days (ties), 2 event types, stratum of 2 levels",
       c(0, 0.5, 1)),
  list("sim_strata4", write_case("sim_strata4", sim_strata4), sim_strata4,
       "simulated: 137 patients, 2 groups, 4 strata with different baselines and group mix, the group effect reversed in s2 and s4",
       c(0, 0.5, 1)),
  list("ties", "ties.csv", read_case("ties.csv"), "survival_references.R's ties: 80 rows on days 0-12, events on day 0"),
  list("three_groups", "three_groups.csv", read_case("three_groups.csv"), "survival_references.R: 150 rows, 3 groups"),
  list("censored_group", "censored_group.csv", read_case("censored_group.csv"),
       "survival_references.R: group c all censored"),
  list("strata", "strata.csv", read_case("strata.csv"), "survival_references.R: 600 rows on days 0-12, 3 groups, 3 strata"),
  list("large", "large.csv", read_case("large.csv"), "survival_references.R: 2000 rows, 3 groups"),
  list("strata_confounded", "strata_confounded.csv", read_case("strata_confounded.csv"),
       "survival_references.R: each stratum holds one group; the stratified survdiff stops (singular variance)")
)

body <- vapply(cases, function(c) case_json(c[[1]], c[[2]], c[[3]], c[[4]], if (length(c) > 4) c[[5]] else c(0, 1)), "")
lines <- c("{", paste0("  \"tool\": ", jstr(paste0("R ", R.version$major, ".", R.version$minor,
                                                   ", survival ", packageVersion("survival"))), ","),
           paste0("  \"version\": ", jstr(R.version.string), ","),
           "  \"cases\": [", paste0(body, c(rep(",", length(body) - 1), "")), "  ]", "}")
con <- file(OUT, open = "wb"); writeLines(lines, con, sep = "\n"); close(con)
cat("wrote", OUT, "and", length(cases), "cases\n")
