#!/usr/bin/env Rscript
# Lab courses (issue 15, `cohort labs`): independent reference values on the linked-table fixture
# Tests/Fixtures/linked (60 SYNTHETIC patients, 650 irregular draws; see its README entry).
#
# Written from the definitions `cohort labs` states, not from the Swift code:
#   - the window is days 0...28, inclusive; missing values are ignored;
#   - course: a patient's value on a day is the mean of that day's non-missing draws (several
#     draws count once); per group (the patients' `group`) and day, n = patients with a value,
#     median and quartiles by R's default quantile(type = 7);
#   - summaries: each patient's min (nadir) / max (peak) over every non-missing draw in the window,
#     NA when there is none (counted as missing); per group n, missing, median, quartiles (type 7);
#     the two groups compared by wilcox.test(x, y) with R's defaults (exact = NULL: exact only
#     without ties and both n < 50; correct = TRUE), as `cohort describe` and `cohort compare` do.
#
# Writes Tests/Fixtures/linked/course_expected.csv and extremes_expected.csv, numbers as %.17g
# (they round-trip to the same doubles). Usage, from the repository root:
#   Rscript Tests/References/lab_course_references.R
# Base R only (no package); R 4.x.

patients <- read.csv("Tests/Fixtures/linked/patients.csv", stringsAsFactors = FALSE)
labs <- read.csv("Tests/Fixtures/linked/labs.csv", stringsAsFactors = FALSE)
window <- c(0, 28)
inside <- labs[labs$day >= window[1] & labs$day <= window[2], ]
fmt <- function(x) ifelse(is.na(x), "", sprintf("%.17g", x))

course_rows <- list()
for (lab in c("platelets", "fibrinogen")) {
  d <- inside[!is.na(inside[[lab]]), c("patient_id", "day", lab)]
  daily <- aggregate(d[[lab]], by = list(patient_id = d$patient_id, day = d$day), FUN = mean)
  names(daily)[3] <- "value"
  daily$group <- patients$group[match(daily$patient_id, patients$patient_id)]
  for (g in c("all", "A", "B")) {
    dg <- if (g == "all") daily else daily[daily$group == g, ]
    for (day in sort(unique(dg$day))) {
      v <- dg$value[dg$day == day]
      q <- quantile(v, c(0.25, 0.5, 0.75), type = 7, names = FALSE)
      course_rows[[length(course_rows) + 1]] <- data.frame(lab = lab, group = g, day = day, n = length(v),
                                                           median = fmt(q[2]), q1 = fmt(q[1]), q3 = fmt(q[3]))
    }
  }
}
write.csv(do.call(rbind, course_rows), "Tests/Fixtures/linked/course_expected.csv", row.names = FALSE, quote = FALSE)

extreme_rows <- list()
for (lab in c("platelets", "fibrinogen")) {
  for (summary in c("min", "max")) {
    per_patient <- sapply(patients$patient_id, function(id) {
      v <- inside[[lab]][inside$patient_id == id]
      v <- v[!is.na(v)]
      if (length(v) == 0) NA else get(summary)(v)
    })
    a <- per_patient[patients$group == "A"]
    b <- per_patient[patients$group == "B"]
    test <- wilcox.test(a[!is.na(a)], b[!is.na(b)])
    for (g in c("A", "B")) {
      v <- per_patient[patients$group == g]
      present <- v[!is.na(v)]
      q <- quantile(present, c(0.25, 0.5, 0.75), type = 7, names = FALSE)
      extreme_rows[[length(extreme_rows) + 1]] <- data.frame(
        lab = lab, summary = summary, group = g, n = length(present), missing = sum(is.na(v)),
        median = fmt(q[2]), q1 = fmt(q[1]), q3 = fmt(q[3]), p = fmt(test$p.value), method = test$method)
    }
  }
}
write.csv(do.call(rbind, extreme_rows), "Tests/Fixtures/linked/extremes_expected.csv", row.names = FALSE, quote = FALSE)
cat("wrote Tests/Fixtures/linked/course_expected.csv and extremes_expected.csv\n")
