import { FLOW_SVG_CSS } from '../flows/flow-svg';

/**
 * The dashboard's only stylesheet, served from our origin (`/dashboard/style.css`) so the CSP can
 * forbid inline styles. Colours keep at least 4.5:1 contrast; focus is always visible.
 */
export const DASHBOARD_CSS = `
:root { color-scheme: light; --ink: #1b1f24; --muted: #4a5360; --line: #d0d7de; --accent: #0b57d0; --bad: #a4161a; --ok: #17612a; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--ink); background: #fff; }
a { color: var(--accent); }
a:focus-visible, button:focus-visible, input:focus-visible, select:focus-visible, summary:focus-visible, audio:focus-visible {
  outline: 3px solid #1b1f24; outline-offset: 2px;
}
.skip { position: absolute; left: -999px; }
.skip:focus { left: 8px; top: 8px; background: #fff; padding: 4px 8px; }
header { display: flex; flex-wrap: wrap; align-items: center; gap: 16px; padding: 10px 20px; border-bottom: 1px solid var(--line); background: #f6f8fa; }
header .brand { font-weight: 700; }
nav ul { display: flex; flex-wrap: wrap; gap: 4px; list-style: none; margin: 0; padding: 0; }
nav a { display: block; padding: 4px 10px; border-radius: 6px; text-decoration: none; }
nav a[aria-current="page"] { background: var(--accent); color: #fff; }
header form { margin-left: auto; }
main { padding: 16px 20px 40px; max-width: 1200px; }
main.wide { max-width: none; }
h1 { font-size: 1.5rem; margin: 4px 0 12px; }
h2 { font-size: 1.15rem; margin: 24px 0 8px; }
form.filters { display: flex; flex-wrap: wrap; gap: 10px 16px; align-items: flex-end; margin-bottom: 14px; }
form.filters label, form.login label { display: flex; flex-direction: column; font-size: 0.85rem; color: var(--muted); gap: 2px; }
input, select, button { font: inherit; padding: 5px 8px; border: 1px solid #8c959f; border-radius: 6px; color: var(--ink); background: #fff; }
button { background: var(--accent); color: #fff; border-color: var(--accent); cursor: pointer; }
button.plain { background: #fff; color: var(--accent); }
table { border-collapse: collapse; width: 100%; }
caption { text-align: left; color: var(--muted); padding: 4px 0; }
th, td { text-align: left; padding: 6px 8px; border-bottom: 1px solid var(--line); vertical-align: top; }
th { background: #f6f8fa; }
td.num { font-variant-numeric: tabular-nums; }
.status { display: inline-block; padding: 0 6px; border-radius: 4px; background: #eaeef2; }
.status.good { background: #dafbe1; color: var(--ok); }
.status.bad { background: #ffebe9; color: var(--bad); }
.error { color: var(--bad); border: 1px solid var(--bad); border-radius: 6px; padding: 8px 12px; background: #fff5f5; }
.note { color: var(--muted); font-size: 0.9rem; }
.pager { display: flex; gap: 16px; margin-top: 12px; }
dl.fields { display: grid; grid-template-columns: max-content 1fr; gap: 4px 16px; }
dl.fields dt { color: var(--muted); }
dl.fields dd { margin: 0; }
ol.timeline { list-style: none; padding: 0; border-left: 3px solid var(--line); margin-left: 8px; }
ol.timeline li { padding: 4px 0 10px 14px; }
.body { white-space: pre-wrap; border-left: 3px solid var(--line); padding-left: 10px; }
form.login { display: flex; flex-direction: column; gap: 12px; max-width: 360px; }
figure.flow-figure { margin: 0 0 16px; overflow: auto; border: 1px solid var(--line); border-radius: 6px; }
figure.flow-figure svg { display: block; }
ul.exits { margin: 0; padding-left: 18px; }
pre.twiml { overflow: auto; padding: 10px 12px; background: #f6f8fa; border: 1px solid var(--line); border-radius: 6px; }
section.charts { margin-bottom: 20px; }
.chart-grid { display: grid; grid-template-columns: repeat(auto-fit, minmax(min(100%, 860px), 1fr)); gap: 20px 32px; }
figure.chart-figure { margin: 0; }
figure.chart-figure figcaption { font-weight: 600; margin-bottom: 4px; }
.chart-pair { display: flex; flex-wrap: wrap; gap: 12px; align-items: flex-start; }
.chart-pair svg { flex: none; max-width: 100%; height: auto; }
.chart-table { max-height: 230px; overflow: auto; font-size: 0.8rem; flex: 1 1 200px; }
.chart-table th, .chart-table td { padding: 2px 6px; }
.chart-table td.num { text-align: right; }
svg.chart text { font: 11px system-ui, sans-serif; fill: var(--muted); }
svg.chart .grid { stroke: #e4e8ec; }
svg.chart .bar-inbound { fill: #0b57d0; }
svg.chart .bar-outbound { fill: #b35900; }
svg.chart .bar-delivered { fill: #17612a; }
svg.chart .bar-failed { fill: #a4161a; }
svg.chart .bar-undelivered { fill: #b35900; }
svg.chart .bar-error { fill: #6e4fa8; }
svg.chart .step { fill: none; stroke: #0b57d0; stroke-width: 2; }
svg.chart .target { stroke: #57606a; stroke-dasharray: 5 4; }
svg.chart .swatch-step { fill: #0b57d0; }
svg.chart .swatch-target { fill: #57606a; }
${FLOW_SVG_CSS}`;
