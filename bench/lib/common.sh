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

# Packages the annotations, processor and runtime of this tree in the reactor (never `mvn install`: the
# reactor resolves the modules from each other, so a fresh machine needs nothing in ~/.m2), copies the
# jars (a snapshot: other builds may rewrite target/ meanwhile) and writes the runtime and processor class
# paths. Done once per $WORK unless BENCH_REFRESH=1.
growbin_jars() {
  local lib="$WORK/lib"; mkdir -p "$lib"
  if [[ ! -s "$WORK/app-cp.txt" || ! -s "$WORK/proc-cp.txt" || "${BENCH_REFRESH:-0}" == 1 ]]; then
    log "packaging annotations, processor and runtime (mvn package -DskipTests)"
    (cd "$ROOT" && mvn -B -q -ntp -pl annotations,processor,runtime package -DskipTests dependency:build-classpath \
       -DincludeScope=runtime -Dmdep.outputFile=target/bench-cp.txt >&2)
    for m in annotations processor runtime; do cp "$ROOT/$m/target/growbin-$m-0.1.0-SNAPSHOT.jar" "$lib/"; done
    local own="s#$ROOT/annotations/target/growbin-annotations-0.1.0-SNAPSHOT.jar#$lib/growbin-annotations-0.1.0-SNAPSHOT.jar#"
    echo "$lib/growbin-processor-0.1.0-SNAPSHOT.jar:$(sed "$own" "$ROOT/processor/target/bench-cp.txt")" > "$WORK/proc-cp.txt"
    echo "$lib/growbin-runtime-0.1.0-SNAPSHOT.jar:$(sed "$own" "$ROOT/runtime/target/bench-cp.txt")" > "$WORK/app-cp.txt"
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
