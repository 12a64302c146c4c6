// The operator console: sign-in with the admin key, the overview with charts, and the view routes.
"use strict";
const RANGES = { "15m": 15 * 60e3, "1h": 3600e3, "24h": 24 * 3600e3 };
const Overview = {
  events: [], // delivery and message events of the last 24 h, from the durable event log, then live
  depth: [], // queue depth samples taken while the console is open
  loaded: false,
  async load() {
    if (Overview.loaded) return;
    Overview.loaded = true;
    HL.onEvent((event) => Overview.keep(event));
    // Replay the retained log once (kinds the charts use), then the live stream keeps it current.
    const issued = await HL.api("POST", "/api/v1/stream/token", { ttlSeconds: 60 });
    await new Promise((resolve) => {
      const kinds = "message.created,delivery.succeeded,delivery.failed,delivery.exhausted";
      const source = new EventSource(`/api/v1/stream?kinds=${kinds}&last_event_id=0&token=${encodeURIComponent(issued.token)}`);
      let quiet = setTimeout(done, 1500);
      function done() { source.close(); resolve(); }
      HL.subscribe(source, (event) => { Overview.keep(event); clearTimeout(quiet); quiet = setTimeout(done, 400); });
      source.onerror = done;
    });
  },
  keep(event) {
    if (!["message.created", "delivery.succeeded", "delivery.failed", "delivery.exhausted"].includes(event.type)) return;
    if (Overview.events.length && Overview.events[Overview.events.length - 1].id >= event.id) return;
    Overview.events.push({ id: event.id, type: event.type, t: Date.parse(event.timestamp), latency: event.data && event.data.latencyMs, endpointId: event.endpointId, appId: event.appId });
    const cutoff = Date.now() - RANGES["24h"];
    while (Overview.events.length && Overview.events[0].t < cutoff) Overview.events.shift();
  },
};

