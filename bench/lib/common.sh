# Shared by the bench/*.sh scripts: paths, the Growbin jars and class paths, load snapshots.
BENCH="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ROOT="$(cd "$BENCH/.." && pwd)"
WORK="${BENCH_WORK:-/tmp/growbin-bench}"       # scratch: generated sources, class output, logs
RESULTS="${BENCH_RESULTS:-$BENCH/results}"
JAVA="${JAVA:-java}"
PY=/usr/bin/python3                             # Debian's python3 (FastAPI, uvicorn, Celery, gevent)
mkdir -p "$WORK" "$RESULTS"

log() { printf '[%s %s] %s\n' "$(basename "$0")" "$(date +%H:%M:%S)" "$*" >&2; }
load1() { cut -d' ' -f1 /proc/loadavg; }

# Copies the built Growbin jars (a snapshot: other builds may rewrite target/ meanwhile) and
# resolves the runtime and processor class paths once. Needs `mvn -B -q install` to have run.
growbin_jars() {
  local lib="$WORK/lib"; mkdir -p "$lib"
  if [[ ! -s "$WORK/app-cp.txt" || ! -s "$WORK/proc-cp.txt" || "${BENCH_REFRESH:-0}" == 1 ]]; then
    for m in processor runtime; do
      [[ -f "$ROOT/$m/target/growbin-$m-0.1.0-SNAPSHOT.jar" ]] || { echo "build first: mvn -B -q -pl $m -am install -DskipTests" >&2; exit 1; }
    done
    cp "$ROOT/processor/target/growbin-processor-0.1.0-SNAPSHOT.jar" "$ROOT/runtime/target/growbin-runtime-0.1.0-SNAPSHOT.jar" "$lib/"
    (cd "$ROOT" && mvn -B -q -o dependency:build-classpath -pl processor -Dmdep.outputFile="$WORK/proc-deps.txt" >&2 \
      || mvn -B -q dependency:build-classpath -pl processor -Dmdep.outputFile="$WORK/proc-deps.txt" >&2)
    (cd "$ROOT" && mvn -B -q -o dependency:build-classpath -pl runtime -DincludeScope=runtime -Dmdep.outputFile="$WORK/rt-deps.txt" >&2 \
      || mvn -B -q dependency:build-classpath -pl runtime -DincludeScope=runtime -Dmdep.outputFile="$WORK/rt-deps.txt" >&2)
    echo "$lib/growbin-processor-0.1.0-SNAPSHOT.jar:$(cat "$WORK/proc-deps.txt")" > "$WORK/proc-cp.txt"
    echo "$lib/growbin-runtime-0.1.0-SNAPSHOT.jar:$(cat "$WORK/rt-deps.txt")" > "$WORK/app-cp.txt"
  fi
}

machine_info() {
  echo "date: $(date -u +%FT%TZ)"
  echo "nproc: $(nproc)"
  echo "cpu: $(lscpu | sed -n 's/^Model name: *//p')"
  echo "mem: $(free -g | awk '/Mem:/{print $2}') GiB"
  echo "java: $($JAVA -version 2>&1 | head -2 | tr '\n' ' ')"
  echo "javac: $(javac -version 2>&1)"
  echo "kernel: $(uname -r)"
}
