/**
 * The error family. {@linkcode RingCentralError} is the base of every
 * failure; a program tells the kinds apart with `instanceof`, never by the
 * text: {@linkcode ApiError} (RingCentral answered), {@linkcode NetworkError}
 * (no answer), {@linkcode TimeoutError} (no answer in time) and
 * {@linkcode ConfigError} (settings that cannot work). How a failed exchange
 * becomes one of them is in `failures.ts`.
 * @module
 */
import { redact, redactData } from "./redact.ts";

/**
 * What every {@linkcode RingCentralError} may say about the failure.
 *
 * @example
 * ```ts
 * import { RingCentralError, type RingCentralErrorOptions } from "../mod.ts";
 * import { equal } from "node:assert/strict";
 * const options: RingCentralErrorOptions = { method: "GET", path: "/restapi/v1.0/account/~", hint: "Try again" };
 * const e = new RingCentralError("Something failed", options);
 * equal(e.message, "GET /restapi/v1.0/account/~ failed: Something failed. Try again");
 * ```
 */
export interface RingCentralErrorOptions {
  /** HTTP method of the failed request. */
  method?: string;
  /** Path of the failed request, without query string. */
  path?: string;
  /** What the user can do about it. */
  hint?: string;
  /** The underlying error. */
  cause?: unknown;
  /** Removes secrets from every text field. @default redact (secrets that show by their form) */
  redact?: (text: string) => string;
}

/** Errors built by this library, whose stack an uncaught print shows from the caller's line on. */
const OWN = new WeakSet<object>();

/**
 * The base of every failure of this library: catch it to catch them all.
 * Its message says what failed, then the hint: `GET /restapi/v1.0/… failed:
 * 404 CMN-102 … (request id …). Nothing exists at that id…`. No text field
 * ever holds a secret.
 *
 * @example Catch any failure
 * ```ts
 * import { RingCentral, RingCentralError } from "../mod.ts";
 * import { createEmulator } from "./emulator/mod.ts";
 * import { rejects } from "node:assert/strict";
 * const emulator = createEmulator();
 * const rc = new RingCentral({ ...emulator.credentials, fetch: emulator.fetch });
 * await rejects(rc.get("/restapi/v1.0/account/~/extension/~/message-store/1"), RingCentralError);
 * ```
 */
export class RingCentralError extends Error {
  /** HTTP method of the failed request, when there was one. */
  readonly method?: string;
  /** Path of the failed request (no query string), when there was one. */
  readonly path?: string;
  /** What went wrong, without the `METHOD path failed:` prefix and the hint. */
  readonly detail: string;
  /** What the user can do about it. */
  readonly hint?: string;

  /**
   * An error saying `detail`, with the request and the hint around it; every
   * text field is redacted. `around` is what a subclass says before and after
   * the detail (a status, a request id).
   */
  constructor(detail: string, options: RingCentralErrorOptions = {}, around: { before?: string; after?: string } = {}) {
    const r = options.redact ?? redact;
    const path = options.path === undefined ? undefined : r(options.path);
    const hint = options.hint === undefined ? undefined : r(options.hint);
    const said = r(detail);
    const prefix = options.method ? `${options.method} ${path ?? ""} failed: ` : "";
    const message = `${prefix}${around.before ?? ""}${said}${around.after ?? ""}${hint ? `. ${hint}` : ""}`;
    super(message, options.cause === undefined ? {} : { cause: options.cause });
    this.name = new.target.name;
    this.method = options.method;
    this.path = path;
    this.detail = said;
    this.hint = hint;
    OWN.add(this);
  }
}

/**
 * What an {@linkcode ApiError} knows of RingCentral's answer.
 *
 * @example
 * ```ts
 * import { ApiError, type ApiErrorInit } from "../mod.ts";
 * import { equal } from "node:assert/strict";
 * const init: ApiErrorInit = { status: 429, errorCode: "CMN-301", message: "Request rate exceeded", method: "GET", path: "/restapi/v1.0/account/~", retryAfter: 30 };
 * equal(new ApiError(init).retryAfter, 30);
 * ```
 */
export interface ApiErrorInit extends RingCentralErrorOptions {
  /** HTTP status. */
  status: number;
  /** RingCentral's error code, such as `CMN-102`. */
  errorCode?: string;
  /** RingCentral's message, or what came instead of one. */
  message: string;
  /** The `RCRequestId` header. */
  requestId?: string;
  /** The parsed body (redacted). */
  body?: unknown;
  /** Seconds from `Retry-After`. */
  retryAfter?: number;
  /** `"unknown"` when the request may have been carried out (a 5xx to a POST). */
  outcome?: "unknown";
}

/**
 * RingCentral (or whatever is at the server's address) answered with an
 * error: its status, `errorCode` (`CMN-102`, `OAU-213`, …), message and
 * request id, and the parsed body.
 *
 * @example Not found
 * ```ts
 * import { ApiError, RingCentral } from "../mod.ts";
 * import { createEmulator } from "./emulator/mod.ts";
 * import { rejects } from "node:assert/strict";
 * const emulator = createEmulator();
 * const rc = new RingCentral({ ...emulator.credentials, fetch: emulator.fetch });
 * await rejects(
 *   rc.get("/restapi/v1.0/account/~/extension/~/message-store/1"),
 *   (e) => e instanceof ApiError && e.status === 404 && e.errorCode === "CMN-102",
 * );
 * ```
 */
