# JSON writers shared by the logistic reference scripts (glm_references.R, firth_references.R,
# logit_edge_references.R): hand-formatted, numbers with 17 significant digits, so that no JSON
# package is needed and reruns are byte-identical. Sourced from the repository root.
jnum <- function(x) {
  if (is.null(x) || length(x) == 0 || is.na(x) || !is.finite(x)) return("null")
  sprintf("%.17g", x)
}
jint <- function(x) sprintf("%d", as.integer(x))
jstr <- function(x) {
  if (is.null(x) || is.na(x)) return("null")
  x <- gsub("\\\\", "\\\\\\\\", x)
  x <- gsub("\"", "\\\\\"", x)
  paste0("\"", x, "\"")
}
jbool <- function(x) if (isTRUE(x)) "true" else "false"
jstrarr <- function(v) {
  if (length(v) == 0) return("[]")
  paste0("[", paste(vapply(v, jstr, ""), collapse = ", "), "]")
}
jstrobj <- function(l) {
  if (length(l) == 0) return("{}")
  paste0("{", paste(sprintf("%s: %s", vapply(names(l), jstr, ""),
                             vapply(unlist(l), jstr, "")), collapse = ", "), "}")
}

write_case_json <- function(path, top, coefs) {
  lines <- c("{")
  kv <- sprintf("  %s: %s", vapply(names(top), jstr, ""), unlist(top))
  lines <- c(lines, paste0(kv, ","))
  lines <- c(lines, "  \"coefficients\": [")
  for (i in seq_along(coefs)) {
    cf <- coefs[[i]]
    inner <- sprintf("      %s: %s", vapply(names(cf), jstr, ""), unlist(cf))
    inner <- paste0(inner, c(rep(",", length(inner) - 1), ""))
    lines <- c(lines, "    {", inner, if (i < length(coefs)) "    }," else "    }")
  }
  lines <- c(lines, "  ]", "}")
  con <- file(path, open = "wb")
  writeLines(lines, con, sep = "\n")
  close(con)
}
