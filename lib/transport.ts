/**
 * The transport under {@linkcode RingCentral}: one request goes through the
 * pacer, `fetch` with a timeout, a full read of the body, the log and the
 * exchange report, and the retries that are safe (`Retry-After`, backoff).
 * It knows nothing of tokens: the client sets `Authorization`.
 * @module
 */
import { ApiError, ConfigError, RingCentralError, usageError } from "./errors.ts";
import {
  apiErrorOf,
  IDEMPOTENT_METHODS,
  isConnectionRefused,
  isRingCentralUnavailable,
  noAnswerError,
  parseRetryAfter,
} from "./failures.ts";
import { MAX_RETRY_AFTER_SECONDS, RatePacer, type Ticket } from "./rate_pacer.ts";
import type { SecretSet } from "./redact.ts";
import { abortable, delay } from "./async.ts";
import { readAtMost } from "./bytes.ts";

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
 * equal(page.records.every((e) => e.type === "User" || e.type === "Department"), true);
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
  /** Whether the client sends the request again after this answer (a 429 or 503 it waits out). */
  willRetry?: boolean;
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
  /** Cancels the request: it then rejects with the signal's reason, as `fetch` does. */
  signal?: AbortSignal;
  /** Timeout for this request in milliseconds. */
  timeoutMs?: number;
  /**
   * Hears the response body arrive: the bytes received so far, and the total when the server said it
   * (`Content-Length`). For downloads (see `downloadContent()`).
   */
  onProgress?: (received: number, total: number | undefined) => void;
  /**
   * Takes the body of a 2xx answer as it arrives, instead of the client reading it whole into memory (and
   * within `maxResponseBytes`); the returned `Response` then has no body. Within the request's timeout; called
   * again, with a new body, when the request is retried. For downloads (see `downloadContent()`).
   */
  onBody?: (body: ReadableStream<Uint8Array>, response: Response) => Promise<void>;
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
  /** How to wait; tests may make it instant. @default an abortable setTimeout */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /**
   * Timeout of each HTTP request in milliseconds (or the one given for a
   * request). It also bounds the wait for a token and each wait for a rate
   * limit: a longer wait fails the call at once, naming the wait. @default 30000
   */
  timeoutMs?: number;
  /** How many times a failed request is retried (when that is safe). @default 3 */
  retries?: number;
  /** Base of the exponential, jittered backoff in milliseconds. @default 500 */
  retryDelayMs?: number;
  /** Longest wait for one retry, in milliseconds, `Retry-After` included. @default 120000 */
  maxRetryDelayMs?: number;
  /** Pace requests per rate-limit group so bursts do not draw 429s. @default true */
  pacing?: boolean;
  /** The largest response body read, in bytes (after decoding); a larger one is an error. @default 67108864 (64 MiB) */
  maxResponseBytes?: number;
  /** Receives one redacted line per request. */
  onLog?: (line: string) => void;
  /** Receives every exchange, redacted (the playground records these). */
  onExchange?: (exchange: Exchange) => void;
  /**
   * Hears of every wait before a request is sent: held back for a rate
   * limit, or before a retry. @default a `rate limit:` or `retrying` line
   * on stderr for waits of {@linkcode WAIT_NOTICE_MS} or more
   */
  onWait?: (wait: Wait) => void;
}

/**
 * A request held back before it is sent, as {@linkcode TransportOptions.onWait} hears of it.
 *
 * @example Show long waits your own way
 * ```ts
 * import { RingCentral, type Wait } from "../mod.ts";
 * import { createEmulator } from "./emulator/mod.ts";
 * const emulator = createEmulator();
 * const waits: Wait[] = [];
 * const rc = new RingCentral({ ...emulator.credentials, fetch: emulator.fetch, onWait: (w) => waits.push(w) });
 * await rc.get("/restapi/v1.0/account/~/extension/~");
 * console.log(waits.map((w) => `${w.reason} ${w.group ?? ""} ${w.ms} ms`)); // none: one request waits for nothing
 * ```
 */
