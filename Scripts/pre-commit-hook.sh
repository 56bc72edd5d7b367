#!/usr/bin/env bash
# pre-commit entry for sendlint (`language: script` in .pre-commit-hooks.yaml): runs
# `sendlint ARGS... FILES...` with the files pre-commit passes.
# Which sendlint: $SENDLINT when set (CI points it at the binary it built), else one on PATH,
# else this package built once in release mode (pre-commit keeps its clone, so later runs reuse
# the build). `language: swift` would also build it, but needs the network for dependencies in a
# fresh cache; this script works offline with an installed sendlint.
set -euo pipefail
package="$(cd "$(dirname "$0")/.." && pwd)"
if [ -n "${SENDLINT:-}" ]; then
  exec "$SENDLINT" "$@"
elif command -v sendlint >/dev/null 2>&1; then
  exec sendlint "$@"
fi
# Static Swift runtime on Linux: every commit starts sendlint afresh, and start-up is mostly the
# dynamic linker and runtime metadata (docs/decisions.md, "Start-up: a statically linked runtime").
static=""
[ "$(uname -s)" = Linux ] && static=--static-swift-stdlib
swift build -c release $static --package-path "$package" --product sendlint >&2
exec "$(swift build -c release $static --package-path "$package" --show-bin-path)/sendlint" "$@"
