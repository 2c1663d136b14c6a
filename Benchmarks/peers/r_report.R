# Peer for the report suite: both shipped studies' reports with base R + survival + cmprsk + brglm2,
# the tables `cohort report Datasets/<study>/study.yaml` writes (not the reproduce table, nor figures):
# Table 1 with chisq/fisher/wilcox tests, incidence with binom.test exact intervals, univariable
# screens (fisher / chisq / wilcox), logistic models by glm (profile CIs, LR tests) and brglm2 Firth
# (AS_mean; Wald CIs: brglm2 has no penalised profile), cumulative incidence with death competing
# (cmprsk::cuminc + timepoints at the same days) and event-type counts; each table written as a
# Markdown file and an HTML file.
#
#   Rscript r_report.R DATASETS_DIR OUT_DIR
suppressPackageStartupMessages({ library(survival); library(cmprsk); library(brglm2) })
args <- commandArgs(trailingOnly = TRUE)
root <- args[[1]]; out <- args[[2]]
fmt <- function(x, d = 1) formatC(x, format = "f", digits = d)
pfmt <- function(p) ifelse(p < 0.001, "<0.001", fmt(p, 3))

write_table <- function(dir, name, title, df) {
  dir.create(dir, recursive = TRUE, showWarnings = FALSE)
  md <- c(paste0("**", title, "**"), "", paste0("| ", paste(names(df), collapse = " | "), " |"),
          paste0("|", paste(rep("---|", ncol(df)), collapse = "")),
          apply(df, 1, function(r) paste0("| ", paste(r, collapse = " | "), " |")))
  writeLines(md, file.path(dir, paste0(name, ".md")))
  esc <- function(s) gsub("<", "&lt;", gsub("&", "&amp;", s))
  html <- c("<table>", paste0("<caption>", esc(title), "</caption>"),
            paste0("<tr>", paste0("<th>", esc(names(df)), "</th>", collapse = ""), "</tr>"),
            apply(df, 1, function(r) paste0("<tr>", paste0("<td>", esc(r), "</td>", collapse = ""), "</tr>")), "</table>")
  writeLines(html, file.path(dir, paste0(name, ".html")))
}

# A categorical test as the toolkit's automatic choice: chi-square without correction when every
# expected count is at least 5, else Fisher's exact test.
cat_test <- function(x, g) {
  t <- table(x, g)
  if (nrow(t) < 2 || ncol(t) < 2) return(c(NA, ""))
  e <- suppressWarnings(chisq.test(t, correct = FALSE))
  if (all(e$expected >= 5)) c(e$p.value, "chisq") else c(fisher.test(t, workspace = 2e8)$p.value, "fisher")
}

table1 <- function(d, vars, by, numeric) {
  g <- d[[by]]; lv <- sort(unique(g[!is.na(g)]))
  rows <- list()
  for (v in vars) {
    x <- d[[v]]
    if (v %in% numeric) {
      p <- if (length(lv) == 2) wilcox.test(x ~ g, exact = FALSE)$p.value else kruskal.test(x ~ g)$p.value
      rows[[length(rows) + 1]] <- c(v, "", rep("", length(lv)), pfmt(p))
      s <- function(y) c(sprintf("%d (%d)", sum(!is.na(y)), sum(is.na(y))), sprintf("%.3g (%.3g)", mean(y, na.rm = TRUE), sd(y, na.rm = TRUE)),
                         do.call(sprintf, c("%.4g [%.4g-%.4g]", as.list(quantile(y, c(.5, .25, .75), na.rm = TRUE)))))
      stats <- cbind(s(x), sapply(lv, function(l) s(x[g == l & !is.na(g)])))
      for (k in 1:3) rows[[length(rows) + 1]] <- c(paste0("  ", c("n (missing)", "mean (SD)", "median [IQR]")[k]), stats[k, ], "")
    } else {
      p <- cat_test(x, g)
      rows[[length(rows) + 1]] <- c(v, "", rep("", length(lv)), paste(pfmt(as.numeric(p[1])), p[2]))
      for (l in sort(unique(x[!is.na(x)]))) {
        cell <- function(y) sprintf("%d (%.1f%%)", sum(y == l, na.rm = TRUE), 100 * mean(y == l, na.rm = TRUE))
        rows[[length(rows) + 1]] <- c(paste0("  ", l), cell(x), sapply(lv, function(k) cell(x[g == k & !is.na(g)])), "")
      }
    }
  }
  df <- as.data.frame(do.call(rbind, rows), stringsAsFactors = FALSE)
  names(df) <- c("characteristic", "Overall", as.character(lv), "P")
  df
}

