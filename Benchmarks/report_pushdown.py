#!/usr/bin/env python3
"""The pushdown suite's agreement check and report (Benchmarks/run pushdown, issue 17).

    report_pushdown.py check --results DIR --n N [--sites K]
        Without --sites: the coefficients of `cohort logit URL --pull` and of R glm (rows read with
        RPostgreSQL) at N against `cohort logit URL` (the fit inside PostgreSQL), each the run through the
        counting proxy; with --sites K: the pooled fit over K site tables against the single table's fit.
        Max over coefficients of |a - b| / max(|b|, 1): 1e-8 for the peers, 1e-10 for the sites. Exit 1
        when they differ.
    report_pushdown.py report --results DIR --markdown FILE --sizes "N ..." --site-n N --sites "K ..."
                              [--command ... --elapsed S --cohort BIN --git DESC --load L --load-after L
                               --limit S]
        The time and bytes tables by n and by number of sites, the peer / CohortKit ratios and the
        scaling exponents in n (log-log slopes), printed and written as Markdown.

Raw files (written by Benchmarks/run): TOOL_N.K.wall (seconds; K = 0 is the run through the counting
proxy, 1.. the direct runs), .K.rss (GNU time %M, KiB), .K.out (stdout: CohortKit's --format json),
.K.err (stderr: CohortKit's note of the bytes it received), .K.json (R's JSON), TOOL_N.bytes (bytes
the server sent, counted by peers/count_proxy.py), TOOL_N.timeout (the limit, when stopped),
load_N.txt ("N seconds bytes": COPY + VACUUM ANALYZE time, the table's size in PostgreSQL).
TOOL: pushdown, pull, r, sitesK.
"""
import argparse
import json
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from report import environment, machine_state, megabytes, n_label, seconds, times  # noqa: E402
from report_survival import exponent, slope  # noqa: E402

PEER_TOLERANCE = 1e-8
SITE_TOLERANCE = 1e-10
LABELS = {"pushdown": "CohortKit pushdown", "pull": "CohortKit --pull", "r": "R RPostgreSQL + glm"}


def read(d, name):
    p = os.path.join(d, name)
    if not os.path.exists(p):
        return None
    with open(p) as f:
        return f.read()


def coefficients(d, tool, n, k=0):
    """A run's coefficients by CohortKit's term names; None when the run is missing."""
    if tool == "r":
        text = read(d, f"r_{n}.{k}.json")
        return None if text is None else json.loads(text)["coefficients"]
    text = read(d, f"{tool}_{n}.{k}.out")
    if not text:
        return None
    return {c["term"]: c["estimate"] for c in json.loads(text)["coefficients"]}


def max_diff(a, b):
    """Largest |a - b| / max(|b|, 1) over the terms (inf when the term sets differ)."""
    if set(a) != set(b):
        return float("inf")
    return max(abs(a[t] - b[t]) / max(abs(b[t]), 1.0) for t in b)


def agreement(d, n, sites=None):
    """[(label, difference or None, tolerance)] against the single-table pushdown fit at n."""
    ref = coefficients(d, "pushdown", n)
    if ref is None:
        return None
    if sites:
        other = coefficients(d, f"sites{sites}", n)
        return [(f"{sites} sites", None if other is None else max_diff(other, ref), SITE_TOLERANCE)]
    out = []
    for tool in ("pull", "r"):
        other = coefficients(d, tool, n)
        out.append((LABELS[tool], None if other is None else max_diff(other, ref), PEER_TOLERANCE))
    return out


def check(d, n, sites):
    rows = agreement(d, n, sites)
    if rows is None:
        print(f"check n={n}: the pushdown fit is missing", file=sys.stderr)
        return False
    ok = True
    for label, diff, tol in rows:
        if diff is None:
            print(f"check n={n}: {label}: not run (out of time)", file=sys.stderr)
            continue
        good = diff <= tol
        ok &= good
        print(f"check n={n}: {label} vs CohortKit pushdown (single table): max relative difference {diff:.1e} "
              f"(tolerance {tol:g}) {'OK' if good else 'MISMATCH'}", file=sys.stderr)
    return ok


