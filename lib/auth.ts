/**
 * The OAuth session of a client: the token lifecycle of the tutorial (reuse,
 * refresh, log in), one renewal shared by concurrent callers (each may stop
 * waiting on its own signal; the renewal goes on for the others), under the
 * token store's lock across processes, revocation and status. Its token
 * calls go through the {@linkcode Transport}.
 * @module
 */
import { abortable } from "./async.ts";
import type { BrowserLoginOptions } from "./browser_login.ts";
import { parseJsonOrText } from "./bytes.ts";
import type { Credentials } from "./config.ts";
import { ApiError, ConfigError, RingCentralError } from "./errors.ts";
import { apiErrorOf, isInvalidGrant, TOKEN_PATH } from "./failures.ts";
import { basicAuth, codeForm, loginForm, tokenAction, type TokenTimes, tokenTimes } from "./grants.ts";
import type { SecretSet } from "./redact.ts";
import { checkTokenResponse, isStoredTokens, type StoredTokens, type TokenStore } from "./token_store.ts";
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
  /** The client's secret values: the credentials and each new token join them. */
  secrets: SecretSet;
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

/** A renewal's outcome: the tokens, and whether they are new (not reused from the store). */
interface Renewed {
  stored: StoredTokens;
  obtained: boolean;
}