incidence <- function(d, outcome, by = NULL) {
  groups <- if (is.null(by)) list(all = rep(TRUE, nrow(d))) else lapply(setNames(sort(unique(d[[by]])), sort(unique(d[[by]]))), function(l) d[[by]] == l)
  do.call(rbind, lapply(names(groups), function(k) {
    y <- d[[outcome]][groups[[k]]]; y <- y[!is.na(y)]
    b <- binom.test(sum(y), length(y))
    data.frame(group = k, events = sum(y), n = length(y), pct = fmt(100 * mean(y)),
               ci = paste0(fmt(100 * b$conf.int[1]), "-", fmt(100 * b$conf.int[2])))
  }))
}

screen <- function(d, outcome, factors, numeric) {
  do.call(rbind, lapply(factors, function(f) {
    x <- d[[f]]; y <- d[[outcome]]
    if (f %in% numeric) {
      p <- wilcox.test(x ~ y, exact = FALSE)$p.value
      data.frame(factor = f, summary = sprintf("%.4g vs %.4g", median(x[y == 0], na.rm = TRUE), median(x[y == 1], na.rm = TRUE)), p = pfmt(p), test = "wilcox")
    } else {
      p <- cat_test(x, y)
      t <- table(x, y)
      data.frame(factor = f, summary = paste(sprintf("%s: %d/%d", rownames(t), t[, "1"], rowSums(t)), collapse = "; "), p = pfmt(as.numeric(p[1])), test = p[2])
    }
  }))
}

logit <- function(d, outcome, covariates, firth) {
  f <- reformulate(covariates, outcome)
  if (firth) {
    m <- glm(f, family = binomial, data = d, method = "brglmFit", type = "AS_mean")
    s <- coef(summary(m)); ci <- confint.default(m)
    lr <- rep(NA, nrow(s))
  } else {
    m <- glm(f, family = binomial, data = d)
    s <- coef(summary(m)); ci <- suppressMessages(confint(m))
    lr <- c(NA, drop1(m, test = "LRT")[-1, "Pr(>Chi)"])
  }
  data.frame(term = rownames(s), estimate = sprintf("%.4g", s[, 1]), se = sprintf("%.4g", s[, 2]), p = pfmt(s[, 4]),
             or = sprintf("%.4g", exp(s[, 1])), ci = sprintf("%.4g, %.4g", exp(ci[, 1]), exp(ci[, 2])), p_lr = ifelse(is.na(lr), "", pfmt(lr)))
}

cumulative <- function(time, status, group, days) {
  fit <- if (is.null(group)) cuminc(time, status) else cuminc(time, status, group)
  tp <- timepoints(fit, days)
  rows <- expand.grid(day = days, curve = rownames(tp$est), stringsAsFactors = FALSE)
  rows$estimate <- mapply(function(c, k) fmt(100 * tp$est[c, k]), rows$curve, match(rows$day, days))
  rows$se <- mapply(function(c, k) sprintf("%.3g", 100 * sqrt(tp$var[c, k])), rows$curve, match(rows$day, days))
  if (!is.null(fit$Tests)) attr(rows, "tests") <- fit$Tests
  rows[, c("curve", "day", "estimate", "se")]
}

counts <- function(x) { t <- table(x); data.frame(level = names(t), n = as.integer(t), pct = fmt(100 * as.integer(t) / length(x))) }

