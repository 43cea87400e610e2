/**
 * The transport under {@linkcode RingCentral}: one request goes through the
 * pacer, `fetch` with a timeout, a full read of the body, the log and the
 * exchange report, and the retries that are safe (`Retry-After`, backoff).
 * It knows nothing of tokens: the caller sets `Authorization`.
 * @module
 */
import { RingCentralError } from "./errors.ts";
import {
  IDEMPOTENT_METHODS,
  isConnectionRefused,
  isRingCentralUnavailable,
  networkError,
  parseRetryAfter,
} from "./failures.ts";
import { RatePacer } from "./rate_pacer.ts";
import { SecretSet } from "./redact.ts";
import { buffered } from "./_buffered.ts";
import { delay, readAtMost } from "./_util.ts";

/**
 * Query parameters; arrays become repeated parameters (`type=User&type=Department`).
 *
 * @example Repeated parameters from an array
 * ```ts
 * import { RingCentral } from "../mod.ts";
 * import { createEmulator } from "./emulator/mod.ts";
 * import type { Query } from "../mod.ts";
 * import { equal } from "node:assert/strict";
 * const emulator = createEmulator();
 * const rc = new RingCentral({ ...emulator.credentials, fetch: emulator.fetch });
 * const query: Query = { type: ["User", "Department"], status: "Enabled", perPage: 100 };
 * const page = await (await rc.get("/restapi/v1.0/account/~/extension", query)).json();
 * equal(page.records.every((e: { type: string }) => e.type === "User" || e.type === "Department"), true);
 * ```
 */
export type Query = Record<string, string | number | boolean | (string | number)[] | undefined>;

/**
 * One HTTP exchange as seen by {@linkcode TransportOptions.onExchange}, secrets redacted.
 *
 * @example Watch every exchange, secrets redacted
 * ```ts
 * import { RingCentral } from "../mod.ts";
 * import { createEmulator } from "./emulator/mod.ts";
 * import type { Exchange } from "../mod.ts";
 * import { equal, ok } from "node:assert/strict";
 * const emulator = createEmulator();
 * const seen: Exchange[] = [];
 * const rc = new RingCentral({ ...emulator.credentials, fetch: emulator.fetch, onExchange: (x) => seen.push(x) });
 * await rc.get("/restapi/v1.0/account/~/extension/~");
 * equal(seen.at(-1)?.status, 200);
 * ok(!seen.some((x) => x.responseBody.includes(emulator.credentials.jwt)));
 * ```
 */
export interface Exchange {
  /** HTTP method. */
  method: string;
  /** Path and query, as sent (redacted). */
  path: string;
  /** Request headers (redacted). */
  requestHeaders: Record<string, string>;
  /** Request body as text (redacted), if any. */
  requestBody?: string;
  /** Response status; 0 when no response arrived. */
  status: number;
  /** Response headers. */
  responseHeaders: Record<string, string>;
  /** Response body as text (redacted). */
  responseBody: string;
  /** Milliseconds from sending to the end of the body. */
  durationMs: number;
}

/**
 * Per-request options.
 *
 * @example A timeout and a header for one request
 * ```ts
 * import { RingCentral } from "../mod.ts";
 * import { createEmulator } from "./emulator/mod.ts";
 * import type { RequestOptions } from "../mod.ts";
 * import { equal } from "node:assert/strict";
 * const emulator = createEmulator();
 * const rc = new RingCentral({ ...emulator.credentials, fetch: emulator.fetch });
 * const options: RequestOptions = { timeoutMs: 5_000, headers: { "Accept-Language": "en-US" } };
 * equal((await rc.request("GET", "/restapi/v1.0/account/~", options)).status, 200);
 * ```
 */
export interface RequestOptions {
  /** Query parameters. */
  query?: Query;
  /** Body: a plain value is sent as JSON; `FormData`, `URLSearchParams`, `Blob` and strings as they are. */
  body?: unknown;
  /** Extra headers. */
  headers?: HeadersInit;
  /** Cancels the request. */
  signal?: AbortSignal;
  /** Timeout for this request in milliseconds. */
  timeoutMs?: number;
}

