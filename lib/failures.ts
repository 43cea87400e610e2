/**
 * How a failed exchange becomes a {@linkcode RingCentralError}: from an error
 * response (RingCentral's three body shapes, a proxy's page, a redirect), or
 * from a request that got no answer; and the facts retries depend on.
 * @module
 */
import { hintFor } from "./_hints.ts";
import { parseJsonOrText } from "./_util.ts";
import { RingCentralError } from "./errors.ts";
import type { SecretSet } from "./redact.ts";

/** Methods that may be repeated without changing the outcome. */
export const IDEMPOTENT_METHODS: ReadonlySet<string> = new Set(["GET", "HEAD", "PUT", "DELETE", "OPTIONS"]);

/**
 * Whether a 503 body is RingCentral's own JSON error (so the request was
 * certainly not processed), not a proxy's or a gateway's page.
 *
 * @example
 * ```ts
 * import { isRingCentralUnavailable } from "./failures.ts";
 * import { equal } from "node:assert/strict";
 * const body = (text: string) => new TextEncoder().encode(text).buffer;
 * equal(isRingCentralUnavailable(body('{"errorCode":"CMN-211","message":"Service temporarily unavailable","errors":[]}')), true);
 * equal(isRingCentralUnavailable(body("<html>503 Service Unavailable</html>")), false);
 * ```
 */
export function isRingCentralUnavailable(data: BufferSource): boolean {
  const body = parseJsonOrText(new TextDecoder().decode(data)) as Record<string, unknown> | string | undefined;
  return !!body && typeof body === "object" &&
    typeof (body.errorCode ?? (body.errors as { errorCode?: unknown }[])?.[0]?.errorCode) === "string";
}

/**
 * `Retry-After` in seconds, from a number of seconds or an HTTP date.
 *
 * @example
 * ```ts
 * import { parseRetryAfter } from "./failures.ts";
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
 * import { errorFromResponse } from "./failures.ts";
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
  if (response.status >= 300 && response.status < 400) {
    let to = "another address";
    try {
      to = new URL(response.headers.get("location") ?? "", response.url || "http://unknown.invalid").origin;
    } catch { /* no usable Location */ }
    return new RingCentralError({
      status: response.status,
      message: `Redirected to ${to}; the RingCentral API does not redirect its calls, so it was not followed`,
      requestId,
      method,
      path,
      hint: "Check RC_SERVER_URL: a proxy, a captive portal or a wrong server answered",
      secrets,
    });
  }
  // A 5xx to a request that changes something, other than RingCentral's own 503, may have been processed.
  const unknown = !IDEMPOTENT_METHODS.has(method) && path !== TOKEN_PATH && response.status >= 500 &&
    !(response.status === 503 && isRingCentralUnavailable(new TextEncoder().encode(text).buffer));
  const unknownHint = /\/(sms|mms)$/.test(path)
    ? "The outcome is unknown: check the message store (GET /restapi/v1.0/account/~/extension/~/message-store) before sending again"
    : "The outcome is unknown: check whether it took effect before sending it again";
  const parsed = parseJsonOrText(text);
  if (!parsed || typeof parsed !== "object") {
    const kind = !text.trim()
      ? "empty response body"
      : /^\s*</.test(text)
      ? "HTML instead of JSON (a proxy or gateway answered, not the RingCentral API)"
      : "a response that is not JSON";
    const hint = unknown
      ? unknownHint
      : response.status >= 500
      ? "The server or a proxy in between failed; try again later"
      : "Check RC_SERVER_URL and the path";
    return new RingCentralError({
      status: response.status,
      message: `${response.statusText || "HTTP error"}: ${kind}`,
      requestId,
      method,
      path,
      retryAfter,
      outcomeUnknown: unknown,
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
    outcomeUnknown: unknown,
    hint: unknown ? unknownHint : hintFor(errorCode),
    secrets,
  });
}

/**
 * Whether a failed `fetch` was refused by the server (so nothing was sent
 * and any request may be repeated).
 *
 * @example
 * ```ts
 * import { isConnectionRefused } from "./failures.ts";
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
 * import { networkError } from "./failures.ts";
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
      : `The connection failed (${describe(error)})${unknown ? "; the outcome is unknown" : ""}`,
    method,
    path,
    outcomeUnknown: unknown,
    hint: unknown ? check : "Check your network and RC_SERVER_URL, then try again",
    cause: error,
    secrets,
  });
}

/** An error's message and its causes' ("fetch failed: … dns error: …"), each said once. */
function describe(error: unknown): string {
  const parts: string[] = [];
  for (let e = error, depth = 0; e !== undefined && depth < 4; e = (e as Error)?.cause, depth++) {
    const text = String((e as Error)?.message ?? e);
    if (!parts.some((p) => p.includes(text))) parts.push(text);
  }
  return parts.join(": ");
}

/**
 * Whether the token endpoint rejected a refresh token for good (expired,
 * revoked or already used), so that logging in again is the only way on.
 *
 * @example
 * ```ts
 * import { isInvalidGrant } from "./failures.ts";
 * import { RingCentralError } from "./errors.ts";
 * import { equal } from "node:assert/strict";
 * const e = new RingCentralError({ status: 400, errorCode: "OAU-213", message: "Token not found", method: "POST", path: "/restapi/oauth/token" });
 * equal(isInvalidGrant(e), true);
 * ```
 */
export function isInvalidGrant(e: RingCentralError): boolean {
  const body = e.body as { error?: string } | undefined;
  return e.status === 400 && (body?.error === "invalid_grant" || /^OAU-(210|211|213|140)$/.test(e.errorCode ?? ""));
}