# ---- Johnsrud 2021 ----
d <- read.csv(file.path(root, "johnsrud2021", "cohort.csv"), na.strings = "", stringsAsFactors = FALSE)
# Laboratory summaries from the linked table (issue 15): f of a patient's present values on days a..b.
lab_summary <- function(study, col, a, b, f, ids) {
  l <- read.csv(file.path(root, study, "labs.csv"), na.strings = "")
  l <- l[l$day >= a & l$day <= b & !is.na(l[[col]]), ]
  v <- tapply(l[[col]], l$patient_id, f)
  unname(v[as.character(ids)])
}
d$plt_baseline <- lab_summary("johnsrud2021", "platelets", -14, -1, function(x) x[1], d$patient_id)
d$icans_high <- as.integer(d$icans_grade >= 3); d$crs_high <- as.integer(d$crs_grade >= 3)
d$plt_low <- as.integer(d$plt_baseline < 100)
d$bleeding_any <- as.integer(!is.na(d$bleeding_day)); d$thrombosis_any <- as.integer(!is.na(d$thrombosis_day))
d$bleeding_or_thrombosis <- as.integer(d$bleeding_any == 1 | d$thrombosis_any == 1)
num <- c("age", "plt_baseline", "ldh")
o <- file.path(out, "johnsrud2021")
write_table(o, "table1-by-bleeding", "Table 1 by bleeding", table1(d, c("age", "sex", "disease", "product", "plt_baseline", "ldh", "crs_grade", "icans_grade", "plt_low", "icans_high", "anticoagulation"), "bleeding_any", num))
write_table(o, "table1-by-product", "By product", table1(d, c("age", "sex", "disease", "plt_baseline", "ldh", "crs_grade", "icans_grade", "bleeding_any", "thrombosis_any"), "product", num))
write_table(o, "incidence-bleeding", "Bleeding by product", incidence(d, "bleeding_any", "product"))
write_table(o, "incidence-thrombosis", "Thrombosis by product", incidence(d, "thrombosis_any", "product"))
write_table(o, "incidence-any-event", "Bleeding or thrombosis", incidence(d, "bleeding_or_thrombosis"))
write_table(o, "screen-bleeding", "Screen: bleeding", screen(d, "bleeding_any", c("plt_low", "icans_high", "crs_high", "product", "disease", "sex", "plt_baseline", "age", "ldh"), num))
write_table(o, "screen-thrombosis", "Screen: thrombosis", screen(d, "thrombosis_any", c("icans_high", "crs_high", "product", "disease", "anticoagulation", "plt_baseline", "age"), num))
write_table(o, "logit-ml", "Logistic (ML)", logit(d, "bleeding_any", c("plt_low", "icans_high"), FALSE))
write_table(o, "logit-firth", "Logistic (Firth)", logit(d, "bleeding_any", c("plt_low", "icans_high"), TRUE))
days <- c(30, 90, 180, 365)
first <- function(event_day) {
  t <- pmin(event_day, d$death_day, na.rm = TRUE)
  status <- ifelse(!is.na(event_day) & (is.na(d$death_day) | event_day <= d$death_day), 1, ifelse(!is.na(d$death_day), 2, 0))
  list(time = ifelse(is.na(t), d$last_followup_day, t), status = status)
}
b <- first(d$bleeding_day)
write_table(o, "cuminc-bleeding", "Cumulative incidence of bleeding by product", cumulative(b$time, b$status, d$product, days))
th <- first(d$thrombosis_day)
write_table(o, "cuminc-thrombosis", "Cumulative incidence of thrombosis", cumulative(th$time, th$status, NULL, days))
write_table(o, "bars-bleeding-site", "Bleeding site", counts(d$bleeding_site[!is.na(d$bleeding_site)]))
write_table(o, "bars-thrombosis-type", "Thrombosis type", counts(d$thrombosis_type[!is.na(d$thrombosis_type)]))

