import { equal, match, notEqual, ok, rejects } from "node:assert/strict";
import { ApiError, type EventNotification, RingCentral, RingCentralError } from "../mod.ts";
import { advance, type Served, serveEmulator } from "./_helpers.ts";

const INSTANT = "/restapi/v1.0/account/~/extension/~/message-store/instant?type=SMS";

/** Events collected by an `onEvent` callback, awaitable by count. */
function collector() {
  const events: EventNotification[] = [];
  return {
    events,
    onEvent: (e: EventNotification) => void events.push(e),
    async until(n: number) {
      for (let i = 0; events.length < n; i++) {
        if (i > 100) throw new Error(`only ${events.length} of ${n} events arrived`);
        await new Promise((r) => setTimeout(r, 50));
      }
    },
  };
}

/** A subscription to instant SMS on `s` that collects its events and notes its reconnections. */
async function watched(s: Served) {
  const rc = new RingCentral(s.credentials);
  const got = collector();
  const reconnects: { resubscribed: boolean }[] = [];
  const sub = await rc.subscribe([INSTANT], got.onEvent, { onReconnect: (r) => reconnects.push(r) });
  return {
    rc,
    got,
    sub,
    /** The first reconnection, waiting up to 2 s for it. */
    async reconnected() {
      for (let i = 0; i < 100 && !reconnects.length; i++) await new Promise((r) => setTimeout(r, 20));
      return reconnects[0];
    },
    [Symbol.asyncDispose]: () => sub.close(),
  };
}

async function inboundSms(rc: RingCentral, text: string) {
  const body = { from: "+14155550123", text };
  return (await (await rc.request("POST", "/__emulator/inbound-sms", { body })).json()).id;
}

Deno.test("rc.subscribe: an inbound SMS arrives as an event; close() deletes the subscription", async () => {
  await using s = serveEmulator({ rateLimits: false });
  const rc = new RingCentral(s.credentials);
  const got = collector();
  const sub = await rc.subscribe([INSTANT], got.onEvent);
  match(sub.id, /^[0-9a-f-]{36}$/);
  const id = await inboundSms(rc, "hello, live");
  await got.until(1);
  const [event] = got.events;
  equal(event.subscriptionId, sub.id);
  equal(String(event.body.id), String(id));
  equal(event.body.subject, "hello, live");
  match(event.event, /\/message-store\/instant\?type=SMS$/);
  await sub.close();
  const left = await (await rc.get("/restapi/v1.0/subscription")).json();
  equal(left.records.length, 0, "close() deleted the subscription");
});

Deno.test("rc.subscribe: iterate over the events; an AbortSignal ends the iteration", async () => {
  await using s = serveEmulator({ rateLimits: false });
  const rc = new RingCentral(s.credentials);
  const controller = new AbortController();
  const sub = await rc.subscribe([INSTANT], undefined, { signal: controller.signal });
  await inboundSms(rc, "one");
  await inboundSms(rc, "two");
  const texts: unknown[] = [];
  for await (const event of sub) {
    texts.push(event.body.subject);
    if (texts.length === 2) controller.abort();
  }
  equal(texts.join(), "one,two");
});

Deno.test("rc.subscribe: a dropped socket is recovered, events missed meanwhile arrive", async () => {
  await using s = serveEmulator({ rateLimits: false });
  await using w = await watched(s);
  const { rc, got, sub } = w;
  const before = sub.id;
  const dropped = await (await fetch(`${s.url}/__emulator/drop-sockets`, { method: "POST" })).json();
  equal(dropped.dropped, 1);
  await inboundSms(rc, "while away");
  await got.until(1);
  equal(got.events[0].body.subject, "while away");
  equal((await w.reconnected())?.resubscribed, false);
  equal(sub.id, before);
});

Deno.test("rc.subscribe: when recovery fails, it subscribes again", async () => {
  await using s = serveEmulator({ rateLimits: false });
  await using w = await watched(s);
  const { rc, got, sub } = w;
  const before = sub.id;
  await fetch(`${s.url}/__emulator/drop-sockets`, { method: "POST", body: '{"recoverable": false}' })
    .then((r) => r.body?.cancel());
  equal((await w.reconnected())?.resubscribed, true);
  notEqual(sub.id, before);
  await inboundSms(rc, "after resubscribing");
  await got.until(1);
  equal(got.events[0].subscriptionId, sub.id);
  const list = await (await rc.get("/restapi/v1.0/subscription")).json();
  equal(list.records.length, 1, "the old subscription is gone, the new one is there");
});

