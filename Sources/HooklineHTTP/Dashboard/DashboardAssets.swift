/// The dashboard's static files, embedded in the executable (no build step, no CDN).
enum DashboardAssets {
    /// `GET /`: the page.
    static let html = #"""
<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>Hookline</title><link rel="stylesheet" href="/dashboard.css"></head>
<body>
<header><h1>Hookline</h1><span id="conn" class="dim">offline</span><button id="logout" hidden>Log out</button></header>
<form id="login"><label>Admin API key <input id="key" type="password" autocomplete="current-password" required></label><button>Log in</button><p id="loginError" class="bad"></p></form>
<main id="app" hidden>
  <section id="status"><h2>Status</h2><div id="statusGrid" class="grid"></div></section>
  <section><h2>Throughput and latency (last 60 s)</h2><canvas id="chart" width="900" height="140"></canvas></section>
  <section><h2>Applications</h2><div id="apps"></div></section>
  <section><h2>Live feed</h2><ol id="feed"></ol></section>
  <section id="message" hidden><h2>Message <span id="msgTitle"></span></h2><div id="msgBody"></div></section>
</main>
<script src="/dashboard.js"></script>
</body></html>
"""#

    /// `GET /dashboard.css`.
    static let css = #"""
body{font:14px system-ui,sans-serif;margin:0;background:#f6f7f9;color:#1d232b}
header{display:flex;gap:1em;align-items:center;padding:.6em 1.2em;background:#1d232b;color:#fff}
header h1{font-size:1.2em;margin:0}
main,form{padding:1em 1.2em}section{background:#fff;border-radius:6px;padding:.6em 1em;margin-bottom:1em}
h2{font-size:1em;margin:.2em 0 .6em}.grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(180px,1fr));gap:.5em}
.card{border:1px solid #e2e5ea;border-radius:4px;padding:.4em .6em}.card b{display:block;font-size:1.3em}
#feed{list-style:none;padding:0;margin:0;max-height:360px;overflow:auto;font-family:ui-monospace,monospace;font-size:12px}
#feed li{padding:2px 0;border-bottom:1px solid #f0f1f3;cursor:pointer}
.ok{color:#137333}.warn{color:#b06000}.bad{color:#c5221f}.dim{color:#8a93a0}
table{border-collapse:collapse;width:100%}td,th{text-align:left;padding:3px 6px;border-bottom:1px solid #eee;font-size:12px}
pre{white-space:pre-wrap;background:#f6f7f9;padding:.4em;max-height:200px;overflow:auto}
"""#
}