/**
 * One client's OAuth session. {@linkcode AuthSession.accessToken} gives a
 * valid token, renewing it at most once for all concurrent callers in this
 * process, and under the store's lock across processes.
 *
 * @example
 * ```ts
 * import { AuthSession } from "./auth.ts";
 * import { MemoryTokenStore } from "./token_store.ts";
 * import { SecretSet } from "./redact.ts";
 * import { Transport } from "./transport.ts";
 * import { createEmulator } from "./emulator/mod.ts";
 * import { equal } from "node:assert/strict";
 * const emulator = createEmulator();
 * const { server, clientId, clientSecret, jwt } = emulator.credentials;
 * const secrets = new SecretSet();
 * const auth = new AuthSession({
 *   server,
 *   clientId,
 *   clientSecret,
 *   credentials: { jwt },
 *   tokenStore: new MemoryTokenStore(),
 *   transport: new Transport({ fetch: emulator.fetch }, secrets),
 *   secrets,
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
  #secrets: SecretSet;
  #onLog?: (line: string) => void;
  #onWarning: (message: string) => void;
  #browser?: BrowserLoginOptions;
  #current?: StoredTokens;
  #flight?: Promise<Renewed>;

  /** A session; nothing is sent until a token is needed. */
  constructor(options: AuthSessionOptions) {
    this.server = options.server;
    this.clientId = options.clientId;
    this.tokenStore = options.tokenStore;
    this.#clientSecret = options.clientSecret;
    this.#credentials = options.credentials;
    this.#transport = options.transport;
    this.#secrets = options.secrets;
    this.#onLog = options.onLog;
    this.#onWarning = options.onWarning ?? ((m) => console.warn(m));
    this.#browser = options.browser;
    const credentials = options.credentials;
    this.#secrets.add(options.clientSecret);
    if (options.clientSecret) {
      this.#secrets.add(basicAuth(options.clientId, options.clientSecret).slice("Basic ".length));
    }
    if (credentials && "jwt" in credentials) this.#secrets.add(credentials.jwt);
    if (credentials && "password" in credentials) this.#secrets.add(credentials.password);
  }

  /** How the session logs in: `jwt`, `password`, `browser`, or `undefined` without credentials. */
  get grant(): "jwt" | "password" | "browser" | undefined {
    const c = this.#credentials;
    return c ? ("jwt" in c ? "jwt" : "redirectUri" in c ? "browser" : "password") : undefined;
  }

  /** Whether a 401 is worth one renewal: there is something to renew with. */
  get canRenew(): boolean {
    return !!(this.#credentials || this.#current?.tokens.refresh_token);
  }

  /** A valid access token: the one in memory or in the store, else a renewed one. */
  async accessToken(signal?: AbortSignal): Promise<StoredTokens> {
    const now = this.#transport.now();
    if (this.#current && tokenAction(this.#current, now) === "use") return this.#current;
    const stored = this.#accept(await this.tokenStore.load());
    if (stored && tokenAction(stored, this.#transport.now()) === "use") return this.#remember(stored);
    return await this.#renew(undefined, false, signal);
  }

  /**
   * A token to repeat a request with, after the server refused `rejected`
   * (an access token) with a 401: one another caller or process wrote
   * meanwhile, or a renewed one. Never `rejected` itself.
   */
  renewAfterRejection(rejected: string, signal?: AbortSignal): Promise<StoredTokens> {
    return this.#renew(rejected, false, signal);
  }

  /**
   * One renewal for all concurrent callers. Each caller stops waiting when
   * its own signal aborts; the renewal runs on without any caller's signal
   * (under the transport's timeout). A caller that joins a renewal which
   * cannot serve it (it ended on the token this caller saw refused, or it
   * reused a token when this caller asked for a new one) then starts one of
   * its own, which serves it by construction (the store's lock keeps the
   * two from refreshing at once); it never gets back a token that does not
   * serve it.
   */
  async #renew(rejected: string | undefined, force: boolean, signal?: AbortSignal): Promise<StoredTokens> {
    const joined = this.#flight;
    if (joined) {
      const { stored, obtained } = await abortable(joined, signal);
      if (stored.tokens.access_token !== rejected && (!force || obtained)) return stored;
    }
    const { stored, obtained } = await abortable(this.#start(rejected, force), signal);
    if (stored.tokens.access_token === rejected || (force && !obtained)) {
      // #renewal() never ends so for its own caller; should it, say so rather than hand back a useless token.
      throw new RingCentralError(
        force
          ? "The token renewal reused the stored token instead of renewing it"
          : "The renewal ended on the token the server refused",
        { method: "POST", path: TOKEN_PATH, hint: "Try again; if it goes on, log in again with rc.login()" },
      );
    }
    return stored;
  }

  #start(rejected: string | undefined, force: boolean): Promise<Renewed> {
    const flight = this.#renewal(rejected, force).finally(() => {
      if (this.#flight === flight) this.#flight = undefined;
    });
    this.#flight = flight;
    return flight;
  }

  /** Reuse what another process wrote, refresh, or log in; the browser's wait happens outside the lock. */
  async #renewal(rejected: string | undefined, force: boolean): Promise<Renewed> {
    const renewed = await this.tokenStore.lock(() => this.#reuseOrRefresh(rejected, force));
    if (renewed) return renewed;
    if (this.grant !== "browser") {
      return { stored: await this.tokenStore.lock(() => this.#login(), "logging in"), obtained: true };
    }
    const code = await this.#authorizeInBrowser(); // a person acts in the browser: nobody waits on the lock
    return await this.tokenStore.lock(async () => {
      const meanwhile = this.#accept(await this.tokenStore.load());
      const fresh = meanwhile && meanwhile.tokens.access_token !== rejected;
      if (fresh && tokenAction(meanwhile, this.#transport.now()) === "use" && !force) {
        return { stored: this.#remember(meanwhile), obtained: false }; // another process logged in first
      }
      return { stored: await this.#obtain(codeForm(code)), obtained: true };
    });
  }

  /** Under the lock: the stored token when it is new to this caller, else a refresh; `undefined` when only a login will do. */
  async #reuseOrRefresh(rejected: string | undefined, force: boolean): Promise<Renewed | undefined> {
    const stored = this.#accept(await this.tokenStore.load());
    const action = tokenAction(stored, this.#transport.now());
    if (stored && !force && action === "use" && stored.tokens.access_token !== rejected) {
      return { stored: this.#remember(stored), obtained: false };
    }
    if (stored?.tokens.refresh_token && (action === "refresh" || action === "use")) {
      try {
        const form = new URLSearchParams({ grant_type: "refresh_token", refresh_token: stored.tokens.refresh_token });
        return { stored: await this.#obtain(form), obtained: true };
      } catch (e) {
        // Only a refresh token the server rejects is dropped; a network error, 5xx or 429 keeps the cache.
        if (!isInvalidGrant(e)) throw e;
        await this.tokenStore.clear();
        this.#current = undefined;
        if (!this.#credentials) throw e;
      }
    }
    if (!this.#credentials) throw noCredentials();
    return undefined;
  }

  /** Logs in with the JWT or the password (the browser's login is {@linkcode AuthSession.#renewal}'s). */
  async #login(): Promise<StoredTokens> {
    const credentials = this.#credentials;
    if (!credentials || "redirectUri" in credentials) throw new TypeError("#login() is for JWT and password logins");
    try {
      return await this.#obtain(loginForm(credentials));
    } catch (e) {
      // OAU-140 names a username and password; with a JWT, the JWT is what was refused.
      if (!(e instanceof ApiError && e.errorCode === "OAU-140" && this.grant === "jwt")) throw e;
      throw new ApiError({
        status: e.status,
        errorCode: e.errorCode,
        message: e.detail,
        requestId: e.requestId,
        method: e.method,
        path: e.path,
        body: e.body,
        hint:
          "The JWT was refused: it may be expired or revoked, or made for another app or environment. Create a new JWT credential in the RingCentral Developer Console and put it in RC_JWT",
        redact: (text) => this.#secrets.redact(text),
      });
    }
  }

  /** The browser step of a login, loaded only when it is needed (scripts with a JWT never load it). */
  async #authorizeInBrowser() {
    const credentials = this.#credentials as { redirectUri: string };
    const { authorizeInBrowser } = await import("./browser_login.ts");
    return await authorizeInBrowser({
      server: this.server,
      clientId: this.clientId,
      redirectUri: credentials.redirectUri,
      publicClient: !this.#clientSecret,
      ...this.#browser,
    });
  }

  /** Logs in again with the credentials: a new session, whatever tokens there are. */
  async login(): Promise<StoredTokens> {
    if (this.grant === "browser") {
      const code = await this.#authorizeInBrowser();
      return await this.tokenStore.lock(() => this.#obtain(codeForm(code)));
    }
    if (!this.#credentials) throw noCredentials();
    return await this.tokenStore.lock(() => this.#login());
  }

  /** Refreshes now (logs in when there is nothing to refresh): the tokens are new afterwards. */
  async refresh(signal?: AbortSignal): Promise<void> {
    await this.#renew(undefined, true, signal);
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

  /**
   * Clears the token cache, then revokes the session at
   * `/restapi/oauth/revoke`. Says what happened: `revoked`, `not-revoked`
   * (the server refused or could not be reached: the session may still be
   * valid until it expires), or `not-logged-in`.
   */
  async logout(): Promise<"revoked" | "not-revoked" | "not-logged-in"> {
    const stored = await this.stored();
    this.#current = undefined;
    await this.tokenStore.clear();
    if (!stored) return "not-logged-in";
    try {
      await this.#tokenCall(REVOKE_PATH, new URLSearchParams({ token: stored.tokens.access_token }));
      return "revoked";
    } catch (e) {
      this.#onLog?.(`revoke failed: ${(e as Error).message}`);
      return "not-revoked";
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

  async #obtain(form: URLSearchParams): Promise<StoredTokens> {
    const timestamp = this.#transport.now();
    const response = await this.#tokenCall(TOKEN_PATH, form);
    const text = await response.text();
    const body = parseJsonOrText(text);
    const tokens = checkTokenResponse(body);
    if (typeof tokens === "string") {
      const what = typeof body === "string"
        ? /^\s*</.test(body) ? "an HTML page (a captive portal or a proxy?)" : "text that is not JSON"
        : body === undefined
        ? "an empty body"
        : `JSON that is not a token response (${tokens})`;
      throw new ApiError({
        status: response.status,
        message: `The token endpoint answered ${response.status} with ${what}`,
        requestId: response.headers.get("rcrequestid") ?? undefined,
        method: "POST",
        path: TOKEN_PATH,
        hint: "Check RC_SERVER_URL: it must be RingCentral's API server (or an emulator's)",
        redact: (t) => this.#secrets.redact(t),
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
    this.#secrets.addRotating(stored.tokens.access_token);
    this.#secrets.addRotating(stored.tokens.refresh_token);
    this.#current = stored;
    return stored;
  }

  async #tokenCall(path: string, form: URLSearchParams): Promise<Response> {
    const headers: Record<string, string> = { "content-type": "application/x-www-form-urlencoded" };
    if (this.#clientSecret) headers.authorization = basicAuth(this.clientId, this.#clientSecret);
    else form.set("client_id", this.clientId);
    const url = new URL(this.server + path);
    // Token calls may be repeated after a network error: a login only opens a session, and a
    // refresh repeated within RingCentral's grace window returns the same tokens.
    const response = await this.#transport.send({ method: "POST", url, headers, body: form, idempotent: true });
    if (response.ok) return response;
    throw await apiErrorOf(response, {
      method: "POST",
      url,
      now: this.#transport.now(),
      redact: (t) => this.#secrets.redact(t),
    });
  }
}

function noCredentials(): ConfigError {
  return new ConfigError("No valid token and no credentials to log in with", {
    method: "POST",
    path: TOKEN_PATH,
    hint: "Set RC_JWT (or RC_USERNAME and RC_PASSWORD, or RC_REDIRECT_URI for a browser login) in your .env file",
    key: "RC_JWT",
  });
}