export interface Wait {
  /** HTTP method. */
  method: string;
  /** The path, without the query. */
  path: string;
  /** How long, in milliseconds. */
  ms: number;
  /** `rate-limit`: the client paces its group; `retry`: the previous attempt failed (`status`, 0 for no answer). */
  reason: "rate-limit" | "retry";
  /** The rate-limit group (lower case), when the server named one. */
  group?: string;
  /** Requests the group allows per window, when known. */
  limit?: number;
  /** The group's window in seconds, when known. */
  windowSeconds?: number;
  /** The group is paused after a 429 (rather than its window being full). */
  penalty?: boolean;
  /** The status of the attempt being retried (0: no answer). */
  status?: number;
}

/** Waits shorter than this (ms) pass silently by default; longer ones print one line. */
export const WAIT_NOTICE_MS = 2000;

/**
 * One line that says what a request waits for and how long, as the
 * default {@linkcode TransportOptions.onWait} prints it.
 *
 * @example
 * ```ts
 * import { describeWait } from "./transport.ts";
 * import { equal } from "node:assert/strict";
 * equal(
 *   describeWait({ method: "GET", path: "/restapi/v1.0/account/~/call-log", ms: 12_000, reason: "rate-limit", group: "heavy", limit: 10, windowSeconds: 60 }),
 *   "rate limit: holding GET /restapi/v1.0/account/~/call-log for 12 s (the Heavy group allows 10 requests per 60 s)",
 * );
 * ```
 */
export function describeWait(wait: Wait): string {
  const seconds = `${Math.max(1, Math.round(wait.ms / 1000))} s`;
  const request = `${wait.method} ${wait.path}`;
  if (wait.reason === "retry") {
    const after = wait.status ? `a ${wait.status} answer` : "no answer";
    return `retrying ${request} in ${seconds} after ${after}`;
  }
  const group = wait.group ? groupName(wait.group) : "its";
  const why = wait.penalty
    ? `the ${group} group is paused after a 429 Too Many Requests`
    : wait.limit && wait.windowSeconds
    ? `the ${group} group allows ${wait.limit} requests per ${wait.windowSeconds} s`
    : `the ${group} group is full`;
  return `rate limit: holding ${request} for ${seconds} (${why})`;
}

/** `heavy` → `Heavy`, as RingCentral's documentation names the groups. */
function groupName(group: string): string {
  return group.charAt(0).toUpperCase() + group.slice(1);
}

/** One request as the client hands it to {@linkcode Transport.send}. */
export interface Outgoing {
  /** HTTP method, upper case. */
  method: string;
  /** The whole URL. */
  url: URL;
  /** Headers with lower-case names; `authorization` is the client's business. */
  headers: Record<string, string>;
  /** The body, encoded by {@linkcode encodeBody}. */
  body?: BodyInit;
  /** The caller's signal. */
  signal?: AbortSignal;
  /** This request's timeout, in ms. */
  timeoutMs?: number;
  /** Whether repeating it cannot change the outcome. @default IDEMPOTENT_METHODS.has(method) */
  idempotent?: boolean;
  /** Hears the response body arrive. */
  onProgress?: (received: number, total: number | undefined) => void;
  /** Takes a 2xx answer's body as it arrives (see {@linkcode RequestOptions.onBody}). */
  onBody?: (body: ReadableStream<Uint8Array>, response: Response) => Promise<void>;
}

/**
 * Sends requests with pacing, a timeout and safe retries, and returns each
 * response fully read (so a body that breaks midway is a network error).
 *
 * @example A GET against the built-in emulator, without a token
 * ```ts
 * import { Transport } from "./transport.ts";
 * import { SecretSet } from "./redact.ts";
 * import { createEmulator } from "./emulator/mod.ts";
 * import { equal } from "node:assert/strict";
 * const emulator = createEmulator();
 * const transport = new Transport({ fetch: emulator.fetch }, new SecretSet());
 * const response = await transport.send({ method: "GET", url: new URL("http://emulator.local/restapi/v1.0/account/~"), headers: {} });
 * equal(response.status, 401);
 * ```
 */
