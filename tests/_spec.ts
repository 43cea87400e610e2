/**
 * Validates emulator responses against RingCentral's spec, as `deno task
 * spec` derived it from the pinned npm package (lib/api/): a success answer
 * against its operation's schema, an error against RingCentral's error
 * models (OAuth's on `/restapi/oauth/`, the API's elsewhere). Nothing here
 * reads a file outside the repository.
 * @module
 */
import { loadSchemas, type Schema, type Schemas } from "../lib/api/catalog.ts";
import { matchOperation } from "../lib/api/match.ts";
import { type Check, SchemaValidator } from "../scripts/spec/validator.ts";

/** The outcome of validating one response. */
export interface SpecResult {
  /** Whether a schema applied (false for non-JSON bodies, paths outside the spec and undocumented statuses). */
  validated: boolean;
  /** Schema errors, empty when valid (known defects of the spec left out). */
  errors: string[];
  /** What was validated against: `operationId status`, or the error model. */
  schema?: string;
}

/**
 * Places where the spec contradicts RingCentral's own behaviour or itself;
 * the emulator follows the platform, or answers the spec's own example.
 * Each entry: what was validated (`operationId status`), the Ajv error, and why.
 */
export const KNOWN_SPEC_DEFECTS: { schema: string; error: string; why: string }[] = [
  {
    schema: "readMessage 200",
    error: "/ must have required property 'vmSideRecipients'",
    why: "GetSingleMessageInfoResponse requires vmSideRecipients (minItems 1), a voicemail-only list; SMS have none",
  },
  // The spec's own samples contradict it: openapi-sampler builds them from the schema, and no value can satisfy it.
  ...["getBulkAddTaskResultsV2 200", "caiJobStatusGet 200"].map((schema) => ({
    schema,
    error: "/ must match exactly one schema in oneOf",
    why: "ambiguous oneOf: its branches are objects whose properties are all optional, so any body matches several",
  })),
  {
    schema: "caiJobStatusGet 200",
    error: "/response must match exactly one schema in oneOf",
    why: "ambiguous oneOf, as above, one level down",
  },
  {
    schema: "createSIPRegistration 200",
    error: "/device/emergency/address must match exactly one schema in oneOf",
    why: "ambiguous oneOf: the emergency address's branches overlap",
  },
  {
    schema: "getSessionInsights 200",
    error: "/paging must NOT have additional properties",
    why: "RSPagingModel is allOf EnumeratedPagingModel (additionalProperties: false) and a required sortableFields",
  },
];

const API_ERROR: Schema = { $ref: "#/components/schemas/ApiErrorResponseModel" };

/** A validator of emulator responses. */
export class SpecValidator {
  #schemas: Schemas;
  #validator: SchemaValidator;

  /** Over the derived schemas. */
  constructor(schemas: Schemas) {
    this.#schemas = schemas;
    this.#validator = new SchemaValidator(schemas.schemas);
  }

  /** The schema an answer must match, and its name; undefined when none applies. */
  schemaFor(method: string, path: string, status: number): { name: string; check: Check } | undefined {
    const operation = matchOperation(method, path)?.operation;
    const response = operation?.response;
    if (operation && response?.status === status) {
      if (!response.schema || !/json/.test(response.contentType ?? "")) return undefined;
      return { name: `${operation.operationId} ${status}`, check: this.#validator.compile(response.schema) };
    }
    if (status < 400) return undefined;
    if (path.startsWith("/restapi/oauth/") && status !== 429) {
      return {
        name: "OauthInvalidRequest",
        check: this.#validator.compile(this.#schemas.responses.OauthInvalidRequest),
      };
    }
    return { name: "ApiErrorResponseModel", check: this.#validator.compile(API_ERROR) };
  }

  /** Validates a response body. */
  validate(method: string, path: string, status: number, contentType: string | null, body: string): SpecResult {
    if (!contentType || !/^application\/(json|vnd\.ringcentral\.multipart\+json)/.test(contentType) || !body) {
      return { validated: false, errors: [] };
    }
    const schema = this.schemaFor(method, path, status);
    if (!schema) return { validated: false, errors: [] };
    const errors = schema.check(JSON.parse(body))
      .map((e) => `${e.path || "/"} ${e.message}`)
      .filter((error) => !KNOWN_SPEC_DEFECTS.some((d) => d.schema === schema.name && d.error === error));
    return { validated: true, errors, schema: schema.name };
  }
}

let shared: Promise<SpecValidator> | undefined;

/** One validator per test process. */
export function specValidator(): Promise<SpecValidator> {
  return shared ??= loadSchemas().then((schemas) => new SpecValidator(schemas));
}
