import { deepEqual, equal, match, ok } from "node:assert/strict";
import { advance, authedGet as get, login, serveEmulator } from "../_helpers.ts";

const SUB = "/restapi/v1.0/subscription";
const STORE = "/restapi/v1.0/account/~/extension/~/message-store";

/** A webhook receiver on 127.0.0.1: answers the handshake, collects notifications. */
function webhook({ echo = true, status = 200 } = {}) {
  const received: Record<string, unknown>[] = [];
  const headers: Headers[] = [];
  const waiters: (() => void)[] = [];
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, async (req) => {
    const token = req.headers.get("validation-token");
    if (token) return new Response(null, { headers: echo ? { "Validation-Token": token } : {} });
    headers.push(req.headers);
    received.push(await req.json());
    waiters.splice(0).forEach((w) => w());
    return new Response(null, { status });
  });
  return {
    address: `http://127.0.0.1:${server.addr.port}/hook`,
    received,
    headers,
    /** Resolves once `n` notifications have arrived (or rejects after 5 s). */
    async until(n: number) {
      const deadline = Date.now() + 5000;
      while (received.length < n) {
        if (Date.now() > deadline) throw new Error(`only ${received.length} of ${n} notifications arrived`);
        await new Promise<void>((resolve) => {
          const t = setTimeout(resolve, 100);
          waiters.push(() => (clearTimeout(t), resolve()));
        });
      }
    },
    [Symbol.asyncDispose]: () => server.shutdown(),
  };
}

