/**
 * The emulator's check of a request against the spec's schemas: the part of
 * JSON Schema the spec's parameters and request bodies use (types, enums,
 * required, lengths, ranges, patterns, formats, `$ref`, `allOf`/`anyOf`/
 * `oneOf`). Written here rather than taken from Ajv so that the emulator,
 * which the client loads for its offline default, imports no npm package;
 * the tests check the emulator's answers with Ajv, independently.
 * @module
 */
import type { Schema } from "../api/catalog.ts";

/** One problem: where in the value (a JSON pointer), and what is wrong (Ajv's wording). */
export interface SchemaProblem {
  /** JSON pointer into the value (`""` for the value itself). */
  path: string;
  /** Such as `must be integer`. */
  message: string;
  /** The property that is missing, for a `required` problem. */
  missing?: string;
}

const FORMATS: Record<string, RegExp | ((v: string) => boolean)> = {
  "date-time": /^\d{4}-\d\d-\d\d[Tt ]\d\d:\d\d(:\d\d(\.\d+)?)?([Zz]|[+-]\d\d:?\d\d)?$/,
  date: /^\d{4}-\d\d-\d\d$/,
  time: /^\d\d:\d\d(:\d\d(\.\d+)?)?([Zz]|[+-]\d\d:?\d\d)?$/,
  email: /^[^\s@]+@[^\s@]+\.[^\s@]+$/,
  uuid: /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i,
  ipv4: /^((25[0-5]|2[0-4]\d|1?\d?\d)\.){3}(25[0-5]|2[0-4]\d|1?\d?\d)$/,
  uri: (v) => URL.canParse(v) && /^[a-z][a-z0-9+.-]*:/i.test(v),
};

function typeOf(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  if (typeof value === "number") return Number.isInteger(value) ? "integer" : "number";
  return typeof value;
}

/**
 * The problems of `value` against `schema`, none when it is valid. `oneOf`
 * is checked as `anyOf`: several of the spec's have overlapping branches, and
 * a request that fits one of them is not refused for fitting two.
 */
export function problems(schema: Schema, value: unknown, schemas: Record<string, Schema>, at = ""): SchemaProblem[] {
  if (schema.$ref) return problems(schemas[schema.$ref.split("/").pop()!] ?? {}, value, schemas, at);
  if (value === null && schema.nullable) return [];
  const found: SchemaProblem[] = [];
  for (const part of (schema.allOf as Schema[] | undefined) ?? []) found.push(...problems(part, value, schemas, at));
  const anyOf = (schema.anyOf ?? schema.oneOf) as Schema[] | undefined;
  if (anyOf && !anyOf.some((branch) => problems(branch, value, schemas, at).length === 0)) {
    found.push({ path: at, message: "must match a schema in anyOf" });
  }
  const type = typeOf(value);
  if (schema.type && !(schema.type === type || (schema.type === "number" && type === "integer"))) {
    return [...found, { path: at, message: `must be ${schema.type}` }];
  }
  if (schema.enum && !schema.enum.some((e) => e === value)) {
    found.push({ path: at, message: `must be one of ${schema.enum.map((e) => JSON.stringify(e)).join(", ")}` });
  }
  if (typeof value === "string") found.push(...stringProblems(schema, value, at));
  if (typeof value === "number") {
    if (typeof schema.minimum === "number" && value < schema.minimum) {
      found.push({ path: at, message: `must be >= ${schema.minimum}` });
    }
    if (typeof schema.maximum === "number" && value > schema.maximum) {
      found.push({ path: at, message: `must be <= ${schema.maximum}` });
    }
  }
  if (Array.isArray(value)) found.push(...arrayProblems(schema, value, schemas, at));
  if (type === "object") found.push(...objectProblems(schema, value as Record<string, unknown>, schemas, at));
  return found;
}

function stringProblems(schema: Schema, value: string, at: string): SchemaProblem[] {
  const found: SchemaProblem[] = [];
  const length = [...value].length;
  if (typeof schema.minLength === "number" && length < schema.minLength) {
    found.push({ path: at, message: `must NOT have fewer than ${schema.minLength} characters` });
  }
  if (typeof schema.maxLength === "number" && length > schema.maxLength) {
    found.push({ path: at, message: `must NOT have more than ${schema.maxLength} characters` });
  }
  if (typeof schema.pattern === "string" && !new RegExp(schema.pattern, "u").test(value)) {
    found.push({ path: at, message: `must match pattern "${schema.pattern}"` });
  }
  const format = schema.format ? FORMATS[schema.format] : undefined;
  if (format && !(typeof format === "function" ? format(value) : format.test(value))) {
    found.push({ path: at, message: `must match format "${schema.format}"` });
  }
  return found;
}

function arrayProblems(schema: Schema, value: unknown[], schemas: Record<string, Schema>, at: string) {
  const found: SchemaProblem[] = [];
  if (typeof schema.minItems === "number" && value.length < schema.minItems) {
    found.push({ path: at, message: `must NOT have fewer than ${schema.minItems} items` });
  }
  if (typeof schema.maxItems === "number" && value.length > schema.maxItems) {
    found.push({ path: at, message: `must NOT have more than ${schema.maxItems} items` });
  }
  if (schema.uniqueItems && new Set(value.map((v) => JSON.stringify(v))).size < value.length) {
    found.push({ path: at, message: "must NOT have duplicate items" });
  }
  if (schema.items) value.forEach((item, i) => found.push(...problems(schema.items!, item, schemas, `${at}/${i}`)));
  return found;
}

function objectProblems(schema: Schema, value: Record<string, unknown>, schemas: Record<string, Schema>, at: string) {
  const found: SchemaProblem[] = [];
  for (const name of schema.required ?? []) {
    if (value[name] === undefined) {
      found.push({ path: at, message: `must have required property '${name}'`, missing: name });
    }
  }
  for (const [name, sub] of Object.entries(schema.properties ?? {})) {
    if (value[name] !== undefined) found.push(...problems(sub, value[name], schemas, `${at}/${pointer(name)}`));
  }
  return found;
}

function pointer(name: string): string {
  return name.replace(/~/g, "~0").replace(/\//g, "~1");
}

/**
 * A path or query value as the parameter's schema types it: `"10"` for an
 * integer is 10, `"true"` for a boolean is true, one value for an array is
 * an array of one; what does not convert stays text, for the check to refuse.
 */
export function coerce(schema: Schema, value: unknown, schemas: Record<string, Schema>): unknown {
  if (schema.$ref) return coerce(schemas[schema.$ref.split("/").pop()!] ?? {}, value, schemas);
  if (schema.type === "array") {
    const list = Array.isArray(value) ? value : [value];
    return list.map((v) => coerce(schema.items ?? {}, v, schemas));
  }
  if (typeof value !== "string") return value;
  if ((schema.type === "integer" || schema.type === "number") && value.trim() !== "" && Number.isFinite(+value)) {
    return Number(value);
  }
  if (schema.type === "boolean" && (value === "true" || value === "false")) return value === "true";
  return value;
}
