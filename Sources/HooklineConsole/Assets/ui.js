// Shared helpers of the console and the portal: API calls, DOM building, hash routing, the live
// event stream with a polling fallback, dialogs and notices. No dependencies, no build step.
"use strict";
const HL = {
  credential: null,
  /** Calls the API with the page's bearer credential; throws an Error carrying status, code and field. */
  async api(method, path, body) {
    const init = { method, headers: { Authorization: "Bearer " + HL.credential } };
    if (body !== undefined) { init.headers["Content-Type"] = "application/json"; init.body = JSON.stringify(body); }
    const response = await fetch(path, init);
    const text = await response.text();
    let json = null;
    try { json = text ? JSON.parse(text) : null; } catch (_) { json = null; }
    if (!response.ok) {
      const error = new Error(HL.describe(json) || response.status + " " + response.statusText);
      error.status = response.status;
      error.code = json && json.code;
      const first = json && Array.isArray(json.detail) ? json.detail[0] : null;
      error.loc = first && first.loc ? first.loc : [];
      throw error;
    }
    return json;
  },
  describe(json) {
    if (!json) return "";
    if (Array.isArray(json.detail)) return json.detail.map((d) => d.msg).join("; ");
    return json.detail || "";
  },
  /** Builds an element: el("a", {href: "#/"}, "text", child). Text is always set as text, never as HTML. */
  el(tag, attrs, ...children) {
    const node = document.createElementNS(tag === "svg" || HL.svgTags.has(tag) ? "http://www.w3.org/2000/svg" : "http://www.w3.org/1999/xhtml", tag);
    for (const [name, value] of Object.entries(attrs || {})) {
      if (value === null || value === undefined || value === false) continue;
      if (name.startsWith("on")) node.addEventListener(name.slice(2), value);
      else if (name === "text") node.textContent = value;
      else node.setAttribute(name, value === true ? "" : value);
    }
    for (const child of children.flat()) if (child !== null && child !== undefined && child !== false) node.append(child.nodeType ? child : String(child));
    return node;
  },
  svgTags: new Set(["g", "line", "path", "rect", "text", "circle", "polyline", "title"]),
  /** Replaces the main view's content and moves focus to its heading (keyboard and screen readers). */
  show(...children) {
    const main = document.getElementById("view");
    main.replaceChildren(...children.flat().filter((child) => child !== null && child !== undefined && child !== false));
    const heading = main.querySelector("h1");
    if (heading) { heading.tabIndex = -1; heading.focus({ preventScroll: true }); }
  },
  time(value) { return value ? new Date(value).toLocaleString() : "—"; },
  short(value) { return value ? new Date(value).toLocaleTimeString() : "—"; },
  pretty(value) { return JSON.stringify(value, null, 2); },
  statusBadge(code) {
    const name = { 0: "succeeded", 1: "pending", 2: "failed", 3: "sending" }[code] ?? String(code);
    const tone = { 0: "ok", 1: "warn", 2: "bad", 3: "warn" }[code] ?? "muted";
    return HL.el("span", { class: "badge " + tone, "data-status": name }, name);
  },
  /** Shows a transient notice in the polite live region. */
  notify(text, tone) {
    const box = HL.el("div", { class: tone || "", role: tone === "bad" ? "alert" : "status" }, text);
    document.getElementById("notice").append(box);
    setTimeout(() => box.remove(), 6000);
  },
  /** Asks for confirmation in a modal dialog; resolves to true when confirmed. */
  confirm(question, action) {
    return new Promise((resolve) => {
      const dialog = HL.el("dialog", { "aria-labelledby": "confirmTitle" },
        HL.el("h2", { id: "confirmTitle" }, question),
        HL.el("div", { class: "actions" },
          HL.el("button", { class: "primary", id: "confirmYes", onclick: () => { dialog.close(); resolve(true); } }, action || "Confirm"),
          HL.el("button", { onclick: () => { dialog.close(); resolve(false); } }, "Cancel")));
      dialog.addEventListener("close", () => { dialog.remove(); resolve(false); });
      document.body.append(dialog);
      dialog.showModal();
    });
  },
  /** Runs an action after confirmation, reporting its result as a notice. */
  async act(question, label, run, done) {
    if (question && !(await HL.confirm(question, label))) return;
    try { const result = await run(); HL.notify(done || label + ": done", "ok"); return result; }
    catch (error) { HL.notify(label + " failed: " + error.message, "bad"); }
  },
  /** Shows validation errors next to the form's fields (by name), or at the form's end. */
  formErrors(form, error) {
    for (const old of form.querySelectorAll(".field-error")) old.remove();
    for (const old of form.querySelectorAll("[aria-invalid]")) old.removeAttribute("aria-invalid");
    if (!error) return;
    // The error's location (`["body", "payloadFilter", …]`) names the field; the first part that is a form field wins.
    const name = error.field || (error.loc || []).find((part) => form.elements.namedItem(part));
    const input = name && form.elements.namedItem(name);
    const message = HL.el("span", { class: "field-error", role: "alert" }, error.message);
    if (input && input.closest) { input.setAttribute("aria-invalid", "true"); input.closest("label").append(message); }
    else form.append(message);
  },
  // Routing: "#/a/b?x=1" → handler(params, query); views re-render on hash changes and live events.
  routes: [],
  route(pattern, handler) { HL.routes.push({ parts: pattern.split("/").filter(Boolean), handler }); },
  current: null,
  async dispatch() {
    const [path, search] = (location.hash.slice(1) || "/").split("?");
    const parts = path.split("/").filter(Boolean).map(decodeURIComponent);
    for (const route of HL.routes) {
      if (route.parts.length !== parts.length) continue;
      const params = {};
      if (!route.parts.every((part, i) => (part.startsWith(":") ? ((params[part.slice(1)] = parts[i]), true) : part === parts[i]))) continue;
      HL.current = { route, params, query: Object.fromEntries(new URLSearchParams(search || "")) };
      for (const link of document.querySelectorAll("header.top nav a")) {
        link.toggleAttribute("aria-current", ("#/" + parts.join("/")).startsWith(link.getAttribute("href")) && link.getAttribute("href") !== "#/" || (link.getAttribute("href") === "#/" && parts.length === 0));
        if (link.hasAttribute("aria-current")) link.setAttribute("aria-current", "page");
      }
      return HL.refresh();
    }
    HL.show(HL.el("h1", {}, "Not found"), HL.el("p", {}, "No page at this address."));
  },
  async refresh() {
    const view = HL.current;
    if (!view) return;
    try { await view.route.handler(view.params, view.query); }
    catch (error) { HL.show(HL.el("h1", {}, "Could not load this page"), HL.el("p", { class: "bad", role: "alert" }, error.message)); }
  },
  href(...parts) { return "#/" + parts.map(encodeURIComponent).join("/"); },
  // Live updates: the event stream (through a short-lived stream token) re-renders the view; when the
  // stream is unavailable the view is refreshed every few seconds instead.
  listeners: [],
  onEvent(listener) { HL.listeners.push(listener); },
  async connectLive(streamPath) {
    const indicator = document.getElementById("conn");
    const polling = () => {
      indicator.textContent = "polling"; indicator.className = "pill polling";
      if (!HL.pollTimer) HL.pollTimer = setInterval(() => HL.refreshSoon(), 5000);
    };
    try {
      const issued = await HL.api("POST", "/api/v1/stream/token", { ttlSeconds: 3600 });
      const source = new EventSource(streamPath + (streamPath.includes("?") ? "&" : "?") + "token=" + encodeURIComponent(issued.token));
      source.onopen = () => {
        indicator.textContent = "live"; indicator.className = "pill live";
        clearInterval(HL.pollTimer); HL.pollTimer = null;
      };
      source.onerror = () => polling();
      HL.subscribe(source, (event) => {
        for (const listener of HL.listeners) listener(event);
        HL.refreshSoon();
      });
      HL.source = source;
    } catch (_) { polling(); }
  },
  /** The stream names each frame by its kind (`event: delivery.succeeded`), so every kind gets a listener. */
  kinds: ["message.created", "attempt.made", "delivery.succeeded", "delivery.failed", "delivery.exhausted", "delivery.canceled",
    "delivery.skipped", "endpoint.disabled", "endpoint.enabled", "message.attempt.exhausted", "message.attempt.failing", "message.attempt.recovered",
    "message.expunged", "attempt.expunged"],
  subscribe(source, handler) {
    const parse = (message) => { try { handler(JSON.parse(message.data)); } catch (_) { /* not an event frame */ } };
    source.onmessage = parse;
    for (const kind of HL.kinds) source.addEventListener(kind, parse);
  },
  refreshSoon() {
    if (HL.pending || document.querySelector("dialog[open]") || HL.editing()) return;
    HL.pending = setTimeout(() => {
      HL.pending = null;
      if (!document.querySelector("dialog[open]") && !HL.editing()) HL.refresh(); // the user may have started typing meanwhile
    }, 300);
  },
  /** Whether the user is typing in a form (live refresh would lose the input). */
  editing() { return document.querySelector("form[data-dirty]") !== null; },
};
document.addEventListener("input", (event) => { if (event.target.form) event.target.form.setAttribute("data-dirty", ""); });
