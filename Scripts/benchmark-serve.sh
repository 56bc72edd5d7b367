#!/usr/bin/env bash
# `Scripts/benchmark.sh serve [SECONDS]`: POST /v1/lint throughput of sendlint-server on loopback,
# driven by wrk for SECONDS (default 10) per run, with the server pinned to 1 core (taskset -c 0)
# and then 2 (taskset -c 0,1). Prints requests/s, p50/p99 latency and the CPU cores the server
# used (its CPU time / wall time). Informational: never fails a build.
# SENDLINT_SERVER=path uses that binary instead of building the release one.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-10}"
if ! command -v wrk >/dev/null 2>&1; then
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk) >/dev/null 2>&1 \
    || { echo "wrk is not installed and could not be installed (apt-get install wrk); skipping"; exit 0; }
fi
if [ -n "${SENDLINT_SERVER:-}" ]; then
  server="$SENDLINT_SERVER"
else
  swift build -c release --static-swift-stdlib --product sendlint-server >/dev/null
  server="$(swift build -c release --static-swift-stdlib --show-bin-path)/sendlint-server"
fi
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
draft="Examples/ms03-026/ms03-026.eml"
printf 'version: 1\nextends: [sendlint:recommended]\n' > "$work/policy.yaml"
cat > "$work/post.lua" <<LUA
wrk.method = "POST"
wrk.headers["Content-Type"] = "message/rfc822"
local f = assert(io.open("$PWD/$draft", "rb"))
wrk.body = f:read("*a")
f:close()
LUA
ticks="$(getconf CLK_TCK)"
cpu_seconds() { awk -v t="$ticks" '{ print ($14 + $15) / t }' "/proc/$1/stat"; }
echo "== sendlint-server POST /v1/lint: $draft ($(wc -c < "$draft") bytes), ${seconds} s per run, wrk -t2 -c16 on the same machine"
printf '%-8s %12s %10s %10s %10s %8s\n' cores "requests/s" p50 p99 non-2xx "cpu used"
for cpus in 0 0,1; do
  taskset -c "$cpus" "$server" --policy "bench=$work/policy.yaml" --port 0 --max-concurrent 64 > "$work/out" 2> "$work/err" &
  pid=$!
  for _ in $(seq 100); do grep -q '^listening on' "$work/out" && break; sleep 0.1; done
  port="$(sed -n 's|^listening on http://127.0.0.1:\([0-9]*\).*|\1|p' "$work/out")"
  [ -n "$port" ] || { echo "the server did not start: $(cat "$work/err")"; kill "$pid" 2>/dev/null || true; exit 0; }
  # One warm-up request, then the measured run.
  curl -s -o /dev/null -H 'Content-Type: message/rfc822' --data-binary "@$draft" "http://127.0.0.1:$port/v1/lint" 2>/dev/null || true
  before="$(cpu_seconds "$pid")"
  start="$(date +%s.%N)"
  wrk -t2 -c16 -d"${seconds}s" --latency -s "$work/post.lua" "http://127.0.0.1:$port/v1/lint" > "$work/wrk"
  end="$(date +%s.%N)"
  after="$(cpu_seconds "$pid")"
  kill -TERM "$pid"; wait "$pid" || true
  rps="$(awk '/^Requests\/sec/ { print $2 }' "$work/wrk")"
  p50="$(awk '$1 == "50%" { print $2 }' "$work/wrk")"
  p99="$(awk '$1 == "99%" { print $2 }' "$work/wrk")"
  non2xx="$(awk '/Non-2xx/ { print $NF }' "$work/wrk")"
  used="$(awk -v a="$after" -v b="$before" -v s="$start" -v e="$end" 'BEGIN { printf "%.2f", (a - b) / (e - s) }')"
  printf '%-8s %12s %10s %10s %10s %8s\n' "$((${#cpus} / 2 + 1))" "$rps" "$p50" "$p99" "${non2xx:-0}" "$used"
done
