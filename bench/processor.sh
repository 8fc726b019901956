#!/usr/bin/env bash
# Processor cost: javac + Growbin processor vs -proc:none vs Dekorate 4.1.5, on generated sources.
#   bench/processor.sh                 # N = 1 10 100 1000, M = 500, 3 runs each
#   REPEATS=5 NS="1 10" M=500 bench/processor.sh
# Output: bench/results/processor-runs.tsv (every run), processor-summary.tsv, processor-machine.txt
set -euo pipefail
source "$(dirname "$0")/lib/common.sh"
REPEATS=${REPEATS:-3}; M=${M:-500}; NS=${NS:-"1 10 100 1000"}
growbin_jars
if [[ ! -s "$WORK/dekorate-cp.txt" ]]; then
  log "resolving io.dekorate:kubernetes-annotations:4.1.5 from Maven Central"
  mvn -B -q -f "$BENCH/processor/dekorate-pom.xml" dependency:build-classpath -Dmdep.outputFile="$WORK/dekorate-cp.txt" >&2
fi
machine_info > "$RESULTS/processor-machine.txt"
log "N = $NS, M = $M, $REPEATS runs per mode (load now $(load1))"
$PY "$BENCH/processor/run.py" "$WORK" "$RESULTS" "$REPEATS" "$M" $NS
$PY "$BENCH/lib/summarize.py" processor "$RESULTS"
