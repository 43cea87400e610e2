/**
 * How a failed exchange becomes an error of the family: an error response
 * (RingCentral's three body shapes, a proxy's page, a redirect) becomes an
 * {@linkcode ApiError}; a request with no answer a {@linkcode NetworkError}
 * or a {@linkcode TimeoutError}. And the facts retries depend on.
 * @module
 */
import { hintFor } from "./_hints.ts";
import { parseJsonOrText } from "./bytes.ts";
import { ApiError, NetworkError, TimeoutError } from "./errors.ts";

/** Methods that may be repeated without changing the outcome. */
export const IDEMPOTENT_METHODS: ReadonlySet<string> = new Set(["GET", "HEAD", "PUT", "DELETE", "OPTIONS"]);

/** The path of RingCentral's token endpoint. */
export const TOKEN_PATH = "/restapi/oauth/token";

/** The longest text from a server that goes into a message; the whole body stays on the error. */
const MAX_SERVER_TEXT = 300;

/**
 * Text a server sent, made safe for a terminal: control characters (ANSI
 * escapes among them) removed, and cut to a readable length.
 *
 * @example
 * ```ts
 * import { serverText } from "./failures.ts";
 * import { equal } from "node:assert/strict";
 * equal(serverText("Not found\u001b[2J\u001b[H"), "Not found[2J[H");
 * equal(serverText("x".repeat(500)).length, 301);
 * ```
 */
export function serverText(text: string): string {
  // deno-lint-ignore no-control-regex
  const clean = text.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, "").replace(/\s+/g, " ").trim();
  return clean.length > MAX_SERVER_TEXT ? `${clean.slice(0, MAX_SERVER_TEXT)}…` : clean;
}

/**
 * Whether a 503 body is RingCentral's own JSON error (so the request was
 * certainly not processed), not a proxy's or a gateway's page.
 *
 * @example
 * ```ts
 * import { isRingCentralUnavailable } from "./failures.ts";
 * import { equal } from "node:assert/strict";
 * const body = (text: string) => new TextEncoder().encode(text);
 * equal(isRingCentralUnavailable(body('{"errorCode":"CMN-211","message":"Service temporarily unavailable","errors":[]}')), true);
 * equal(isRingCentralUnavailable(body("<html>503 Service Unavailable</html>")), false);
 * ```
 */
