/** The emulator's request pipeline: its order, thrown errors, counting once, and bad paths. */
import { deepEqual, equal, match } from "node:assert/strict";
import { createPipeline } from "../../lib/emulator/pipeline.ts";
import { apiError, invalidParameter } from "../../lib/emulator/_http.ts";
import { seedState } from "../../lib/emulator/seed.ts";
import type { Ctx } from "../../lib/emulator/_context.ts";
import type { Route } from "../../lib/emulator/_router.ts";
import { inProcess } from "../_helpers.ts";

const OPTIONS = {
  accessTtl: 3600,
  refreshTtl: 604800,
  refreshGrace: 10,
  rateLimits: true,
  rateWindow: 60,
  sessionLimit: 5,
  sendSeconds: 2,
  autoApprove: false,
  webSocketPermission: true,
  deliverSeconds: 3,
};

function pipeline(routes: Route<Ctx>[]) {
  const state = seedState({ now: Date.now() });
  const dispatch = createPipeline(routes, { state: () => state, now: Date.now, options: OPTIONS, reset() {} });
  const call = async (method: string, path: string) => {
    const response = await dispatch(new Request(`http://emulator.local${path}`, { method }));
    return { status: response.status, body: await response.json() };
  };
  return { state, call };
}

Deno.test("pipeline: an HttpError thrown by a handler, at once or later, is RingCentral's error answer", async () => {
  const { call, state } = pipeline([
    {
      method: "GET",
      pattern: "/now",
      auth: false,
      handler: () => {
        throw invalidParameter("perPage", { value: "0" });
      },
    },
    {
      method: "GET",
      pattern: "/later",
      auth: false,
      handler: async () => {
        await Promise.resolve();
        throw apiError(404, { errorCode: "CMN-102", message: "Resource for parameter [id] is not found" });
      },
    },
  ]);
  const now = await call("GET", "/now");
  equal(now.status, 400);
  deepEqual(now.body.errors, [{
    errorCode: "CMN-101",
    message: "Parameter [perPage] value is invalid.",
    parameterName: "perPage",
    parameterValue: "0",
  }]);
  equal(now.body.errorCode, "InvalidParameter");
  equal((await call("GET", "/later")).body.errorCode, "CMN-102");
  deepEqual(state.stats.statuses, { 400: 1, 404: 1 }, "each answer counted once");
  equal(state.stats.requests, 2);
});

Deno.test("pipeline: controls are neither counted nor faulted; a fault comes before authentication", async () => {
  await using e = inProcess();
  const post = (path: string, body: unknown) =>
    e.fetch(`http://emulator.local${path}`, { method: "POST", body: JSON.stringify(body) });
  await (await post("/__emulator/faults", { path: "/restapi/v1.0/account/~", status: 503 })).body?.cancel();
  await (await e.fetch("http://emulator.local/__emulator/stats")).body?.cancel();
  const faulted = await e.fetch("http://emulator.local/restapi/v1.0/account/~"); // no token at all
  equal(faulted.status, 503);
  equal((await faulted.json()).errorCode, "CMN-211");
  const next = await e.fetch("http://emulator.local/restapi/v1.0/account/~");
  equal(next.status, 401, "the fault applied once; then authentication answers");
  await next.body?.cancel();
  const stats = e.emulator.state.stats;
  equal(stats.requests, 2, "the control calls are not counted");
  deepEqual(stats.statuses, { 401: 1, 503: 1 });
});

Deno.test("pipeline: unknown paths 404, wrong methods 405, malformed escapes 404, unknown controls explained", async () => {
  await using e = inProcess();
  const get = async (path: string, method = "GET") => {
    const r = await e.fetch(`http://emulator.local${path}`, { method });
    return { status: r.status, body: await r.json() };
  };
  equal((await get("/restapi/v1.0/nothing")).body.errorCode, "AGW-404");
  equal((await get("/restapi/v1.0/account/~", "DELETE")).status, 405);
  const malformed = await get("/restapi/v1.0/account/%E0%A4%A/extension");
  equal(malformed.status, 404, "a malformed %-escape is not a 500");
  const control = await get("/__emulator/nothing");
  equal(control.status, 404);
  match(control.body.message, /GET \/__emulator\/stats/);
});
