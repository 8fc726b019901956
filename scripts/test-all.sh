#!/usr/bin/env bash
# The project's test command: build, test, and check the generated manifests.
#
#   1. scripts/install-tools.sh      node packages of tools/manifest-check, promtool
#   2. scripts/ensure-services.sh    RabbitMQ and Redis on 127.0.0.1 (runtime tests)
#   3. $MVN at the repository root   compiles, runs every module's tests and
#                                    regenerates k8s-out/
#   4. k8s-out/ is up to date        the committed k8s-out/ and k8s-out-tests/ equal what the build wrote
#   5. manifest checks               layout of k8s-out/ (only environments, argocd/, helm/,
#                                    README.md; only whole objects in an environment, no
#                                    patch files), then validate + k8s-versions + practices + prom-rules
#                                    + prom-test + dashboards on every k8s-out/<env>/, validate and
#                                    k8s-versions on k8s-out/argocd/; k8s-versions checks
#                                    each object against the OpenAPI document of every
#                                    supported Kubernetes release (1.30-1.34: served,
#                                    not deprecated, strict schema); prom-test runs the alert
#                                    unit tests the processor generates
#                                    (k8s-out-tests/<env>.test.yaml: every
#                                    alert fires and stays quiet), then, as a
#                                    second check, the hand-written ones of
#                                    tools/manifest-check/rule-tests/ (--partial)
#                                    dashboards: each Grafana dashboard ConfigMap's JSON
#                                    type-checked against @grafana/schema (tsc), and
#                                    every panel query through promtool check rules
#                                    kustomize: `kubectl kustomize k8s-out/<env>`
#                                    (pinned kubectl) yields exactly its files' objects
#                                    helm-compare: helm lint k8s-out/helm/<app>, and
#                                    `helm template -f values-<env>.yaml` (pinned helm)
#                                    yields exactly the objects of k8s-out/<env>/
#                                    mermaid: k8s-out/README.md's diagram parses
#   6. the checker's own tests       node --test in tools/manifest-check
#   7. publish-gitops test           scripts/test/publish-gitops.test.sh: the GitOps
#                                    publisher against a local bare repository
#   8. image test                    scripts/test/image.test.sh: the Jib configuration
#                                    (effective pom) and an offline jib:buildTar against
#                                    the Deployments (user, entrypoint, classpath), and
#                                    the built image's entrypoint started with `rest waste`
#   9. removals test                 scripts/test/removals.test.sh: after an option is
#                                    dropped, an environment added, renamed, deleted, and
#                                    the last annotated class deleted, a plain `mvn compile`
#                                    gives exactly the k8s-out/ of a clean build
#  10. dev test                      scripts/test/dev.test.sh: scripts/dev.sh starts every
#                                    Deployment of k8s-out/dev on 127.0.0.1, each /ready
#                                    answers, SIGTERM stops all and dev.sh exits 0
#
# Every step runs (a failed one does not hide the others); the summary lists
# them and the exit code is non-zero if any failed.
# Environment: MVN overrides the Maven command; PRACTICES_SKIP holds extra
# practices options such as "--skip ID=REASON" (one per line).
set -uo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

# The Maven invocation, in one place.
MVN="${MVN:-mvn -B -ntp verify}"
MANIFEST_CHECK=(node "$root/tools/manifest-check/bin/manifest-check.mjs")
practices_opts=()
if [ -n "${PRACTICES_SKIP:-}" ]; then
  while IFS= read -r line; do [ -n "$line" ] && practices_opts+=("${line%% *}" "${line#* }"); done <<< "$PRACTICES_SKIP"
fi

results=()   # "PASS|FAIL<TAB>step<TAB>detail"
record() { results+=("$1"$'\t'"$2"$'\t'"${3:-}"); }
section() { printf '\n===== %s =====\n' "$*"; }

# Run a step, record PASS/FAIL with the checker's own summary line as detail.
run_step() { # name command...
  local name=$1; shift
  section "$name"
  local out rc
  out="$(mktemp)"
  "$@" 2>&1 | tee "$out"
  rc=${PIPESTATUS[0]}
  local summary
  summary="$(grep -E '^[0-9]+ passed, [0-9]+ failed$|^# (pass|fail) [0-9]+' "$out" | tr '\n' ' ' | sed 's/ $//')"
  rm -f "$out"
  if [ "$rc" -eq 0 ]; then record PASS "$name" "$summary"; else record FAIL "$name" "${summary:-exit $rc}"; fi
  return "$rc"
}

# ---- 1. tools ----
tools_ok=1
run_step "install-tools" "$root/scripts/install-tools.sh" || tools_ok=0

# ---- 2. services ----
run_step "ensure-services" "$root/scripts/ensure-services.sh"

# ---- 3. maven ----
if [ -f "$root/pom.xml" ]; then
  # shellcheck disable=SC2086  # MVN is a command line on purpose
  run_step "maven ($MVN)" $MVN
else
  section "maven"; echo "no pom.xml at $root"; record FAIL "maven" "no pom.xml"
fi

