// The console's resource views: applications, endpoints, message search, the message page, sources.
"use strict";
const el = HL.el;
const crumbs = (...links) => el("nav", { class: "crumbs", "aria-label": "Breadcrumb" }, links.flatMap((l, i) => [i ? " / " : "", l]));
const appLabel = (app) => [el("b", {}, app.name), app.uid ? el("span", { class: "muted" }, ` (${app.uid})`) : null];
const table = (headers, rows) => el("table", {}, el("thead", {}, el("tr", {}, headers.map((h) => el("th", { scope: "col" }, h)))), el("tbody", {}, rows));

HL.route("/apps", async () => {
  const apps = await HL.api("GET", "/api/v1/app?limit=100");
  HL.show(el("h1", {}, "Applications"), el("section", { class: "panel" }, apps.data.length
    ? table(["Application", "Id", "Created"], apps.data.map((app) => el("tr", {},
        el("td", {}, el("a", { href: HL.href("apps", app.id) }, appLabel(app))), el("td", { class: "mono" }, app.id), el("td", {}, HL.time(app.createdAt)))))
    : el("p", { class: "muted" }, "No applications yet.")));
});

HL.route("/apps/:app", async ({ app }) => {
  const [application, endpoints] = await Promise.all([HL.api("GET", `/api/v1/app/${app}`), HL.api("GET", `/api/v1/app/${app}/endpoint?limit=100`)]);
  const portalBox = el("div", { "aria-live": "polite" });
  const openPortal = async () => {
    const link = await HL.act(null, "Open portal", () => HL.api("POST", `/api/v1/auth/app-portal-access/${application.id}`, { expiry: 3600 }), "Portal link issued (valid 1 hour)");
    if (link) portalBox.replaceChildren(el("p", {}, el("a", { href: link.url, target: "_blank", rel: "noopener" }, "Open this application's tenant portal")));
  };
  const newForm = await EndpointView.form({ base: `/api/v1/app/${application.id}`, endpoint: null, onSaved: (ep) => { location.hash = HL.href("apps", application.id, "endpoints", ep.id); } });
  HL.show(
    crumbs(el("a", { href: "#/apps" }, "Applications"), application.name),
    el("h1", {}, application.name),
    el("div", { class: "actions" }, el("a", { class: "button", href: HL.href("apps", application.id, "messages") }, "Messages"),
      el("button", { onclick: openPortal }, "Open tenant portal"), el("span", { class: "muted mono" }, application.id)), portalBox,
    el("section", { class: "panel" }, el("h2", {}, "Endpoints"), endpoints.data.length
      ? table(["Endpoint", "URL", "State"], endpoints.data.map((ep) => el("tr", {},
          el("td", {}, el("a", { href: HL.href("apps", application.id, "endpoints", ep.id) }, ep.description || ep.uid || ep.id)),
          el("td", { class: "mono" }, ep.url), el("td", {}, el("span", { class: "badge " + (ep.disabled ? "bad" : "ok") }, ep.disabled ? "disabled" : "enabled")))))
      : el("p", { class: "muted" }, "No endpoints yet.")),
    el("details", { class: "panel" }, el("summary", {}, "Add an endpoint"), newForm));
});

HL.route("/apps/:app/endpoints/:endpoint", async ({ app, endpoint }) => {
  const application = await HL.api("GET", `/api/v1/app/${app}`);
  await EndpointView.render({
    base: `/api/v1/app/${application.id}`, endpointId: endpoint, portal: false,
    crumbs: crumbs(el("a", { href: "#/apps" }, "Applications"), el("a", { href: HL.href("apps", application.id) }, application.name), "Endpoint"),
    messageHref: (msg) => HL.href("apps", application.id, "messages", msg), onDeleted: () => { location.hash = HL.href("apps", application.id); },
  });
});

