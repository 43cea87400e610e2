/**
 * The OAuth session: single-flight refresh in one process, refresh margins,
 * transient failures, dead tokens, broken caches (processes: tests/e2e/).
 */
import { deepEqual, equal, match, ok } from "node:assert/strict";
import {
  ApiError,
  ConfigError,
  FileTokenStore,
  MemoryTokenStore,
  NetworkError,
  RingCentral,
  RingCentralError,
  TimeoutError,
} from "../mod.ts";
import { SecretSet } from "../lib/redact.ts";
import { AuthSession } from "../lib/auth.ts";
import { Transport } from "../lib/transport.ts";
import { inProcess, JWT, serveEmulator, stats, tempDir } from "./_helpers.ts";

const ME = "/restapi/v1.0/account/~/extension/~";

function sharedClock() {
  let t = Date.now();
  return { now: () => t, advance: (s: number) => (t += s * 1000) };
}

async function fault(url: string, body: unknown) {
  const r = await fetch(`${url}/__emulator/faults`, { method: "POST", body: JSON.stringify(body) });
  equal(r.status, 201, await r.text());
}

Deno.test("RingCentral.get() refreshes an expired token once for 50 concurrent callers", async () => {
  const clock = sharedClock();
  await using s = serveEmulator({ now: clock.now, rateLimits: false, refreshGrace: 0 });
  const rc = new RingCentral({ ...s.credentials, now: clock.now });
  await rc.authenticate();
  clock.advance(3600);
  const responses = await Promise.all(Array.from({ length: 50 }, () => rc.get(ME)));
  ok(responses.every((r) => r.status === 200));
  const st = await stats(s.url);
  deepEqual(st.grants.refresh_token, { ok: 1, failed: 0 });
  deepEqual(st.grants[JWT], { ok: 1, failed: 0 });
});

Deno.test("a 3-second token is used for most of its life, then refreshed ahead of expiry", async () => {
  const clock = sharedClock();
  await using s = serveEmulator({ now: clock.now, accessTtl: 3, rateLimits: false });
  const rc = new RingCentral({ ...s.credentials, now: clock.now });
  for (let i = 0; i < 10; i++) {
    await rc.get(ME);
    clock.advance(0.25); // 0 … 2.25 s
  }
  equal((await stats(s.url)).grants.refresh_token, undefined);
  clock.advance(0.5); // 2.75 s: inside the 0.3 s margin
  await rc.get(ME);
  deepEqual((await stats(s.url)).grants.refresh_token, { ok: 1, failed: 0 });
  deepEqual((await stats(s.url)).statuses?.["401"], undefined, "refreshed before the server refused");
});

Deno.test("a transient failure while refreshing keeps the cache; the next call refreshes", async (t) => {
  const clock = sharedClock();
  await using s = serveEmulator({ now: clock.now, rateLimits: false });
  await using dir = await tempDir();
  const store = new FileTokenStore(`${dir.path}/tokens_sandbox.json`);
  const rc = new RingCentral({ ...s.credentials, now: clock.now, tokenStore: store, retries: 1, retryDelayMs: 1 });
  await rc.authenticate();
  const before = (await store.load())!.tokens.refresh_token;
  clock.advance(3600);
  await t.step("503 on the token endpoint", async () => {
    await fault(s.url, { path: "/restapi/oauth/token", status: 503, times: 2 });
    const e = await rc.get(ME).catch((e) => e);
    ok(e instanceof ApiError);
    equal(e.status, 503);
    equal((await store.load())!.tokens.refresh_token, before);
  });
  await t.step("a dropped connection on the token endpoint", async () => {
    await fault(s.url, { path: "/restapi/oauth/token", drop: "before", times: 2 });
    const e = await rc.get(ME).catch((e) => e);
    ok(e instanceof NetworkError, String(e));
    equal((await store.load())!.tokens.refresh_token, before);
  });
  await t.step("then the refresh goes through", async () => {
    equal((await rc.get(ME)).status, 200);
    ok((await store.load())!.tokens.refresh_token !== before);
    deepEqual((await stats(s.url)).grants[JWT], { ok: 1, failed: 0 });
  });
});

