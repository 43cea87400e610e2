/**
 * The {@linkcode RingCentral} client: the tutorial's verbs. A request asks
 * the OAuth session (`auth.ts`) for a token, goes through the transport
 * (`transport.ts`: pacing, timeouts, safe retries), and on a 401 asks once
 * for a renewed token and goes again.
 * @module
 */
import { AuthSession, type TokenStatus } from "./auth.ts";
import { parseJsonOrText } from "./bytes.ts";
import { targetOf } from "./config.ts";
import { mediaOriginOf } from "./hosts.ts";
import type { Target } from "./config.ts";
import { ApiError, atCaller, ConfigError, TimeoutError, usageError } from "./errors.ts";
import { apiErrorOf } from "./failures.ts";
import { type FromEnvOptions, setupFromEnv } from "./from_env.ts";
import type { InProcessEmulator, RingCentralOptions } from "./options.ts";
import { SecretSet } from "./redact.ts";
import { MemoryTokenStore, type TokenStore } from "./token_store.ts";
import {
  type EventNotification,
  type EventSubscription,
  subscribe,
  type SubscribeOptions,
  type WsGrant,
} from "./subscribe.ts";
import { checkTimeout, encodeBody, type Query, type RequestOptions, Transport } from "./transport.ts";
import type { ApiPath, ApiResponse, BodyArguments, QueryArguments } from "./api/typed.ts";

