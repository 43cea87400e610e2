/**
 * JSON Schema validation against the derived catalog's schemas, with Ajv
 * in strict mode: the spec task compiles every schema and checks its
 * samples, and the tests check every answer the emulator gives (apart from
 * the emulator's own request check, lib/emulator/_schema.ts).
 * @module
 */
import { Ajv, type ErrorObject, type ValidateFunction } from "ajv";
import formatsModule from "ajv-formats";
import type { Schema } from "../../lib/api/catalog.ts";

// ajv-formats is CommonJS: its function is the module's default export.
const addFormats = (formatsModule as unknown as { default: (ajv: Ajv) => void }).default;

/** The base URI the component schemas are registered under. */
const SCHEMAS_ID = "https://catalog.invalid/schemas.json";

/** One schema violation: where in the value, and what is wrong. */
export interface SchemaError {
  /** JSON pointer into the value (`""` for the value itself). */
  path: string;
  /** Ajv's message, such as `must be integer`. */
  message: string;
  /** The property that is missing, for a `required` violation. */
  missing?: string;
}

/** A compiled schema: the errors of a value, none when it is valid. */
export type Check = (value: unknown) => SchemaError[];

/**
 * Validates values against schemas of the catalog (`$ref`s to
 * `#/components/schemas/X` resolve among `schemas`).
 *
 * @example
 * ```ts
 * import { SchemaValidator } from "./validator.ts";
 * import { deepEqual } from "node:assert/strict";
 * const validator = new SchemaValidator({ Id: { type: "integer" } });
 * const check = validator.compile({ type: "object", properties: { id: { $ref: "#/components/schemas/Id" } } });
 * deepEqual(check({ id: "x" }).map((e) => `${e.path} ${e.message}`), ["/id must be integer"]);
 * ```
 */
export class SchemaValidator {
  #ajv: Ajv;
  #compiled = new Map<Schema, Check>();

  /**
   * `coerceTypes` turns strings into the numbers and booleans a schema asks
   * for, and a single value into an array (query and path parameters).
   */
  constructor(schemas: Record<string, Schema>, { coerceTypes = false }: { coerceTypes?: boolean } = {}) {
    // strictRequired is off: RingCentral puts `required` and `properties` in different members of an allOf.
    this.#ajv = new Ajv({
      strict: true,
      strictRequired: false,
      allErrors: true,
      coerceTypes: coerceTypes ? "array" : false,
      logger: false,
    });
    addFormats(this.#ajv);
    // OpenAPI's formats that JSON Schema does not define say how a value is stored, not what it may be.
    for (const f of ["int32", "int64", "float", "double", "byte", "binary", "password"]) this.#ajv.addFormat(f, true);
    this.#ajv.addKeyword("components"); // the root is a container of schemas, not a schema
    this.#ajv.addSchema({ $id: SCHEMAS_ID, components: { schemas } });
  }

  /** Compiles a schema once; throws Ajv's error when the schema itself is broken. */
  compile(schema: Schema): Check {
    let check = this.#compiled.get(schema);
    if (!check) {
      const validate: ValidateFunction = this.#ajv.compile(withAbsoluteRefs(schema) as object);
      check = (value) => validate(value) ? [] : (validate.errors ?? []).map(errorOf);
      this.#compiled.set(schema, check);
    }
    return check;
  }
}

function errorOf(e: ErrorObject): SchemaError {
  const missing = e.keyword === "required" ? (e.params as { missingProperty: string }).missingProperty : undefined;
  const allowed = e.keyword === "enum" ? (e.params as { allowedValues: unknown[] }).allowedValues : undefined;
  const message = allowed ? `must be one of ${allowed.map((v) => JSON.stringify(v)).join(", ")}` : e.message;
  return { path: e.instancePath, message: message ?? e.keyword, ...(missing ? { missing } : {}) };
}

/** A copy of `schema` whose `#/…` refs name the registered component schemas. */
function withAbsoluteRefs(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(withAbsoluteRefs);
  if (!schema || typeof schema !== "object") return schema;
  return Object.fromEntries(
    Object.entries(schema).map(([k, v]) => [
      k,
      k === "$ref" && typeof v === "string" && v.startsWith("#/") ? SCHEMAS_ID + v : withAbsoluteRefs(v),
    ]),
  );
}
