#!/usr/bin/env bash
# The container image against the manifests (docs/image.md), offline.
#
#   1. config:  the Jib configuration of sample-app, read from the effective pom, against every
#               workload of k8s-out/<env>/ (`manifest-check image`): numeric user = runAsUser/
#               runAsGroup, entrypoint = the Deployments' command (java, -cp, main class, JVM
#               options), classpath inside Jib's layout, image repository, Java 17+ base.
#   2. built:   `jib:buildTar` of the real build on a small local base image (tar://; the real base,
#               eclipse-temurin, needs Docker Hub, which CI cannot reach), then the built image's
#               config (Entrypoint, User) against the manifests, the same way;
#   3. started: the image's layers unpacked, and its entrypoint + a Deployment's args
#               (`rest waste`) started from them with this machine's java, as UID:GID 10001:10001
#               when run as root: /health and /ready must answer 200. (The classpath's /app is
#               mapped to the unpacked folder; everything else is the image's command line.)
# Prints "ok"/"not ok" lines and "N passed, M failed"; exit 1 on a failure.
# Environment: IMAGE_MVN (default "mvn -B -ntp -q"), SKIP_IMAGE_BUILD=1 runs step 1 only.
set -uo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
MVN="${IMAGE_MVN:-mvn -B -ntp -q}"
HELP_PLUGIN=org.apache.maven.plugins:maven-help-plugin:3.5.2
mc=(node "$root/tools/manifest-check/bin/manifest-check.mjs")
tmp="$(mktemp -d "${TMPDIR:-/tmp}/image-test.XXXXXX")"
pid=""
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT

passed=0 failed=0
ok() { passed=$((passed + 1)); echo "ok - $*"; }
not_ok() { failed=$((failed + 1)); echo "not ok - $*"; }
finish() { echo; echo "$passed passed, $failed failed"; [ "$failed" -eq 0 ]; exit $?; }
indent() { sed 's/^/    | /'; }

