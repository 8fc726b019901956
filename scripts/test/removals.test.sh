#!/usr/bin/env bash
# Removals are exact under a plain `mvn compile`: after each change, k8s-out/ and k8s-out-tests/ (the
# alerts' promtool tests, beside it) equal what a clean build (no target/, neither folder) of the
# changed project writes. Maven only recompiles when a
# source changed; the sample's antrun step (sample-app/pom.xml) must notice the rest.
#
# Works on two copies of the working tree in a temporary folder (the checkout is never changed):
# "work" gets each change and a plain `mvn compile`, "clean" gets the same change and a clean build.
# The two builds of a step run side by side. Steps:
#   an option given once, then dropped (-Dgrowbin.image.tag)
#   a checkout of an earlier version: the tests in their old place, k8s-out/rule-tests/
#   an environment added (values-sandbox.yaml, a name no values file uses), renamed (values-qa.yaml), deleted
#   the last annotated class deleted (the sources become one plain class)
# Prints "ok"/"not ok" per assertion and a last line "N passed, M failed"; exit 1 on a failure.
# Environment: REMOVALS_MVN (default "mvn -B -ntp -q -o"), KEEP_TMP=1 keeps the temporary folder.
set -uo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
MVN="${REMOVALS_MVN:-mvn -B -ntp -q -o}"
tmp="$(mktemp -d "${TMPDIR:-/tmp}/removals-test.XXXXXX")"
[ "${KEEP_TMP:-0}" = 1 ] && echo "temporary folder: $tmp" || trap 'rm -rf "$tmp"' EXIT

passed=0 failed=0
ok() { passed=$((passed + 1)); echo "ok - $*"; }
not_ok() { failed=$((failed + 1)); echo "not ok - $*"; }
finish() { echo; echo "$passed passed, $failed failed"; [ "$failed" -eq 0 ]; exit $?; }

work="$tmp/work"
clean="$tmp/clean"
values=sample-app/src/main/k8s

# the working tree as it is (committed or not), without build output
copy() { # destination
  mkdir -p "$1"
  (cd "$root" && git ls-files -z --cached --others --exclude-standard \
    | while IFS= read -r -d '' f; do [ -f "$f" ] && printf '%s\0' "$f"; done \
    | xargs -0 cp --parents -t "$1")
}

# every file below k8s-out/ and k8s-out-tests/ with its checksum ("" when there is none)
snapshot() { # project
  local folder
  for folder in k8s-out k8s-out-tests; do
    [ -d "$1/$folder" ] && (cd "$1" && find "$folder" -type f -print0 | sort -z | xargs -0 -r sha256sum)
  done
  return 0
}

build() { # project log [maven options...]
  local dir=$1 log=$2; shift 2
  # shellcheck disable=SC2086  # MVN is a command line on purpose
  (cd "$dir" && $MVN compile "$@") > "$log" 2>&1
}

