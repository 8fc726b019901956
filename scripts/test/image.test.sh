#!/usr/bin/env bash
# The container image against the manifests (docs/image.md), offline.
#
#   1. config:  the Jib configuration of sample-app, read from the effective pom, against every
#               workload of k8s-out/<env>/ (`manifest-check image`): numeric user = runAsUser/
#               runAsGroup, entrypoint = the Deployments' command (java, -cp, main class, JVM
#               options), classpath inside Jib's layout, image repository, Java 17+ base pinned
#               by digest, platforms linux/amd64 + linux/arm64; and in the `image` profile the
#               SBOM (cyclonedx makeBom) runs at package before jib:build;
#   2. built:   `cyclonedx:makeBom` + `jib:buildTar` of the real build on a small local base image
#               (tar://; the real base, eclipse-temurin, needs Docker Hub, which CI cannot reach),
#               for linux/amd64 only (a tarball holds one image, not an index; the two-platform
#               configuration is checked in 1.), then the built image's config (Entrypoint, User)
#               against the manifests, the same way; the SBOM lists exactly the jars of the
#               image's /app/libs, each with the jar's own SHA-256; Jib reports the digest;
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
# The release build (-Pimage): the SBOM is made in the same build, at package, before jib:build.
# shellcheck disable=SC2086
if $MVN -pl sample-app -Pimage -Dgrowbin.image.tag=image-test "$HELP_PLUGIN:effective-pom" "-Doutput=$tmp/effective-pom-image.xml" > "$tmp/mvn.log" 2>&1 &&
    node --input-type=module - "$tmp/effective-pom-image.xml" "$root/tools/manifest-check/src/xml.mjs" > "$tmp/out" 2>&1 <<'JS'
const [pomFile, xmlModule] = process.argv.slice(2);
const { parseXml, child, children, text } = await import(xmlModule);
const fs = await import('node:fs');
const plugins = children(child(child(parseXml(fs.readFileSync(pomFile, 'utf8')), 'build'), 'plugins'), 'plugin');
const atPackage = plugins.flatMap((p) => children(child(p, 'executions'), 'execution')
  .filter((e) => text(child(e, 'phase')) === 'package')
  .flatMap((e) => children(child(e, 'goals'), 'goal').map((g) => `${text(child(p, 'artifactId'))}:${text(g)}`)));
const sbom = atPackage.indexOf('cyclonedx-maven-plugin:makeBom');
const image = atPackage.indexOf('jib-maven-plugin:build');
console.log(`package phase of -Pimage: ${atPackage.join(', ')}`);
process.exit(sbom >= 0 && image > sbom ? 0 : 1);
JS
then
  ok "-Pimage makes the SBOM before pushing the image ($(cat "$tmp/out"))"
else
  indent < "$tmp/out"; indent < "$tmp/mvn.log" | tail -n 20; not_ok "-Pimage: cyclonedx-maven-plugin:makeBom at package, before jib-maven-plugin:build"
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
# The SBOM and the digest go to sample-app/target (sbom/growbin-backend.cdx.json, jib-image.digest).
sbom="$root/sample-app/target/sbom/growbin-backend.cdx.json"
digest_file="$root/sample-app/target/jib-image.digest"
rm -f "$sbom" "$digest_file"
# shellcheck disable=SC2086
if [ -n "$jib_version" ] && $MVN -Dmaven.test.skip=true "-Dgrowbin.output=$tmp/k8s-out" -Dgrowbin.image.tag=image-test \
    -Djib.containerize=app.growbin:growbin-sample-app "-Djib.from.image=tar://$tmp/base.tar" -Djib.from.platforms=linux/amd64 \
    "-Djib.outputPaths.tar=$tmp/image.tar" package org.cyclonedx:cyclonedx-maven-plugin:makeBom \
    "com.google.cloud.tools:jib-maven-plugin:$jib_version:buildTar" > "$tmp/jib.log" 2>&1; then
  ok "cyclonedx:makeBom + jib:buildTar (jib-maven-plugin $jib_version, linux/amd64) on a local base image"
else
  indent < "$tmp/jib.log" | tail -n 40; not_ok "cyclonedx:makeBom + jib:buildTar (jib-maven-plugin ${jib_version:-not found in the effective pom})"
  finish
fi
if grep -Eqx 'sha256:[0-9a-f]{64}' "$digest_file" 2>/dev/null; then
  ok "Jib reports the image digest in sample-app/target/jib-image.digest ($(cut -c1-19 "$digest_file")...)"
else
  not_ok "Jib reports the image digest in sample-app/target/jib-image.digest (got: $(head -c 100 "$digest_file" 2>&1))"
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

# The SBOM against the image: every jar of /app/libs is a component with that version and that
# jar's SHA-256, and every component is a jar of /app/libs (nothing missing, nothing invented).
if node - "$sbom" "$tmp/rootfs/app/libs" > "$tmp/out" 2>&1 <<'JS'
const fs = require('fs'), path = require('path'), crypto = require('crypto');
const [sbomFile, libs] = process.argv.slice(2);
const bom = JSON.parse(fs.readFileSync(sbomFile, 'utf8'));
const problems = [];
if (bom.bomFormat !== 'CycloneDX') problems.push(`bomFormat ${bom.bomFormat}`);
if (bom.metadata?.component?.name !== 'growbin-sample-app') problems.push(`metadata.component ${bom.metadata?.component?.name}`);
const byFile = new Map();
for (const c of bom.components || []) {
  if (!/^pkg:maven\//.test(c.purl || '')) problems.push(`${c.name}: no Maven purl`);
  byFile.set(`${c.name}-${c.version}.jar`, c);
}
const jars = fs.readdirSync(libs).filter((f) => f.endsWith('.jar')).sort();
for (const jar of jars) {
  const c = byFile.get(jar);
  if (!c) { problems.push(`${jar} is in the image but not in the SBOM`); continue; }
  const sha = crypto.createHash('sha256').update(fs.readFileSync(path.join(libs, jar))).digest('hex');
  const listed = (c.hashes || []).find((h) => h.alg === 'SHA-256')?.content;
  if (listed !== sha) problems.push(`${jar}: SHA-256 in the SBOM ${listed} != the image's jar ${sha}`);
  byFile.delete(jar);
}
for (const f of byFile.keys()) problems.push(`${f} is in the SBOM but not in the image`);
for (const must of ['growbin-runtime-', 'amqp-client-', 'jedis-']) if (!jars.some((j) => j.startsWith(must))) problems.push(`no ${must}*.jar`);
if (problems.length) { console.log(problems.join('\n')); process.exit(1); }
console.log(`${jars.length} jars, each with its version and SHA-256, e.g. ${jars.filter((j) => /^(amqp-client|jedis)-/.test(j)).join(', ')}`);
JS
then
  ok "SBOM (CycloneDX $(node -e 'console.log(require(process.argv[1]).specVersion)' "$sbom")) = the image's /app/libs: $(cat "$tmp/out")"
else
  indent < "$tmp/out"; not_ok "SBOM sample-app/target/sbom/growbin-backend.cdx.json = the image's /app/libs"
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
  AUTH_SIGNING_KEYS="image-test=a-signing-key-for-the-image-test-$$-$RANDOM" \
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
