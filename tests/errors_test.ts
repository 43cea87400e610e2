import { equal, match, ok } from "node:assert/strict";
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
