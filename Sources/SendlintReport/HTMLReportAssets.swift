// The HTML report's own stylesheet and script, shipped inside the binary (no resource bundle, no
// framework, nothing fetched at build or view time). The page's CSP allows exactly this script by
// its SHA-256, computed when the report is rendered.

enum HTMLReportAssets {
  /// Styles for the report page: light and dark (prefers-color-scheme), a print layout, visible
  /// focus. Colours meet WCAG AA contrast on their backgrounds.
  static let style = #"""
    :root { color-scheme: light dark; --bg: #ffffff; --fg: #18181b; --muted: #52525b; --panel: #f4f4f5; --line: #d4d4d8;
      --error: #b91c1c; --warning: #92400e; --info: #1d4ed8; --focus: #7c3aed; }
    @media (prefers-color-scheme: dark) {
      :root { --bg: #18181b; --fg: #f4f4f5; --muted: #a1a1aa; --panel: #27272a; --line: #3f3f46;
        --error: #fca5a5; --warning: #fcd34d; --info: #93c5fd; --focus: #c4b5fd; }
    }
    * { box-sizing: border-box; }
    body { margin: 0; background: var(--bg); color: var(--fg); font: 15px/1.45 system-ui, sans-serif; }
    header.page, footer.page { padding: 12px 20px; background: var(--panel); border-bottom: 1px solid var(--line); }
    footer.page { border-top: 1px solid var(--line); border-bottom: 0; color: var(--muted); font-size: 13px; }
    h1 { font-size: 20px; margin: 0 0 4px; } h2 { font-size: 17px; margin: 0 0 4px; word-break: break-all; } h3 { font-size: 15px; margin: 12px 0 6px; }
    nav.drafts { padding: 6px 20px; border-bottom: 1px solid var(--line); } nav.drafts ul { margin: 0; padding: 0; list-style: none; display: flex; flex-wrap: wrap; gap: 12px; }
    a { color: var(--info); }
    .counts span { margin-right: 12px; } .sev-error .sev, .count-error { color: var(--error); } .sev-warning .sev, .count-warning { color: var(--warning); } .sev-info .sev, .count-info { color: var(--info); }
    section.draft { padding: 16px 20px; border-bottom: 2px solid var(--line); }
    .meta { color: var(--muted); margin: 0 0 10px; font-size: 13px; }
    .layout { display: grid; grid-template-columns: minmax(260px, 1fr) minmax(320px, 2fr) minmax(240px, 1fr); gap: 16px; align-items: start; }
    @media (max-width: 1100px) { .layout { grid-template-columns: 1fr; } }
    aside, .preview { background: var(--panel); border: 1px solid var(--line); border-radius: 6px; padding: 10px; min-width: 0; }
    ol.finding-list { list-style: none; margin: 0; padding: 0; }
    ol.finding-list li { margin: 0 0 6px; }
    button.finding { display: block; width: 100%; text-align: left; font: inherit; color: var(--fg); background: var(--bg); border: 1px solid var(--line);
      border-left: 6px solid var(--line); border-radius: 4px; padding: 6px 8px; cursor: pointer; overflow-wrap: anywhere; }
    button.finding.sev-error { border-left-color: var(--error); } button.finding.sev-warning { border-left-color: var(--warning); } button.finding.sev-info { border-left-color: var(--info); }
    button.finding[aria-pressed="true"] { background: var(--panel); border-color: var(--focus); }
    button.finding:focus-visible, a:focus-visible { outline: 3px solid var(--focus); outline-offset: 2px; }
    .sev { font-weight: 700; text-transform: uppercase; font-size: 12px; } .rule { font-family: ui-monospace, monospace; font-size: 12px; color: var(--muted); }
    .where { font-size: 12px; color: var(--muted); }
    .detail { margin: 4px 0 0; padding: 8px; border: 1px solid var(--line); border-radius: 4px; background: var(--bg); font-size: 14px; }
    .detail dl { margin: 4px 0; display: grid; grid-template-columns: max-content 1fr; gap: 2px 8px; } .detail dt { color: var(--muted); } .detail dd { margin: 0; word-break: break-all; }
    pre.excerpt { margin: 6px 0 0; padding: 6px; overflow-x: auto; background: var(--panel); font: 12px/1.4 ui-monospace, monospace; white-space: pre; }
    iframe.message.text { min-height: 200px; }
    iframe.message { width: 100%; min-height: 480px; border: 1px solid var(--line); background: #ffffff; display: block; }
    .notes { font-size: 13px; color: var(--muted); margin: 6px 0 0; padding-left: 18px; }
    table.headers { width: 100%; border-collapse: collapse; font-size: 13px; } table.headers th { text-align: left; vertical-align: top; padding: 3px 6px 3px 0; color: var(--muted); white-space: nowrap; }
    table.headers td { padding: 3px 0; word-break: break-all; }
    [data-finding-target] { outline: 2px dashed var(--warning); } [data-sendlint-active] { outline: 3px solid var(--focus) !important; background: var(--bg); }
    .hop-sending { font-weight: 700; } .keys { font-size: 12px; color: var(--muted); }
    .diagnostics li { color: var(--error); }
    @media print {
      nav.drafts, .keys { display: none; }
      body { background: #ffffff; color: #000000; font-size: 11pt; }
      .layout { grid-template-columns: 1fr; }
      .detail[hidden] { display: block; }
      button.finding { border: 1px solid #999999; border-left-width: 6px; }
      section.draft { break-after: page; }
      iframe.message { min-height: 0; height: 900px; }
    }
    """#

  /// Styles put into each message frame by the script: pinned elements outlined by severity,
  /// the selected one emphasised.
  static let frameStyle =
    "[data-sendlint-severity=error]{outline:2px dashed #b91c1c!important;outline-offset:1px}"
    + "[data-sendlint-severity=warning]{outline:2px dashed #b45309!important;outline-offset:1px}"
    + "[data-sendlint-severity=info]{outline:2px dashed #1d4ed8!important;outline-offset:1px}"
    + "[data-sendlint-active]{outline:4px solid #7c3aed!important;outline-offset:2px;box-shadow:0 0 0 6px rgba(124,58,237,.35)!important}"

  /// The page's script: pins findings to their elements in the frames, highlights on hover and
  /// selection, j/k and arrow keys between findings, frames sized to their content. It reads the
  /// frames' DOM (allow-same-origin) and never runs anything inside them.
  static let script = #"""
    (function () {
      "use strict";
      var rank = { error: 3, warning: 2, info: 1 };
      var buttons = Array.prototype.slice.call(document.querySelectorAll("button.finding"));
      function frameDocuments(button) {
        return (button.getAttribute("data-frame") || "").split(" ").map(function (id) {
          var frame = id ? document.getElementById(id) : null;
          try { return frame && frame.contentDocument; } catch (e) { return null; }
        }).filter(Boolean);
      }
      function targets(button) {
        var number = button.getAttribute("data-finding"), found = [];
        frameDocuments(button).forEach(function (doc) {
          found = found.concat(Array.prototype.slice.call(doc.querySelectorAll('[data-sendlint-finding~="' + number + '"]')));
        });
        return found.concat(Array.prototype.slice.call(document.querySelectorAll('[data-finding-target~="' + number + '"]')));
      }
      function mark(button, on) {
        targets(button).forEach(function (element) {
          if (on) { element.setAttribute("data-sendlint-active", ""); } else { element.removeAttribute("data-sendlint-active"); }
        });
      }
      function detail(button) { return document.getElementById(button.getAttribute("aria-controls")); }
      function select(button, scroll) {
        buttons.forEach(function (other) {
          if (other !== button && other.getAttribute("aria-pressed") === "true") {
            other.setAttribute("aria-pressed", "false"); mark(other, false);
            var d = detail(other); if (d) { d.hidden = true; }
          }
        });
        button.setAttribute("aria-pressed", "true"); mark(button, true);
        var shown = detail(button); if (shown) { shown.hidden = false; }
        var first = targets(button)[0];
        if (scroll && first && first.scrollIntoView) { first.scrollIntoView({ block: "nearest" }); }
      }
      buttons.forEach(function (button, position) {
        button.addEventListener("click", function () {
          if (button.getAttribute("aria-pressed") === "true") {
            button.setAttribute("aria-pressed", "false"); mark(button, false); var d = detail(button); if (d) { d.hidden = true; }
          } else { select(button, true); }
        });
        button.addEventListener("mouseenter", function () { mark(button, true); });
        button.addEventListener("mouseleave", function () { if (button.getAttribute("aria-pressed") !== "true") { mark(button, false); } });
        button.addEventListener("focus", function () { mark(button, true); });
        button.addEventListener("blur", function () { if (button.getAttribute("aria-pressed") !== "true") { mark(button, false); } });
        button.setAttribute("data-index", String(position));
      });
      document.addEventListener("keydown", function (event) {
        if (event.altKey || event.ctrlKey || event.metaKey) { return; }
        var step = { j: 1, ArrowDown: 1, k: -1, ArrowUp: -1 }[event.key];
        if (!step || buttons.length === 0) { return; }
        var current = buttons.indexOf(document.activeElement);
        if (current < 0 && (event.key === "ArrowDown" || event.key === "ArrowUp")) { return; }
        event.preventDefault();
        var next = current < 0 ? 0 : Math.max(0, Math.min(buttons.length - 1, current + step));
        buttons[next].focus(); select(buttons[next], true);
      });
      function prepare(frame) {
        var doc;
        try { doc = frame.contentDocument; } catch (e) { return; }
        if (!doc || !doc.documentElement || frame.getAttribute("data-prepared") === "true") { return; }
        frame.setAttribute("data-prepared", "true");
        var style = doc.createElement("style");
        style.textContent = frame.getAttribute("data-frame-style") || "";
        (doc.head || doc.documentElement).appendChild(style);
        buttons.forEach(function (button) {
          if ((button.getAttribute("data-frame") || "").split(" ").indexOf(frame.id) < 0) { return; }
          var severity = button.getAttribute("data-severity");
          var elements = targets(button);
          if (button.getAttribute("data-pinned") !== "true") { button.setAttribute("data-pinned", elements.length > 0 ? "true" : "false"); }
          elements.forEach(function (element) {
            var was = element.getAttribute("data-sendlint-severity");
            if (!was || rank[severity] > rank[was]) { element.setAttribute("data-sendlint-severity", severity); }
          });
        });
        doc.addEventListener("click", function (event) {
          event.preventDefault();
          var element = event.target && event.target.closest ? event.target.closest("[data-sendlint-finding]") : null;
          if (!element) { return; }
          var number = element.getAttribute("data-sendlint-finding").split(" ")[0];
          var button = document.querySelector('button.finding[data-finding="' + number + '"]');
          if (button) { button.focus(); select(button, false); }
        }, true);
        var least = frame.classList.contains("text") ? 200 : 480;
        frame.style.height = Math.min(20000, Math.max(least, doc.documentElement.scrollHeight + 24)) + "px";
      }
      var frames = Array.prototype.slice.call(document.querySelectorAll("iframe.message"));
      frames.forEach(function (frame) { frame.addEventListener("load", function () { prepare(frame); }); });
      window.addEventListener("load", function () {
        frames.forEach(prepare);
        document.body.setAttribute("data-report-ready", "true");
      });
    })();
    """#
}
