/**
 * Every GET operation of the pinned spec, and a sample of POST operations,
 * against a served emulator whose app has every permission: each answers a
 * success (a stateful one, or the spec's sample, `X-Emulator-Sample: true`)
 * whose body the served emulator's validator checks against the spec (see
 * tests/_helpers.ts), or one of the documented errors below.
 */
import { deepEqual, equal, ok } from "node:assert/strict";
import { RingCentral } from "../../mod.ts";
import { loadSamples, loadSchemas, type Operation, operations, type Schema } from "../../lib/api/catalog.ts";
import { serveEmulator } from "../_helpers.ts";

const ALL_PERMISSIONS = [...new Set(operations.flatMap((o) => o.permission ? [o.permission] : []))];
const { schemas } = await loadSchemas();

/** Errors the sweep expects, by operationId: the status, the code, and why. */
const DOCUMENTED: Record<string, { status: number; errorCode: string; why: string }> = {
  authorize: { status: 400, errorCode: "OAU-153", why: "the sign-in page wants an app the emulator knows" },
  readMessageContent: { status: 404, errorCode: "CMN-102", why: "seed message 5001 has no attachment 1" },
  readSubscription: { status: 404, errorCode: "CMN-102", why: "the sweep creates no subscription first" },
  createSMSMessage: { status: 400, errorCode: "MSG-245", why: "the sample's sender is not one of the user's numbers" },
  createSubscription: { status: 400, errorCode: "CMN-101", why: "the sample's event filter is a placeholder" },
  readUserCallRecord: { status: 404, errorCode: "CMN-102", why: "call-log record ids are not 1" },
  readCompanyCallRecord: { status: 404, errorCode: "CMN-102", why: "call-log record ids are not 1" },
  readCallRecording: { status: 404, errorCode: "CMN-102", why: "no recording has id 1" },
  readCallRecordingContent: { status: 404, errorCode: "CMN-102", why: "no recording has id 1" },
  readRingOutCallStatus: { status: 404, errorCode: "CMN-102", why: "the sweep places no RingOut first" },
  readCallSessionStatus: { status: 404, errorCode: "CMN-102", why: "the sweep makes no call first" },
  readCallPartyStatus: { status: 404, errorCode: "CMN-102", why: "the sweep makes no call first" },
  transferCallParty: { status: 404, errorCode: "CMN-102", why: "the sweep makes no call first" },
  forwardCallParty: { status: 404, errorCode: "CMN-102", why: "the sweep makes no call first" },
  ignoreCallInQueue: { status: 404, errorCode: "CMN-102", why: "the sweep makes no call first" },
  readGlipChatNew: { status: 404, errorCode: "CMN-102", why: "Team Messaging's chat ids are not 1" },
  readGlipTeamNew: { status: 404, errorCode: "CMN-102", why: "Team Messaging's chat ids are not 1" },
  readGlipPostNew: { status: 404, errorCode: "CMN-102", why: "Team Messaging's chat ids are not 1" },
  readGlipPostsNew: { status: 404, errorCode: "CMN-102", why: "Team Messaging's chat ids are not 1" },
  createGlipPostNew: { status: 404, errorCode: "CMN-102", why: "Team Messaging's chat ids are not 1" },
  readGlipPersonNew: { status: 404, errorCode: "CMN-102", why: "no person has id 1" },
  readGlipConversationNew: { status: 404, errorCode: "CMN-102", why: "Team Messaging's chat ids are not 1" },
  createGlipConversationNew: { status: 400, errorCode: "CMN-101", why: 'the sample\'s member id is "string"' },
};

/** A value of a schema for a parameter: its enum's first, its default, or one of its type. */
function valueFor(schema: Schema): unknown {
  if (schema.$ref) return valueFor(schemas[schema.$ref.split("/").pop()!]);
  if (schema.enum) return schema.enum[0];
  if (schema.default !== undefined) return schema.default;
  if (schema.type === "array") return [valueFor(schema.items ?? {})];
  if (schema.type === "integer" || schema.type === "number") return 1;
  if (schema.type === "boolean") return false;
  if (schema.format === "date-time") return "2024-01-01T00:00:00Z";
  if (schema.format === "date") return "2024-01-01";
  if (schema.format === "uri") return "https://example.com/hook";
  if (schema.format === "uuid") return "6f1c3a7e-2b4d-4c8a-9e0f-1a2b3c4d5e6f";
  if (typeof schema.pattern === "string") {
    const candidates = ["16505550100", "+16505550100", "1", "10", "101"];
    return candidates.find((c) => new RegExp(schema.pattern as string, "u").test(c)) ?? "1";
  }
  return "1";
}

