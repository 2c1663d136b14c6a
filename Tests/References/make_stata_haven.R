# Issue 18: Stata files written by R's haven (ReadStat), the other writer the reader must agree with.
# - DATASET.haven.dta (format 118): the shipped datasets, the codebook's categorical text columns as
#   labelled integers (haven::labelled), variable labels from the codebook's `label:` lines.
# - features.haven117.dta / features.haven119.dta: tagged missing values (.a, .z) in a double and an
#   integer column, a labelled byte column with an unlabelled value, a Date column (%td), a
#   variable label; features_haven.csv is what they must read as (written here by write.csv rules).
# Run from the repository root: Rscript Tests/References/make_stata_haven.R
suppressPackageStartupMessages(library(haven))
out <- "Tests/Fixtures/spreadsheets"

categorical <- function(name) {
  lines <- readLines(file.path("Datasets", name, "codebook.yaml"))
  k <- grep("^    type: categorical", lines)
  sub(":$", "", trimws(lines[k - 1]))
}

for (name in c("johnsrud2021", "nct02965092")) {
  df <- read.csv(file.path("Datasets", name, "cohort.csv"), colClasses = "character", na.strings = "")
  for (col in names(df)) {
    values <- df[[col]]
    numbers <- suppressWarnings(as.numeric(values))
    if (all(is.na(values) | !is.na(numbers))) {
      df[[col]] <- numbers
    } else if (col %in% categorical(name)) {
      levels <- unique(values[!is.na(values)])
      codes <- setNames(seq_along(levels), levels)
      df[[col]] <- labelled(unname(codes[values]), labels = codes)
    }
  }
  attr(df$age, "label") <- "Age at infusion"
  write_dta(df, file.path(out, paste0(name, ".haven.dta")), version = 14)
}

features <- data.frame(id = 1:4)
features$visit <- as.Date(c("1960-01-01", NA, "2024-02-29", "1901-06-30"))
features$dose <- c(1.25, tagged_na("a"), 3, tagged_na("z"))
features$count <- c(3L, 7L, NA, 12L)
features$arm <- labelled(c(1, 2, 9, NA), labels = c(control = 1, treated = 2))
features$name <- c("Ann", "", "Bo, Jr", "Zoë")
attr(features$dose, "label") <- "Dose (mg/kg)"
write_dta(features, file.path(out, "features.haven117.dta"), version = 13)
write_dta(features, file.path(out, "features.haven119.dta"), version = 15)
writeLines(c("id,visit,dose,count,arm,name",
             "1,1960-01-01,1.25,3,control,Ann",
             "2,,,7,treated,",
             "3,2024-02-29,3,,9,\"Bo, Jr\"",
             "4,1901-06-30,,12,,Zoë"), file.path(out, "features_haven.csv"))
