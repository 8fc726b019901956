#!/usr/bin/env python3
"""Processor cost: javac with -proc:none, with the Growbin processor and with Dekorate 4.1.5 on
the same generated sources, N annotated services among M plain classes. Runs are interleaved
(none, growbin, dekorate, none, ...) so that a change in the machine's load hits every mode alike.
Writes one line per javac run to <results>/processor-runs.tsv.

usage: run.py <work> <results> <repeats> <M> <N>...
"""
import os
import shutil
import subprocess
import sys
import time

work, results, repeats, m = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
ns = [int(x) for x in sys.argv[5:]]
here = os.path.dirname(os.path.abspath(__file__))
app_cp = open(os.path.join(work, "app-cp.txt")).read().strip()
proc_cp = open(os.path.join(work, "proc-cp.txt")).read().strip()
dek_cp = open(os.path.join(work, "dekorate-cp.txt")).read().strip()
javac = os.environ.get("JAVAC", "javac")
cp = app_cp + ":" + dek_cp  # the same compile class path in every mode

out = open(os.path.join(results, "processor-runs.tsv"), "w")
out.write("n\tm\tmode\trun\twall_s\tcpu_s\tload1\tfiles\n")

def javac_run(gen, mode):
    proj = os.path.join(gen, "proj-" + mode)
    shutil.rmtree(proj, ignore_errors=True)
    os.makedirs(proj)
    shutil.copy(os.path.join(gen, "pom.xml"), proj)
    args = [javac, "--release", "17", "-cp", cp, "-d", os.path.join(proj, "target", "classes")]
    if mode == "none":
        args += ["-proc:none"]
    elif mode == "growbin":
        args += ["-processorpath", proc_cp, "-Agrowbin.config=" + os.path.join(gen, "k8s"),
                 "-Agrowbin.output=" + os.path.join(proj, "k8s-out")]
    else:
        args += ["-processorpath", dek_cp]
    args += ["@" + os.path.join(gen, "sources.txt")]
    load = open("/proc/loadavg").read().split()[0]
    t0 = time.perf_counter()
    p = subprocess.Popen(args, cwd=proj, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    _, status, ru = os.wait4(p.pid, 0)
    wall = time.perf_counter() - t0
    log = p.stdout.read().decode(errors="replace")
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"javac failed ({mode}, {gen}):\n{log[-3000:]}")
    files = sum(len(f) for _, _, f in os.walk(proj)) - 1
    return wall, ru.ru_utime + ru.ru_stime, load, files

for n in ns:
    gen = os.path.join(work, f"gen-n{n}-m{m}")
    subprocess.run([sys.executable, os.path.join(here, "gen.py"), gen, str(n), str(m)], check=True)
    javac_run(gen, "none")  # warm the page cache; not recorded
    for r in range(1, repeats + 1):
        for mode in ("none", "growbin", "dekorate"):
            wall, cpu, load, files = javac_run(gen, mode)
            out.write(f"{n}\t{m}\t{mode}\t{r}\t{wall:.3f}\t{cpu:.3f}\t{load}\t{files}\n")
            out.flush()
            print(f"N={n} {mode:8s} run {r}: wall {wall:6.2f} s  cpu {cpu:6.2f} s  load {load}  files {files}",
                  file=sys.stderr, flush=True)