# ---- 4. committed k8s-out/ (and the tests beside it) equals the generated one ----
section "k8s-out up to date"
generated=(k8s-out k8s-out-tests)
if [ ! -d k8s-out ]; then
  echo "k8s-out/ does not exist: the build did not generate the manifests (processor not run?)"
  record FAIL "k8s-out up to date" "k8s-out/ missing"
elif [ -n "$(git status --porcelain --untracked-files=all -- "${generated[@]}")" ]; then
  echo "The build generated manifests or tests that differ from the committed k8s-out/ and k8s-out-tests/."
  echo "Commit the regenerated k8s-out/ and k8s-out-tests/ together with the change that caused it."
  git status --porcelain --untracked-files=all -- "${generated[@]}"
  git --no-pager diff --stat -- "${generated[@]}"
  git --no-pager diff -- "${generated[@]}" | head -n 400
  git ls-files --others --exclude-standard -- "${generated[@]}" | head -n 20 | while read -r f; do
    echo "--- new file $f"; head -n 40 "$f"
  done
  record FAIL "k8s-out up to date" "$(git status --porcelain --untracked-files=all -- "${generated[@]}" | wc -l) file(s) differ"
else
  echo "k8s-out/ and k8s-out-tests/ are identical to the committed version"
  record PASS "k8s-out up to date"
fi

# ---- 5. manifest checks ----
envs=()
if [ -d k8s-out ]; then
  for d in k8s-out/*/; do
    d="${d%/}"
    case "$(basename "$d")" in argocd|helm) continue ;; esac
    envs+=("$d")
  done
fi
if [ $tools_ok = 0 ]; then
  section "manifest checks"; echo "not run: install-tools failed"
  record FAIL "manifest checks" "not run (install-tools failed)"
elif [ ${#envs[@]} -eq 0 ]; then
  section "manifest checks"; echo "no k8s-out/<env>/ folder to check"
  record FAIL "manifest checks" "no k8s-out/<env>/ found"
else
  run_step "layout k8s-out" "${MANIFEST_CHECK[@]}" layout k8s-out
  for d in "${envs[@]}"; do
    run_step "validate $d" "${MANIFEST_CHECK[@]}" validate "$d"
    run_step "k8s-versions $d" "${MANIFEST_CHECK[@]}" k8s-versions "$d"
    run_step "practices $d" "${MANIFEST_CHECK[@]}" practices "${practices_opts[@]}" "$d"
    run_step "prom-rules $d" "${MANIFEST_CHECK[@]}" prom-rules "$d"
    run_step "prom-test $d" "${MANIFEST_CHECK[@]}" prom-test "$d"
    run_step "prom-test (hand-written) $d" "${MANIFEST_CHECK[@]}" prom-test --partial --tests "$root/tools/manifest-check/rule-tests" "$d"
    run_step "dashboards $d" "${MANIFEST_CHECK[@]}" dashboards "$d"
    run_step "kustomize $d" "${MANIFEST_CHECK[@]}" kustomize "$d"
  done
  if [ -d k8s-out/argocd ]; then
    run_step "validate k8s-out/argocd" "${MANIFEST_CHECK[@]}" validate k8s-out/argocd
    run_step "k8s-versions k8s-out/argocd" "${MANIFEST_CHECK[@]}" k8s-versions k8s-out/argocd
  fi
  for chart in k8s-out/helm/*/; do
    [ -f "${chart}Chart.yaml" ] && run_step "helm-compare ${chart%/}" "${MANIFEST_CHECK[@]}" helm-compare "${chart%/}" "${envs[@]}"
  done
  run_step "mermaid k8s-out/README.md" "${MANIFEST_CHECK[@]}" mermaid k8s-out/README.md
fi

# ---- 6. the checker's own tests ----
if [ $tools_ok = 1 ]; then
  run_step "manifest-check self-test" bash -c "cd '$root/tools/manifest-check' && node --test test/"
else
  record FAIL "manifest-check self-test" "not run (install-tools failed)"
fi

# ---- 7. the GitOps publisher (on a clone of HEAD, against a local bare repository) ----
run_step "publish-gitops test" "$root/scripts/test/publish-gitops.test.sh"

# ---- 8. the container image against the manifests (offline Jib build) ----
if [ $tools_ok = 1 ]; then
  run_step "image test" "$root/scripts/test/image.test.sh"
else
  record FAIL "image test" "not run (install-tools failed)"
fi

# ---- 9. removals: a plain mvn compile gives the k8s-out/ of a clean build ----
run_step "removals test" "$root/scripts/test/removals.test.sh"

# ---- 10. the backend on this machine with one command ----
run_step "dev test" "$root/scripts/test/dev.test.sh"

# ---- summary ----
section "summary"
passed=0 failed=0
for r in "${results[@]}"; do
  IFS=$'\t' read -r status name detail <<< "$r"
  printf '%-4s  %-45s %s\n' "$status" "$name" "$detail"
  if [ "$status" = PASS ]; then passed=$((passed + 1)); else failed=$((failed + 1)); fi
done
echo
echo "test-all: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
