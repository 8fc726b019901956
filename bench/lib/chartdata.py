#!/usr/bin/env python3
"""Reshapes bench/results/*-summary.tsv into the wide .dat files bench/charts.gnuplot plots."""
import csv
import os
import sys

res, out = sys.argv[1], sys.argv[2]
os.makedirs(out, exist_ok=True)


def rows(name):
    p = os.path.join(res, name)
    if not os.path.exists(p):
        return []
    with open(p) as f:
        return list(csv.DictReader(f, delimiter="\t"))


def wide(rs, key, col, impls, prefix):
    cats = []
    for r in rs:
        if key(r) not in cats:
            cats.append(key(r))
    lines = []
    for c in cats:
        vals = []
        for i in impls:
            m = [r for r in rs if key(r) == c and r[col] == i]
            vals += [m[0][prefix + "_med"], m[0][prefix + "_min"], m[0][prefix + "_max"]] if m else ["-", "-", "-"]
        lines.append('"' + c + '" ' + " ".join(vals))
    return "\n".join(lines) + "\n"


p = rows("processor-summary.tsv")
ms = sorted({int(r["m"]) for r in p})
m_chart = max(ms, key=lambda m: (len({r["n"] for r in p if int(r["m"]) == m}), m))  # the M with the most N
with open(os.path.join(out, "processor.dat"), "w") as f:
    f.write(f"# n, then median min max of the CPU overhead over javac -proc:none for: Growbin changed, Growbin no-op, Dekorate (M = {m_chart})\n")
    by = {(int(r["n"]), r["mode"]): r for r in p if r["metric"] == "cpu_s" and int(r["m"]) == m_chart}
    for n in sorted({n for n, _ in by}):
        cells = []
        for mode in ("growbin", "noop", "dekorate"):
            r = by.get((n, mode))
            cells += [r["ovh_med"], r["ovh_min"], r["ovh_max"]] if r else ["-", "-", "-"]
        f.write(f"{n} {' '.join(cells)}\n")

r = rows("rest-summary.tsv")
with open(os.path.join(out, "rest.dat"), "w") as f:
    f.write(wide(r, lambda x: f'{x["endpoint"]} {x["cores"]}c', "impl", ["growbin", "growbin-jdk25", "growbin+fix", "fastapi"], "rps"))

w = rows("workers-summary.tsv")
with open(os.path.join(out, "workers.dat"), "w") as f:
    f.write(wide(w, lambda x: f'{x["workload"]} {x["results"]}', "impl", ["ceiling", "java", "java-main", "celery"], "tps"))

m = rows("memory-summary.tsv")
with open(os.path.join(out, "memory.dat"), "w") as f:
    for x in m:
        f.write(f'"{x["deployment"]} {x["jdk"]}" {x["peak_rss_mib"]} {x["limit_mib"]}\n')
