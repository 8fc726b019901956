# Compiles the Java side of the REST and worker benchmarks into $WORK (sourced by rest.sh, workers.sh, memory.sh).
# - $WORK/sample: a snapshot of the built sample app (sample-app/target/classes) + the REST harness
# - $WORK/workers: the benchmark workers, compiled with the Growbin processor (generated catalog)
build_java() {
  growbin_jars
  local app_cp; app_cp="$(cat "$WORK/app-cp.txt")"
  rm -rf "$WORK/sample" "$WORK/workers"; mkdir -p "$WORK/sample" "$WORK/workers"
  if [[ "${NEED_SAMPLE:-1}" == 1 ]]; then   # workers.sh sets NEED_SAMPLE=0: it runs only the bench workers
    [[ -d "$ROOT/sample-app/target/classes/app/growbin/backend" ]] || { echo "build first: mvn -B -q install -DskipTests" >&2; exit 1; }
    cp -r "$ROOT/sample-app/target/classes/." "$WORK/sample/"
    javac --release 17 -proc:none -cp "$app_cp:$WORK/sample" -d "$WORK/sample" \
      "$BENCH/java/app/growbin/backend/BenchWasteServer.java" "$BENCH/java/app/growbin/backend/BenchToken.java"
  fi
  javac --release 17 -cp "$app_cp" -processorpath "$(cat "$WORK/proc-cp.txt")" -d "$WORK/workers" \
    "$BENCH"/java/app/growbin/bench/*.java 2>&1 | grep -v '^Note:' >&2 || true
  [[ -f "$WORK/workers/META-INF/services/app.growbin.runtime.ApplicationCatalog" ]] \
    || { echo "the processor generated no catalog for the bench workers" >&2; exit 1; }
}