export class Transport {
  /** The clock. */
  readonly now: () => number;
  #secrets: SecretSet;
  #fetch: typeof fetch;
  #sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** The timeout of a request that gives none, in ms. */
  readonly timeoutMs: number;
  #explicitTimeout: boolean;
  #retries: number;
  #retryDelayMs: number;
  #maxRetryDelayMs: number;
  #maxResponseBytes: number;
  #pacer?: RatePacer;
  #onLog?: (line: string) => void;
  #onExchange?: (exchange: Exchange) => void;
  #onWait: (wait: Wait) => void;
  /** When the last printed wait of each group (or request) ends: the requests queued behind it say nothing more. */
  #saidUntil = new Map<string, number>();

  /** A transport with the given effects and limits, keeping `secrets` out of what it reports. */
  constructor(options: TransportOptions, secrets: SecretSet) {
    this.#fetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
    this.now = options.now ?? Date.now;
    this.#sleep = options.sleep ?? delay;
    this.timeoutMs = checkTimeout(options.timeoutMs, "the client's timeoutMs") ?? 30_000;
    this.#explicitTimeout = options.timeoutMs !== undefined;
    this.#retries = options.retries ?? 3;
    this.#retryDelayMs = options.retryDelayMs ?? 500;
    this.#maxRetryDelayMs = options.maxRetryDelayMs ?? 120_000;
    this.#maxResponseBytes = options.maxResponseBytes ?? 64 * 1024 * 1024;
    if (options.pacing !== false) this.#pacer = new RatePacer({ now: this.now, sleep: this.#sleep });
    this.#onLog = options.onLog;
    this.#onExchange = options.onExchange;
    this.#onWait = options.onWait ?? ((wait) => this.#printLongWait(wait));
    this.#secrets = secrets;
  }

  /**
   * Sends one request and returns the response, its body read whole,
   * whatever its status; a redirect is returned, never followed (the
   * RingCentral API does not redirect, and following would re-send
   * credentials elsewhere). An idempotent request is retried on 429, 503
   * (after `Retry-After` or a backoff) and network errors; any other only
   * when the answer proves it was not processed: 429, a refused connection,
   * or RingCentral's own JSON 503 (a proxy's 503 proves nothing). Throws a
   * {@linkcode NetworkError} or {@linkcode TimeoutError} when no answer
   * came, a {@linkcode ConfigError} when Deno may not reach the host, and
   * the signal's reason when the caller cancelled.
   */
  async send(request: Outgoing): Promise<Response> {
    const { method, url, headers, signal } = request;
    const idempotent = request.idempotent ?? IDEMPOTENT_METHODS.has(method);
    const route = `${method} ${url.pathname}`;
    headers.accept ??= "application/json";
    const timeoutMs = checkTimeout(request.timeoutMs, "timeoutMs") ?? this.timeoutMs;
    // The request's timeout (its own, or the client's default) bounds a wait the server asks for (Retry-After); the
    // pacer's waits for a full window are the client's own pacing, bounded by a timeout only when one is given.
    const paceBudget = request.timeoutMs ?? (this.#explicitTimeout ? this.timeoutMs : undefined);
    let answerLost = false;
    for (let attempt = 0;; attempt++) {
      const ticket = await this.#pacer?.acquire(
        route,
        signal,
        paceBudget,
        (w) => this.#onWait({ method, path: url.pathname, reason: "rate-limit", ...w }),
      );
      const timeout = AbortSignal.timeout(timeoutMs);
      const stop = signal ? AbortSignal.any([signal, timeout]) : timeout;
      const started = performance.now();
      let response: Response;
      let data: Uint8Array;
      try {
        // Raced against the timeout and the caller's signal: a fetch (or a body) that ignores its signal is not waited for.
        stop.throwIfAborted(); // (cancelled while held back)
        [response, data] = await abortable(this.#exchange(request, stop), stop);
      } catch (error) {
        this.#pacer?.release(route);
        const timedOut = timeout.aborted;
        const failure = this.#noAnswer(error, request, timedOut, timeoutMs, started);
        const final = error instanceof RingCentralError; // an answer that was refused (too large): not a lost one
        if ((idempotent || isConnectionRefused(error)) && !timedOut && !final && attempt < this.#retries) {
          answerLost ||= !isConnectionRefused(error); // it may have been carried out
          const ms = this.#backoff(attempt);
          this.#onWait({ method, path: url.pathname, ms, reason: "retry", status: 0 });
          await this.#sleep(ms, signal);
          continue;
        }
        throw failure;
      }
      if (answerLost && method === "DELETE" && response.status === 404) return this.#deletedEarlier(request, started);
      const retry = this.#retryWait(route, response, data, idempotent, attempt, ticket);
      // A 503 that is not RingCentral's own (a proxy's, a gateway's) proves nothing: the request may have been carried out.
      if (retry && response.status === 503 && !isRingCentralUnavailable(data)) answerLost = true;
      this.#log(method, url, response.status, started);
      this.#report(request, response, data, started, retry !== undefined);
      if (retry === undefined) return response;
      if (retry.ms > timeoutMs) throw await this.#tooLongWait(response, request, retry.ms, timeoutMs);
      if (!retry.paced) { // a group the pacer blocked waits in acquire()
        this.#onWait({ method, path: url.pathname, ms: retry.ms, reason: "retry", status: response.status });
        await this.#sleep(retry.ms, signal);
      }
    }
  }

  /** One fetch and its body: read whole (a body that breaks midway is a network error), or handed to `onBody`. */
  async #exchange(request: Outgoing, signal: AbortSignal): Promise<[Response, Uint8Array]> {
    const { method, url, headers, body } = request;
    const raw = await this.#fetch(url, { method, headers, body, signal, redirect: "manual" });
    if (request.onBody && raw.ok && !NULL_BODY.has(raw.status)) {
      await request.onBody(raw.body ?? new Blob([]).stream(), raw);
      return [new Response(null, raw), new Uint8Array()];
    }
    const data = await this.#read(raw, method, url, request.onProgress);
    return [new Response(NULL_BODY.has(raw.status) ? null : data as Uint8Array<ArrayBuffer>, raw), data];
  }