/** Message search: by application, event type, channel, status, time range, or a message id / eventId. */
async function searchView(app, query) {
  const apps = (await HL.api("GET", "/api/v1/app?limit=250")).data;
  const appId = app || query.app || (apps[0] && apps[0].id);
  const field = (label, name, attrs) => el("label", {}, label, el("input", Object.assign({ name, value: query[name] || "" }, attrs || {})));
  const form = el("form", { class: "grid panel", role: "search", "aria-label": "Search messages" },
    el("label", {}, "Application", el("select", { name: "app" }, apps.map((a) => el("option", { value: a.id, selected: a.id === appId }, a.name + (a.uid ? ` (${a.uid})` : ""))))),
    field("Message id or eventId", "q", { placeholder: "msg_… or your event id" }), field("Event type", "eventType"), field("Channel", "channel"),
    el("label", {}, "Status", el("select", { name: "status" }, [["", "any"], ["0", "succeeded"], ["1", "pending"], ["2", "failed"], ["3", "sending"]].map(([v, t]) => el("option", { value: v, selected: (query.status || "") === v }, t)))),
    field("After", "after", { type: "datetime-local" }), field("Before", "before", { type: "datetime-local" }),
    el("div", { class: "actions" }, el("button", { class: "primary", type: "submit" }, "Search")));
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const params = new URLSearchParams([...new FormData(form)].filter(([k, v]) => v && k !== "app"));
    location.hash = HL.href("apps", form.elements.app.value, "messages") + (params.toString() ? "?" + params : "");
  });
  if (!appId) return HL.show(el("h1", {}, "Messages"), el("p", { class: "muted" }, "No applications yet."));
  let rows = [];
  if (query.q) {
    try { rows = [await HL.api("GET", `/api/v1/app/${appId}/msg/${encodeURIComponent(query.q)}?with_content=false`)]; } catch (error) { if (error.status !== 404) throw error; }
  } else {
    const params = new URLSearchParams({ limit: "50", with_content: "false" });
    if (query.eventType) params.set("event_types", query.eventType);
    if (query.channel) params.set("channel", query.channel);
    if (query.status) params.set("status", query.status);
    if (query.after) params.set("after", new Date(query.after).toISOString());
    if (query.before) params.set("before", new Date(query.before).toISOString());
    rows = (await HL.api("GET", `/api/v1/app/${appId}/msg?${params}`)).data;
  }
  HL.show(el("h1", {}, "Messages"), form, el("section", { class: "panel", id: "results" }, rows.length
    ? table(["Message", "Event type", "Event id", "Channels", "Created"], rows.map((m) => el("tr", {},
        el("td", {}, el("a", { class: "mono", href: HL.href("apps", appId, "messages", m.id) }, m.id)), el("td", {}, m.eventType), el("td", {}, m.eventId || "—"),
        el("td", {}, (m.channels || []).join(", ") || "—"), el("td", {}, HL.time(m.timestamp)))))
    : el("p", { class: "muted" }, "No message matches.")));
}
HL.route("/search", (params, query) => searchView(null, query));
HL.route("/apps/:app/messages", ({ app }, query) => searchView(app, query));

HL.route("/apps/:app/messages/:msg", async ({ app, msg }) => {
  const application = await HL.api("GET", `/api/v1/app/${app}`);
  await MessageView.render({
    base: `/api/v1/app/${application.id}`, messageId: msg, readOnly: false, canExpunge: true,
    crumbs: crumbs(el("a", { href: "#/apps" }, "Applications"), el("a", { href: HL.href("apps", application.id) }, application.name),
      el("a", { href: HL.href("apps", application.id, "messages") }, "Messages"), msg),
    endpointHref: (ep) => HL.href("apps", application.id, "endpoints", ep),
  });
});

const SCHEMES = ["none", "standard-webhooks", "svix", "github", "stripe", "shopify", "hmac", "basic-auth", "header-token"];

