#!/usr/bin/env bash
# Opens the Examples' HTML reports in headless Chromium with every host unresolvable and a net
# log, then checks: no request to any http(s) URL other than Chromium's own service traffic,
# the findings list is there, the page's script ran and pinned findings on the message
# (data-pinned="true"), and saves a screenshot of each report. Usage: check-html-report.sh BIN OUTDIR
set -euo pipefail
bin="$1"
out="$2"
mkdir -p "$out"
out="$(cd "$out" && pwd)"
browser="$(command -v chromium || true)"
if [ -z "$browser" ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y -qq chromium >/dev/null || { apt-get update -qq && apt-get install -y -qq chromium >/dev/null; }
  browser="$(command -v chromium)"
fi
flags=(--headless=new --no-sandbox --disable-gpu --no-first-run --disable-background-networking --disable-component-update
  --disable-sync --disable-default-apps --disable-extensions --host-resolver-rules="MAP * ~NOTFOUND" --hide-scrollbars)
for example in ms03-026 ms03-026-fixed newsletter; do
  report="$out/report-$example.html"
  status=0
  "$bin" lint "Examples/$example" --format html --output "$report" || status=$?
  [ "$status" -le 1 ] || { echo "FAIL: lint --format html exited $status for $example"; exit 1; }
  profile="$(mktemp -d)"
  timeout 120 "$browser" "${flags[@]}" --user-data-dir="$profile" --log-net-log="$out/net-$example.json" \
    --virtual-time-budget=3000 --dump-dom "file://$report" > "$out/dom-$example.html" 2>/dev/null
  timeout 120 "$browser" "${flags[@]}" --user-data-dir="$profile" --window-size=1400,1100 \
    --screenshot="$out/report-$example.png" "file://$report" >/dev/null 2>&1
  rm -rf "$profile"
  python3 - "$out/net-$example.json" "$out/dom-$example.html" "$report" "$example" <<'PY'
import json, re, sys
from urllib.parse import urlsplit
net, dom, report, example = sys.argv[1:5]
# Chromium's own service traffic (updates, time, accounts) happens with any page, even about:blank.
browser_hosts = ("google.com", "googleapis.com", "gvt1.com", "gstatic.com", "googleusercontent.com", "chromium.org")
text = open(net, encoding="utf-8", errors="replace").read()
urls = set(re.findall(r'"url":"([^"]*)"', text))
remote = [u for u in urls if u.startswith(("http:", "https:", "ws:", "wss:"))]
page = [u for u in remote if not (urlsplit(u).hostname or "").endswith(browser_hosts)]
if page:
    sys.exit(f"FAIL: {example}: the report requested {sorted(page)[:5]}")
html = open(dom, encoding="utf-8").read()
buttons = len(re.findall(r'<button[^>]*class="finding', html))
expected = len(re.findall(r'<button[^>]*class="finding', open(report, encoding="utf-8").read()))
if buttons != expected:
    sys.exit(f"FAIL: {example}: {buttons} finding buttons in the rendered DOM, {expected} in the report")
if 'data-report-ready="true"' not in html:
    sys.exit(f"FAIL: {example}: the report's script did not run (CSP hash or error)")
pinned = html.count('data-pinned="true"')
if expected and pinned == 0:
    sys.exit(f"FAIL: {example}: no finding was pinned on the message")
if "data-sendlint-finding" not in html and expected:
    sys.exit(f"FAIL: {example}: no highlight attributes in the frames")
print(f"ok: {example}: {buttons} findings, {pinned} pinned in the message, no page request ({len(remote)} browser-service URLs ignored)")
PY
done
echo "screenshots (CI artefacts): $out"
