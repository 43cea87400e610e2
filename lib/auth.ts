/**
 * The OAuth session of a client: the token lifecycle of the tutorial (reuse,
 * refresh, log in), single-flight renewal under the token store's lock,
 * revocation and status. Its token calls go through the {@linkcode Transport}.
 * @module
 */
import type { Credentials } from "./config.ts";
import { RingCentralError } from "./errors.ts";
import { errorFromResponse, isInvalidGrant, TOKEN_PATH } from "./failures.ts";
import type { BrowserLoginOptions } from "./browser_login.ts";
import { basicAuth, codeForm, loginForm, refreshMargin, tokenAction, type TokenTimes, tokenTimes } from "./grants.ts";
import { checkTokenResponse, isStoredTokens, type StoredTokens, type TokenStore } from "./token_store.ts";
import { parseJsonOrText } from "./_util.ts";
import type { Transport } from "./transport.ts";

const REVOKE_PATH = "/restapi/oauth/revoke";

/** What an {@linkcode AuthSession} needs. */
export interface AuthSessionOptions {
  /** Server URL without trailing slash. */
  server: string;
  /** The app's client id. */
  clientId: string;
  /** The app's client secret; without it the client is public (`client_id` in the body). */
  clientSecret?: string;
  /** The user's credentials; without them the session can only use and refresh stored tokens. */
  credentials?: Credentials;
  /** Where tokens are kept. */
  tokenStore: TokenStore;
  /** Sends the token calls. */
  transport: Transport;
  /** Receives a line when something is worth knowing (a failed revoke). */
  onLog?: (line: string) => void;
  /** Receives a warning the user should see (tokens that could not be stored). @default console.warn */
  onWarning?: (message: string) => void;
  /** How a browser login (credentials with a `redirectUri`) talks to the user. */
  browser?: BrowserLoginOptions;
}

/**
 * Token status as {@linkcode AuthSession.status} reports it.
 *
 * @example How long the tokens have left, and whose they are
 * ```ts
 * import { RingCentral } from "../mod.ts";
 * import { createEmulator } from "./emulator/mod.ts";
 * import { equal, ok } from "node:assert/strict";
 * const emulator = createEmulator();
 * const rc = new RingCentral({ ...emulator.credentials, fetch: emulator.fetch });
 * await rc.authenticate();
 * const status = await rc.tokenStatus();
 * ok(status && status.accessSeconds > 3500 && status.refreshSeconds! > status.accessSeconds);
 * equal(typeof status.ownerId, "string");
 * ```
 */
export type TokenStatus = TokenTimes & {
  /** Space-separated permissions. */
  scope?: string;
  /** Extension id of the user. */
  ownerId?: string;
};

/**
 * One client's OAuth session. {@linkcode AuthSession.accessToken} gives a
 * valid token, renewing it at most once for all concurrent callers in this
 * process, and under the store's lock across processes.
 *
 * @example
 * ```ts
 * import { AuthSession } from "./auth.ts";
 * import { MemoryTokenStore } from "./token_store.ts";
 * import { Transport } from "./transport.ts";
 * import { createEmulator } from "./emulator/mod.ts";
 * import { equal } from "node:assert/strict";
 * const emulator = createEmulator();
 * const { server, clientId, clientSecret, jwt } = emulator.credentials;
 * const auth = new AuthSession({
 *   server,
 *   clientId,
 *   clientSecret,
 *   credentials: { jwt },
 *   tokenStore: new MemoryTokenStore(),
 *   transport: new Transport({ fetch: emulator.fetch }),
 * });
 * const first = await auth.accessToken();
 * equal((await auth.accessToken()).tokens.access_token, first.tokens.access_token); // reused
 * ```
 */
export class AuthSession {
  /** Server URL without trailing slash. */
  readonly server: string;
  /** The app's client id. */
  readonly clientId: string;
  /** The store holding the tokens. */
  readonly tokenStore: TokenStore;
  #clientSecret?: string;
  #credentials?: Credentials;
  #transport: Transport;
  #onLog?: (line: string) => void;
  #onWarning: (message: string) => void;
  #browser?: BrowserLoginOptions;
  #current?: StoredTokens;
  /** Until when `#current`'s access token may be used (its expiry less the refresh margin), in ms. */
  #useUntil = 0;
  #renewal?: Promise<StoredTokens>;