envs=()
for d in k8s-out/*/; do
  d="${d%/}"
  [ -f "$d/kustomization.yaml" ] && envs+=("$d")
done
[ ${#envs[@]} -gt 0 ] || { not_ok "no k8s-out/<env>/ with a kustomization.yaml"; finish; }

# ---- 1. the Jib configuration (effective pom) ----
# shellcheck disable=SC2086  # MVN is a command line on purpose
if $MVN -pl sample-app "$HELP_PLUGIN:effective-pom" "-Doutput=$tmp/effective-pom.xml" > "$tmp/mvn.log" 2>&1; then
  if "${mc[@]}" image --pom "$tmp/effective-pom.xml" "${envs[@]}" > "$tmp/out" 2>&1; then
    ok "Jib configuration = manifests ($(tail -n 1 "$tmp/out"))"
  else
    indent < "$tmp/out"; not_ok "Jib configuration = manifests"
  fi
else
  indent < "$tmp/mvn.log" | tail -n 30; not_ok "mvn help:effective-pom"
fi
[ "${SKIP_IMAGE_BUILD:-0}" = 1 ] && finish

# ---- 2. the built image ----
# A base image in `docker save` format: one layer with /tmp and an /etc/passwd.
mkdir -p "$tmp/base/rootfs/etc" "$tmp/base/rootfs/tmp"
printf 'root:x:0:0:root:/root:/bin/sh\n' > "$tmp/base/rootfs/etc/passwd"
tar -C "$tmp/base/rootfs" --owner=0 --group=0 -cf "$tmp/base/layer.tar" .
diff_id="sha256:$(sha256sum "$tmp/base/layer.tar" | cut -d' ' -f1)"
printf '{"architecture":"amd64","os":"linux","config":{"Env":["PATH=/usr/local/bin:/usr/bin:/bin"]},"rootfs":{"type":"layers","diff_ids":["%s"]}}\n' "$diff_id" > "$tmp/base/config.json"
printf '[{"Config":"config.json","RepoTags":["growbin-test/base:1"],"Layers":["layer.tar"]}]\n' > "$tmp/base/manifest.json"
tar -C "$tmp/base" -cf "$tmp/base.tar" manifest.json config.json layer.tar

jib_version="$(node -e '
  const t = require("fs").readFileSync(process.argv[1], "utf8");
  const m = /<artifactId>jib-maven-plugin<\/artifactId>\s*<version>([^<]+)<\/version>/.exec(t);
  console.log(m ? m[1] : "");' "$tmp/effective-pom.xml" 2>/dev/null)"
# The whole reactor (sample-app's runtime dependency comes from this build, not ~/.m2);
# jib.containerize limits Jib to sample-app; the manifests rendered on the way go to $tmp.
# shellcheck disable=SC2086
if [ -n "$jib_version" ] && $MVN -Dmaven.test.skip=true "-Dgrowbin.output=$tmp/k8s-out" -Dgrowbin.image.tag=image-test \
    -Djib.containerize=app.growbin:growbin-sample-app "-Djib.from.image=tar://$tmp/base.tar" \
    "-Djib.outputPaths.tar=$tmp/image.tar" package "com.google.cloud.tools:jib-maven-plugin:$jib_version:buildTar" \
    > "$tmp/jib.log" 2>&1; then
  ok "jib:buildTar (jib-maven-plugin $jib_version) on a local base image"
else
  indent < "$tmp/jib.log" | tail -n 40; not_ok "jib:buildTar (jib-maven-plugin ${jib_version:-not found in the effective pom})"
  finish
fi
mkdir -p "$tmp/image" "$tmp/rootfs"
tar -xf "$tmp/image.tar" -C "$tmp/image"
config="$tmp/image/$(node -e 'console.log(JSON.parse(require("fs").readFileSync(process.argv[1]))[0].Config)' "$tmp/image/manifest.json")"
if "${mc[@]}" image --image-config "$config" "${envs[@]}" > "$tmp/out" 2>&1; then
  ok "built image config (Entrypoint, User) = manifests ($(tail -n 1 "$tmp/out"))"
else
  indent < "$tmp/out"; not_ok "built image config (Entrypoint, User) = manifests"
fi
node -e 'for (const l of JSON.parse(require("fs").readFileSync(process.argv[1]))[0].Layers) console.log(l)' "$tmp/image/manifest.json" |
  while read -r layer; do tar --warning=no-unknown-keyword -xf "$tmp/image/$layer" -C "$tmp/rootfs"; done
if [ -d "$tmp/rootfs/app/classes/app/growbin/backend" ] && ls "$tmp/rootfs/app/libs/"growbin-runtime-*.jar >/dev/null 2>&1; then
  ok "layout: /app/classes holds app.growbin.backend, /app/libs holds growbin-runtime"
else
  find "$tmp/rootfs/app" -maxdepth 2 | indent; not_ok "layout: /app/classes and /app/libs"
fi

# ---- 3. the image's entrypoint + a Deployment's args, started ----
mapfile -t entrypoint < <(node -e 'for (const a of JSON.parse(require("fs").readFileSync(process.argv[1])).config.Entrypoint) console.log(a)' "$config")
deployment=k8s-out/dev/api/rest/waste-deployment.yaml
mapfile -t args < <(node -e '
  const YAML = require(process.argv[1]);
  const d = YAML.parse(require("fs").readFileSync(process.argv[2], "utf8"));
  for (const a of d.spec.template.spec.containers[0].args) console.log(a);' "$root/tools/manifest-check/node_modules/yaml" "$deployment")
cmd=()
for a in "${entrypoint[@]}"; do cmd+=("${a//\/app\//$tmp/rootfs/app/}"); done
port=$((20000 + RANDOM % 20000))
as_user=()
if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null 2>&1; then
  user="$(node -e 'console.log(JSON.parse(require("fs").readFileSync(process.argv[1])).config.User)' "$config")"
  as_user=(setpriv --reuid "${user%%:*}" --regid "${user##*:}" --clear-groups)
  chmod 755 "$tmp"   # mktemp's 700 would hide the unpacked image from that user
fi
(cd "$tmp" && exec env SERVICE_NAME=waste HTTP_PORT="$port" \
  CELERY_BROKER_URL=amqp://guest:guest@127.0.0.1:5672// CELERY_RESULT_BACKEND=redis://127.0.0.1:6379/0 \
  "${as_user[@]}" "${cmd[@]}" "${args[@]}") > "$tmp/launch.log" 2>&1 &
pid=$!
health=000 ready=000
for _ in $(seq 1 60); do
  health="$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/health" || true)"
  [ "$health" = 200 ] && break
  kill -0 "$pid" 2>/dev/null || break
  sleep 0.5
done
ready="$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/ready" || true)"
started="${entrypoint[*]} ${args[*]} (args of $deployment)${as_user:+ as ${user:-}}"
if [ "$health" = 200 ] && [ "$ready" = 200 ]; then
  ok "started from the image's layers: $started: /health $health, /ready $ready"
else
  indent < "$tmp/launch.log" | tail -n 30; not_ok "started from the image's layers: $started: /health $health, /ready $ready"
fi
kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; pid=""
finish
