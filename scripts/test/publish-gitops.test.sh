#!/usr/bin/env bash
# Tests of scripts/publish-gitops.sh against a local bare GitOps repository.
#
# Works on a clone of this repository's HEAD in a temporary folder (the checkout itself is never
# changed) and runs the publish script of the working tree against it:
#   first publish, no-op publish, removal propagates, --image-tag, a rejected push retried,
#   --image-digest pinning image:tag@sha256 (and its refusals),
#   refusal on dirty k8s-out, refusal on stale k8s-out, files outside the target path left alone.
# Prints "ok"/"not ok" per assertion and a last line "N passed, M failed"; exit 1 on a failure.
# Environment: PUBLISH_MVN (default "mvn -B -ntp -q"; also used by the publisher), KEEP_TMP=1 keeps the temporary folder.
set -uo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
publish="$root/scripts/publish-gitops.sh"
export PUBLISH_MVN="${PUBLISH_MVN:-mvn -B -ntp -q}"
tmp="$(mktemp -d "${TMPDIR:-/tmp}/publish-gitops-test.XXXXXX")"
[ "${KEEP_TMP:-0}" = 1 ] && echo "temporary folder: $tmp" || trap 'rm -rf "$tmp"' EXIT

passed=0 failed=0
ok() { passed=$((passed + 1)); echo "ok - $*"; }
not_ok() { failed=$((failed + 1)); echo "not ok - $*"; }
check() { # description command...
  local d=$1; shift
  if "$@"; then ok "$d"; else not_ok "$d"; fi
}
finish() { echo; echo "$passed passed, $failed failed"; [ "$failed" -eq 0 ]; exit $?; }

# a git identity for the test's own commits in the source clone
export GIT_AUTHOR_NAME=publish-test GIT_AUTHOR_EMAIL=publish-test@example.invalid
export GIT_COMMITTER_NAME=publish-test GIT_COMMITTER_EMAIL=publish-test@example.invalid
src="$tmp/src"
bare="$tmp/gitops.git"
url="file://$bare"

git clone -q "$root" "$src" || { not_ok "clone $root"; finish; }
git -C "$src" remote set-url origin https://github.com/your-org/growbin.git
sha() { git -C "$src" rev-parse HEAD; }

# The GitOps repository already holds something of another team, outside k8s-out/.
git init -q --bare "$bare"
seed="$tmp/seed"
git init -q "$seed" && mkdir -p "$seed/other-app" &&
  echo 'kind: ConfigMap' > "$seed/other-app/keep.yaml" &&
  git -C "$seed" add -A && git -C "$seed" commit -q -m seed &&
  git -C "$seed" push -q "$url" HEAD:refs/heads/main || { not_ok "seed the bare repository"; finish; }

# run the publisher; its stderr and exit code are kept in $out and $rc
run_publish() {
  out="$tmp/out.txt"
  (cd "$tmp" && "$publish" --source "$src" --repo "$url" "$@") > "$out" 2>&1
  rc=$?
  sed 's/^/    | /' "$out"
}
view() { # fresh clone of the GitOps repository's main branch
  rm -rf "$tmp/view"
  git clone -q --branch main "$url" "$tmp/view"
}
commits() { git --git-dir="$bare" rev-list --count main; }
has() { grep -q -- "$1" "$out"; }
same_tree() { diff -r "$1" "$2" >/dev/null; }

echo "# 1. first publish"
run_publish
check "first publish exits 0" [ "$rc" = 0 ]
view
check "k8s-out/ is copied to the default path k8s-out/" same_tree "$src/k8s-out" "$tmp/view/k8s-out"
check "k8s-out/dev/kustomization.yaml and the Argo CD Applications are there" \
  test -f "$tmp/view/k8s-out/dev/kustomization.yaml" -a -f "$tmp/view/k8s-out/argocd/growbin-backend-prod.yaml"
