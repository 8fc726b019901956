#!/usr/bin/env bash
# Worker throughput: Growbin Java worker vs Celery 5 on the same RabbitMQ (127.0.0.1:5672) and Redis,
# and against the physical limits measured in the same run.
#   trivial tasks (bench.add): Java PROCESSES vs Celery prefork, concurrency 2
#   I/O tasks (bench.sleep 50 ms): Java GEVENT vs Celery gevent, concurrency 100
# each with results stored in Redis and with ignore_result (no Redis write).
# Impls: java (this tree's runtime), java-main (the runtime of $BASE_REF, compiled into a class overlay:
# the before of this round), java25 (JDK 25, virtual threads for GEVENT), celery, and the ceilings:
#   ceiling: a bare amqp-client consumer (bench/java/app/growbin/bench/Ceiling.java) with the Java
#            worker's prefetch that acks each message as it arrives (no decoding, no Redis), timed the same way;
#            CEILING_PREFETCH_TRIVIAL (8) and CEILING_PREFETCH_IO (400) follow the worker's default prefetch
#            (4 x concurrency): set them with WORKER_PREFETCH_MULTIPLIER, which the java worker reads from here;
#   redis:   SETs of a result-sized value on one connection, pipelined 64 at a time, and the same as the
#            worker writes results (MULTI/SETEX/PUBLISH/EXEC), once per round (workers-ceiling.tsv).
# Both workers log at WARNING (Celery: --loglevel=WARNING; Java: LOG_LEVEL=WARN, which every runtime version reads:
# before the fix of issue 15 the runtime took "WARNING" for an unknown level and logged at INFO, two lines a task).
# Method: a fresh queue (unique name) is filled with WARM + N Celery v2 messages, the worker is
# started, and the time the last N take to leave the queue is measured (steady state, after JIT
# warm-up and pool start); the worker's process tree RSS/PSS is sampled meanwhile. Queue and
# results are deleted afterwards.
#   bench/workers.sh                   REPEATS=3 IMPLS="java celery" WORKLOADS="trivial io"
# Output: bench/results/workers-runs.tsv, workers-summary.tsv, workers-machine.txt
set -euo pipefail
source "$(dirname "$0")/lib/common.sh"
source "$BENCH/lib/build-java.sh"
REPEATS=${REPEATS:-3}; IMPLS=${IMPLS:-"ceiling java java-main celery"}
BASE_REF=${BASE_REF:-main}
WORKLOADS=${WORKLOADS:-"trivial io"}
RESULT_MODES=${RESULT_MODES:-"redis none"}
N_TRIVIAL=${N_TRIVIAL:-30000}; WARM_TRIVIAL=${WARM_TRIVIAL:-5000}
N_IO=${N_IO:-4000}; WARM_IO=${WARM_IO:-800}; SLEEP_MS=${SLEEP_MS:-50}
JAVA25=${JAVA25:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}
NEED_SAMPLE=0 build_java
# java-main: the runtime of $BASE_REF in front of this tree's runtime jar (same dependencies)
build_base_overlay() {
  local src="$WORK/base-src" out="$WORK/base-overlay"
  rm -rf "$src" "$out"; mkdir -p "$src" "$out"
  git -C "$ROOT" archive "$BASE_REF" runtime/src/main/java | tar -x -C "$src"
  find "$src" -name '*.java' > "$WORK/base-sources.txt"
  javac --release 17 -proc:none -nowarn -cp "$(cat "$WORK/app-cp.txt")" -d "$out" @"$WORK/base-sources.txt" 2>&1 | grep -v '^Note:' >&2 || true
}
[[ " $IMPLS " == *" java-main "* ]] && build_base_overlay
machine_info > "$RESULTS/workers-machine.txt"
echo "java-main: $BASE_REF = $(git -C "$ROOT" rev-parse "$BASE_REF"); java: $(git -C "$ROOT" rev-parse HEAD)$(git -C "$ROOT" diff --quiet HEAD -- runtime || echo ' + uncommitted runtime changes')" >> "$RESULTS/workers-machine.txt"
echo "java25: $("$JAVA25" -version 2>&1 | head -2 | tr '\n' ' ')" >> "$RESULTS/workers-machine.txt"
echo "celery: $($PY -c 'import celery, gevent, kombu; print(celery.__version__, "gevent", gevent.__version__, "kombu", kombu.__version__)')" >> "$RESULTS/workers-machine.txt"
CP="${CP_PREFIX:+$CP_PREFIX:}$(cat "$WORK/app-cp.txt"):$WORK/workers"
OUT="$RESULTS/workers-runs.tsv"
echo -e "workload\tresults\timpl\trun\ttasks_per_s\trss_mib\tpss_mib\tcpu_ms_per_task\tcores_busy\tinfra_cpu_ms_per_task\tload1" > "$OUT"
CEIL="$RESULTS/workers-ceiling.tsv"
echo -e "run\tredis_set_per_s\tredis_result_write_per_s\tload1" > "$CEIL"
# a result as the worker stores it: {"status": "SUCCESS", "result": 5, "traceback": null, "children": [], "date_done": ..., "task_id": ...}
RESULT_BYTES=${RESULT_BYTES:-150}
MQ="$PY $BENCH/lib/mq.py"
PIDFILE="$WORK/worker.pid"; QUEUE=""
# RabbitMQ's and Redis' CPU per task is measured too (read from /proc, nothing else is done to them)
export BENCH_INFRA_PIDS="$(pgrep -x beam.smp || true) $(pgrep -x redis-server || true)"
cleanup() {
  [[ -s "$PIDFILE" ]] && kill -TERM "$(cat "$PIDFILE")" 2>/dev/null || true
  [[ -n "$QUEUE" ]] && $MQ delete "$QUEUE" 2>/dev/null || true
}
trap cleanup EXIT

