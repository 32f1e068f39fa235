// The admin's one stylesheet, compiled in so the binary serves it with no
// files to install. No inline styles anywhere: the Content-Security-Policy
// allows styles from this file only.
#include "admin/html.hpp"

namespace dlpd {

std::string_view admin_stylesheet() {
    return R"CSS(
:root { --ink:#1f2933; --muted:#616e7c; --line:#d9e2ec; --bg:#f5f7fa; --brand:#244e6b; --accent:#2f80ed;
        --ok:#1e7b4a; --bad:#b42318; --warn:#b54708; --hit:#ffe08a; }
* { box-sizing: border-box; }
body { margin:0; font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color:var(--ink); background:var(--bg); }
a { color:var(--accent); text-decoration:none; } a:hover { text-decoration:underline; }
header.top { display:flex; align-items:center; gap:24px; padding:0 24px; height:52px; background:var(--brand); color:#fff; }
header.top .brand { color:#fff; font-weight:700; font-size:18px; } header.top .brand span { font-weight:400; opacity:.8; }
header.top nav { display:flex; gap:4px; flex:1; }
header.top nav a { color:#dbe7f0; padding:6px 12px; border-radius:6px; }
header.top nav a.current, header.top nav a:hover { background:rgba(255,255,255,.16); color:#fff; text-decoration:none; }
header.top .who { display:flex; align-items:center; gap:12px; color:#dbe7f0; }
header.top .who small { opacity:.75; margin-left:4px; }
header.top .who form { margin:0; }
button.link { background:none; border:1px solid rgba(255,255,255,.4); color:#fff; padding:4px 10px; border-radius:6px; cursor:pointer; font:inherit; }
main { max-width:1200px; margin:0 auto; padding:16px 24px 48px; }
h1 { font-size:24px; margin:12px 0 16px; } h2 { font-size:18px; margin:24px 0 8px; }
.card { background:#fff; border:1px solid var(--line); border-radius:8px; padding:16px; margin-bottom:16px; }
.grid { display:grid; grid-template-columns:repeat(auto-fit, minmax(320px, 1fr)); gap:16px; }
table { width:100%; border-collapse:collapse; background:#fff; border:1px solid var(--line); border-radius:8px; overflow:hidden; }
th, td { text-align:left; padding:8px 10px; border-bottom:1px solid var(--line); vertical-align:top; }
th { background:#eef2f6; font-weight:600; font-size:13px; color:var(--muted); text-transform:uppercase; letter-spacing:.02em; }
tr:nth-child(even) td { background:#fafbfc; }
td code { word-break:break-all; }
td.pattern { max-width:420px; } td.desc { min-width:240px; max-width:380px; color:var(--muted); font-size:14px; }
td.num, th.num { text-align:right; font-variant-numeric:tabular-nums; }
code, pre, .mono { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace; font-size:13px; }
pre { background:#fff; border:1px solid var(--line); border-radius:6px; padding:10px; white-space:pre-wrap; word-break:break-word; margin:0; }
.empty { color:var(--muted); padding:24px; text-align:center; background:#fff; border:1px dashed var(--line); border-radius:8px; }
.notice { padding:10px 14px; border-radius:6px; border:1px solid; margin:0 0 16px; }
.notice-ok { background:#e7f6ee; border-color:#a6dcbc; color:var(--ok); }
.notice-error { background:#fdecea; border-color:#f5b5ae; color:var(--bad); }
.notice-info { background:#eaf2fd; border-color:#b3cff7; color:#1d4f91; }
form.filters { display:flex; flex-wrap:wrap; gap:10px; align-items:flex-end; margin-bottom:16px; }
form.filters label { display:flex; flex-direction:column; font-size:12px; color:var(--muted); gap:2px; }
input[type=text], input[type=password], input[type=search], input[type=date], select, textarea {
  font:inherit; padding:6px 8px; border:1px solid #bcccdc; border-radius:6px; background:#fff; color:var(--ink); }
textarea { width:100%; min-height:80px; }
.field { margin-bottom:14px; } .field > label { display:block; font-weight:600; margin-bottom:4px; }
.field .help { color:var(--muted); font-size:13px; margin-top:2px; }
.field .error { color:var(--bad); font-size:13px; margin-top:4px; }
.field.invalid input, .field.invalid textarea { border-color:var(--bad); }
.field input[type=text], .field input[type=password] { width:100%; max-width:640px; }
.caret { color:var(--bad); }
button, .button { font:inherit; padding:7px 14px; border-radius:6px; border:1px solid var(--brand); background:var(--brand); color:#fff; cursor:pointer; display:inline-block; }
.button.secondary, button.secondary { background:#fff; color:var(--brand); }
button.danger { background:var(--bad); border-color:var(--bad); }
.actions { display:flex; gap:8px; align-items:center; flex-wrap:wrap; }
.actions form { margin:0; }
.badge { display:inline-block; padding:1px 8px; border-radius:10px; font-size:12px; font-weight:600; background:#e4e7eb; color:var(--ink); }
.sev-low { background:#e3f2fd; color:#1565c0; } .sev-medium { background:#fff4e5; color:var(--warn); }
.sev-high { background:#fdecea; color:var(--bad); } .sev-critical { background:var(--bad); color:#fff; }
.on { background:#e7f6ee; color:var(--ok); } .off { background:#eceff1; color:var(--muted); }
.ok { color:var(--ok); font-weight:600; } .bad { color:var(--bad); font-weight:600; }
mark.hit { background:var(--hit); padding:0 1px; border-radius:2px; }
dl.facts { display:grid; grid-template-columns:max-content 1fr; gap:6px 16px; margin:0; }
dl.facts dt { color:var(--muted); } dl.facts dd { margin:0; }
.pager { display:flex; gap:12px; align-items:center; margin-top:12px; color:var(--muted); }
.signin { max-width:380px; margin:48px auto; }
.signin input { width:100%; }
svg.chart { width:100%; height:auto; background:#fff; }
svg.chart .bar { fill:var(--accent); } svg.chart .axis { stroke:var(--line); } svg.chart text { fill:var(--muted); font-size:11px; }
.stat { font-size:28px; font-weight:700; }
.muted { color:var(--muted); }
)CSS";
}

}  // namespace dlpd
