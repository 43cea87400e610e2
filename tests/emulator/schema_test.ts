/**
 * The emulator's own request check (lib/emulator/_schema.ts, no npm package)
 * agrees with Ajv, which the tests and the spec task use, on every sampled
 * request body of the spec and on bodies broken in each way it checks.
 */
import { deepEqual, equal } from "node:assert/strict";
import { loadSamples, loadSchemas, operations, type Schema } from "../../lib/api/catalog.ts";
import { coerce, problems } from "../../lib/emulator/_schema.ts";
import { SchemaValidator } from "../../scripts/spec/validator.ts";

const { schemas } = await loadSchemas();
const ajv = new SchemaValidator(schemas);

Deno.test("the emulator's check agrees with Ajv on every sampled request body of the spec", async () => {
  const { requests } = await loadSamples();
  let compared = 0;
  for (const op of operations) {
    const schema = op.requestBody?.schema;
    if (!schema || !(op.operationId in requests)) continue;
    const body = requests[op.operationId];
    equal(problems(schema, body, schemas).length === 0, ajv.compile(schema)(body).length === 0, op.operationId);
    compared++;
  }
  equal(compared, 177);
});

Deno.test("the emulator's check refuses what Ajv refuses, with Ajv's words", () => {
  const sms: Schema = { $ref: "#/components/schemas/CreateSMSMessage" };
  const good = { from: { phoneNumber: "+16505550101" }, to: [{ phoneNumber: "+16505550199" }], text: "Hi" };
  const cases: [unknown, string][] = [
    [{ ...good, text: 5 }, "/text must be string"],
    [{ ...good, to: [{}] }, "/to/0 must have required property 'phoneNumber'"],
    [{ from: good.from, text: "Hi" }, " must have required property 'to'"],
    [{ ...good, country: { id: 5 } }, "/country/id must be string"],
  ];
  for (const [body, expected] of cases) {
    const ours = problems(sms, body, schemas).map((p) => `${p.path} ${p.message}`);
    const theirs = ajv.compile(sms)(body).map((e) => `${e.path} ${e.message}`);
    deepEqual(ours, [expected]);
    deepEqual(theirs, [expected]);
  }
  const uuid: Schema = { type: "string", format: "uuid" };
  deepEqual(problems(uuid, "nope", schemas).map((p) => p.message), ['must match format "uuid"']);
  deepEqual(problems({ type: "integer", enum: [1, 2] }, 3, schemas).map((p) => p.message), ["must be one of 1, 2"]);
});

Deno.test("path and query values take their schema's type before the check", () => {
  equal(coerce({ type: "integer" }, "10", schemas), 10);
  equal(coerce({ type: "integer" }, "ten", schemas), "ten");
  equal(coerce({ type: "boolean" }, "true", schemas), true);
  deepEqual(coerce({ type: "array", items: { type: "integer" } }, "5", schemas), [5]);
  deepEqual(coerce({ $ref: "#/components/schemas/CallDirectionEnum" }, "Inbound", schemas), "Inbound");
});