# ---- NCT02965092 ----
n <- read.csv(file.path(root, "nct02965092", "cohort.csv"), na.strings = "", stringsAsFactors = FALSE)
# The worst values of days 0-28 (one day carries all of them, so the scores of these values are the
# highest per-day scores the codebook derives).
for (v in c("plt", "fibrinogen")) n[[v]] <- lab_summary("nct02965092", v, 0, 28, min, n$patient_id)
for (v in c("ddimer", "pt_prolong", "aptt_prolong")) n[[v]] <- lab_summary("nct02965092", v, 0, 28, max, n$patient_id)
n$ddimer_xuln <- n$ddimer / n$ddimer_uln
domain <- function(code) ifelse(code == 0, 0, code + 1)
n$crs_grade <- ifelse(n$fever == 1, pmax(1, domain(n$hypotension), domain(n$hypoxia)), 0)
n$crs_3_4 <- as.integer(n$crs_grade >= 3); n$neurotox_2_3 <- as.integer(n$neurotox_grade >= 2 & n$neurotox_grade <= 3)
n$ddimer_high <- as.integer(n$ddimer > 5); n$aptt_long <- as.integer(n$aptt_prolong > 10); n$pt_long <- as.integer(n$pt_prolong > 3)
n$fibrinogen_low <- as.integer(n$fibrinogen < 1.5)
n$coag_disorder <- as.integer(n$ddimer_high | n$aptt_long | n$pt_long | n$fibrinogen_low)
chinese <- 2 + n$bleeding + n$shock + n$organ_failure + (n$plt < 50) + (n$plt_fall_24h >= 0.5) +
  ifelse(n$ddimer >= 9, 3, ifelse(n$ddimer >= 5, 2, 0)) + ifelse(n$pt_prolong >= 6, 2, ifelse(n$pt_prolong >= 3 | n$aptt_prolong >= 10, 1, 0)) + (n$fibrinogen < 1.0)
n$dic <- as.integer(chinese >= 6)
isth <- ifelse(n$plt < 50, 2, ifelse(n$plt < 100, 1, 0)) + ifelse(n$ddimer_xuln > 4, 3, ifelse(n$ddimer_xuln >= 2, 2, 0)) +
  ifelse(n$pt_prolong >= 6, 2, ifelse(n$pt_prolong >= 3, 1, 0)) + (n$fibrinogen < 1.0)
n$isth_dic <- as.integer(isth >= 5)
num <- c("age", "plt", "ddimer", "pt_prolong", "aptt_prolong", "fibrinogen")
o <- file.path(out, "nct02965092")
write_table(o, "table1-by-dic", "Table 1 by DIC", table1(n, c("age", "sex", "crs_grade", "neurotox_grade", "remission_1mo", "plt", "ddimer", "pt_prolong", "aptt_prolong", "fibrinogen", "bleeding"), "dic", num))
write_table(o, "coagulopathy-by-crs", "Coagulopathy by CRS grade", table1(n, c("coag_disorder", "coag_severity", "dic", "isth_dic", "fibrinogen_low", "ddimer_high", "pt_long", "aptt_long"), "crs_grade", num))
write_table(o, "incidence-coagulopathy", "Coagulation disorder", incidence(n, "coag_disorder"))
write_table(o, "incidence-dic", "DIC", incidence(n, "dic"))
write_table(o, "incidence-isth-dic", "ISTH DIC", incidence(n, "isth_dic"))
write_table(o, "incidence-dic-by-crs", "DIC by CRS 3-4", incidence(n, "dic", "crs_3_4"))
write_table(o, "screen-dic", "Screen: DIC", screen(n, "dic", c("crs_3_4", "neurotox_2_3", "sex", "age", "plt"), num))
write_table(o, "logit-ml", "Logistic (ML)", logit(n, "dic", c("crs_3_4", "neurotox_2_3"), FALSE))
write_table(o, "logit-firth", "Logistic (Firth)", logit(n, "dic", c("crs_3_4", "neurotox_2_3"), TRUE))
write_table(o, "bars-coag-severity", "Coagulopathy severity", counts(n$coag_severity))
