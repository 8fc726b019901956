#!/usr/bin/env bash
# Draws docs/benchmarks/*.png from bench/results/*-summary.tsv with gnuplot.
set -euo pipefail
source "$(dirname "$0")/lib/common.sh"
OUTDIR=${OUTDIR:-$ROOT/docs/benchmarks}
mkdir -p "$OUTDIR" "$WORK/chartdata"
$PY "$BENCH/lib/chartdata.py" "$RESULTS" "$WORK/chartdata"
gnuplot -e "DATA='$WORK/chartdata'; OUT='$OUTDIR'" "$BENCH/charts.gnuplot"
ls -la "$OUTDIR"/*.png >&2
