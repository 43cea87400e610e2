/**
 * Requests in the real world: rate-limit pacing, Retry-After, safe retries,
 * timeouts and cancellation, and never sending an SMS twice.
 */
import { deepEqual, equal, match, ok, rejects } from "node:assert/strict";
import {
  ApiError,
  ConfigError,
  type Exchange,
  MemoryTokenStore,
  NetworkError,
  RingCentral,
  RingCentralError,
  TimeoutError,
} from "../mod.ts";
import { basicAuth } from "../lib/grants.ts";
import { describeWait, encodeBody, Transport, type TransportOptions, type Wait } from "../lib/transport.ts";
import { SecretSet } from "../lib/redact.ts";

/** A transport with its own secret set, as the client makes one. */
function transportOf(options: TransportOptions): Transport {
  return new Transport(options, new SecretSet());
}

/** `transport.send()` with the client's body encoding. */
function send(
  transport: Transport,
  method: string,
  url: URL,
  headers: Record<string, string> = {},
  { body }: { body?: unknown } = {},
): Promise<Response> {
  return transport.send({ method, url, headers, body: encodeBody(body, headers) });
}
import { inProcess, JWT, serveEmulator, stats, virtualTime } from "./_helpers.ts";

const ME = "/restapi/v1.0/account/~/extension/~";
const SMS = `${ME}/sms`;
const MESSAGE = { from: { phoneNumber: "+16505550101" }, to: [{ phoneNumber: "+16505550199" }], text: "once" };

async function fault(url: string, body: unknown) {
  const r = await fetch(`${url}/__emulator/faults`, { method: "POST", body: JSON.stringify(body) });
  equal(r.status, 201, await r.text());
}

Deno.test("pacing: a burst of 3× the Light limit finishes without a 429, in two more windows", async () => {
  const time = virtualTime();
  await using s = serveEmulator({ now: time.now });
  const rc = new RingCentral({ ...s.credentials, now: time.now, sleep: time.sleep, fetch: time.fetch });
  await time.drive(rc.authenticate());
  const responses = await time.drive(Promise.all(Array.from({ length: 150 }, () => rc.get(ME))));
  ok(responses.every((r) => r.status === 200));
  equal((await stats(s.url)).statuses["429"], undefined, "no 429 at all");
  const waited = (time.now() - time.started) / 1000;
  ok(waited >= 120 && waited < 121, `the client waited for two 60 s windows to roll (${waited} s on the clock)`);
});

Deno.test("a request held back says so: which group, its limit and for how long; a short wait stays quiet", async () => {
  const time = virtualTime();
  await using s = serveEmulator({ now: time.now });
  const printed: string[] = [];
  const error = console.error;
  console.error = (line: string) => printed.push(line); // the default notice goes to stderr
  try {
    const rc = new RingCentral({ ...s.credentials, now: time.now, sleep: time.sleep, fetch: time.fetch });
    await time.drive(rc.authenticate());
    await time.drive(Promise.all(Array.from({ length: 60 }, () => rc.get(ME))));
  } finally {
    console.error = error;
  }
  const held = printed.filter((l) => l.startsWith("rate limit: holding GET /restapi/v1.0/account/~/extension/~ for "));
  equal(held.length, 1, `one line for the 10 requests held back: ${printed.join("\n") || "nothing printed"}`);
  match(held[0], /for (5\d|60) s \(the Light group allows 50 requests per 60 s\)$/);

  const waits: Wait[] = [];
  const quiet = new RingCentral({ ...s.credentials, now: time.now, sleep: time.sleep, onWait: (w) => waits.push(w) });
  await quiet.get(ME); // learn the group
  await fault(s.url, { path: ME, status: 429, retryAfter: 1 });
  await time.drive(quiet.get(ME));
  deepEqual(waits.map((w) => [w.reason, w.group, w.penalty, w.ms <= 1000]), [["rate-limit", "light", true, true]]);
  equal(
    describeWait(waits[0]),
    "rate limit: holding GET /restapi/v1.0/account/~/extension/~ for 1 s (the Light group is paused after a 429 Too Many Requests)",
  );

  printed.length = 0;
  console.error = (line: string) => printed.push(line);
  try {
    const rc = new RingCentral({ ...s.credentials, now: time.now, sleep: time.sleep });
    await rc.get(ME);
    await fault(s.url, { path: ME, status: 429, retryAfter: 1 });
    await time.drive(rc.get(ME));
  } finally {
    console.error = error;
  }
  deepEqual(printed, [], "a wait under 2 s prints nothing");
});

