/**
 * The dashboard page: one HTML file, one style sheet, one script, no build
 * step and no framework. The script listens to `/__emulator/ui/events`
 * (server-sent events: the whole model on every change) and redraws the
 * tables; the actions call the control API. Every element a test or a
 * person may look for has a stable id or `data-` attribute (docs/emulator.md
 * lists them).
 * @module
 */

/** The page (`GET /__emulator/ui`). */
export const DASHBOARD_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>RingCentral emulator</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/__emulator/ui/app.css">
<script src="/__emulator/ui/app.js" defer></script>
</head>
<body>
<header id="top">
  <h1>RingCentral emulator <span id="company"></span></h1>
  <div>emulated time <strong id="clock" data-now="">…</strong> <span id="clock-offset"></span></div>
  <div id="live" data-state="connecting">connecting…</div>
</header>
<main>
<section id="actions">
  <h2>Actions</h2>
  <form id="advance-form">
    <label>Advance the clock by <input id="advance-seconds" type="number" min="0" step="1" value="60"> s</label>
    <button id="advance-clock" type="submit">Advance clock</button>
  </form>
  <form id="inbound-sms">
    <label>SMS from <input id="inbound-sms-from" value="+14155550123" size="14"></label>
    <label>to <select id="inbound-sms-to"></select></label>
    <label>text <input id="inbound-sms-text" value="Hello from the dashboard" size="28"></label>
    <button id="inbound-sms-send" type="submit">Send inbound SMS</button>
  </form>
  <form id="inbound-fax">
    <label>Fax from <input id="inbound-fax-from" value="+14155550123" size="14"></label>
    <label>pages <input id="inbound-fax-pages" type="number" min="1" max="100" step="1" value="2"></label>
    <button id="inbound-fax-send" type="submit">Send inbound fax</button>
  </form>
  <form id="inbound-call" data-available="false">
    <label>Call from <input id="inbound-call-from" value="+14155550123" size="14"></label>
    <label>to <select id="inbound-call-to"></select></label>
    <button id="inbound-call-send" type="submit" disabled>Ring</button>
    <span id="inbound-call-unavailable">This emulator cannot inject calls (it has no POST /__emulator/inbound-call).</span>
  </form>
  <form id="fault-form">
    <label>Fault on <input id="fault-path" value="/restapi/v1.0/account/~/extension/~/sms" size="40"></label>
    <label>method <select id="fault-method">
      <option value="">any</option><option>GET</option><option selected>POST</option><option>PUT</option>
      <option>PATCH</option><option>DELETE</option>
    </select></label>
    <label>status <input id="fault-status" type="number" min="100" max="599" value="503"></label>
    <label>times <input id="fault-times" type="number" min="1" value="1"></label>
    <button id="fault-queue" type="submit">Queue fault</button>
  </form>
  <p>
    <a id="download-world" href="/__emulator/world" download>Download the world</a>
    <button id="save-world" type="button" hidden>Save the world</button>
  </p>
  <p id="action-result" role="status" data-ok=""></p>
</section>
<section id="messages">
  <h2>Messages <span class="count"></span></h2>
  <table><thead><tr><th>id</th><th>created</th><th>owner</th><th>direction</th><th>from</th><th>to</th><th>text</th>
  <th>status</th></tr></thead><tbody></tbody></table>
</section>
<section id="calls" hidden>
  <h2>Calls <span class="count"></span></h2>
  <table><thead><tr><th>session</th><th>created</th><th>origin</th><th>from</th><th>to</th><th>parties</th>
  <th>status</th></tr></thead><tbody></tbody></table>
</section>
<section id="subscriptions">
  <h2>Subscriptions</h2>
  <table><thead><tr><th>id</th><th>owner</th><th>transport</th><th>filters</th><th>failures</th><th>expires in</th>
  <th>status</th></tr></thead><tbody></tbody></table>
</section>
<section id="deliveries">
  <h2>Event deliveries</h2>
  <table><thead><tr><th>time</th><th>subscription</th><th>event</th><th>try</th><th>result</th></tr></thead>
  <tbody></tbody></table>
</section>
<section id="sessions">
  <h2>OAuth sessions</h2>
  <table><thead><tr><th>session</th><th>who</th><th>started</th><th>last rotated</th><th>rotations</th>
  <th>access expires</th><th>status</th></tr></thead><tbody></tbody></table>
