import { deepEqual, equal, match, ok } from "node:assert/strict";
import {
  ApiError,
  ConfigError,
  type Exchange,
  NetworkError,
  RingCentral,
  RingCentralError,
  TimeoutError,
} from "../mod.ts";
import { serveEmulator } from "./_helpers.ts";

const EXT = "/restapi/v1.0/account/~/extension";

Deno.test("ApiError carries status, errorCode, message, the answer's request id, method and path", async () => {
  await using served = serveEmulator();
  const exchanges: Exchange[] = [];
  const rc = new RingCentral({ ...served.credentials, onExchange: (x) => exchanges.push(x) });
  const e = await rc.get(`${EXT}/~/message-store/12345`).catch((e) => e);
  ok(e instanceof ApiError);
  const answered = exchanges.at(-1)!;
  equal(answered.status, 404);
  equal(e.requestId, answered.responseHeaders.rcrequestid, "the request id of the very answer that failed");
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

Deno.test("instanceof tells the four kinds apart, and each is a RingCentralError", async () => {
  await using served = serveEmulator({ rateLimits: false });
  const kinds = [ApiError, NetworkError, TimeoutError, ConfigError];
  const api = await new RingCentral(served.credentials).get(`${EXT}/999`).catch((e) => e);
  const refused = await new RingCentral({ server: "http://127.0.0.1:9", clientId: "x", jwt: "a.b.c", retries: 0 })
    .get(EXT).catch((e) => e);
  const slow = await new RingCentral({
    ...served.credentials,
    timeoutMs: 5,
    retries: 0,
    fetch: (_input, init) =>
      new Promise((_, reject) => init?.signal?.addEventListener("abort", () => reject(init.signal!.reason))),
  }).get(EXT).catch((e) => e);
  const config = await RingCentral.fromEnv({ env: { ENVIRONMENT: "production" }, dir: "/nonexistent" }).catch((e) => e);
  const errors = [api, refused, slow, config];
  errors.forEach((e, i) => {
    ok(e instanceof RingCentralError, `${kinds[i].name}: ${e}`);
    kinds.forEach((kind, j) => equal(e instanceof kind, i === j, `${e.name} instanceof ${kind.name}`));
    equal(e.name, kinds[i].name);
  });
});

Deno.test("a request cancelled by its own signal rejects with the signal's reason, as fetch does", async () => {
  await using served = serveEmulator({ rateLimits: false });
  const rc = new RingCentral(served.credentials);
  await rc.authenticate();
  const reason = new Error("stop");
  const controller = new AbortController();
  const call = rc.get(EXT, undefined, { signal: controller.signal });
  controller.abort(reason);
  equal(await call.catch((e) => e), reason);
  equal(await rc.get(EXT, undefined, { signal: AbortSignal.abort(reason) }).catch((e) => e), reason);
});

/** A server of the test's own on loopback: `answer` answers every request (the token endpoint too). */
function answering(answer: (request: Request) => Response) {
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, answer);
  const options = { server: `http://127.0.0.1:${server.addr.port}`, clientId: "id", jwt: "a.b.c", retries: 0 };
  return { options, [Symbol.asyncDispose]: () => server.shutdown() };
}

Deno.test("an error body with a quote after a secret-named field is redacted by structure: an ApiError, never a SyntaxError", async (t) => {
  const TOKEN = { access_token: "t0k3n-for-tests", token_type: "bearer", expires_in: 3600 };
  await t.step('a 404 whose message says token=ab"cd', async () => {
    await using s = answering((request) =>
      new URL(request.url).pathname === "/restapi/oauth/token"
        ? Response.json(TOKEN)
        : Response.json({ errorCode: "CMN-102", message: 'No record for token=ab"cd here, nor code=ab\\"cd' }, {
          status: 404,
        })
    );
    const e = await new RingCentral({ ...s.options, pacing: false }).get(`${EXT}/~`).catch((e) => e);
    ok(e instanceof ApiError, String(e?.stack ?? e));
    equal(e.status, 404);
    const message = (e.body as { message: string }).message;
    equal(message.includes("ab"), false, message);
    match(message, /token=\[REDACTED\]/);
    match(e.message, /token=\[REDACTED\]/);
  });
  await t.step('a login whose answer echoes the form, password=pa"ss', async () => {
    await using s = answering(() =>
      Response.json({ error: "invalid_grant", error_description: 'bad form: grant_type=password&password=pa"ss' }, {
        status: 400,
      })
    );
    const rc = new RingCentral({
      ...s.options,
      jwt: undefined,
      username: "bob",
      password: "secret-of-bob",
      pacing: false,
    });
    const e = await rc.login().catch((e) => e);
    ok(e instanceof ApiError, String(e?.stack ?? e));
    equal(e.status, 400);
    equal(JSON.stringify(e.body).includes("password=pa"), false, JSON.stringify(e.body));
    equal(e.message.includes('pa"'), false, e.message);
  });
  await t.step("secret-named keys are redacted whatever their value", () => {
    const e = new ApiError({
      status: 400,
      message: "x",
      body: { refresh_token: 'ab"cd\\', nested: [{ password: 1 }] },
    });
    deepEqual(e.body, { refresh_token: "[REDACTED]", nested: [{ password: "[REDACTED]" }] });
  });
});

Deno.test("an ApiError's body given as a class instance is redacted as data too", () => {
  class Answer {
    access_token = "t0k3n-in-a-class";
    note = "Bearer abcdefgh";
  }
  const e = new ApiError({ status: 400, message: "x", body: new Answer() });
  deepEqual(e.body, { access_token: "[REDACTED]", note: "Bearer [REDACTED]" });
});