# one step: the work copy compiles incrementally, the clean copy from nothing; same k8s-out/ expected
step() { # name
  local name=$1 slug=${1//[^a-zA-Z0-9]/-}
  rm -rf "$clean/k8s-out" "$clean/k8s-out-tests" "$clean/sample-app/target"
  build "$work" "$tmp/$slug.work.log" & local w=$!
  build "$clean" "$tmp/$slug.clean.log" & local c=$!
  local wrc=0 crc=0
  wait $w || wrc=$?
  wait $c || crc=$?
  if [ $wrc -ne 0 ] || [ $crc -ne 0 ]; then
    not_ok "$name: mvn compile failed (work $wrc, clean $crc)"
    tail -n 30 "$tmp/$slug.work.log" "$tmp/$slug.clean.log"
    return 1
  fi
  if diff <(snapshot "$clean") <(snapshot "$work") > "$tmp/$slug.diff"; then
    ok "$name: k8s-out/ and k8s-out-tests/ equal a clean build's ($(snapshot "$work" | wc -l) files)"
  else
    not_ok "$name: k8s-out/ or k8s-out-tests/ differs from a clean build's"
    head -n 40 "$tmp/$slug.diff"
  fi
}

both() { # shell command, run in each copy
  for project in "$work" "$clean"; do (cd "$project" && eval "$1"); done
}

copy "$work" && copy "$clean" || { not_ok "copy the working tree"; finish; }

step "baseline" || finish

# an option given once, then dropped: the plain compile must not keep the tagged images
if build "$work" "$tmp/tagged.log" -Dgrowbin.image.tag=4f2a9c1 && grep -rq ':4f2a9c1' "$work/k8s-out/prod"; then
  ok "option: -Dgrowbin.image.tag=4f2a9c1 reaches the manifests"
else
  not_ok "option: -Dgrowbin.image.tag=4f2a9c1 reaches the manifests"
fi
step "option dropped"
! grep -rq ':4f2a9c1' "$work/k8s-out" && ok "option dropped: no image tagged 4f2a9c1 left" || not_ok "option dropped: an image tagged 4f2a9c1 is left"

# a checkout made by an earlier version, which wrote the tests inside k8s-out/, upgraded: the upgrade is a new
# processor (here: newer processor classes, which sample-app's antrun step notices), and the generation it
# brings removes the old folder
both "mkdir -p k8s-out/rule-tests && cp k8s-out-tests/dev.test.yaml k8s-out/rule-tests/dev.test.yaml \
  && find processor/target/classes -name GrowbinProcessor.class -exec touch {} +"
step "tests in their old place"
[ ! -e "$work/k8s-out/rule-tests" ] && [ -f "$work/k8s-out-tests/dev.test.yaml" ] \
  && ok "tests in their old place: k8s-out/rule-tests/ removed, k8s-out-tests/dev.test.yaml kept" \
  || not_ok "tests in their old place: k8s-out/rule-tests/ is still there"

# a new environment: its name must not be one the project already has (copying over an existing
# values file would only change that environment, and its folder would be there before the step)
if [ -e "$work/$values/values-sandbox.yaml" ] || [ -e "$work/k8s-out/sandbox" ] || grep -rlq 'sandbox' "$work/k8s-out"; then
  not_ok "environment added: the project already has an environment named sandbox; pick another name for this test"
  finish
fi
both "cp $values/values-dev.yaml $values/values-sandbox.yaml"
step "environment added"
[ -f "$work/k8s-out/sandbox/kustomization.yaml" ] && [ -f "$work/k8s-out-tests/sandbox.test.yaml" ] \
  && ok "environment added: sandbox/ and k8s-out-tests/sandbox.test.yaml" || not_ok "environment added: sandbox/ missing"

both "mv $values/values-sandbox.yaml $values/values-qa.yaml"
step "environment renamed"
if grep -rlq 'sandbox' "$work/k8s-out" "$work/k8s-out-tests" || ls "$work/k8s-out" "$work/k8s-out-tests" | grep -q sandbox; then
  not_ok "environment renamed: 'sandbox' is still in k8s-out/ or k8s-out-tests/: $(grep -rl sandbox "$work/k8s-out" "$work/k8s-out-tests" | head -5 | tr '\n' ' ')"
else
  ok "environment renamed: nothing named sandbox is left"
fi
[ -f "$work/k8s-out/qa/kustomization.yaml" ] && ok "environment renamed: qa/ written" || not_ok "environment renamed: qa/ missing"

both "rm $values/values-qa.yaml"
step "environment deleted"

both "rm -rf sample-app/src/main/java && mkdir -p sample-app/src/main/java/app/growbin/backend && printf 'package app.growbin.backend;\n\n/** Nothing annotated is left. */\npublic final class Main {}\n' > sample-app/src/main/java/app/growbin/backend/Main.java"
step "last annotated class deleted"
[ -z "$(snapshot "$work")" ] && ok "last annotated class deleted: k8s-out/ and k8s-out-tests/ hold no file" \
  || not_ok "last annotated class deleted: files left in k8s-out/ or k8s-out-tests/"

finish