Deno.test("without pacing the same burst draws 429s: exactly what the window does not hold", async () => {
  const time = virtualTime(); // nobody sleeps, so the clock does not move: every request falls in one window
  await using s = serveEmulator({ now: time.now });
  const rc = new RingCentral({ ...s.credentials, now: time.now, pacing: false, retries: 0 });
  await rc.authenticate();
  const results = await Promise.allSettled(Array.from({ length: 60 }, () => rc.get(ME)));
  const limited = results.filter((r) => r.status === "rejected" && (r.reason as ApiError).errorCode === "CMN-301");
  equal(limited.length, 10, "the Light group holds 50 a minute");
  equal((await stats(s.url)).statuses["429"], 10);
});

Deno.test("a 429 is retried after Retry-After, and nothing else goes to that group meanwhile", async () => {
  await using s = serveEmulator();
  let t = Date.now(); // the client's clock; the test decides when sleeps end
  const sleeping: { ms: number; wake: () => void }[] = [];
  const rc = new RingCentral({
    ...s.credentials,
    now: () => t,
    sleep: (ms) => new Promise<void>((wake) => sleeping.push({ ms, wake })),
  });
  await rc.get(ME); // learn the group
  await fault(s.url, { path: ME, status: 429, retryAfter: 7 });
  const a = rc.get(ME);
  while (sleeping.length < 1) await new Promise((r) => setTimeout(r, 5));
  ok(sleeping[0].ms >= 6900 && sleeping[0].ms <= 7000, `waits for Retry-After (${sleeping[0].ms} ms)`);
  const sent = (await stats(s.url)).requests;
  const b = rc.get(ME); // same group, during the block
  while (sleeping.length < 2) await new Promise((r) => setTimeout(r, 5));
  equal((await stats(s.url)).requests, sent, "nothing was sent while the group was blocked");
  t += 7000;
  for (const { wake } of sleeping.splice(0)) wake();
  deepEqual([(await a).status, (await b).status], [200, 200]);
  equal((await stats(s.url)).statuses["429"], 1);
});

Deno.test("Retry-After as an HTTP date, and the 30 s default when it is absent", async () => {
  let calls = 0;
  const when = new Date(Date.now() + 12_000).toUTCString();
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, (req) => {
    if (new URL(req.url).pathname === "/restapi/oauth/token") {
      return Response.json({ access_token: "a", token_type: "bearer", expires_in: 3600 });
    }
    calls++;
    if (calls === 1) return new Response("{}", { status: 429, headers: { "Retry-After": when } });
    if (calls === 2) return new Response("{}", { status: 429 });
    return Response.json({ ok: true });
  });
  try {
    const waits: number[] = [];
    const rc = new RingCentral({
      server: `http://127.0.0.1:${server.addr.port}`,
      clientId: "id",
      clientSecret: "secret",
      jwt: "a.b.c",
      pacing: false,
      sleep: (ms) => (waits.push(ms), Promise.resolve()),
    });
    equal((await rc.request("GET", "/restapi/v1.0/x")).status, 200);
    equal(waits.length, 2);
    ok(waits[0] > 9_000 && waits[0] <= 12_000, `date: ${waits[0]}`);
    equal(waits[1], 30_000);
  } finally {
    await server.shutdown();
  }
});

Deno.test("GET is retried on 503 and on a dropped connection", async () => {
  await using s = serveEmulator({}, { validate: false });
  const rc = new RingCentral({ ...s.credentials, retryDelayMs: 1 });
  await rc.authenticate();
  await fault(s.url, { path: ME, status: 503, times: 2 });
  equal((await rc.get(ME)).status, 200);
  await fault(s.url, { path: ME, drop: "after" });
  equal((await rc.get(ME)).status, 200);
});

Deno.test("POST is retried on 503 (not processed): the SMS goes out once", async () => {
  await using s = serveEmulator();
  const rc = new RingCentral({ ...s.credentials, retryDelayMs: 1 });
  await fault(s.url, { path: SMS, method: "POST", status: 503 });
  equal((await rc.post(SMS, MESSAGE)).status, 200);
  equal((await stats(s.url)).messages, 1);
});