Deno.test("a session revoked elsewhere: invalid_grant clears the cache and the client logs in again", async () => {
  await using s = serveEmulator({ rateLimits: false });
  const store = new MemoryTokenStore();
  const rc = new RingCentral({ ...s.credentials, tokenStore: store });
  await rc.authenticate();
  const { access_token } = (await store.load())!.tokens;
  const revoke = await fetch(`${s.url}/restapi/oauth/revoke`, {
    method: "POST",
    headers: { Authorization: `Basic ${btoa(`${s.credentials.clientId}:${s.credentials.clientSecret}`)}` },
    body: new URLSearchParams({ token: access_token }),
  });
  equal(revoke.status, 200);
  await revoke.body?.cancel();
  equal((await rc.get(ME)).status, 200);
  const st = await stats(s.url);
  deepEqual(st.grants.refresh_token, { ok: 0, failed: 1 });
  deepEqual(st.grants[JWT], { ok: 2, failed: 0 });
  ok((await store.load())!.tokens.access_token !== access_token);
});

Deno.test("a corrupted or truncated cache file is a warning and a fresh login, never a crash", async (t) => {
  await using s = serveEmulator({ rateLimits: false });
  for (
    const [name, content] of [["garbage", "{garbage"], ["truncated", '{"tokens": {"access_token": "abc'], ["empty", ""]]
  ) {
    await t.step(name, async () => {
      await using dir = await tempDir();
      const file = `${dir.path}/tokens_sandbox.json`;
      await Deno.writeTextFile(file, content);
      const notices: string[] = [];
      const env = { ...s.env, RC_USERNAME: "", RC_PASSWORD: "" };
      const rc = await RingCentral.fromEnv({ dir: dir.path, env, onNotice: (m) => notices.push(m) });
      equal((await rc.get(ME)).status, 200);
      deepEqual(notices, [
        `Warning: the token cache ${file} is corrupted (${content.length} bytes); it will be replaced after a fresh login`,
      ]);
      ok(JSON.parse(await Deno.readTextFile(file)).tokens.access_token);
    });
  }
});

Deno.test("a cache from another server or app is ignored", async () => {
  await using a = serveEmulator({ rateLimits: false });
  await using b = serveEmulator({ rateLimits: false });
  await using dir = await tempDir();
  const store = new FileTokenStore(`${dir.path}/tokens_sandbox.json`);
  await new RingCentral({ ...a.credentials, tokenStore: store }).authenticate();
  const rc = new RingCentral({ ...b.credentials, tokenStore: store });
  equal((await rc.get(ME)).status, 200);
  deepEqual((await stats(b.url)).statuses?.["401"], undefined, "b never saw a's token");
  match((await store.load())!.server!, new RegExp(b.url.replace(/\./g, "\\.")));
});

Deno.test("AuthSession renews once for 20 concurrent callers, in process, and reports its status", async () => {
  let t = Date.now();
  await using e = inProcess({ now: () => t, refreshGrace: 0 });
  const { server, clientId, clientSecret, jwt } = e.emulator.credentials;
  const secrets = new SecretSet();
  const auth = new AuthSession({
    server,
    clientId,
    clientSecret,
    credentials: { jwt },
    tokenStore: new MemoryTokenStore(),
    transport: new Transport({ fetch: e.fetch, now: () => t }, secrets),
    secrets,
  });
  equal(auth.grant, "jwt");
  equal(await auth.status(), undefined, "not logged in yet");
  const first = await auth.accessToken();
  t += 3600_000; // expired: every caller needs a new token
  const tokens = await Promise.all(Array.from({ length: 20 }, () => auth.accessToken()));
  equal(new Set(tokens.map((s) => s.tokens.access_token)).size, 1);
  ok(tokens[0].tokens.access_token !== first.tokens.access_token);
  deepEqual(e.emulator.state.stats.grants.refresh_token, { ok: 1, failed: 0 });
  const status = await auth.status();
  ok(status && status.accessSeconds > 3500 && status.ownerId);
});

Deno.test("AuthSession without credentials or tokens says what to configure", async () => {
  await using e = inProcess();
  const secrets = new SecretSet();
  const auth = new AuthSession({
    server: e.emulator.credentials.server,
    clientId: e.emulator.credentials.clientId,
    tokenStore: new MemoryTokenStore(),
    transport: new Transport({ fetch: e.fetch }, secrets),
    secrets,
  });
  equal(auth.canRenew, false);
  const error = await auth.accessToken().catch((x) => x);
  ok(error instanceof ConfigError);
  match(error.message, /No valid token and no credentials to log in with\. Set RC_JWT/);
  equal(e.emulator.state.stats.requests, 0, "nothing was sent");
});

