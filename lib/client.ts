/**
 * The {@linkcode RingCentral} client: authentication with a shared token
 * cache, and `get/post/put/patch/delete` with retries, pacing and timeouts.
 * @module
 */
import { basicAuth, loginForm, tokenAction, type TokenTimes, tokenTimes } from "./auth.ts";
import { type Config, type Credentials, loadConfig } from "./config.ts";
import { RingCentralError } from "./errors.ts";
import { hintFor } from "./hints.ts";
import { RatePacer } from "./rate_pacer.ts";
import { redact, registerSecret } from "./redact.ts";
import {
  FileTokenStore,
  MemoryTokenStore,
  type StoredTokens,
  type TokenResponse,
  type TokenStore,
} from "./token_store.ts";
import { createEmulator, type Emulator } from "./emulator/mod.ts";

/** Query parameters; arrays become repeated parameters (`type=User&type=Department`). */
export type Query = Record<string, string | number | boolean | (string | number)[] | undefined>;

/** One HTTP exchange as seen by {@linkcode RingCentralOptions.onExchange}, secrets redacted. */
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

/** Options of {@linkcode RingCentral}. */
export interface RingCentralOptions {
  /** Server URL, such as `https://platform.ringcentral.com`. */
  server: string;
  /** The app's client id. */
  clientId: string;
  /** The app's client secret; without it the client is public (`client_id` in the body). */
  clientSecret?: string;
  /** A JWT credential (recommended). */
  jwt?: string;
  /** Username for the (deprecated) password grant. */
  username?: string;
  /** Password for the password grant. */
  password?: string;
  /** Extension number for the password grant. */
  extension?: string;
  /** Where tokens are kept. @default new MemoryTokenStore() */
  tokenStore?: TokenStore;
  /** The fetch function. @default globalThis.fetch */
  fetch?: typeof fetch;
  /** The clock, in milliseconds since the epoch. @default Date.now */
  now?: () => number;
  /** How to wait; tests may make it instant. @default setTimeout-based */
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
  /** Receives one redacted line per request. */
  onLog?: (line: string) => void;
  /** Receives every exchange, redacted (the playground records these). */
  onExchange?: (exchange: Exchange) => void;
}

/** Per-request options. */
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

/** Options of {@linkcode RingCentral.fromEnv}. */
export interface FromEnvOptions extends Partial<RingCentralOptions> {
  /** Folder holding `.env`, `.env-sandbox`, `.env-production` and the token cache. @default "." */
  dir?: string;
  /** Environment variables; they override the files. @default Deno.env.toObject() */
  env?: Record<string, string | undefined>;
  /** Where the "using the built-in emulator" notice goes. @default console.error */
  onNotice?: (message: string) => void;
  /** Use the built-in emulator whatever is configured (reads no file and no variable). */
  useEmulator?: boolean;
  /** Log in with this grant when both a JWT and a password are configured. @default "jwt" */
  grant?: "jwt" | "password";
  /** The in-process emulator to use when the emulator is used (so several clients share one). */
  emulator?: Emulator;
}

/** Where a client's requests go. */
export type Target = "sandbox" | "production" | "emulator";

const IDEMPOTENT = new Set(["GET", "HEAD", "PUT", "DELETE", "OPTIONS"]);
const TOKEN_PATH = "/restapi/oauth/token";
const REVOKE_PATH = "/restapi/oauth/revoke";
let noticeGiven = false;

function defaultSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const id = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(id);
      reject(signal!.reason);
    };
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

/** `Retry-After` in seconds, from seconds or an HTTP date. */
function parseRetryAfter(value: string | null, now: number): number | undefined {
  if (!value) return undefined;
  if (/^\d+(\.\d+)?$/.test(value.trim())) return Number(value);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, (date - now) / 1000);
}

function isConnectionRefused(e: unknown): boolean {
  const text = `${(e as Error)?.message} ${(e as { cause?: Error })?.cause?.message ?? ""}`;
  return /connection refused|ECONNREFUSED|os error 111/i.test(text);
}

/** Builds a {@linkcode RingCentralError} from an error response. */
export async function errorFromResponse(
  response: Response,
  method: string,
  path: string,
  now = Date.now(),
): Promise<RingCentralError> {
  const text = await response.text().catch(() => "");
  const requestId = response.headers.get("rcrequestid") ?? undefined;
  const retryAfter = parseRetryAfter(response.headers.get("retry-after"), now);
  let body: Record<string, unknown> | undefined;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = undefined;
  }
  if (!body || typeof body !== "object") {
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
    });
  }
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
  });
}

