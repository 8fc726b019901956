#!/usr/bin/env python3
"""Processor cost, one javac (a fresh JVM, as a command-line build runs it) per measurement, on the
sources gen.py writes: N @RestService classes among M plain classes. Modes, on the same sources and
the same class path:

  none      javac -proc:none
  trivial   a processor that writes one file per @RestService class (bench/processor/trivial), found on its
            processor path through META-INF/services as every processor here is (javac's -processor would skip that)
  noop      the Growbin processor, into a class output and k8s-out/ that a Growbin compile of the same
            inputs left behind: the compile of a method-body change (it must report "is up to date"), as
            javac, an IDE or Gradle runs it, with the class output in place
  noopmvn   the same no-op compile after the class output was deleted (the state beside it, target/growbin,
            kept): Maven's compiler plugin deletes what the last compilation created before it recompiles, so
            the generated catalog is written again and javac compiles it in a second round
  growbin   the Growbin processor into an empty class output and k8s-out/: every file rendered
  dekorate  Dekorate 4.1.5 (one @KubernetesApplication class)

With PROFILER set to async-profiler's libasyncProfiler.so (bench/processor.sh fetches the pinned
tools.profiler:async-profiler:4.0 from Maven Central), every javac also runs under it (CPU samples every
millisecond, per thread), which attributes the CPU: the main thread's samples inside annotation processing
(javac's JavacProcessingEnvironment: discovering processors, rounds, and the processors themselves), the
samples inside the processor's own classes, and the JIT compiler threads' samples. A processor's cost on
the main thread is small next to javac's 5 to 10 s of CPU, and the run-to-run spread of the JIT threads
alone is larger than it; the attribution shows it without that noise.

Runs are interleaved (every mode once, then again, ...) so that a change in the machine's load hits
every mode alike; overheads are paired differences against the -proc:none run of the same round.
Writes one line per javac run to <results>/processor-runs.tsv.

usage: run.py <work> <results> <repeats> <config>...   config = N:M:mode,mode,...
"""
import os
import shutil
import subprocess
import sys
import time

work, results, repeats = sys.argv[1], sys.argv[2], int(sys.argv[3])
configs = []
for c in sys.argv[4:]:
    n, m, modes = c.split(":")
    configs.append((int(n), int(m), modes.split(",")))
here = os.path.dirname(os.path.abspath(__file__))
app_cp = open(os.path.join(work, "app-cp.txt")).read().strip()
proc_cp = open(os.path.join(work, "proc-cp.txt")).read().strip()
dek_cp = open(os.path.join(work, "dekorate-cp.txt")).read().strip()
trivial_cp = os.path.join(work, "trivial")
javac = os.environ.get("JAVAC", "javac")
cp = app_cp + ":" + dek_cp  # the same compile class path in every mode

out = open(os.path.join(results, "processor-runs.tsv"), "w")
out.write("n\tm\tmode\trun\twall_s\tcpu_s\tload1\tfiles\tprocessing_ms\tprocessor_ms\tjit_ms\tmain_ms\n")
profiler = os.environ.get("PROFILER", "")
# the classes of each processor, as they appear in a collapsed stack
PROCESSOR_FRAMES = ("app/growbin/processor/", "bench/TrivialProcessor", "io/dekorate/", "io/sundr/")


def attribute(collapsed):
    """Milliseconds of CPU (1 ms samples): in annotation processing on the main thread, in the
    processor's own classes, in the JIT compiler threads, and on the main thread in all."""
    processing = processor = jit = main = 0
    if not collapsed or not os.path.exists(collapsed):
        return ("", "", "", "")
    with open(collapsed) as f:
        for line in f:
            stack, _, count = line.rstrip("\n").rpartition(" ")
            n = int(count)
            thread = stack.split(";", 1)[0]
            if thread.startswith("[C1 Compiler") or thread.startswith("[C2 Compiler"):
                jit += n
            elif thread.startswith("[main"):
                main += n
                if "JavacProcessingEnvironment" in stack:
                    processing += n
                if any(frame in stack for frame in PROCESSOR_FRAMES):
                    processor += n
    os.remove(collapsed)
    return (processing, processor, jit, main)


def javac_run(gen, mode, fresh=True, check=True):
    proj = os.path.join(gen, "proj-" + mode)
    if fresh:
        shutil.rmtree(proj, ignore_errors=True)
        os.makedirs(proj)
        shutil.copy(os.path.join(gen, "pom.xml"), proj)
    collapsed = os.path.join(proj, "..", f"profile-{mode}.collapsed") if profiler else ""
    args = [javac] + ([f"-J-agentpath:{profiler}=start,event=cpu,interval=1ms,threads,collapsed,file={collapsed}"] if profiler else [])
    args += ["--release", "17", "-cp", cp, "-d", os.path.join(proj, "target", "classes")]
    if mode == "none":
        args += ["-proc:none"]
    elif mode == "trivial":
        args += ["-processorpath", trivial_cp]  # found through META-INF/services, as the Growbin processor is
    elif mode in ("growbin", "noop", "noopmvn"):
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
    skips = mode in ("noop", "noopmvn")
    if check and skips != ("is up to date" in log) and mode in ("noop", "noopmvn", "growbin"):
        sys.exit(f"the {mode} compile {'did not skip' if skips else 'skipped'} ({gen}):\n{log[-3000:]}")
    files = sum(len(f) for _, _, f in os.walk(proj)) - 1
    return wall, ru.ru_utime + ru.ru_stime, load, files, attribute(collapsed)


gens = {}
for n, m, modes in configs:
    gen = os.path.join(work, f"gen-n{n}-m{m}")
    subprocess.run([sys.executable, os.path.join(here, "gen.py"), gen, str(n), str(m)], check=True)
    gens[(n, m)] = gen
    javac_run(gen, "none")  # warm the page cache; not recorded
    for mode in ("noop", "noopmvn"):
        if mode in modes:
            javac_run(gen, mode, fresh=True, check=False)  # the generation the no-op compiles find

for r in range(1, repeats + 1):
    for n, m, modes in configs:
        for mode in modes:
            if mode == "noopmvn":
                shutil.rmtree(os.path.join(gens[(n, m)], "proj-" + mode, "target", "classes"), ignore_errors=True)
            wall, cpu, load, files, cost = javac_run(gens[(n, m)], mode, fresh=mode not in ("noop", "noopmvn"))
            out.write(f"{n}\t{m}\t{mode}\t{r}\t{wall:.3f}\t{cpu:.3f}\t{load}\t{files}\t" + "\t".join(str(c) for c in cost) + "\n")
            out.flush()
            print(f"run {r} N={n} M={m} {mode:8s}: wall {wall:6.2f} s  cpu {cpu:6.2f} s  load {load}  files {files}"
                  + (f"  processing {cost[0]} ms  processor {cost[1]} ms  jit {cost[2]} ms" if profiler else ""),
                  file=sys.stderr, flush=True)
