#!/usr/bin/env bash
# Install what the manifest checks need; idempotent and fast when done already.
#
#   1. npm packages of tools/manifest-check (`npm ci`, pinned by its
#      package-lock.json) into tools/manifest-check/node_modules;
#   2. promtool, from Debian's `prometheus` package: `apt-get install` when run
#      as root (guarded so that no Prometheus server is started), otherwise
#      only promtool is extracted from the downloaded .deb into
#      tools/manifest-check/.cache/promtool.
#
# Needs node + npm and apt. Options: --force (reinstall both).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
mc="$root/tools/manifest-check"
force=0
for a in "$@"; do
  case "$a" in
    --force) force=1 ;;
    -h|--help) sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "install-tools.sh: unknown option $a" >&2; exit 2 ;;
  esac
done

log() { printf '[install-tools] %s\n' "$*"; }
die() { printf '[install-tools] ERROR: %s\n' "$*" >&2; exit 1; }
is_root() { [ "$(id -u)" = 0 ]; }

apt_ready=0
apt_update_once() {
  [ $apt_ready = 1 ] && return
  log "apt-get update"
  apt-get update -qq || die "apt-get update failed (is the Debian mirror reachable?)"
  apt_ready=1
}

# ---- node + npm ---------------------------------------------------------------
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  is_root || die "node and npm are needed (Debian: apt-get install nodejs npm); run this script as root to install them"
  apt_update_once
  log "apt-get install nodejs npm"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends nodejs npm >/dev/null
fi

# ---- 1. npm packages -------------------------------------------------------------
# npm ci rewrites node_modules completely; skip it while the installed tree was
# made from this very package-lock.json.
lock_sum="$(sha256sum "$mc/package-lock.json" | cut -d' ' -f1)"
stamp="$mc/node_modules/.installed-from-lock"
if [ $force = 0 ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$lock_sum" ]; then
  log "npm: tools/manifest-check/node_modules is up to date"
else
  log "npm: npm ci in tools/manifest-check"
  (cd "$mc" && npm ci --no-audit --no-fund --loglevel=error) || die "npm ci failed in $mc"
  echo "$lock_sum" > "$stamp"
fi

# ---- 2. promtool -----------------------------------------------------------------
local_promtool="$mc/.cache/promtool"
have_promtool() { [ -x "$local_promtool" ] || command -v promtool >/dev/null 2>&1; }

if [ $force = 0 ] && have_promtool; then
  log "promtool: present ($( { [ -x "$local_promtool" ] && echo "$local_promtool"; } || command -v promtool))"
elif is_root; then
  apt-cache policy prometheus 2>/dev/null | grep -q 'Candidate: [0-9]' || apt_update_once
  # The package's maintainer scripts would start a Prometheus server through
  # invoke-rc.d; a policy-rc.d that exits 101 forbids that. Add one only when
  # there is none, and remove only our own.
  ours=0
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\n# added by growbin scripts/install-tools.sh\nexit 101\n' > /usr/sbin/policy-rc.d
    chmod 755 /usr/sbin/policy-rc.d
    ours=1
  fi
  log "promtool: apt-get install --no-install-recommends prometheus (no server is started)"
  set +e
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends prometheus >/dev/null
  rc=$?
  set -e
  [ $ours = 1 ] && rm -f /usr/sbin/policy-rc.d
  [ $rc = 0 ] || die "apt-get install prometheus failed (exit $rc)"
  # belt and braces: if a server got started anyway, stop it again
  if command -v systemctl >/dev/null 2>&1 && systemctl is-active --quiet prometheus 2>/dev/null; then
    systemctl stop prometheus || true
    systemctl disable prometheus >/dev/null 2>&1 || true
  elif [ -x /etc/init.d/prometheus ] && /etc/init.d/prometheus status >/dev/null 2>&1; then
    /etc/init.d/prometheus stop >/dev/null 2>&1 || true
  fi
else
  log "promtool: not root; extracting it from the prometheus .deb into tools/manifest-check/.cache"
  tmp="$(mktemp -d)"
  trap 'rm -rf "$tmp"' EXIT
  (cd "$tmp" && apt-get download prometheus >/dev/null 2>&1) ||
    die "apt-get download prometheus failed; as root run: apt-get update && apt-get install -y --no-install-recommends prometheus"
  dpkg-deb -x "$tmp"/prometheus_*.deb "$tmp/x"
  mkdir -p "$(dirname "$local_promtool")"
  install -m 755 "$tmp/x/usr/bin/promtool" "$local_promtool"
fi
have_promtool || die "promtool is still missing after installing"
log "promtool: $( ( [ -x "$local_promtool" ] && "$local_promtool" --version || promtool --version ) 2>&1 | head -1)"
