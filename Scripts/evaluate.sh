#!/usr/bin/env bash
# The real-mail scorecard (issue 12): lints ../shared/corpora/detection and ../shared/corpora/legit
# with a brand-less policy, and each brand case of Tests/SendlintEngineTests/Fixtures/labels/detection.tsv
# with a policy naming that brand, and prints recall on phishing, false alarms on legitimate mail,
# and per-rule counts (docs/scorecard.md explains the columns). Judge every rule change with it.
#
#   Scripts/evaluate.sh [--json FILE] [--compare OLD.json]
#
# SENDLINT=path uses that binary instead of building the release CLI; CORPORA=folder another
# corpora folder; EVALUATE_TIMEOUT the seconds each sendlint run may take (default 300).
# The corpora hold live malicious mail: only sendlint reads them (as bytes, offline); this script
# and evaluate.py read sendlint's reports, never the mail, and never fetch a URL.
# Exit 0; 1 when --compare finds a deception rule whose false alarms on legitimate mail rose;
# 2 when a run failed or timed out (figures incomplete).
set -euo pipefail
cd "$(dirname "$0")/.."
corpora="${CORPORA:-../shared/corpora}"
[ -d "$corpora" ] || { echo "no corpora at $corpora; set CORPORA"; exit 0; }
if [ -z "${SENDLINT:-}" ]; then
  swift build -c release --static-swift-stdlib --product sendlint >/dev/null
  SENDLINT="$(swift build -c release --static-swift-stdlib --show-bin-path)/sendlint"
fi
exec python3 Scripts/evaluate.py "$SENDLINT" "$corpora" --timeout "${EVALUATE_TIMEOUT:-300}" "$@"