Deno.test("trust: a token endpoint answer that is not a token response is a clear error, never a raw crash", async (t) => {
  await using s = serveEmulator({ rateLimits: false }, { validate: false });
  const cases: [string, unknown, RegExp][] = [
    [
      "a captive portal's HTML page",
      "<html><body>Sign in to the Wi-Fi</body></html>",
      /answered 200 with an HTML page \(a captive portal or a proxy\?\)/,
    ],
    ["an empty JSON object", {}, /answered 200 with JSON that is not a token response \(access_token is missing\)/],
    [
      "no expires_in",
      { access_token: "abc", token_type: "bearer" },
      /expires_in is missing or not a number of seconds/,
    ],
    ["a token with a newline", { access_token: "ab\ncd", expires_in: 3600 }, /access_token is not a token/],
  ];
  for (const [name, body, message] of cases) {
    await t.step(name, async () => {
      await fetch(`${s.url}/__emulator/faults`, {
        method: "POST",
        body: JSON.stringify({ path: "/restapi/oauth/token", status: 200, body }),
      }).then((r) => r.body?.cancel());
      const rc = new RingCentral(s.credentials);
      const e = await rc.get(ME).catch((e) => e);
      ok(e instanceof RingCentralError, String(e));
      match(e.message, message);
      equal(await rc.tokenStatus(), undefined, "nothing was kept");
    });
  }
  await t.step("expires_in as a numeric string is read as a number", async () => {
    await fetch(`${s.url}/__emulator/faults`, {
      method: "POST",
      body: JSON.stringify({
        path: "/restapi/oauth/token",
        status: 200,
        body: { access_token: "abc", token_type: "bearer", expires_in: "3600" },
      }),
    }).then((r) => r.body?.cancel());
    const rc = new RingCentral(s.credentials);
    await rc.authenticate();
    const status = await rc.tokenStatus();
    ok(status && status.accessSeconds > 3500);
  });
});

Deno.test("trust: RingCentral.login() really logs in again, even with a valid token", async () => {
  await using s = serveEmulator({ rateLimits: false });
  const rc = new RingCentral(s.credentials);
  await rc.authenticate();
  const first = (await rc.tokenStore.load())!.tokens.access_token;
  await rc.authenticate();
  deepEqual((await stats(s.url)).grants[JWT], { ok: 1, failed: 0 }, "authenticate() reuses the valid token");
  await rc.login();
  deepEqual((await stats(s.url)).grants[JWT], { ok: 2, failed: 0 }, "login() sent a new JWT grant");
  ok((await rc.tokenStore.load())!.tokens.access_token !== first);
  equal((await rc.get(ME)).status, 200);
});

/** A store whose lock can be held at a gate: a renewal stays in flight until the test releases it. */
class GatedStore extends MemoryTokenStore {
  entered = Promise.withResolvers<void>();
  #gate?: PromiseWithResolvers<void>;
  hold(): void {
    this.entered = Promise.withResolvers<void>();
    this.#gate = Promise.withResolvers<void>();
  }
  release(): void {
    this.#gate?.resolve();
  }
  override async lock<T>(fn: () => Promise<T>): Promise<T> {
    this.entered.resolve();
    await this.#gate?.promise;
    return await super.lock(fn);
  }
}

Deno.test("a shared renewal survives the caller that started it being cancelled", async () => {
  let t = Date.now();
  await using e = inProcess({ now: () => t, refreshGrace: 0, rateLimits: false });
  const store = new GatedStore();
  const rc = new RingCentral({ ...e.credentials, now: () => t, tokenStore: store });
  await rc.authenticate();
  t += 3600_000; // expired for both calls below
  store.hold();
  const controller = new AbortController();
  const first = rc.get(ME, undefined, { signal: controller.signal });
  const second = rc.get(ME);
  await store.entered.promise; // the renewal the first call started is in flight
  const reason = new Error("the user pressed Ctrl-C");
  controller.abort(reason);
  store.release();
  const [a, b] = await Promise.allSettled([first, second]);
  equal(a.status, "rejected");
  equal((a as PromiseRejectedResult).reason, reason, "the cancelled call rejects with its signal's reason");
  equal(b.status, "fulfilled", String((b as PromiseRejectedResult).reason));
  equal((b as PromiseFulfilledResult<Response>).value.status, 200);
  deepEqual(e.emulator.state.stats.grants.refresh_token, { ok: 1, failed: 0 });
});

