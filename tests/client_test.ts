import { deepEqual, equal, match, ok, rejects } from "node:assert/strict";
import { type ApiError, MemoryTokenStore, RingCentral, RingCentralError } from "../mod.ts";
import { advance, JWT, serveEmulator, stats } from "./_helpers.ts";

const EXT = "/restapi/v1.0/account/~/extension";

/** A clock the client and the emulator share, moved by tests instead of sleeping. */
function sharedClock() {
  let t = Date.now();
  return { now: () => t, advance: (s: number) => (t += s * 1000) };
}

Deno.test("RingCentral.authenticate() follows the tutorial's three branches", async (t) => {
  const clock = sharedClock();
  await using served = serveEmulator({ now: clock.now, accessTtl: 3600, refreshTtl: 86400 });
  const store = new MemoryTokenStore();
  const rc = new RingCentral({ ...served.credentials, tokenStore: store, now: clock.now });

  await t.step("no cached tokens: log in with the JWT grant", async () => {
    await rc.authenticate();
    deepEqual((await stats(served.url)).grants, { [JWT]: { ok: 1, failed: 0 } });
  });
  await t.step("valid access token: reuse it, no token request", async () => {
    clock.advance(3000);
    await rc.authenticate();
    await rc.get(`${EXT}/~`);
    deepEqual((await stats(served.url)).grants, { [JWT]: { ok: 1, failed: 0 } });
  });
  await t.step("expired access token, valid refresh token: refresh", async () => {
    const before = (await store.load())!.tokens;
    clock.advance(700);
    await rc.get(`${EXT}/~`);
    const s = await stats(served.url);
    deepEqual(s.grants.refresh_token, { ok: 1, failed: 0 });
    const after = (await store.load())!.tokens;
    ok(after.access_token !== before.access_token && after.refresh_token !== before.refresh_token);
  });
  await t.step("expired refresh token: log in again", async () => {
    clock.advance(86400);
    await rc.get(`${EXT}/~`);
    const s = await stats(served.url);
    deepEqual(s.grants[JWT], { ok: 2, failed: 0 });
    deepEqual(s.grants.refresh_token, { ok: 1, failed: 0 });
  });
});

Deno.test("RingCentral logs in with the password grant", async () => {
  await using served = serveEmulator();
  const rc = new RingCentral(served.passwordCredentials);
  const me = await (await rc.get(`${EXT}/~`)).json();
  equal(me.extensionNumber, "101");
  deepEqual((await stats(served.url)).grants.password, { ok: 1, failed: 0 });
});

Deno.test("refresh rotation: a used refresh token is rejected with OAU-213", async () => {
  await using served = serveEmulator({ refreshGrace: 0 });
  const store = new MemoryTokenStore();
  const rc = new RingCentral({ ...served.credentials, tokenStore: store });
  await rc.authenticate();
  const old = (await store.load())!.tokens;
  await rc.refresh();
  const basic = `Basic ${btoa(`${served.credentials.clientId}:${served.credentials.clientSecret}`)}`;
  const again = await fetch(`${served.url}/restapi/oauth/token`, {
    method: "POST",
    headers: { Authorization: basic },
    body: new URLSearchParams({ grant_type: "refresh_token", refresh_token: old.refresh_token! }),
  });
  equal(again.status, 400);
  const body = await again.json();
  equal(body.error, "invalid_grant");
  equal(body.errors[0].errorCode, "OAU-213");
  // The old access token died at once, too.
  const oldAccess = await fetch(`${served.url}${EXT}/~`, { headers: { Authorization: `Bearer ${old.access_token}` } });
  equal(oldAccess.status, 401);
  equal((await oldAccess.json()).errors[0].errorCode, "OAU-213");
  // The client itself carries on with the new tokens.
  equal((await rc.get(`${EXT}/~`)).status, 200);
});

Deno.test("RingCentral get/post/put/patch/delete reach the API", async () => {
  await using served = serveEmulator();
  const rc = new RingCentral(served.credentials);
  const numbers = await (await rc.get(`${EXT}/~/phone-number`)).json();
  const from = numbers.records.find((n) => n.features?.includes("SmsSender"))!.phoneNumber!;
  const sms = await (await rc.post(`${EXT}/~/sms`, {
    from: { phoneNumber: from },
    to: [{ phoneNumber: "+16505550199" }],
    text: "hi",
  })).json();
  equal(sms.messageStatus, "Queued");
  const path = `${EXT}/~/message-store/${sms.id}`;
  equal((await (await rc.put(path, { readStatus: "Unread" })).json()).readStatus, "Unread");
  equal((await (await rc.patch(path, { readStatus: "Read" })).json()).readStatus, "Read");
  equal((await rc.delete(path)).status, 204);
  await rejects(rc.get(path), (e: ApiError) => e.status === 404 && e.errorCode === "CMN-102");
});

Deno.test("RingCentral.get() sends array query values as repeated parameters", async () => {
  await using served = serveEmulator();
  const paths: string[] = [];
  const rc = new RingCentral({ ...served.credentials, onExchange: (x) => paths.push(x.path) });
  const page = await (await rc.get(EXT, { type: ["User", "Department"], perPage: 1000 })).json();
  ok(paths.includes(`${EXT}?type=User&type=Department&perPage=1000`));
  const types = new Set(page.records.map((r) => r.type));
  deepEqual([...types].sort(), ["Department", "User"]);
  equal(page.records.length, 19);
});

