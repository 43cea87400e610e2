/**
 * The operations the emulator has no state for answer from the spec:
 * validated, rate-limited in their group, a sampled body marked as one,
 * the same for the same request; the stateful routes take precedence.
 */
import { deepEqual, equal, match, ok } from "node:assert/strict";
import { type ApiError, RingCentral } from "../../mod.ts";
import { inProcess } from "../_helpers.ts";

const EXT = "/restapi/v1.0/account/~/extension/~";
const failure = (p: Promise<unknown>) => p.then(() => assertNever(), (e: ApiError) => e);
function assertNever(): never {
  throw new Error("expected a failure");
}

Deno.test("a sampled answer is marked, valid against the spec, and the same for the same request", async () => {
  await using emu = inProcess({ permissions: ["ReadAccounts", "ReadContacts"] });
  const rc = new RingCentral(emu.credentials);
  const first = await rc.get(`${EXT}/address-book/contact`, { sortBy: ["FirstName"], perPage: 10 });
  equal(first.headers.get("x-emulator-sample"), "true");
  equal(first.headers.get("x-rate-limit-group"), "heavy");
  const again = await rc.get(`${EXT}/address-book/contact`, { sortBy: ["FirstName"], perPage: 10 });
  deepEqual(await again.json(), await first.json());
  equal(emu.spec.validated, 3); // the token, then both answers
  // A route emulated with state answers itself, unmarked.
  const me = await rc.get(EXT);
  equal(me.headers.get("x-emulator-sample"), null);
  equal((await me.json()).name, "Alice Admin");
});

Deno.test("a sampled operation checks path, query and body: RingCentral's 400 CMN-101 names the parameter", async () => {
  await using emu = inProcess({ permissions: ["ReadAccounts", "ReadContacts", "AI", "ReadWebinars"] });
  const rc = new RingCentral(emu.credentials);
  const wrongType = await failure(rc.request("GET", `${EXT}/address-book/contact`, { query: { perPage: "many" } }));
  deepEqual([wrongType.status, wrongType.errorCode], [400, "CMN-101"]);
  equal(wrongType.detail, "Parameter [perPage] value is invalid. It must be integer.");
  equal((wrongType.body as { parameterName: string }).parameterName, "perPage");
  const enumValue = await failure(
    rc.request("GET", `${EXT}/address-book/contact`, { query: { sortBy: "Everything" } }),
  );
  equal(
    enumValue.detail,
    'Parameter [sortBy[0]] value is invalid. It must be one of "FirstName", "LastName", "Company".',
  );
  const missing = await failure(rc.request("GET", "/webinar/configuration/v1/webinars"));
  equal(missing.detail, "Parameter [creationTimeFrom] is required");
  const path = await failure(rc.request("GET", "/ai/status/v1/jobs/not-a-uuid"));
  equal(path.detail, 'Parameter [jobId] value is invalid. It must match format "uuid".');
  const body = {
    contentUri: "https://example.com/a.wav",
    encoding: "Wav",
    languageCode: "en-US",
    source: "RingCentral",
    audioType: "CallCenter",
    speakerCount: "two",
  };
  const query = { webhook: "https://example.com/hook" };
  const field = await failure(rc.request("POST", "/ai/audio/v1/async/speaker-diarize", { query, body }));
  equal(field.detail, "Parameter [speakerCount] value is invalid. It must be integer.");
  const none = await failure(rc.request("POST", "/ai/audio/v1/async/speaker-diarize", { query }));
  equal(none.detail, "Parameter [body] is required");
  const ok = await rc.request("POST", "/ai/audio/v1/async/speaker-diarize", {
    query,
    body: { ...body, speakerCount: 2 },
  });
  equal(ok.status, 202);
});

Deno.test("a sampled operation counts in its rate-limit group on the emulated clock", async () => {
  let clock = Date.UTC(2026, 0, 1);
  await using emu = inProcess({ permissions: ["ReadAccounts", "ReadContacts"], now: () => clock });
  const rc = new RingCentral({ ...emu.credentials, now: () => clock, pacing: false, retries: 0 });
  for (let i = 0; i < 10; i++) equal((await rc.get(`${EXT}/address-book/contact`)).status, 200);
  const limited = await failure(rc.get(`${EXT}/address-book/contact`));
  deepEqual([limited.status, limited.errorCode], [429, "CMN-301"]);
  // Another group is not limited, and the window passes on the emulated clock.
  equal((await rc.get(EXT)).status, 200);
  clock += 61_000;
  equal((await rc.get(`${EXT}/address-book/contact`)).status, 200);
});

Deno.test("an operation's other methods are a 405, a path in no operation a 404", async () => {
  await using emu = inProcess();
  const rc = new RingCentral(emu.credentials);
  const method = await failure(rc.request("PATCH", "/restapi/v1.0/account/~/extension/~/address-book/contact"));
  deepEqual([method.status, method.errorCode], [405, "CMN-103"]);
  const nowhere = await failure(rc.request("GET", "/restapi/v1.0/account/~/no-such-thing"));
  deepEqual([nowhere.status, nowhere.errorCode], [404, "AGW-404"]);
  match(nowhere.detail ?? "", /Resource not found/);
  ok(emu.spec.validated >= 3);
});
