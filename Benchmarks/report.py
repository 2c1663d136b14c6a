#!/usr/bin/env python3
"""Turns the raw results of Benchmarks/run into the side-by-side table (stdout) and a Markdown report.

    report.py --results DIR --data BASE --markdown FILE --command TEXT [--elapsed S] [--cohort PATH]

DIR holds fit_<tool>.json (one JSON line from cohort-bench / peers/*), fit_<tool>.maxrss_kib (GNU time
%M), e2e_<name>.json (hyperfine --export-json), e2e_<name>.maxrss_kib and e2e_<name>.command.
"""
import argparse
import datetime
import json
import os
import platform
import re
import statistics
import subprocess
import sys

AGREEMENT_TOLERANCE = 1e-6


def load_json(path):
    with open(path) as f:
        return json.loads(f.read().strip().splitlines()[-1])


def max_kib(path):
    """Largest GNU time %M (KiB) in the file, in bytes."""
    values = []
    with open(path) as f:
        for line in f:
            line = line.strip()
            if line.isdigit():
                values.append(int(line))
    return max(values) * 1024 if values else None


def run(cmd):
    try:
        return subprocess.run(cmd, capture_output=True, text=True, timeout=60).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return ""


def seconds(x):
    if x is None:
        return "n/a"
    if x < 10:
        return f"{x:.2f} s"
    return f"{x:.1f} s"


def times(x):
    return "n/a" if x is None else (f"{x:.1f}x" if x >= 10 else f"{x:.2f}x")


def megabytes(b):
    return "n/a" if b is None else f"{b / 1e6:.0f} MB"


def n_label(n):
    k = len(str(n)) - 1
    return f"1e{k}" if n == 10**k else f"{n:,}"


def machine():
    """CPU model, memory and OS name of this machine, from /proc and /etc/os-release ('' if unknown)."""
    cpu = "unknown"
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    mem = ""
    try:
        with open("/proc/meminfo") as f:
            kib = int(f.readline().split()[1])
            mem = f"{kib / 1024**2:.1f} GiB"
    except (OSError, ValueError, IndexError):
        pass
    os_name = ""
    try:
        with open("/etc/os-release") as f:
            for line in f:
                if line.startswith("PRETTY_NAME="):
                    os_name = line.split("=", 1)[1].strip().strip('"')
    except OSError:
        pass

    return cpu, mem, os_name


def machine_state(load_before, load_after):
    """What the load averages say of the machine during a run: quiet when the 1-minute load was below 1.5 before
    and after (this 2-core VM idles near 0.3-1.1), else shared. A run's record states it rather than assuming."""
    def first(load):
        try:
            return float(str(load).split()[0])
        except (ValueError, IndexError):
            return None
    loads = [first(load_before), first(load_after)]
    if None in loads:
        return "load not recorded"
    if max(loads) < 1.5:
        return "no other work running (1-minute load below 1.5 before and after)"
    return "shared with other work (not a quiet machine)"


