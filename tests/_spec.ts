/**
 * Validates emulator responses against the OpenAPI subset in
 * `../shared/ringcentral-openapi/rc-platform-subset.yml`, with Ajv.
 * Operations document only their successes; other JSON answers are checked
 * against RingCentral's error models (OAuth or API).
 * @module
 */
import { Ajv, type ErrorObject, type ValidateFunction } from "ajv";
import formatsModule from "ajv-formats";
import YAML from "yaml";
const ROOT = new URL("..", import.meta.url).pathname.replace(/\/$/, "");

/**
 * Where the spec subset lives: `RC_OPENAPI_SUBSET`, or `../shared/` beside the
 * repository (as in CI). It is RingCentral's file, kept as reference data
 * outside this repository.
 */
export const SPEC_PATH = Deno.env.get("RC_OPENAPI_SUBSET") ??
  `${ROOT}/../shared/ringcentral-openapi/rc-platform-subset.yml`;

/** Whether the spec subset is at hand (without it, spec checks are reported as ignored). */
export const SPEC_AVAILABLE = (() => {
  try {
    return Deno.statSync(SPEC_PATH).isFile;
  } catch {
    return false;
  }
})();

interface Operation {
  regex: RegExp;
  method: string;
  pointer: string;
  responses: Record<string, { $ref?: string; content?: Record<string, unknown> }>;
  group?: string;
}

/** The outcome of validating one response. */
export interface SpecResult {
  /** Whether a schema applied (false for non-JSON bodies and paths outside the spec). */
  validated: boolean;
  /** Schema errors, empty when valid. */
  errors: string[];
  /** The schema pointer used. */
  schema?: string;
}

// ajv-formats is CommonJS: its function is the module's default export.
const addFormats = (formatsModule as unknown as { default: (ajv: Ajv) => void }).default;

/**
 * Places where the spec contradicts RingCentral's own behaviour; the emulator
 * follows the platform. Each entry: schema pointer, the Ajv error, and why.
 */
export const KNOWN_SPEC_DEFECTS: { schema: RegExp; error: string; why: string }[] = [
  {
    schema: /message-store~1\{messageId\}\/get\/responses\/200\//,
    error: "/ must have required property 'vmSideRecipients'",
    why: "GetSingleMessageInfoResponse requires vmSideRecipients (minItems 1), a voicemail-only list; SMS have none",
  },
];

const escape = (s: string) => s.replace(/~/g, "~0").replace(/\//g, "~1");

/** A validator over the spec subset. */
export class SpecValidator {
  #ajv: Ajv;
  #operations: Operation[] = [];
  #compiled = new Map<string, ValidateFunction>();
  /** The parsed spec. */
  readonly spec: Record<string, unknown>;

  /** Loads the spec (YAML 1.2 core schema). */
  constructor(text: string) {
    this.spec = YAML.parse(text, { version: "1.2", schema: "core" });
    this.#ajv = new Ajv({ strict: false, allErrors: true });
    addFormats(this.#ajv);
    for (const f of ["int32", "int64", "double", "float", "binary", "byte"]) this.#ajv.addFormat(f, true);
    this.#ajv.addSchema(this.spec as object, "spec");
    const paths = this.spec.paths as Record<string, Record<string, Record<string, unknown>>>;
    for (const [path, item] of Object.entries(paths)) {
      const regex = new RegExp(`^${path.replace(/\{[^}]+\}/g, "[^/]+")}/?$`);
      for (const [method, op] of Object.entries(item)) {
        if (!op || typeof op !== "object" || !("responses" in op)) continue;
        this.#operations.push({
          regex,
          method: method.toUpperCase(),
          pointer: `spec#/paths/${escape(path)}/${method}`,
          responses: op.responses as Operation["responses"],
          group: op["x-throttling-group"] as string | undefined,
        });
      }
    }
  }

  /** Loads the subset from `../shared/`. */
  static async load(): Promise<SpecValidator> {
    return new SpecValidator(await Deno.readTextFile(SPEC_PATH));
  }

  /** The spec's operation for a method and path (`~` or ids in it). */
  operation(method: string, path: string): Operation | undefined {
    return this.#operations.find((o) => o.method === method && o.regex.test(path));
  }

  /** The schema pointer for a response, or undefined when no schema applies. */
  schemaFor(method: string, path: string, status: number, contentType = "application/json"): string | undefined {
    const op = this.operation(method, path);
    const response = op?.responses[String(status)];
    const type = contentType.split(";")[0].trim();
    if (op && response) {
      if (response.$ref) return `spec#${response.$ref.slice(1)}/content/${escape(type)}/schema`;
      if (response.content?.[type]) return `${op.pointer}/responses/${status}/content/${escape(type)}/schema`;
      return undefined;
    }
    if (status < 400) return undefined;
    return path.startsWith("/restapi/oauth/") && status !== 429
      ? "spec#/components/responses/OauthInvalidRequest/content/application~1json/schema"
      : "spec#/components/schemas/ApiErrorResponseModel";
  }

  /** Validates a response body. */
  validate(method: string, path: string, status: number, contentType: string | null, body: string): SpecResult {
    if (!contentType || !/^application\/(json|vnd\.ringcentral\.multipart\+json)/.test(contentType) || !body) {
      return { validated: false, errors: [] };
    }
    const schema = this.schemaFor(method, path, status, contentType);
    if (!schema) return { validated: false, errors: [] };
    let validate = this.#compiled.get(schema);
    if (!validate) {
      validate = this.#ajv.compile({ $ref: schema });
      this.#compiled.set(schema, validate);
    }
    const ok = validate(JSON.parse(body));
    const errors = ok ? [] : (validate.errors ?? [])
      .map((e: ErrorObject) => `${e.instancePath || "/"} ${e.message}`)
      .filter((error) => !KNOWN_SPEC_DEFECTS.some((d) => d.schema.test(schema) && d.error === error));
    return { validated: true, errors, schema };
  }
}

let shared: Promise<SpecValidator> | undefined;
let full: Promise<SpecValidator | undefined> | undefined;

/** The full spec, for the operations the subset lacks: `RC_OPENAPI_FULL`, or `../shared/` as for the subset. */
export const FULL_SPEC_PATH = Deno.env.get("RC_OPENAPI_FULL") ??
  `${ROOT}/../shared/ringcentral-openapi/rc-public-openapi.yml`;

/** Paths the subset does not cover, validated against the full spec instead (loaded only when one is seen). */
export const FULL_SPEC_PATHS =
  /^\/restapi\/((oauth\/wstoken|v1\.0\/subscription)(\/|$)|v1\.0\/account\/[^/]+\/phone-number$)/;

/**
 * One validator per test process; undefined when the spec is not at hand.
 * With a `path` that the subset lacks (the subscription and wstoken APIs, the company's phone numbers),
 * the validator of the full spec.
 */
export function specValidator(path = ""): Promise<SpecValidator | undefined> {
  if (!SPEC_AVAILABLE) return Promise.resolve(undefined);
  if (FULL_SPEC_PATHS.test(path)) {
    return full ??= Deno.readTextFile(FULL_SPEC_PATH).then((t) => new SpecValidator(t), () => undefined);
  }
  return shared ??= SpecValidator.load();
}
