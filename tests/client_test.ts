import { deepEqual, equal, match, ok, rejects } from "node:assert/strict";
import { FileTokenStore, MemoryTokenStore, RingCentral, RingCentralError } from "../mod.ts";
import { advance, JWT, serveEmulator, stats, tempDir } from "./_helpers.ts";

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

Deno.test("FileTokenStore writes atomically with mode 0600 and leaves no temp files", async () => {
  await using dir = await tempDir();
  const path = `${dir.path}/tokens_sandbox.json`;
  const store = new FileTokenStore(path);
  const data = (i: number) => ({
    tokens: { access_token: `token-${i}`.repeat(200), token_type: "bearer", expires_in: 3600 },
    timestamp: i,
  });
  // Readers racing many writers only ever see a whole file.
  const writers = Array.from({ length: 50 }, (_, i) => store.save(data(i)));
  const readers = Array.from({ length: 50 }, async () => {
    const text = await Deno.readTextFile(path).catch(() => undefined);
    if (text !== undefined) {
      JSON.parse(text); // throws on a torn file
    }
  });
  await Promise.all([...writers, ...readers]);
  const stat = await Deno.stat(path);
  equal(stat.mode! & 0o777, 0o600);
  const loaded = await store.load();
  ok(loaded && /^token-\d+/.test(loaded.tokens.access_token));
  const files = [...Deno.readDirSync(dir.path)].map((e) => e.name);
  deepEqual(files, ["tokens_sandbox.json"]);
  await store.clear();
  equal(await store.load(), undefined);
});

Deno.test("RingCentral.fromEnv() keeps tokens in tokens_<environment>.json across clients", async () => {
  await using served = serveEmulator();
  await using dir = await tempDir();
  const env = { ...served.env, RC_USERNAME: "", RC_PASSWORD: "" };
  const a = await RingCentral.fromEnv({ dir: dir.path, env });
  equal(a.target, "emulator");
  await a.authenticate();
  const saved = JSON.parse(await Deno.readTextFile(`${dir.path}/tokens_sandbox.json`));
  ok(typeof saved.timestamp === "number" && saved.tokens.access_token && saved.tokens.refresh_token);
  equal((await Deno.stat(`${dir.path}/tokens_sandbox.json`)).mode! & 0o777, 0o600);
  const b = await RingCentral.fromEnv({ dir: dir.path, env });
  await b.get(`${EXT}/~`);
  deepEqual((await stats(served.url)).grants[JWT], { ok: 1, failed: 0 }, "the second client reused the cache");
});

Deno.test("RingCentral get/post/put/patch/delete reach the API", async () => {
  await using served = serveEmulator();
  const rc = new RingCentral(served.credentials);
  const numbers = await (await rc.get(`${EXT}/~/phone-number`)).json();
  const from = numbers.records.find((n: { features: string[] }) => n.features.includes("SmsSender")).phoneNumber;
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
  await rejects(rc.get(path), (e: RingCentralError) => e.status === 404 && e.errorCode === "CMN-102");
});

Deno.test("RingCentral.get() sends array query values as repeated parameters", async () => {
  await using served = serveEmulator();
  const paths: string[] = [];
  const rc = new RingCentral({ ...served.credentials, onExchange: (x) => paths.push(x.path) });
  const page = await (await rc.get(EXT, { type: ["User", "Department"], perPage: 1000 })).json();
  ok(paths.includes(`${EXT}?type=User&type=Department&perPage=1000`));
  const types = new Set(page.records.map((r: { type: string }) => r.type));
  deepEqual([...types].sort(), ["Department", "User"]);
  equal(page.records.length, 19);
});

Deno.test("RingCentralError carries status, errorCode, message, request id, method and path", async () => {
  await using served = serveEmulator();
  const rc = new RingCentral(served.credentials);
  let requestId = "";
  const e = await rc.get(`${EXT}/~/message-store/12345`).catch((e) => e);
  ok(e instanceof RingCentralError);
  const direct = await fetch(`${served.url}${EXT}/~/message-store/12345`, {
    headers: { Authorization: `Bearer ${(await rc.tokenStore.load())!.tokens.access_token}` },
  });
  requestId = direct.headers.get("rcrequestid") ?? "";
  await direct.body?.cancel();
  ok(requestId && e.requestId && e.requestId !== requestId, "each response has its own RCRequestId");
  equal(e.status, 404);
  equal(e.errorCode, "CMN-102");
  equal(e.method, "GET");
  equal(e.path, `${EXT}/~/message-store/12345`);
  equal(e.detail, "Resource for parameter [messageId] is not found");
  match(
    e.message,
    /^GET \/restapi\/v1\.0\/account\/~\/extension\/~\/message-store\/12345 failed: 404 CMN-102 Resource for parameter \[messageId\] is not found \(request id [0-9a-f-]{36}\)/,
  );
  const token = (await rc.tokenStore.load())!.tokens.access_token;
  equal(JSON.stringify({ ...e, message: e.message }).includes(token), false);
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

Deno.test("RingCentral.fromEnv() with no credentials uses the built-in emulator and says so once", async () => {
  await using dir = await tempDir();
  const notices: string[] = [];
  const rc = await RingCentral.fromEnv({ dir: dir.path, env: {}, onNotice: (m) => notices.push(m) });
  equal(rc.target, "emulator");
  ok(rc.emulator);
  deepEqual(notices, [
    "No credentials in .env-sandbox: using the built-in RingCentral emulator (offline). To use your RingCentral account, fill RC_CLIENT_ID, RC_CLIENT_SECRET and RC_JWT in .env-sandbox.",
  ]);
  const me = await (await rc.get(`${EXT}/~`)).json();
  equal(me.name, "Alice Admin");
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
