/**
 * Error classes: {@linkcode RingCentralError} for every failed API call and
 * {@linkcode ConfigError} for configuration that cannot work.
 * @module
 */
import { hintFor } from "./_hints.ts";
import { redact, type SecretSet } from "./redact.ts";
import { parseJsonOrText } from "./_util.ts";

/** Methods that may be repeated without changing the outcome. */
export const IDEMPOTENT_METHODS: ReadonlySet<string> = new Set(["GET", "HEAD", "PUT", "DELETE", "OPTIONS"]);

/** What a {@linkcode RingCentralError} knows about the failure. */
export interface RingCentralErrorInit {
  /** HTTP status; 0 when no response arrived. */
  status: number;
  /** RingCentral error code such as `CMN-102`, `OAU-213` or `MSG-245`. */
  errorCode?: string;
  /** The server's message, or what went wrong on the way. */
  message: string;
  /** The `RCRequestId` response header. */
  requestId?: string;
  /** HTTP method of the failed request. */
  method: string;
  /** Path of the failed request, without query string. */
  path: string;
  /** The parsed response body (redacted), when there was one. */
  body?: unknown;
  /** Seconds to wait before trying again, from `Retry-After`. */
  retryAfter?: number;
  /** True when the request may or may not have been processed. */
  outcomeUnknown?: boolean;
  /** What the user can do about it. */
  hint?: string;
  /** The underlying error, if any. */
  cause?: unknown;
  /** A client's secret values, removed from every text field (besides what {@linkcode redact} removes). */
  secrets?: SecretSet;
}

/**
 * One failed RingCentral API call: status, `errorCode`, message, request id,
 * method and path. Its message and fields never hold a secret.
 *
 * @example Catch a not-found error
 * ```ts
 * import { RingCentral, RingCentralError } from "../mod.ts";
 * import { createEmulator } from "./emulator/mod.ts";
 * import { rejects } from "node:assert/strict";
 * const emulator = createEmulator();
 * const rc = new RingCentral({ ...emulator.credentials, fetch: emulator.fetch });
 * await rejects(
 *   rc.get("/restapi/v1.0/account/~/extension/~/message-store/1"),
 *   (e) => e instanceof RingCentralError && e.status === 404 && e.errorCode === "CMN-102",
 * );
 * ```
 */
export class RingCentralError extends Error {
  /** HTTP status; 0 when no response arrived. */
  readonly status: number;
  /** RingCentral error code, such as `CMN-102`. */
  readonly errorCode?: string;
  /** The server's message alone, without the context prefix. */
  readonly detail: string;
  /** The `RCRequestId` response header. */
  readonly requestId?: string;
  /** HTTP method. */
  readonly method: string;
  /** Request path without query string. */
  readonly path: string;
  /** The parsed response body, redacted. */
  readonly body?: unknown;
  /** Seconds from `Retry-After`, when the server sent it. */
  readonly retryAfter?: number;
  /** True when the request may have been processed although no answer arrived. */
  readonly outcomeUnknown: boolean;
  /** What the user can do about it. */
  readonly hint?: string;

  /** Builds the error; every text field is redacted. */
  constructor(init: RingCentralErrorInit) {
    const r = (text: string) => init.secrets ? init.secrets.redact(text) : redact(text);
    const detail = r(init.message);
    const code = init.errorCode ? ` ${init.errorCode}` : "";
    const status = init.status ? ` ${init.status}` : "";
    const id = init.requestId ? ` (request id ${init.requestId})` : "";
    const hint = init.hint ? `. ${r(init.hint)}` : "";
    super(
      `${init.method} ${r(init.path)} failed:${status}${code} ${detail}${id}${hint}`,
      { cause: init.cause },
    );
    this.name = "RingCentralError";
    this.status = init.status;
    this.errorCode = init.errorCode;
    this.detail = detail;
    this.requestId = init.requestId;
    this.method = init.method;
    this.path = r(init.path);
    this.body = init.body === undefined ? undefined : JSON.parse(r(JSON.stringify(init.body)));
    this.retryAfter = init.retryAfter;
    this.outcomeUnknown = init.outcomeUnknown ?? false;
    this.hint = init.hint ? r(init.hint) : undefined;
  }
}

