// The endpoint page and the endpoint form, shared by the console and the portal.
"use strict";
const EndpointView = {
  revealed: {}, // secrets revealed or rotated in this tab, kept across live re-renders
  /** The event-type catalogue (name, description, schemas/examples when the server has them). */
  async eventTypes() {
    let types = [];
    // The portal reads its own catalogue (the server hides types behind feature flags the token lacks).
    try { types = (await HL.api("GET", HL.eventTypesPath || "/api/v1/event-type?limit=250&with_content=true")).data || []; } catch (_) { return []; }
    return types.filter((t) => !t.archived);
  },
  /** The create/edit form; `endpoint` is null for a new one. Resolves through `onSaved(endpoint)`. */
  async form({ base, endpoint, onSaved, readOnly }) {
    const types = await EndpointView.eventTypes();
    const selected = new Set((endpoint && endpoint.eventTypes) || []);
    const input = (label, name, value, extra) => HL.el("label", {}, label, HL.el("input", Object.assign({ name, value: value ?? "" }, extra || {})));
    const picker = HL.el("fieldset", { class: "panel", style: "grid-column:1/-1" },
      HL.el("legend", {}, "Event types (none selected: every type)"),
      types.length ? HL.el("div", { class: "types" }, types.map((type) => {
        const schema = type.schemas ? Object.values(type.schemas)[0] : null;
        const example = schema && Array.isArray(schema.examples) ? schema.examples[0] : null;
        return HL.el("label", { class: "inline" },
          HL.el("input", { type: "checkbox", name: "eventType", value: type.name, checked: selected.has(type.name) }),
          HL.el("span", {}, HL.el("b", {}, type.name), type.description ? HL.el("span", { class: "muted" }, " — " + type.description) : null,
            schema ? HL.el("details", {}, HL.el("summary", {}, "schema and example"),
              example !== null ? HL.el("pre", { class: "example" }, HL.pretty(example)) : null, HL.el("pre", {}, HL.pretty(schema))) : null));
      })) : HL.el("p", { class: "muted" }, "The event-type catalogue is empty; this endpoint receives every event type."));
    const form = HL.el("form", { class: "grid", "aria-label": endpoint ? "Edit endpoint" : "New endpoint" },
      input("URL", "url", endpoint && endpoint.url, { type: "url", required: true, placeholder: "https://example.com/webhooks" }),
      input("Description", "description", endpoint && endpoint.description),
      input("Uid (optional)", "uid", endpoint && endpoint.uid),
      input("Channels (comma-separated)", "channels", endpoint && (endpoint.channels || []).join(", ")),
      input("Throttle (messages / s)", "throttleRate", endpoint && endpoint.throttleRate, { type: "number", min: 1 }),
      HL.el("label", { class: "inline" }, HL.el("input", { type: "checkbox", name: "ordered", checked: endpoint && endpoint.ordered }), "Deliver in order"),
      picker,
      HL.el("label", { style: "grid-column:1/-1" }, "Payload filter (JSON, optional)",
        HL.el("textarea", { name: "payloadFilter", placeholder: '{"path": "data.amount", "gt": 100}' }, endpoint && endpoint.payloadFilter ? HL.pretty(endpoint.payloadFilter) : "")),
      HL.el("div", { class: "actions", style: "grid-column:1/-1" },
        HL.el("button", { class: "primary", type: "submit", disabled: readOnly }, endpoint ? "Save changes" : "Create endpoint")));
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const data = new FormData(form);
      const body = {
        url: data.get("url"), description: data.get("description") || "", uid: data.get("uid") || null,
        channels: data.get("channels") ? data.get("channels").split(",").map((c) => c.trim()).filter(Boolean) : null,
        throttleRate: data.get("throttleRate") ? Number(data.get("throttleRate")) : null, ordered: data.get("ordered") === "on",
        eventTypes: data.getAll("eventType").length ? data.getAll("eventType") : null,
      };
      const filter = (data.get("payloadFilter") || "").trim();
      if (filter) {
        try { body.payloadFilter = JSON.parse(filter); }
        catch (error) { return HL.formErrors(form, { field: "payloadFilter", message: "Not valid JSON: " + error.message }); }
      } else body.payloadFilter = null;
      try {
        const saved = endpoint ? await HL.api("PATCH", `${base}/endpoint/${endpoint.id}`, body) : await HL.api("POST", `${base}/endpoint`, body);
        form.removeAttribute("data-dirty");
        HL.formErrors(form, null);
        HL.notify(endpoint ? "Endpoint saved" : "Endpoint created", "ok");
        onSaved(saved);
      } catch (error) { HL.formErrors(form, error); }
    });
    return form;
  },
  /** The endpoint page: state, statistics, actions, secret, headers, edit form and recent attempts. */
  async render({ base, endpointId, crumbs, messageHref, readOnly, portal, onDeleted }) {
    const [endpoint, stats, attempts] = await Promise.all([
      HL.api("GET", `${base}/endpoint/${endpointId}`), HL.api("GET", `${base}/endpoint/${endpointId}/stats`),
      HL.api("GET", `${base}/attempt/endpoint/${endpointId}?limit=20`)]);
    const path = `${base}/endpoint/${endpoint.id}`;
    const circuit = stats.circuit ? stats.circuit.state : null;
    const secretBox = HL.el("code", { id: "secret", "data-endpoint": endpointId }, EndpointView.revealed[endpointId] || "••••••••");
    // A live re-render may replace the page while the request is out: the answer goes to this endpoint's box as shown then.
    const showSecret = (key) => { EndpointView.revealed[endpointId] = key; for (const box of document.querySelectorAll("#secret")) if (box.dataset.endpoint === endpointId) box.textContent = key; };
    const taskBox = HL.el("div", { id: "taskProgress", "aria-live": "polite" });
    if (EndpointView.tasks[endpointId]) EndpointView.drawTask(EndpointView.tasks[endpointId], taskBox);
    const since = HL.el("input", { type: "datetime-local", name: "since", value: new Date(Date.now() - 3600e3 - new Date().getTimezoneOffset() * 60e3).toISOString().slice(0, 16) });
    const recover = async () => {
      const task = await HL.act(`Re-send every failed delivery of this endpoint since ${since.value}?`, "Recover",
        () => HL.api("POST", `${path}/recover`, { since: new Date(since.value).toISOString() }), "Recovery started");
      if (task && !portal) EndpointView.follow(task, endpointId);
      else if (task) taskBox.textContent = "Recovery started: failed messages are being re-sent.";
    };
    const headerText = HL.el("textarea", { name: "headers", "aria-label": "Custom headers, one per line as Name: value" });
    HL.api("GET", `${path}/headers`).then((h) => { headerText.value = Object.entries(h.headers || {}).map(([k, v]) => `${k}: ${v}`).join("\n"); }).catch(() => {});
    const headersForm = HL.el("form", {},
      HL.el("label", {}, "Custom headers (Name: value, one per line)", headerText),
      HL.el("div", { class: "actions" }, HL.el("button", { type: "submit", disabled: readOnly }, "Save headers")));
    headersForm.addEventListener("submit", async (event) => {
      event.preventDefault();
      const headers = Object.fromEntries(headerText.value.split("\n").map((l) => l.split(/:(.*)/s).map((s) => s && s.trim())).filter(([k]) => k).map(([k, v]) => [k, v || ""]));
      try { await HL.api("PUT", `${path}/headers`, { headers }); headersForm.removeAttribute("data-dirty"); HL.formErrors(headersForm, null); HL.notify("Headers saved", "ok"); }
      catch (error) { HL.formErrors(headersForm, error); }
    });
    const types = await EndpointView.eventTypes();
    const exampleType = HL.el("select", { name: "exampleType", "aria-label": "Event type to send an example of" }, types.map((t) => HL.el("option", { value: t.name }, t.name)));
    const sendExample = () => HL.act(null, "Send example", () => HL.api("POST", `${path}/send-example`, { eventType: exampleType.value }), "Example sent: it appears in the messages list");
    HL.show(
      crumbs, HL.el("h1", {}, endpoint.description || endpoint.url),
      HL.el("section", { class: "panel" },
        HL.el("dl", { class: "kv" },
          HL.el("dt", {}, "URL"), HL.el("dd", { class: "mono" }, endpoint.url), HL.el("dt", {}, "Id"), HL.el("dd", { class: "mono" }, endpoint.id),
          HL.el("dt", {}, "Uid"), HL.el("dd", {}, endpoint.uid || "—"),
          HL.el("dt", {}, "State"), HL.el("dd", {}, HL.el("span", { class: "badge " + (endpoint.disabled ? "bad" : "ok"), id: "epState" }, endpoint.disabled ? "disabled" : "enabled"),
            circuit ? HL.el("span", { class: "muted" }, ` circuit ${circuit}`) : null),
          HL.el("dt", {}, "Event types"), HL.el("dd", {}, (endpoint.eventTypes || ["all"]).join(", ")),
          HL.el("dt", {}, "Deliveries"), HL.el("dd", { id: "epStats" }, `${stats.success} succeeded · ${stats.fail} failed · ${stats.pending} pending · ${stats.sending} sending`)),
        HL.el("div", { class: "actions" },
          HL.el("button", { disabled: readOnly, onclick: () => HL.act(`${endpoint.disabled ? "Enable" : "Disable"} this endpoint?`, endpoint.disabled ? "Enable" : "Disable",
            () => HL.api("PATCH", path, { disabled: !endpoint.disabled })).then(HL.refresh) }, endpoint.disabled ? "Enable" : "Disable"),
          HL.el("button", { onclick: async () => { try { showSecret((await HL.api("GET", `${path}/secret`)).key); } catch (e) { HL.notify(e.message, "bad"); } } }, "Reveal secret"),
          HL.el("button", { disabled: readOnly, onclick: async () => { const s = await HL.act("Rotate the signing secret? The old one keeps signing for 24 hours.", "Rotate secret", () => HL.api("POST", `${path}/secret/rotate`, {})); if (s) showSecret(s.key); } }, "Rotate secret"),
          HL.el("button", { class: "danger", disabled: readOnly, onclick: async () => { if (await HL.act("Delete this endpoint? Its pending deliveries are canceled.", "Delete", () => HL.api("DELETE", path))) onDeleted(); } }, "Delete")),
        HL.el("p", {}, "Signing secret: ", secretBox)),
      HL.el("section", { class: "panel" }, HL.el("h2", {}, "Recover and test"),
        HL.el("div", { class: "actions" }, HL.el("label", {}, "Re-send failed messages since", since), HL.el("button", { disabled: readOnly, onclick: recover }, "Recover")), taskBox,
        types.length ? HL.el("div", { class: "actions" }, exampleType, HL.el("button", { disabled: readOnly, id: "sendExample", onclick: sendExample }, "Send example"))
          : HL.el("p", { class: "muted" }, "Examples can be sent once event types are published.")),
      HL.el("section", { class: "panel" }, HL.el("h2", {}, "Recent attempts"), EndpointView.attempts(attempts.data, messageHref)),
      HL.el("section", { class: "panel" }, HL.el("h2", {}, "Settings"), await EndpointView.form({ base, endpoint, readOnly, onSaved: () => HL.refresh() })),
      HL.el("section", { class: "panel" }, HL.el("h2", {}, "Headers"), headersForm));
  },
  attempts(list, messageHref) {
    if (!list.length) return HL.el("p", { class: "muted" }, "No attempts yet.");
    return HL.el("table", {}, HL.el("thead", {}, HL.el("tr", {}, ["Time", "Message", "Status", "HTTP", "Duration", "Reason"].map((h) => HL.el("th", { scope: "col" }, h)))),
      HL.el("tbody", {}, list.map((a) => HL.el("tr", {}, HL.el("td", {}, HL.time(a.timestamp)), HL.el("td", {}, HL.el("a", { href: messageHref(a.msgId), class: "mono" }, a.msgId)),
        HL.el("td", {}, HL.statusBadge(a.status)), HL.el("td", {}, a.responseStatusCode || "—"), HL.el("td", {}, a.responseDurationMs + " ms"),
        HL.el("td", { class: "reason" }, EndpointView.reason(a))))));
  },
  /** Why a failed attempt failed, on one line (as the CLI's REASON): the refusal, network error or timeout when no
   *  response came (HTTP 0), else the start of the receiver's body; empty for a success. */
  reason(a) {
    if (a.status === 0) return "";
    const line = String(a.response || "").split(/\r?\n/)[0];
    return line.length > 80 ? line.slice(0, 79) + "…" : line;
  },
  /** Shows a background task's progress until it finishes (the console only: tasks are operator resources). */
  // The latest known task per endpoint, kept across live re-renders of the page.
  tasks: {},
  drawTask(task, box) {
    box.replaceChildren(HL.el("p", {}, `Recovery ${task.status}: ${task.data.messagesSent} message(s) re-sent`),
      HL.el("div", { class: "progress", role: "progressbar", "aria-label": "Recovery", "aria-valuetext": task.status }, HL.el("i", { style: `width:${task.status === "running" ? 50 : 100}%` })));
  },
  async follow(task, endpointId) {
    for (;;) {
      EndpointView.tasks[endpointId] = task;
      const box = document.getElementById("taskProgress");
      if (box) EndpointView.drawTask(task, box);
      if (task.status !== "running") return;
      await new Promise((resolve) => setTimeout(resolve, 1000));
      task = await HL.api("GET", `/api/v1/background-task/${task.id}`);
    }
  },
};

