import { deepEqual, equal, ok } from "node:assert/strict";

import { advance, authedGet as get, JWT, login, serveEmulator } from "../_helpers.ts";

Deno.test("emulator rate limits: Light 50 per window, headers, 429 CMN-301 with Retry-After", async () => {
  await using s = serveEmulator();
  const token = await login(s.url, s.credentials.jwt);
  const first = await get(s.url, token);
  deepEqual(
    ["group", "limit", "remaining", "window"].map((h) => first.headers.get(`x-rate-limit-${h}`)),
    ["light", "50", "49", "60"],
  );
  for (let i = 1; i < 50; i++) equal((await get(s.url, token)).status, 200);
  const limited = await get(s.url, token);
  equal(limited.status, 429);
  deepEqual(limited.body, {
    errorCode: "CMN-301",
    message: "Request rate exceeded",
    errors: [{ errorCode: "CMN-301", message: "Request rate exceeded" }],
  });
  equal(limited.headers.get("retry-after"), "60");
  equal(limited.headers.get("x-rate-limit-remaining"), "0");
  // Other groups are counted apart: the extension list is Medium.
  const medium = await get(s.url, token, "/restapi/v1.0/account/~/extension");
  equal(medium.status, 200);
  equal(medium.headers.get("x-rate-limit-group"), "medium");
  equal(medium.headers.get("x-rate-limit-limit"), "40");
});

Deno.test("emulator rate limits: the penalty restarts with every request made during it", async () => {
  await using s = serveEmulator({ rateWindow: 10 });
  const token = await login(s.url, s.credentials.jwt);
  for (let i = 0; i < 50; i++) await get(s.url, token);
  equal((await get(s.url, token)).status, 429); // penalty until t+10
  await advance(s.url, 8);
  const during = await get(s.url, token); // restarts: until t+18
  equal(during.status, 429);
  equal(during.headers.get("retry-after"), "10");
  await advance(s.url, 8);
  equal((await get(s.url, token)).status, 429, "still penalised: the penalty restarted at t+8");
  await advance(s.url, 10.5);
  const after = await get(s.url, token);
  equal(after.status, 200);
  equal(after.headers.get("x-rate-limit-window"), "10");
});

Deno.test("emulator rate limits: Auth allows 5 token requests per user per window", async () => {
  await using s = serveEmulator();
  for (let i = 0; i < 5; i++) ok(await login(s.url, s.credentials.jwt));
  const r = await fetch(`${s.url}/restapi/oauth/token`, {
    method: "POST",
    headers: { Authorization: `Basic ${btoa("emulator-client-id:emulator-client-secret")}` },
    body: new URLSearchParams({
      grant_type: JWT,
      assertion: s.credentials.jwt,
    }),
  });
  equal(r.status, 429);
  equal(r.headers.get("x-rate-limit-group"), "auth");
  equal((await r.json()).errorCode, "CMN-301");
  // Another user has a quota of its own.
  const { emulatorJwt, extensionIdOf } = await import("../../lib/emulator/seed.ts");
  ok(await login(s.url, emulatorJwt(extensionIdOf(102))));
});

Deno.test("emulator --rate-limits off: nothing is refused, and no limit is advertised", async () => {
  await using s = serveEmulator({ rateLimits: false });
  const token = await login(s.url, s.credentials.jwt);
  for (let i = 0; i < 60; i++) equal((await get(s.url, token)).status, 200);
  equal((await get(s.url, token)).headers.get("x-rate-limit-group"), null);
});

Deno.test("emulator stats count the rate-limit penalties started, not the requests that restart one", async () => {
  await using s = serveEmulator({ rateWindow: 60 });
  const token = await login(s.url, s.credentials.jwt);
  for (let i = 0; i < 53; i++) await get(s.url, token); // 50 pass, then one penalty, restarted twice
  equal(s.emulator.state.stats.penalties, 1);
  equal(s.emulator.state.stats.statuses["429"], 3);
});