/**
 * A RingCentral REST API client, ported from the Python tutorial and grown to
 * survive refresh races, rate limits, timeouts and dropped connections.
 *
 * @example List extensions against the built-in emulator
 * ```ts
 * import { createEmulator, RingCentral } from "../mod.ts";
 * import { ok } from "node:assert/strict";
 * const emulator = createEmulator();
 * const rc = new RingCentral({ ...emulator.credentials, fetch: emulator.fetch });
 * const page = await (await rc.get("/restapi/v1.0/account/~/extension", { perPage: 5 })).json();
 * ok(page.records.length === 5);
 * ```
 */
export class RingCentral {
  /** Server URL without trailing slash. */
  readonly server: string;
  /** The app's client id. */
  readonly clientId: string;
  /** Where requests go: `sandbox`, `production` or the built-in `emulator`. */
  target: Target = "sandbox";
  /** The in-process emulator, when the client runs against one. */
  emulator?: Emulator;
  /** The store holding this client's tokens. */
  readonly tokenStore: TokenStore;

  #clientSecret?: string;
  #credentials?: Credentials;
  #fetch: typeof fetch;
  #now: () => number;
  #sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  #timeoutMs: number;
  #retries: number;
  #retryDelayMs: number;
  #maxRetryDelayMs: number;
  #pacer?: RatePacer;
  #onLog?: (line: string) => void;
  #onExchange?: (exchange: Exchange) => void;
  #current?: StoredTokens;
  #renewal?: Promise<StoredTokens>;