// The message page, shared by the console and the portal: payload, every endpoint it went to, attempts.
const MessageView = {
  async render({ base, messageId, crumbs, endpointHref, readOnly, canExpunge }) {
    const [message, attempts, endpoints] = await Promise.all([
      HL.api("GET", `${base}/msg/${encodeURIComponent(messageId)}`), HL.api("GET", `${base}/attempt/msg/${encodeURIComponent(messageId)}?limit=250`),
      HL.api("GET", `${base}/endpoint?limit=250`)]);
    const names = Object.fromEntries(endpoints.data.map((ep) => [ep.id, ep]));
    const byEndpoint = {};
    for (const attempt of attempts.data) (byEndpoint[attempt.endpointId] = byEndpoint[attempt.endpointId] || []).push(attempt);
    try {
      // Svix's "destinations of a message", when the server has it: endpoints still without an attempt show too.
      for (const destination of (await HL.api("GET", `${base}/msg/${message.id}/endpoint?limit=250`)).data || []) byEndpoint[destination.id] = byEndpoint[destination.id] || [];
    } catch (_) { /* older servers: endpoints with attempts only */ }
    const sections = Object.entries(byEndpoint).map(([endpointId, list]) => {
      const endpoint = names[endpointId];
      const latest = list[0];
      return HL.el("section", { class: "panel", "data-endpoint": endpointId },
        HL.el("h2", {}, HL.el("a", { href: endpointHref(endpointId) }, endpoint ? endpoint.description || endpoint.url : endpointId), " ",
          latest ? HL.statusBadge(latest.status) : HL.el("span", { class: "badge warn" }, "pending")),
        HL.el("div", { class: "actions" },
          HL.el("button", { class: "resend", disabled: readOnly, onclick: () => HL.act("Resend this message to this endpoint now?", "Resend",
            () => HL.api("POST", `${base}/msg/${message.id}/endpoint/${endpointId}/resend`), "Resend queued: the result appears here as it happens") }, "Resend"),
          endpoint ? HL.el("span", { class: "muted mono" }, endpoint.url) : null),
        list.map((a) => HL.el("div", { class: "attempt", "data-attempt": a.id },
          HL.el("div", {}, HL.statusBadge(a.status), ` HTTP ${a.responseStatusCode || "—"} · ${a.responseDurationMs} ms · ${HL.time(a.timestamp)} · `,
            HL.el("span", { class: "muted" }, ["scheduled", "manual"][a.triggerType] || "trigger " + a.triggerType)),
          HL.el("details", {}, HL.el("summary", {}, "Request headers (signature redacted)"), HL.el("pre", {}, [
            `POST ${a.url}`, "content-type: application/json", `webhook-id: ${message.id}`,
            `webhook-timestamp: ${Math.floor(Date.parse(a.timestamp) / 1000)} (time of this attempt)`, "webhook-signature: v1,•••• (redacted)",
            ...Object.entries((endpoint && endpoint.headers) || {}).map(([k, v]) => `${k}: ${v}`)].join("\n"))),
          HL.el("h3", {}, a.responseStatusCode ? "Response body" : "Reason (no HTTP response)"), HL.el("pre", { class: "response" }, a.response || "(empty)"))));
    });
    HL.show(crumbs, HL.el("h1", {}, message.eventType, " ", HL.el("span", { class: "muted mono" }, message.id)),
      HL.el("section", { class: "panel" }, HL.el("dl", { class: "kv" },
        HL.el("dt", {}, "Event id"), HL.el("dd", {}, message.eventId || "—"), HL.el("dt", {}, "Channels"), HL.el("dd", {}, (message.channels || []).join(", ") || "—"),
        HL.el("dt", {}, "Created"), HL.el("dd", {}, HL.time(message.timestamp))),
        HL.el("h2", {}, "Payload"), HL.el("pre", { id: "payload" }, message.payload === undefined || message.payload === null ? "(expunged)" : HL.pretty(message.payload)),
        canExpunge ? HL.el("div", { class: "actions" }, HL.el("button", { class: "danger", onclick: () => HL.act(
          "Expunge this message's payload? It cannot be recovered; attempts and their metadata stay.", "Expunge content",
          () => HL.api("DELETE", `${base}/msg/${message.id}/content`)).then(HL.refresh) }, "Expunge content")) : null),
      sections.length ? sections : HL.el("p", { class: "panel muted" }, "No endpoint has been attempted for this message yet."));
  },
};