Deno.test("POST whose connection drops: outcome unknown, never sent twice", async (t) => {
  for (const drop of ["before", "after"] as const) {
    await t.step(drop, async () => {
      await using s = serveEmulator({}, { validate: false });
      const rc = new RingCentral({ ...s.credentials, retryDelayMs: 1 });
      await rc.authenticate();
      await fault(s.url, { path: SMS, drop });
      const e = await rc.post(SMS, MESSAGE).catch((e) => e);
      ok(e instanceof NetworkError);
      equal(e.outcome, "unknown");
      match(
        e.message,
        /^POST \/restapi\/v1\.0\/account\/~\/extension\/~\/sms failed: The connection failed \(.*\); the outcome is unknown\. Check the message store \(GET \/restapi\/v1\.0\/account\/~\/extension\/~\/message-store\) before sending again$/,
      );
      equal((await stats(s.url)).messages, drop === "after" ? 1 : 0);
      equal((await stats(s.url)).requests, 2, "the login and one SMS request: no retry");
    });
  }
});

Deno.test("every request has a timeout, and accepts an AbortSignal", async (t) => {
  await using s = serveEmulator();
  const tokenStore = new MemoryTokenStore(); // logged in without the 100 ms limit: a cold first login may take longer
  await new RingCentral({ ...s.credentials, tokenStore }).authenticate();
  const rc = new RingCentral({ ...s.credentials, timeoutMs: 100, tokenStore });
  await t.step("a GET that takes too long", async () => {
    await fault(s.url, { path: ME, delayMs: 400 });
    const e = await rc.get(ME).catch((e) => e);
    equal(
      e.message,
      "GET /restapi/v1.0/account/~/extension/~ failed: No answer within 100 ms. Check your network and RC_SERVER_URL, then try again",
    );
  });
  await t.step("a POST that takes too long: outcome unknown", async () => {
    await fault(s.url, { path: SMS, delayMs: 400 });
    const e = await rc.post(SMS, MESSAGE).catch((e) => e);
    ok(e instanceof TimeoutError);
    equal(e.outcome, "unknown");
    match(e.message, /No answer within 100 ms; the outcome is unknown\. Check the message store/);
  });
  await t.step("a per-request timeout and a cancelled request", async () => {
    await fault(s.url, { path: ME, delayMs: 300 });
    equal((await rc.get(ME, undefined, { timeoutMs: 2000 })).status, 200);
    const controller = new AbortController();
    await fault(s.url, { path: ME, delayMs: 300 });
    const pending = rc.get(ME, undefined, { signal: controller.signal });
    controller.abort();
    const e = await pending.catch((e) => e);
    equal(e, controller.signal.reason, "the signal's reason, as fetch gives it");
    equal(e.name, "AbortError");
  });
});

Deno.test("Transport.send() turns a body that breaks midway into a network error", async () => {
  const broken = () =>
    Promise.resolve(
      new Response(
        new ReadableStream({
          start(c) {
            c.enqueue(new TextEncoder().encode('{"records": ['));
            c.error(new TypeError("connection reset by peer"));
          },
        }),
        { status: 200 },
      ),
    );
  const transport = transportOf({ fetch: broken, retries: 0, pacing: false });
  await rejects(
    send(transport, "GET", new URL("https://platform.ringcentral.com/restapi/v1.0/account/~"), {}),
    (e) => e instanceof NetworkError && /connection reset/.test(e.message),
  );
});

Deno.test("Transport.send() repeats a POST after a refused connection, never after a reset", async (t) => {
  const url = new URL("https://platform.ringcentral.com/restapi/v1.0/account/~/extension/~/sms");
  const failing = (message: string) => {
    let calls = 0;
    const fetch = () => ++calls === 1 ? Promise.reject(new TypeError(message)) : Promise.resolve(new Response("{}"));
    return { fetch, calls: () => calls };
  };
  await t.step("refused: nothing was sent, so it is sent again", async () => {
    const f = failing("error sending request: Connection refused (os error 111)");
    const transport = transportOf({ fetch: f.fetch, retryDelayMs: 1, pacing: false });
    equal((await send(transport, "POST", url, {}, { body: { text: "hi" } })).status, 200);
    equal(f.calls(), 2);
  });
  await t.step("reset: it may have been processed, so the outcome is unknown", async () => {
    const f = failing("connection reset by peer");
    const transport = transportOf({ fetch: f.fetch, retryDelayMs: 1, pacing: false });
    const e = await send(transport, "POST", url, {}, { body: { text: "hi" } }).catch((e) => e);
    ok(e instanceof NetworkError && e.outcome === "unknown");
    match(e.hint!, /message store/);
    equal(f.calls(), 1);
  });
});