/**
 * A RingCentral REST API client, ported from the Python tutorial and grown to
 * survive refresh races, rate limits, timeouts and dropped connections.
 *
 * @example List extensions against the built-in emulator
 * ```ts
 * import { RingCentral } from "../mod.ts";
 * import { createEmulator } from "./emulator/mod.ts";
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
  /** Where requests go: `sandbox`, `production` or an `emulator`. */
  readonly target: Target;
  /** The in-process emulator, when the client runs against the built-in one. */
  readonly emulator?: InProcessEmulator;
  /**
   * The media host paired with `server` (`https://media.ringcentral.com` for `https://platform.ringcentral.com`,
   * the emulator's own media origin), where recordings and attachments are downloaded from: the only origin
   * besides the server's that the client sends its token to. `undefined` when the server has none the client
   * knows of.
   */
  readonly mediaServer?: string;
  #auth: AuthSession;
  #transport: Transport;
  #secrets = new SecretSet();
  /** The last `ws_access_token`, which subscriptions started close together share (see subscribe.ts). */
  #wsGrant: { current?: WsGrant } = {};
  #origin: string;

  /** A client with everything given explicitly. */
  constructor(options: RingCentralOptions) {
    if (!options?.server) {
      throw atCaller(usageError("RingCentral: server is required, e.g. https://platform.ringcentral.com"), new.target);
    }
    if (!options.clientId) throw atCaller(usageError("RingCentral: clientId is required"), new.target);
    this.server = String(options.server).replace(/\/+$/, "");
    this.clientId = options.clientId;
    this.#origin = originOf(this.server, new.target);
    this.target = options.target ?? targetOf(this.server);
    this.emulator = options.emulator;
    this.mediaServer = mediaOriginOf(this.server, { emulator: this.target === "emulator" });
    try {
      this.#transport = new Transport(options, this.#secrets);
    } catch (e) {
      throw atCaller(e, new.target);
    }
    const { jwt, username, password, extension, redirectUri } = options;
    this.#auth = new AuthSession({
      server: this.server,
      clientId: this.clientId,
      clientSecret: options.clientSecret,
      credentials: jwt
        ? { jwt }
        : username && password
        ? { username, password, ...(extension ? { extension } : {}) }
        : redirectUri
        ? { redirectUri }
        : undefined,
      tokenStore: options.tokenStore ?? new MemoryTokenStore(),
      transport: this.#transport,
      secrets: this.#secrets,
      onLog: options.onLog,
      onWarning: options.onWarning,
      browser: options.browser,
    });
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
    try {
      return new RingCentral((await setupFromEnv(options)).clientOptions());
    } catch (e) {
      throw atCaller(e, RingCentral.fromEnv);
    }
  }

  /**
   * `text` with this client's secrets removed: its credentials, its newest
   * tokens, and whatever shows as a secret by its form.
   */
  redact(text: string): string {
    return this.#secrets.redact(text);
  }

  /** The store holding this client's tokens. */
  get tokenStore(): TokenStore {
    return this.#auth.tokenStore;
  }

  /** How the client logs in: `jwt`, `password`, `browser` (authorization code), or `undefined` without credentials. */
  get grant(): "jwt" | "password" | "browser" | undefined {
    return this.#auth.grant;
  }

  /**
   * Makes sure a valid access token is at hand, as the tutorial does: reuse
   * the cached one while valid, refresh while the refresh token is valid,
   * log in otherwise. Concurrent callers, in this process and in others
   * sharing the cache file, cause at most one refresh.
   */
  async authenticate(signal?: AbortSignal): Promise<void> {
    try {
      await this.#auth.accessToken(signal);
    } catch (e) {
      throw atCaller(e, this.authenticate);
    }
  }

  /**
   * Logs in again with the configured credentials: a new session, even when
   * the cached tokens are still valid (the old session stays until it expires
   * or is revoked).
   */
  async login(): Promise<void> {
    try {
      await this.#auth.login();
    } catch (e) {
      throw atCaller(e, this.login);
    }
  }

  /** Seconds left on the current tokens, their scope and owner; `undefined` when not logged in. */
  tokenStatus(): Promise<TokenStatus | undefined> {
    return this.#auth.status();
  }

  /** Refreshes the access token now (logs in when there is nothing to refresh). */
  async refresh(signal?: AbortSignal): Promise<void> {
    try {
      await this.#auth.refresh(signal);
    } catch (e) {
      throw atCaller(e, this.refresh);
    }
  }

  /**
   * Clears the token cache and revokes the session at
   * `/restapi/oauth/revoke`. Resolves to what happened: `revoked`,
   * `not-revoked` (the cache is cleared, but the server session may still be
   * valid until it expires) or `not-logged-in`.
   */
  logout(): Promise<"revoked" | "not-revoked" | "not-logged-in"> {
    return this.#auth.logout();
  }

  /**
   * Sends a GET request; see {@linkcode RingCentral.request}. With a literal
   * path, the path, the query and the answer's `json()` are typed from
   * RingCentral's spec (`~` or any value fills `{accountId}` and the other
   * path parameters); a path in no GET operation is a type error.
   */
  get<P extends string>(path: ApiPath<P, "get">, ...args: QueryArguments<P, "get">): Promise<ApiResponse<P, "get">>;
  async get(path: string, query?: Query, options: RequestOptions = {}): Promise<Response> {
    return await this.#send(this.get, "GET", path, { ...options, query });
  }
  /** Sends a POST request with a JSON (or form, multipart) body, typed from the spec as for `get`. */
  post<P extends string>(path: ApiPath<P, "post">, ...args: BodyArguments<P, "post">): Promise<ApiResponse<P, "post">>;
  async post(path: string, body?: unknown, options: RequestOptions = {}): Promise<Response> {
    return await this.#send(this.post, "POST", path, { ...options, body });
  }
  /** Sends a PUT request, typed from the spec as for `get`. */
  put<P extends string>(path: ApiPath<P, "put">, ...args: BodyArguments<P, "put">): Promise<ApiResponse<P, "put">>;
  async put(path: string, body?: unknown, options: RequestOptions = {}): Promise<Response> {
    return await this.#send(this.put, "PUT", path, { ...options, body });
  }
  /** Sends a PATCH request, typed from the spec as for `get`. */
  patch<P extends string>(
    path: ApiPath<P, "patch">,
    ...args: BodyArguments<P, "patch">
  ): Promise<ApiResponse<P, "patch">>;
  async patch(path: string, body?: unknown, options: RequestOptions = {}): Promise<Response> {
    return await this.#send(this.patch, "PATCH", path, { ...options, body });
  }
  /** Sends a DELETE request, typed from the spec as for `get`. */
  delete<P extends string>(
    path: ApiPath<P, "delete">,
    ...args: QueryArguments<P, "delete">
  ): Promise<ApiResponse<P, "delete">>;
  async delete(path: string, query?: Query, options: RequestOptions = {}): Promise<Response> {
    return await this.#send(this.delete, "DELETE", path, { ...options, query });
  }

  /**
   * Sends an authenticated request and returns the (fully read) `Response`.
   * Rejects with an {@linkcode ApiError} for any non-2xx answer, a
   * `NetworkError` or `TimeoutError` when no answer came, and the signal's
   * reason when `options.signal` aborts. GET, PUT and DELETE are retried on
   * 429, 503 and network errors; POST and PATCH only when the server
   * certainly did not process them. On a 401 the token is renewed once and
   * the request repeated once.
   */
  async request(method: string, path: string, options: RequestOptions = {}): Promise<Response> {
    return await this.#send(this.request, String(method).toUpperCase(), path, options);
  }

  /** One request; an error leaves showing the stack from the caller of `verb` (the public method) on. */
  // deno-lint-ignore ban-types
  async #send(verb: Function, method: string, path: string, options: RequestOptions): Promise<Response> {
    try {
      return await this.#authorized(method, this.#url(path, options.query), options);
    } catch (e) {
      throw atCaller(e, verb);
    }
  }

  /** The request with a token, and once more with a renewed one after a 401 (octokit's auth hook, in one place). */
  async #authorized(method: string, url: URL, options: RequestOptions): Promise<Response> {
    const headers = headersOf(options.headers);
    const body = this.#encode(method, url, options.body, headers);
    const { signal, onProgress, onBody } = options;
    const timeoutMs = checkTimeout(options.timeoutMs, "timeoutMs");
    const withinTimeout = { method, url, signal, timeoutMs: timeoutMs ?? this.#transport.timeoutMs };
    let token = await this.#tokenWithin(withinTimeout, (s) => this.#auth.accessToken(s));
    const send = () =>
      this.#transport.send({
        method,
        url,
        headers: { ...headers, authorization: `Bearer ${token.tokens.access_token}` },
        body,
        signal,
        timeoutMs,
        onProgress,
        onBody,
      });
    let response = await send();
    if (response.status === 401 && this.#auth.canRenew) {
      await response.body?.cancel();
      const rejected = token.tokens.access_token;
      token = await this.#tokenWithin(withinTimeout, (s) => this.#auth.renewAfterRejection(rejected, s));
      response = await send();
    }
    if (response.ok) return response;
    throw await apiErrorOf(response, { method, url, now: this.#transport.now(), redact: (t) => this.redact(t) });
  }

  /**
   * The wait for a token, bounded by the request's timeout as well as its signal: the login or renewal goes on
   * for the other callers when this one stops waiting.
   */
  async #tokenWithin<T>(
    { method, url, signal, timeoutMs }: { method: string; url: URL; signal?: AbortSignal; timeoutMs: number },
    wait: (signal: AbortSignal) => Promise<T>,
  ): Promise<T> {
    const timer = new AbortController();
    const id = setTimeout(() => timer.abort(), timeoutMs);
    try {
      return await wait(signal ? AbortSignal.any([signal, timer.signal]) : timer.signal);
    } catch (e) {
      signal?.throwIfAborted();
      if (!timer.signal.aborted) throw e;
      throw new TimeoutError(`No token within ${timeoutMs} ms: the login or token renewal is still running`, {
        method,
        path: url.pathname,
        hint: "It goes on for the other requests; give this request a longer timeoutMs, " +
          "or check that the token endpoint answers (RC_SERVER_URL)",
      });
    } finally {
      clearTimeout(id);
    }
  }

  #encode(method: string, url: URL, body: unknown, headers: Record<string, string>): BodyInit | undefined {
    try {
      return encodeBody(body, headers);
    } catch (e) {
      throw usageError(`The body of ${method} ${url.pathname} cannot be sent as JSON: ${(e as Error).message}`);
    }
  }

  /**
   * Subscribes to events over RingCentral's WebSocket gateway and resolves
   * once the subscription is active. Each event goes to `onEvent`, or, without
   * it, to whoever iterates over the subscription. Heartbeats keep the socket
   * alive; when it drops, the subscription reconnects (recovering the session,
   * or subscribing again). `close()` (or the `signal`) ends it. On the
   * in-process emulator, its gateway is served on 127.0.0.1 for as long as
   * the subscription lives (which needs `--allow-net=127.0.0.1`).
   *
   * @example Receive an inbound SMS from a served emulator
   * ```ts
   * import { RingCentral } from "../mod.ts";
   * import { serve } from "./emulator/mod.ts";
   * import { equal } from "node:assert/strict";
   * await using served = serve();
   * const rc = new RingCentral(served.credentials);
   * await using sub = await rc.subscribe(["/restapi/v1.0/account/~/extension/~/message-store/instant?type=SMS"]);
   * await rc.request("POST", "/__emulator/inbound-sms", { body: { from: "+14155550123", text: "Hi" } });
   * for await (const event of sub) {
   *   equal(event.body.subject, "Hi");
   *   break;
   * }
   * ```
   */
  async subscribe(
    eventFilters: string[],
    onEvent?: (event: EventNotification) => void,
    options: SubscribeOptions = {},
  ): Promise<EventSubscription> {
    const emulator = this.emulator;
    try {
      return await subscribe(
        {
          post: (p) => this.post(p),
          secrets: this.#secrets,
          now: this.#transport.now,
          gateway: emulator ? () => serveGateway(emulator) : undefined,
          wsGrant: this.#wsGrant,
        },
        eventFilters,
        onEvent,
        options,
      );
    } catch (e) {
      throw atCaller(e, this.subscribe);
    }
  }

  /**
   * Iterates over every record of a paged list (such as
   * `/restapi/v1.0/account/~/extension`), following `navigation.nextPage`
   * and holding one page at a time; each record comes once (by its `id`, or
   * its content when it has none). A next page that repeats one already
   * read, a page that adds no record not seen before, or more pages than
   * `maxPages` (10,000 unless given) end the iteration with an error rather
   * than a loop.
   *
   * @example
   * ```ts
   * import { RingCentral } from "../mod.ts";
   * import { createEmulator } from "./emulator/mod.ts";
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
    options: RequestOptions & { maxPages?: number } = {},
  ): AsyncGenerator<T, void, undefined> {
    try {
      const { maxPages = MAX_PAGES, ...requestOptions } = options;
      if (!Number.isInteger(maxPages) || maxPages < 1) {
        throw usageError(`paginate(): maxPages must be a whole number of pages, 1 or more (got ${describe(maxPages)})`);
      }
      const first = this.#url(path, query);
      const seen = new Set<string>();
      const records = new Set<string | number>(); // each record's id, or a hash of it: each comes once
      for (let next: string | undefined = first.pathname + first.search; next !== undefined;) {
        seen.add(next);
        const at: string = next;
        const response = await this.request("GET", at, requestOptions);
        const page = pageOf(await response.text(), response, at);
        const uri = page.navigation?.nextPage?.uri;
        // The next page's path and query, on this client's server (never another host a body names).
        next = uri ? (({ pathname, search }) => pathname + search)(new URL(uri, this.server)) : undefined;
        const fresh = (page.records ?? []).filter((record) => {
          const key = recordKey(record);
          return !records.has(key) && !!records.add(key);
        });
        const broken = next === undefined
          ? undefined
          : seen.has(next)
          ? "The next page is one already read (navigation.nextPage points back)"
          : !page.records?.length
          ? "A page with no records names a next page"
          : !fresh.length
          ? `Page ${seen.size} brings no record not seen before, and names a next page`
          : seen.size >= maxPages
          ? `More than ${maxPages} pages (the paging limit, maxPages)`
          : undefined;
        for (const record of fresh) yield record as T;
        if (broken) {
          const tooMany = seen.size >= maxPages && fresh.length > 0;
          throw new ApiError({
            status: response.status,
            message: `${broken}: paging stopped`,
            method: "GET",
            path: new URL(at, this.server).pathname,
            requestId: response.headers.get("rcrequestid") ?? undefined,
            hint: tooMany
              ? "Narrow the query (a shorter dateFrom/dateTo range, a type, a status), raise perPage, " +
                "or give paginate() a larger maxPages"
              : "The server's paging is broken; read the pages with rc.get() and page=N to see them",
          });
        }
      }
    } catch (e) {
      throw atCaller(e, RingCentral.prototype.paginate);
    }
  }

  /** The URL of `path` (absolute on this client's server or its media host only) with `query`. */
  #url(path: string, query?: Query): URL {
    if (typeof path !== "string" || !path) {
      throw usageError(`The path must be a string such as "/restapi/v1.0/account/~" (got ${describe(path)})`);
    }
    let url: URL;
    if (/^[a-z][a-z0-9+.-]*:/i.test(path)) {
      url = new URL(path);
      if (url.origin !== this.#origin && url.origin !== this.mediaServer) {
        throw usageError(
          `Refusing to send credentials to ${url.origin}: the client is for ${this.server}${
            this.mediaServer ? ` and its media host ${this.mediaServer}` : ""
          }`,
        );
      }
    } else if (path.startsWith("/")) {
      url = new URL(this.server + path);
    } else {
      throw usageError(`The path must start with "/", e.g. "/${path.slice(0, 60)}" (got "${path.slice(0, 60)}")`);
    }
    if (query !== undefined && (query === null || typeof query !== "object" || Array.isArray(query))) {
      throw usageError(`The query must be an object such as { perPage: 100 } (got ${describe(query)})`);
    }
    for (const [key, value] of Object.entries(query ?? {})) {
      if (value === undefined) continue;
      for (const v of Array.isArray(value) ? value : [value]) url.searchParams.append(key, String(v));
    }
    return url;
  }
}

