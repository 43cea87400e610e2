/**
 * Response helpers of the emulator: RingCentral's pretty-printed JSON, its
 * headers, and its error bodies as {@linkcode HttpError}s that handlers
 * throw and the pipeline turns into the response (as Hono's `HTTPException`).
 * @module
 */
import { readAtMost } from "../_util.ts";

/**
 * Serializes like RingCentral's Jackson pretty printer: `"key" : value`,
 * two-space indent, arrays of objects opened as `[ {`. Hand-rolled string
 * building: this runs on every response.
 */
export function jackson(value: unknown, indent = ""): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value) ?? "null";
  if (Array.isArray(value)) {
    if (value.length === 0) return "[ ]";
    let objects = true;
    for (const v of value) {
      if (v === null || typeof v !== "object" || Array.isArray(v)) {
        objects = false;
        break;
      }
    }
    const inner = objects ? indent : indent + "  ";
    let out = "[ ";
    for (let i = 0; i < value.length; i++) out += (i ? ", " : "") + jackson(value[i], inner);
    return out + " ]";
  }
  const inner = indent + "  ";
  let out = "";
  for (const key in value as Record<string, unknown>) {
    const v = (value as Record<string, unknown>)[key];
    if (v === undefined) continue;
    out += (out ? ",\n" : "{\n") + inner + JSON.stringify(key) + " : " + jackson(v, inner);
  }
  return out ? out + "\n" + indent + "}" : "{ }";
}

/** A JSON object a handler returns for a 200 answer; the pipeline serializes (and may cache) it. */
export type JsonBody = Record<string, unknown> | unknown[];

/** Headers every emulator response carries (a plain object: cheaper than `Headers` on the hot path). */
export function baseHeaders(extra: Record<string, string> = {}): Record<string, string> {
  return { RCRequestId: crypto.randomUUID(), "Content-Language": "en-US", ...extra };
}

/** A JSON response in RingCentral's style. */
export function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return jsonText(jackson(body), status, headers);
}

/** A response for an already serialized JSON body (one header literal: this is the hot path). */
export function jsonText(text: string, status = 200, headers?: Record<string, string>): Response {
  const all: Record<string, string> = {
    RCRequestId: crypto.randomUUID(),
    "Content-Language": "en-US",
    "Content-Type": "application/json; charset=UTF-8",
  };
  if (headers) { for (const k in headers) all[k] = headers[k]; }
  return new Response(text, { status, headers: all });
}

/** One item of a RingCentral `errors` array. */
export interface ApiErrorItem {
  /** Code such as `CMN-101`. */
  errorCode: string;
  /** Human-readable message. */
  message: string;
  /** Parameter at fault. */
  parameterName?: string;
  /** Its value. */
  parameterValue?: string;
}

/** An error answer that a handler or helper throws; the pipeline sends its `response`. */
export class HttpError extends Error {
  /** The answer to send. */
  readonly response: Response;
  /** Wraps `response`. */
  constructor(response: Response) {
    super(`HTTP ${response.status}`);
    this.name = "HttpError";
    this.response = response;
  }
}

/**
 * A platform API error: the first error repeated at top level (with a
 * symbolic top-level code where RingCentral uses one).
 */
export function apiError(
  status: number,
  item: ApiErrorItem,
  { topCode, headers }: { topCode?: string; headers?: Record<string, string> } = {},
): HttpError {
  const body: Record<string, unknown> = {
    errorCode: topCode ?? item.errorCode,
    message: item.message,
    errors: [item],
  };
  if (item.parameterName) body.parameterName = item.parameterName;
  return new HttpError(json(body, status, headers));
}

/**
 * RingCentral's 400 `CMN-101` for a parameter with an invalid value:
 * `Parameter [name] value is invalid.` and what is wrong, or `message` instead.
 */
export function invalidParameter(
  name: string,
  { detail = "", value, message }: { detail?: string; value?: string; message?: string } = {},
): HttpError {
  return apiError(400, {
    errorCode: "CMN-101",
    message: message ?? `Parameter [${name}] value is invalid.${detail}`,
    parameterName: name,
    ...(value !== undefined ? { parameterValue: value } : {}),
  }, { topCode: "InvalidParameter" });
}

/** An OAuth error (`error`, `errors`, `error_description`), status 400 unless given. */
export function oauthError(
  error: string,
  errorCode: string,
  message: string,
  { status = 400, parameters, headers }: {
    status?: number;
    parameters?: { parameterName: string; parameterValue: string }[];
    headers?: Record<string, string>;
  } = {},
): HttpError {
  const item: Record<string, unknown> = { errorCode, message };
  if (parameters) item.parameters = parameters;
  return new HttpError(json({ error, errors: [item], error_description: message }, status, headers));
}

/** The largest request body the emulator reads: RingCentral refuses larger MMS requests too. */
export const MAX_REQUEST_BYTES = 10 * 1024 * 1024;

/**
 * A request's body, refused with RingCentral's 413 as soon as it is known to
 * be larger than `limit` (by `Content-Length`, or while reading), so a huge
 * upload is never held whole.
 */
export async function readBody(request: Request, limit = MAX_REQUEST_BYTES): Promise<Uint8Array> {
  const tooLarge = () =>
    apiError(413, { errorCode: "CMN-114", message: `Request body is too large (${limit / 1024 / 1024} MB at most)` });
  if (Number(request.headers.get("content-length") ?? 0) > limit) throw tooLarge();
  if (!request.body) return new Uint8Array();
  const all = await readAtMost(request.body, limit);
  if (!all) throw tooLarge();
  return all;
}