Deno.test("Transport reports every exchange, the Authorization header and secret fields redacted", async () => {
  await using emulator = inProcess();
  const exchanges: Exchange[] = [];
  const transport = transportOf({ fetch: emulator.fetch, onExchange: (x) => exchanges.push(x) });
  const { server, clientId, clientSecret, jwt } = emulator.emulator.credentials;
  const headers = { authorization: basicAuth(clientId, clientSecret) };
  const form = new URLSearchParams({ grant_type: JWT, assertion: jwt });
  const response = await send(transport, "POST", new URL(`${server}/restapi/oauth/token`), headers, { body: form });
  equal(response.status, 200);
  equal(exchanges.length, 1);
  const [x] = exchanges;
  equal(x.requestHeaders.authorization, "Basic [REDACTED]");
  ok(!JSON.stringify(x).includes(jwt), "the JWT is not in the exchange");
  ok(!JSON.stringify(x).includes((await response.json()).access_token), "the access token is not in the exchange");
});

/** A server of its own on loopback (another origin, a proxy) that records what reaches it. */
function peer(answer: (request: Request, body: string) => Response | Promise<Response>) {
  const seen: { method: string; path: string; body: string }[] = [];
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, async (request) => {
    const body = await request.text();
    seen.push({ method: request.method, path: new URL(request.url).pathname, body });
    return await answer(request, body);
  });
  return {
    url: `http://127.0.0.1:${server.addr.port}`,
    seen,
    [Symbol.asyncDispose]: () => server.shutdown(),
  };
}

Deno.test("trust: a redirect is never followed; it is an error that names where it pointed", async (t) => {
  await using elsewhere = peer(() => Response.json({ access_token: "stolen", expires_in: 3600 }));
  await using proxy = peer((request) =>
    new Response(null, { status: request.method === "GET" ? 302 : 307, headers: { Location: `${elsewhere.url}/x` } })
  );
  const rc = new RingCentral({
    server: proxy.url,
    clientId: "id",
    clientSecret: "secret",
    jwt: "eyJ.eyJ.sig",
    retries: 0,
  });
  await t.step("the token call: the JWT is not re-posted elsewhere", async () => {
    const e = await rc.authenticate().catch((e) => e);
    ok(e instanceof ApiError);
    equal(e.status, 307);
    match(
      e.message,
      new RegExp(`Redirected to ${elsewhere.url.replace(/\./g, "\\.")}; the RingCentral API does not redirect`),
    );
    equal(elsewhere.seen.length, 0, "nothing reached the other origin");
  });
  await t.step("an SMS POST and a GET, with a token already at hand", async () => {
    await using emulator = inProcess();
    const store = new MemoryTokenStore();
    const real = new RingCentral({ ...emulator.credentials, tokenStore: store });
    await real.authenticate();
    const stored = (await store.load())!;
    await store.save({ ...stored, server: proxy.url });
    const redirected = new RingCentral({ ...emulator.emulator.credentials, server: proxy.url, tokenStore: store });
    const post = await redirected.post(SMS, MESSAGE).catch((e) => e);
    equal(post.status, 307);
    const get = await redirected.get(ME).catch((e) => e);
    equal(get.status, 302);
    equal(elsewhere.seen.length, 0);
  });
});

Deno.test("trust: a proxy's 503 to an SMS POST is not retried: the outcome is unknown", async (t) => {
  await using s = serveEmulator({}, { validate: false });
  const rc = new RingCentral({ ...s.credentials, retryDelayMs: 1 });
  await rc.authenticate();
  await t.step("an HTML 503 from a gateway", async () => {
    await fetch(`${s.url}/__emulator/faults`, {
      method: "POST",
      body: JSON.stringify({
        path: SMS,
        method: "POST",
        status: 503,
        body: "<html><h1>503 Service Unavailable</h1></html>",
        times: 4,
      }),
    }).then((r) => r.body?.cancel());
    const e = await rc.post(SMS, MESSAGE).catch((e) => e);
    ok(e instanceof ApiError);
    equal(e.status, 503);
    equal(e.outcome, "unknown");
    match(e.hint!, /check the message store/);
    equal((await stats(s.url)).statuses["503"], 1, "sent once, not four times");
    await fetch(`${s.url}/__emulator/faults`, { method: "DELETE" }).then((r) => r.body?.cancel());
  });
  await t.step(
    "a 502 with RingCentral-looking JSON is unknown too; only RingCentral's 503 proves nothing happened",
    async () => {
      await fetch(`${s.url}/__emulator/faults`, {
        method: "POST",
        body: JSON.stringify({ path: SMS, method: "POST", status: 502, times: 4 }),
      }).then((r) => r.body?.cancel());
      const e = await rc.post(SMS, MESSAGE).catch((e) => e);
      equal(e.status, 502);
      equal(e.outcome, "unknown");
      await fetch(`${s.url}/__emulator/faults`, { method: "DELETE" }).then((r) => r.body?.cancel());
    },
  );
});

