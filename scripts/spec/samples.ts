/**
 * Sampled bodies: a success answer and a request body for each operation,
 * made by openapi-sampler (MIT, Redocly's; it uses the spec's examples where
 * there are some and builds a value from the schema where there are none,
 * and has no randomness), then checked against the catalog's schemas.
 * @module
 */
import OpenAPISampler from "openapi-sampler";
import type { Operation, Samples, Schema } from "../../lib/api/catalog.ts";
import { SchemaValidator } from "./validator.ts";
import { type Json, resolveRef } from "./fixes.ts";

/**
 * openapi-sampler ignores `pattern` (its opt-in regex sampler turns `^\+[1-9]\d{1,14}$` into `\+1\d`), so a
 * patterned string without an example gets the first of these that matches.
 */
const PATTERN_CANDIDATES = [
  "+16505550100",
  "16505550100",
  "1",
  "10",
  "101",
  "2",
  "Role",
  "Cover",
  "Left",
  "Top",
  "2024-01-01T00:00:00Z",
];

/** A sample that does not validate: the operation, request or response, and the first errors. */
export interface InvalidSample {
  /** `operationId`. */
  operationId: string;
  /** Which body. */
  kind: "request" | "response";
  /** The schema errors. */
  errors: string[];
}

/** Gives every patterned string without an example one that matches (on a copy of the spec). */
function fillPatterns(node: Json): void {
  if (Array.isArray(node)) return node.forEach(fillPatterns);
  if (!node || typeof node !== "object") return;
  if (node.type === "string" && typeof node.pattern === "string" && node.example === undefined && !node.enum) {
    const re = new RegExp(node.pattern, "u");
    const hit = PATTERN_CANDIDATES.find((c) => re.test(c));
    if (!hit) throw new Error(`No sample string matches the pattern ${node.pattern}: add one to PATTERN_CANDIDATES`);
    node.example = hit;
  }
  Object.values(node).forEach(fillPatterns);
}

/**
 * The sampler stops at a recursive schema with `{}` (SCIM's `subAttributes`), which misses the item's
 * required properties: such empty items are left out of their array.
 */
function dropCutOffItems(value: unknown): unknown {
  if (Array.isArray(value)) {
    return value.filter((x) => !(x && typeof x === "object" && !Array.isArray(x) && !Object.keys(x).length))
      .map(dropCutOffItems);
  }
  if (!value || typeof value !== "object") return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, dropCutOffItems(v)]));
}

/** Samples every operation's JSON success answer and JSON request body, and lists those that do not validate. */
export function sampleOperations(
  spec: Json,
  operations: Operation[],
  schemas: Record<string, Schema>,
): { samples: Samples; invalid: InvalidSample[] } {
  const input = structuredClone(spec);
  fillPatterns(input);
  const deref = (x: Json) => (typeof x?.$ref === "string" ? resolveRef(input, x.$ref) : x);
  const validator = new SchemaValidator(schemas);
  const samples: Samples = { responses: {}, requests: {} };
  const invalid: InvalidSample[] = [];
  const sample = (schema: Json, direction: "request" | "response") =>
    dropCutOffItems(OpenAPISampler.sample(schema, {
      skipReadOnly: direction === "request",
      skipWriteOnly: direction === "response",
      quiet: true,
    }, input));
  const check = (operationId: string, kind: "request" | "response", schema: Schema | undefined, value: unknown) => {
    if (!schema) return;
    const errors = validator.compile(schema)(value);
    if (errors.length) invalid.push({ operationId, kind, errors: errors.map((e) => `${e.path || "/"} ${e.message}`) });
  };
  for (const op of operations) {
    const item = input.paths[op.path][op.method.toLowerCase()];
    const response = op.response;
    if (response?.schema && /json/.test(response.contentType ?? "")) {
      const raw = deref(item.responses[String(response.status)]).content[response.contentType!].schema;
      samples.responses[op.operationId] = sample(raw, "response");
      check(op.operationId, "response", response.schema, samples.responses[op.operationId]);
    }
    const body = op.requestBody;
    if (body?.schema && /json/.test(body.contentType)) {
      const raw = deref(item.requestBody).content[body.contentType].schema;
      samples.requests[op.operationId] = sample(raw, "request");
      check(op.operationId, "request", body.schema, samples.requests[op.operationId]);
    }
  }
  return { samples, invalid };
}
