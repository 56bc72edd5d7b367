#!/usr/bin/env bash
# Parser throughput, measured against a baseline in the same run: sendlint's MIME reader against
# Python's standard `email` package on the same files, and the HTML tokenizer on the corpora and
# on hostile inputs. Numbers are ratios and MB/s for this machine, never assertions.
#   Scripts/benchmark.sh [CORPORA]          throughput
#   Scripts/benchmark.sh adversarial [S]    hostile inputs at two sizes (Scripts/adversarial.py)
# Whole-lint modes (issue 15; Scripts/benchmark-lint.py; the release CLI as installed, with the
# Swift runtime linked in statically, or SENDLINT=path):
#   Scripts/benchmark.sh lint-vs-rspamd [RUNS]  `sendlint lint` (--jobs 1 and default) against
#       `rspamadm mime urls` over detection/phishing-pot, alternating, median of RUNS (>= 5);
#       installs Debian's rspamd when missing
#   Scripts/benchmark.sh callgrind [CORPUS] [EVERY]  instructions per input byte by stage (valgrind,
#       deterministic) over every EVERY-th message (default 8) of CORPUS (default phishing-pot)
#   Scripts/benchmark.sh templates            1, 100, 1,000 and 10,000 small templates in one call,
#       and an empty lint (start-up)
#   Scripts/benchmark.sh linearity            1, 10 and 50 MB of newsletter HTML
#   Scripts/benchmark.sh serve [S]          sendlint-server under wrk on 1 and 2 cores (Scripts/benchmark-serve.sh)
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "${1:-}" = serve ]; then exec bash Scripts/benchmark-serve.sh "${@:2}"; fi
case "${1:-}" in
  lint-vs-rspamd | callgrind | templates | linearity)
    mode="$1"
    shift
    if [ -z "${SENDLINT:-}" ]; then
      swift build -c release --static-swift-stdlib --product sendlint >/dev/null
      SENDLINT="$(swift build -c release --static-swift-stdlib --show-bin-path)/sendlint"
    fi
    shared="${CORPORA:-../shared/corpora}"
    case "$mode" in
      lint-vs-rspamd)
        if ! command -v rspamadm >/dev/null; then
          (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq rspamd) >/dev/null 2>&1 \
            || echo "could not install rspamd; the comparison is skipped"
        fi
        exec python3 Scripts/benchmark-lint.py lint-vs-rspamd "$SENDLINT" "$shared/detection/phishing-pot" "${1:-5}" ;;
      callgrind)
        command -v valgrind >/dev/null || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq valgrind) >/dev/null 2>&1 || true
        exec python3 Scripts/benchmark-lint.py callgrind "$SENDLINT" "${1:-$shared/detection/phishing-pot}" "${2:-8}" ;;
      *) exec python3 Scripts/benchmark-lint.py "$mode" "$SENDLINT" ;;
    esac ;;
esac
if [ "${1:-}" = adversarial ]; then
  # `benchmark.sh adversarial [SECONDS]`: every unbounded input of issue 11 at N and 2N (time, peak
  # RSS, ratio), through the release CLI, SECONDS (default 20) per run; informational, never fails.
  swift build -c release --static-swift-stdlib --product sendlint >/dev/null
  python3 Scripts/adversarial.py "$(swift build -c release --static-swift-stdlib --show-bin-path)/sendlint" "${2:-20}" || true
  exit 0
fi
corpora="${1:-../shared/corpora}"
[ -d "$corpora" ] || { echo "no corpora at $corpora; pass a folder of messages"; exit 0; }
swift build -c release --static-swift-stdlib --product SendlintBenchmarks >/dev/null
bench="$(swift build -c release --static-swift-stdlib --show-bin-path)/SendlintBenchmarks"
list="$(mktemp)"
find "$corpora" -type f \( -name '*.eml' -o -name '*.msg' -o -path '*/mails/*' \) -size -20M | sort > "$list"
echo "== MIME: $(wc -l < "$list") messages"
# (Printed after capture: `tee /dev/stderr` would reopen, and truncate, a log file stderr points to.)
swift_output="$("$bench" mime "$list")"
echo "$swift_output"
swift_line="$(echo "$swift_output" | tail -1)"
python_line="$(python3 - "$list" <<'PY'
import email, email.policy, sys, time
paths = [line.strip() for line in open(sys.argv[1]) if line.strip()]
data = [open(p, "rb").read() for p in paths]
total = sum(len(d) for d in data)
best = float("inf")
for _ in range(3):
    start = time.perf_counter()
    for raw in data:
        message = email.message_from_bytes(raw, policy=email.policy.default)
        for part in message.walk():
            if part.get_content_maintype() == "text":
                try:
                    part.get_content()
                except Exception:
                    pass
    best = min(best, time.perf_counter() - start)
mb = total / 1048576
print(f"python email (policy.default) parse + decode text parts: {mb:.2f} MB in {best:.3f} s = {mb / best:.1f} MB/s")
PY
)"
echo "$python_line"
python3 - "$swift_line" "$python_line" <<'PY'
import re, sys
rate = lambda line: float(re.search(r"= ([0-9.]+) MB/s", line).group(1))
print(f"ratio: sendlint is {rate(sys.argv[1]) / rate(sys.argv[2]):.1f}x Python's email package on the same files")
PY
echo "== HTML"
"$bench" html "$list"
if [ -d "$corpora/legit" ]; then
  # Newsletters are what sendlint reads most: big <style> blocks, deep tables, inline styles.
  grep '/legit/' "$list" > "$list.legit" || true
  echo "-- newsletters only ($(wc -l < "$list.legit") messages)"
  "$bench" html "$list.legit"
  rm -f "$list.legit"
fi
"$bench" adversarial
rm -f "$list"