/**
 * `Retry-After` in seconds, from a number of seconds or an HTTP date.
 *
 * @example
 * ```ts
 * import { parseRetryAfter } from "./errors.ts";
 * import { equal } from "node:assert/strict";
 * equal(parseRetryAfter("7", 0), 7);
 * equal(parseRetryAfter(new Date(60_000).toUTCString(), 0), 60);
 * equal(parseRetryAfter(null, 0), undefined);
 * ```
 */
export function parseRetryAfter(value: string | null, now: number): number | undefined {
  if (!value) return undefined;
  if (/^\d+(\.\d+)?$/.test(value.trim())) return Number(value);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, (date - now) / 1000);
}

/**
 * Builds the {@linkcode RingCentralError} of an error response: RingCentral's
 * code and message from any of its three body shapes, or what came instead
 * (an HTML page from a proxy, an empty body).
 *
 * @example
 * ```ts
 * import { errorFromResponse } from "./errors.ts";
 * import { equal } from "node:assert/strict";
 * const body = { errorCode: "CMN-102", message: "Resource for parameter [messageId] is not found", errors: [] };
 * const e = await errorFromResponse(Response.json(body, { status: 404 }), "GET", "/restapi/v1.0/x");
 * equal(e.errorCode, "CMN-102");
 * ```
 */
export async function errorFromResponse(
  response: Response,
  method: string,
  path: string,
  now = Date.now(),
  secrets?: SecretSet,
): Promise<RingCentralError> {
  const text = await response.text().catch(() => "");
  const requestId = response.headers.get("rcrequestid") ?? undefined;
  const retryAfter = parseRetryAfter(response.headers.get("retry-after"), now);
  const parsed = parseJsonOrText(text);
  if (!parsed || typeof parsed !== "object") {
    const kind = !text.trim()
      ? "empty response body"
      : /^\s*</.test(text)
      ? "HTML instead of JSON (a proxy or gateway answered, not the RingCentral API)"
      : "a response that is not JSON";
    const hint = response.status >= 500
      ? "The server or a proxy in between failed; try again later"
      : "Check RC_SERVER_URL and the path";
    return new RingCentralError({
      status: response.status,
      message: `${response.statusText || "HTTP error"}: ${kind}`,
      requestId,
      method,
      path,
      retryAfter,
      hint,
      secrets,
    });
  }
  const body = parsed as Record<string, unknown>;
  const first = Array.isArray(body.errors) ? body.errors[0] as Record<string, unknown> | undefined : undefined;
  const errorCode = (first?.errorCode ?? body.errorCode) as string | undefined;
  const message = String(
    first?.message ?? body.message ?? body.error_description ?? body.error ?? response.statusText,
  );
  return new RingCentralError({
    status: response.status,
    errorCode,
    message,
    requestId,
    method,
    path,
    body,
    retryAfter,
    hint: hintFor(errorCode),
    secrets,
  });
}

/**
 * Whether a failed `fetch` was refused by the server (so nothing was sent
 * and any request may be repeated).
 *
 * @example
 * ```ts
 * import { isConnectionRefused } from "./errors.ts";
 * import { equal } from "node:assert/strict";
 * equal(isConnectionRefused(new TypeError("error sending request: Connection refused (os error 111)")), true);
 * equal(isConnectionRefused(new TypeError("connection reset")), false);
 * ```
 */
export function isConnectionRefused(e: unknown): boolean {
  const text = `${(e as Error)?.message} ${(e as { cause?: Error })?.cause?.message ?? ""}`;
  return /connection refused|ECONNREFUSED|os error 111/i.test(text);
}

/** What {@linkcode networkError} knows about a request that got no answer. */
export interface NetworkFailure {
  /** The error `fetch` threw. */
  error: unknown;
  /** HTTP method. */
  method: string;
  /** The request URL. */
  url: URL;
  /** Whether the time limit ran out. */
  timedOut: boolean;
  /** The time limit, in milliseconds. */
  timeoutMs: number;
  /** Whether the caller cancelled. */
  cancelled: boolean;
  /** The client's secret values, kept out of the message. */
  secrets?: SecretSet;
}