check "one commit added" [ "$(commits)" = 2 ]
subject="$(git -C "$tmp/view" log -1 --format=%s)"
check "the commit subject names the source commit ($subject)" [ "$subject" = "growbin-backend: manifests of $(sha)" ]
check "the commit message names the source repository" \
  grep -q "Source-Repository: https://github.com/your-org/growbin.git" <(git -C "$tmp/view" log -1 --format=%B)
check "files outside k8s-out/ are kept" test -f "$tmp/view/other-app/keep.yaml"

echo "# 2. no-op publish"
run_publish
check "no-op publish exits 0" [ "$rc" = 0 ]
check "it says there is nothing to publish" has "nothing to publish"
check "no commit added" [ "$(commits)" = 2 ]

echo "# 3. removal propagates"
# disable a REST service in dev: the processor removes its files, the publish must remove them too
printf '\n# test: users disabled in dev\napi:\n  rest:\n    users:\n      enabled: false\n' > "$tmp/disable.yaml"
disable_users_in_dev() { # values-dev.yaml may already have api: and rest: blocks; add users under them
  local f="$src/sample-app/src/main/k8s/values-dev.yaml"
  if grep -q '^api:' "$f"; then
    if grep -q '^  rest:' "$f"; then
      sed -i 's/^  rest:$/  rest:\n    users:\n      enabled: false/' "$f"
    else
      sed -i 's/^api:$/api:\n  rest:\n    users:\n      enabled: false/' "$f"
    fi
  else
    cat "$tmp/disable.yaml" >> "$f"
  fi
}
disable_users_in_dev
# shellcheck disable=SC2086
(cd "$src" && $PUBLISH_MVN compile >"$tmp/mvn.log" 2>&1) || { sed 's/^/    | /' "$tmp/mvn.log" | tail -n 40; }
check "the build removed dev/api/rest/users-deployment.yaml" test ! -e "$src/k8s-out/dev/api/rest/users-deployment.yaml"
git -C "$src" add -A sample-app/src/main/k8s k8s-out && git -C "$src" commit -q -m "disable users in dev"
run_publish
check "publish after the removal exits 0" [ "$rc" = 0 ]
view
check "the removed files are gone from the GitOps repository" test ! -e "$tmp/view/k8s-out/dev/api/rest/users-deployment.yaml"
check "the GitOps k8s-out/ equals the source k8s-out/" same_tree "$src/k8s-out" "$tmp/view/k8s-out"
check "prod still has users" test -f "$tmp/view/k8s-out/prod/api/rest/users-deployment.yaml"
check "one more commit, naming the new source commit" \
  test "$(commits)" = 3 -a "$(git -C "$tmp/view" log -1 --format=%s)" = "growbin-backend: manifests of $(sha)"

echo "# 4. --image-tag publishes the manifests rendered with that tag (and a lost push race is retried)"
# the GitOps repository rejects the first push once, as when another publisher pushed first
printf '#!/bin/sh\nif [ ! -e "%s/rejected-once" ]; then touch "%s/rejected-once"; echo "simulated: fetch first" >&2; exit 1; fi\n' \
  "$bare" "$bare" > "$bare/hooks/pre-receive"
chmod +x "$bare/hooks/pre-receive"
run_publish --image-tag test-1234abcd
rm -f "$bare/hooks/pre-receive"
check "publish with --image-tag exits 0" [ "$rc" = 0 ]
check "the rejected push was retried from a fresh clone" has "push rejected (attempt 1 of 3)"
view
check "the published Deployments name the tagged image" \
  grep -q 'image: ghcr.io/your-org/growbin-backend:test-1234abcd' "$tmp/view/k8s-out/prod/api/rest/waste-deployment.yaml"
check "no Deployment keeps the committed tag" \
  bash -c "! grep -rq 'image: .*:0.1.0' '$tmp/view/k8s-out/'*/api"
check "the source k8s-out/ was not changed by the tagged render" \
  test -z "$(git -C "$src" status --porcelain -- k8s-out)"
check "the commit message names the image tag" grep -q "Image tag: test-1234abcd" <(git -C "$tmp/view" log -1 --format=%B)

