/**
 * The catalog (`./api`) against the pinned spec itself: an entry for every
 * operation, the fields each one carries, the search; and the derived files
 * are what `deno task spec` gives today.
 */
import { deepEqual, equal, match, ok } from "node:assert/strict";
import YAML from "yaml";
import specText from "ringcentral-open-api-parser/rc-public-openapi.yml" with { type: "text" };
import { findOperations, operations, SOURCE } from "../../lib/api/mod.ts";
import { ROOT, runDeno } from "../_helpers.ts";

const spec = YAML.parse(specText, { version: "1.2", schema: "core" });
const METHODS = ["get", "put", "post", "delete", "patch", "head", "options", "trace"];

Deno.test("operations has one entry for every operation of the pinned spec, with its extensions", () => {
  const inSpec: string[] = [];
  for (const [path, item] of Object.entries<Record<string, Record<string, unknown>>>(spec.paths)) {
    for (const method of METHODS) if (item[method]) inSpec.push(`${method.toUpperCase()} ${path}`);
  }
  equal(inSpec.length, 496);
  deepEqual(operations.map((o) => `${o.method} ${o.path}`).sort(), inSpec.sort());
  for (const op of operations) {
    const raw = spec.paths[op.path][op.method.toLowerCase()];
    equal(op.operationId, raw.operationId);
    equal(op.permission, raw["x-app-permission"], op.operationId);
    equal(op.rateGroup, raw["x-throttling-group"], op.operationId);
    equal(op.area, raw.tags[0]);
    match(op.reference, /^https:\/\/developers\.ringcentral\.com\/api-reference\/[A-Za-z0-9-]+\/\w+$/);
  }
  match(SOURCE, /^npm:ringcentral-open-api-parser@0\.15\.9 /);
});

Deno.test("operations carry their parameters and request body schema", () => {
  const sms = operations.find((o) => o.operationId === "createSMSMessage")!;
  deepEqual(sms.requestBody, {
    required: true,
    contentType: "application/json",
    schema: { $ref: "#/components/schemas/CreateSMSMessage" },
  });
  const log = operations.find((o) => o.operationId === "readUserCallLog")!;
  const direction = log.parameters.find((p) => p.name === "direction")!;
  equal(direction.in, "query");
  deepEqual(direction.schema.items, { $ref: "#/components/schemas/CallDirectionEnum" });
  ok(log.parameters.find((p) => p.name === "accountId")?.required);
});

Deno.test("findOperations() ranks by words over areas, paths and summaries", () => {
  equal(findOperations("call log")[0].operationId, "readUserCallLog");
  equal(findOperations("Call-Log")[0].operationId, "readUserCallLog");
  equal(findOperations("send sms")[0].operationId, "createSMSMessage");
  equal(findOperations("message store")[0].operationId, "listMessages");
  deepEqual(findOperations("no such words anywhere"), []);
  deepEqual(findOperations("  "), []);
  for (const words of ["call logs", "the call log", "my call log", "ReadCallLog", "readcalllog"]) {
    equal(findOperations(words)[0]?.operationId, "readUserCallLog", words);
  }
  for (const words of ["send an sms", "how to send sms", "send SMS messages", "how do I send a text message"]) {
    equal(findOperations(words)[0]?.operationId, "createSMSMessage", words);
  }
  ok(findOperations("sms messages").some((o) => o.operationId === "createSMSMessage"));
  equal(findOperations("voicemail")[0]?.operationId, "listMessages");
  equal(findOperations("voice mail")[0]?.operationId, "listMessages");
  equal(findOperations("faxes")[0]?.operationId, "createFaxMessage");
  // Every word matched ranks above some words matched.
  equal(findOperations("update company business hours")[0]?.operationId, "updateCompanyBusinessHours");
  ok(findOperations("ReadCallLog").every((o) => o.permission === "ReadCallLog"));
  ok(findOperations("call log unknownword").length > 0, "half the words matching is enough");
  deepEqual(findOperations("the a to"), []);
  // A pasted path: a URL, `~` or ids, a template, with or without /restapi/v1.0.
  for (
    const path of [
      "/restapi/v1.0/account/~/extension/~/call-log",
      "https://platform.ringcentral.com/restapi/v1.0/account/~/extension/~/call-log?view=Detailed",
      "/restapi/v1.0/account/{accountId}/extension/{extensionId}/call-log",
      "/account/123/extension/456/call-log",
    ]
  ) {
    deepEqual(findOperations(path).map((o) => o.operationId), ["readUserCallLog", "deleteUserCallLog"], path);
  }
  deepEqual(findOperations("/restapi/v1.0/no/such/path"), []);
  ok(findOperations("presence").every((o) => /presence/i.test(o.path + o.summary + o.area + o.operationId)));
});

Deno.test("the derived files are what deno task spec gives from the pinned package", async () => {
  const config = JSON.parse(await Deno.readTextFile(`${ROOT}/deno.json`));
  const flags = config.tasks.spec.replace(/^deno run /, "").replace(/ scripts\/spec\.ts$/, "").split(" ");
  const r = await runDeno(["run", ...flags, "scripts/spec.ts", "--check"]);
  equal(r.code, 0, r.stdout + r.stderr);
  match(r.stdout, /the derived files are up to date/);
  match(r.stdout, /repaired: .*undefined-security-scheme ×2/);
});