/**
 * How a {@linkcode Transport} sends, waits and reports.
 *
 * @example Fewer retries, no pacing, a log
 * ```ts
 * import { RingCentral } from "../mod.ts";
 * import { createEmulator } from "./emulator/mod.ts";
 * import { equal } from "node:assert/strict";
 * const emulator = createEmulator();
 * const lines: string[] = [];
 * const rc = new RingCentral({
 *   ...emulator.credentials,
 *   fetch: emulator.fetch,
 *   retries: 1,
 *   pacing: false,
 *   onLog: (line) => lines.push(line),
 * });
 * await rc.get("/restapi/v1.0/account/~");
 * equal(lines.some((l) => l.includes("/restapi/v1.0/account/~")), true);
 * ```
 */
export interface TransportOptions {
  /** The fetch function. @default globalThis.fetch */
  fetch?: typeof fetch;
  /** The clock, in milliseconds since the epoch. @default Date.now */
  now?: () => number;
  /** How to wait; tests may make it instant. @default delay */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Timeout of each HTTP request in milliseconds. @default 30000 */
  timeoutMs?: number;
  /** How many times a failed request is retried (when that is safe). @default 3 */
  retries?: number;
  /** Base of the exponential, jittered backoff in milliseconds. @default 500 */
  retryDelayMs?: number;
  /** Longest wait for one retry, in milliseconds, `Retry-After` included. @default 120000 */
  maxRetryDelayMs?: number;
  /** Pace requests per rate-limit group so bursts do not draw 429s. @default true */
  pacing?: boolean;
  /** The largest response body read, in bytes; a larger one is an error. @default 67108864 (64 MiB) */
  maxResponseBytes?: number;
  /** Receives one redacted line per request. */
  onLog?: (line: string) => void;
  /** Receives every exchange, redacted (the playground records these). */
  onExchange?: (exchange: Exchange) => void;
  /** The secret values to keep out of logs, exchanges and errors. @default a new, empty set */
  secrets?: SecretSet;
}

/**
 * Sends requests with pacing, a timeout and safe retries, and returns each
 * response fully read (so a body that breaks midway is a network error).
 *
 * @example A GET against the built-in emulator, without a token
 * ```ts
 * import { Transport } from "./transport.ts";
 * import { createEmulator } from "./emulator/mod.ts";
 * import { equal } from "node:assert/strict";
 * const emulator = createEmulator();
 * const transport = new Transport({ fetch: emulator.fetch });
 * const response = await transport.send("GET", new URL("http://emulator.local/restapi/v1.0/account/~"), {});
 * equal(response.status, 401);
 * ```
 */
export class Transport {
  /** The clock. */
  readonly now: () => number;
  /** The client's secret values: credentials and its newest tokens. */
  readonly secrets: SecretSet;
  #fetch: typeof fetch;
  #sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  #timeoutMs: number;
  #retries: number;
  #retryDelayMs: number;
  #maxRetryDelayMs: number;
  #maxResponseBytes: number;
  #pacer?: RatePacer;
  #onLog?: (line: string) => void;
  #onExchange?: (exchange: Exchange) => void;
  #deadlines = new Map<number, { signal: AbortSignal; until: number }>();

  /** A transport with the given effects and limits. */
  constructor(options: TransportOptions = {}) {
    this.#fetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
    this.now = options.now ?? Date.now;
    this.#sleep = options.sleep ?? delay;
    this.#timeoutMs = options.timeoutMs ?? 30_000;
    this.#retries = options.retries ?? 3;
    this.#retryDelayMs = options.retryDelayMs ?? 500;
    this.#maxRetryDelayMs = options.maxRetryDelayMs ?? 120_000;
    this.#maxResponseBytes = options.maxResponseBytes ?? 64 * 1024 * 1024;
    if (options.pacing !== false) this.#pacer = new RatePacer({ now: this.now, sleep: this.#sleep });
    this.#onLog = options.onLog;
    this.#onExchange = options.onExchange;
    this.secrets = options.secrets ?? new SecretSet();
  }