def environment(cohort):
    cpu, mem, os_name = machine()
    py = run([sys.executable, "-c",
              "import sys, numpy, pandas, statsmodels, scipy\n"
              "cfg = numpy.show_config(mode='dicts') if hasattr(numpy, 'show_config') else {}\n"
              "blas = cfg.get('Build Dependencies', {}).get('blas', {}) if isinstance(cfg, dict) else {}\n"
              "print(sys.version.split()[0], numpy.__version__, pandas.__version__, statsmodels.__version__, "
              "scipy.__version__, blas.get('name', '?') + ' ' + str(blas.get('version', '?')), sep='|')"]).split("|")
    py += ["?"] * (6 - len(py))
    r = run(["Rscript", "-e",
             "cat(paste(R.version$major, R.version$minor, sep='.'), as.character(packageVersion('data.table')), "
             "basename(La_library()), data.table::getDTthreads(), sep='|')"]).split("|")
    r += ["?"] * (4 - len(r))
    swift = run(["swift", "--version"]).splitlines()
    swift = next((line for line in swift if "Swift version" in line), swift[0] if swift else "?")
    # Which BLAS the Swift binary gets: resolve libblas.so.3 from ldd. Since issue 12 it links none
    # (the statistics sum in their own order), which the report says rather than a question mark.
    swift_blas = "none (CohortKit's ordered kernels)"
    openblas = ""
    for line in run(["ldd", cohort]).splitlines():
        m = re.match(r"\s*libblas\.so\.3 => (\S+)", line)
        if m:
            swift_blas = os.path.realpath(m.group(1))
            openblas = run(["dpkg-query", "-W", "-f", "${Version}", "libopenblas0-pthread"])
    git = run(["git", "rev-parse", "--short", "HEAD"])
    dirty = run(["git", "status", "--porcelain", "--untracked-files=no", "--", "Sources", "Package.swift"])
    return {
        "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "cpu": cpu,
        "nproc": os.cpu_count(),
        "memory": mem,
        "os": os_name or platform.platform(),
        "kernel": platform.release(),
        "swift": swift,
        "swift_blas": swift_blas + (f" (Debian libopenblas0-pthread {openblas})" if openblas else ""),
        "git": git + (" with uncommitted changes in Sources/ or Package.swift" if dirty else ""),
        "python": py[0], "numpy": py[1], "pandas": py[2], "statsmodels": py[3], "scipy": py[4], "numpy_blas": py[5],
        "r": r[0], "data_table": r[1], "r_lapack": r[2], "dt_threads": r[3],
        "hyperfine": run(["hyperfine", "--version"]),
    }


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--results", required=True)
    ap.add_argument("--data", required=True)
    ap.add_argument("--markdown", required=True)
    ap.add_argument("--command", required=True)
    ap.add_argument("--elapsed", type=float)
    ap.add_argument("--cohort", default=".build/release/cohort")
    ap.add_argument("--git", default=None, help="what was built (default: git HEAD now)")
    args = ap.parse_args()
    d = args.results

    with open(args.data + ".json") as f:
        meta = json.load(f)
    n, p = meta["n"], meta["p"]
    design_bytes = n * (p + 1) * 8
    csv_bytes = os.path.getsize(args.data + ".csv")

    fits = {}
    for key in ("cohortkit", "statsmodels", "r_glm_fit", "r_glm"):
        r = load_json(os.path.join(d, f"fit_{key}.json"))
        r["maxrss_time"] = max_kib(os.path.join(d, f"fit_{key}.maxrss_kib"))
        fits[key] = r
    e2e = {}
    for key in ("cohortkit", "pandas_statsmodels", "fread_glm", "cohortkit_defaults"):
        h = json.load(open(os.path.join(d, f"e2e_{key}.json")))["results"][0]
        h["maxrss_time"] = max_kib(os.path.join(d, f"e2e_{key}.maxrss_kib"))
        with open(os.path.join(d, f"e2e_{key}.command")) as f:
            h["shown_command"] = f.read().strip()
        e2e[key] = h

    ck = fits["cohortkit"]
    ck_time = ck["median"]
    ck_mem = ck["maxrss_time"]
    nl = n_label(n)
    peer_names = {"statsmodels": "statsmodels Logit.fit", "r_glm_fit": "R glm.fit", "r_glm": "R glm(y ~ .)"}

    rows = []  # (benchmark, cohortkit, peer, peer value, ratio)
    for key in ("statsmodels", "r_glm_fit", "r_glm"):
        f = fits[key]
        rows.append((f"fit n={nl} p={p} (median of {f['repeats']})", seconds(ck_time), peer_names[key],
                     seconds(f["median"]), times(f["median"] / ck_time)))
    for key in ("statsmodels", "r_glm_fit", "r_glm"):
        f = fits[key]
        rows.append(("fit peak memory / design matrix", times(ck_mem / design_bytes), peer_names[key],
                     times(f["maxrss_time"] / design_bytes), times(f["maxrss_time"] / ck_mem)))
    e_ck = e2e["cohortkit"]
    for key, name in (("pandas_statsmodels", "pandas+statsmodels"), ("fread_glm", "fread+glm")):
        e = e2e[key]
        rows.append((f"end-to-end CSV->table (median of {len(e['times'])})", seconds(e_ck["median"]), name,
                     seconds(e["median"]), times(e["median"] / e_ck["median"])))
    for key, name in (("pandas_statsmodels", "pandas+statsmodels"), ("fread_glm", "fread+glm")):
        e = e2e[key]
        rows.append(("end-to-end peak memory", megabytes(e_ck["maxrss_time"]), name, megabytes(e["maxrss_time"]),
                     times(e["maxrss_time"] / e_ck["maxrss_time"])))
    e_def = e2e["cohortkit_defaults"]
    runs = len(e_def["times"])
    rows.append((f"cohort logit defaults: profile CI + LR ({runs} run{'s' if runs > 1 else ''})",
                 seconds(e_def["median"]), "(no peer)", "", ""))

    # Agreement with statsmodels.
    ref = fits["statsmodels"]
    agreement = []
    for key, name in (("cohortkit", "CohortKit"), ("r_glm_fit", "R glm.fit"), ("r_glm", "R glm")):
        f = fits[key]
        db = max(abs(a - b) for a, b in zip(f["coefficients"], ref["coefficients"]))
        dse = max(abs(a - b) / b for a, b in zip(f["standard_errors"], ref["standard_errors"]))
        dll = abs(f["loglik"] - ref["loglik"])
        agreement.append((name, db, dse, dll, f["iterations"], f["converged"],
                          "OK" if db < AGREEMENT_TOLERANCE and f["converged"] else "MISMATCH"))
    true_beta = [meta["true_intercept"]] + meta["true_coefficients"]
    max_true = max(abs(a - b) for a, b in zip(ck["coefficients"], true_beta))

    header = ("benchmark", "CohortKit", "peer", "peer value", "ratio (peer/CohortKit)")
    widths = [max(len(r[i]) for r in rows + [header]) for i in range(5)]

    def line(r):
        return "  ".join(str(c).ljust(w) for c, w in zip(r, widths)).rstrip()

    title = f"CohortKit logistic regression vs peers: n={n:,}, p={p}, synthetic (Benchmarks/make_data.py)"
    out = [title, "", line(header), line(tuple("-" * w for w in widths))] + [line(r) for r in rows]
    out += ["", f"coefficient agreement vs statsmodels (tolerance {AGREEMENT_TOLERANCE:g}):"]
    for name, db, dse, dll, it, conv, status in agreement:
        out.append(f"  {name:<10} max|dbeta| = {db:.2e}  max rel|dSE| = {dse:.2e}  |dloglik| = {dll:.2e}  "
                   f"iterations = {it} (statsmodels {ref['iterations']})  {status}")
    out.append(f"  (statsmodels: {ref['iterations']} Newton iterations; max|beta_CohortKit - beta_true| = {max_true:.3f})")
    print("\n".join(out))

    # Markdown.
    env = environment(args.cohort)
    if args.git:
        env["git"] = args.git
    md = [f"# CohortKit benchmark: logistic regression, n = {n:,}, p = {p}", ""]
    md += [f"- Date: {env['date']}",
           f"- Command: `{args.command}`" + (f" (whole run: {args.elapsed:.0f} s)" if args.elapsed else ""),
           f"- Machine: {env['cpu']}, nproc = {env['nproc']}, {env['memory']} RAM, {env['os']}, Linux {env['kernel']}",
           f"- CohortKit: git {env['git']}; {env['swift']}; BLAS/LAPACK {env['swift_blas']}",
           f"- statsmodels {env['statsmodels']}, numpy {env['numpy']} (BLAS: {env['numpy_blas']}), pandas {env['pandas']}, "
           f"scipy {env['scipy']}, Python {env['python']}",
           f"- R {env['r']} (LAPACK: {env['r_lapack']}), data.table {env['data_table']} (fread threads: {env['dt_threads']})",
           f"- {env['hyperfine']}; peak memory by GNU time (`/usr/bin/time -f %M`)",
           f"- Data: `{os.path.basename(args.data)}.csv` ({csv_bytes / 1e6:.0f} MB) and `.bin`, same values; "
           f"design matrix n x (p+1) x 8 bytes = {design_bytes / 1e6:.0f} MB; event rate {meta['event_rate']:.3f}",
           "", "Ratios are peer / CohortKit: above 1 means CohortKit is faster or smaller. "
           "See [Benchmarks/README.md](../README.md) for what each row measures.", ""]
    md += ["| " + " | ".join(header) + " |", "|" + "|".join(["---"] * 2 + ["---"] + ["---:"] * 2) + "|"]
    for r in rows:
        md.append("| " + " | ".join(c if c else "" for c in r) + " |")
    md += ["", "## Agreement with statsmodels", "",
           "| tool | max abs diff of coefficients | max rel diff of SEs | abs diff of log-likelihood | iterations | converged | status |",
           "|---|---:|---:|---:|---:|---|---|"]
    for name, db, dse, dll, it, conv, status in agreement:
        md.append(f"| {name} | {db:.2e} | {dse:.2e} | {dll:.2e} | {it} | {conv} | {status} |")
    md.append(f"| statsmodels | (reference) | | | {ref['iterations']} | {ref['converged']} | |")
    md += ["", "## Fit details (one process per tool, data loaded before timing)", "",
           "| tool | call | median | min | max | load | RSS at start | RSS before fit | peak RSS (GNU time) | peak / design | (peak - before fit) / design |",
           "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for key, name in (("cohortkit", "CohortKit"), ("statsmodels", "statsmodels"), ("r_glm_fit", "R glm.fit"), ("r_glm", "R glm")):
        f = fits[key]
        md.append(f"| {name} | `{f['call']}` | {seconds(f['median'])} | {seconds(min(f['times']))} | "
                  f"{seconds(max(f['times']))} | {seconds(f['load_seconds'])} | {megabytes(f['rss_start_bytes'])} | "
                  f"{megabytes(f['rss_before_fit_bytes'])} | {megabytes(f['maxrss_time'])} | "
                  f"{times(f['maxrss_time'] / design_bytes)} | "
                  f"{times(max(0, f['maxrss_time'] - f['rss_before_fit_bytes']) / design_bytes)} |")
    md += ["", "## End-to-end details (whole process, hyperfine)", "",
           "| row | command | runs | median | mean ± sd | min | max | peak RSS |", "|---|---|---:|---:|---:|---:|---:|---:|"]
    for key, name in (("cohortkit", "CohortKit"), ("pandas_statsmodels", "pandas+statsmodels"),
                      ("fread_glm", "fread+glm"), ("cohortkit_defaults", "CohortKit defaults")):
        e = e2e[key]
        sd = e["stddev"] if e.get("stddev") is not None else 0.0
        md.append(f"| {name} | `{e['shown_command']}` | {len(e['times'])} | {seconds(e['median'])} | "
                  f"{e['mean']:.2f} ± {sd:.2f} s | {seconds(e['min'])} | {seconds(e['max'])} | {megabytes(e['maxrss_time'])} |")
    md += ["", "Raw output: `Benchmarks/.data/results-*/` (not committed).", ""]
    with open(args.markdown, "w") as f:
        f.write("\n".join(md))


if __name__ == "__main__":
    main()