start_worker() { # impl workload queue
  local impl=$1 wl=$2 q=$3 java=$JAVA name pool conc
  if [[ $wl == trivial ]]; then name=bench-trivial; pool=prefork; conc=2; else name=bench-io; pool=gevent; conc=100; fi
  case $impl in
    ceiling)
      local prefetch=${CEILING_PREFETCH_IO:-400}; [[ $wl == trivial ]] && prefetch=${CEILING_PREFETCH_TRIVIAL:-8}   # Pools.prefetch: 4 x concurrency (PROCESSES 2, GEVENT 100)
      setsid "$java" -XX:MaxRAM=1g -cp "$CP" app.growbin.bench.Ceiling amqp "$q" $prefetch > "$WORK/worker-$impl-$wl.log" 2>&1 &
      echo $! > "$PIDFILE";;
    java|java-main|java25)
      local cp=$CP
      [[ $impl == java25 ]] && java=$JAVA25
      [[ $impl == java-main ]] && cp="$WORK/base-overlay:$CP"
      # the Deployment's JVM flags; MaxRAM stands in for the container's 1Gi memory limit
      LOG_LEVEL=${JAVA_LOG_LEVEL:-WARN} QUEUE_NAME=$q METRICS_PORT=19190 CELERY_RESULT_EXPIRES=600 SHUTDOWN_GRACE_SECONDS=2 \
        setsid "$java" -XX:MaxRAM=1g -XX:MaxRAMPercentage=75.0 -XX:+ExitOnOutOfMemoryError ${JAVA_OPTS:-} \
        -cp "$cp" app.growbin.runtime.Launcher worker $name > "$WORK/worker-$impl-$wl.log" 2>&1 &
      echo $! > "$PIDFILE";;
    celery)
      (cd "$BENCH" && CELERY_RESULT_EXPIRES=600 exec setsid $PY -m celery -A celery_app worker -P $pool -c $conc -Q "$q" \
        --loglevel=WARNING --without-gossip --without-mingle --without-heartbeat) > "$WORK/worker-$impl-$wl.log" 2>&1 &
      echo $! > "$PIDFILE";;
  esac
}

stop_worker() {
  local pid; pid=$(cat "$PIDFILE")
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -KILL -- -"$pid" 2>/dev/null || true   # its own process group (setsid): Celery's pool children
  : > "$PIDFILE"
}

for run in $(seq "$REPEATS"); do
  load=$(load1)
  if line=$("$JAVA" -cp "$CP" app.growbin.bench.Ceiling redis 50000 64 "$RESULT_BYTES"); then
    read -r sets writes <<< "$line"
    echo -e "$run\t$sets\t$writes\t$load" >> "$CEIL"
    log "redis ceiling run $run: $sets SET/s, $writes result writes/s (MULTI/SETEX/PUBLISH/EXEC), pipelined 64"
  fi
  for wl in $WORKLOADS; do
    if [[ $wl == trivial ]]; then n=$N_TRIVIAL; warm=$WARM_TRIVIAL; task=bench.add; targs='[2, 3]'
    else n=$N_IO; warm=$WARM_IO; task=bench.sleep; targs="[$SLEEP_MS]"; fi
    for res in $RESULT_MODES; do
      ignore=0; [[ $res == none ]] && ignore=1
      for impl in $IMPLS; do
        # the bare consumer does not read the message: once per workload and round, under "none"
        [[ $impl == ceiling && $res != none ]] && continue
        QUEUE="q.bench.$wl.${impl/+/-}.$$.$run.$res"
        $MQ fill "$QUEUE" $task $((n + warm)) $ignore "$targs" > "$WORK/ids.txt"
        load=$(load1)
        start_worker $impl $wl "$QUEUE"
        if line=$($MQ drain "$QUEUE" $((n + warm)) $warm 300 "$PIDFILE"); then
          read -r tps rss pss cpt busy infra <<< "$line"
          echo -e "$wl\t$res\t$impl\t$run\t$tps\t$rss\t$pss\t$cpt\t$busy\t$infra\t$load" >> "$OUT"
          log "$wl results=$res $impl run $run: $tps tasks/s, RSS $rss MiB (PSS $pss), $cpt ms CPU/task (+ $infra RabbitMQ/Redis), $busy cores busy, load $load"
        else
          log "$wl results=$res $impl run $run: FAILED (see $WORK/worker-$impl-$wl.log)"
        fi
        stop_worker
        $MQ delete "$QUEUE"; QUEUE=""
        $MQ forget "$WORK/ids.txt"
      done
    done
  done
done
IO_IDEAL=$((100 * 1000 / SLEEP_MS)) $PY "$BENCH/lib/summarize.py" workers "$RESULTS"
