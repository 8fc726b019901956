#!/usr/bin/env bash
# Processor cost, in one interleaved run: javac -proc:none vs a trivial processor vs the Growbin processor
# on a no-op compile (inputs unchanged) and on a compile whose inputs changed vs Dekorate 4.1.5; the CPU per
# extra service (N = 10 → 1000 services); and the warm cost (repeated compiles in one JVM, bench/processor/WarmLoop.java).
#   bench/processor.sh                                  # defaults below
#   REPEATS=5 PLAIN="100 500" SERVICES="10 100 1000" WARM_ROUNDS=20 bench/processor.sh
# Output: bench/results/processor-runs.tsv (every javac), processor-summary.tsv, processor-warm.tsv,
# processor-warm.txt, processor-machine.txt
set -euo pipefail
source "$(dirname "$0")/lib/common.sh"
REPEATS=${REPEATS:-5}; PLAIN=${PLAIN:-"100 500"}; SERVICES=${SERVICES:-"10 100 1000"}; M=${M:-500}
WARM_SERVICES=${WARM_SERVICES:-10}; WARM_PLAIN=${WARM_PLAIN:-20}; WARM_UP=${WARM_UP:-40}; WARM_ROUNDS=${WARM_ROUNDS:-20}
WORK="$WORK/processor"; mkdir -p "$WORK/lib"
# The processor, annotations and runtime jars of this tree, packaged in the reactor, with their dependencies.
BENCH_REFRESH=1 growbin_jars
if [[ ! -s "$WORK/dekorate-cp.txt" ]]; then
  log "resolving io.dekorate:kubernetes-annotations:4.1.5 from Maven Central"
  mvn -B -q -f "$BENCH/processor/dekorate-pom.xml" dependency:build-classpath -Dmdep.outputFile="$WORK/dekorate-cp.txt" >&2
fi
# the trivial processor: one file per @RestService class, nothing else
rm -rf "$WORK/trivial" && mkdir -p "$WORK/trivial/META-INF/services"
javac --release 17 -d "$WORK/trivial" "$BENCH/processor/trivial/bench/TrivialProcessor.java"
echo bench.TrivialProcessor > "$WORK/trivial/META-INF/services/javax.annotation.processing.Processor"
# async-profiler (pinned, from Maven Central) attributes each javac's CPU to annotation processing, the
# processor's own classes and the JIT threads (run.py); PROFILE=0 leaves it out.
export PROFILER=""
if [[ "${PROFILE:-1}" == 1 ]]; then
  ap="$WORK/async-profiler-4.0"
  if [[ ! -s "$ap/lib.so" ]]; then
    mkdir -p "$ap"
    mvn -B -q -ntp dependency:copy -Dartifact=tools.profiler:async-profiler:4.0 -DoutputDirectory="$ap" >&2
    case "$(uname -m)" in x86_64) arch=linux-x64;; aarch64) arch=linux-arm64;; *) arch="";; esac
    [[ -n "$arch" ]] && unzip -p "$ap/async-profiler-4.0.jar" "$arch/libasyncProfiler.so" > "$ap/lib.so"
  fi
  if [[ -s "$ap/lib.so" ]] && $JAVA "-agentpath:$ap/lib.so=start,event=cpu,interval=1ms,file=$WORK/probe.txt" -version >/dev/null 2>&1; then
    PROFILER="$ap/lib.so"
  else
    log "async-profiler cannot sample CPU here (perf events refused?): no attribution of the CPU"
  fi
fi
machine_info > "$RESULTS/processor-machine.txt"
configs=()
for m in $PLAIN; do configs+=("1:$m:none,trivial,noop,noopmvn,growbin,dekorate"); done
for n in $SERVICES; do configs+=("$n:$M:none,noop,growbin"); done
log "configs ${configs[*]}, $REPEATS rounds (load now $(load1))"
$PY "$BENCH/processor/run.py" "$WORK" "$RESULTS" "$REPEATS" "${configs[@]}"
log "warm loop: N = $WARM_SERVICES, M = $WARM_PLAIN, $WARM_UP warm-up rounds, $WARM_ROUNDS measured (load now $(load1))"
$PY "$BENCH/processor/gen.py" "$WORK/warm-n$WARM_SERVICES-m$WARM_PLAIN" "$WARM_SERVICES" "$WARM_PLAIN"
rm -rf "$WORK/warm-n$WARM_SERVICES-m$WARM_PLAIN"/warm-*
$JAVA "$BENCH/processor/WarmLoop.java" "$WORK/warm-n$WARM_SERVICES-m$WARM_PLAIN" "$(cat "$WORK/app-cp.txt")" "$(cat "$WORK/proc-cp.txt")" \
  "$WARM_UP" "$WARM_ROUNDS" "$RESULTS/processor-warm.tsv" | tee "$RESULTS/processor-warm.txt"
$PY "$BENCH/lib/summarize.py" processor "$RESULTS"
