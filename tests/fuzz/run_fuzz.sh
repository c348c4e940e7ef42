#!/usr/bin/env bash
# Runs every libFuzzer target of tests/fuzz/targets.txt for a bounded time.
# Usage: tests/fuzz/run_fuzz.sh BUILD_DIR [SECONDS_PER_TARGET] [TARGET...]
#   BUILD_DIR: a clang build configured with -DORCH_FUZZ=ON (`ninja orch_fuzz_targets` done)
# Each target starts from its seeds (targets.txt) plus the corpus it grew in earlier runs
# (BUILD_DIR/fuzz-corpus/NAME). Any crash, sanitizer report, leak, out-of-memory or input
# slower than 5 s fails the run; the failing input is written to BUILD_DIR/fuzz-artifacts/.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
build="$(cd "${1:?usage: run_fuzz.sh BUILD_DIR [SECONDS] [TARGET...]}" && pwd)"
seconds="${2:-60}"
shift $(($# >= 2 ? 2 : 1))
only=("$@")

failed=()
while read -r name suffix _libs seed_dirs; do
  [[ -z "$name" || "$name" == \#* ]] && continue
  if ((${#only[@]})) && [[ ! " ${only[*]} " == *" $name "* ]]; then continue; fi
  binary="$build/orch_fuzz_$name"
  [[ -x "$binary" ]] || binary="$(find "$build" -name "orch_fuzz_$name" -type f -perm -u+x | head -n1)"
  if [[ -z "$binary" || ! -x "$binary" ]]; then
    echo "error: orch_fuzz_$name is not built in $build" >&2
    echo "  = help: ninja -C $build orch_fuzz_targets" >&2
    exit 2
  fi

  # Seeds: only files with the target's suffix, copied under content-hash names (the same
  # file name occurs in several golden suites).
  seeds="$build/fuzz-seeds/$name"
  rm -rf "$seeds" && mkdir -p "$seeds"
  for dir in $seed_dirs; do
    [[ -d "$repo/$dir" ]] || continue
    while IFS= read -r -d '' file; do
      cp "$file" "$seeds/$(sha1sum "$file" | cut -c1-16)$suffix"
    done < <(find "$repo/$dir" -type f -name "*$suffix" -print0)
  done
  corpus="$build/fuzz-corpus/$name"
  artifacts="$build/fuzz-artifacts/$name"
  mkdir -p "$corpus" "$artifacts"

  dict=()
  [[ -f "$build/fuzz-dicts/$name.dict" ]] && dict=(-dict="$build/fuzz-dicts/$name.dict")

  echo "==> fuzzing $name for ${seconds}s ($(ls "$seeds" | wc -l) seeds, $(ls "$corpus" | wc -l) corpus inputs)"
  if ASAN_OPTIONS="detect_leaks=1:${ASAN_OPTIONS:-}" UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1" \
     "$binary" -max_total_time="$seconds" -timeout=5 -rss_limit_mb=2048 -max_len=65536 \
       -print_final_stats=1 -artifact_prefix="$artifacts/" "${dict[@]}" "$corpus" "$seeds" \
       > "$build/fuzz-$name.log" 2>&1; then
    grep -E '^(stat::number_of_executed_units|stat::peak_rss_mb|#[0-9]+ *DONE)' "$build/fuzz-$name.log" || true
  else
    echo "error: fuzz target $name failed; the end of its log ($build/fuzz-$name.log):" >&2
    tail -n 60 "$build/fuzz-$name.log" >&2
    echo "  = help: reproduce with $binary $artifacts/<crash-file>, fix it, then add the input" >&2
    echo "          to tests/fuzz/corpus/$name/ (name ending in $suffix) so every build replays it" >&2
    failed+=("$name")
  fi
done < "$repo/tests/fuzz/targets.txt"

if ((${#failed[@]})); then
  echo "error: fuzzing found failures in: ${failed[*]}" >&2
  exit 1
fi
echo "==> fuzzing passed"
