/**
 * The emulator against the OpenAPI subset: every operation implemented with
 * the spec's rate-limit group, and the validator that checks every response
 * of the test suite (see tests/_helpers.ts) shown to catch wrong bodies.
 */
import { deepEqual, equal, ok } from "node:assert/strict";
import { RingCentral } from "../../mod.ts";
import { ROUTES } from "../../lib/emulator/routes.ts";
import { serveEmulator } from "../_helpers.ts";
import {
  FULL_SPEC_PATH,
  FULL_SPEC_PATHS,
  KNOWN_SPEC_DEFECTS,
  SPEC_AVAILABLE,
  SPEC_PATH,
  specValidator,
} from "../_spec.ts";

const ignore = !SPEC_AVAILABLE;
if (ignore) console.error(`spec checks ignored: no OpenAPI subset at ${SPEC_PATH} (set RC_OPENAPI_SUBSET)`);

Deno.test(
  { name: "every operation of the spec subset is emulated, in the spec's rate-limit group", ignore },
  async () => {
    const v = (await specValidator())!;
    const paths = v.spec.paths as Record<string, Record<string, { "x-throttling-group"?: string }>>;
    const missing: string[] = [];
    let checked = 0;
    for (const [path, item] of Object.entries(paths)) {
      const concrete = path.replace(/\{[^}]+\}/g, "1");
      for (const [method, op] of Object.entries(item)) {
        if (!op?.["x-throttling-group"]) continue;
        const route = ROUTES.find((r) =>
          r.method === method.toUpperCase() &&
          new RegExp(`^${r.pattern.replace(/:\w+/g, "[^/]+")}$`).test(concrete)
        );
        if (!route) missing.push(`${method.toUpperCase()} ${path}`);
        else {
          equal(route.group, op["x-throttling-group"], `${method} ${path}`);
          checked++;
        }
      }
    }
    deepEqual(missing, []);
    equal(checked, 13);
  },
);

Deno.test({ name: "the spec validator rejects bodies that break the schema", ignore }, async () => {
  const v = (await specValidator())!;
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
  equal(KNOWN_SPEC_DEFECTS.length, 1);
});

Deno.test({ name: "a sweep of every endpoint, successes and errors, validates against the spec", ignore }, async () => {
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

Deno.test(
  {
    name:
      "the subscription, wstoken and company phone-number APIs are emulated in the full spec's groups, and validated by it",
    ignore,
  },
  async () => {
    const v = (await specValidator("/restapi/v1.0/subscription"))!;
    ok(v, `the full spec is at ${FULL_SPEC_PATH}`);
    const paths = v.spec.paths as Record<string, Record<string, { "x-throttling-group"?: string }>>;
    let checked = 0;
    for (const [path, item] of Object.entries(paths)) {
      if (!FULL_SPEC_PATHS.test(path)) continue;
      const concrete = path.replace(/\{[^}]+\}/g, "1");
      for (const [method, op] of Object.entries(item)) {
        if (!op?.["x-throttling-group"]) continue;
        const route = ROUTES.find((r) =>
          r.method === method.toUpperCase() && new RegExp(`^${r.pattern.replace(/:\w+/g, "[^/]+")}$`).test(concrete)
        );
        ok(route, `${method.toUpperCase()} ${path} is emulated`);
        equal(route.group, op["x-throttling-group"], `${method} ${path}`);
        ok(
          v.schemaFor(method.toUpperCase(), concrete, method === "delete" ? 400 : 200),
          `${method} ${path} has a schema`,
        );
        checked++;
      }
    }
    equal(checked, 8);
    const bad = v.validate("POST", "/restapi/v1.0/subscription", 200, "application/json", JSON.stringify({ id: 1 }));
    ok(bad.validated && bad.errors.length > 0);
  },
);