def number(text):
    """The file's number: its last line (GNU time puts "Command exited with non-zero status N" before
    the figure of a run that was stopped)."""
    return None if text is None else float(text.strip().splitlines()[-1])


def runs(d, tool, n):
    """(wall times, from_proxy_run, peak RSS bytes, bytes received, CohortKit's own byte count, timed out)"""
    walls = [number(read(d, f"{tool}_{n}.{k}.wall")) for k in (1, 2, 3)]
    walls = [w for w in walls if w is not None]
    proxied = False
    if not walls and read(d, f"{tool}_{n}.0.wall") is not None:
        walls, proxied = [number(read(d, f"{tool}_{n}.0.wall"))], True
    rss = [number(read(d, f"{tool}_{n}.{k}.rss")) for k in (0, 1, 2, 3)]
    rss = [r * 1024 for r in rss if r is not None]
    received = read(d, f"{tool}_{n}.bytes")
    note = None
    err = read(d, f"{tool}_{n}.0.err") or ""
    m = re.search(r"received (\d+) bytes", err)
    if m:
        note = int(m.group(1))
    return (walls, proxied, max(rss) if rss else None, int(received) if received else None, note,
            read(d, f"{tool}_{n}.timeout") is not None)


def r_inside(d, n):
    """R's in-process (read, glm) seconds of its best direct run, else of run 0."""
    best = None
    for k in (1, 2, 3, 0):
        text = read(d, f"r_{n}.{k}.json")
        wall = number(read(d, f"r_{n}.{k}.wall"))
        if text is None or wall is None:
            continue
        j = json.loads(text)
        if k == 0 and best is not None:
            break
        if best is None or wall < best[0]:
            best = (wall, j["read_seconds"], j["fit_seconds"])
    return None if best is None else best[1:]


def nbytes(b):
    if b is None:
        return "n/a"
    for unit, size in (("GB", 1e9), ("MB", 1e6), ("kB", 1e3)):
        if b >= size:
            return f"{b / size:.3g} {unit}"
    return f"{b} B"


