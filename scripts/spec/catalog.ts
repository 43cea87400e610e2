/**
 * The catalog derived from the repaired spec: one record per operation, and
 * the component schemas in a form Ajv compiles in strict mode.
 * @module
 */
import type { Operation, Parameter, Schema, Schemas } from "../../lib/api/catalog.ts";
import { type Json, METHODS, resolveRef } from "./fixes.ts";

/** RingCentral's API reference: a page per operation, under its tag. */
const REFERENCE = "https://developers.ringcentral.com/api-reference";

/** Keywords that document a schema rather than constrain it; the catalog leaves them out (its size halves). */
const DOC_KEYWORDS = new Set(["description", "title", "externalDocs", "xml", "example", "examples"]);

/**
 * A schema Ajv compiles in strict mode (a copy). Schema-aware: the keys of
 * `properties` are names, not keywords.
 * - `example`, descriptions, `x-*` extensions: left out (Ajv strict knows no such keyword).
 * - `discriminator`: RingCentral puts it, with a `mapping`, on allOf bases; Ajv supports neither. It only
 *   annotates, so it is left out.
 * - `nullable` on a composed schema: Ajv's `nullable` only widens `type`, so it becomes `anyOf [null, …]`.
 * - `required` or `properties` without `type`: `type: object` is added (Ajv strictTypes).
 */
function ajvReady(s: Json): Json {
  if (Array.isArray(s)) return s.map(ajvReady);
  if (!s || typeof s !== "object") return s;
  const out: Json = {};
  for (const [k, v] of Object.entries<Json>(s)) {
    if (DOC_KEYWORDS.has(k) || k === "discriminator" || k.startsWith("x-")) continue;
    if (k === "properties" || k === "patternProperties") {
      out[k] = Object.fromEntries(Object.entries<Json>(v).map(([name, sub]) => [name, ajvReady(sub)]));
    } else if (["items", "additionalProperties", "not"].includes(k) && typeof v === "object") out[k] = ajvReady(v);
    else if (["allOf", "anyOf", "oneOf"].includes(k)) out[k] = v.map(ajvReady);
    else out[k] = v; // enum, default, required, format, pattern, … are values
  }
  if ((out.required || out.properties) && out.type === undefined && !out.$ref) out.type = "object";
  if (out.nullable === true && (out.allOf || out.oneOf || out.anyOf || out.$ref)) {
    const { nullable: _nullable, type: _type, ...rest } = out;
    return { anyOf: [{ type: "null" }, rest] };
  }
  return out;
}

/** A description as one short line (the first paragraph, at most 300 characters). */
function brief(text: unknown): string | undefined {
  if (typeof text !== "string" || !text.trim()) return undefined;
  const first = text.trim().split(/\n\s*\n/)[0].replace(/\s+/g, " ");
  return first.length > 300 ? `${first.slice(0, 297)}...` : first;
}

/** The content type an operation prefers (JSON when offered) and its schema. */
function pickContent(content: Json): { contentType: string; schema?: Json } | undefined {
  if (!content) return undefined;
  const types = Object.keys(content);
  const contentType = types.find((t) => /json/.test(t)) ?? types[0];
  return contentType ? { contentType, schema: content[contentType]?.schema } : undefined;
}

/** The page of an operation in RingCentral's API reference. */
function referenceOf(tag: string | undefined, operationId: string): string {
  return `${REFERENCE}/${(tag ?? "").replace(/[^A-Za-z0-9]+/g, "-")}/${operationId}`;
}

/** Every operation of the spec, in the spec's order. */
export function operationsOf(spec: Json): Operation[] {
  const deref = (x: Json) => (typeof x?.$ref === "string" ? resolveRef(spec, x.$ref) : x);
  const sectionOf = new Map<string, string>();
  for (const group of spec["x-tagGroups"] ?? []) for (const tag of group.tags) sectionOf.set(tag, group.name);
  const operations: Operation[] = [];
  for (const [path, item] of Object.entries<Json>(spec.paths)) {
    for (const method of METHODS) {
      const op = item[method];
      if (!op) continue;
      const tag: string | undefined = op.tags?.[0];
      const parameters = new Map<string, Parameter>();
      for (const p of [...(item.parameters ?? []), ...(op.parameters ?? [])].map(deref)) {
        parameters.set(`${p.in}:${p.name}`, {
          name: p.name,
          in: p.in,
          ...(p.required ? { required: true } : {}),
          ...(brief(p.description) ? { description: brief(p.description) } : {}),
          schema: ajvReady(p.schema ?? {}) as Schema,
        });
      }
      const body = op.requestBody ? deref(op.requestBody) : undefined;
      const bodyContent = pickContent(body?.content);
      const statuses = Object.keys(op.responses ?? {});
      const success = statuses.filter((s) => /^2/.test(s)).sort()[0] ?? statuses.filter((s) => /^3/.test(s)).sort()[0];
      const answer = success ? pickContent(deref(op.responses[success])?.content) : undefined;
      operations.push({
        operationId: op.operationId,
        method: method.toUpperCase() as Operation["method"],
        path,
        area: tag ?? "Other",
        ...(tag && sectionOf.has(tag) ? { section: sectionOf.get(tag) } : {}),
        summary: (op.summary ?? "").trim(),
        ...(op.deprecated ? { deprecated: true } : {}),
        ...(op["x-app-permission"] ? { permission: op["x-app-permission"] } : {}),
        ...(op["x-user-permission"] ? { userPermission: op["x-user-permission"] } : {}),
        ...(op["x-throttling-group"] ? { rateGroup: op["x-throttling-group"] } : {}),
        ...(Array.isArray(op.security) && op.security.length === 0 ? { anonymous: true } : {}),
        parameters: [...parameters.values()],
        ...(bodyContent
          ? {
            requestBody: {
              ...(body.required ? { required: true } : {}),
              contentType: bodyContent.contentType,
              ...(bodyContent.schema ? { schema: ajvReady(bodyContent.schema) } : {}),
            },
          }
          : {}),
        ...(success
          ? {
            response: {
              status: Number(success),
              ...(answer ? { contentType: answer.contentType } : {}),
              ...(answer?.schema ? { schema: ajvReady(answer.schema) } : {}),
            },
          }
          : {}),
        reference: referenceOf(tag, op.operationId),
      });
    }
  }
  return operations;
}

/** The component schemas, and the JSON schemas of the shared responses (such as `OauthInvalidRequest`), ready for Ajv. */
export function schemasOf(spec: Json): Schemas {
  const responses: Record<string, Schema> = {};
  for (const [name, response] of Object.entries<Json>(spec.components.responses ?? {})) {
    const schema = pickContent(response.content)?.schema;
    if (schema) responses[name] = ajvReady(schema);
  }
  return {
    schemas: Object.fromEntries(Object.entries<Json>(spec.components.schemas).map(([k, v]) => [k, ajvReady(v)])),
    responses,
  };
}