Deno.test("RingCentral.logout() revokes the session and clears the cache", async () => {
  await using served = serveEmulator();
  const store = new MemoryTokenStore();
  const rc = new RingCentral({ ...served.credentials, tokenStore: store });
  await rc.authenticate();
  const token = (await store.load())!.tokens.access_token;
  await rc.logout();
  equal(await store.load(), undefined);
  equal((await stats(served.url)).revokes, 1);
  const r = await fetch(`${served.url}${EXT}/~`, { headers: { Authorization: `bearer ${token}` } });
  equal(r.status, 401);
  equal((await r.json()).errors[0].errorCode, "OAU-213");
});

Deno.test("a client follows an emulator's expiry: 401 on an expired token leads to one refresh", async () => {
  await using served = serveEmulator({ accessTtl: 5 });
  const rc = new RingCentral(served.credentials);
  await rc.get(`${EXT}/~`);
  await advance(served.url, 6); // only the emulator's clock moves: the client learns from the 401
  await rc.get(`${EXT}/~`);
  const s = await stats(served.url);
  deepEqual(s.grants.refresh_token, { ok: 1, failed: 0 });
  deepEqual(s.grants[JWT], { ok: 1, failed: 0 });
});

Deno.test("paginate() follows navigation.nextPage one page at a time", async () => {
  await using s = serveEmulator({ extensions: 230 });
  const seen: string[] = [];
  const rc = new RingCentral({ ...s.credentials, onExchange: (x) => seen.push(x.path) });
  let n = 0;
  const iterator = rc.paginate("/restapi/v1.0/account/~/extension", { perPage: 100 });
  for await (const _ of iterator) {
    n++;
    if (n === 1) equal(seen.filter((p) => p.includes("/extension")).length, 1, "only the first page is fetched so far");
  }
  equal(n, 230);
  deepEqual(seen.filter((p) => p.includes("/extension")).map((p) => new URLSearchParams(p.split("?")[1]).get("page")), [
    null,
    "2",
    "3",
  ]);
});

Deno.test("trust: paginate() says so when a page is not the JSON it should be", async () => {
  await using s = serveEmulator({}, { validate: false });
  const rc = new RingCentral(s.credentials);
  await fetch(`${s.url}/__emulator/faults`, {
    method: "POST",
    body: JSON.stringify({ path: EXT, method: "GET", status: 200, body: "<html>maintenance</html>" }),
  }).then((r) => r.body?.cancel());
  const e = await (async () => {
    for await (const _ of rc.paginate(EXT)) { /* none */ }
  })().catch((e) => e);
  ok(e instanceof RingCentralError, String(e));
  match(
    e.message,
    /GET \/restapi\/v1\.0\/account\/~\/extension failed: 200 The answer is not a JSON page of records \(text\)/,
  );
});

Deno.test("usage mistakes in options are one clear TypeError: headers, timeoutMs, server", async (t) => {
  await using s = serveEmulator();
  const rc = new RingCentral(s.credentials);
  const ME = `${EXT}/~`;
  const cases: [string, () => Promise<unknown>, RegExp][] = [
    [
      "a header value with a line break",
      () => rc.get(ME, undefined, { headers: { "X-Note": "a\r\nSet-Cookie: x" } }),
      /^The value of the header "X-Note" cannot be sent: it has a line break\. A value is one line of text in Latin-1/,
    ],
    [
      "a header value beyond Latin-1",
      () => rc.get(ME, undefined, { headers: { "X-Name": "Zoë 🙂" } }),
      /^The value of the header "X-Name" cannot be sent: it has a character beyond Latin-1\. .*encodeURIComponent/,
    ],
    [
      "a header name with a space",
      () => rc.get(ME, undefined, { headers: { "Accept Language": "en-US" } }),
      /^The header name "Accept Language" cannot be sent: a name is letters, digits and -/,
    ],
    [
      "a negative timeoutMs",
      () => rc.get(ME, undefined, { timeoutMs: -5 }),
      /^timeoutMs must be a positive number of milliseconds, such as 30_000 for 30 s \(got -5\)$/,
    ],
    [
      "a timeoutMs as text",
      () => rc.get(ME, undefined, { timeoutMs: "5s" as unknown as number }),
      /^timeoutMs must be a positive number of milliseconds, such as 30_000 for 30 s \(got "5s", a string\)$/,
    ],
  ];
  for (const [name, call, message] of cases) {
    await t.step(name, async () => {
      const e = await call().catch((e) => e);
      ok(e instanceof TypeError, String(e));
      match(e.message, message);
    });
  }
  await t.step("the client's timeoutMs, and a server without its scheme", () => {
    const bad: [Partial<ConstructorParameters<typeof RingCentral>[0]>, RegExp][] = [
      [{ timeoutMs: 0 }, /^the client's timeoutMs must be a positive number of milliseconds.* \(got 0\)$/],
      [{ timeoutMs: NaN }, /\(got NaN\)$/],
      [
        { server: "platform.ringcentral.com" },
        /^RingCentral: server must be a URL with its scheme, such as https:\/\/platform\.ringcentral\.com \(got "platform\.ringcentral\.com"\)$/,
      ],
      [{ server: "ftp://platform.ringcentral.com" }, /^RingCentral: server must be a URL with its scheme/],
    ];
    for (const [options, message] of bad) {
      let e: unknown;
      try {
        new RingCentral({ ...s.credentials, ...options });
      } catch (caught) {
        e = caught;
      }
      ok(e instanceof TypeError, `${JSON.stringify(options)}: ${e}`);
      match(e.message, message);
    }
  });
  equal((await stats(s.url)).requests, 0, "nothing was sent");
});