</section>
<section id="rate-limits">
  <h2>Rate limits</h2>
  <p id="rate-limits-off" hidden>Rate limits are off: no request is limited (start the emulator with
  <code>--rate-limits on</code> to have them).</p>
  <table><thead><tr><th>who</th><th>group</th><th>budget</th><th>left</th><th>penalty</th></tr></thead>
  <tbody></tbody></table>
</section>
<section id="faults">
  <h2>Queued faults <button id="faults-clear" type="button">Clear</button></h2>
  <table><thead><tr><th>#</th><th>method</th><th>path</th><th>status</th><th>delay</th><th>drop</th><th>times</th>
  </tr></thead><tbody></tbody></table>
</section>
<section id="clients">
  <h2>Clients</h2>
  <table><thead><tr><th>who</th><th>requests</th><th>failed</th><th>last</th></tr></thead><tbody></tbody></table>
</section>
<section id="requests">
  <h2>Requests</h2>
  <table><thead><tr><th>time</th><th>who</th><th>method</th><th>path</th><th>status</th><th>ms</th><th>rate</th>
  </tr></thead><tbody></tbody></table>
</section>
<section id="activity">
  <h2>Activity</h2>
  <ul id="activity-list"></ul>
</section>
<section id="state">
  <h2>The rest of the state</h2>
  <table id="stats"><tbody></tbody></table>
  <div id="collections"></div>
