#!/usr/bin/env bash
# Peak memory per message, as a multiple of the message's size, for every corpus file of at
# least MIN_BYTES (default 256 KiB):
#   parse  sendlint-bench parse FILE  (MIME parse, every part decoded, all of it held at once)
#   lint   sendlint lint FILE         (the whole pipeline: inventory, every rule, the report)
# Each figure is the command's peak heap (heaptrack) minus its peak on an empty message, divided
# by the file's size. Heap, not resident size: RSS adds the pages of ICU converter tables and
# code first touched by a given message, which do not grow with it. Without heaptrack the script
# falls back to peak RSS (GNU time) and says so. Measurements, not assertions; the figures are
# in docs/decisions.md.
set -euo pipefail
cd "$(dirname "$0")/.."
corpora="${1:-../shared/corpora}"
min_bytes="${MIN_BYTES:-262144}"
[ -d "$corpora" ] || { echo "no corpora at $corpora; pass a folder of messages"; exit 0; }
swift build -c release --product SendlintBenchmarks >/dev/null
swift build -c release --product sendlint >/dev/null
bin="$(swift build -c release --show-bin-path)"
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
empty="$scratch/empty.eml"
: > "$empty"
if command -v heaptrack >/dev/null && command -v heaptrack_print >/dev/null; then
  measure="peak heap"
  # Peak heap in KiB; lint exits 1 when it finds problems, which is not a failure here.
  peak() {
    rm -f "$scratch"/trace*
    heaptrack -o "$scratch/trace" "$@" >/dev/null 2>&1 || true
    heaptrack_print "$scratch"/trace* 2>/dev/null | python3 -c '
import re, sys
units = {"": 1 / 1024, "B": 1 / 1024, "K": 1, "M": 1024, "G": 1024 * 1024}
for line in sys.stdin:
    m = re.match(r"peak heap memory consumption: ([0-9.]+)([BKMG]?)", line)
    if m: print(round(float(m.group(1)) * units[m.group(2)]))'
  }
elif [ -x /usr/bin/time ]; then
  measure="peak RSS"
  peak() { { /usr/bin/time -f '%M' "$@" 2>&1 >/dev/null || true; } | tail -1; }
else
  echo "skipped: neither heaptrack nor GNU time is installed"
  exit 0
fi
parse_base=$(peak "$bin/SendlintBenchmarks" parse "$empty")
lint_base=$(peak "$bin/sendlint" lint --policy Examples/.sendlint.yaml --format json "$empty")
echo "measure: $measure; on an empty message: parse ${parse_base} KiB, lint ${lint_base} KiB"
printf '%10s %8s %8s  %s\n' "size KiB" "parse×" "lint×" "file"
worst_parse=0
worst_lint=0
while IFS= read -r -d '' file; do
  size=$(stat -c %s "$file")
  parse_peak=$(peak "$bin/SendlintBenchmarks" parse "$file")
  lint_peak=$(peak "$bin/sendlint" lint --policy Examples/.sendlint.yaml --format json "$file")
  read -r parse_ratio lint_ratio < <(python3 -c "
size = $size / 1024
print(f'{max(0, $parse_peak - $parse_base) / size:.2f} {max(0, $lint_peak - $lint_base) / size:.2f}')")
  printf '%10d %8s %8s  %s\n' $((size / 1024)) "$parse_ratio" "$lint_ratio" "${file#"$corpora"/}"
  worst_parse=$(python3 -c "print(max($worst_parse, $parse_ratio))")
  worst_lint=$(python3 -c "print(max($worst_lint, $lint_ratio))")
done < <(find "$corpora" -type f -size +"$((min_bytes / 1024))"k -size -64M -print0 | sort -z)
echo "worst ($measure above an empty message): parse ${worst_parse}× the file's size, lint ${worst_lint}×"