  /**
   * Sends one request and returns the buffered response, whatever its
   * status; a redirect is returned, never followed (the RingCentral API
   * does not redirect, and following would re-send credentials elsewhere).
   * An idempotent request is retried on 429, 503 (after `Retry-After` or a
   * backoff) and network errors; a non-idempotent one only when the answer
   * proves it was not processed: 429, a refused connection, or RingCentral's
   * own JSON 503 (a proxy's 503 proves nothing). Throws a
   * {@linkcode RingCentralError} with status 0 when no answer came, or when
   * Deno may not reach the host, and when the body is larger than
   * `maxResponseBytes`.
   */
  async send(
    method: string,
    url: URL,
    headers: Record<string, string>,
    options: Pick<RequestOptions, "body" | "signal" | "timeoutMs"> = {},
    idempotent = IDEMPOTENT_METHODS.has(method),
  ): Promise<Response> {
    const route = `${method} ${url.pathname}`;
    const body = encodeBody(options.body, headers);
    headers.accept ??= "application/json";
    for (let attempt = 0;; attempt++) {
      const paced = this.#pacer?.acquire(route, options.signal);
      if (paced) await paced;
      const timeoutMs = options.timeoutMs ?? this.#timeoutMs;
      const timeout = this.#deadline(timeoutMs);
      const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
      const started = this.#onLog || this.#onExchange ? performance.now() : 0;
      let response: Response;
      let data: Uint8Array<ArrayBuffer>;
      try {
        const raw = await this.#fetch(url, { method, headers, body, signal, redirect: "manual" });
        data = await this.#read(raw, method, url); // all of it here, so a broken body is a network error
        response = buffered(raw, data); // the same Response, its body readable again from memory
      } catch (error) {
        this.#pacer?.release(route);
        if (error instanceof RingCentralError) throw error;
        if (error instanceof Deno.errors.NotCapable || error instanceof Deno.errors.PermissionDenied) {
          throw new RingCentralError({
            status: 0,
            message: `Deno may not connect to ${url.host}`,
            method,
            path: url.pathname,
            hint: `Run the script with --allow-net=${url.hostname} (or a wider --allow-net)`,
          });
        }
        this.#log(method, url, 0, started, (error as Error).message);
        const failure = networkError({
          error,
          method,
          url,
          timedOut: timeout.aborted,
          timeoutMs,
          cancelled: !!options.signal?.aborted,
          secrets: this.secrets,
        });
        const canRetry = !options.signal?.aborted && (idempotent || isConnectionRefused(error)) && !timeout.aborted;
        if (canRetry && attempt < this.#retries) {
          await this.#sleep(this.#backoff(attempt), options.signal);
          continue;
        }
        throw failure;
      }
      const status = response.status;
      const retryAfter = status === 429 || status === 503
        ? parseRetryAfter(response.headers.get("retry-after"), this.now())
        : undefined;
      const blocked = this.#pacer?.observe(route, response.headers, status, retryAfter) ?? false;
      this.#log(method, url, response.status, started);
      this.#report(method, url, headers, body, response, data, started);
      const notProcessed = response.status === 429 || (response.status === 503 && isRingCentralUnavailable(data));
      if ((notProcessed || (idempotent && response.status === 503)) && attempt < this.#retries) {
        const wait = response.status === 429
          ? (retryAfter ?? 30) * 1000
          : retryAfter !== undefined
          ? retryAfter * 1000
          : this.#backoff(attempt);
        if (wait <= this.#maxRetryDelayMs) {
          // A pacer that blocked the group waits in acquire(); otherwise wait here.
          if (!blocked) await this.#sleep(wait, options.signal);
          continue;
        }
      }
      return response;
    }
  }

