#!/usr/bin/env bash
# Every benchmark, then the charts: bench/processor.sh, bench/memory.sh, bench/rest.sh,
# bench/workers.sh, bench/charts.sh (about 30 minutes on 2 cores). Each one also runs alone.
# Prerequisites: mvn -B -q install -DskipTests (the jars and sample-app/target/classes), RabbitMQ and
# Redis on 127.0.0.1 (scripts/ensure-services.sh), Debian packages:
#   apt-get install wrk gnuplot-nox python3-fastapi python3-uvicorn python3-uvloop python3-httptools \
#                   python3-celery python3-gevent python3-redis
set -euo pipefail
B="$(cd "$(dirname "$0")" && pwd)"
export BENCH_REFRESH=${BENCH_REFRESH:-1}   # copy the current jars once
"$B/processor.sh"; export BENCH_REFRESH=0
"$B/memory.sh"
"$B/rest.sh"
"$B/workers.sh"
"$B/charts.sh"
