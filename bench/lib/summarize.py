#!/usr/bin/env python3
"""Turns the raw benchmark tables in bench/results/ into summary tables (min/median/max over
the repeated runs) and prints them as Markdown. usage: summarize.py processor|rest|workers|memory <results>"""
import csv
import os
import statistics
import sys
from collections import defaultdict

kind, results = sys.argv[1], sys.argv[2]


def rows(name):
    with open(os.path.join(results, name)) as f:
        return list(csv.DictReader(f, delimiter="\t"))


def mmm(values):
    v = sorted(values)
    return v[0], statistics.median(v), v[-1]


def fmt(t, scale=1.0, digits=2):
    return "/".join(f"{x * scale:.{digits}f}" for x in t)


def write(name, header, lines):
    with open(os.path.join(results, name), "w") as f:
        f.write("\t".join(header) + "\n")
        for line in lines:
            f.write("\t".join(str(x) for x in line) + "\n")


def slope(xs, ys):
    mx, my = statistics.mean(xs), statistics.mean(ys)
    sxx = sum((x - mx) ** 2 for x in xs)
    b = sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / sxx
    a = my - b * mx
    ss_tot = sum((y - my) ** 2 for y in ys) or 1e-12
    ss_res = sum((y - (a + b * x)) ** 2 for x, y in zip(xs, ys))
    return a, b, 1 - ss_res / ss_tot