  /** The default `onWait`: one line on stderr for a wait of 2 s or more, unless one already covers it. */
  #printLongWait(wait: Wait): void {
    if (wait.ms < WAIT_NOTICE_MS) return;
    const key = wait.group ?? `${wait.method} ${wait.path}`;
    const until = this.now() + wait.ms;
    if ((this.#saidUntil.get(key) ?? 0) >= until - WAIT_NOTICE_MS) return;
    this.#saidUntil.set(key, until);
    console.error(describeWait(wait));
  }

  /** The error of a request that got no answer; the caller's own cancellation rejects with its reason instead. */
  #noAnswer(error: unknown, request: Outgoing, timedOut: boolean, timeoutMs: number, started: number): Error {
    const { method, url, signal } = request;
    signal?.throwIfAborted(); // the caller cancelled: their reason, as fetch gives it
    if (error instanceof RingCentralError) return error;
    if (error instanceof Deno.errors.NotCapable || error instanceof Deno.errors.PermissionDenied) {
      return new ConfigError(`Deno may not connect to ${url.host}`, {
        method,
        path: url.pathname,
        hint: `Run the script with --allow-net=${url.hostname} (or a wider --allow-net)`,
        key: "--allow-net",
      });
    }
    this.#log(method, url, 0, started, (error as Error).message);
    return noAnswerError({ error, method, url, timedOut, timeoutMs }, this.#redact);
  }

  /**
   * How long to wait before sending again after this answer, and whether
   * the pacer waits it (a 429 blocks the group), or `undefined` when it is
   * the final answer: only 429 and 503 are retried, a 503 to a request that
   * changes something only when it is RingCentral's own, and never longer
   * than `maxRetryDelayMs`. A `Retry-After` counts for at most
   * {@linkcode MAX_RETRY_AFTER_SECONDS}.
   */
  #retryWait(
    route: string,
    response: Response,
    data: Uint8Array,
    idempotent: boolean,
    attempt: number,
    ticket?: Ticket,
  ): { ms: number; paced: boolean } | undefined {
    const status = response.status;
    const said = status === 429 || status === 503
      ? parseRetryAfter(response.headers.get("retry-after"), this.now())
      : undefined;
    const retryAfter = said === undefined ? undefined : Math.min(said, MAX_RETRY_AFTER_SECONDS);
    const paced = this.#pacer?.observe(route, response.headers, status, retryAfter, ticket) ?? false;
    const notProcessed = status === 429 || (status === 503 && isRingCentralUnavailable(data));
    if (!(notProcessed || (idempotent && status === 503)) || attempt >= this.#retries) return undefined;
    const ms = status === 429
      ? (retryAfter ?? 30) * 1000
      : retryAfter !== undefined
      ? retryAfter * 1000
      : this.#backoff(attempt);
    return ms > this.#maxRetryDelayMs ? undefined : { ms, paced };
  }

  /**
   * A DELETE sent again after its answer was lost, which finds nothing: the
   * earlier attempt deleted it. Done, as a 204 that says so.
   */
  #deletedEarlier(request: Outgoing, started: number): Response {
    const note = "404 after a retry: the earlier attempt deleted it (its answer was lost), so it is done";
    this.#log(request.method, request.url, 404, started, note);
    return new Response(null, {
      status: 204,
      headers: {
        "x-client-note": "Deleted: an earlier attempt deleted it; its answer was lost, and the retry found nothing",
      },
    });
  }