Deno.test("trust: a response body larger than maxResponseBytes is refused before it is read whole", async (t) => {
  const SIZE = 64 * 1024 * 1024; // far past what socket buffers hold, so stopping early shows
  let sent = 0;
  await using big = peer((request) => {
    if (new URL(request.url).pathname === "/restapi/oauth/token") {
      return Response.json({ access_token: "tok", token_type: "bearer", expires_in: 3600 });
    }
    const chunk = new Uint8Array(64 * 1024);
    let left = SIZE;
    const stream = new ReadableStream({
      pull(c) {
        if (left <= 0) return c.close();
        left -= chunk.length;
        sent += chunk.length;
        c.enqueue(chunk);
      },
    });
    const chunked = new URL(request.url).searchParams.has("chunked");
    return new Response(stream, { headers: chunked ? {} : { "Content-Length": String(SIZE) } });
  });
  const rc = new RingCentral({
    server: big.url,
    clientId: "id",
    clientSecret: "s",
    jwt: "eyJ.eyJ.sig",
    maxResponseBytes: 1024 * 1024,
  });
  await t.step("declared by Content-Length: refused at once", async () => {
    const e = await rc.request("GET", "/restapi/v1.0/big").catch((e) => e);
    ok(e instanceof RingCentralError);
    match(e.message, /The response body is larger than 1048576 bytes \(the maxResponseBytes limit\)/);
  });
  await t.step("chunked: refused as soon as it passes the limit", async () => {
    sent = 0;
    const e = await rc.request("GET", "/restapi/v1.0/big", { query: { chunked: 1 } }).catch((e) => e);
    ok(e instanceof RingCentralError);
    match(e.message, /larger than 1048576 bytes/);
    ok(sent < SIZE, `the server was stopped after ${sent} of ${SIZE} bytes`);
  });
});

Deno.test("trust: a DNS failure says so, and a missing --allow-net is not called a network problem", async () => {
  const dns = transportOf({
    fetch: () =>
      Promise.reject(
        new TypeError("fetch failed", {
          cause: new Error(
            "client error (Connect): dns error: failed to lookup address information: Name or service not known",
          ),
        }),
      ),
    retries: 0,
    pacing: false,
  });
  const e = await send(dns, "GET", new URL("https://platform.ringcentral.example/restapi/v1.0/account/~"), {})
    .catch((e) => e);
  match(
    e.message,
    /The connection failed \(fetch failed: client error \(Connect\): dns error: failed to lookup address/,
  );

  const net = transportOf({
    fetch: () => Promise.reject(new Deno.errors.NotCapable('Requires net access to "platform.ringcentral.com:443"')),
    pacing: false,
  });
  const denied = await send(net, "GET", new URL("https://platform.ringcentral.com/restapi/v1.0/account/~"), {})
    .catch((e) => e);
  ok(denied instanceof ConfigError);
  match(
    denied.message,
    /Deno may not connect to platform\.ringcentral\.com\. Run the script with --allow-net=platform\.ringcentral\.com/,
  );
  ok(!/network/.test(denied.message));
});

Deno.test("a fetch that ignores its abort signal is not waited for: the timeout and the caller's signal still end the call", async (t) => {
  const hanging: typeof fetch = () => new Promise<Response>(() => {}); // never answers, never looks at the signal
  const url = new URL("https://platform.ringcentral.com/restapi/v1.0/account/~");
  await t.step("the timeout", async () => {
    const transport = transportOf({ fetch: hanging, retries: 0, pacing: false, timeoutMs: 20 });
    const e = await send(transport, "GET", url).catch((e) => e);
    ok(e instanceof TimeoutError, String(e));
    equal(
      e.message,
      "GET /restapi/v1.0/account/~ failed: No answer within 20 ms. Check your network and RC_SERVER_URL, then try again",
    );
  });
  await t.step("the caller's signal", async () => {
    const transport = transportOf({ fetch: hanging, retries: 0, pacing: false });
    const controller = new AbortController();
    const pending = transport.send({ method: "GET", url, headers: {}, signal: controller.signal });
    const reason = new Error("stopped by the user");
    controller.abort(reason);
    equal(await pending.catch((e) => e), reason);
  });
  await t.step("a body that never ends", async () => {
    const endless: typeof fetch = () =>
      Promise.resolve(new Response(new ReadableStream({ pull: () => new Promise(() => {}) })));
    const transport = transportOf({ fetch: endless, retries: 0, pacing: false, timeoutMs: 20 });
    const e = await send(transport, "GET", url).catch((e) => e);
    ok(e instanceof TimeoutError, String(e));
  });
});