def cell(r, limit):
    walls, proxied, _, _, _, timeout = r
    if timeout and not walls:
        return f"over {limit:g} s (stopped)"
    if not walls:
        return "n/a"
    return f"{seconds(min(walls))} ({len(walls)}{'†' if proxied else ''})"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("mode", choices=["check", "report"])
    ap.add_argument("--results", required=True)
    ap.add_argument("--n", type=int)
    ap.add_argument("--sites", default="")
    ap.add_argument("--site-n", type=int)
    ap.add_argument("--markdown")
    ap.add_argument("--command", default="")
    ap.add_argument("--env", default="", help="the suite's environment variables as set, shown before the command")
    ap.add_argument("--sizes", default="")
    ap.add_argument("--elapsed", type=float, default=0)
    ap.add_argument("--cohort", default=".build/release/cohort")
    ap.add_argument("--git", default="")
    ap.add_argument("--load", default="")
    ap.add_argument("--load-after", default="")
    ap.add_argument("--limit", type=float, default=1800)
    args = ap.parse_args()
    d = args.results
    if args.mode == "check":
        sys.exit(0 if check(d, args.n, int(args.sites) if args.sites else None) else 1)

    sizes = [int(s) for s in args.sizes.split()]
    site_counts = [int(s) for s in args.sites.split()]
    ok = True
    t_lines = ["| rows | table in PostgreSQL (COPY + ANALYZE) | CohortKit pushdown | CohortKit `--pull` | R RPostgreSQL + glm "
               "(read + glm) | `--pull` / pushdown | R / pushdown | peak RSS: pushdown, `--pull`, R |",
               "|---|---|---|---|---|---|---|---|"]
    b_lines = ["| rows | CohortKit pushdown (its own count) | CohortKit `--pull` | R RPostgreSQL | `--pull` / pushdown "
               "| R / pushdown |", "|---|---|---|---|---|---|"]
    series_t, series_b = {}, {}
    any_proxied = False
    agree_lines = []
    for n in sizes:
        load = read(d, f"load_{n}.txt")
        load = load.split() if load else None
        r = {tool: runs(d, tool, n) for tool in ("pushdown", "pull", "r")}
        best = {tool: (min(v[0]) if v[0] else None) for tool, v in r.items()}
        any_proxied |= any(v[1] for v in r.values())
        for tool in r:
            series_t.setdefault(tool, []).append((n, best[tool]))
            series_b.setdefault(tool, []).append((n, r[tool][3]))
        inside = r_inside(d, n)
        rcell = cell(r["r"], args.limit) + (f" ({seconds(inside[0])} + {seconds(inside[1])})" if inside else "")
        p = best["pushdown"]
        t_lines.append(
            f"| {n_label(n)} | {nbytes(int(load[2])) + ', ' + load[1] + ' s' if load else 'n/a'} | {cell(r['pushdown'], args.limit)} "
            f"| {cell(r['pull'], args.limit)} | {rcell} "
            f"| {times(best['pull'] / p) if best['pull'] and p else 'n/a'} | {times(best['r'] / p) if best['r'] and p else 'n/a'} "
            f"| {megabytes(r['pushdown'][2])}, {megabytes(r['pull'][2])}, {megabytes(r['r'][2])} |")
        pb = r["pushdown"][3]
        b_lines.append(
            f"| {n_label(n)} | {nbytes(pb)} ({nbytes(r['pushdown'][4])}) | {nbytes(r['pull'][3])} | {nbytes(r['r'][3])} "
            f"| {times(r['pull'][3] / pb) if r['pull'][3] and pb else 'n/a'} | {times(r['r'][3] / pb) if r['r'][3] and pb else 'n/a'} |")
        rows = agreement(d, n) or []
        for label, diff, tol in rows:
            ok &= diff is None or diff <= tol
        agree_lines.append(f"- n = {n_label(n)}: " + "; ".join(
            f"{label} {'not run' if diff is None else f'{diff:.1e}'}" for label, diff, _ in rows))
    s_lines = ["| sites | rows a site | pooled fit, time (runs) | bytes received (CohortKit's own count) | time / 1 site "
               "| bytes / 1 site | vs the single table |", "|---|---|---|---|---|---|---|"]
    base_t = base_b = None
    for k in site_counts:
        r = runs(d, f"sites{k}", args.site_n)
        any_proxied |= r[1]
        t = min(r[0]) if r[0] else None
        if k == 1:
            base_t, base_b = t, r[3]
        diff = (agreement(d, args.site_n, k) or [(None, None, None)])[0][1]
        ok &= diff is None or diff <= SITE_TOLERANCE
        s_lines.append(
            f"| {k} | {args.site_n // k:,} | {cell(r, args.limit)} | {nbytes(r[3])} ({nbytes(r[4])}) "
            f"| {times(t / base_t) if t and base_t else 'n/a'} | {times(r[3] / base_b) if r[3] and base_b else 'n/a'} "
            f"| {'n/a' if diff is None else f'{diff:.1e}'} |")
    scaling = ["| tool | time grows as | bytes grow as |", "|---|---|---|"]
    for tool in ("pushdown", "pull", "r"):
        scaling.append(f"| {LABELS[tool]} | {exponent(slope(series_t.get(tool, [])))} "
                       f"| {exponent(slope(series_b.get(tool, [])))} |")
    notes = [
        "Time: the best (minimum) wall time of the whole process over the direct runs in brackets (3 when the "
        "run through the proxy took under 10 s, 1 under 120 s), start-up and connection included. " + (
            "† one run only, the run through the counting proxy (it took over 120 s, or, for the pooled site fits, "
            "over 10 s, so it was not repeated; the proxy adds the copying of the bytes in the bytes table to it). "
            if any_proxied else "") +
        "Ratios: peer / CohortKit pushdown, above 1 means the pushdown is faster or sends fewer bytes. "
        "R's brackets: its in-process seconds of `dbGetQuery` (connect and read) and of `glm()` alone.",
        "Bytes: everything the server sent to the client over TCP (the PostgreSQL protocol, startup and "
        "authentication included), counted by `peers/count_proxy.py`, a forwarding proxy on 127.0.0.1 that every "
        "tool reached the server through in its first run (the same method for every tool); in brackets "
        "CohortKit's own count from its standard-error note (bytes at the front of its connection pipeline).",
        "CohortKit pushdown: `cohort logit 'postgresql://cohort@127.0.0.1:PORT/bench?table=pd_N' --outcome y "
        "--covariates age,ldh,sex,risk,treated --factor sex=F --factor risk=low --ci wald --no-lr --format json`: each "
        "IRLS iteration is one aggregate query (X'WX, the score, the deviance, the counts) run by PostgreSQL over "
        "the rows; no row leaves the server. `--pull`: the same command with `--pull` (the rows are read and the "
        "model fitted in the process). R: `peers/r_pg_glm.R` (RPostgreSQL `dbGetQuery` of the six columns, then "
        "`glm(y ~ age + ldh + sex + risk + treated, family = binomial)`, `summary()`, `confint.default()`). "
        "Sites: the same table split into k tables by `id % k`, one `--site URL` each, pooled.",
    ]
    print("\n".join(t_lines + [""] + b_lines + [""] + s_lines + [""] + scaling + [""] + agree_lines + [""] + ["\n\n".join(notes)]))
    if not args.markdown:
        sys.exit(0 if ok else 1)
    env = environment(args.cohort)
    if args.git:
        env["git"] = args.git
    version = (read(d, "server.version") or "?").strip().split(" on ")[0]
    md = [f"# CohortKit benchmark: logistic regression inside PostgreSQL, n = {n_label(min(sizes))} to "
          f"{n_label(max(sizes))} rows, and over 1 to {max(site_counts)} sites", ""]
    md += [f"- Date: {env['date']}",
           f"- Command: `{args.env}{args.command}`" + (f" (whole run: {args.elapsed:.0f} s)" if args.elapsed else ""),
           f"- Machine: {env['cpu']}, {env['nproc']} logical CPUs, {env['memory']}; {env['os']}, kernel {env['kernel']}; "
           f"{machine_state(args.load, args.load_after)}",
           f"- Load average (1, 5, 15 min) before: {args.load or 'n/a'}; after: {args.load_after or 'n/a'}",
           f"- CohortKit: git {env['git']}; {env['swift']}; " + (
               f"**a debug build** (`{os.path.realpath(args.cohort)}`; the release build was not ready): the "
               "pushdown's time is PostgreSQL's, the bytes do not depend on the build, but a debug `--pull` "
               "is not a figure" if "/debug/" in os.path.realpath(args.cohort) else "`swift build -c release`"),
           f"- Server: {version}, a throw-away cluster (`scripts/postgres`: 127.0.0.1, private port, fsync off, "
           "shared_buffers 32MB, otherwise the defaults) on the same machine; client and server share its 2 CPUs",
           f"- R {env['r']} with RPostgreSQL {r_pkg(d)}",
           "- Data: `make_pushdown_data.py --n N` (numpy, fixed seed; SYNTHETIC): id, a 0/1 outcome y (about 26 % "
           "events), age and ldh (integers), sex (F/M), risk (low/intermediate/high), treated (0/1); 7 parameters; "
           "loaded with psql `\\copy` (psql loads the benchmark data only; the toolkit never runs psql)",
           "", "Time:", "", *t_lines, "", "Bytes received from the server:", "", *b_lines, "",
           f"Sites: the {n_label(args.site_n)}-row table split into k site tables, pooled fit (`--site` k times):", "",
           *s_lines, "", "Scaling exponent: least-squares slope of log(best time) and of log(bytes) on log(n) over the "
           "sizes measured (start-up included, so time's is below 1 where start-up weighs).", "", *scaling, "",
           "Agreement, checked before timing (max over coefficients of |a - b| / max(|b|, 1), against the pushdown "
           f"fit of the single table; tolerance {PEER_TOLERANCE:g} for the peers, {SITE_TOLERANCE:g} for the sites):",
           "", *agree_lines, "", "\n\n".join(notes), ""]
    os.makedirs(os.path.dirname(os.path.abspath(args.markdown)), exist_ok=True)
    with open(args.markdown, "w") as f:
        f.write("\n".join(md))
    sys.exit(0 if ok else 1)


def r_pkg(d):
    for name in sorted(os.listdir(d)):
        if name.startswith("r_") and name.endswith(".json"):
            with open(os.path.join(d, name)) as f:
                return json.load(f)["tool"].split("RPostgreSQL ")[-1]
    return "?"


if __name__ == "__main__":
    main()