HL.route("/", async (params, query) => {
  const range = RANGES[query.range] ? query.range : "15m";
  const [status] = await Promise.all([HL.api("GET", "/api/v1/status"), Overview.load()]);
  const queue = status.queue || {}, deliveries = status.deliveries || {}, endpoints = status.endpoints || {};
  Overview.depth.push([Date.now(), (queue.due || 0) + (queue.scheduled || 0) + (queue.inFlight || 0)]);
  const to = Date.now(), from = to - RANGES[range], buckets = HL.buckets(from, to, 30);
  const count = (type) => {
    const values = buckets.starts.map(() => 0);
    for (const e of Overview.events) if (e.type === type && e.t >= from) { const i = buckets.index(e.t); if (i >= 0 && i < values.length) values[i]++; }
    return buckets.starts.map((t, i) => [t + buckets.size / 2, values[i]]);
  };
  const latency = (p) => buckets.starts.map((t, i) => {
    const values = Overview.events.filter((e) => e.type === "delivery.succeeded" && e.latency != null && buckets.index(e.t) === i).map((e) => e.latency).sort((a, b) => a - b);
    return values.length ? [t + buckets.size / 2, HL.percentile(values, p)] : null;
  }).filter(Boolean); // buckets without a success are gaps, not zeros
  const failing = {};
  for (const e of Overview.events) if (e.t >= from && (e.type === "delivery.failed" || e.type === "delivery.exhausted") && e.endpointId) {
    failing[e.endpointId] = failing[e.endpointId] || { appId: e.appId, failures: 0 };
    failing[e.endpointId].failures++;
  }
  const circuits = Object.fromEntries((endpoints.circuits || []).map((c) => [c.endpointId, c.state]));
  const disabled = new Set((endpoints.disabled || []).map((d) => d.endpointId));
  const top = Object.entries(failing).sort((a, b) => b[1].failures - a[1].failures).slice(0, 8);
  const tile = (label, value, note) => HL.el("div", { class: "tile" }, HL.el("span", {}, label), HL.el("b", {}, value ?? "—"), note ? HL.el("span", {}, note) : null);
  const latencyNow = deliveries.timeToSuccessMs || {};
  HL.show(
    HL.el("h1", {}, "Overview"),
    HL.el("div", { class: "tiles", id: "statusGrid" },
      tile("Queue due", queue.due), tile("Scheduled", queue.scheduled), tile("In flight", queue.inFlight),
      tile("Succeeded", deliveries.succeeded, `last ${Math.round((deliveries.windowSeconds || 300) / 60)} min`),
      tile("Retrying", deliveries.retrying, `last ${Math.round((deliveries.windowSeconds || 300) / 60)} min`), tile("Exhausted", deliveries.exhausted),
      tile("p95 to success", latencyNow.p95 != null ? latencyNow.p95 + " ms" : "—"), tile("Open circuits", (endpoints.circuits || []).length)),
    HL.el("div", { class: "actions", role: "group", "aria-label": "Time range" },
      HL.el("span", { class: "muted" }, "Range:"),
      Object.keys(RANGES).map((name) => HL.el("a", { class: "button" + (name === range ? " primary" : ""), href: "#/?range=" + name, "aria-pressed": String(name === range) }, name))),
    HL.el("div", { class: "charts" },
      HL.chart({ title: "Messages in", unit: "messages / bucket", from, to, stacked: true, series: [{ name: "created", color: "var(--accent)", points: count("message.created") }] }),
      HL.chart({ title: "Deliveries by outcome", unit: "deliveries / bucket", from, to, stacked: true, series: [
        { name: "succeeded", color: "#2e9d57", points: count("delivery.succeeded") },
        { name: "failed (retrying)", color: "#d08a1c", points: count("delivery.failed") },
        { name: "exhausted", color: "#c9362c", points: count("delivery.exhausted") }] }),
      HL.chart({ title: "End-to-end latency", unit: "ms", from, to, series: [
        { name: "p50", color: "#2e9d57", points: latency(50) }, { name: "p95", color: "#d08a1c", points: latency(95) }, { name: "p99", color: "#c9362c", points: latency(99) }] }),
      HL.chart({ title: "Queue depth (sampled while open)", unit: "deliveries", from, to, series: [{ name: "due + scheduled + in flight", color: "var(--accent)", points: Overview.depth.filter(([t]) => t >= from) }] })),
    HL.el("section", { class: "panel" }, HL.el("h2", {}, `Top failing endpoints (${range})`),
      top.length ? HL.el("table", {}, HL.el("thead", {}, HL.el("tr", {}, ["Endpoint", "Application", "Failures", "Circuit"].map((h) => HL.el("th", { scope: "col" }, h)))),
        HL.el("tbody", {}, top.map(([id, f]) => HL.el("tr", {},
          HL.el("td", {}, HL.el("a", { href: HL.href("apps", f.appId, "endpoints", id) }, id)), HL.el("td", {}, f.appId), HL.el("td", {}, f.failures),
          HL.el("td", {}, disabled.has(id) ? HL.el("span", { class: "badge bad" }, "disabled") : HL.el("span", { class: "badge " + (circuits[id] ? "warn" : "ok") }, circuits[id] || "closed"))))))
        : HL.el("p", { class: "muted" }, "No failed deliveries in this range.")));
});

async function signIn(key) {
  HL.credential = key;
  await HL.api("GET", "/api/v1/app?limit=1");
  sessionStorage.setItem("hooklineKey", key);
  document.getElementById("nav").hidden = false;
  document.getElementById("logout").hidden = false;
  window.addEventListener("hashchange", HL.dispatch);
  HL.connectLive("/api/v1/stream");
  await HL.dispatch();
}
document.getElementById("login").addEventListener("submit", async (event) => {
  event.preventDefault();
  try { await signIn(document.getElementById("key").value); }
  catch (error) { document.getElementById("loginError").textContent = error.status === 401 ? "That key was not accepted." : error.message; }
});
document.getElementById("logout").addEventListener("click", () => { sessionStorage.removeItem("hooklineKey"); location.hash = ""; location.reload(); });
if (sessionStorage.getItem("hooklineKey")) signIn(sessionStorage.getItem("hooklineKey")).catch(() => sessionStorage.removeItem("hooklineKey"));