/** The source create/edit form: the common fields, plus any other field of the API as JSON; errors shown in place. */
async function sourceForm(source) {
  const apps = (await HL.api("GET", "/api/v1/app?limit=250")).data;
  const verification = (source && source.verification) || { scheme: "none" };
  const field = (label, name, value, attrs) => el("label", {}, label, el("input", Object.assign({ name, value: value ?? "" }, attrs || {})));
  const extra = {};
  if (source) for (const key of ["eventType", "dedupId", "dedupWindowSeconds", "correlationId", "maxBodyBytes", "ackStatus", "ackBody"]) if (source[key] != null) extra[key] = source[key];
  const form = el("form", { class: "grid", "aria-label": source ? "Edit source" : "New source" },
    field("Name", "name", source && source.name, { required: true }), field("Uid (optional)", "uid", source && source.uid),
    el("label", {}, "Application", el("select", { name: "app" }, apps.map((a) => el("option", { value: a.id, selected: source && source.appId === a.id }, a.name)))),
    el("label", {}, "Verification", el("select", { name: "verification" }, SCHEMES.map((v) => el("option", { value: v, selected: verification.scheme === v }, v)))),
    field("Signature header (optional)", "header", verification.header),
    field(source ? "New secret (blank: keep)" : "Secret (blank: generated when needed)", "secret", "", { type: "password", autocomplete: "off" }),
    el("label", { style: "grid-column:1/-1" }, "Other fields (JSON: eventType, dedupId, dedupWindowSeconds, correlationId, maxBodyBytes, ackStatus, ackBody)",
      el("textarea", { name: "extra" }, Object.keys(extra).length ? HL.pretty(extra) : "")),
    el("div", { class: "actions", style: "grid-column:1/-1" }, el("button", { class: "primary", type: "submit" }, source ? "Save source" : "Create source")));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const data = new FormData(form);
    let body;
    try { body = data.get("extra").trim() ? JSON.parse(data.get("extra")) : {}; }
    catch (error) { return HL.formErrors(form, { field: "extra", message: "Not valid JSON: " + error.message }); }
    Object.assign(body, { name: data.get("name"), uid: data.get("uid") || null, app: data.get("app"),
      verification: Object.assign({}, verification, { scheme: data.get("verification"), header: data.get("header") || null }) });
    if (data.get("secret")) body.secret = data.get("secret");
    try {
      const saved = source ? await HL.api("PATCH", `/api/v1/source/${source.id}`, body) : await HL.api("POST", "/api/v1/source", body);
      form.removeAttribute("data-dirty");
      HL.notify(source ? "Source saved" : "Source created", "ok");
      if (source) HL.refresh(); else location.hash = HL.href("sources", saved.id);
    } catch (error) { HL.formErrors(form, error); }
  });
  return form;
}

HL.route("/sources", async () => {
  const sources = await HL.api("GET", "/api/v1/source?limit=100").catch((e) => { if (e.status === 404) return { data: [] }; throw e; });
  HL.show(el("h1", {}, "Sources"), el("section", { class: "panel" }, sources.data.length
    ? table(["Source", "Application", "Verification", "Ingest URL"], sources.data.map((s) => el("tr", {},
        el("td", {}, el("a", { href: HL.href("sources", s.id) }, s.name)), el("td", { class: "mono" }, s.appId), el("td", {}, s.verification ? s.verification.scheme : "—"),
        el("td", { class: "mono" }, location.origin + s.ingestPath))))
    : el("p", { class: "muted" }, "No sources yet.")),
    el("section", { class: "panel" }, el("h2", {}, "New source"), await sourceForm(null)));
});

HL.route("/sources/:source", async ({ source }) => {
  const [item, requests] = await Promise.all([HL.api("GET", `/api/v1/source/${source}`), HL.api("GET", `/api/v1/source/${source}/request?limit=50`)]);
  HL.show(crumbs(el("a", { href: "#/sources" }, "Sources"), item.name), el("h1", {}, item.name),
    el("p", {}, "Ingest URL: ", el("code", {}, location.origin + item.ingestPath)),
    el("section", { class: "panel" }, el("h2", {}, "Inbound requests"), requests.data.length
      ? table(["Received", "Status", "Message", ""], requests.data.map((r) => el("tr", {},
          el("td", {}, HL.time(r.receivedAt)), el("td", {}, r.status), el("td", {}, r.messageId ? el("a", { class: "mono", href: HL.href("apps", item.appId, "messages", r.messageId) }, r.messageId) : "—"),
          el("td", {}, el("button", { onclick: () => HL.act("Replay this inbound request?", "Replay", () => HL.api("POST", `/api/v1/source/${source}/request/${r.id}/replay`)).then(HL.refresh) }, "Replay")))))
      : el("p", { class: "muted" }, "No requests received yet.")),
    el("section", { class: "panel" }, el("h2", {}, "Settings"), await sourceForm(item)),
    el("div", { class: "actions" }, el("button", { class: "danger", onclick: async () => {
      if (await HL.act("Delete this source and its stored requests?", "Delete", () => HL.api("DELETE", `/api/v1/source/${source}`))) location.hash = "#/sources";
    } }, "Delete source")));
});
