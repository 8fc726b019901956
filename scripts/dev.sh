#!/usr/bin/env bash
# Runs the backend on this machine as k8s-out/<env>/ describes it:
#
#   scripts/dev.sh [env]        (default: dev)
#
#   1. scripts/ensure-services.sh: RabbitMQ, Redis and PostgreSQL on 127.0.0.1, started if absent;
#      the database growbin_dev is created if missing
#   2. $MVN test-compile: builds everything, regenerates k8s-out/ (the processor), and writes the
#      class path (sample-app/target/dev-classpath.txt)
#   3. every Deployment of k8s-out/<env>/ is started as its own JVM from its own command, args and
#      env (app.growbin.backend.LocalBackend, as ManifestRuntimeTest does): Secret keys from
#      scripts/dev.secrets, BIND_ADDRESS=127.0.0.1 (loopback only), the declared ports when free
#   4. a table service -> URL, every log line prefixed with its service, "dev: ready" once every
#      readiness probe answers
#
# Ctrl-C or SIGTERM stops every process as Kubernetes does (SIGTERM, in-flight work finishes) and
# dev.sh exits 0. Environment: MVN (default "mvn -B -ntp -q"), DEV_SKIP_BUILD=1 uses the last build.
set -uo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
env="${1:-dev}"
MVN="${MVN:-mvn -B -ntp -q}"

log() { printf 'dev: %s\n' "$*"; }
die() { printf 'dev: ERROR: %s\n' "$*" >&2; exit 1; }

cd "$root" || die "cannot cd to $root"

"$root/scripts/ensure-services.sh" || die "the backing services are not there (see above)"
if command -v psql >/dev/null 2>&1; then
  if ! psql -h 127.0.0.1 -U postgres -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = 'growbin_dev'" 2>/dev/null | grep -q 1; then
    psql -h 127.0.0.1 -U postgres -d postgres -qc "CREATE DATABASE growbin_dev" >/dev/null 2>&1 \
      && log "created the database growbin_dev" || log "could not create the database growbin_dev (continuing)"
  fi
fi

if [ "${DEV_SKIP_BUILD:-0}" != 1 ]; then
  log "building (${MVN} test-compile)"
  # shellcheck disable=SC2086  # MVN is a command line on purpose
  $MVN test-compile dependency:build-classpath -Dmdep.outputFile=target/dev-classpath.txt -Dmdep.includeScope=test \
    || die "the build failed"
fi
environments() { for d in "$root"/k8s-out/*/; do [ -f "$d/kustomization.yaml" ] && basename "$d"; done | tr '\n' ' '; }
[ -f "$root/k8s-out/$env/kustomization.yaml" ] || die "k8s-out/$env/ is not an environment; environments: $(environments)"
[ -f "$root/sample-app/target/dev-classpath.txt" ] || die "no sample-app/target/dev-classpath.txt: run without DEV_SKIP_BUILD once"
cp="$root/sample-app/target/test-classes:$root/sample-app/target/classes:$(cat "$root/sample-app/target/dev-classpath.txt")"

java -cp "$cp" app.growbin.backend.LocalBackend "$root/k8s-out/$env" "$root/scripts/dev.secrets" &
pid=$!
stopping=0
trap 'stopping=1; kill -TERM "$pid" 2>/dev/null' TERM INT
wait "$pid"
rc=$?
# a trapped signal ends `wait` early: wait again until the backend has stopped its processes
while kill -0 "$pid" 2>/dev/null; do
  wait "$pid"
  rc=$?
done
# stopped on request: the backend has stopped every process, which is success
[ "$stopping" = 1 ] && exit 0
exit "$rc"
