#!/usr/bin/env bash
# Publish the generated manifests (k8s-out/) to the GitOps repository that Argo CD syncs.
#
#   scripts/publish-gitops.sh --repo URL [--path PATH] [--branch BRANCH] [--image-tag TAG [--image-digest D]]
#
# What it does, in order:
#   1. refuses a dirty k8s-out/: uncommitted or untracked changes under k8s-out/ (exit 3);
#   2. refuses a stale k8s-out/: the processor is run again (`$PUBLISH_MVN compile` of the whole
#      reactor, output redirected to a temporary folder, so the checkout is not touched) and the
#      result must be byte-identical to k8s-out/ (exit 4);
#   3. with --image-tag TAG, renders the manifests once more with -Dgrowbin.image.tag=TAG (again
#      into a temporary folder) and publishes those; without it, publishes k8s-out/ as committed;
#      with --image-digest too, every `image: REPO:TAG` of those manifests becomes
#      `image: REPO:TAG@sha256:...`, so the cluster runs exactly the image that was pushed, even if
#      the tag is moved later;
#   4. clones BRANCH of the GitOps repository, replaces PATH there with the manifests (files that
#      are gone from k8s-out/ are deleted there too; nothing outside PATH is touched), and commits
#      "growbin-backend: manifests of <source sha>" with the source repository and commit in the
#      message; when nothing changed there is no commit (exit 0, "nothing to publish");
#   5. pushes; when the push loses a race with another publisher it starts again from step 4
#      (3 attempts).
#
# Options (each also as an environment variable):
#   --repo URL         GITOPS_REPO_URL   the GitOps repository (required); any URL git accepts,
#                                        credentials included (they are never printed)
#   --path PATH        GITOPS_PATH       folder inside the GitOps repository; default: gitops.path
#                                        of sample-app/src/main/k8s/values.yaml (k8s-out)
#   --branch BRANCH    GITOPS_BRANCH     default: gitops.targetRevision of values.yaml (main)
#   --image-tag TAG    GROWBIN_IMAGE_TAG publish the manifests rendered with this image tag
#   --image-digest D   GROWBIN_IMAGE_DIGEST  pin the image of that tag to this digest: sha256:<64 hex>,
#                                        or a file holding it (Jib's target/jib-image.digest)
#   --source DIR       GROWBIN_SOURCE    the Growbin checkout (default: this script's repository)
#   --dry-run                            everything except the push
# Environment: PUBLISH_MVN (the Maven command, default "mvn -B -ntp -q"), SOURCE_REPO_URL (default:
# $GITHUB_SERVER_URL/$GITHUB_REPOSITORY, else `git remote get-url origin`), GIT_AUTHOR_NAME /
# GIT_AUTHOR_EMAIL for the commit in the GitOps repository (default "growbin-publish").
# Exit codes: 0 published or nothing to publish, 1 error, 2 usage, 3 dirty k8s-out/, 4 stale k8s-out/.
set -euo pipefail

usage() { sed -n '2,37p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; }
log() { printf '[publish-gitops] %s\n' "$*" >&2; }
die() { local rc=$1; shift; printf '[publish-gitops] ERROR: %s\n' "$*" >&2; exit "$rc"; }
# URLs may carry credentials (https://user:token@host/...): never print them
redact() { sed -E 's#(://)[^/@]+@#\1***@#g' <<< "$1"; }

repo_url="${GITOPS_REPO_URL:-}"
target_path="${GITOPS_PATH:-}"
branch="${GITOPS_BRANCH:-}"
image_tag="${GROWBIN_IMAGE_TAG:-}"
image_digest="${GROWBIN_IMAGE_DIGEST:-}"
source_dir="${GROWBIN_SOURCE:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}"
dry_run=0
while [ $# -gt 0 ]; do
  case "$1" in
    --repo) repo_url="${2:?--repo needs a value}"; shift 2 ;;
    --path) target_path="${2:?--path needs a value}"; shift 2 ;;
    --branch) branch="${2:?--branch needs a value}"; shift 2 ;;
    --image-tag) image_tag="${2:?--image-tag needs a value}"; shift 2 ;;
    --image-digest) image_digest="${2:?--image-digest needs a value}"; shift 2 ;;
    --source) source_dir="${2:?--source needs a value}"; shift 2 ;;
    --dry-run) dry_run=1; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "publish-gitops.sh: unknown argument $1" >&2; usage >&2; exit 2 ;;
  esac
