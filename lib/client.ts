/**
 * The {@linkcode RingCentral} client: the tutorial's verbs over an OAuth
 * session (`auth.ts`) and a transport with retries, pacing and timeouts
 * (`transport.ts`).
 * @module
 */
import { AuthSession, type TokenStatus } from "./auth.ts";
import { type Target, targetOf } from "./config.ts";
import { errorFromResponse } from "./failures.ts";
import { Pages } from "./_pages.ts";
import { type FromEnvOptions, setupFromEnv } from "./from_env.ts";
import type { InProcessEmulator, RingCentralOptions } from "./options.ts";
import { MemoryTokenStore, type TokenStore } from "./token_store.ts";
import { type EventNotification, type EventSubscription, subscribe, type SubscribeOptions } from "./subscribe.ts";
import { type Query, type RequestOptions, Transport } from "./transport.ts";

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
  emulator?: InProcessEmulator;
  #auth: AuthSession;
  #transport: Transport;
  #origin: string;
  /** Parsed URLs of query-less paths (never changed after parsing). */
  #urls = new Map<string, URL>();

  /** A client with everything given explicitly. */
  constructor(options: RingCentralOptions) {
    if (!options.server) throw new TypeError("RingCentral: server is required, e.g. https://platform.ringcentral.com");
    if (!options.clientId) throw new TypeError("RingCentral: clientId is required");
    this.server = options.server.replace(/\/+$/, "");
    this.clientId = options.clientId;
    this.#origin = new URL(this.server).origin;
    this.target = options.target ?? targetOf(this.server);
    this.#transport = new Transport(options);
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
    const setup = await setupFromEnv(options);
    const rc = new RingCentral(setup.options);
    rc.emulator = setup.emulator;
    return rc;
  }

  /**
   * `text` with this client's secrets removed: its credentials, its newest
   * tokens, and whatever shows as a secret by its form.
   */
  redact(text: string): string {
    return this.#transport.secrets.redact(text);
  }

  /** The store holding this client's tokens. */
  get tokenStore(): TokenStore {
    return this.#auth.tokenStore;
  }

  /** Whether the client has credentials to log in with (it may still hold tokens without them). */
  get canLogin(): boolean {
    return this.#auth.grant !== undefined;
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
  async authenticate(): Promise<void> {
    await this.#auth.accessToken();
  }

  /**
   * Logs in again with the configured credentials: a new session, even when
   * the cached tokens are still valid (the old session stays until it expires
   * or is revoked).
   */
  async login(): Promise<void> {
    await this.#auth.login();
  }

  /** Seconds left on the current tokens, their scope and owner; `undefined` when not logged in. */
  tokenStatus(): Promise<TokenStatus | undefined> {
    return this.#auth.status();
  }

  /** Refreshes the access token now (logs in when there is nothing to refresh). */
  refresh(): Promise<void> {
    return this.#auth.refresh();
  }

  /** Revokes the session at `/restapi/oauth/revoke` and clears the token cache. */
  logout(): Promise<void> {
    return this.#auth.logout();
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
      const token = (this.#auth.current() ?? await this.#auth.accessToken(options.signal)).tokens;
      const headers = headerRecord(options.headers);
      headers.authorization = `Bearer ${token.access_token}`;
      const response = await this.#transport.send(method, target, headers, options);
      if (response.status === 401 && !renewed && this.#auth.canRenew) {
        renewed = true; // one renewal and one repeat, no more
        await this.#auth.renew(token.access_token, false, options.signal);
        continue;
      }
      if (response.ok) return response;
      throw await errorFromResponse(response, method, target.pathname, this.#transport.now(), this.#transport.secrets);
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
   * await rc.post("/__emulator/inbound-sms", { from: "+14155550123", text: "Hi" });
   * for await (const event of sub) {
   *   equal(event.body.subject, "Hi");
   *   break;
   * }
   * ```
   */
  subscribe(
    eventFilters: string[],
    onEvent?: (event: EventNotification) => void,
    options: SubscribeOptions = {},
  ): Promise<EventSubscription> {
    const emulator = this.emulator;
    const gateway = emulator ? () => serveGateway(emulator) : undefined;
    return subscribe(
      { post: (p) => this.post(p), secrets: this.#transport.secrets, gateway },
      eventFilters,
      onEvent,
      options,
    );
  }

  /**
   * Iterates over every record of a paged list (such as
   * `/restapi/v1.0/account/~/extension`), following `navigation.nextPage`
   * and holding one page at a time.
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
  paginate<T = Record<string, unknown>>(
    path: string,
    query?: Query,
    options: RequestOptions = {},
  ): AsyncIterableIterator<T> {
    const first = this.#target(path, query);
    return new Pages<T>(first.pathname + first.search, (next) => this.request("GET", next, options), this.server);
  }

  /** The URL of `path` (absolute on this client's server only) with `query`. */
  #target(path: string, query?: Query): URL {
    if (typeof path !== "string" || !path) throw new TypeError("Path must be a string such as /restapi/v1.0/account/~");
    let url: URL;
    if (/^https?:\/\//i.test(path)) {
      url = new URL(path);
      if (url.origin !== this.#origin) {
        throw new TypeError(`Refusing to send credentials to ${url.origin}: the client is for ${this.server}`);
      }
    } else if (path.startsWith("/")) {
      if (!query) {
        const known = this.#urls.get(path); // the same paths recur: parse each once
        if (known) return known;
        url = new URL(this.server + path);
        if (this.#urls.size >= 500) this.#urls.clear();
        this.#urls.set(path, url);
        return url;
      }
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
}

/** Serves an in-process emulator on 127.0.0.1 so that a WebSocket can reach its gateway. */
function serveGateway(emulator: InProcessEmulator): { origin: string; close(): Promise<void> } {
  let server: Deno.HttpServer<Deno.NetAddr>;
  try {
    server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, (r) => emulator.handle(r));
  } catch (e) {
    if (!(e instanceof Deno.errors.NotCapable || e instanceof Deno.errors.PermissionDenied)) throw e;
    throw new TypeError(
      "Events from the built-in emulator come over a WebSocket it serves on 127.0.0.1: " +
        "run with --allow-net=127.0.0.1 (or -A)",
    );
  }
  return { origin: `http://127.0.0.1:${server.addr.port}`, close: () => server.shutdown() };
}

/** Headers as a record with lower-case names (cheaper than `Headers` on the hot path). */
function headerRecord(init: HeadersInit | undefined): Record<string, string> {
  const record: Record<string, string> = {};
  if (init) new Headers(init).forEach((v, k) => (record[k] = v));
  return record;
}