  /**
   * A signal that aborts `timeoutMs` after now, give or take a slot of a
   * tenth of it (at most 100 ms, never early): requests starting in the same
   * slot share one timer, instead of every request leaving a timer (and its
   * signal) alive for the whole timeout.
   */
  #deadline(timeoutMs: number): AbortSignal {
    const now = performance.now();
    let deadline = this.#deadlines.get(timeoutMs);
    if (!deadline || now >= deadline.until) {
      const slot = Math.max(1, Math.min(100, timeoutMs / 10));
      deadline = { signal: AbortSignal.timeout(timeoutMs + slot), until: now + slot };
      this.#deadlines.set(timeoutMs, deadline);
    }
    return deadline.signal;
  }

  /** Reads the whole body, refusing one larger than `maxResponseBytes` before reading it all. */
  async #read(raw: Response, method: string, url: URL): Promise<Uint8Array<ArrayBuffer>> {
    const limit = this.#maxResponseBytes;
    const tooLarge = () => {
      raw.body?.cancel().catch(() => {});
      return new RingCentralError({
        status: raw.status,
        message: `The response body is larger than ${limit} bytes (maxResponseBytes)`,
        method,
        path: url.pathname,
        requestId: raw.headers.get("rcrequestid") ?? undefined,
        hint: "Ask for less (paging with perPage, a narrower query), or raise maxResponseBytes in the client's options",
      });
    };
    const declared = raw.headers.get("content-length");
    if (declared !== null) {
      if (Number(declared) > limit) throw tooLarge();
      return await raw.bytes(); // without touching raw.body: Deno reads it whole at once, no stream
    }
    if (!raw.body) return new Uint8Array();
    const all = await readAtMost(raw.body, limit);
    if (!all) throw tooLarge();
    return all as Uint8Array<ArrayBuffer>;
  }

  #backoff(attempt: number): number {
    const cap = Math.min(this.#maxRetryDelayMs, this.#retryDelayMs * 2 ** attempt);
    return cap / 2 + Math.random() * cap / 2;
  }

  #log(method: string, url: URL, status: number, started: number, note?: string): void {
    if (!this.#onLog) return;
    const ms = Math.round(performance.now() - started);
    this.#onLog(
      this.secrets.redact(
        `${method} ${url.pathname}${url.search} -> ${status || "no response"} (${ms} ms)${note ? ` ${note}` : ""}`,
      ),
    );
  }

  #report(
    method: string,
    url: URL,
    headers: Record<string, string>,
    body: BodyInit | undefined,
    response: Response,
    data: Uint8Array,
    started: number,
  ): void {
    if (!this.#onExchange) return;
    const requestHeaders: Record<string, string> = {};
    for (const k of Object.keys(headers).sort()) {
      const v = headers[k];
      requestHeaders[k] = this.secrets.redact(k === "authorization" ? v.replace(/ .*/, " [REDACTED]") : v);
    }
    const responseHeaders: Record<string, string> = {};
    response.headers.forEach((v, k) => (responseHeaders[k] = v));
    this.#onExchange({
      method,
      path: this.secrets.redact(url.pathname + url.search),
      requestHeaders,
      requestBody: typeof body === "string" || body instanceof URLSearchParams
        ? this.secrets.redact(String(body))
        : undefined,
      status: response.status,
      responseHeaders,
      responseBody: this.secrets.redact(new TextDecoder().decode(data)),
      durationMs: Math.round(performance.now() - started),
    });
  }
}

/** The fetch body for `body`; a plain value becomes JSON (and sets `Content-Type`). */
function encodeBody(body: unknown, headers: Record<string, string>): BodyInit | undefined {
  if (body === undefined || body === null) return undefined;
  if (
    typeof body === "string" || body instanceof URLSearchParams || body instanceof FormData ||
    body instanceof Blob || body instanceof ArrayBuffer || body instanceof Uint8Array
  ) return body as BodyInit;
  headers["content-type"] ??= "application/json";
  return JSON.stringify(body);
}