  /** The error of an answer whose `Retry-After` is longer than the request's timeout: no sleep, at once. */
  async #tooLongWait(response: Response, request: Outgoing, waitMs: number, budgetMs: number): Promise<ApiError> {
    const { method, url } = request;
    const e = await apiErrorOf(response, { method, url, now: this.now(), redact: this.#redact });
    return new ApiError({
      status: e.status,
      errorCode: e.errorCode,
      message: `${e.detail}; Retry-After asks for ${Math.ceil(waitMs / 1000)} s, longer than this request's ${
        budgetMs / 1000
      } s timeout`,
      requestId: e.requestId,
      body: e.body,
      retryAfter: e.retryAfter,
      method,
      path: url.pathname,
      hint: "Try again later, or give it a longer timeoutMs",
      redact: this.#redact,
    });
  }

  #redact = (text: string): string => this.#secrets.redact(text);

  /**
   * Reads the whole body, refusing one larger than `maxResponseBytes` as
   * soon as that is known. The limit counts decoded bytes: a small gzip body
   * may inflate to gigabytes. An unencoded body whose `Content-Length` is
   * within the limit is read at once (`bytes()`), the common case: reading
   * through the stream instead costs a quarter of a loopback call's time
   * (`deno run -A bench/overhead.ts`).
   */
  async #read(
    raw: Response,
    method: string,
    url: URL,
    onProgress?: (received: number, total: number | undefined) => void,
  ): Promise<Uint8Array> {
    const limit = this.#maxResponseBytes;
    const declared = raw.headers.get("content-length");
    const encoded = (raw.headers.get("content-encoding") ?? "identity").toLowerCase() !== "identity";
    if (declared !== null && !encoded && Number(declared) <= limit && !onProgress) return await raw.bytes();
    const total = declared !== null && !encoded ? Number(declared) : undefined;
    const progress = onProgress && ((received: number) => onProgress(received, total));
    const all = raw.body ? await readAtMost(raw.body, limit, progress) : new Uint8Array();
    if (all) return all;
    throw new ApiError({
      status: raw.status,
      message: `The response body is larger than ${limit} bytes (the maxResponseBytes limit)`,
      method,
      path: url.pathname,
      requestId: raw.headers.get("rcrequestid") ?? undefined,
      hint: "Ask for less (paging with perPage, a narrower query), or raise maxResponseBytes in the client's options",
    });
  }

  #backoff(attempt: number): number {
    const cap = Math.min(this.#maxRetryDelayMs, this.#retryDelayMs * 2 ** attempt);
    return cap / 2 + Math.random() * cap / 2;
  }

  #log(method: string, url: URL, status: number, started: number, note?: string): void {
    if (!this.#onLog) return;
    const ms = Math.round(performance.now() - started);
    this.#onLog(
      this.#redact(
        `${method} ${url.pathname}${url.search} -> ${status || "no response"} (${ms} ms)${note ? ` ${note}` : ""}`,
      ),
    );
  }

  #report(request: Outgoing, response: Response, data: Uint8Array, started: number, willRetry: boolean): void {
    if (!this.#onExchange) return;
    const requestHeaders: Record<string, string> = {};
    for (const k of Object.keys(request.headers).sort()) {
      const v = request.headers[k];
      requestHeaders[k] = this.#redact(k === "authorization" ? v.replace(/ .*/, " [REDACTED]") : v);
    }
    const responseHeaders: Record<string, string> = {};
    response.headers.forEach((v, k) => (responseHeaders[k] = v));
    const body = request.body;
    this.#onExchange({
      method: request.method,
      path: this.#redact(request.url.pathname + request.url.search),
      requestHeaders,
      requestBody: typeof body === "string" || body instanceof URLSearchParams ? this.#redact(String(body)) : undefined,
      status: response.status,
      responseHeaders,
      responseBody: textual(response.headers.get("content-type"))
        ? this.#redact(new TextDecoder().decode(data))
        : `[${data.length} bytes of ${response.headers.get("content-type")}]`,
      durationMs: Math.round(performance.now() - started),
      ...(willRetry ? { willRetry } : {}),
    });
  }
}