</section>
</main>
</body>
</html>
`;

/** The style sheet (`GET /__emulator/ui/app.css`): readable on a projector. */
export const DASHBOARD_CSS = `
:root { font-family: system-ui, sans-serif; font-size: 15px; color: #1b1b1b; background: #f6f7f9; }
header { display: flex; gap: 2em; align-items: baseline; flex-wrap: wrap; padding: .5em 1em; background: #0a4b8f;
  color: white; position: sticky; top: 0; z-index: 1; }
header h1 { font-size: 1.3em; margin: 0; }
#live[data-state="open"]::before { content: "● "; color: #7ee08a; }
#live[data-state="closed"]::before, #live[data-state="connecting"]::before { content: "● "; color: #f0a0a0; }
main { display: grid; grid-template-columns: repeat(auto-fit, minmax(34em, 1fr)); gap: 1em; padding: 1em; }
section { background: white; border-radius: 6px; padding: .5em 1em 1em; box-shadow: 0 1px 3px #0002; overflow: auto;
  max-height: 32em; }
section#actions { grid-column: 1 / -1; max-height: none; }
section#messages, section#calls, section#requests, section#activity { grid-column: 1 / -1; }
h2 { font-size: 1.05em; margin: .4em 0; }
form { margin: .4em 0; display: flex; gap: .6em; flex-wrap: wrap; align-items: center; }
table { border-collapse: collapse; width: 100%; font-size: .92em; }
th, td { text-align: left; padding: .15em .5em; border-bottom: 1px solid #eee; vertical-align: top; }
td.text { min-width: 12em; overflow-wrap: anywhere; }
.status { font-weight: 600; }
[data-status="Queued"] .status, [data-status="Proceeding"] .status, [data-status="Setup"] .status { color: #a66b00; }
[data-status="Sent"] .status, [data-status="Hold"] .status { color: #0a58a8; }
[data-status="Delivered"] .status, [data-status="Received"] .status, [data-status="Active"] .status,
[data-status="Answered"] .status { color: #1d7a2c; }
[data-status="SendingFailed"] .status, [data-status="Blacklisted"] .status, [data-status="Revoked"] .status,
[data-status="Expired"] .status { color: #b3261e; }
tr.changed { animation: flash 1.2s ease-out; }
@keyframes flash { from { background: #fff3b0; } to { background: transparent; } }
[data-ok="false"] { color: #b3261e; }
[data-ok="true"] { color: #1d7a2c; }
#inbound-call[data-available="true"] #inbound-call-unavailable { display: none; }
#inbound-call[data-available="false"] { opacity: .6; }
#activity-list { margin: 0; padding-left: 1.5em; font-size: .92em; }
#activity-list li[data-kind="token"] { color: #6a3aa0; }
#activity-list li[data-kind="delivery"] { color: #0a58a8; }
#activity-list li[data-kind="status"] { color: #1d7a2c; }
#stats { margin: 0 0 1em; width: auto; }
#stats th { font-weight: 600; }
meter { width: 8em; }
`;

/** The script (`GET /__emulator/ui/app.js`). */
export const DASHBOARD_SCRIPT = String.raw`"use strict";
(function () {
  // A room's instructor key comes in the address once; it leaves the address bar (a projector shows it) for this tab.
  var key = new URLSearchParams(location.search).get("key") || sessionStorage.getItem("rc-emulator-key");
  if (key) {
    sessionStorage.setItem("rc-emulator-key", key);
    if (location.search) history.replaceState(null, "", location.pathname);
  }
  var C = "/__emulator";
  var local = []; // status changes seen by this page (messages, calls)
  var statuses = {};
  var current = null;

  function withKey(path) {
    return key ? path + (path.indexOf("?") < 0 ? "?" : "&") + "key=" + encodeURIComponent(key) : path;
  }
  function $(id) { return document.getElementById(id); }
  function el(tag, attrs, children) {
    var e = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      if (attrs[k] === undefined || attrs[k] === null) return;
      if (k === "class") e.className = attrs[k];
      else e.setAttribute(k, String(attrs[k]));
    });
    (children || []).forEach(function (c) {
      e.appendChild(c instanceof Node ? c : document.createTextNode(c === undefined || c === null ? "" : String(c)));
    });
    return e;
  }
  function td(value, cls) { return el("td", { class: cls }, [value]); }
  function time(ms) {
    if (!ms) return "";
    var iso = new Date(ms).toISOString();
    var sameDay = current && Math.abs(current.now - ms) < 86400000;
    return sameDay ? iso.slice(11, 19) : iso.slice(5, 10) + " " + iso.slice(11, 16);
  }
  function ago(ms) {
    if (!current || !ms) return "";
    var s = Math.round((ms - current.now) / 1000);
    return s >= 0 ? "in " + s + " s" : -s + " s ago";
  }
  function fill(sectionId, rows) {
    var body = document.querySelector("#" + sectionId + " tbody");
    body.replaceChildren.apply(body, rows);
    var count = document.querySelector("#" + sectionId + " .count");
    if (count) count.textContent = "(" + rows.length + ")";
  }
  function options(select, numbers, wanted) {
    var chosen = select.value;
    select.replaceChildren.apply(select, numbers.filter(wanted).map(function (n) {
      return el("option", { value: n.phoneNumber }, [n.phoneNumber + " · " + n.owner]);
    }));
    if (chosen) select.value = chosen;
  }
  function noteChange(kind, id, was, now, at) {
    var k = kind + ":" + id;
    if (statuses[k] !== undefined && statuses[k] !== now) {
      local.push({ seq: "local-" + local.length, kind: "status", at: at, text: kind + " " + id + ": " + statuses[k] + " → " + now });
      if (local.length > 100) local.shift();
    }
    var changed = statuses[k] !== undefined && statuses[k] !== now;
    statuses[k] = now;
    return changed;
  }

  function render(v) {
    current = v;
    $("company").textContent = "· " + v.company + (v.room ? " · workshop room" : "");
    $("clock").textContent = new Date(v.now).toISOString().replace("T", " ").slice(0, 19) + " UTC";
    $("clock").setAttribute("data-now", String(v.now));
    $("clock-offset").textContent = v.offsetSeconds ? "(" + (v.offsetSeconds > 0 ? "+" : "") + Math.round(v.offsetSeconds) + " s from real time)" : "";
    $("save-world").hidden = !v.saving;
    $("download-world").href = withKey(C + "/world");
    options($("inbound-sms-to"), v.numbers, function (n) { return n.sms; });
    options($("inbound-call-to"), v.numbers, function () { return true; });
    $("inbound-call").setAttribute("data-available", String(v.controls.inboundCall));
    $("inbound-call-send").disabled = !v.controls.inboundCall;

    fill("messages", v.messages.map(function (m) {
      var changed = noteChange("message", m.id, null, m.status, v.now);
      return el("tr", { "data-message-id": m.id, "data-status": m.status, "data-direction": m.direction, class: changed ? "changed" : null }, [
        td(m.id), td(time(m.created)), td(m.owner), td(m.direction), td(m.from), td(m.to), td((m.kind === "SMS" ? "" : "[" + m.kind + (m.pages ? ", " + m.pages + " pages" : "") + (m.attachments ? ", " + m.attachments + " file(s)" : "") + "] ") + m.text, "text"), td(m.status, "status"),
      ]);
    }));
    document.querySelector("#messages .count").textContent = "(" + v.messageCount + ")";

    $("calls").hidden = !v.calls;
    fill("calls", (v.calls || []).map(function (c) {
      var changed = noteChange("call", c.id, null, c.status, v.now);
      var parties = (c.parties || []).map(function (p) { return p.who + ": " + p.status + (p.reason ? " (" + p.reason + ")" : ""); }).join("; ");
      return el("tr", { "data-call-id": c.id, "data-status": c.status, class: changed ? "changed" : null }, [
        td(c.id), td(time(c.created)), td(c.origin), td(c.from), td(c.to), td(parties, "text"), td(c.status, "status"),
      ]);
    }));

    fill("subscriptions", v.subscriptions.map(function (s) {
      return el("tr", { "data-subscription-id": s.id, "data-status": s.status, "data-transport": s.transport }, [
        td(s.id.slice(0, 8)), td(s.owner), td(s.transport + (s.address ? " → " + s.address : "")), td(s.filters.join(" "), "text"),
        td(s.failures), td(s.expiresIn + " s"), td(s.status + (s.reason ? ": " + s.reason : ""), "status"),
      ]);
    }));
    fill("deliveries", v.deliveries.map(function (d) {
      return el("tr", { "data-delivery": d.seq, "data-subscription-id": d.subscriptionId, "data-attempt": d.attempt, "data-ok": d.ok }, [
        td(time(d.at)), td((d.subscriptionId || "").slice(0, 8)), td(d.path), td(d.attempt), td(d.text, "text"),
      ]);
    }));
    fill("sessions", v.sessions.map(function (s) {
      return el("tr", { "data-session-id": s.id, "data-status": s.status, "data-rotations": s.rotations }, [
        td(s.id.slice(0, 8)), td(s.who), td(time(s.created)), td(time(s.rotated)), td(s.rotations), td(ago(s.accessExpires)), td(s.status, "status"),
      ]);
    }));
    $("rate-limits-off").hidden = v.rateLimitsOn;
    fill("rate-limits", v.rateLimits.map(function (r) {
      var meter = el("meter", { min: 0, max: r.limit, value: r.remaining, low: Math.ceil(r.limit / 5), high: Math.ceil(r.limit / 2), optimum: r.limit }, []);
      return el("tr", { "data-rate-key": r.key, "data-group": r.group, "data-remaining": r.remaining, "data-limit": r.limit }, [
        td(r.who), td(r.group), el("td", {}, [meter]), td(r.remaining + " / " + r.limit + " per " + r.windowSeconds + " s"),
        td(r.penaltySeconds ? r.penaltySeconds + " s" : ""),
      ]);
    }));
    fill("faults", v.faults.map(function (f) {
      return el("tr", { "data-fault-index": f.index }, [
        td(f.index), td(f.method || "any"), td(f.path), td(f.status), td(f.delayMs), td(f.drop), td(f.times),
      ]);
    }));
    fill("clients", v.clients.map(function (c) {
      return el("tr", { "data-client": c.client }, [td(c.client), td(c.requests), td(c.failed), td(time(c.last))]);
    }));
    fill("requests", v.requests.map(function (r) {
      return el("tr", { "data-request": r.seq, "data-status": r.status, "data-method": r.method }, [
        td(time(r.at)), td(r.client || ""), td(r.method), td(r.path, "text"), td(r.status), td(r.ms),
        td(r.rate ? r.rate.group + " " + r.rate.remaining + "/" + r.rate.limit : ""),
      ]);
    }));
    var feed = v.activity.concat(local).sort(function (a, b) { return b.at - a.at; }).slice(0, 150);
    $("activity-list").replaceChildren.apply($("activity-list"), feed.map(function (e) {
      var who = e.client && (e.kind === "request" || e.kind === "control") ? " · " + e.client : "";
      return el("li", { "data-kind": e.kind, "data-seq": e.seq }, [time(e.at) + " " + e.text + who]);
    }));
    var stats = document.querySelector("#stats tbody");
    stats.replaceChildren.apply(stats, Object.keys(v.stats).map(function (k) {
      var value = v.stats[k];
      return el("tr", {}, [el("th", {}, [k]), el("td", { "data-stat": k }, [typeof value === "object" ? JSON.stringify(value) : value])]);
    }));
    $("collections").replaceChildren.apply($("collections"), v.collections.map(function (c) {
      var head = el("tr", {}, c.columns.map(function (h) { return el("th", {}, [h]); }));
      var rows = c.rows.map(function (r) { return el("tr", {}, r.map(function (x) { return td(x); })); });
      return el("details", { "data-collection": c.name }, [
        el("summary", {}, [c.name + " (" + c.count + ")"]), el("table", {}, [el("thead", {}, [head]), el("tbody", {}, rows)]),
      ]);
    }));
  }

  function say(ok, text) {
    $("action-result").textContent = text;
    $("action-result").setAttribute("data-ok", String(ok));
  }
  function call(method, path, body) {
    var headers = { "Content-Type": "application/json" };
    if (key) headers["X-Emulator-Key"] = key;
    return fetch(C + path, { method: method, headers: headers, body: body === undefined ? undefined : JSON.stringify(body) })
      .then(function (r) {
        return r.text().then(function (t) {
          var data = {};
          try { data = t ? JSON.parse(t) : {}; } catch (e) { data = { message: t }; }
          if (!r.ok) throw new Error(r.status + " " + (data.message || data.errorCode || ""));
          return data;
        });
      });
  }
  function action(form, run) {
    $(form).addEventListener("submit", function (event) {
      event.preventDefault();
      run().then(function (text) { say(true, text); }, function (e) { say(false, e.message); });
    });
  }
  action("advance-form", function () {
    var text = $("advance-seconds").value.trim();
    var s = Number(text);
    if (!text || !Number.isFinite(s) || s <= 0) {
      return Promise.reject(new Error("Give a number of seconds to advance the clock by, such as 60."));
    }
    return call("POST", "/clock", { advanceSeconds: s }).then(function () { return "The clock moved " + s + " s."; });
  });
  action("inbound-sms", function () {
    return call("POST", "/inbound-sms", { from: $("inbound-sms-from").value, to: $("inbound-sms-to").value || undefined, text: $("inbound-sms-text").value })
      .then(function (r) { return "Inbound SMS " + r.id + " arrived at " + r.to + "."; });
  });
  action("inbound-fax", function () {
    return call("POST", "/inbound-fax", { from: $("inbound-fax-from").value, pages: Number($("inbound-fax-pages").value) })
      .then(function (r) { return "Inbound fax " + r.id + " (" + r.faxPageCount + " pages) arrived at " + r.to + "."; });
  });
  action("inbound-call", function () {
    return call("POST", "/inbound-call", { from: $("inbound-call-from").value, to: $("inbound-call-to").value || undefined })
      .then(function (r) { return "A call rings: " + (r.telephonySessionId || "") + "."; });
  });
  action("fault-form", function () {
    var fault = { path: $("fault-path").value, status: Number($("fault-status").value), times: Number($("fault-times").value) };
    if ($("fault-method").value) fault.method = $("fault-method").value;
    return call("POST", "/faults", fault).then(function (r) { return r.queued + " fault queued."; });
  });
  $("faults-clear").addEventListener("click", function () {
    call("DELETE", "/faults").then(function () { say(true, "Faults cleared."); }, function (e) { say(false, e.message); });
  });
  $("save-world").addEventListener("click", function () {
    call("POST", "/save").then(function (r) { say(true, "Saved in " + r.saved + "."); }, function (e) { say(false, e.message); });
  });

  function connect() {
    var source = new EventSource(withKey(C + "/ui/events"));
    source.addEventListener("view", function (event) {
      $("live").setAttribute("data-state", "open");
      $("live").textContent = "live";
      render(JSON.parse(event.data));
    });
    source.addEventListener("error", function () {
      $("live").setAttribute("data-state", "closed");
      $("live").textContent = "reconnecting…";
    });
  }
  connect();
})();
`;