  /** A session; nothing is sent until a token is needed. */
  constructor(options: AuthSessionOptions) {
    this.server = options.server;
    this.clientId = options.clientId;
    this.tokenStore = options.tokenStore;
    this.#clientSecret = options.clientSecret;
    this.#credentials = options.credentials;
    this.#transport = options.transport;
    this.#onLog = options.onLog;
    this.#onWarning = options.onWarning ?? ((m) => console.warn(m));
    this.#browser = options.browser;
    const credentials = options.credentials;
    const secret = credentials &&
      ("jwt" in credentials ? credentials.jwt : "password" in credentials ? credentials.password : undefined);
    for (const s of [options.clientSecret, secret]) this.#transport.secrets.add(s);
  }

  /** How the session logs in: `jwt`, `password`, or `undefined` without credentials. */
  get grant(): "jwt" | "password" | "browser" | undefined {
    const c = this.#credentials;
    return c ? ("jwt" in c ? "jwt" : "redirectUri" in c ? "browser" : "password") : undefined;
  }

  /** Whether a 401 is worth one renewal: there is something to renew with. */
  get canRenew(): boolean {
    return !!(this.#credentials || this.#current?.tokens.refresh_token);
  }

  /** The tokens in memory while their access token may be used, without waiting: the hot path of every call. */
  current(): StoredTokens | undefined {
    const now = this.#transport.now();
    return this.#current && now < this.#useUntil && now >= this.#current.timestamp ? this.#current : undefined;
  }

  /** A valid access token: the one in memory or in the store, else a renewed one. */
  async accessToken(signal?: AbortSignal): Promise<StoredTokens> {
    const now = this.#transport.now();
    if (this.#current && tokenAction(this.#current, now) === "use") return this.#current;
    const stored = this.#accept(await this.tokenStore.load());
    if (stored && tokenAction(stored, this.#transport.now()) === "use") return this.#remember(stored);
    return await this.renew(stored?.tokens.access_token ?? "", false, signal);
  }

  /**
   * Renews the token that failed (`failed`, an access token), once for all
   * concurrent callers in this process, under the store's lock across
   * processes. Uses a token another caller wrote meanwhile instead of
   * refreshing again, unless `force`.
   */
  renew(failed: string, force = false, signal?: AbortSignal): Promise<StoredTokens> {
    if (this.#renewal) return this.#renewal;
    const renewal = this.tokenStore.lock(() => this.#renewLocked(failed, force, signal));
    this.#renewal = renewal;
    const clear = () => {
      if (this.#renewal === renewal) this.#renewal = undefined;
    };
    renewal.then(clear, clear);
    return renewal;
  }

  async #renewLocked(failed: string, force: boolean, signal?: AbortSignal): Promise<StoredTokens> {
    const stored = this.#accept(await this.tokenStore.load());
    const action = tokenAction(stored, this.#transport.now());
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
        if (!(e instanceof RingCentralError && isInvalidGrant(e))) throw e;
        await this.tokenStore.clear();
        this.#current = undefined;
        if (!this.#credentials) throw e;
      }
    }
    return await this.#login(signal);
  }

  async #login(signal?: AbortSignal): Promise<StoredTokens> {
    if (!this.#credentials) {
      throw new RingCentralError({
        status: 0,
        message: "No valid token and no credentials to log in with",
        method: "POST",
        path: TOKEN_PATH,
        hint: "Set RC_JWT (or RC_USERNAME and RC_PASSWORD, or RC_REDIRECT_URI for a browser login) in your .env file",
      });
    }
    try {
      const credentials = this.#credentials;
      if ("redirectUri" in credentials) {
        // Loaded only for a browser login: scripts with a JWT never load it.
        const { authorizeInBrowser } = await import("./browser_login.ts");
        const code = await authorizeInBrowser({
          server: this.server,
          clientId: this.clientId,
          redirectUri: credentials.redirectUri,
          ...this.#browser,
          signal: signal ?? this.#browser?.signal,
        });
        return await this.#obtain(codeForm(code), signal);
      }
      return await this.#obtain(loginForm(credentials), signal);
    } catch (e) {
      // OAU-140 names a username and password; with a JWT, the JWT is what was refused.
      if (!(e instanceof RingCentralError && e.errorCode === "OAU-140" && this.grant === "jwt")) throw e;
      throw new RingCentralError({
        status: e.status,
        errorCode: e.errorCode,
        message: e.detail,
        requestId: e.requestId,
        method: e.method,
        path: e.path,
        body: e.body,
        hint:
          "The JWT was refused: it may be expired or revoked, or made for another app or environment. Create a new JWT credential in the RingCentral Developer Console and put it in RC_JWT",
        secrets: this.#transport.secrets,
      });
    }
  }

  /** Logs in again with the credentials: a new session, whatever tokens there are. */
  login(signal?: AbortSignal): Promise<StoredTokens> {
    return this.tokenStore.lock(() => this.#login(signal));
  }

  /** Refreshes now (logs in when there is nothing to refresh). */
  async refresh(): Promise<void> {
    const stored = await this.stored();
    await this.renew(stored?.tokens.access_token ?? "", true);
  }

  /** Seconds left on the current tokens, their scope and owner; `undefined` when not logged in. */
  async status(): Promise<TokenStatus | undefined> {
    const stored = await this.stored();
    if (!stored) return undefined;
    return {
      ...tokenTimes(stored, this.#transport.now()),
      scope: stored.tokens.scope,
      ownerId: stored.tokens.owner_id,
    };
  }

  /** Revokes the session at `/restapi/oauth/revoke` and clears the token cache. */
  async logout(): Promise<void> {
    const stored = await this.stored();
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

  /** The tokens in the store (if they are this client's), else the ones in memory. */
  async stored(): Promise<StoredTokens | undefined> {
    return this.#accept(await this.tokenStore.load()) ?? this.#current;
  }

  /** Stored tokens this session may use: well formed, and this server's and this app's. */
  #accept(stored: StoredTokens | undefined): StoredTokens | undefined {
    if (!isStoredTokens(stored)) return undefined;
    if (stored.server !== this.server || stored.clientId !== this.clientId) return undefined;
    return stored;
  }

  async #obtain(form: URLSearchParams, signal?: AbortSignal): Promise<StoredTokens> {
    const timestamp = this.#transport.now();
    const response = await this.#tokenCall(TOKEN_PATH, form, signal);
    const text = await response.text();
    const body = parseJsonOrText(text);
    const tokens = checkTokenResponse(body);
    if (typeof tokens === "string") {
      const what = typeof body === "string"
        ? /^\s*</.test(body) ? "an HTML page (a captive portal or a proxy?)" : "text that is not JSON"
        : body === undefined
        ? "an empty body"
        : `JSON that is not a token response (${tokens})`;
      throw new RingCentralError({
        status: response.status,
        message: `The token endpoint answered ${response.status} with ${what}`,
        requestId: response.headers.get("rcrequestid") ?? undefined,
        method: "POST",
        path: TOKEN_PATH,
        hint: "Check RC_SERVER_URL: it must be RingCentral's API server (or an emulator's)",
        secrets: this.#transport.secrets,
      });
    }
    const stored = { tokens, timestamp, server: this.server, clientId: this.clientId };
    this.#remember(stored); // before saving: the tokens are good even if the store is not
    try {
      await this.tokenStore.save(stored);
    } catch (e) {
      this.#onWarning(
        `Warning: the tokens could not be stored (${(e as Error)?.message ?? e}); they are kept in memory for this run`,
      );
    }
    return stored;
  }

  #remember(stored: StoredTokens): StoredTokens {
    this.#transport.secrets.addRotating(stored.tokens.access_token);
    this.#transport.secrets.addRotating(stored.tokens.refresh_token);
    this.#current = stored;
    const life = stored.tokens.expires_in;
    this.#useUntil = stored.timestamp + (life - refreshMargin(life)) * 1000;
    return stored;
  }

  async #tokenCall(path: string, form: URLSearchParams, signal?: AbortSignal): Promise<Response> {
    const headers: Record<string, string> = { "content-type": "application/x-www-form-urlencoded" };
    if (this.#clientSecret) headers.authorization = basicAuth(this.clientId, this.#clientSecret);
    else form.set("client_id", this.clientId);
    // Token calls may be repeated after a network error: a login only opens a session, and a
    // refresh repeated within RingCentral's grace window returns the same tokens.
    const response = await this.#transport.send(
      "POST",
      new URL(this.server + path),
      headers,
      { body: form, signal },
      true,
    );
    if (response.ok) return response;
    throw await errorFromResponse(response, "POST", path, this.#transport.now(), this.#transport.secrets);
  }
}