done
[ -n "$repo_url" ] || { echo "publish-gitops.sh: --repo URL (or GITOPS_REPO_URL) is required" >&2; exit 2; }
PUBLISH_MVN="${PUBLISH_MVN:-mvn -B -ntp -q}"
if [ -n "$image_digest" ]; then
  [ -n "$image_tag" ] || { echo "publish-gitops.sh: --image-digest pins the image built for --image-tag; give both" >&2; exit 2; }
  if ! [[ "$image_digest" =~ ^sha256:[0-9a-f]{64}$ ]]; then
    [ -f "$image_digest" ] || { echo "publish-gitops.sh: --image-digest wants sha256:<64 hex digits> or a file holding it, got '$image_digest'" >&2; exit 2; }
    digest_file="$image_digest"
    image_digest="$(tr -d '[:space:]' < "$digest_file")"
    [[ "$image_digest" =~ ^sha256:[0-9a-f]{64}$ ]] ||
      { echo "publish-gitops.sh: $digest_file does not hold a digest sha256:<64 hex digits>" >&2; exit 2; }
  fi
fi

source_dir="$(cd "$source_dir" && pwd)"
cd "$source_dir"
git rev-parse --git-dir >/dev/null 2>&1 || die 1 "$source_dir is not a git checkout"
[ -d k8s-out ] || die 1 "$source_dir/k8s-out does not exist; run mvn compile and commit it"
values=sample-app/src/main/k8s/values.yaml

# `section.key` of a values file, for the two-level keys read here (plain or quoted scalars).
values_get() { # file section key
  [ -f "$1" ] || return 0
  awk -v s="$2" -v k="$3" -v q="'" '
    /^[^[:space:]#]/ { in_s = ($0 ~ "^" s ":[[:space:]]*(#.*)?$"); next }
    in_s && $0 ~ "^  " k ":" {
      v = $0; sub("^  " k ":[[:space:]]*", "", v); sub("[[:space:]]+#.*$", "", v)
      gsub("^[\"" q "]|[\"" q "]$", "", v); print v; exit
    }' "$1"
}

app="$(values_get "$values" global appName)"; app="${app:-growbin-backend}"
[ -n "$target_path" ] || target_path="$(values_get "$values" gitops path)"
target_path="${target_path:-k8s-out}"
if [ -z "$branch" ]; then
  branch="$(values_get "$values" gitops targetRevision)"
  case "$branch" in ''|HEAD) branch=main ;; esac
fi
target_path="${target_path%/}"; target_path="${target_path#./}"
case "/$target_path/" in
  //|/./|*/../*|///*) die 2 "--path must be a folder inside the GitOps repository, got '$target_path'" ;;
