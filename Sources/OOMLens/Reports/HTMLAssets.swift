/// The stylesheet and script the HTML report carries inline, so the file needs nothing else.
///
/// Neither holds bundle text. The script only copies an incident's evidence list (already escaped
/// markup in the page) into the panel under the timeline when a marker is clicked; every piece of
/// content is also in the page without it, so printing loses nothing.
enum HTMLAssets {
    /// No network, no external anything: only the inline style and script may run.
    static let contentSecurityPolicy =
        "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; base-uri 'none'; form-action 'none'"

    static let style = """
        :root {
          --fg: #1d2330; --muted: #5b6473; --line: #d9dee7; --soft: #f5f7fa;
          --oom-kill: \(SVGTimeline.color(.oomKill)); --node-oom: \(SVGTimeline.color(.nodeOOM));
          --eviction: \(SVGTimeline.color(.eviction)); --restart: \(SVGTimeline.color(.restart));
          --critical: #c92a2a; --warning: #d9480f; --info: #1971c2;
        }
        * { box-sizing: border-box; }
        body {
          margin: 0 auto; max-width: 1260px; padding: 24px 28px 48px; color: var(--fg); background: #fff;
          font: 14px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
        }
        h1 { font-size: 24px; margin: 0 0 2px; }
        h2 { font-size: 18px; margin: 32px 0 12px; padding-bottom: 4px; border-bottom: 2px solid var(--line); }
        h3 { font-size: 15px; margin: 0 0 6px; }
        code, pre { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, "DejaVu Sans Mono", monospace; font-size: 12.5px; }
        code { overflow-wrap: break-word; }
        a { color: #1864ab; }
        .sub { color: var(--muted); margin: 0; overflow-wrap: anywhere; }
        .banner {
          margin: 16px 0; padding: 10px 14px; border: 1px solid #f1aeb5; border-radius: 6px;
          background: #fff0f0; color: #8a1c1c; font-weight: 600;
        }
        .counts { display: flex; flex-wrap: wrap; gap: 12px; list-style: none; padding: 0; margin: 0 0 16px; }
        .counts li {
          flex: 1 1 160px; padding: 8px 14px; border: 1px solid var(--line); border-left-width: 6px; border-radius: 6px;
        }
        .counts .n { display: block; font-size: 26px; font-weight: 700; line-height: 1.2; }
        .facts { display: grid; grid-template-columns: max-content 1fr; gap: 2px 18px; margin: 0; }
        .facts dt { color: var(--muted); }
        .facts dd { margin: 0; overflow-wrap: anywhere; }
        .kind { font-weight: 600; white-space: nowrap; }
        .kind-oom-kill { color: var(--oom-kill); }
        .kind-node-oom { color: var(--node-oom); }
        .kind-eviction { color: var(--eviction); }
        .kind-restart { color: var(--restart); }
        .count-oom-kill { border-left-color: var(--oom-kill) !important; }
        .count-node-oom { border-left-color: var(--node-oom) !important; }
        .count-eviction { border-left-color: var(--eviction) !important; }
        .count-restart { border-left-color: var(--restart) !important; }
        .finding {
          margin: 0 0 12px; padding: 12px 16px; border: 1px solid var(--line); border-left: 6px solid var(--info);
          border-radius: 6px; break-inside: avoid;
        }
        .finding.sev-critical { border-left-color: var(--critical); }
        .finding.sev-warning { border-left-color: var(--warning); }
        .finding p { margin: 0 0 8px; }
        .sev {
          display: inline-block; margin-right: 6px; padding: 1px 6px; border-radius: 4px; vertical-align: 2px;
          color: #fff; background: var(--info); font-size: 11px; font-weight: 700; letter-spacing: .04em;
        }
        .sev-critical .sev, .sev.sev-critical { background: var(--critical); }
        .sev-warning .sev, .sev.sev-warning { background: var(--warning); }
        .meta { color: var(--muted); font-size: 13px; }
        pre {
          margin: 0; padding: 8px 12px; border: 1px solid var(--line); border-radius: 4px; background: var(--soft);
          white-space: pre-wrap; overflow-wrap: anywhere;
        }
        figure { margin: 0; }
        figcaption { color: var(--muted); font-size: 13px; margin: 6px 0 0; }
        .timeline-wrap { overflow-x: auto; border: 1px solid var(--line); border-radius: 6px; }
        svg.timeline { display: block; width: 100%; height: auto; min-width: 800px; font-family: inherit; }
        svg .marker { cursor: pointer; }
        svg .marker:focus { outline: none; }
        svg .marker:hover .shape, svg .marker:focus .shape, svg .marker[aria-pressed="true"] .shape {
          stroke: #1d2330; stroke-width: 2.5;
        }
        #evidence-panel { margin-top: 12px; padding: 10px 14px; border: 1px solid var(--line); border-radius: 6px; background: var(--soft); }
        #evidence-panel h3 { display: flex; justify-content: space-between; gap: 12px; }
        #evidence-panel button { font: inherit; font-size: 12px; cursor: pointer; }
        table { width: 100%; border-collapse: collapse; font-size: 13px; }
        th, td { padding: 6px 8px; border-bottom: 1px solid var(--line); text-align: left; vertical-align: top; }
        th { background: var(--soft); font-weight: 600; }
        td.id, td.time { white-space: nowrap; }
        td { overflow-wrap: break-word; }
        td.subject { min-width: 10em; }
        tr.selected td { background: #fff8db; }
        .node { color: var(--muted); font-size: 12px; }
        ul.evidence { margin: 0; padding-left: 16px; }
        ul.evidence li { margin: 0 0 2px; }
        .src {
          display: inline-block; padding: 0 5px; border-radius: 3px; background: #e7ebf0; color: #394150;
          font-size: 11px; white-space: nowrap;
        }
        .stamp { color: var(--muted); }
        ul.warnings { padding-left: 18px; }
        ul.warnings li { overflow-wrap: anywhere; }
        .w-damage { color: #8a1c1c; font-weight: 600; }
        .w-warning { color: #a04000; font-weight: 600; }
        .w-note { color: var(--muted); font-weight: 600; }
        footer { margin-top: 36px; color: var(--muted); font-size: 12px; }
        @media print {
          body { max-width: none; padding: 0; font-size: 10.5pt; }
          * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
          #evidence-panel, .screen-only { display: none !important; }
          .timeline-wrap { overflow: visible; border: none; }
          svg.timeline { min-width: 0; }
          h2, h3 { break-after: avoid; }
          .finding, tr, .counts li, figure { break-inside: avoid; }
          thead { display: table-header-group; }
          table { font-size: 8.5pt; }
          a { color: inherit; text-decoration: none; }
        }
        """

