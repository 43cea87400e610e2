/**
 * Error classes: {@linkcode RingCentralError} for every failed API call and
 * {@linkcode ConfigError} for configuration that cannot work. Both print as
 * their message alone, with no stack frames from this library. How a failed
 * exchange becomes a RingCentralError is in `failures.ts`.
 * @module
 */
import { errorCard } from "./display.ts";
import { redact, type SecretSet } from "./redact.ts";

/**
 * What a {@linkcode RingCentralError} knows about the failure.
 *
 * @example An error as the client builds it
 * ```ts
 * import { RingCentralError, type RingCentralErrorInit } from "../mod.ts";
 * import { equal, match } from "node:assert/strict";
 * const init: RingCentralErrorInit = {
 *   status: 429,
 *   errorCode: "CMN-301",
 *   message: "Request rate exceeded",
 *   method: "GET",
 *   path: "/restapi/v1.0/account/~/extension",
 *   retryAfter: 30,
 * };
 * const e = new RingCentralError(init);
 * equal(e.retryAfter, 30);
 * match(e.message, /429 CMN-301/);
 * ```
 */
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
    const message = `${init.method} ${r(init.path)} failed:${status}${code} ${detail}${id}${hint}`;
    // No stack frames: uncaught, it prints as its message alone, never as a trace through this library.
    const limit = Error.stackTraceLimit;
    super(withoutFrames(message), init.cause === undefined ? undefined : { cause: frameless(init.cause) });
    Error.stackTraceLimit = limit;
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

  /** In a Jupyter notebook (Deno's kernel), the error shows as a card: code, message, fix, request id. */
  [Symbol.for("Jupyter.display")](): Record<string, string> {
    const card = errorCard(this);
    return { "text/html": card.html, "text/plain": card.text };
  }
}

/** Returns `message`, and makes the error built next capture no stack frames (the caller restores the limit). */
function withoutFrames(message: string): string {
  Error.stackTraceLimit = 0;
  return message;
}

/**
 * A copy of an error's name, message and causes without stack frames, so
 * that printing a cause shows what went wrong, not this library's insides.
 */
function frameless(cause: unknown, depth = 0): unknown {
  if (!(cause instanceof Error) || depth > 3) return cause;
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    const copy = new Error(
      cause.message,
      cause.cause === undefined ? undefined : { cause: frameless(cause.cause, depth + 1) },
    );
    copy.name = cause.name;
    return copy;
  } finally {
    Error.stackTraceLimit = limit;
  }
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
    const limit = Error.stackTraceLimit;
    super(withoutFrames(redact(message))); // printed uncaught, it is its message alone
    Error.stackTraceLimit = limit;
    this.name = "ConfigError";
    this.key = key;
    this.file = file;
  }
}
