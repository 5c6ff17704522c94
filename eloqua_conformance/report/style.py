"""The report page's stylesheet, inlined so the page fetches nothing."""

from __future__ import annotations

__all__ = ["CSS"]

CSS = """
:root { --pass: #1a7f37; --fail: #cf222e; --error: #bc4c00; --skip: #6e7781; --ink: #1f2328;
        --muted: #59636e; --line: #d1d9e0; --soft: #f6f8fa; --link: #0969da; }
* { box-sizing: border-box; }
body { margin: 0; color: var(--ink); background: #fff;
       font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
code, pre, .id { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace; }
a { color: var(--link); }
.banner { padding: 28px 40px 24px; color: #fff; }
.banner.certified { background: #1a7f37; }
.banner.conformant-partial { background: #9a6700; }
.banner.not-conformant { background: #cf222e; }
.banner.untestable { background: #424a53; }
.banner .stopped { font-weight: 600; overflow-wrap: anywhere; }
.banner > div { max-width: 1200px; margin: 0 auto; }
.banner h1 { margin: 0; font-size: 36px; line-height: 1.15; }
.banner p { margin: 6px 0 0; }
.banner code { background: rgba(255, 255, 255, .18); padding: 1px 6px; border-radius: 4px; }
.eyebrow { text-transform: uppercase; font-size: 13px; letter-spacing: .08em; opacity: .9; }
.banner .meaning { font-size: 18px; }
.banner .where { opacity: .9; font-size: 14px; overflow-wrap: anywhere; }
main { max-width: 1280px; margin: 0 auto; padding: 24px 40px 64px; }
h2 { font-size: 20px; margin: 32px 0 12px; padding-bottom: 6px; border-bottom: 1px solid var(--line); }
.tiles { display: flex; flex-wrap: wrap; gap: 12px; }
.tile { flex: 1 1 150px; border: 1px solid var(--line); border-top: 4px solid var(--c, var(--line));
        border-radius: 8px; padding: 10px 16px; }
.tile b { display: block; font-size: 30px; line-height: 1.2; color: var(--c, var(--ink)); }
.tile span { color: var(--muted); }
.pass { --c: var(--pass); }
.fail { --c: var(--fail); }
.error { --c: var(--error); }
.not-exercised, .not-selected { --c: var(--skip); }
.attention ul { margin: 0; padding-left: 20px; }
.attention li { margin: 4px 0; }
table { width: 100%; border-collapse: collapse; }
th, td { text-align: left; vertical-align: top; padding: 7px 10px; border-bottom: 1px solid var(--line); }
thead th { font-size: 13px; color: var(--muted); text-transform: uppercase; letter-spacing: .04em; }
.reqs { table-layout: fixed; }
.reqs col.id { width: 8.5em; } .reqs col.level { width: 6em; } .reqs col.outcome { width: 9.5em; }
tr.area th { background: var(--soft); font-size: 15px; padding-top: 12px; }
tr.area th small { color: var(--muted); font-weight: normal; margin-left: 8px; }
.reqs td.id { white-space: nowrap; font-size: 13.5px; line-height: 22.5px; }
.reqs tr.fail td:first-child, .reqs tr.error td:first-child { box-shadow: inset 4px 0 var(--c); }
.reqs tr.fail, .reqs tr.error { background: #fff8f8; }
.badge { display: inline-block; padding: 1px 9px; border-radius: 999px; font-size: 12.5px; font-weight: 600;
         color: #fff; background: var(--c); white-space: nowrap; }
.should { color: var(--muted); }
.reason { color: var(--muted); font-size: 14px; overflow-wrap: anywhere; }
.fail .reason, .error .reason { color: var(--ink); }
details { margin-top: 6px; }
summary { cursor: pointer; color: var(--link); font-size: 14px; }
details.tests { display: inline-block; vertical-align: top; margin: 1px 0 0 10px; }
details.tests[open] { display: block; margin-left: 0; }
details.tests summary { color: var(--muted); font-size: 12.5px; }
details.tests ul { margin: 2px 0 4px; padding-left: 20px; font-size: 13px; }
.tile.zero b { color: var(--muted); }
.evidence { border-left: 3px solid var(--line); padding: 4px 0 4px 12px; margin: 6px 0 10px; }
.evidence dl { display: grid; grid-template-columns: max-content 1fr; gap: 2px 12px; margin: 6px 0; }
.evidence dt { font-weight: 600; }
.evidence dd { margin: 0; overflow-wrap: anywhere; }
h4 { margin: 10px 0 2px; font-size: 13px; color: var(--muted); text-transform: uppercase; letter-spacing: .04em; }
pre { white-space: pre-wrap; overflow-wrap: anywhere; background: var(--soft); border: 1px solid var(--line);
      border-radius: 6px; padding: 8px 10px; margin: 4px 0; font-size: 12.5px; max-height: 360px; overflow: auto; }
.meta th { width: 14em; font-weight: 600; }
.meta td { overflow-wrap: anywhere; }
.muted { color: var(--muted); }
"""