/**
 * The most pages {@linkcode RingCentral.paginate} reads of one list: at RingCentral's largest `perPage` (1,000),
 * ten million records.
 */
const MAX_PAGES = 10_000;

/** What tells a record apart: its `id`, else a hash of its JSON. */
function recordKey(record: unknown): string | number {
  const id = (record as { id?: unknown })?.id;
  if (typeof id === "string" || typeof id === "number") return `id:${id}`;
  // cyrb53: a 53-bit hash, so that a long list of records without ids is held as numbers, not texts.
  const text = JSON.stringify(record) ?? "";
  let h1 = 0xdeadbeef, h2 = 0x41c6ce57;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 2654435761);
    h2 = Math.imul(h2 ^ c, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 4294967296 * (2097151 & h2) + (h1 >>> 0);
}

/** The request's headers, lower-cased; a name or value that HTTP cannot carry is a usage error that names it. */
function headersOf(given: HeadersInit | undefined): Record<string, string> {
  const headers: Record<string, string> = {};
  if (given === undefined) return headers;
  const entries = given instanceof Headers
    ? [...given]
    : Array.isArray(given)
    ? given
    : given && typeof given === "object"
    ? Object.entries(given)
    : undefined;
  if (!entries) {
    throw usageError(`The headers must be an object such as { "Accept-Language": "en-US" } (got ${describe(given)})`);
  }
  for (const entry of entries) {
    const [name, value] = Array.isArray(entry) ? entry : [];
    if (typeof name !== "string" || !/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name)) {
      throw usageError(
        `The header name ${
          JSON.stringify(String(name)).slice(0, 62)
        } cannot be sent: a name is letters, digits and - (such as "Accept-Language")`,
      );
    }
    const text = String(value);
    // The value is not shown: a header may carry a secret.
    const wrong = value === undefined || value === null
      ? `is ${value}`
      : /[\r\n]/.test(text)
      ? "has a line break"
      : /[^\t\x20-\x7e\x80-\xff]/.test(text)
      ? [...text].some((c) => c.charCodeAt(0) < 0x20 || c === "\x7f")
        ? "has a control character"
        : "has a character beyond Latin-1"
      : undefined;
    if (wrong) {
      throw usageError(
        `The value of the header "${name}" cannot be sent: it ${wrong}. A value is one line of text in Latin-1 ` +
          "(encode other characters, such as with encodeURIComponent)",
      );
    }
    const key = name.toLowerCase();
    headers[key] = headers[key] === undefined ? text.trim() : `${headers[key]}, ${text.trim()}`;
  }
  return headers;
}

