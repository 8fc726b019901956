#!/usr/bin/env bash
# The PNG preview of the generated Grafana dashboard (docs/dashboard-preview/dashboard-dev.png):
# real data, real PromQL, no Grafana. See README.md beside this script.
#
#   1. builds the project and starts every Deployment of k8s-out/dev on this machine, under traffic,
#      for MINUTES (DashboardPreviewBackend, a main of the sample app's test classes: the processes
#      ManifestRuntimeTest starts, with the fake OpenAI server answering 500 to one call in twenty);
#   2. a real Prometheus (Debian's /usr/bin/prometheus) scrapes their /metrics every 5 s into a
#      temporary TSDB;
#   3. render.py reads the dashboard JSON out of k8s-out/dev/monitoring/grafana-dashboard.yaml, asks
#      that Prometheus each panel's query over the run (query_range), and draws the panels where the
#      dashboard's gridPos puts them, with matplotlib.
#
# Needs: RabbitMQ, Redis and PostgreSQL as for the sample app's tests (scripts/ensure-services.sh),
# /usr/bin/prometheus (Debian package prometheus), python3-matplotlib and python3-yaml. Takes the
# broker lock, as the sample app's tests do (it uses their queue names).
# Usage: docs/dashboard-preview/render.sh [MINUTES]   (default 8)
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
here="$root/docs/dashboard-preview"
minutes="${1:-8}"
work="$(mktemp -d)"
prometheus_pid=""
backend_pid=""
cleanup() {
  [ -n "$backend_pid" ] && kill "$backend_pid" 2>/dev/null || true
  [ -n "$prometheus_pid" ] && kill "$prometheus_pid" 2>/dev/null || true
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

cd "$root"
mvn -B -ntp -o -q -pl annotations,runtime,processor,sample-app test-compile dependency:build-classpath \
  -Dmdep.includeScope=test -Dmdep.outputFile="$work/classpath.txt" >/dev/null
classpath="$root/sample-app/target/test-classes:$root/sample-app/target/classes:$(cat "$work/classpath.txt")"


mkdir -p /tmp/growbin-locks
exec 9>/tmp/growbin-locks/broker.lock
flock 9

start=$(date +%s)
(cd "$root/sample-app" && exec java -cp "$classpath" app.growbin.backend.DashboardPreviewBackend "$minutes" "$work/targets.txt") \
  > "$work/backend.log" 2>&1 &
backend_pid=$!
for _ in $(seq 1 120); do [ -s "$work/targets.txt" ] && break; sleep 1; done
[ -s "$work/targets.txt" ] || { cat "$work/backend.log"; echo "render.sh: the backend did not start" >&2; exit 1; }

{
  echo "global: {scrape_interval: 5s, evaluation_interval: 5s}"
  echo "scrape_configs:"
  while read -r name target; do
    echo "  - job_name: $name"
    echo "    static_configs: [{targets: ['$target']}]"
  done < "$work/targets.txt"
} > "$work/prometheus.yml"
prometheus_port=19090
/usr/bin/prometheus --config.file="$work/prometheus.yml" --storage.tsdb.path="$work/tsdb" \
  --web.listen-address="127.0.0.1:$prometheus_port" > "$work/prometheus.log" 2>&1 &
prometheus_pid=$!

wait "$backend_pid" || { tail -n 40 "$work/backend.log"; exit 1; }
backend_pid=""
end=$(date +%s)
/usr/bin/python3 "$here/render.py" --prometheus "http://127.0.0.1:$prometheus_port" --start "$start" --end "$end" \
  --dashboard "$root/k8s-out/dev/monitoring/grafana-dashboard.yaml" --out "$here/dashboard-dev.png"
echo "render.sh: $here/dashboard-dev.png from $((end - start)) s of traffic"
