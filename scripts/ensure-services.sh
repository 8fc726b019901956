#!/usr/bin/env bash
# Make sure RabbitMQ (127.0.0.1:5672), Redis (127.0.0.1:6379) and PostgreSQL
# (127.0.0.1:5432) answer, as the runtime's tests and scripts/dev.sh need them. For each one that does not answer: install the
# Debian package if the server is missing (root only), start it with the
# command from the project's service notes, and wait until it answers.
# Otherwise stop with a message that says exactly what is missing.
# Loopback only; nothing is exposed.
set -euo pipefail

RABBIT_PORT=${RABBIT_PORT:-5672}
REDIS_PORT=${REDIS_PORT:-6379}
RABBIT_WAIT=${RABBIT_WAIT:-90}   # seconds; RabbitMQ boots an Erlang VM
REDIS_WAIT=${REDIS_WAIT:-20}
POSTGRES_PORT=${POSTGRES_PORT:-5432}
POSTGRES_WAIT=${POSTGRES_WAIT:-30}

log() { printf '[ensure-services] %s\n' "$*"; }
die() { printf '[ensure-services] ERROR: %s\n' "$*" >&2; exit 1; }

port_open() { timeout 2 bash -c "exec 3<>/dev/tcp/127.0.0.1/$1" 2>/dev/null; }

rabbit_ok() {
  port_open $RABBIT_PORT || return 1
  # an AMQP 0-9-1 server answers the protocol header with Connection.Start
  # (whose server-properties include "capabilities")
  local reply
  reply="$(timeout 3 bash -c "exec 3<>/dev/tcp/127.0.0.1/$RABBIT_PORT; printf 'AMQP\x00\x00\x09\x01' >&3; head -c 64 <&3" 2>/dev/null | tr -dc 'a-zA-Z' || true)"
  [[ "$reply" == *capabilities* ]]
}

redis_ok() {
  port_open $REDIS_PORT || return 1
  local reply
  reply="$(timeout 3 bash -c "exec 3<>/dev/tcp/127.0.0.1/$REDIS_PORT; printf 'PING\r\n' >&3; head -c 7 <&3" 2>/dev/null || true)"
  [[ "$reply" == +PONG* ]]
}

postgres_ok() {
  port_open $POSTGRES_PORT || return 1
  if command -v pg_isready >/dev/null 2>&1; then
    pg_isready -q -h 127.0.0.1 -p $POSTGRES_PORT -t 3
  fi
}

wait_for() { # check seconds
  local check=$1 secs=$2 i
  for ((i = 0; i < secs; i++)); do
    "$check" && return 0
    sleep 1
  done
  return 1
}

need_install=()
rabbit_ok || command -v rabbitmq-server >/dev/null 2>&1 || need_install+=(rabbitmq-server)
redis_ok || command -v redis-server >/dev/null 2>&1 || need_install+=(redis-server)
postgres_ok || command -v pg_ctlcluster >/dev/null 2>&1 || need_install+=(postgresql)

if [ ${#need_install[@]} -gt 0 ]; then
  if [ "$(id -u)" != 0 ]; then
    die "not installed: ${need_install[*]} (and nothing answers on its port). As root run: apt-get update && apt-get install -y ${need_install[*]}"
  fi
  log "installing ${need_install[*]}"
  apt-get update -qq || die "apt-get update failed; cannot install ${need_install[*]}"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_install[@]}" >/dev/null ||
    die "apt-get install -y ${need_install[*]} failed"
fi

if rabbit_ok; then
  log "RabbitMQ answers on 127.0.0.1:$RABBIT_PORT"
else
  log "starting RabbitMQ (rabbitmq-server -detached)"
  rabbitmq-server -detached >/dev/null 2>&1 || true
  wait_for rabbit_ok "$RABBIT_WAIT" ||
    die "RabbitMQ does not answer on 127.0.0.1:$RABBIT_PORT after ${RABBIT_WAIT}s (started with 'rabbitmq-server -detached'; see /var/log/rabbitmq/)"
  log "RabbitMQ answers on 127.0.0.1:$RABBIT_PORT"
fi

if redis_ok; then
  log "Redis answers on 127.0.0.1:$REDIS_PORT"
else
  log "starting Redis (loopback only, no persistence)"
  mkdir -p /var/lib/redis /var/log/redis 2>/dev/null || true
  redis-server --daemonize yes --bind 127.0.0.1 -::1 --port $REDIS_PORT --save "" --appendonly no \
    --dir /var/lib/redis --logfile /var/log/redis/ci.log >/dev/null 2>&1 || true
  wait_for redis_ok "$REDIS_WAIT" ||
    die "Redis does not answer PING on 127.0.0.1:$REDIS_PORT after ${REDIS_WAIT}s (see /var/log/redis/ci.log)"
  log "Redis answers on 127.0.0.1:$REDIS_PORT"
fi

if postgres_ok; then
  log "PostgreSQL answers on 127.0.0.1:$POSTGRES_PORT"
else
  # Debian's cluster (pg_createcluster made it at install); local connections trust their user
  cluster="$(pg_lsclusters -h 2>/dev/null | awk -v p="$POSTGRES_PORT" '$3 == p {print $1 " " $2; exit}')"
  [ -n "$cluster" ] || die "PostgreSQL is installed but no cluster listens on port $POSTGRES_PORT (pg_lsclusters); create one with pg_createcluster"
  log "starting PostgreSQL (pg_ctlcluster $cluster start)"
  # shellcheck disable=SC2086  # "version name"
  pg_ctlcluster $cluster start >/dev/null 2>&1 || true
  wait_for postgres_ok "$POSTGRES_WAIT" ||
    die "PostgreSQL does not answer on 127.0.0.1:$POSTGRES_PORT after ${POSTGRES_WAIT}s (pg_ctlcluster $cluster start; see /var/log/postgresql/)"
  log "PostgreSQL answers on 127.0.0.1:$POSTGRES_PORT"
fi