esac
[ "${target_path#/}" = "$target_path" ] || die 2 "--path must be relative, got '$target_path'"
case "$target_path" in .git|.git/*) die 2 "--path must not be inside .git" ;; esac

# The Argo CD Applications must sync from where we publish: spec.source.path = <path>/<env>.
for app_file in k8s-out/argocd/*.yaml; do
  [ -f "$app_file" ] || continue
  env_name="$(basename "$app_file" .yaml)"; env_name="${env_name#"$app"-}"
  synced="$(awk '/^  source:/ {s=1; next} s && /^    path:/ {print $2; exit} /^  [^ ]/ {s=0}' "$app_file")"
  [ -z "$synced" ] || [ "$synced" = "$target_path/$env_name" ] ||
    die 2 "$app_file syncs from '$synced', but this would publish to '$target_path/$env_name'; set gitops.path in values.yaml (and recompile) or pass --path ${synced%/*}"
done

sha="$(git rev-parse HEAD)"
source_repo="${SOURCE_REPO_URL:-}"
if [ -z "$source_repo" ] && [ -n "${GITHUB_REPOSITORY:-}" ]; then source_repo="${GITHUB_SERVER_URL:-https://github.com}/$GITHUB_REPOSITORY"; fi
[ -n "$source_repo" ] || source_repo="$(git remote get-url origin 2>/dev/null || true)"
[ -n "$source_repo" ] || source_repo="$source_dir"
source_repo="$(redact "$source_repo")"

# ---- 1. dirty ------------------------------------------------------------------------------------
dirty="$(git status --porcelain --untracked-files=all -- k8s-out)"
if [ -n "$dirty" ]; then
  printf '%s\n' "$dirty" | sed 's/^/  /' >&2
  die 3 "k8s-out/ has uncommitted changes (above); commit or discard them: only committed, reviewed manifests are published"
fi
if [ -n "$(git status --porcelain --untracked-files=no)" ]; then
  log "note: the checkout has uncommitted changes outside k8s-out/; the freshness check below compiles the working tree"
fi

work="$(mktemp -d "${TMPDIR:-/tmp}/publish-gitops.XXXXXX")"
trap 'rm -rf "$work"' EXIT

# ---- 2. stale ------------------------------------------------------------------------------------
# "A fresh mvn compile", done so that it is fresh and leaves the checkout alone:
# - the output goes to a temporary folder (-Dgrowbin.output), so k8s-out/ is never written;
# - the processor runs inside javac, and Maven skips javac when no source changed: removing the
#   compiler plugin's input list makes the compile of sample-app a full one (what sample-app's pom
#   itself does when a values file changed); the other modules compile incrementally (~7 s warm);
# - the whole reactor is built, never `-pl sample-app -am`: the processor is only on sample-app's
#   annotationProcessorPaths, not a dependency, so -am would leave it out and Maven would take
#   whatever growbin-processor was last installed in ~/.m2 instead of this checkout's.
render() { # output-dir [extra maven args...]
  local out=$1; shift
  rm -f sample-app/target/maven-status/maven-compiler-plugin/compile/default-compile/inputFiles.lst
  mkdir -p "$out"
  log "rendering: $PUBLISH_MVN compile -Dgrowbin.output=<tmp> $*"
  # shellcheck disable=SC2086  # PUBLISH_MVN is a command line on purpose
  if ! $PUBLISH_MVN compile "-Dgrowbin.output=$out" "$@" >"$work/mvn.log" 2>&1; then
    grep -E '^\[(ERROR|WARNING)\]' "$work/mvn.log" | head -n 60 >&2
    die 1 "the Maven build failed (errors above)"
  fi
  [ -n "$(ls -A "$out")" ] || die 1 "the build wrote no manifests to $out (is the processor configured in sample-app/pom.xml?)"
}

render "$work/fresh"
if ! diff -r -q k8s-out "$work/fresh" >"$work/stale.txt" 2>&1; then
  sed -e "s#$work/fresh#<fresh>#g" "$work/stale.txt" | sed 's/^/  /' >&2
  diff -r -u k8s-out "$work/fresh" 2>/dev/null | sed -e "s#$work/fresh#<fresh>#g" | head -n 60 >&2 || true
  die 4 "k8s-out/ is stale: a fresh 'mvn compile' generates different manifests (above); run mvn compile and commit k8s-out/"
fi
log "k8s-out/ is committed and up to date with the code ($sha)"

publish_src="$source_dir/k8s-out"
if [ -n "$image_tag" ]; then
  render "$work/tagged" "-Dgrowbin.image.tag=$image_tag"
  publish_src="$work/tagged"
fi

# `image: REPO:TAG` -> `image: REPO:TAG@sha256:...` in every manifest. The tag is the commit's, so
# the references that end in it are the one image this build pushed; more than one such
# repository means something else, and nothing is published.
pin_image_digest() { # folder tag digest
  local dir=$1 tag=$2 digest=$3 refs
  refs="$(grep -rhoE --include='*.yaml' --include='*.yml' "^[[:space:]-]*image:[[:space:]]*\"?[^\"[:space:]@]+:${tag//./\\.}\"?[[:space:]]*\$" "$dir" |
    sed -E 's/^[[:space:]-]*image:[[:space:]]*"?([^"[:space:]]+)"?[[:space:]]*$/\1/' | sort -u)"
  [ -n "$refs" ] || die 1 "--image-digest: no manifest names an image with the tag $tag"
  [ "$(wc -l <<< "$refs")" = 1 ] || die 1 "--image-digest: more than one image has the tag $tag: $(tr '\n' ' ' <<< "$refs")"
  local ref="$refs" files
  files="$(grep -rlF --include='*.yaml' --include='*.yml' "$ref" "$dir")"
  while IFS= read -r f; do
    sed -i -E "s#^([[:space:]-]*image:[[:space:]]*\"?)$(sed 's/[.[\*^$/#]/\\&/g' <<< "$ref")(\"?[[:space:]]*)\$#\1$ref@$digest\2#" "$f"
  done <<< "$files"
  log "pinned $ref to $ref@$digest in $(grep -rlF --include='*.yaml' --include='*.yml' "$ref@$digest" "$dir" | wc -l) file(s)"
}
[ -z "$image_digest" ] || pin_image_digest "$publish_src" "$image_tag" "$image_digest"

# ---- 3. the GitOps checkout ----------------------------------------------------------------------
msg_file="$work/message"
{
  printf '%s: manifests of %s\n\n' "$app" "$sha"
  printf 'Generated by Growbin from %s at commit %s.\n' "$source_repo" "$sha"
  [ -z "$image_tag" ] || printf 'Image tag: %s\n' "$image_tag"
  [ -z "$image_digest" ] || printf 'Image digest: %s\n' "$image_digest"
  printf '\nSource-Repository: %s\nSource-Commit: %s\n' "$source_repo" "$sha"
} > "$msg_file"

export GIT_AUTHOR_NAME="${GIT_AUTHOR_NAME:-growbin-publish}"
export GIT_AUTHOR_EMAIL="${GIT_AUTHOR_EMAIL:-growbin-publish@users.noreply.github.com}"
export GIT_COMMITTER_NAME="${GIT_COMMITTER_NAME:-$GIT_AUTHOR_NAME}"
export GIT_COMMITTER_EMAIL="${GIT_COMMITTER_EMAIL:-$GIT_AUTHOR_EMAIL}"
shown_url="$(redact "$repo_url")"

# One publication attempt, in a subshell with errexit of its own (called with errexit off and not
# from an `||` list, where bash would ignore errexit inside it). Exit status: 0 done, 10 push rejected (try again), other: error.
attempt() (
  set -e
  co="$work/gitops"
  rm -rf "$co"
  git init -q "$co"
  cd "$co"
  git remote add origin "$repo_url"
  if git ls-remote --exit-code --heads origin "$branch" >/dev/null 2>&1; then
    git fetch -q --depth 1 origin "refs/heads/$branch" || die 1 "cannot fetch $branch from $shown_url"
    git checkout -q -B "$branch" FETCH_HEAD
  else
    git ls-remote origin >/dev/null 2>&1 || die 1 "cannot reach the GitOps repository $shown_url"
    log "branch $branch does not exist in $shown_url yet; it is created"
    git checkout -q -b "$branch"
  fi
  rm -rf "./$target_path"
  mkdir -p "./$target_path"
  cp -R "$publish_src/." "./$target_path/"
  git add -A -- "$target_path"
  if git diff --cached --quiet; then
    log "nothing to publish: $shown_url $branch:$target_path already holds these manifests"
    exit 0
  fi
  git diff --cached --shortstat | sed 's/^ */[publish-gitops] changes: /' >&2
  git commit -q -F "$msg_file"
  if [ "$dry_run" = 1 ]; then
    log "dry run: not pushed; this commit would go to $shown_url $branch:"
    git --no-pager show --stat --format='%B' HEAD | head -n 40 >&2
    exit 0
  fi
  if git push -q origin "HEAD:refs/heads/$branch" 2>"$work/push.err"; then
    log "published $app manifests of $sha to $shown_url $branch:$target_path (commit $(git rev-parse HEAD))"
    exit 0
  fi
  redact "$(cat "$work/push.err")" >&2
  exit 10
)

for try in 1 2 3; do
  set +e
  attempt
  rc=$?
  set -e
  [ $rc = 10 ] || exit $rc
  log "push rejected (attempt $try of 3); fetching $branch again"
  sleep $((try * 2))
done
die 1 "could not push to $shown_url $branch after 3 attempts"