/** The operation's path with `~` for the account and extension, a seeded id for a message, else a valid value. */
function pathOf(op: Operation): string {
  return op.path.replace(/\{(\w+)\}/g, (_, name: string) => {
    if (name === "accountId" || name === "extensionId") return "~";
    if (name === "messageId") return "5001";
    const value = valueFor(op.parameters.find((p) => p.in === "path" && p.name === name)!.schema);
    return encodeURIComponent(String(Array.isArray(value) ? value[0] : value));
  });
}

/** The required query parameters, each with a valid value. */
function queryOf(op: Operation): Record<string, string | number | boolean | (string | number)[]> {
  return Object.fromEntries(
    op.parameters.filter((p) => p.in === "query" && p.required).map((p) => [p.name, valueFor(p.schema)]),
  ) as Record<string, string | number | boolean | (string | number)[]>;
}

/** Calls each operation and returns what did not answer as it should. */
async function sweep(
  rc: RingCentral,
  list: Operation[],
  body: (op: Operation) => unknown,
): Promise<{ unexpected: string[]; sampled: number; stateful: number }> {
  const unexpected: string[] = [];
  let sampled = 0, stateful = 0;
  for (const op of list) {
    const answer: { status: number; sample?: string | null; errorCode?: string; message?: string } = await rc
      .request(op.method, pathOf(op), { query: queryOf(op), body: body(op) })
      .then((r) => ({ status: r.status, sample: r.headers.get("x-emulator-sample") }))
      .catch((e) => ({ status: e.status, errorCode: e.errorCode, message: e.message }));
    const documented = DOCUMENTED[op.operationId];
    if (answer.status < 300 && !documented) {
      if (answer.sample === "true") sampled++;
      else stateful++;
      continue;
    }
    if (documented && answer.status === documented.status && answer.errorCode === documented.errorCode) continue;
    unexpected.push(`${op.operationId}: ${answer.message ?? answer.status}`);
  }
  return { unexpected, sampled, stateful };
}

Deno.test("every GET operation of the spec answers 200 with a body valid against the spec, or a documented error", async () => {
  await using s = serveEmulator({ rateLimits: false, permissions: ALL_PERMISSIONS });
  const rc = new RingCentral(s.credentials);
  const gets = operations.filter((o) => o.method === "GET");
  const { unexpected, sampled, stateful } = await sweep(rc, gets, () => undefined);
  deepEqual(unexpected, []);
  const documented = Object.keys(DOCUMENTED).filter((id) => gets.some((o) => o.operationId === id)).length;
  equal(sampled + stateful + documented, gets.length);
  ok(stateful >= 8, `${stateful} stateful answers`);
  ok(s.spec.validated >= gets.length - 20, `${s.spec.validated} answers validated`); // binary answers are not JSON
});

Deno.test("a sample of POST operations, sent their generated bodies, answers a valid success or a documented error", async () => {
  await using s = serveEmulator({ rateLimits: false, permissions: ALL_PERMISSIONS });
  const rc = new RingCentral(s.credentials);
  const { requests } = await loadSamples();
  const posts = operations.filter((o) => o.method === "POST" && o.operationId in requests);
  const chosen = posts.filter((_, i) => i % 4 === 0); // every fourth: a spread over every area, the same each run
  ok(chosen.length >= 24, `${chosen.length} POST operations`);
  const { unexpected, sampled, stateful } = await sweep(rc, chosen, (op) => requests[op.operationId]);
  deepEqual(unexpected, []);
  const documented = chosen.filter((o) => o.operationId in DOCUMENTED).length;
  equal(sampled + stateful + documented, chosen.length);
  ok(sampled + documented >= chosen.length - 4, `${sampled} sampled, ${documented} documented of ${chosen.length}`);
});