export class ApiError extends RingCentralError {
  /** HTTP status. */
  readonly status: number;
  /** RingCentral's error code, such as `CMN-102`. */
  readonly errorCode?: string;
  /** The `RCRequestId` header: quote it to RingCentral's support. */
  readonly requestId?: string;
  /** The parsed response body, redacted. */
  readonly body?: unknown;
  /** Seconds to wait before trying again, from `Retry-After`. */
  readonly retryAfter?: number;
  /** `"unknown"` when the request may have been carried out although it failed (a 5xx to a POST). */
  readonly outcome?: "unknown";

  /** The error of one answer. */
  constructor(init: ApiErrorInit) {
    const r = init.redact ?? redact;
    const code = init.errorCode ? ` ${init.errorCode}` : "";
    super(init.message, init, {
      before: `${init.status}${code} `,
      after: init.requestId ? ` (request id ${init.requestId})` : "",
    });
    this.status = init.status;
    this.errorCode = init.errorCode;
    this.requestId = init.requestId;
    // By structure, not text: a redacted text need not parse again (a quote after `token=` in a message).
    this.body = init.body === undefined ? undefined : redactData(plainData(init.body), r);
    this.retryAfter = init.retryAfter;
    this.outcome = init.outcome;
  }
}

/** `value` as plain JSON data (a class instance becomes its fields), or `undefined` when it is not data. */
function plainData(value: unknown): unknown {
  try {
    return JSON.parse(JSON.stringify(value) ?? "null");
  } catch {
    return undefined; // a cycle, a BigInt: not a body
  }
}

/**
 * What a {@linkcode NetworkError} or {@linkcode TimeoutError} knows.
 *
 * @example
 * ```ts
 * import { NetworkError, type NoAnswerInit } from "../mod.ts";
 * import { equal } from "node:assert/strict";
 * const init: NoAnswerInit = { method: "POST", path: "/restapi/v1.0/account/~/extension/~/sms", outcome: "unknown" };
 * equal(new NetworkError("The connection broke", init).outcome, "unknown");
 * ```
 */
export interface NoAnswerInit extends RingCentralErrorOptions {
  /** `"unknown"` when the request may have been carried out; absent when it certainly was not. */
  outcome?: "unknown";
}

/**
 * No answer came: the connection was refused, broke, or the host is
 * unknown. `outcome` is `"unknown"` when the request may have been carried
 * out all the same (a POST whose answer was lost): check before sending it
 * again.
 *
 * @example A server that is not there
 * ```ts
 * import { NetworkError, RingCentral } from "../mod.ts";
 * import { rejects } from "node:assert/strict";
 * const rc = new RingCentral({ server: "http://127.0.0.1:9", clientId: "id", jwt: "a.b.c", retries: 0 });
 * await rejects(rc.get("/restapi/v1.0/account/~"), NetworkError);
 * ```
 */
export class NetworkError extends RingCentralError {
  /** `"unknown"` when the request may have been carried out; absent when it certainly was not. */
  readonly outcome?: "unknown";
  /** The error of a request with no answer. */
  constructor(detail: string, init: NoAnswerInit = {}) {
    super(detail, init);
    this.outcome = init.outcome;
  }
}

/**
 * No answer came within the time limit (`timeoutMs`, or the wait for a
 * WebSocket gateway). `outcome` is `"unknown"` for a request that may have
 * been carried out.
 *
 * @example
 * ```ts
 * import { TimeoutError } from "../mod.ts";
 * import { ok } from "node:assert/strict";
 * ok(new TimeoutError("No answer within 10 ms") instanceof TimeoutError);
 * ```
 */
export class TimeoutError extends RingCentralError {
  /** `"unknown"` when the request may have been carried out; absent when it certainly was not. */
  readonly outcome?: "unknown";
  /** The error of a request that ran out of time. */
  constructor(detail: string, init: NoAnswerInit = {}) {
    super(detail, init);
    this.outcome = init.outcome;
  }
}

/**
 * Settings that cannot work: a missing or malformed value in the `.env`
 * files, or a permission Deno was not given. Names the key, the file and
 * the fix, never a secret value.
 *
 * @example
 * ```ts
 * import { ConfigError } from "../mod.ts";
 * import { equal } from "node:assert/strict";
 * const e = new ConfigError("RC_CLIENT_ID is empty in .env-sandbox", { key: "RC_CLIENT_ID", file: ".env-sandbox" });
 * equal(e.key, "RC_CLIENT_ID");
 * ```
 */
export class ConfigError extends RingCentralError {
  /** The configuration key at fault. */
  readonly key?: string;
  /** The file (or place) the key belongs in. */
  readonly file?: string;
  /** The error of a setting. */
  constructor(message: string, options: RingCentralErrorOptions & { key?: string; file?: string } = {}) {
    super(message, options);
    this.key = options.key;
    this.file = options.file;
  }
}

/**
 * A `TypeError` for a usage mistake (a path without its `/`, a body that
 * cannot be JSON), printed from the caller's line like this library's own
 * errors.
 */
export function usageError(message: string): TypeError {
  const e = new TypeError(message);
  OWN.add(e);
  return e;
}

/**
 * Makes an error of this library show, when printed uncaught, the stack
 * from the caller of `boundary` (a public method) on: the user's own line
 * first, no frame of the library. The error's causes likewise. Errors not
 * made here (a signal's reason, a user's own) are left as they are.
 */
// deno-lint-ignore ban-types
export function atCaller<E>(error: E, boundary: Function): E {
  if (!(error instanceof Error) || !OWN.has(error)) return error;
  let e: unknown = error;
  for (let depth = 0; e instanceof Error && depth < 4; e = e.cause, depth++) Error.captureStackTrace(e, boundary);
  return error;
}