  /** A client with everything given explicitly. */
  constructor(options: RingCentralOptions) {
    if (!options.server) throw new TypeError("RingCentral: server is required, e.g. https://platform.ringcentral.com");
    if (!options.clientId) throw new TypeError("RingCentral: clientId is required");
    this.server = options.server.replace(/\/+$/, "");
    this.clientId = options.clientId;
    this.#clientSecret = options.clientSecret;
    if (options.jwt) this.#credentials = { jwt: options.jwt };
    else if (options.username && options.password) {
      this.#credentials = {
        username: options.username,
        password: options.password,
        ...(options.extension ? { extension: options.extension } : {}),
      };
    }
    for (const s of [options.clientSecret, options.jwt, options.password]) registerSecret(s);
    this.tokenStore = options.tokenStore ?? new MemoryTokenStore();
    this.#fetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
    this.#now = options.now ?? Date.now;
    this.#sleep = options.sleep ?? defaultSleep;
    this.#timeoutMs = options.timeoutMs ?? 30_000;
    this.#retries = options.retries ?? 3;
    this.#retryDelayMs = options.retryDelayMs ?? 500;
    this.#maxRetryDelayMs = options.maxRetryDelayMs ?? 120_000;
    if (options.pacing !== false) this.#pacer = new RatePacer({ now: this.#now, sleep: this.#sleep });
    this.#onLog = options.onLog;
    this.#onExchange = options.onExchange;
    if (/devtest/.test(this.server)) this.target = "sandbox";
    else if (/\bringcentral\.com$/.test(new URL(this.server).hostname)) this.target = "production";
    else this.target = "emulator";
  }

  /**
   * A client configured from `.env` and `.env-sandbox` / `.env-production`
   * in the current folder (or `dir`), caching tokens in
   * `tokens_<environment>.json` there. With no credentials configured it
   * runs against an in-process emulator and says so once on stderr.
   *
   * @example
   * ```ts
   * import { RingCentral } from "../mod.ts";
   * import { equal } from "node:assert/strict";
   * const dir = await Deno.makeTempDir();
   * const rc = await RingCentral.fromEnv({ dir, env: {}, onNotice: () => {} });
   * equal(rc.target, "emulator");
   * await Deno.remove(dir, { recursive: true });
   * ```
   */
  static async fromEnv(options: FromEnvOptions = {}): Promise<RingCentral> {
    const { dir = ".", env, onNotice = (m: string) => console.error(m), useEmulator, grant, emulator: given, ...rest } =
      options;
    if (useEmulator) {
      const emulator = given ?? createEmulator();
      const credentials = grant === "password" ? emulator.passwordCredentials : emulator.credentials;
      const rc = new RingCentral({ ...credentials, fetch: emulator.fetch, ...rest });
      rc.target = "emulator";
      rc.emulator = emulator;
      return rc;
    }
    const config: Config = await loadConfig({ dir, env });
    if (!config.clientId || !config.credentials) {
      const emulator = given ?? createEmulator();
      if (!noticeGiven || options.onNotice) {
        noticeGiven = true;
        onNotice(
          `No credentials in ${config.file}: using the built-in RingCentral emulator (offline). ` +
            `To use your RingCentral account, fill RC_CLIENT_ID, RC_CLIENT_SECRET and RC_JWT in ${config.file}.`,
        );
      }
      const credentials = grant === "password" ? emulator.passwordCredentials : emulator.credentials;
      const rc = new RingCentral({ ...credentials, fetch: emulator.fetch, ...rest });
      rc.target = "emulator";
      rc.emulator = emulator;
      return rc;
    }
    const rc = new RingCentral({
      server: config.server,
      clientId: config.clientId,
      clientSecret: config.clientSecret,
      ...config.credentials,
      ...(grant === "password" && config.password ? config.password : {}),
      ...(grant === "password" && config.password ? { jwt: undefined } : {}),
      tokenStore: new FileTokenStore(`${dir}/${config.tokenFile}`, { onWarning: onNotice }),
      ...rest,
    });
    const host = new URL(config.server).hostname;
    rc.target = /^(127\.|localhost$|\[::1\]$)/.test(host) ? "emulator" : config.environment;
    return rc;
  }

  /** Whether the client has credentials to log in with (it may still hold tokens without them). */
  get canLogin(): boolean {
    return this.#credentials !== undefined;
  }

  /** How the client logs in: `jwt`, `password`, or `undefined` without credentials. */
  get grant(): "jwt" | "password" | undefined {
    return this.#credentials ? ("jwt" in this.#credentials ? "jwt" : "password") : undefined;
  }

  /**
   * Makes sure a valid access token is at hand, as the tutorial does: reuse
   * the cached one while valid, refresh while the refresh token is valid,
   * log in otherwise. Concurrent callers, in this process and in others
   * sharing the cache file, cause at most one refresh.
   */
  async authenticate(): Promise<void> {
    await this.#accessToken();
  }

  /** Seconds left on the current tokens, their scope and owner; `undefined` when not logged in. */
  async tokenStatus(): Promise<(TokenTimes & { scope?: string; ownerId?: string }) | undefined> {
    const stored = await this.#stored();
    if (!stored) return undefined;
    return { ...tokenTimes(stored, this.#now()), scope: stored.tokens.scope, ownerId: stored.tokens.owner_id };
  }

  /** Refreshes the access token now (logs in when there is nothing to refresh). */
  async refresh(): Promise<void> {
    const stored = await this.#stored();
    await this.#renew(stored?.tokens.access_token ?? "", true);
  }

  /** Sends a GET request; see {@linkcode RingCentral.request}. */
  get(path: string, query?: Query, options: RequestOptions = {}): Promise<Response> {
    return this.request("GET", path, { ...options, query });
  }
  /** Sends a POST request with a JSON (or form, multipart) body. */
  post(path: string, body?: unknown, options: RequestOptions = {}): Promise<Response> {
    return this.request("POST", path, { ...options, body });
  }
  /** Sends a PUT request. */
  put(path: string, body?: unknown, options: RequestOptions = {}): Promise<Response> {
    return this.request("PUT", path, { ...options, body });
  }
  /** Sends a PATCH request. */
  patch(path: string, body?: unknown, options: RequestOptions = {}): Promise<Response> {
    return this.request("PATCH", path, { ...options, body });
  }
  /** Sends a DELETE request. */
  delete(path: string, query?: Query, options: RequestOptions = {}): Promise<Response> {
    return this.request("DELETE", path, { ...options, query });
  }

  /**
   * Sends an authenticated request and returns the (fully read) `Response`.
   * Throws a {@linkcode RingCentralError} for any non-2xx answer or network
   * failure. GET, PUT and DELETE are retried on 429, 503 and network errors;
   * POST and PATCH only when the server certainly did not process them.
   * On a 401 the token is renewed once and the request repeated once.
   */
  async request(method: string, path: string, options: RequestOptions = {}): Promise<Response> {
    method = method.toUpperCase();
    const target = this.#target(path, options.query);
    let renewed = false;
    for (;;) {
      const token = (await this.#accessToken(options.signal)).tokens;
      const headers = new Headers(options.headers);
      headers.set("Authorization", `Bearer ${token.access_token}`);
      const response = await this.#send(method, target, headers, options);
      if (response.status === 401 && !renewed && this.#isTokenFailure(response)) {
        renewed = true; // one renewal and one repeat, no more
        await this.#renew(token.access_token, false, options.signal);
        continue;
      }
      if (response.ok) return response;
      throw await errorFromResponse(response, method, target.pathname, this.#now());
    }
  }

  /**
   * Iterates over every record of a paged list (such as
   * `/restapi/v1.0/account/~/extension`), following `navigation.nextPage`
   * and holding one page at a time.
   *
   * @example
   * ```ts
   * import { createEmulator, RingCentral } from "../mod.ts";
   * import { equal } from "node:assert/strict";
   * const emulator = createEmulator();
   * const rc = new RingCentral({ ...emulator.credentials, fetch: emulator.fetch });
   * let n = 0;
   * for await (const _ of rc.paginate("/restapi/v1.0/account/~/extension", { perPage: 10 })) n++;
   * equal(n, emulator.state.extensions.length);
   * ```
   */
  async *paginate<T = Record<string, unknown>>(
    path: string,
    query?: Query,
    options: RequestOptions = {},
  ): AsyncGenerator<T> {
    const first = this.#target(path, query);
    let next: string | undefined = first.pathname + first.search;
    while (next) {
      const page = await (await this.request("GET", next, options)).json();
      for (const record of page.records ?? []) yield record as T;
      const uri: string | undefined = page.navigation?.nextPage?.uri;
      next = uri ? (({ pathname, search }) => pathname + search)(new URL(uri, this.server)) : undefined;
    }
  }

  /** Revokes the session at `/restapi/oauth/revoke` and clears the token cache. */
  async logout(): Promise<void> {
    const stored = await this.#stored();
    this.#current = undefined;
    await this.tokenStore.clear();
    if (!stored) return;
    try {
      await this.#tokenCall(REVOKE_PATH, new URLSearchParams({ token: stored.tokens.access_token }));
    } catch (e) {
      // RingCentral's guidance: a failed revoke is ignored; the local cache is gone either way.
      this.#onLog?.(`revoke failed (ignored): ${(e as Error).message}`);
    }
  }

  // ---- internals ----

  #target(path: string, query?: Query): URL {
    if (typeof path !== "string" || !path) throw new TypeError("Path must be a string such as /restapi/v1.0/account/~");
    let url: URL;
    if (/^https?:\/\//i.test(path)) {
      url = new URL(path);
      if (url.origin !== new URL(this.server).origin) {
        throw new TypeError(`Refusing to send credentials to ${url.origin}: the client is for ${this.server}`);
      }
    } else if (path.startsWith("/")) {
      url = new URL(this.server + path);
    } else {
      throw new TypeError(`Path must start with "/", e.g. /restapi/v1.0/account/~ (got "${path}")`);
    }
    for (const [key, value] of Object.entries(query ?? {})) {
      if (value === undefined) continue;
      for (const v of Array.isArray(value) ? value : [value]) url.searchParams.append(key, String(v));
    }
    return url;
  }

  /** The tokens in the store (if they are this client's), else the ones in memory. */
  async #stored(): Promise<StoredTokens | undefined> {
    return this.#accept(await this.tokenStore.load()) ?? this.#current;
  }

  #accept(stored: StoredTokens | undefined): StoredTokens | undefined {
    if (!stored) return undefined;
    if (stored.server && stored.server !== this.server) return undefined;
    if (stored.clientId && stored.clientId !== this.clientId) return undefined;
    return stored;
  }

  #isTokenFailure(response: Response): boolean {
    // Any 401 from the API means the token is not accepted; one renewal is worth it.
    return response.status === 401 && !!(this.#credentials || this.#current?.tokens.refresh_token);
  }

  async #accessToken(signal?: AbortSignal): Promise<StoredTokens> {
    if (this.#current && tokenAction(this.#current, this.#now()) === "use") return this.#current;
    const stored = this.#accept(await this.tokenStore.load());
    if (stored && tokenAction(stored, this.#now()) === "use") {
      this.#remember(stored);
      return stored;
    }
    return await this.#renew(stored?.tokens.access_token ?? "", false, signal);
  }

  /**
   * Renews the token that failed (`failed`, an access token), once for all
   * concurrent callers in this process, under the store's lock across
   * processes. Uses a token another caller wrote meanwhile instead of
   * refreshing again.
   */
  #renew(failed: string, force = false, signal?: AbortSignal): Promise<StoredTokens> {
    if (this.#renewal) return this.#renewal;
    const renewal = this.tokenStore.lock(async () => {
      const stored = this.#accept(await this.tokenStore.load());
      const action = tokenAction(stored, this.#now());
      if (stored && !force && action === "use" && stored.tokens.access_token !== failed) {
        return this.#remember(stored);
      }
      if (stored?.tokens.refresh_token && (action === "refresh" || action === "use")) {
        try {
          return await this.#obtain(
            new URLSearchParams({ grant_type: "refresh_token", refresh_token: stored.tokens.refresh_token }),
            signal,
          );
        } catch (e) {
          // Only a refresh token the server rejects is dropped; a network error, 5xx or 429 keeps the cache.
          if (!(e instanceof RingCentralError && e.status === 400 && isInvalidGrant(e))) throw e;
          await this.tokenStore.clear();
          this.#current = undefined;
          if (!this.#credentials) throw e;
        }
      }
      if (!this.#credentials) {
        throw new RingCentralError({
          status: 0,
          message: "No valid token and no credentials to log in with",
          method: "POST",
          path: TOKEN_PATH,
          hint: "Set RC_JWT (or RC_USERNAME and RC_PASSWORD) in your .env file",
        });
      }
      return await this.#obtain(loginForm(this.#credentials), signal);
    });
    this.#renewal = renewal;
    const clear = () => {
      if (this.#renewal === renewal) this.#renewal = undefined;
    };
    renewal.then(clear, clear);
    return renewal;
  }

  async #obtain(form: URLSearchParams, signal?: AbortSignal): Promise<StoredTokens> {
    const timestamp = this.#now();
    const response = await this.#tokenCall(TOKEN_PATH, form, signal);
    const tokens = await response.json() as TokenResponse;
    const stored = { tokens, timestamp, server: this.server, clientId: this.clientId };
    await this.tokenStore.save(stored);
    return this.#remember(stored);
  }

  #remember(stored: StoredTokens): StoredTokens {
    registerSecret(stored.tokens.access_token);
    registerSecret(stored.tokens.refresh_token);
    this.#current = stored;
    return stored;
  }

  async #tokenCall(path: string, form: URLSearchParams, signal?: AbortSignal): Promise<Response> {
    const headers = new Headers({ "Content-Type": "application/x-www-form-urlencoded" });
    if (this.#clientSecret) headers.set("Authorization", basicAuth(this.clientId, this.#clientSecret));
    else form.set("client_id", this.clientId);
    const target = this.#target(path);
    // Token calls may be repeated after a network error: a login only opens a session, and a
    // refresh repeated within RingCentral's grace window returns the same tokens.
    const response = await this.#send("POST", target, headers, { body: form, signal }, true);
    if (response.ok) return response;
    throw await errorFromResponse(response, "POST", path, this.#now());
  }

  /** Sends one request with pacing, timeout, and the retries that are safe; returns the buffered response. */
  async #send(
    method: string,
    url: URL,
    headers: Headers,
    options: RequestOptions,
    idempotent = IDEMPOTENT.has(method),
  ): Promise<Response> {
    const route = `${method} ${url.pathname}`;
    const body = encodeBody(options.body, headers);
    headers.set("Accept", headers.get("Accept") ?? "application/json");
    for (let attempt = 0;; attempt++) {
      await this.#pacer?.acquire(route, options.signal);
      const timeoutMs = options.timeoutMs ?? this.#timeoutMs;
      const timeout = AbortSignal.timeout(timeoutMs);
      const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
      const started = performance.now();
      let response: Response;
      let data: ArrayBuffer;
      try {
        const raw = await this.#fetch(url, { method, headers, body, signal });
        data = await raw.arrayBuffer(); // read it all here, so a broken body is a network error
        response = new Response([101, 204, 205, 304].includes(raw.status) ? null : data, raw);
      } catch (e) {
        this.#pacer?.release(route);
        const refused = isConnectionRefused(e);
        const canRetry = !options.signal?.aborted && (idempotent || refused) && !timeout.aborted;
        this.#log(method, url, 0, started, (e as Error).message);
        if (canRetry && attempt < this.#retries) {
          await this.#sleep(this.#backoff(attempt), options.signal);
          continue;
        }
        throw this.#networkError(e, method, url, refused, timeout.aborted, timeoutMs, options.signal);
      }
      const retryAfter = parseRetryAfter(response.headers.get("retry-after"), this.#now());
      const blocked = this.#pacer?.observe(route, response.headers, response.status, retryAfter) ?? false;
      this.#log(method, url, response.status, started);
      this.#report(method, url, headers, body, response, data, started);
      if ((response.status === 429 || response.status === 503) && attempt < this.#retries) {
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

  #backoff(attempt: number): number {
    const cap = Math.min(this.#maxRetryDelayMs, this.#retryDelayMs * 2 ** attempt);
    return cap / 2 + Math.random() * cap / 2;
  }

  #networkError(
    e: unknown,
    method: string,
    url: URL,
    refused: boolean,
    timedOut: boolean,
    timeoutMs: number,
    userSignal?: AbortSignal,
  ): RingCentralError {
    const path = url.pathname;
    if (userSignal?.aborted) {
      return new RingCentralError({ status: 0, message: "Cancelled", method, path, cause: e });
    }
    if (refused) {
      return new RingCentralError({
        status: 0,
        message: `Cannot connect to ${url.origin} (connection refused)`,
        method,
        path,
        hint: "Check RC_SERVER_URL, and that the server (or `deno task emulator`) is running",
        cause: e,
      });
    }
    const unknown = !IDEMPOTENT.has(method) && path !== TOKEN_PATH;
    const check = /\/(sms|mms)$/.test(path)
      ? "Check the message store (GET /restapi/v1.0/account/~/extension/~/message-store) before sending again"
      : "Check whether it took effect before sending it again";
    return new RingCentralError({
      status: 0,
      message: timedOut
        ? `No answer within ${timeoutMs} ms${unknown ? "; the outcome is unknown" : ""}`
        : `The connection failed (${(e as Error)?.message ?? e})${unknown ? "; the outcome is unknown" : ""}`,
      method,
      path,
      outcomeUnknown: unknown,
      hint: unknown ? check : "Check your network and RC_SERVER_URL, then try again",
      cause: e,
    });
  }

  #log(method: string, url: URL, status: number, started: number, note?: string): void {
    if (!this.#onLog) return;
    const ms = Math.round(performance.now() - started);
    this.#onLog(
      redact(
        `${method} ${url.pathname}${url.search} -> ${status || "no response"} (${ms} ms)${note ? ` ${note}` : ""}`,
      ),
    );
  }

  #report(
    method: string,
    url: URL,
    headers: Headers,
    body: BodyInit | undefined,
    response: Response,
    data: ArrayBuffer,
    started: number,
  ) {
    if (!this.#onExchange) return;
    const durationMs = Math.round(performance.now() - started);
    const requestHeaders: Record<string, string> = {};
    headers.forEach((
      v,
      k,
    ) => (requestHeaders[k] = redact(k === "authorization" ? v.replace(/ .*/, " [REDACTED]") : v)));
    const responseHeaders: Record<string, string> = {};
    response.headers.forEach((v, k) => (responseHeaders[k] = v));
    this.#onExchange({
      method,
      path: redact(url.pathname + url.search),
      requestHeaders,
      requestBody: typeof body === "string" || body instanceof URLSearchParams ? redact(String(body)) : undefined,
      status: response.status,
      responseHeaders,
      responseBody: redact(new TextDecoder().decode(data)),
      durationMs,
    });
  }
}

function isInvalidGrant(e: RingCentralError): boolean {
  const body = e.body as { error?: string } | undefined;
  return body?.error === "invalid_grant" || /^OAU-(210|211|213|140)$/.test(e.errorCode ?? "");
}

function encodeBody(body: unknown, headers: Headers): BodyInit | undefined {
  if (body === undefined || body === null) return undefined;
  if (
    typeof body === "string" || body instanceof URLSearchParams || body instanceof FormData ||
    body instanceof Blob || body instanceof ArrayBuffer || body instanceof Uint8Array
  ) return body as BodyInit;
  if (!headers.has("Content-Type")) headers.set("Content-Type", "application/json");
  return JSON.stringify(body);
}
