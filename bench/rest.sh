#!/usr/bin/env bash
# REST throughput: the sample app's waste service (Growbin runtime) vs the same API in FastAPI +
# uvicorn (bench/fastapi_app.py), same run, same RabbitMQ/Redis, loopback only.
#   endpoints: GET /health, GET /api/v1/waste/{id} (a finished pipeline: 4 Redis reads),
#              POST /api/v1/waste (publishes the 4-step chain to q.preprocess<suffix>, confirmed)
#   GET and POST carry a bearer token minted before the run with the bench's signing key
#   (BenchToken, what a login issues); Growbin verifies it (HMAC + the revocation check in Redis),
#   checks the rate limit (raised for the run: one Lua call in Redis per POST), records the owner (POST)
#   or checks it (GET). fastapi_app.py ignores the header: it has neither tokens nor limits.
#   cores: the server pinned with taskset to 1 core (wrk on the other) and to both (wrk shares them);
#          uvicorn gets one worker process per core.
#   bench/rest.sh                      REPEATS=3 DURATION=8 CONNECTIONS=64 CORES="1 2"
# Output: bench/results/rest-runs.tsv, rest-summary.tsv, rest-machine.txt
set -euo pipefail
source "$(dirname "$0")/lib/common.sh"
source "$BENCH/lib/build-java.sh"
source "$BENCH/patches/overlay.sh"
REPEATS=${REPEATS:-3}; DURATION=${DURATION:-5}; WARMUP=${WARMUP:-8}; CONNECTIONS=${CONNECTIONS:-64}
CORES=${CORES:-"1 2"}; ENDPOINTS=${ENDPOINTS:-"health get post"}; IMPLS=${IMPLS:-"growbin growbin-jdk25 growbin+fix fastapi"}
FIX_ENDPOINTS=${FIX_ENDPOINTS:-"post"}   # growbin+fix (bench/patches/, not applied to runtime/) only changes publishing
JPORT=${JPORT:-18080}; PPORT=${PPORT:-18081}; FPORT=${FPORT:-18082}; VPORT=${VPORT:-18083}
# growbin-jdk25: the same service on JDK 25 (the image's base is Temurin 21+: virtual threads per request)
JAVA25=${JAVA25:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}
SUFFIX=".bench.$$"
# the token the GET and POST rows send: one user, a key of the bench's own, valid for the whole run
export AUTH_SIGNING_KEYS="bench=growbin-bench-signing-key-$$-of-32-bytes" AUTH_TOKEN_LIFETIME_SECONDS=86400
SUBJECT="bench-user-$$"
build_java
build_overlay
machine_info > "$RESULTS/rest-machine.txt"
echo "python: $($PY -c 'import sys, fastapi, uvicorn, starlette, celery; print(sys.version.split()[0], "fastapi", fastapi.__version__, "starlette", starlette.__version__, "uvicorn", uvicorn.__version__, "celery", celery.__version__)')" >> "$RESULTS/rest-machine.txt"
echo "wrk: $(wrk -v 2>&1 | head -1)" >> "$RESULTS/rest-machine.txt"
echo "java25: $("$JAVA25" -version 2>&1 | head -2 | tr '\n' ' ')" >> "$RESULTS/rest-machine.txt"
TOKEN=$("$JAVA" -cp "$(cat "$WORK/app-cp.txt"):$WORK/sample" app.growbin.backend.BenchToken "$SUBJECT")
AUTH=(-H "Authorization: Bearer $TOKEN")
MQ="$PY $BENCH/lib/mq.py"
QUEUES="q.preprocess$SUFFIX"
PIDS=()
cleanup() {
  for p in "${PIDS[@]}"; do kill -TERM -- -"$p" 2>/dev/null || true; done
  $MQ delete $QUEUES 2>/dev/null || true
  [[ -n "${ID:-}" ]] && (cd "$BENCH" && $PY -c "
import fastapi_app as f, redis
r = redis.Redis(host='127.0.0.1')
r.delete(*['celery-task-meta-' + f.stage_id('$ID', s[0]) for s in f.STAGES], 'growbin-task-owner-$ID',
         'growbin:rate-limit:waste:sub:$SUBJECT')") 2>/dev/null || true
}
trap cleanup EXIT
$MQ declare $QUEUES
# a finished pipeline for the GET: SUCCESS for all four stages, in Celery's format
ID=$($PY -c 'import uuid; print(uuid.uuid4())')
(cd "$BENCH" && $PY -c "
import fastapi_app as f
for s in f.STAGES:
    f.celery.backend.store_result(f.stage_id('$ID', s[0]), {'stage': s[0], 'label': 'bottle', 'material': 'plastic'}, 'SUCCESS')
import redis
redis.Redis(host='127.0.0.1').setex('growbin-task-owner-$ID', 3600, '$SUBJECT')   # the token's user owns it
")
OUT="$RESULTS/rest-runs.tsv"
echo -e "cores\tendpoint\timpl\trun\trps\tp50_ms\tp99_ms\terrors\tload1\tserver_rss_mib\tserver_cpu_ms_per_req\tinfra_cpu_ms_per_req" > "$OUT"

wait_http() { for _ in $(seq 150); do curl -sf "http://127.0.0.1:$1/health" >/dev/null && return 0; sleep 0.2; done; echo "no answer on $1" >&2; return 1; }
rss_tree() { $PY -c "import sys; sys.path.insert(0, '$BENCH/lib'); import mq; print('%.0f' % mq.mem($1)[0])"; }
# CPU seconds of a process tree, and of RabbitMQ + Redis (read from /proc only)
INFRA_PIDS="$(pgrep -x beam.smp || true) $(pgrep -x redis-server || true)"
cpu_of() { $PY -c "import sys; sys.path.insert(0, '$BENCH/lib'); import mq; print('%.3f' % sum(mq.cpu_seconds(int(p)) for p in sys.argv[1:]))" "$@"; }

for cores in $CORES; do
  if [[ $cores == 1 ]]; then SRV_CPUS=0; WRK="taskset -c 1 wrk -t1"; else SRV_CPUS=0,1; WRK="wrk -t2"; fi
  # Growbin: the Deployment's JVM flags; MaxRAM stands in for the container's 512Mi limit
  start_growbin() { # port overlay [java]
    # the rate limit is raised far above what the run sends (a 1 s window keeps its Redis set small)
    BENCH_QUEUE_SUFFIX=$SUFFIX HTTP_PORT=$1 CELERY_RESULT_EXPIRES=600 SHUTDOWN_DRAIN_SECONDS=0 SHUTDOWN_GRACE_SECONDS=1 \
      RATE_LIMIT_REQUESTS=1000000000 RATE_LIMIT_WINDOW_SECONDS=1 \
      setsid taskset -c $SRV_CPUS "${3:-$JAVA}" -XX:MaxRAM=512m -XX:MaxRAMPercentage=75.0 -XX:+ExitOnOutOfMemoryError ${JAVA_OPTS:-} \
      -cp "${2:+$2:}$(cat "$WORK/app-cp.txt"):$WORK/sample" app.growbin.backend.BenchWasteServer > "$WORK/rest-growbin-$1-$cores.log" 2>&1 &
    echo $!
  }
  JPID=$(start_growbin $JPORT ""); PIDS+=($JPID)
  FPID=$(start_growbin $FPORT "$WORK/overlay"); PIDS+=($FPID)
  VPID=$(start_growbin $VPORT "" "$JAVA25"); PIDS+=($VPID)
  (cd "$BENCH" && BENCH_QUEUE_SUFFIX=$SUFFIX exec setsid taskset -c $SRV_CPUS $PY -m uvicorn fastapi_app:app --host 127.0.0.1 \
    --port $PPORT --workers $cores --log-level warning --no-access-log) > "$WORK/rest-fastapi-$cores.log" 2>&1 &
  PPID_=$!; PIDS+=($PPID_)
  wait_http $JPORT; wait_http $PPORT; wait_http $FPORT; wait_http $VPORT
  for run in $(seq "$REPEATS"); do
    for ep in $ENDPOINTS; do
      case $ep in
        health) path=/health; script=();;
        get) path=/api/v1/waste/$ID; script=("${AUTH[@]}");;
        post) path=/api/v1/waste; script=(-s "$BENCH/lib/post.lua" "${AUTH[@]}");;
      esac
      for impl in $IMPLS; do
        case $impl in
          growbin) port=$JPORT; pid=$JPID;;
          growbin-jdk25) port=$VPORT; pid=$VPID;;
          growbin+fix) [[ " $FIX_ENDPOINTS " == *" $ep "* ]] || continue; port=$FPORT; pid=$FPID;;
          fastapi) port=$PPORT; pid=$PPID_;;
        esac
        [[ $run == 1 ]] && $WRK -c $CONNECTIONS -d ${WARMUP}s "${script[@]}" "http://127.0.0.1:$port$path" > /dev/null
        load=$(load1)
        c0=$(cpu_of $pid); i0=$(cpu_of $INFRA_PIDS); t0=$(date +%s.%N)
        $WRK -c $CONNECTIONS -d ${DURATION}s --latency "${script[@]}" "http://127.0.0.1:$port$path" > "$WORK/wrk.txt"
        c1=$(cpu_of $pid); i1=$(cpu_of $INFRA_PIDS); t1=$(date +%s.%N)
        read -r rps p50 p99 errors < <($PY "$BENCH/lib/wrk_parse.py" < "$WORK/wrk.txt")
        read -r scpu icpu < <($PY -c "n = max(1.0, $rps * ($t1 - $t0)); print('%.3f %.3f' % (($c1 - $c0) * 1000 / n, ($i1 - $i0) * 1000 / n))")
        rss=$(rss_tree $pid)
        if [[ $impl == growbin* ]] && (( ${rps%.*} < 100 )); then   # a stall: keep a thread dump to look at
          jc=jcmd; [[ $impl == growbin-jdk25 ]] && jc="$(dirname "$JAVA25")/jcmd"
          "$jc" "$pid" Thread.dump_to_file -format=text "$WORK/stall-$impl-$ep-$cores-$run.txt" > /dev/null 2>&1 \
            || "$jc" "$pid" Thread.print > "$WORK/stall-$impl-$ep-$cores-$run.txt" 2>&1 || true
          log "stall: thread dump in $WORK/stall-$impl-$ep-$cores-$run.txt"
        fi
        echo -e "$cores\t$ep\t$impl\t$run\t$rps\t$p50\t$p99\t$errors\t$load\t$rss\t$scpu\t$icpu" >> "$OUT"
        log "cores=$cores $ep $impl run $run: $rps req/s p50 $p50 ms p99 $p99 ms errors $errors load $load rss $rss MiB, CPU/req: server $scpu ms, RabbitMQ+Redis $icpu ms"
        [[ $ep == post ]] && { $MQ delete $QUEUES; $MQ declare $QUEUES; }
      done
    done
  done
  kill -TERM -- -$JPID -$FPID -$VPID -$PPID_ 2>/dev/null || true; sleep 1
done
$PY "$BENCH/lib/summarize.py" rest "$RESULTS"