Deno.test("rc.subscribe: clear errors for a rejected filter and an unreachable socket", async () => {
  await using s = serveEmulator({ rateLimits: false });
  const rc = new RingCentral(s.credentials);
  await rejects(rc.subscribe(["/restapi/v1.0/account/~/presence"]), (e) => {
    ok(e instanceof ApiError);
    equal(e.status, 400);
    equal(e.errorCode, "CMN-101");
    match(e.message, /POST \/restapi\/v1\.0\/subscription failed: 400 CMN-101 Event filter .* is not supported/);
    return true;
  });
  class Elsewhere extends WebSocket {
    constructor(url: string | URL) {
      super(String(url).replace(/:\d+\//, ":1/"));
    }
  }
  await rejects(rc.subscribe([INSTANT], undefined, { WebSocket: Elsewhere }), (e) => {
    ok(e instanceof RingCentralError);
    match(e.message, /Could not open the WebSocket to ws:\/\/127\.0\.0\.1:\d+\/ws/);
    ok(!e.message.includes("access_token=") && !e.message.includes("ws-"), e.message);
    return true;
  });
  await rejects(rc.subscribe([]), /takes a list of event filters/);
});

Deno.test("rc.subscribe on the in-process emulator (as RingCentral.fromEnv() gives with no credentials)", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const rc = await RingCentral.fromEnv({ dir, env: {}, onNotice: () => {} });
    equal(rc.target, "emulator");
    const got = collector();
    const sub = await rc.subscribe([INSTANT], got.onEvent);
    await inboundSms(rc, "in process");
    await got.until(1);
    equal(got.events[0].body.subject, "in process");
    await sub.close();
    equal((await (await rc.get("/restapi/v1.0/subscription")).json()).records.length, 0);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("rc.subscribe: after the gateway's idle timeout (emulated clock), it reconnects and recovers", async () => {
  await using s = serveEmulator({ rateLimits: false, accessTtl: 7200 });
  await using w = await watched(s);
  const { rc, got, sub } = w;
  const before = sub.id;
  await advance(s.url, 1801);
  equal((await w.reconnected())?.resubscribed, false, "the session was recovered");
  equal(sub.id, before);
  await inboundSms(rc, "after the idle timeout");
  await got.until(1);
  equal(got.events[0].body.subject, "after the idle timeout");
});

Deno.test("rc.subscribe: an SMS sent to your own number arrives as an inbound event", async () => {
  await using s = serveEmulator({ rateLimits: false });
  const rc = new RingCentral(s.credentials);
  const got = collector();
  await using _sub = await rc.subscribe([INSTANT], got.onEvent);
  const sent = await (await rc.post("/restapi/v1.0/account/~/extension/~/sms", {
    from: { phoneNumber: "+16505550101" },
    to: [{ phoneNumber: "+16505550101" }],
    text: "note to self",
  })).json();
  equal(sent.direction, "Outbound");
  await got.until(1);
  const inbound = got.events[0].body as { direction: string; subject: string; from: { phoneNumber: string } };
  equal(inbound.direction, "Inbound");
  equal(inbound.subject, "note to self");
  equal(inbound.from.phoneNumber, "+16505550101");
  const store = await (await rc.get("/restapi/v1.0/account/~/extension/~/message-store", { direction: "Inbound" }))
    .json();
  ok(store.records.some((m) => m.subject === "note to self"));
});

Deno.test("rc.subscribe: an app without the WebSocket permission (SUB-528) is told how to fix it", async () => {
  await using s = serveEmulator({ rateLimits: false, webSocketPermission: false });
  const rc = new RingCentral(s.credentials);
  await rejects(rc.subscribe([INSTANT]), (e) => {
    ok(e instanceof ApiError);
    equal(e.errorCode, "SUB-528");
    match(e.message, /POST \/restapi\/oauth\/wstoken failed: 403 SUB-528/);
    match(e.message, /add it to the app in the RingCentral Developer Console/);
    return true;
  });
});

Deno.test("rc.subscribe: sends heartbeats, which the gateway answers", async () => {
  await using s = serveEmulator({ rateLimits: false });
  const rc = new RingCentral(s.credentials);
  let sent = 0;
  let answered = 0;
  class Watched extends WebSocket {
    constructor(url: string | URL) {
      super(url);
      this.addEventListener("message", (e) => {
        if (JSON.parse(e.data)[0].type === "Heartbeat") answered++;
      });
    }
    override send(data: string) {
      if (JSON.parse(data)[0].type === "Heartbeat") sent++;
      super.send(data);
    }
  }
  await using _sub = await rc.subscribe([INSTANT], () => {}, { heartbeatSeconds: 0.05, WebSocket: Watched });
  for (let i = 0; i < 100 && answered < 3; i++) await new Promise((r) => setTimeout(r, 20));
  ok(sent >= 3, `${sent} heartbeats sent`);
  ok(answered >= 3, `${answered} answered`);
});

Deno.test("rc.subscribe: subscriptions started close together share one ws_access_token (the Auth group allows 5 a minute)", async () => {
  await using s = serveEmulator({ rateLimits: false });
  let t = Date.now();
  const asked: string[] = [];
  const rc = new RingCentral({
    ...s.credentials,
    now: () => t,
    fetch: (input, init) => {
      const url = new URL(input instanceof Request ? input.url : String(input));
      if (url.pathname === "/restapi/oauth/wstoken") asked.push(url.pathname);
      return fetch(input, init);
    },
  });
  const a = collector();
  const b = collector();
  await using first = await rc.subscribe([INSTANT], a.onEvent);
  await using second = await rc.subscribe([INSTANT], b.onEvent);
  equal(asked.length, 1, "one token for both");
  notEqual(first.id, second.id);
  await inboundSms(rc, "to both");
  await a.until(1);
  await b.until(1);
  // Past most of the token's life (60 s), a new subscription asks for a token of its own.
  t += 50_000;
  await using third = await rc.subscribe([INSTANT]);
  equal(asked.length, 2);
  ok(third.id);
});