    static let script = """
        (function () {
          "use strict";
          var panel = document.getElementById("evidence-panel");
          if (!panel) { return; }
          var heading = panel.querySelector(".panel-title");
          var body = panel.querySelector(".panel-body");
          var close = panel.querySelector("button");
          var markers = document.querySelectorAll("svg .marker");
          function clear() {
            for (var i = 0; i < markers.length; i++) { markers[i].setAttribute("aria-pressed", "false"); }
            var rows = document.querySelectorAll("tr.selected");
            for (var j = 0; j < rows.length; j++) { rows[j].classList.remove("selected"); }
          }
          function show(marker) {
            var id = marker.getAttribute("data-incident") || "";
            var row = document.getElementById(id);
            var list = document.getElementById("ev-" + id);
            clear();
            marker.setAttribute("aria-pressed", "true");
            heading.textContent = row ? (row.getAttribute("data-summary") || id) : id;
            body.textContent = "";
            if (list) {
              var copy = list.cloneNode(true);
              copy.removeAttribute("id");
              body.appendChild(copy);
            }
            if (row) { row.classList.add("selected"); }
            panel.hidden = false;
          }
          for (var i = 0; i < markers.length; i++) {
            markers[i].addEventListener("click", function (event) { show(event.currentTarget); });
            markers[i].addEventListener("keydown", function (event) {
              if (event.key === "Enter" || event.key === " ") { event.preventDefault(); show(event.currentTarget); }
            });
          }
          if (close) { close.addEventListener("click", function () { clear(); panel.hidden = true; }); }
        })();
        """
}
