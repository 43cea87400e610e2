/**
 * Response helpers of the emulator: RingCentral's pretty-printed JSON, its
 * headers, and its error bodies as {@linkcode HttpError}s that handlers
 * throw and the pipeline turns into the response (as Hono's `HTTPException`).
 * @module
 */
import { readAtMost } from "../bytes.ts";

/**
 * Serializes as RingCentral's API prints JSON: two-space indent, `"key" : value`.
 *
 * @example
 * ```ts
 * import { pretty } from "./_http.ts";
 * import { equal } from "node:assert/strict";
 * equal(pretty({ id: 1 }), '{\n  "id" : 1\n}');
 * ```
 */
export function pretty(value: unknown): string {
  return JSON.stringify(value, null, 2).replace(/^(\s*"(?:[^"\\]|\\.)*"):/gm, "$1 :");
}

/** A JSON object a handler returns for a 200 answer; the pipeline serializes it. */
export type JsonBody = Record<string, unknown> | unknown[];

/** Headers every emulator response carries. */
export function baseHeaders(extra: Record<string, string> = {}): Record<string, string> {
  return { RCRequestId: crypto.randomUUID(), "Content-Language": "en-US", ...extra };
}

/** A JSON response in RingCentral's style. */
export function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(pretty(body), {
    status,
    headers: baseHeaders({ "Content-Type": "application/json; charset=UTF-8", ...headers }),
  });
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
  /** The permission the call needs, for `CMN-401` and `CMN-408`. */
  permissionName?: string;
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
  if (item.permissionName) body.permissionName = item.permissionName;
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

/**
 * RingCentral's 400 `CMN-101` for a value outside a parameter's enum, worded as the sampled routes word it:
 * `Parameter [direction] value is invalid. It must be one of "Inbound", "Outbound".`
 */
export function notOneOf(name: string, value: string, allowed: readonly string[]): HttpError {
  return invalidParameter(name, {
    value,
    detail: ` It must be one of ${allowed.map((v) => JSON.stringify(v)).join(", ")}.`,
  });
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