async function call(url: string, token: string, method: string, path: string, body?: unknown) {
  const r = await fetch(`${url}${path}`, {
    method,
    headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await r.text();
  return { status: r.status, body: text ? JSON.parse(text) : undefined };
}

Deno.test("emulator subscriptions: a webhook hears of inbound and sent SMS", async (t) => {
  await using s = serveEmulator({ rateLimits: false });
  await using hook = webhook();
  const token = await login(s.url, s.credentials.jwt);
  const created = await call(s.url, token, "POST", SUB, {
    eventFilters: [`${STORE}/instant?type=SMS`, `${STORE}?type=SMS`],
    deliveryMode: { transportType: "WebHook", address: hook.address },
    expiresIn: 3600,
  });
  equal(created.status, 200, JSON.stringify(created.body));
  const sub = created.body;
  equal(sub.status, "Active");
  equal(sub.deliveryMode.address, hook.address);
  match(sub.eventFilters[0], /^\/restapi\/v1\.0\/account\/\d+\/extension\/\d+\/message-store\/instant\?type=SMS$/);
  ok(sub.expiresIn > 3590 && sub.expiresIn <= 3600);

  await t.step("an inbound SMS gives a store change and the instant message", async () => {
    const r = await fetch(`${s.url}/__emulator/inbound-sms`, {
      method: "POST",
      headers: { Authorization: `Bearer ${token}` },
      body: JSON.stringify({ from: "+14155550123", text: "ping" }),
    });
    const { id } = await r.json();
    await hook.until(2);
    const instant = hook.received.find((n) => String(n.event).includes("/instant"))!;
    const change = hook.received.find((n) => !String(n.event).includes("/instant"))!;
    equal(instant.subscriptionId, sub.id);
    const message = instant.body as { id: string; subject: string; from: { phoneNumber: string } };
    equal(String(message.id), String(id));
    equal(message.subject, "ping");
    equal(message.from.phoneNumber, "+14155550123");
    const changes = (change.body as { changes: { newMessageIds: number[] }[] }).changes;
    equal(String(changes[0].newMessageIds[0]), String(id));
  });

  await t.step("a sent SMS changes the store, with no instant event", async () => {
    const me = await get(s.url, token, "/restapi/v1.0/account/~/extension/~/phone-number");
    const from = me.body.records.find((n: { features?: string[] }) => n.features?.includes("SmsSender")).phoneNumber;
    const sent = await call(s.url, token, "POST", "/restapi/v1.0/account/~/extension/~/sms", {
      from: { phoneNumber: from },
      to: [{ phoneNumber: "+14155550199" }],
      text: "pong",
    });
    equal(sent.status, 200, JSON.stringify(sent.body));
    await hook.until(3);
    const last = hook.received[2];
    ok(!String(last.event).includes("/instant"));
    equal(
      String((last.body as { changes: { newMessageIds: number[] }[] }).changes[0].newMessageIds[0]),
      String(sent.body.id),
    );
  });

  await t.step("list, read, update, renew and delete", async () => {
    const list = await call(s.url, token, "GET", SUB);
    equal(list.body.records.length, 1);
    equal((await call(s.url, token, "GET", `${SUB}/${sub.id}`)).body.id, sub.id);
    const narrowed = await call(s.url, token, "PUT", `${SUB}/${sub.id}`, { eventFilters: [`${STORE}?type=SMS`] });
    equal(narrowed.body.eventFilters.length, 1);
    const renewed = await call(s.url, token, "POST", `${SUB}/${sub.id}/renew`);
    ok(renewed.body.expiresIn > 3600);
    equal((await call(s.url, token, "DELETE", `${SUB}/${sub.id}`)).status, 204);
    const gone = await call(s.url, token, "GET", `${SUB}/${sub.id}`);
    equal(gone.status, 404);
  });
});

Deno.test("emulator subscriptions: bad requests are explained", async () => {
  await using s = serveEmulator({ rateLimits: false });
  await using silent = webhook({ echo: false });
  const token = await login(s.url, s.credentials.jwt);
  const cases: [unknown, RegExp][] = [
    [{ deliveryMode: { transportType: "WebHook", address: silent.address } }, /eventFilters must be a non-empty list/],
    [{
      eventFilters: ["/restapi/v1.0/account/~/presence"],
      deliveryMode: { transportType: "WebHook", address: silent.address },
    }, /Event filter \[\/restapi\/v1\.0\/account\/~\/presence\] is not supported/],
    [
      { eventFilters: [STORE], deliveryMode: { transportType: "PubNub" } },
      /"WebHook" \(with an address\) or "WebSocket"/,
    ],
    [{
      eventFilters: [STORE],
      deliveryMode: { transportType: "WebHook", address: "https://example.com/hook" },
    }, /only to loopback addresses/],
    [{
      eventFilters: [STORE],
      deliveryMode: { transportType: "WebHook", address: silent.address },
    }, /WebHook server response is invalid: .* echoing the request's Validation-Token header/],
  ];
  for (const [body, message] of cases) {
    const r = await call(s.url, token, "POST", SUB, body);
    equal(r.status, 400, JSON.stringify(body));
    match(r.body.message, message);
    equal(r.body.errors[0].errorCode, message === cases.at(-1)![1] ? "SUB-525" : "CMN-101");
  }
  equal((await call(s.url, token, "GET", SUB)).body.records.length, 0, "no failed request left a subscription");
});

/**
 * Moves the emulator's clock on a second at a time (a failed delivery is tried again after 0.5 s and 1 s of
 * it) until `done` holds; at most 30 steps.
 */
async function driveClock(url: string, done: () => boolean | Promise<boolean>) {
  for (let i = 0; i < 30 && !(await done()); i++) {
    await advance(url, 1);
    await new Promise((r) => setTimeout(r, 20)); // the delivery's own loopback round trip
  }
}

Deno.test("emulator subscriptions: an address that keeps failing is blacklisted", async () => {
  const held = Date.now();
  await using s = serveEmulator({ rateLimits: false, now: () => held }); // retries wait for the emulated clock
  await using hook = webhook({ status: 500 });
  const token = await login(s.url, s.credentials.jwt);
  const sub = (await call(s.url, token, "POST", SUB, {
    eventFilters: [`${STORE}/instant?type=SMS`],
    deliveryMode: { transportType: "WebHook", address: hook.address },
  })).body;
  for (let i = 1; i <= 3; i++) {
    await fetch(`${s.url}/__emulator/inbound-sms`, {
      method: "POST",
      headers: { Authorization: `Bearer ${token}` },
      body: JSON.stringify({ from: "+14155550123", text: `try ${i}` }),
    }).then((r) => r.body?.cancel());
  }
  // Each delivery is tried three times (now, after 0.5 s, after 1 s more, of emulated time); the third
  // failed one blacklists. On a held clock the first try of the first delivery is all that happens.
  await hook.until(1);
  equal(hook.received.length, 1, "no retry before the clock moves");
  let read = await call(s.url, token, "GET", `${SUB}/${sub.id}`);
  await driveClock(s.url, async () => {
    read = await call(s.url, token, "GET", `${SUB}/${sub.id}`);
    return read.body.status === "Blacklisted";
  });
  equal(hook.received.length, 9);
  equal(read.body.status, "Blacklisted");
  match(read.body.blacklistedData.reason, /3 deliveries in a row failed, each tried 3 times \(last: HTTP 500\)/);
  await fetch(`${s.url}/__emulator/inbound-sms`, {
    method: "POST",
    headers: { Authorization: `Bearer ${token}` },
    body: JSON.stringify({ from: "+14155550123", text: "after" }),
  }).then((r) => r.body?.cancel());
  await new Promise((r) => setTimeout(r, 200));
  equal(hook.received.length, 9, "a blacklisted subscription gets nothing more");
});

Deno.test("emulator subscriptions: an expired subscription is gone and delivers nothing", async () => {
  await using s = serveEmulator({ rateLimits: false, accessTtl: 3600 });
  await using hook = webhook();
  const token = await login(s.url, s.credentials.jwt);
  const sub = (await call(s.url, token, "POST", SUB, {
    eventFilters: [`${STORE}/instant?type=SMS`],
    deliveryMode: { transportType: "WebHook", address: hook.address },
    expiresIn: 60,
  })).body;
  equal(sub.expiresIn, 60);
  await advance(s.url, 61);
  await fetch(`${s.url}/__emulator/inbound-sms`, {
    method: "POST",
    headers: { Authorization: `Bearer ${token}` },
    body: JSON.stringify({ from: "+14155550123", text: "too late" }),
  }).then((r) => r.body?.cancel());
  equal((await call(s.url, token, "POST", `${SUB}/${sub.id}/renew`)).status, 404);
  equal((await call(s.url, token, "GET", SUB)).body.records.length, 0);
  await new Promise((r) => setTimeout(r, 200));
  equal(hook.received.length, 0);
});

Deno.test("emulator subscriptions: POST /__emulator/webhook-failures makes a healthy address fail", async () => {
  const held = Date.now();
  await using s = serveEmulator({ rateLimits: false, now: () => held });
  await using hook = webhook();
  const token = await login(s.url, s.credentials.jwt);
  const sub = (await call(s.url, token, "POST", SUB, {
    eventFilters: [`${STORE}/instant?type=SMS`],
    deliveryMode: { transportType: "WebHook", address: hook.address },
  })).body;
  const fail = async (times: number) => {
    const r = await fetch(`${s.url}/__emulator/webhook-failures`, { method: "POST", body: JSON.stringify({ times }) });
    equal((await r.json()).webhookFailures, times);
  };
  const sms = (text: string) =>
    fetch(`${s.url}/__emulator/inbound-sms`, {
      method: "POST",
      headers: { Authorization: `Bearer ${token}` },
      body: JSON.stringify({ from: "+14155550123", text }),
    }).then((r) => r.body?.cancel());
  const status = async () => (await call(s.url, token, "GET", `${SUB}/${sub.id}`)).body.status;
  await fail(2);
  await sms("retried");
  await driveClock(s.url, () => hook.received.length >= 1); // two attempts failed; the third (after 1.5 s) arrived
  equal((hook.received[0].body as { subject: string }).subject, "retried");
  await fail(3);
  await sms("lost");
  // All three attempts fail: one failed delivery, then the next message goes through.
  await sms("arrives");
  await driveClock(s.url, () => hook.received.length >= 2);
  await hook.until(2);
  equal((hook.received[1].body as { subject: string }).subject, "arrives");
  equal(await status(), "Active", "one failed delivery does not blacklist");
  const bad = await fetch(`${s.url}/__emulator/webhook-failures`, { method: "POST", body: '{"times": -1}' });
  equal(bad.status, 400);
  match((await bad.json()).message, /the next n webhook deliveries fail/);
});

Deno.test("emulator subscriptions: deliveries carry RingCentral's webhook headers and the subscription's Verification-Token", async () => {
  await using s = serveEmulator({ rateLimits: false });
  await using hook = webhook();
  const token = await login(s.url, s.credentials.jwt);
  const bad = await call(s.url, token, "POST", SUB, {
    eventFilters: [`${STORE}/instant?type=SMS`],
    deliveryMode: { transportType: "WebHook", address: hook.address, verificationToken: 42 },
  });
  equal(bad.status, 400);
  match(JSON.stringify(bad.body), /deliveryMode\.verificationToken.*non-empty string/);
  const created = await call(s.url, token, "POST", SUB, {
    eventFilters: [`${STORE}/instant?type=SMS`],
    deliveryMode: { transportType: "WebHook", address: hook.address, verificationToken: "shared-canary-7f3e" },
  });
  equal(created.status, 200, JSON.stringify(created.body));
  ok(!JSON.stringify(created.body).includes("shared-canary-7f3e"), "the token is write-only, as the spec says");
  await fetch(`${s.url}/__emulator/inbound-sms`, {
    method: "POST",
    body: JSON.stringify({ from: "+14155550123", text: "ping" }),
  });
  await hook.until(1);
  const h = hook.headers[0];
  equal(h.get("verification-token"), "shared-canary-7f3e");
  equal(h.get("content-type"), "application/json; charset=UTF-8");
  match(h.get("user-agent") ?? "", /^RingCentral-Webhook\//);
  const view = await (await fetch(`${s.url}/__emulator/world`)).text();
  ok(view.includes("shared-canary-7f3e"), "a saved world keeps the token, so deliveries go on after a restart");
  const page = await (await fetch(`${s.url}/__emulator/ui/state`)).text().catch(() => "");
  ok(!page.includes("shared-canary-7f3e"), "the dashboard never shows it");
});

Deno.test("emulator subscriptions: a message's status changes are message-store events, on the emulated clock", async () => {
  const held = Date.now();
  await using s = serveEmulator({ rateLimits: false, now: () => held });
  await using hook = webhook();
  const token = await login(s.url, s.credentials.jwt);
  const created = await call(s.url, token, "POST", SUB, {
    eventFilters: [STORE],
    deliveryMode: { transportType: "WebHook", address: hook.address },
  });
  equal(created.status, 200, JSON.stringify(created.body));
  const me = await get(s.url, token, "/restapi/v1.0/account/~/extension/~/phone-number");
  const from = me.body.records.find((n: { features?: string[] }) => n.features?.includes("SmsSender")).phoneNumber;
  const sent = await call(s.url, token, "POST", "/restapi/v1.0/account/~/extension/~/sms", {
    from: { phoneNumber: from },
    to: [{ phoneNumber: "+14155550199" }],
    text: "follow me",
  });
  equal(sent.body.messageStatus, "Queued");
  await hook.until(1);
  type Change = { type: string; newCount: number; updatedCount: number; newMessageIds?: number[] };
  const changes = (i: number) => (hook.received[i].body as { changes: Change[] }).changes;
  deepEqual(changes(0), [{ type: "SMS", newCount: 1, updatedCount: 0, newMessageIds: [sent.body.id] }]);
  await advance(s.url, 2); // Sent
  await hook.until(2);
  deepEqual(changes(1), [{ type: "SMS", newCount: 0, updatedCount: 1 }]);
  equal((await get(s.url, token, `${STORE}/${sent.body.id}`)).body.messageStatus, "Sent");
  await advance(s.url, 3); // Delivered
  await hook.until(3);
  deepEqual(changes(2), [{ type: "SMS", newCount: 0, updatedCount: 1 }]);
  equal((await get(s.url, token, `${STORE}/${sent.body.id}`)).body.messageStatus, "Delivered");
  // Nothing changes any more: moving the clock on sends nothing, and a later message's event comes next.
  await advance(s.url, 60);
  await fetch(`${s.url}/__emulator/inbound-sms`, {
    method: "POST",
    body: JSON.stringify({ from: "+14155550123", text: "next" }),
  }).then((r) => r.body?.cancel());
  await hook.until(4);
  equal(changes(3)[0].newCount, 1, "the fourth event is the inbound SMS, not another update");
});