/** The origin of the `server` option, or a usage error (thrown from the caller's line) that says what a server is. */
// deno-lint-ignore ban-types
function originOf(server: string, boundary: Function): string {
  let url: URL | undefined;
  try {
    url = new URL(server);
  } catch { /* said below */ }
  if (url && (url.protocol === "https:" || url.protocol === "http:")) return url.origin;
  throw atCaller(
    usageError(
      `RingCentral: server must be a URL with its scheme, such as https://platform.ringcentral.com (got ${
        describe(server)
      })`,
    ),
    boundary,
  );
}

interface Page {
  records?: unknown[];
  navigation?: { nextPage?: { uri?: string } };
}

/** A page of records, or the error that says what came instead. */
function pageOf(text: string, response: Response, at: string): Page {
  const page = parseJsonOrText(text) as Page | string | undefined;
  if (page && typeof page === "object" && (page.records === undefined || Array.isArray(page.records))) return page;
  throw new ApiError({
    status: response.status,
    message: `The answer is not a JSON page of records (${typeof page === "string" ? "text" : "no records"})`,
    requestId: response.headers.get("rcrequestid") ?? undefined,
    method: "GET",
    path: at.replace(/\?.*$/, ""),
    hint: "paginate() reads lists such as /restapi/v1.0/account/~/extension; check the path and RC_SERVER_URL",
  });
}

/** A value, described for a usage error without printing all of it. */
function describe(value: unknown): string {
  if (typeof value === "string") return `"${value.slice(0, 60)}"`;
  if (value === null || value === undefined) return String(value);
  return Array.isArray(value) ? "an array" : typeof value === "object" ? "an object" : `the ${typeof value} ${value}`;
}

/** Serves an in-process emulator on 127.0.0.1 so that a WebSocket can reach its gateway. */
function serveGateway(emulator: InProcessEmulator): { origin: string; close(): Promise<void> } {
  let server: Deno.HttpServer<Deno.NetAddr>;
  try {
    server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, (r) => emulator.handle(r));
  } catch (e) {
    if (!(e instanceof Deno.errors.NotCapable || e instanceof Deno.errors.PermissionDenied)) throw e;
    throw new ConfigError("Events from the built-in emulator come over a WebSocket it serves on 127.0.0.1", {
      hint: "Run with --allow-net=127.0.0.1 (or -A)",
      key: "--allow-net",
    });
  }
  return { origin: `http://127.0.0.1:${server.addr.port}`, close: () => server.shutdown() };
}
