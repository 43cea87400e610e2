/**
 * The catalog derived from RingCentral's OpenAPI spec by `deno task spec`
 * (scripts/spec.ts): its types, the operations, and, loaded only when asked
 * for, the component schemas and the sampled bodies. Each derived file holds
 * its data as one JSON string, so that type-checking a program that imports
 * it costs nothing (TypeScript would infer a type for every object of a
 * JSON module) and loading it is one `JSON.parse`.
 * @module
 */
import operationsFile from "./operations.json" with { type: "json" };

/**
 * An HTTP method of the API.
 *
 * @example How many operations each method has
 * ```ts
 * import { type Method, operations } from "./mod.ts";
 * import { ok } from "node:assert/strict";
 * const counts = new Map<Method, number>();
 * for (const op of operations) counts.set(op.method, (counts.get(op.method) ?? 0) + 1);
 * ok(counts.get("GET")! > counts.get("PATCH")!);
 * ```
 */
export type Method = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

/**
 * A JSON Schema as the catalog keeps it: OpenAPI 3.0's dialect, references
 * as `#/components/schemas/Name`, documentation left out.
 *
 * @example The schema of a query parameter
 * ```ts
 * import { operations, type Schema } from "./mod.ts";
 * import { equal } from "node:assert/strict";
 * const list = operations.find((o) => o.operationId === "listMessages")!;
 * const schema: Schema = list.parameters.find((p) => p.name === "perPage")!.schema;
 * equal(schema.type, "integer");
 * ```
 */
export interface Schema {
  /** `string`, `integer`, `number`, `boolean`, `array`, `object`. */
  type?: string;
  /** The allowed values. */
  enum?: unknown[];
  /** The value used when none is given. */
  default?: unknown;
  /** `date-time`, `int32`, `uri`, … */
  format?: string;
  /** A reference to a component schema, `#/components/schemas/Name`. */
  $ref?: string;
  /** An array's items. */
  items?: Schema;
  /** An object's properties. */
  properties?: Record<string, Schema>;
  /** An object's required properties. */
  required?: string[];
  /** Any other keyword. */
  [keyword: string]: unknown;
}

/**
 * A parameter of an operation.
 *
 * @example The required parameters of an operation
 * ```ts
 * import { operations, type Parameter } from "./mod.ts";
 * import { deepEqual } from "node:assert/strict";
 * const read = operations.find((o) => o.operationId === "readMessage")!;
 * const required: Parameter[] = read.parameters.filter((p) => p.required);
 * deepEqual(required.map((p) => p.name), ["accountId", "extensionId", "messageId"]);
 * ```
 */
export interface Parameter {
  /** Its name. */
  name: string;
  /** Where it goes. */
  in: "path" | "query" | "header" | "cookie";
  /** Whether the operation needs it. */
  required?: boolean;
  /** The spec's description, first paragraph. */
  description?: string;
  /** Its type. */
  schema: Schema;
}

/**
 * One operation of RingCentral's API, as the spec describes it.
 *
 * @example Sending an SMS
 * ```ts
 * import { operations, type Operation } from "./mod.ts";
 * import { equal } from "node:assert/strict";
 * const sms: Operation = operations.find((o) => o.operationId === "createSMSMessage")!;
 * equal(`${sms.method} ${sms.path}`, "POST /restapi/v1.0/account/{accountId}/extension/{extensionId}/sms");
 * equal(sms.permission, "SMS");
 * equal(sms.rateGroup, "Medium");
 * ```
 */
export interface Operation {
  /** The spec's name for it, such as `readUserCallLog`. */
  operationId: string;
  /** Its method. */
  method: Method;
  /** Its path template as in the spec, such as `/restapi/v1.0/account/{accountId}/call-log`. */
  path: string;
  /** Its area: the spec's tag, such as `Call Log`. */
  area: string;
  /** The group of areas the API reference lists it under, such as `Voice`. */
  section?: string;
  /** One line on what it does. */
  summary: string;
  /** Set when the spec marks it deprecated. */
  deprecated?: boolean;
  /** The app permission it needs (`x-app-permission`), such as `ReadCallLog`. */
  permission?: string;
  /** The user permission it needs (`x-user-permission`). */
  userPermission?: string;
  /** Its rate-limit group (`x-throttling-group`). */
  rateGroup?: "Light" | "Medium" | "Heavy" | "Auth" | "NoThrottling";
  /** Set when it needs no access token. */
  anonymous?: boolean;
  /** Its path, query and header parameters. */
  parameters: Parameter[];
  /** Its request body: the content type it prefers (JSON when offered) and the schema. */
  requestBody?: { required?: boolean; contentType: string; schema?: Schema };
  /** Its success answer: status, content type and schema. */
  response?: { status: number; contentType?: string; schema?: Schema };
  /** Its page in RingCentral's API reference. */
  reference: string;
}

/** The schemas operations refer to: the spec's component schemas, and the JSON schemas of its shared responses. */
export interface Schemas {
  /** `#/components/schemas/Name`, by name. */
  schemas: Record<string, Schema>;
  /** The JSON body of `#/components/responses/Name` (such as `OauthInvalidRequest`), by name. */
  responses: Record<string, Schema>;
}

/** Bodies generated from the spec: the success answer and a request body of each operation, by `operationId`. */
export interface Samples {
  /** Success answers. */
  responses: Record<string, unknown>;
  /** Request bodies (JSON ones only). */
  requests: Record<string, unknown>;
}

/**
 * What `deno task spec` derived the catalog from: the npm package and its
 * version (pinned in deno.json).
 *
 * @example
 * ```ts
 * import { SOURCE } from "./mod.ts";
 * import { match } from "node:assert/strict";
 * match(SOURCE, /^npm:ringcentral-open-api-parser@\d+\.\d+\.\d+/);
 * ```
 */
export const SOURCE: string = operationsFile.source;

/**
 * Every operation of the pinned spec, in the spec's order.
 *
 * @example The operations that need an app permission the playground's app lacks
 * ```ts
 * import { operations } from "./mod.ts";
 * import { ok } from "node:assert/strict";
 * const granted = new Set(["ReadAccounts", "SMS", "ReadMessages", "EditMessages", "WebSocket"]);
 * const more = operations.filter((o) => o.permission && !granted.has(o.permission));
 * ok(more.some((o) => o.operationId === "readUserCallLog"));
 * ```
 */
export const operations: readonly Operation[] = JSON.parse(operationsFile.data);

let schemas: Promise<Schemas> | undefined;
let samples: Promise<Samples> | undefined;

/** The schemas operations refer to, loaded on first use. */
export function loadSchemas(): Promise<Schemas> {
  return schemas ??= import("./schemas.json", { with: { type: "json" } }).then((m) => JSON.parse(m.default.data));
}

/** The sampled bodies, loaded on first use. */
export function loadSamples(): Promise<Samples> {
  return samples ??= import("./samples.json", { with: { type: "json" } }).then((m) => JSON.parse(m.default.data));
}
