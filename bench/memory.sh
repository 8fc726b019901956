#!/usr/bin/env bash
# Memory: peak RSS of every Deployment of k8s-out/prod under load, against its memory limit, on JDK 17
# and JDK 25 (the image's base is Temurin 21+). Each process is started with exactly its Deployment's
# command (the JVM options the processor writes, WorkloadRuntime), args, env and ConfigMap, inside a
# cgroup-v1 memory cgroup whose limit is the Deployment's limits.memory (the JVM reads it as it does in
# the pod; the kernel OOM-kills above it) and pinned to ceil(limits.cpu) cores. bench/lib/memload.py
# starts one, drives its load and measures it (details there):
#   waste: wrk POST + GET; auth: login (Argon2id) + /me; users: GET + PUT of a profile;
#   workers: TASKS messages of their own task on their own queue, until the queue is empty.
# RabbitMQ: an own virtual host ($BENCH_VHOST, deleted afterwards); Redis: db $BENCH_REDIS_DB (the
# results it wrote are deleted); PostgreSQL: an own database ($BENCH_DATABASE, kept between runs).
#   bench/memory.sh        REPEATS=1 DURATION=15 TASKS=2000 CONNECTIONS=32 DEPLOYMENTS="waste users ..."
# Needs root (cgroups), wrk, Debian's python3-amqp/-redis/-yaml/-celery, and the built sample app:
#   mvn -B -ntp -q package -DskipTests dependency:build-classpath -DincludeScope=runtime \
#       -Dmdep.outputFile=target/runtime-cp.txt          (the script runs it when the files are missing)
# Output: bench/results/memory-runs.tsv, memory-summary.tsv
set -euo pipefail
source "$(dirname "$0")/lib/common.sh"
REPEATS=${REPEATS:-1}; DURATION=${DURATION:-15}
export TASKS=${TASKS:-2000} CONNECTIONS=${CONNECTIONS:-32}
export BENCH_VHOST=${BENCH_VHOST:-growbin-bench-memory} BENCH_REDIS_DB=${BENCH_REDIS_DB:-7}
export BENCH_DATABASE=${BENCH_DATABASE:-growbin_bench_memory}
JAVA25=${JAVA25:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}   # the image's base is Temurin 21+
JAVAS=${JAVAS:-"$JAVA $JAVA25"}
DEPLOYMENTS=${DEPLOYMENTS:-"waste auth users preprocess vision rag llm"}
ENVDIR=${ENVDIR:-$ROOT/k8s-out/prod}
PORT=${PORT:-19400}

# the built sample app, copied so that other builds cannot change it under the running processes
if [[ ! -s "$ROOT/sample-app/target/runtime-cp.txt" || ! -d "$ROOT/sample-app/target/classes/app/growbin/backend" ]]; then
  (cd "$ROOT" && mvn -B -ntp -q package -DskipTests dependency:build-classpath -DincludeScope=runtime \
    -Dmdep.outputFile=target/runtime-cp.txt >&2)
fi
rm -rf "$WORK/memory"; mkdir -p "$WORK/memory/lib"
cp -r "$ROOT/sample-app/target/classes" "$WORK/memory/sample"
cp "$ROOT/annotations/target/growbin-annotations-0.1.0-SNAPSHOT.jar" "$ROOT/runtime/target/growbin-runtime-0.1.0-SNAPSHOT.jar" "$WORK/memory/lib/"
sed -e "s#[^:]*/growbin-annotations-0.1.0-SNAPSHOT.jar#$WORK/memory/lib/growbin-annotations-0.1.0-SNAPSHOT.jar#" \
    -e "s#[^:]*/growbin-runtime-0.1.0-SNAPSHOT.jar#$WORK/memory/lib/growbin-runtime-0.1.0-SNAPSHOT.jar#" \
    -e "s#^#$WORK/memory/sample:#" "$ROOT/sample-app/target/runtime-cp.txt" > "$WORK/memory/classpath.txt"

rabbitmqctl -q add_vhost "$BENCH_VHOST" >/dev/null 2>&1 || true
rabbitmqctl -q set_permissions -p "$BENCH_VHOST" guest '.*' '.*' '.*' >/dev/null
cleanup() { rabbitmqctl -q delete_vhost "$BENCH_VHOST" >/dev/null 2>&1 || true; }
trap cleanup EXIT
psql -h 127.0.0.1 -U postgres -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$BENCH_DATABASE'" | grep -q 1 \
  || psql -h 127.0.0.1 -U postgres -d postgres -qc "CREATE DATABASE $BENCH_DATABASE"

machine_info > "$RESULTS/memory-machine.txt"
echo "java25: $("$JAVA25" -version 2>&1 | head -2 | tr '\n' ' ')" >> "$RESULTS/memory-machine.txt"
OUT="$RESULTS/memory-runs.tsv"
echo -e "run\t$($PY "$BENCH/lib/memload.py" header)\tload1" > "$OUT"
for run in $(seq "$REPEATS"); do
  for jv in $JAVAS; do   # JDKs interleaved per run
    for name in $DEPLOYMENTS; do
      dep="$ENVDIR/api/rest/$name-deployment.yaml"
      [[ -f "$dep" ]] || dep="$ENVDIR/api/async/$name-deployment.yaml"
      [[ -f "$dep" ]] || { log "no Deployment $name in $ENVDIR"; exit 1; }
      load=$(load1)
      if line=$($PY "$BENCH/lib/memload.py" run "$dep" "$jv" "$PORT" "$DURATION" "$WORK/memory"); then
        echo -e "$run\t$line\t$load" >> "$OUT"
        IFS=$'\t' read -r d jdk limit cpus opts rss cg fail oom survived what <<< "$line"
        log "$d $jdk run $run: peak RSS $rss MiB of $limit MiB (cgroup peak $cg MiB, failcnt $fail, OOM kills $oom, survived $survived); $what"
      else
        log "$name $jv run $run: FAILED (logs in $WORK/memory)"
      fi
    done
  done
done
$PY "$BENCH/lib/summarize.py" memory "$RESULTS"