/** The path of RingCentral's token endpoint. */
export const TOKEN_PATH = "/restapi/oauth/token";

/**
 * The {@linkcode RingCentralError} (status 0) of a request that got no
 * answer: cancelled, refused, timed out or broken, and for a request that
 * may have been processed, `outcomeUnknown` with how to check.
 *
 * @example
 * ```ts
 * import { networkError } from "./errors.ts";
 * import { equal } from "node:assert/strict";
 * const e = networkError({
 *   error: new TypeError("connection reset"),
 *   method: "POST",
 *   url: new URL("https://platform.ringcentral.com/restapi/v1.0/account/~/extension/~/sms"),
 *   timedOut: false,
 *   timeoutMs: 30_000,
 *   cancelled: false,
 * });
 * equal(e.outcomeUnknown, true);
 * ```
 */
export function networkError(
  { error, method, url, timedOut, timeoutMs, cancelled, secrets }: NetworkFailure,
): RingCentralError {
  const path = url.pathname;
  if (cancelled) return new RingCentralError({ status: 0, message: "Cancelled", method, path, cause: error, secrets });
  if (isConnectionRefused(error)) {
    return new RingCentralError({
      status: 0,
      message: `Cannot connect to ${url.origin} (connection refused)`,
      method,
      path,
      hint: "Check RC_SERVER_URL, and that the server (or `deno task emulator`) is running",
      cause: error,
      secrets,
    });
  }
  const unknown = !IDEMPOTENT_METHODS.has(method) && path !== TOKEN_PATH;
  const check = /\/(sms|mms)$/.test(path)
    ? "Check the message store (GET /restapi/v1.0/account/~/extension/~/message-store) before sending again"
    : "Check whether it took effect before sending it again";
  return new RingCentralError({
    status: 0,
    message: timedOut
      ? `No answer within ${timeoutMs} ms${unknown ? "; the outcome is unknown" : ""}`
      : `The connection failed (${(error as Error)?.message ?? error})${unknown ? "; the outcome is unknown" : ""}`,
    method,
    path,
    outcomeUnknown: unknown,
    hint: unknown ? check : "Check your network and RC_SERVER_URL, then try again",
    cause: error,
    secrets,
  });
}

/**
 * Whether the token endpoint rejected a refresh token for good (expired,
 * revoked or already used), so that logging in again is the only way on.
 *
 * @example
 * ```ts
 * import { isInvalidGrant, RingCentralError } from "./errors.ts";
 * import { equal } from "node:assert/strict";
 * const e = new RingCentralError({ status: 400, errorCode: "OAU-213", message: "Token not found", method: "POST", path: "/restapi/oauth/token" });
 * equal(isInvalidGrant(e), true);
 * ```
 */
export function isInvalidGrant(e: RingCentralError): boolean {
  const body = e.body as { error?: string } | undefined;
  return e.status === 400 && (body?.error === "invalid_grant" || /^OAU-(210|211|213|140)$/.test(e.errorCode ?? ""));
}

/**
 * Configuration that cannot work: names the key, the file, and the fix.
 *
 * @example
 * ```ts
 * import { ConfigError } from "./errors.ts";
 * import { equal } from "node:assert/strict";
 * const e = new ConfigError("RC_CLIENT_ID is empty in .env-sandbox", "RC_CLIENT_ID", ".env-sandbox");
 * equal(e.key, "RC_CLIENT_ID");
 * ```
 */
export class ConfigError extends Error {
  /** The configuration key at fault. */
  readonly key?: string;
  /** The file the key belongs in. */
  readonly file?: string;
  /** Builds the error; the message goes through {@linkcode redact}. */
  constructor(message: string, key?: string, file?: string) {
    super(redact(message));
    this.name = "ConfigError";
    this.key = key;
    this.file = file;
  }
}