Deno.test("a forced refresh that joins a renewal in flight still refreshes", async () => {
  await using e = inProcess({ rateLimits: false });
  const store = new GatedStore();
  const rc = new RingCentral({ ...e.credentials, tokenStore: store });
  await rc.authenticate();
  const revoked = (await store.load())!.tokens.access_token;
  // Another script logs in and writes its tokens to the shared cache; this one's session is then revoked.
  const other = new RingCentral({ ...e.credentials, tokenStore: new MemoryTokenStore() });
  await other.authenticate();
  const written = (await other.tokenStore.load())!;
  await store.save(written);
  const revoke = await e.fetch(`${e.emulator.credentials.server}/restapi/oauth/revoke`, {
    method: "POST",
    headers: {
      Authorization: `Basic ${btoa(`${e.emulator.credentials.clientId}:${e.emulator.credentials.clientSecret}`)}`,
    },
    body: new URLSearchParams({ token: revoked }),
  });
  equal(revoke.status, 200);
  store.hold();
  const call = rc.get(ME); // a 401 on the revoked token: a renewal that finds the other script's token
  await store.entered.promise;
  const refresh = rc.refresh(); // joins that renewal, and must still refresh
  store.release();
  equal((await call).status, 200);
  await refresh;
  deepEqual(e.emulator.state.stats.grants.refresh_token, { ok: 1, failed: 0 }, "refresh() refreshed");
  ok((await store.load())!.tokens.access_token !== written.tokens.access_token);
});

Deno.test("a request's own timeoutMs bounds its wait for a token; the renewal goes on for the others", async () => {
  let t = Date.now();
  await using e = inProcess({ now: () => t, rateLimits: false });
  const store = new GatedStore();
  const rc = new RingCentral({ ...e.credentials, now: () => t, tokenStore: store, timeoutMs: 60_000 });
  await rc.authenticate();
  t += 3600_000; // expired: the next call renews, and the renewal is held at the store's lock
  store.hold();
  const patient = rc.get(ME);
  await store.entered.promise;
  const hasty = await rc.get(ME, undefined, { timeoutMs: 30 }).catch((e) => e);
  ok(hasty instanceof TimeoutError, String(hasty));
  equal(
    hasty.message,
    "GET /restapi/v1.0/account/~/extension/~ failed: No token within 30 ms: the login or token renewal is still running. " +
      "It goes on for the other requests; give this request a longer timeoutMs, or check that the token endpoint answers (RC_SERVER_URL)",
  );
  store.release();
  equal((await patient).status, 200, "the renewal went on for the call that waits");
  deepEqual(e.emulator.state.stats.grants.refresh_token, { ok: 1, failed: 0 });
});

Deno.test("a 401 caller that joins a renewal ending on the token it saw refused gets a new one, never that token", async () => {
  await using e = inProcess({ rateLimits: false });
  const store = new GatedStore();
  const secrets = new SecretSet();
  const { server, clientId, clientSecret, jwt } = e.emulator.credentials;
  const auth = new AuthSession({
    server,
    clientId,
    clientSecret,
    credentials: { jwt },
    tokenStore: store,
    transport: new Transport({ fetch: e.fetch, pacing: false }, secrets),
    secrets,
  });
  const refused = (await auth.accessToken()).tokens.access_token; // in the store, and (say) refused by the server
  store.hold();
  // Another caller saw an older token refused: its renewal finds `refused` in the store, new to it, and reuses it.
  const other = auth.renewAfterRejection("an-older-token");
  await store.entered.promise;
  const mine = auth.renewAfterRejection(refused); // joins that renewal in flight
  store.release();
  equal((await other).tokens.access_token, refused);
  const renewed = (await mine).tokens.access_token;
  ok(renewed !== refused, "not the token the server refused");
  equal((await store.load())!.tokens.access_token, renewed);
  deepEqual(e.emulator.state.stats.grants.refresh_token, { ok: 1, failed: 0 }, "one refresh, for the 401 caller");
});
