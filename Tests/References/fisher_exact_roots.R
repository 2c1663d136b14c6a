# Fisher's noncentral hypergeometric equations of a 2x2 table solved to 1e-13, sourced by
# contingency_references.R and association_references.R (fisher.test solves them with uniroot at
# about 1e-4 only). See contingency_references.R for the equations.
nc_hyper <- function(x) {
  m <- sum(x[, 1]); n <- sum(x[, 2]); k <- sum(x[1, ]); a <- x[1, 1]
  s <- max(0, k - n):min(k, m)
  logd <- dhyper(s, m, n, k, log = TRUE)
  dens <- function(u) { l <- logd + u * s; l <- l - max(l); e <- exp(l); e / sum(e) }
  list(a = a, s = s, lo = min(s), hi = max(s),
       mean = function(u) sum(s * dens(u)),
       upper = function(u) sum(dens(u)[s >= a]),
       lower = function(u) sum(dens(u)[s <= a]))
}
solve_log <- function(f) exp(uniroot(f, c(-1, 1), tol = 1e-13, extendInt = "yes", maxiter = 10000)$root)
exact_mle <- function(h) {
  if (h$a == h$lo) return(0); if (h$a == h$hi) return(Inf)
  solve_log(function(u) h$mean(u) - h$a)
}
exact_lower <- function(h, alpha) if (h$a == h$lo) 0 else solve_log(function(u) h$upper(u) - alpha)
exact_upper <- function(h, alpha) if (h$a == h$hi) Inf else solve_log(function(u) h$lower(u) - alpha)

