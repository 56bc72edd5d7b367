#!/usr/bin/env bash
# Builds sendlint-fuzz with AddressSanitizer and libFuzzer coverage, then runs each harness for
# SECONDS (default 45) from seeds written to a temp folder (Fuzz/seeds.py). Fails on a crash, a
# timeout (one input over 10 s) or an out-of-memory (over 2 GB); the input that did it is kept in
# .fuzz-artifacts/ and replays with `swift run sendlint-fuzz HARNESS FILE`.
#
#   Scripts/fuzz.sh [SECONDS] [HARNESS...]     harnesses: mime html url policy manifest zip pdf dns
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-45}"
shift || true
harnesses=("$@")
[ ${#harnesses[@]} -gt 0 ] || harnesses=(mime html url policy manifest zip pdf dns)
shared="${SENDLINT_SHARED:-../shared}"

# `-sanitize=fuzzer` would link libFuzzer's `main` into every executable of the package (the
# PolicyPackEmbedder build tool among them); instead everything gets ASan and coverage, and only
# sendlint-fuzz references libFuzzer's no-main runtime, so only it pulls it in from the archive.
resources="$(dirname "$(command -v swiftc)")/../lib/clang"
runtime="$(ls "$resources"/*/lib/linux/libclang_rt.fuzzer_no_main-x86_64.a 2>/dev/null | head -1)"
[ -n "$runtime" ] || { echo "libFuzzer's runtime is not in $resources"; exit 1; }
start=$SECONDS
swift build --scratch-path .build-fuzz --product sendlint-fuzz \
  -Xswiftc -sanitize=address \
  -Xswiftc -sanitize-coverage=edge,indirect-calls,trace-cmp,inline-8bit-counters,pc-table \
  -Xcc -DSENDLINT_LIBFUZZER -Xlinker "$runtime" -Xlinker -lstdc++ 2>&1 \
  | grep -v "Cannot export local symbol" | tail -3
echo "ASan + coverage build: $((SECONDS - start)) s"
fuzzer="$(swift build --scratch-path .build-fuzz --show-bin-path)/sendlint-fuzz"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
python3 Fuzz/seeds.py "$work/seeds" "$shared"
mkdir -p .fuzz-artifacts
failed=()
for harness in "${harnesses[@]}"; do
  mkdir -p "$work/new-$harness" "$work/seeds/$harness"
  echo "== fuzz $harness for $seconds s ($(ls "$work/seeds/$harness" | wc -l) seeds)"
  set +e
  # New inputs go to the first folder (discarded); seeds are read from the second.
  SENDLINT_FUZZ_TARGET="$harness" ASAN_OPTIONS=detect_leaks=0:allocator_may_return_null=1 "$fuzzer" \
    -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
    -dict=Fuzz/sendlint.dict -artifact_prefix=".fuzz-artifacts/$harness-" -print_final_stats=1 \
    "$work/new-$harness" "$work/seeds/$harness" > "$work/$harness.log" 2>&1
  status=$?
  set -e
  grep -E "^#[0-9]+ +DONE|stat::number_of_executed_units|stat::peak_rss_mb" "$work/$harness.log" | tr '\n' ' ' || true
  echo
  if [ $status -ne 0 ]; then
    failed+=("$harness")
    echo "FAIL: $harness (exit $status)"
    grep -E "ERROR: |SUMMARY: |Test unit written|Fatal error|==[0-9]+==" "$work/$harness.log" | head -20 || true
    grep -A40 -E "ERROR: |Fatal error" "$work/$harness.log" | grep -E "^ *#[0-9]+ " | head -25 || true
  fi
done
echo "fuzzing took $((SECONDS - start)) s in all"
if [ ${#failed[@]} -gt 0 ]; then
  echo "fuzzing failed: ${failed[*]}; reproducers in .fuzz-artifacts/"
  exit 1
fi
