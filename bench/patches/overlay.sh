# Sourced by rest.sh and workers.sh: builds the proposed runtime fixes (bench/patches/*.patch, NOT
# applied to runtime/) into a class overlay in $WORK/overlay that goes in front of the runtime jar,
# so that "growbin+fix" / "java+fix" rows measure them without touching the module.
build_overlay() {
  local src="$WORK/overlay-src" out="$WORK/overlay"
  rm -rf "$src" "$out"; mkdir -p "$src" "$out"
  (cd "$src" && mkdir -p runtime && cp -r "$ROOT/runtime/src" runtime/ \
    && for p in "$BENCH"/patches/*.patch; do [[ -e "$p" ]] || continue; patch -s -p1 < "$p"; done)
  javac --release 17 -proc:none -cp "$(cat "$WORK/app-cp.txt")" -d "$out" \
    "$src/runtime/src/main/java/app/growbin/runtime/celery/Broker.java" \
    "$src/runtime/src/main/java/app/growbin/runtime/Pools.java"
}
