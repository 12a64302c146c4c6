// The tenant portal: one application's endpoints, messages and event types, under a scoped portal token.
// The token arrives in the URL fragment (never sent to servers or in Referer), moves to session storage
// and leaves the address bar. No admin key is ever involved.
"use strict";
(function () {
  const el = HL.el;
  const settings = new URLSearchParams(location.search);
  const fragment = new URLSearchParams(location.hash.startsWith("#token=") || location.hash.includes("&token=") ? location.hash.slice(1) : "");
  for (const [name, value] of fragment) if (name !== "token") settings.set(name, value);
  if (fragment.get("token")) {
    sessionStorage.setItem("hooklinePortalToken", fragment.get("token"));
    history.replaceState(null, "", location.pathname + location.search + "#/");
  }
  // Appearance: theme=light|dark (default: the system's), accent=RRGGBB, logo=URL, name=text.
  const theme = settings.get("theme");
  if (theme === "light" || theme === "dark") document.documentElement.dataset.theme = theme;
  const accent = settings.get("accent");
  if (accent && /^#?[0-9a-fA-F]{6}$/.test(accent)) document.documentElement.style.setProperty("--accent", "#" + accent.replace("#", ""));
  if (settings.get("logo")) document.getElementById("logo").src = settings.get("logo");
  if (settings.get("name")) document.getElementById("brand").textContent = settings.get("name");

  HL.credential = sessionStorage.getItem("hooklinePortalToken");
  let session = null;
  const base = () => `/api/v1/app/${session.appId}`;
  const crumbs = (...links) => el("nav", { class: "crumbs", "aria-label": "Breadcrumb" }, links.flatMap((l, i) => [i ? " / " : "", l]));

  HL.route("/", async () => {
    const endpoints = await HL.api("GET", `${base()}/endpoint?limit=250`);
    const form = await EndpointView.form({ base: base(), endpoint: null, readOnly: session.readOnly, onSaved: (ep) => { location.hash = HL.href("endpoints", ep.id); } });
    HL.show(el("h1", {}, "Endpoints"),
      el("section", { class: "panel" }, endpoints.data.length
        ? el("table", {}, el("thead", {}, el("tr", {}, ["Endpoint", "URL", "Event types", "State"].map((h) => el("th", { scope: "col" }, h)))),
            el("tbody", {}, endpoints.data.map((ep) => el("tr", {},
              el("td", {}, el("a", { href: HL.href("endpoints", ep.id) }, ep.description || ep.uid || ep.id)), el("td", { class: "mono" }, ep.url),
              el("td", {}, (ep.eventTypes || ["all"]).join(", ")), el("td", {}, el("span", { class: "badge " + (ep.disabled ? "bad" : "ok") }, ep.disabled ? "disabled" : "enabled"))))))
        : el("p", { class: "muted" }, "No endpoints yet: add one to start receiving webhooks.")),
      session.readOnly ? null : el("section", { class: "panel", id: "addEndpoint" }, el("h2", {}, "Add an endpoint"), form));
  });

  HL.route("/endpoints/:endpoint", async ({ endpoint }) => {
    await EndpointView.render({
      base: base(), endpointId: endpoint, portal: true, readOnly: session.readOnly,
      crumbs: crumbs(el("a", { href: "#/" }, "Endpoints"), "Endpoint"), messageHref: (msg) => HL.href("messages", msg),
      onDeleted: () => { location.hash = "#/"; },
    });
  });

  HL.route("/messages", async (params, query) => {
    const search = new URLSearchParams({ limit: "50", with_content: "false" });
    if (query.eventType) search.set("event_types", query.eventType);
    const messages = await HL.api("GET", `${base()}/msg?${search}`);
    const form = el("form", { class: "actions", role: "search" }, el("label", {}, "Event type", el("input", { name: "eventType", value: query.eventType || "" })),
      el("button", { type: "submit" }, "Filter"));
    form.addEventListener("submit", (event) => { event.preventDefault(); location.hash = "#/messages" + (form.elements.eventType.value ? "?eventType=" + encodeURIComponent(form.elements.eventType.value) : ""); });
    HL.show(el("h1", {}, "Messages"), form, el("section", { class: "panel" }, messages.data.length
      ? el("table", {}, el("thead", {}, el("tr", {}, ["Message", "Event type", "Created"].map((h) => el("th", { scope: "col" }, h)))),
          el("tbody", {}, messages.data.map((m) => el("tr", {}, el("td", {}, el("a", { class: "mono", href: HL.href("messages", m.id) }, m.id)), el("td", {}, m.eventType), el("td", {}, HL.time(m.timestamp))))))
      : el("p", { class: "muted" }, "No messages yet.")));
  });

  HL.route("/messages/:msg", async ({ msg }) => {
    await MessageView.render({ base: base(), messageId: msg, readOnly: session.readOnly,
      crumbs: crumbs(el("a", { href: "#/messages" }, "Messages"), msg), endpointHref: (ep) => HL.href("endpoints", ep) });
  });

  HL.route("/event-types", async () => {
    const types = await EndpointView.eventTypes();
    HL.show(el("h1", {}, "Event types"), el("section", { class: "panel" }, types.length
      ? types.map((t) => el("div", { class: "attempt" }, el("h2", {}, t.name), el("p", {}, t.description || ""),
          t.schemas ? el("details", {}, el("summary", {}, "Schema and example"), el("pre", {}, HL.pretty(t.schemas))) : null))
      : el("p", { class: "muted" }, "No event types are published.")));
  });

  async function start() {
    if (!HL.credential) {
      return HL.show(el("h1", {}, "This portal link is incomplete"), el("p", {}, "Open the portal from the link your provider gave you."));
    }
    try { session = await HL.api("GET", "/api/v1/auth/portal-session"); }
    catch (error) {
      sessionStorage.removeItem("hooklinePortalToken");
      return HL.show(el("h1", {}, "This portal link has expired"), el("p", {}, "Ask for a new link from the product you came from."));
    }
    HL.eventTypesPath = "/api/v1/auth/portal-event-types";
    if (!settings.get("name")) document.getElementById("brand").textContent = session.appName + " · Webhooks";
    document.getElementById("nav").hidden = false;
    document.getElementById("mode").hidden = !session.readOnly;
    window.addEventListener("hashchange", HL.dispatch);
    HL.connectLive(`/api/v1/app/${session.appId}/stream`);
    if (!location.hash || location.hash === "#") location.hash = "#/";
    await HL.dispatch();
  }
  start();
})();