/**
 * `timeoutMs` when it is a usable timeout (a positive number of ms), `undefined` when not given; anything else is a
 * usage error that says what is expected.
 */
export function checkTimeout(timeoutMs: unknown, what: string): number | undefined {
  if (timeoutMs === undefined) return undefined;
  if (typeof timeoutMs === "number" && Number.isFinite(timeoutMs) && timeoutMs > 0) return timeoutMs;
  const got = typeof timeoutMs === "string" ? `"${timeoutMs.slice(0, 40)}"` : String(timeoutMs);
  throw usageError(
    `${what} must be a positive number of milliseconds, such as 30_000 for 30 s (got ${got}${
      typeof timeoutMs === "string" ? ", a string" : ""
    })`,
  );
}

/** Whether a body of this content type is text to show (JSON, text, a form, XML); no type counts as text. */
function textual(contentType: string | null): boolean {
  return !contentType || /json|^text\/|xml|x-www-form-urlencoded|javascript/i.test(contentType);
}

/** Statuses whose responses have no body. */
const NULL_BODY = new Set([101, 103, 204, 205, 304]);

/**
 * The fetch body for `body`; a plain value becomes JSON (and sets `Content-Type`).
 *
 * @example
 * ```ts
 * import { encodeBody } from "./transport.ts";
 * import { equal } from "node:assert/strict";
 * const headers: Record<string, string> = {};
 * equal(encodeBody({ text: "Hi" }, headers), '{"text":"Hi"}');
 * equal(headers["content-type"], "application/json");
 * ```
 */
export function encodeBody(body: unknown, headers: Record<string, string>): BodyInit | undefined {
  if (body === undefined || body === null) return undefined;
  if (
    typeof body === "string" || body instanceof URLSearchParams || body instanceof FormData ||
    body instanceof Blob || body instanceof ArrayBuffer || body instanceof Uint8Array ||
    body instanceof ReadableStream
  ) return body as BodyInit;
  const file = binaryIn(body, "", 0);
  if (file) {
    throw usageError(
      `${file.at} is ${file.what}, which JSON cannot carry (it would be sent as {} and the file lost). ` +
        `Send files with withFiles(json, files): rc.post(path, withFiles({ from, to, text }, [file]))`,
    );
  }
  headers["content-type"] ??= "application/json";
  return JSON.stringify(body);
}

/** The first file-like value (bytes, a Blob or File, a stream) in a JSON body, a few levels deep, and where it is. */
function binaryIn(value: unknown, at: string, depth: number): { at: string; what: string } | undefined {
  if (value === null || typeof value !== "object" || depth > 3) return undefined;
  const what = value instanceof File
    ? `a File (${value.name})`
    : value instanceof Blob
    ? "a Blob"
    : value instanceof ArrayBuffer || ArrayBuffer.isView(value)
    ? `binary data (${value.constructor.name})`
    : value instanceof ReadableStream
    ? "a stream"
    : undefined;
  if (what) return { at: at || "the body", what };
  if (typeof (value as { toJSON?: unknown }).toJSON === "function") return undefined; // a Date, a value that says how
  const entries = Array.isArray(value) ? value.map((v, i) => [`[${i}]`, v] as const) : Object.entries(value).map(
    ([k, v]) => [at ? `.${k}` : k, v] as const,
  );
  for (const [key, v] of entries) {
    const found = binaryIn(v, `${at}${key}`, depth + 1);
    if (found) return found;
  }
  return undefined;
}