export function isRingCentralUnavailable(data: Uint8Array): boolean {
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

/** What {@linkcode apiErrorOf} needs besides the response. */
export interface AnswerContext {
  /** HTTP method. */
  method: string;
  /** The request URL. */
  url: URL;
  /** The clock, for `Retry-After` dates. */
  now: number;
  /** Removes the client's secrets. */
  redact?: (text: string) => string;
}

/**
 * The {@linkcode ApiError} of an error response: RingCentral's code and
 * message from any of its three body shapes, or what came instead (an HTML
 * page from a proxy, an empty body, a redirect).
 *
 * @example
 * ```ts
 * import { apiErrorOf } from "./failures.ts";
 * import { equal } from "node:assert/strict";
 * const body = { errorCode: "CMN-102", message: "Resource for parameter [messageId] is not found", errors: [] };
 * const e = await apiErrorOf(Response.json(body, { status: 404 }), { method: "GET", url: new URL("https://x/restapi/v1.0/x"), now: 0 });
 * equal(e.errorCode, "CMN-102");
 * ```
 */
export async function apiErrorOf(response: Response, context: AnswerContext): Promise<ApiError> {
  const { method, url, now, redact } = context;
  const path = url.pathname;
  const text = await response.text().catch(() => "");
  const base = {
    status: response.status,
    requestId: serverText(response.headers.get("rcrequestid") ?? "") || undefined,
    method,
    path,
    retryAfter: parseRetryAfter(response.headers.get("retry-after"), now),
    redact,
  };
  if (response.status >= 300 && response.status < 400) return redirectError(response, url, base);
  // A 5xx to a request that changes something, other than RingCentral's own 503, may have been processed.
  const unknown = !IDEMPOTENT_METHODS.has(method) && path !== TOKEN_PATH && response.status >= 500 &&
    !(response.status === 503 && isRingCentralUnavailable(new TextEncoder().encode(text)));
  const outcome = unknown ? "unknown" as const : undefined;
  const parsed = parseJsonOrText(text);
  if (!parsed || typeof parsed !== "object") {
    const kind = !text.trim()
      ? "empty response body"
      : /^\s*</.test(text)
      ? "HTML instead of JSON (a proxy or gateway answered, not the RingCentral API)"
      : "a response that is not JSON";
    const hint = unknown
      ? unknownOutcomeHint(path)
      : response.status >= 500
      ? "The server or a proxy in between failed; try again later"
      : "Check RC_SERVER_URL and the path";
    return new ApiError({
      ...base,
      message: `${serverText(response.statusText) || "HTTP error"}: ${kind}`,
      body: typeof parsed === "string" ? parsed : undefined,
      outcome,
      hint,
    });
  }
  const body = parsed as Record<string, unknown>;
  const first = Array.isArray(body.errors) ? body.errors[0] as Record<string, unknown> | undefined : undefined;
  const code = first?.errorCode ?? body.errorCode ?? undefined;
  const errorCode = typeof code === "string" ? serverText(code) : undefined;
  const message = String(
    first?.message ?? body.message ?? body.error_description ?? body.error ?? response.statusText,
  );
  return new ApiError({
    ...base,
    errorCode,
    message: serverText(message),
    body,
    outcome,
    hint: unknown ? unknownOutcomeHint(path) : hintFor(errorCode, first ?? body, response.status),
  });
}

function redirectError(
  response: Response,
  url: URL,
  base: Omit<ConstructorParameters<typeof ApiError>[0], "message">,
): ApiError {
  let to = "another address";
  try {
    to = new URL(response.headers.get("location") ?? "", url).origin;
  } catch { /* no usable Location: "another address" */ }
  return new ApiError({
    ...base,
    message: `Redirected to ${serverText(to)}; the RingCentral API does not redirect its calls, so it was not followed`,
    hint: "Check RC_SERVER_URL: a proxy, a captive portal or a wrong server answered",
  });
}

function unknownOutcomeHint(path: string): string {
  return /\/(sms|mms|fax)$/.test(path)
    ? "The outcome is unknown: check the message store (GET /restapi/v1.0/account/~/extension/~/message-store) before sending again"
    : "The outcome is unknown: check whether it took effect before sending it again";
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

/** What {@linkcode noAnswerError} knows about a request that got no answer. */
export interface NoAnswer {
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
}

/**
 * The error of a request that got no answer: a {@linkcode TimeoutError}
 * when the time limit ran out, else a {@linkcode NetworkError} (refused,
 * broken, unknown host); `outcome: "unknown"` for a request that may have
 * been carried out, with how to check.
 *
 * @example
 * ```ts
 * import { noAnswerError } from "./failures.ts";
 * import { equal } from "node:assert/strict";
 * const e = noAnswerError({
 *   error: new TypeError("connection reset"),
 *   method: "POST",
 *   url: new URL("https://platform.ringcentral.com/restapi/v1.0/account/~/extension/~/sms"),
 *   timedOut: false,
 *   timeoutMs: 30_000,
 * });
 * equal(e.outcome, "unknown");
 * ```
 */
export function noAnswerError(
  { error, method, url, timedOut, timeoutMs }: NoAnswer,
  redact?: (text: string) => string,
): NetworkError | TimeoutError {
  const path = url.pathname;
  if (isConnectionRefused(error)) {
    return new NetworkError(`Cannot connect to ${url.origin} (connection refused)`, {
      method,
      path,
      hint: "Check RC_SERVER_URL, and that the server (or `deno task emulator`) is running",
      cause: error,
      redact,
    });
  }
  const unknown = !IDEMPOTENT_METHODS.has(method) && path !== TOKEN_PATH;
  const check = /\/(sms|mms|fax)$/.test(path)
    ? "Check the message store (GET /restapi/v1.0/account/~/extension/~/message-store) before sending again"
    : "Check whether it took effect before sending it again";
  const init = {
    method,
    path,
    outcome: unknown ? "unknown" as const : undefined,
    hint: unknown ? check : "Check your network and RC_SERVER_URL, then try again",
    cause: error,
    redact,
  };
  const outcome = unknown ? "; the outcome is unknown" : "";
  return timedOut
    ? new TimeoutError(`No answer within ${timeoutMs} ms${outcome}`, init)
    : new NetworkError(`The connection failed (${describe(error)})${outcome}`, init);
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
 * import { ApiError } from "./errors.ts";
 * import { equal } from "node:assert/strict";
 * const e = new ApiError({ status: 400, errorCode: "OAU-213", message: "Token not found", method: "POST", path: "/restapi/oauth/token" });
 * equal(isInvalidGrant(e), true);
 * ```
 */
export function isInvalidGrant(e: unknown): boolean {
  if (!(e instanceof ApiError)) return false;
  const body = e.body as { error?: string } | undefined;
  return e.status === 400 && (body?.error === "invalid_grant" || /^OAU-(210|211|213|140)$/.test(e.errorCode ?? ""));
}
