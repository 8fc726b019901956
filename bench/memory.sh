#!/usr/bin/env bash
# Memory: resident memory of idle sample-app processes (the real launcher: `rest waste`, `rest users`,
# `worker vision`, `worker preprocess`) started with their Deployment's JVM flags, against the
# resources k8s-out/prod requests. The container is emulated: -XX:MaxRAM=<memory limit> (what the
# JVM would read from the cgroup) and taskset to ceil(<cpu limit>) cores. Workers consume a queue
# of their own (deleted afterwards).
#   bench/memory.sh                    REPEATS=3 IDLE=8
# Output: bench/results/memory-runs.tsv, memory-summary.tsv
set -euo pipefail
source "$(dirname "$0")/lib/common.sh"
source "$BENCH/lib/build-java.sh"
REPEATS=${REPEATS:-3}; IDLE=${IDLE:-8}
JAVA25=${JAVA25:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}   # the image's base is Temurin 21+
JAVAS=${JAVAS:-"$JAVA $JAVA25"}
build_java
CP="$(cat "$WORK/app-cp.txt"):$WORK/sample"
MQ="$PY $BENCH/lib/mq.py"
OUT="$RESULTS/memory-runs.tsv"
echo -e "process\tjdk\trun\trss_mib\tpss_mib\theap_used_mib\trequest\tlimit\tload1" > "$OUT"
PID=""; Q=""
cleanup() { [[ -n "$PID" ]] && kill -TERM "$PID" 2>/dev/null || true; [[ -n "$Q" ]] && $MQ delete "$Q" || true; }
trap cleanup EXIT

field() { # deployment-file jsonpath-ish: resources.<requests|limits>.<cpu|memory>
  $PY - "$1" "$2" "$3" <<'PY'
import sys, yaml
d = yaml.safe_load(open(sys.argv[1]))
c = d["spec"]["template"]["spec"]["containers"][0]
print(c["resources"][sys.argv[2]][sys.argv[3]])
PY
}
mib() { case $1 in *Gi) echo $(( ${1%Gi} * 1024 ));; *Mi) echo ${1%Mi};; esac; }
cpus() { case $1 in *m) echo $(( (${1%m} + 999) / 1000 ));; *) echo "$1";; esac; }

for run in $(seq "$REPEATS"); do
  for jv in $JAVAS; do
  jdk="jdk$("$jv" -XshowSettings:properties -version 2>&1 | sed -n 's/ *java.specification.version = //p')"
  for spec in "rest waste" "rest users" "worker vision" "worker preprocess"; do
    read -r kind name <<< "$spec"
    dir=$([[ $kind == rest ]] && echo rest || echo async)
    dep="$ROOT/k8s-out/prod/api/$dir/$name-deployment.yaml"
    req=$(field "$dep" requests memory); lim=$(field "$dep" limits memory); cpu=$(cpus "$(field "$dep" limits cpu)")
    cores=$(seq -s, 0 $((cpu > 2 ? 1 : cpu - 1)))
    port=19390
    if [[ $kind == worker ]]; then Q="q.$name.bench-mem.$$"; else Q=""; fi
    # the REST services with token-protected routes need a signing key to start (the Secret auth-secrets)
    env SERVICE_NAME=$name HTTP_PORT=$port METRICS_PORT=$port SHUTDOWN_DRAIN_SECONDS=0 SHUTDOWN_GRACE_SECONDS=1 \
      AUTH_SIGNING_KEYS="bench-mem=growbin-bench-memory-signing-key-of-32-bytes" \
      ${Q:+QUEUE_NAME=$Q} setsid taskset -c "$cores" "$jv" -XX:MaxRAM=$(mib "$lim")m -XX:MaxRAMPercentage=75.0 -XX:+ExitOnOutOfMemoryError \
      -cp "$CP" app.growbin.runtime.Launcher $kind $name > "$WORK/memory-$name.log" 2>&1 &
    PID=$!
    for _ in $(seq 150); do curl -sf "http://127.0.0.1:$port/ready" >/dev/null && break; sleep 0.2; done
    curl -sf "http://127.0.0.1:$port/health" > /dev/null
    sleep "$IDLE"
    read -r rss pss < <($PY -c "import sys; sys.path.insert(0, '$BENCH/lib'); import mq; print('%.1f %.1f' % mq.mem($PID))")
    used=$("$(dirname "$(readlink -f "$(command -v "$jv")")")/jcmd" $PID GC.heap_info 2>/dev/null | grep -oE 'used [0-9]+K' | awk '{s += $2} END {printf "%.1f", s / 1024}')
    echo -e "$kind $name\t$jdk\t$run\t$rss\t$pss\t$used\t$req\t$lim\t$(load1)" >> "$OUT"
    log "$kind $name $jdk run $run: RSS $rss MiB (PSS $pss), heap used $used MiB; requests $req, limit $lim"
    kill -TERM $PID; wait $PID 2>/dev/null || true; PID=""
    [[ -n "$Q" ]] && { $MQ delete "$Q"; Q=""; }
  done
  done
done
$PY "$BENCH/lib/summarize.py" memory "$RESULTS"
