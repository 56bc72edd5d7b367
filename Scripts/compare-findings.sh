#!/usr/bin/env bash
# Findings before and after a change (issue 15: performance work must not change a finding):
# lints every shared corpus folder with two sendlint binaries and reports any difference in the
# reports, the exit status or standard error.
#
#   Scripts/compare-findings.sh BASE_BIN NEW_BIN [-- EXTRA LINT ARGUMENTS]
#
# Each corpus folder (../shared/corpora/<group>/<corpus>, as Scripts/evaluate.sh walks them) is
# linted in one call per binary, from the corpora folder (relative paths, as evaluate.py runs
# it), under two policies: the brand-less recommended pack (what the scorecard uses) and one
# naming a brand, so the brand rules run too. FORMATS (default "json") lists the formats to
# compare, e.g. FORMATS="json sarif text junit gitlab". The reports carry no timing, so nothing is
# normalised except JUnit's `time=` attributes. CORPORA=folder reads another corpora folder.
# Exit 0 when every report is byte-identical, 1 on any difference (the first lines of each diff
# are printed), 2 on a usage error. Reads the mail only through sendlint (it holds live malicious
# mail); never fetches anything.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ $# -lt 2 ] || [ ! -x "$1" ] || [ ! -x "$2" ]; then
  echo "usage: Scripts/compare-findings.sh BASE_BIN NEW_BIN [-- EXTRA LINT ARGUMENTS] (both executable)" >&2
  exit 2
fi
base="$(realpath "$1")"
new="$(realpath "$2")"
shift 2
[ "${1:-}" = "--" ] && shift
extra=("$@")
corpora="$(realpath "${CORPORA:-../shared/corpora}")"
[ -d "$corpora" ] || { echo "no corpora at $corpora; set CORPORA" >&2; exit 2; }
formats="${FORMATS:-json}"
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
printf 'version: 1\nextends: [sendlint:recommended]\n' > "$scratch/brandless.yaml"
cat > "$scratch/brand.yaml" <<'YAML'
version: 1
extends: [sendlint:recommended]
brand:
  name: Example Bank
  domains: [example.com, paypal.com]
  sending_domains: [example.com]
  sending_ips: [203.0.113.0/24]
YAML
mapfile -t folders < <(cd "$corpora" && find . -mindepth 2 -maxdepth 2 -type d | sed 's|^\./||' | sort)
[ ${#folders[@]} -gt 0 ] || { echo "no corpus folders under $corpora" >&2; exit 2; }
differences=0
runs=0
for policy in brandless brand; do
  for folder in "${folders[@]}"; do
    for format in $formats; do
      for side in base new; do
        binary="$base"; [ $side = new ] && binary="$new"
        out="$scratch/$side.out"
        set +e
        (cd "$corpora" && "$binary" lint --format "$format" --no-color --policy "$scratch/$policy.yaml" ${extra[@]+"${extra[@]}"} "$folder") \
          > "$out" 2> "$scratch/$side.err" < /dev/null
        echo "exit $?" >> "$scratch/$side.err"
        set -e
        # JUnit carries the run's duration: the one field that must differ.
        if [ "$format" = junit ]; then sed -i -E 's/ time="[0-9.]+"/ time="T"/g' "$out"; fi
      done
      runs=$((runs + 1))
      if ! cmp -s "$scratch/base.out" "$scratch/new.out" || ! cmp -s "$scratch/base.err" "$scratch/new.err"; then
        differences=$((differences + 1))
        echo "DIFFERENT: $folder ($format, $policy policy)"
        diff "$scratch/base.out" "$scratch/new.out" | head -20 || true
        diff "$scratch/base.err" "$scratch/new.err" | head -10 || true
      fi
    done
  done
done
if [ $differences -gt 0 ]; then
  echo "$differences of $runs reports differ between $base and $new"
  exit 1
fi
echo "identical: $runs reports ($formats; ${#folders[@]} corpus folders x 2 policies)"