if kind == "processor":
    # (n, m) -> mode -> run -> (wall, cpu); overheads are paired: run r of a mode minus run r of -proc:none
    data = defaultdict(lambda: defaultdict(dict))
    loads = defaultdict(list)
    for r in rows("processor-runs.tsv"):
        key = (int(r["n"]), int(r["m"]))
        data[key][r["mode"]][int(r["run"])] = (float(r["wall_s"]), float(r["cpu_s"]))
        loads[key].append(float(r["load1"]))
    order = ["none", "trivial", "noop", "noopmvn", "growbin", "dekorate"]
    out, ovh = [], {}
    for key in sorted(data):
        modes = data[key]
        for mode in [m for m in order if m in modes]:
            for i, metric in enumerate(("wall_s", "cpu_s")):
                runs = sorted(set(modes[mode]) & set(modes["none"]))
                absolute = mmm([modes[mode][r][i] for r in runs])
                o = mmm([modes[mode][r][i] - modes["none"][r][i] for r in runs]) if mode != "none" else (0, 0, 0)
                ovh[(key, mode, metric)] = o
                out.append([key[0], key[1], mode, metric, *[f"{x:.3f}" for x in absolute], *[f"{x:.3f}" for x in o], len(runs)])
    write("processor-summary.tsv", ["n", "m", "mode", "metric", "min", "med", "max", "ovh_min", "ovh_med", "ovh_max", "runs"], out)

    def cell(key, mode, metric):
        o = ovh.get((key, mode, metric))
        return fmt(o) if o else "–"

    def ratio(key, a, b, metric):
        if (key, a, metric) in ovh and (key, b, metric) in ovh and ovh[(key, b, metric)][1] > 0:
            return f"{ovh[(key, a, metric)][1] / ovh[(key, b, metric)][1]:.2f}"
        return "–"

    print("Overhead over javac -proc:none in seconds, min/median/max of the paired differences; N services among M plain classes.")
    print()
    print("| N | M | metric | -proc:none (s, median) | trivial | Growbin no-op | Growbin no-op, Maven | Growbin changed | Dekorate 4.1.5 "
          "| no-op / trivial | no-op Maven / trivial | changed / Dekorate | runs | load1 min/med/max |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    for key in sorted(data):
        for i, metric in enumerate(("cpu_s", "wall_s")):
            none = statistics.median(v[1 if metric == "cpu_s" else 0] for v in data[key]["none"].values())
            print(f"| {key[0]} | {key[1]} | {metric[:-2]} | {none:.2f} | {cell(key, 'trivial', metric)} | {cell(key, 'noop', metric)} | "
                  f"{cell(key, 'noopmvn', metric)} | {cell(key, 'growbin', metric)} | {cell(key, 'dekorate', metric)} | "
                  f"{ratio(key, 'noop', 'trivial', metric)} | {ratio(key, 'noopmvn', 'trivial', metric)} | "
                  f"{ratio(key, 'growbin', 'dekorate', metric)} | {len(data[key]['none'])} | {fmt(mmm(loads[key]), digits=1)} |")
    # the CPU attributed by async-profiler (run.py, PROFILER): medians over the runs, in ms
    attributed = defaultdict(lambda: defaultdict(list))
    for r in rows("processor-runs.tsv"):
        if r.get("processing_ms"):
            key = (int(r["n"]), int(r["m"]))
            for field in ("processing_ms", "processor_ms", "jit_ms", "main_ms"):
                attributed[(key, r["mode"])][field].append(int(r[field]))
    if attributed:
        print()
        print("CPU attributed by async-profiler (1 ms samples), medians over the runs in ms: the main thread inside annotation "
              "processing (javac's processor discovery and rounds, and the processor), the main thread inside the processor's own "
              "classes, and the JIT compiler threads (their difference from -proc:none is the JIT work the processor brings, within "
              "their run-to-run spread).")
        print()
        print("| N | M | mode | processing (main thread) | in the processor's classes | JIT threads | JIT − -proc:none | main thread in all | runs |")
        print("|---|---|---|---|---|---|---|---|---|")
        for key in sorted(data):
            base = attributed.get((key, "none"), {}).get("jit_ms")
            for mode in [m for m in order if (key, m) in attributed]:
                a = attributed[(key, mode)]
                med = lambda f: statistics.median(a[f])
                jit_delta = f"{med('jit_ms') - statistics.median(base):+.0f}" if base and mode != "none" else "–"
                print(f"| {key[0]} | {key[1]} | {mode} | {med('processing_ms'):.0f} | {med('processor_ms'):.0f} | {med('jit_ms'):.0f} | "
                      f"{jit_delta} | {med('main_ms'):.0f} | {len(a['main_ms'])} |")
        for key in sorted(data):
            t, n = attributed.get((key, "trivial")), attributed.get((key, "noop"))
            if t and n and statistics.median(t["processing_ms"]) > 0:
                print()
                print(f"No-op / trivial, main thread in annotation processing (N = {key[0]}, M = {key[1]}): "
                      f"{statistics.median(n['processing_ms']) / statistics.median(t['processing_ms']):.2f}")
    print()
    for m in sorted({k[1] for k in data}):
        ns = sorted(k[0] for k in data if k[1] == m and "growbin" in data[k] and k[0] >= 10)
        if len(ns) < 2:
            continue
        for mode in ("growbin", "noop"):
            xs = [n for n in ns if ((n, m), mode, "cpu_s") in ovh]
            if len(xs) < 2:
                continue
            ys = [ovh[((n, m), mode, "cpu_s")][1] for n in xs]
            a, b, r2 = slope(xs, ys)
            steps = ", ".join(f"{xs[j]}→{xs[j+1]}: {(ys[j+1]-ys[j])/(xs[j+1]-xs[j])*1000:.2f} ms" for j in range(len(xs) - 1))
            total = (ys[-1] - ys[0]) / (xs[-1] - xs[0]) * 1000
            print(f"CPU per extra service, {'changed inputs' if mode == 'growbin' else 'no-op'} (M = {m}): "
                  f"{total:.2f} ms from N = {xs[0]} to {xs[-1]} (medians); {steps}; least squares {a:.3f} s + {b*1000:.2f} ms × N, R² = {r2:.3f}")
    warm = os.path.join(results, "processor-warm.txt")
    if os.path.exists(warm):
        print()
        print("Warm loop (bench/processor/WarmLoop.java, repeated compiles in one JVM; medians):")
        print()
        print("```")
        print(open(warm).read().strip())
        print("```")

elif kind == "rest":
    groups = defaultdict(list)
    for r in rows("rest-runs.tsv"):
        groups[(r["cores"], r["endpoint"], r["impl"])].append(r)
    out = []
    print("| cores | endpoint | impl | req/s min/med/max | p50 ms min/med/max | p99 ms min/med/max | errors | server CPU ms/req (med) | RabbitMQ+Redis CPU ms/req (med) | server RSS MiB (max) | load1 min/med/max |")
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    med = {}
    for (cores, ep, impl), rs in sorted(groups.items()):
        rps = mmm([float(r["rps"]) for r in rs])
        p50 = mmm([float(r["p50_ms"]) for r in rs])
        p99 = mmm([float(r["p99_ms"]) for r in rs])
        errs = sum(int(r["errors"]) for r in rs)
        ld = mmm([float(r["load1"]) for r in rs])
        med[(cores, ep, impl)] = rps[1]
        out.append([cores, ep, impl, *[f"{x:.0f}" for x in rps], *[f"{x:.2f}" for x in p50],
                    *[f"{x:.2f}" for x in p99], errs, f"{ld[1]:.1f}"])
        rss = max(float(r["server_rss_mib"]) for r in rs)
        scpu = statistics.median([float(r.get("server_cpu_ms_per_req") or "nan") for r in rs])
        icpu = statistics.median([float(r.get("infra_cpu_ms_per_req") or "nan") for r in rs])
        print(f"| {cores} | {ep} | {impl} | {fmt(rps, digits=0)} | {fmt(p50)} | {fmt(p99)} | {errs} | {scpu:.3f} | {icpu:.3f} | {rss:.0f} | {fmt(ld, digits=1)} |")
    write("rest-summary.tsv", ["cores", "endpoint", "impl", "rps_min", "rps_med", "rps_max", "p50_min", "p50_med",
                               "p50_max", "p99_min", "p99_med", "p99_max", "errors", "load1_med"], out)
    print("\n| cores | endpoint | impl | impl / FastAPI (median req/s) |\n|---|---|---|---|")
    for (cores, ep, impl), v in sorted(med.items()):
        if impl != "fastapi" and (cores, ep, "fastapi") in med:
            print(f"| {cores} | {ep} | {impl} | {v / med[(cores, ep, 'fastapi')]:.2f}× |")

elif kind == "workers":
    groups = defaultdict(list)
    for r in rows("workers-runs.tsv"):
        groups[(r["workload"], r["results"], r["impl"])].append(r)
    out, med = [], {}
    print("| workload | results | impl | tasks/s min/med/max | worker CPU ms/task (med) | RabbitMQ+Redis CPU ms/task (med) | cores busy (med) | peak RSS MiB min/med/max | load1 min/med/max |")
    print("|---|---|---|---|---|---|---|---|---|")
    for (wl, res, impl), rs in sorted(groups.items()):
        tps = mmm([float(r["tasks_per_s"]) for r in rs])
        rss = mmm([float(r["rss_mib"]) for r in rs])
        ld = mmm([float(r["load1"]) for r in rs])
        med[(wl, res, impl)] = tps[1]
        out.append([wl, res, impl, *[f"{x:.0f}" for x in tps], *[f"{x:.0f}" for x in rss], f"{ld[1]:.1f}",
                    f"{statistics.median([float(r['cpu_ms_per_task']) for r in rs]):.3f}",
                    f"{statistics.median([float(r['infra_cpu_ms_per_task']) for r in rs]):.3f}"])
        cpt = statistics.median([float(r["cpu_ms_per_task"]) for r in rs])
        busy = statistics.median([float(r["cores_busy"]) for r in rs])
        infra = statistics.median([float(r["infra_cpu_ms_per_task"]) for r in rs])
        print(f"| {wl} | {res} | {impl} | {fmt(tps, digits=0)} | {cpt:.3f} | {infra:.3f} | {busy:.2f} | {fmt(rss, digits=0)} | {fmt(ld, digits=1)} |")
    write("workers-summary.tsv", ["workload", "results", "impl", "tps_min", "tps_med", "tps_max", "rss_min",
                                  "rss_med", "rss_max", "load1_med", "cpu_ms_per_task", "infra_cpu_ms_per_task"], out)
    print("\n| workload | results | impl | impl / Celery (median tasks/s) |\n|---|---|---|---|")
    for (wl, res, impl), v in sorted(med.items()):
        if impl not in ("celery", "ceiling") and (wl, res, "celery") in med:
            print(f"| {wl} | {res} | {impl} | {v / med[(wl, res, 'celery')]:.2f}× |")
    # against the physical limits of the same run: the bare consumer (amqp), the Redis result writes
    # (redis, MULTI/SETEX/PUBLISH/EXEC pipelined) and, for the I/O tasks, concurrency / sleep (ideal)
    ceil_path = os.path.join(results, "workers-ceiling.tsv")
    redis_ceil = None
    if os.path.exists(ceil_path) and rows("workers-ceiling.tsv"):
        rc = rows("workers-ceiling.tsv")
        sets = mmm([float(r["redis_set_per_s"]) for r in rc])
        writes = mmm([float(r["redis_result_write_per_s"]) for r in rc])
        redis_ceil = writes[1]
        print(f"\nRedis, one connection, pipelined 64 (min/med/max over {len(rc)} rounds): SET {fmt(sets, digits=0)}/s; "
              f"result writes (MULTI/SETEX/PUBLISH/EXEC) {fmt(writes, digits=0)}/s")
    ideal = float(os.environ.get("IO_IDEAL", "2000"))
    print("\n| workload | results | impl | tasks/s (med) | ceiling (med) | limited by | fraction of the ceiling |\n|---|---|---|---|---|---|---|")
    fractions = []
    for (wl, res, impl), v in sorted(med.items()):
        amqp = med.get((wl, "none", "ceiling"))
        if impl == "ceiling" or amqp is None:
            continue
        limits = {"amqp": amqp}
        if wl == "io":
            limits["ideal"] = ideal
        if res == "redis" and redis_ceil:
            limits["redis"] = redis_ceil
        by = min(limits, key=limits.get)
        print(f"| {wl} | {res} | {impl} | {v:.0f} | {limits[by]:.0f} | {by} | {v / limits[by]:.0%} |")
        fractions.append([wl, res, impl, f"{v:.0f}", f"{limits[by]:.0f}", by, f"{v / limits[by]:.3f}"])
    write("workers-fractions.tsv", ["workload", "results", "impl", "tps_med", "ceiling_med", "limited_by", "fraction"],
          fractions)

elif kind == "memory":
    groups = defaultdict(list)
    for r in rows("memory-runs.tsv"):
        groups[(r["deployment"], r["jdk"])].append(r)
    out = []
    print("| Deployment | limit | JDK | peak RSS MiB (max of runs) | % of limit | cgroup peak MiB | OOM kills | survived | load |")
    print("|---|---|---|---|---|---|---|---|---|")
    for (dep, jdk), rs in sorted(groups.items()):
        rss = max(float(r["peak_rss_mib"]) for r in rs)
        cg = max(float(r["cgroup_peak_mib"]) for r in rs)
        limit = float(rs[0]["limit_mib"])
        oom = sum(int(r["oom_kills"]) for r in rs if r["oom_kills"].isdigit())
        survived = "yes" if all(r["survived"] == "yes" for r in rs) else "no"
        out.append([dep, jdk, f"{limit:.0f}", f"{rss:.0f}", f"{100 * rss / limit:.0f}", f"{cg:.0f}", oom, survived])
        print(f"| {dep} | {limit:.0f}Mi | {jdk} | {rss:.0f} | {100 * rss / limit:.0f} % | {cg:.0f} | {oom} | {survived} | "
              f"{rs[-1]['load']} |")
    write("memory-summary.tsv", ["deployment", "jdk", "limit_mib", "peak_rss_mib", "pct_of_limit", "cgroup_peak_mib",
                                 "oom_kills", "survived"], out)
