/**
 * The emulator against RingCentral's spec (derived from the pinned npm
 * package): every route it emulates with state is an operation of the spec,
 * in the spec's rate-limit group, with its app permission, and the validator that checks every
 * response of the test suite (see tests/_helpers.ts) catches wrong bodies.
 */
import { deepEqual, equal, ok } from "node:assert/strict";
import { RingCentral } from "../../mod.ts";
import { matchOperation } from "../../lib/api/match.ts";
import { ROUTES } from "../../lib/emulator/routes.ts";
import { serveEmulator } from "../_helpers.ts";
import { KNOWN_SPEC_DEFECTS, specValidator } from "../_spec.ts";

Deno.test("every route the emulator answers with state is an operation of the spec, in its group, with its permission", () => {
  const routes = ROUTES.filter((r) => !r.control);
  const outside: string[] = [];
  for (const route of routes) {
    const concrete = (route.aliasOf ?? route.pattern).replace(/:\w+/g, "1");
    const operation = matchOperation(route.method, concrete)?.operation;
    if (!operation) {
      outside.push(`${route.method} ${route.pattern}`);
      continue;
    }
    equal(route.group, operation.rateGroup, `${route.method} ${route.pattern}`);
    // wstoken checks its permission itself, with the SUB-528 RingCentral gives there.
    const permission = route.pattern === "/restapi/oauth/wstoken" ? "WebSocket" : route.permission;
    equal(permission, operation.permission, `${route.method} ${route.pattern}`);
  }
  deepEqual(outside, []);
  equal(routes.length, 90); // 75, then conversations and everyone (5), call control: forward, ignore, and 8 actions answered 501 on a live session (10)
});

Deno.test("the spec validator rejects bodies that break the schema", async () => {
  const v = await specValidator();
  const bad = v.validate(
    "GET",
    "/restapi/v1.0/account/~/extension",
    200,
    "application/json",
    JSON.stringify({ records: "no" }),
  );
  ok(bad.validated && bad.errors.length > 0);
  const token = v.validate(
    "POST",
    "/restapi/oauth/token",
    200,
    "application/json",
    JSON.stringify({ access_token: 1 }),
  );
  ok(token.errors.some((e) => /must have required property 'expires_in'|must be string/.test(e)));
  const error = v.validate("GET", "/restapi/v1.0/account/~", 404, "application/json", JSON.stringify({ message: "x" }));
  ok(error.errors.some((e) => /required property 'errors'/.test(e)));
  const oauth = v.validate(
    "POST",
    "/restapi/oauth/token",
    400,
    "application/json",
    JSON.stringify({ error: "made_up" }),
  );
  ok(oauth.errors.length > 0);
  const subscription = v.validate("POST", "/restapi/v1.0/subscription", 200, "application/json", '{"id":1}');
  ok(subscription.validated && subscription.errors.length > 0);
  equal(KNOWN_SPEC_DEFECTS.length, 6);
});

Deno.test("a sweep of every endpoint, successes and errors, validates against the spec", async () => {
  await using s = serveEmulator({ rateLimits: false });
  const rc = new RingCentral(s.credentials);
  const ext = "/restapi/v1.0/account/~/extension/~";
  const calls: (() => Promise<unknown>)[] = [
    () => rc.get("/restapi/v1.0/account/~"),
    () => rc.get("/restapi/v1.0/account/~/extension", { perPage: 5, page: 2 }),
    () => rc.get("/restapi/v1.0/account/~/extension", { type: ["User"], status: ["Enabled"] }),
    () => rc.get(ext),
    () => rc.get("/restapi/v1.0/account/~/extension/62264425202"),
    () => rc.get(`${ext}/phone-number`),
    () =>
      rc.post(`${ext}/sms`, {
        from: { phoneNumber: "+16505550101" },
        to: [{ phoneNumber: "+16505550199" }],
        text: "a",
      }),
    () =>
      rc.post(`${ext}/sms`, {
        from: { phoneNumber: "+16505550100" },
        to: [{ phoneNumber: "+16505550199" }],
        text: "a",
      }),
    () => rc.post(`${ext}/sms`, { from: { phoneNumber: "+16505550101" }, to: [{ phoneNumber: "bad" }], text: "a" }),
    () => rc.get(`${ext}/message-store`),
    () => rc.get(`${ext}/message-store/5001`),
    () => rc.get(`${ext}/message-store/5001,5002`),
    () => rc.get(`${ext}/message-store/1`),
    () => rc.get("/restapi/v1.0/account/~/extension", { perPage: 0 }),
    () => fetch(`${s.url}${ext}`).then((r) => r.body?.cancel()),
    () =>
      fetch(`${s.url}/restapi/oauth/token`, { method: "POST", body: new URLSearchParams({ grant_type: "password" }) })
        .then((r) => r.body?.cancel()),
  ];
  for (const call of calls) await call().catch(() => {});
  ok(s.spec.validated >= calls.length, `${s.spec.validated} responses validated`);
  deepEqual(s.spec.failures, []);
});
