#!/usr/bin/env bash
# Test of scripts/dev.sh: the backend of k8s-out/dev started with one command, on loopback.
#
#   start dev.sh (its own session), wait for "dev: ready"; the table names one URL per Deployment
#   of k8s-out/dev; each /ready answers 200 and each port listens on 127.0.0.1 only; log lines
#   carry their service; a user registered and logged in through auth has a POST /api/v1/waste run
#   the task chain through the workers (without a token: 401); SIGTERM to
#   dev.sh stops every process, dev.sh exits 0 and no port is left open.
#
# Uses the sample's real queue names on the RabbitMQ of 127.0.0.1: run it alone on the broker
# (on a shared machine, under the broker lock). Prints "ok"/"not ok" per assertion and a last
# line "N passed, M failed"; exit 1 on a failure.
# Environment: DEV_TEST_MVN (default "mvn -B -ntp -q"), DEV_TEST_READY_SECONDS (default 600, build included).
set -uo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
ready_seconds="${DEV_TEST_READY_SECONDS:-600}"
tmp="$(mktemp -d "${TMPDIR:-/tmp}/dev-test.XXXXXX")"
log="$tmp/dev.log"
pid=""
cleanup() {
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then kill -KILL -- "-$pid" 2>/dev/null; fi
  [ "${KEEP_TMP:-0}" = 1 ] || rm -rf "$tmp"
}
trap cleanup EXIT

passed=0 failed=0
ok() { passed=$((passed + 1)); echo "ok - $*"; }
not_ok() { failed=$((failed + 1)); echo "not ok - $*"; }
check() { local d=$1; shift; if "$@"; then ok "$d"; else not_ok "$d"; fi; }
finish() { echo; echo "$passed passed, $failed failed"; [ "$failed" -eq 0 ]; exit $?; }
loopback_only() { [ -n "$1" ] && [ -z "$2" ]; } # listeners, those not on loopback
show_log() { echo "--- last lines of dev.sh's output:"; tail -n 60 "$log"; }

# 1. start, in a session of its own so that the signal goes to dev.sh alone
MVN="${DEV_TEST_MVN:-mvn -B -ntp -q}" setsid "$root/scripts/dev.sh" dev > "$log" 2>&1 < /dev/null &
pid=$!
deadline=$((SECONDS + ready_seconds))
until grep -q '^dev: ready' "$log" || grep -q '^dev: not ready' "$log" || ! kill -0 "$pid" 2>/dev/null; do
  [ $SECONDS -ge $deadline ] && break
  sleep 1
done
if ! grep -q '^dev: ready: all' "$log"; then
  not_ok "dev.sh reports every process ready within ${ready_seconds}s"
  show_log
  finish
fi
ok "dev.sh: $(grep -m1 '^dev: ready' "$log")"

# 2. the table: one URL per Deployment
deployments=$(grep -rl --exclude-dir=patches '^kind: Deployment$' "$root/k8s-out/dev" | wc -l)  # patches/ change objects, they are none
mapfile -t rows < <(grep -E '^  [a-z0-9-]+ +(rest|worker) +http://' "$log")
check "the table has one row per Deployment of k8s-out/dev ($deployments)" [ "${#rows[@]}" -eq "$deployments" ]
ports=()
for row in "${rows[@]}"; do
  read -r name kind url <<< "$row"
  port="$(sed -E 's#^http://127\.0\.0\.1:([0-9]+).*#\1#' <<< "$url")"
  ports+=("$port")
  status="$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 "http://127.0.0.1:$port/ready")"
  check "$name ($kind): GET :$port/ready answers 200" [ "$status" = 200 ]
  # the JDK listens on a dual-stack socket where it can: 127.0.0.1 shows as its IPv4-mapped form
  listeners="$(ss -Hltn "sport = :$port" | awk '{print $4}' | sort -u | tr '\n' ' ')"
  elsewhere="$(tr ' ' '\n' <<< "$listeners" | grep -vxE "(127\.0\.0\.1|\[::ffff:127\.0\.0\.1\]):$port" | grep -v '^$')"
  check "$name: port $port listens on 127.0.0.1 only (${listeners% })" loopback_only "$listeners" "$elsewhere"
  check "$name: its log lines are prefixed with '$name |'" grep -qE "^$name +\| " "$log"
done

# 3. the backend works: a user registers and logs in (auth), then the waste chain runs through the
#    four workers with that token (the waste API needs one)
waste_url="$(printf '%s\n' "${rows[@]}" | awk '$1 == "waste" {print $3}')"
auth_url="$(printf '%s\n' "${rows[@]}" | awk '$1 == "auth" {print $3}')"
if [ -n "$waste_url" ] && [ -n "$auth_url" ]; then
  user="devtest-$$-$RANDOM"
  curl -s -o /dev/null -X POST "$auth_url/register" -H 'Content-Type: application/json' --max-time 30 \
    -d "{\"username\": \"$user\", \"email\": \"$user@example.com\", \"password\": \"dev test password\"}"
  login="$(curl -s -X POST "$auth_url/login" -H 'Content-Type: application/json' --max-time 30 \
    -d "{\"username\": \"$user\", \"password\": \"dev test password\"}")"
  token="$(sed -nE 's/.*"accessToken":"([^"]+)".*/\1/p' <<< "$login")"
  check "register and log in through $auth_url" [ -n "$token" ]
  status="$(curl -s -o /dev/null -w '%{http_code}' -X POST "$waste_url" -H 'Content-Type: application/json' \
    -d '{"description": "empty glass jar"}' --max-time 10)"
  check "POST $waste_url without a token is refused (HTTP $status)" [ "$status" = 401 ]
  accepted="$(curl -s -X POST "$waste_url" -H 'Content-Type: application/json' -H "Authorization: Bearer $token" \
    -d '{"description": "empty glass jar"}' --max-time 10)"
  id="$(sed -nE 's/.*"taskId":"([^"]+)".*/\1/p' <<< "$accepted")"
  state=""
  for _ in $(seq 1 120); do
    state="$(curl -s --max-time 5 -H "Authorization: Bearer $token" "$waste_url/$id" | sed -nE 's/.*"state":"([A-Z]+)".*/\1/p')"
    [ "$state" = SUCCESS ] || [ "$state" = FAILURE ] && break
    sleep 0.5
  done
  check "POST $waste_url runs the chain to SUCCESS (task $id: $state)" [ "$state" = SUCCESS ]
else
  not_ok "no waste or auth service in the table"
fi

# 4. SIGTERM: everything stops, exit 0, no port left open
kill -TERM "$pid"
rc=""
for _ in $(seq 1 120); do
  if ! kill -0 "$pid" 2>/dev/null; then wait "$pid"; rc=$?; break; fi
  sleep 1
done
check "dev.sh exits 0 after SIGTERM (exit ${rc:-still running})" [ "$rc" = 0 ]
check "dev.sh says it stopped every process" grep -q '^dev: stopped$' "$log"
open=""
for port in "${ports[@]}"; do
  [ -n "$(ss -Hltn "sport = :$port")" ] && open="$open $port"
done
check "no port of the table is left open${open:+ (open:$open)}" [ -z "$open" ]
[ "$failed" -eq 0 ] || show_log
finish
