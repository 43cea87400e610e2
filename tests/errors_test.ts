import { equal, match, ok } from "node:assert/strict";
import { RingCentral, RingCentralError } from "../mod.ts";
import { serveEmulator } from "./_helpers.ts";

const EXT = "/restapi/v1.0/account/~/extension";

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
