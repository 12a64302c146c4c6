extension DashboardAssets {
    /// `GET /dashboard.js`: login, stream token, live feed, status, apps, message page with resend.
    static let script = #"""
"use strict";
const $ = (id) => document.getElementById(id);
let key = sessionStorage.getItem("hooklineKey"), source = null, lastId = null;
const buckets = [];
async function api(method, path, body) {
  const r = await fetch(path, {method, headers: {"Authorization": "Bearer " + key, "Content-Type": "application/json"}, body: body ? JSON.stringify(body) : undefined});
  if (!r.ok) throw new Error(method + " " + path + ": " + r.status);
  return r.status === 204 ? {} : r.json();
}
function esc(s) { return String(s ?? "").replace(/[&<>"]/g, (c) => ({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;"}[c])); }
async function login(e) {
  if (e) { e.preventDefault(); key = $("key").value; }
  try { await api("GET", "/api/v1/status"); } catch (err) { $("loginError").textContent = "Login failed: " + err.message; return; }
  sessionStorage.setItem("hooklineKey", key);
  $("login").hidden = true; $("app").hidden = false; $("logout").hidden = false;
  connect(); refreshStatus(); refreshApps(); setInterval(refreshStatus, 5000); setInterval(draw, 1000);
}
async function connect() {
  if (source) source.close();
  const {token} = await api("POST", "/api/v1/stream/token", {ttlSeconds: 3600});
  let url = "/api/v1/stream?token=" + encodeURIComponent(token);
  if (lastId) url += "&last_event_id=" + lastId;
  source = new EventSource(url);
  source.onopen = () => { $("conn").textContent = "live"; $("conn").className = "ok"; };
  source.onerror = () => { $("conn").textContent = "reconnecting"; $("conn").className = "warn"; source.close(); setTimeout(connect, 2000); };
  const kinds = ["message.created", "attempt.made", "delivery.succeeded", "delivery.failed", "delivery.exhausted", "delivery.canceled", "delivery.skipped", "endpoint.disabled", "endpoint.enabled", "message.attempt.failing", "message.attempt.exhausted", "message.attempt.recovered", "stream.gap", "stream.cutoff"];
  for (const kind of kinds) source.addEventListener(kind, (ev) => onEvent(kind, ev));
}
function onEvent(kind, ev) {
  if (ev.lastEventId) lastId = ev.lastEventId;
  const d = JSON.parse(ev.data);
  if (kind === "stream.cutoff") { source.close(); setTimeout(connect, 500); }
  const now = Math.floor(Date.now() / 1000);
  let b = buckets.find((x) => x.t === now);
  if (!b) { b = {t: now, n: 0, lat: []}; buckets.push(b); while (buckets.length > 60) buckets.shift(); }
  if (kind === "message.created") b.n++;
  if (kind === "delivery.succeeded" && d.data) b.lat.push(d.data.latencyMs);
  const li = document.createElement("li");
  const cls = kind.endsWith("succeeded") ? "ok" : (kind.endsWith("failed") ? "warn" : (kind.startsWith("stream") || kind.endsWith("exhausted") || kind.endsWith("disabled") ? "bad" : ""));
  li.innerHTML = `<span class="dim">${esc(d.timestamp || "").slice(11, 23)}</span> <span class="${cls}">${esc(kind)}</span> ${esc(d.appId)} ${esc(d.msgId)} ${esc(d.endpointId)} ${esc(d.eventType)}`;
  if (d.msgId && d.appId) li.onclick = () => showMessage(d.appId, d.msgId);
  $("feed").prepend(li);
  while ($("feed").children.length > 500) $("feed").lastChild.remove();
}
async function refreshStatus() {
  const s = await api("GET", "/api/v1/status");
  const cards = [];
  const part = (name, f) => s[name] && !s[name].unavailable ? f(s[name]) : cards.push(["" + name, "unavailable"]);
  part("activity", (a) => { cards.push(["last message", a.lastMessageAt || "-"]); cards.push(["last success", a.lastSuccessfulDeliveryAt || "-"]); });
  part("queue", (q) => { cards.push(["due", q.due]); cards.push(["scheduled", q.scheduled]); cards.push(["in flight", q.inFlight]); });
  part("deliveries", (d) => { for (const k of ["succeeded", "retrying", "exhausted", "canceled"]) cards.push([k + " (5 min)", d[k]]);
    const l = d.firstAttemptLatencyMs; cards.push(["first attempt p50/p95/p99", l ? `${l.p50}/${l.p95}/${l.p99} ms` : "-"]);
    const t = d.timeToSuccessMs; cards.push(["time to success p50/p95/p99", t ? `${t.p50}/${t.p95}/${t.p99} ms` : "-"]); });
  part("endpoints", (e) => { cards.push(["open circuits", e.circuits.length]); cards.push(["disabled endpoints", e.disabled.length]); });
  $("statusGrid").innerHTML = cards.map(([k, v]) => `<div class="card">${esc(k)}<b>${esc(v)}</b></div>`).join("");
}
async function refreshApps() {
  const apps = await api("GET", "/api/v1/app?limit=50");
  const status = await api("GET", "/api/v1/status");
  const open = new Set(((status.endpoints || {}).circuits || []).map((c) => c.endpointId));
  let html = "<table><tr><th>app</th><th>endpoint</th><th>url</th><th>health</th></tr>";
  for (const app of apps.data) {
    const eps = await api("GET", `/api/v1/app/${app.id}/endpoint?limit=50`);
    if (!eps.data.length) html += `<tr><td>${esc(app.name)} <span class="dim">${esc(app.id)}</span></td><td colspan="3" class="dim">no endpoints</td></tr>`;
    for (const ep of eps.data) {
      const health = ep.disabled ? '<span class="bad">disabled</span>' : (open.has(ep.id) ? '<span class="warn">circuit open</span>' : '<span class="ok">ok</span>');
      html += `<tr><td>${esc(app.name)}</td><td>${esc(ep.id)}</td><td>${esc(ep.url)}</td><td>${health}</td></tr>`;
    }
  }
  $("apps").innerHTML = html + "</table>";
}
async function showMessage(appId, msgId) {
  const msg = await api("GET", `/api/v1/app/${appId}/msg/${msgId}`);
  const attempts = await api("GET", `/api/v1/app/${appId}/attempt/msg/${msgId}`);
  $("message").hidden = false; $("msgTitle").textContent = msgId;
  let html = `<p>${esc(msg.eventType)} · ${esc(msg.timestamp)}</p><pre>${esc(JSON.stringify(msg.payload, null, 2))}</pre>`;
  html += "<table><tr><th>attempt</th><th>endpoint</th><th>status</th><th>code</th><th>duration</th><th>response</th><th></th></tr>";
  for (const a of attempts.data) {
    html += `<tr><td>${esc(a.id)}</td><td>${esc(a.endpointId)}</td><td>${esc(a.status)}</td><td>${esc(a.responseStatusCode)}</td><td>${esc(a.responseDurationMs)} ms</td><td>${esc((a.response || "").slice(0, 120))}</td>` +
      `<td><button data-ep="${esc(a.endpointId)}">Resend</button></td></tr>`;
  }
  $("msgBody").innerHTML = html + "</table>";
  for (const b of $("msgBody").querySelectorAll("button")) b.onclick = () => api("POST", `/api/v1/app/${appId}/msg/${msgId}/endpoint/${b.dataset.ep}/resend`);
}
function draw() {
  const c = $("chart"), g = c.getContext("2d"); g.clearRect(0, 0, c.width, c.height);
  const max = Math.max(1, ...buckets.map((b) => b.n)), w = c.width / 60;
  buckets.forEach((b, i) => { const h = (b.n / max) * (c.height - 20); g.fillStyle = "#4a7bd0"; g.fillRect(i * w, c.height - h, w - 2, h);
    if (b.lat.length) { const avg = b.lat.reduce((x, y) => x + y, 0) / b.lat.length; g.fillStyle = "#c5221f"; g.fillRect(i * w, c.height - Math.min(c.height, avg / 10) - 2, w - 2, 3); } });
  g.fillStyle = "#1d232b"; g.fillText(`messages/s (max ${max}) · red: avg latency (10 ms/px)`, 4, 12);
}
$("login").addEventListener("submit", login);
$("logout").onclick = () => { sessionStorage.removeItem("hooklineKey"); location.reload(); };
if (key) login();
"""#
}