echo "# 4b. --image-digest pins the image in the published manifests (as Jib reports it: a file)"
digest="sha256:$(printf 'growbin-image-test' | sha256sum | cut -c1-64)"
printf '%s\n' "$digest" > "$tmp/jib-image.digest"
run_publish --image-tag test-5678efgh --image-digest "$tmp/jib-image.digest"
check "publish with --image-digest exits 0" [ "$rc" = 0 ]
view
# the environments' Deployments; the Helm export's templates name the image through a helper
deployments="$(find "$tmp/view/k8s-out" -path "$tmp/view/k8s-out/helm" -prune -o -path '*/api/*' -name '*-deployment.yaml' -print | sort)"
pinned="$(grep -lx "          image: ghcr.io/your-org/growbin-backend:test-5678efgh@$digest" $deployments | sort)"
check "every published Deployment names image:tag@digest ($(wc -l <<< "$pinned") of $(wc -l <<< "$deployments"))" \
  [ -n "$deployments" -a "$pinned" = "$deployments" ]
check "no image line without the digest is left" \
  bash -c "! grep -rhE '^[[:space:]-]*image:' '$tmp/view/k8s-out' --include='*.yaml' --exclude-dir=helm | grep -v '@$digest'"
check "the commit message names the digest" grep -q "Image digest: $digest" <(git -C "$tmp/view" log -1 --format=%B)
check "the source k8s-out/ was not changed by the pinning" test -z "$(git -C "$src" status --porcelain -- k8s-out)"
before_digest="$(commits)"
run_publish --image-tag test-5678efgh --image-digest "sha256:1234"
check "a malformed digest: exit 2" [ "$rc" = 2 ]
run_publish --image-digest "$digest"
check "a digest without --image-tag: exit 2" [ "$rc" = 2 ]
printf 'not a digest\n' > "$tmp/bad.digest"
run_publish --image-tag test-5678efgh --image-digest "$tmp/bad.digest"
check "a digest file without a digest: exit 2" [ "$rc" = 2 ]
check "nothing was pushed by the refused runs" [ "$(commits)" = "$before_digest" ]
before="$(commits)"

echo "# 5. refusal on a dirty k8s-out/"
echo "# hand edit" >> "$src/k8s-out/prod/api/rest/waste-service.yaml"
run_publish
check "a modified file: exit 3" [ "$rc" = 3 ]
check "it names the file and says uncommitted" bash -c "grep -q 'waste-service.yaml' '$out' && grep -q 'uncommitted changes' '$out'"
git -C "$src" checkout -q -- k8s-out
echo 'kind: ConfigMap' > "$src/k8s-out/prod/extra.yaml"
run_publish
check "an untracked file: exit 3" [ "$rc" = 3 ]
rm -f "$src/k8s-out/prod/extra.yaml"
check "nothing was pushed" [ "$(commits)" = "$before" ]

echo "# 6. refusal on a stale k8s-out/"
# a values change committed without regenerating k8s-out/
sed -i 's/^\(    repository: .*\)$/\1-renamed/' "$src/sample-app/src/main/k8s/values.yaml"
git -C "$src" commit -q -am "rename the image, forget to regenerate"
run_publish
check "stale k8s-out/: exit 4" [ "$rc" = 4 ]
check "it says stale and shows the difference" bash -c "grep -q 'is stale' '$out' && grep -q 'growbin-backend-renamed' '$out'"
check "nothing was pushed" [ "$(commits)" = "$before" ]
check "the source k8s-out/ was not changed by the check" test -z "$(git -C "$src" status --porcelain -- k8s-out)"

echo "# 7. usage errors"
run_publish --path ../outside
check "--path outside the repository: exit 2" [ "$rc" = 2 ]
out2="$tmp/out2.txt"
(cd "$tmp" && env -u GITOPS_REPO_URL "$publish" --source "$src") > "$out2" 2>&1
check "no --repo: exit 2" [ $? = 2 ]

finish
