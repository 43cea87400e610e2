/**
 * Where tokens live between calls and between processes: the stored
 * tokens and their checks, the {@linkcode TokenStore} interface, and
 * {@linkcode MemoryTokenStore} for tests and the built-in emulator (the file
 * store for real use is in `file_token_store.ts`).
 * @module
 */
import { createMutex } from "./async.ts";

/**
 * The token endpoint's answer, as RingCentral sends it.
 *
 * @example What the token endpoint answers
 * ```ts
 * import { RingCentral } from "../mod.ts";
 * import { createEmulator } from "./emulator/mod.ts";
 * import type { TokenResponse } from "../mod.ts";
 * import { equal } from "node:assert/strict";
 * const emulator = createEmulator();
 * const { clientId, clientSecret, jwt, server } = emulator.credentials;
 * const r = await emulator.fetch(`${server}/restapi/oauth/token`, {
 *   method: "POST",
 *   headers: { Authorization: `Basic ${btoa(`${clientId}:${clientSecret}`)}` },
 *   body: new URLSearchParams({ grant_type: "urn:ietf:params:oauth:grant-type:jwt-bearer", assertion: jwt }),
 * });
 * const tokens: TokenResponse = await r.json();
 * equal(tokens.token_type, "bearer");
 * equal(tokens.expires_in, 3600);
 * ```
 */
export interface TokenResponse {
  /** Bearer token for API calls. */
  access_token: string;
  /** Always `bearer`. */
  token_type: string;
  /** Seconds the access token lives. */
  expires_in: number;
  /** Single-use token that gets a new access token. */
  refresh_token?: string;
  /** Seconds the refresh token lives. */
  refresh_token_expires_in?: number;
  /** Space-separated permissions. */
  scope?: string;
  /** Extension id of the user. */
  owner_id?: string;
  /** Endpoint id. */
  endpoint_id?: string;
  /** OAuth session id. */
  session_id?: string;
}

/**
 * What a store keeps: the tokens, when they were obtained, and for whom.
 *
 * @example What a cache file holds
 * ```ts
 * import { RingCentral } from "../mod.ts";
 * import { createEmulator } from "./emulator/mod.ts";
 * import { MemoryTokenStore, type StoredTokens } from "../mod.ts";
 * import { equal } from "node:assert/strict";
 * const emulator = createEmulator();
 * const tokenStore = new MemoryTokenStore();
 * await new RingCentral({ ...emulator.credentials, fetch: emulator.fetch, tokenStore }).authenticate();
 * const stored: StoredTokens = (await tokenStore.load())!;
 * equal(stored.server, emulator.credentials.server);
 * equal(stored.clientId, emulator.credentials.clientId);
 * ```
 */
export interface StoredTokens {
  /** The token response. */
  tokens: TokenResponse;
  /** When the tokens were obtained, in milliseconds since the epoch. */
  timestamp: number;
  /** Server the tokens belong to; tokens of another server are ignored. */
  server?: string;
  /** App the tokens belong to; tokens of another app are ignored. */
  clientId?: string;
}

/** A token as it may go into an `Authorization` header: visible ASCII, no spaces. */
const TOKEN = /^[\x21-\x7e]+$/;

const finiteNumber = (v: unknown): number | undefined => {
  const n = typeof v === "string" && v.trim() !== "" ? Number(v) : v;
  return typeof n === "number" && Number.isFinite(n) && n >= 0 ? n : undefined;
};

/**
 * A token endpoint's answer checked field by field: the tokens usable as
 * header values, the lifetimes numbers (a numeric string is accepted).
 * Returns the checked response, or what is wrong with it.
 *
 * @example
 * ```ts
 * import { checkTokenResponse } from "./token_store.ts";
 * import { equal } from "node:assert/strict";
 * equal(typeof checkTokenResponse({ access_token: "a", token_type: "bearer", expires_in: "3600" }), "object");
 * equal(checkTokenResponse({}), "access_token is missing");
 * equal(checkTokenResponse({ access_token: "a\nb", expires_in: 60 }), "access_token is not a token (it has spaces or control characters)");
 * ```
 */
export function checkTokenResponse(value: unknown): TokenResponse | string {
  if (!value || typeof value !== "object" || Array.isArray(value)) return "it is not a JSON object";
  const t = value as Record<string, unknown>;
  const token = (name: string, required: boolean): string | undefined => {
    const v = t[name];
    if (v === undefined || v === null) return required ? `${name} is missing` : undefined;
    if (typeof v !== "string" || !TOKEN.test(v)) return `${name} is not a token (it has spaces or control characters)`;
  };
  const problem = token("access_token", true) ?? token("refresh_token", false);
  if (problem) return problem;
  const expiresIn = finiteNumber(t.expires_in);
  if (expiresIn === undefined) return "expires_in is missing or not a number of seconds";
  const refreshIn = finiteNumber(t.refresh_token_expires_in);
  if (t.refresh_token !== undefined && t.refresh_token_expires_in !== undefined && refreshIn === undefined) {
    return "refresh_token_expires_in is not a number of seconds";
  }
  return {
    ...t,
    access_token: t.access_token as string,
    token_type: typeof t.token_type === "string" ? t.token_type : "bearer",
    expires_in: expiresIn,
    ...(refreshIn !== undefined ? { refresh_token_expires_in: refreshIn } : {}),
  } as TokenResponse;
}

/**
 * Whether stored data is tokens this client can use: a timestamp and a
 * token response that passes {@linkcode checkTokenResponse}.
 */
export function isStoredTokens(data: unknown): data is StoredTokens {
  const d = data as StoredTokens | undefined;
  return !!d && typeof d === "object" && typeof d.timestamp === "number" && Number.isFinite(d.timestamp) &&
    typeof checkTokenResponse(d.tokens) === "object";
}

/**
 * Storage for tokens, with a lock held around refresh and login.
 *
 * @example A store of your own (here: one that counts its saves)
 * ```ts
 * import { RingCentral } from "../mod.ts";
 * import { createEmulator } from "./emulator/mod.ts";
 * import { MemoryTokenStore, type StoredTokens, type TokenStore } from "../mod.ts";
 * import { equal } from "node:assert/strict";
 * class CountingStore implements TokenStore {
 *   saves = 0;
 *   #inner = new MemoryTokenStore();
 *   load() { return this.#inner.load(); }
 *   save(data: StoredTokens) { this.saves++; return this.#inner.save(data); }
 *   clear() { return this.#inner.clear(); }
 *   lock<T>(fn: () => Promise<T>) { return this.#inner.lock(fn); }
 * }
 * const emulator = createEmulator();
 * const tokenStore = new CountingStore();
 * const rc = new RingCentral({ ...emulator.credentials, fetch: emulator.fetch, tokenStore });
 * await Promise.all([rc.get("/restapi/v1.0/account/~"), rc.get("/restapi/v1.0/account/~/extension/~")]);
 * equal(tokenStore.saves, 1); // one login for both calls
 * ```
 */
export interface TokenStore {
  /** The stored tokens, or `undefined` when there are none (or they are unreadable). */
  load(): Promise<StoredTokens | undefined>;
  /** Replaces the stored tokens. */
  save(data: StoredTokens): Promise<void>;
  /** Forgets the stored tokens. */
  clear(): Promise<void>;
  /**
   * Runs `fn` while no other holder of the same store (in any process) runs
   * theirs; `doing` says what for ("refreshing the token"), for those who wait.
   */
  lock<T>(fn: () => Promise<T>, doing?: string): Promise<T>;
}

/**
 * Keeps tokens in memory: for tests, and for the in-process emulator whose
 * tokens die with the process anyway.
 *
 * @example
 * ```ts
 * import { MemoryTokenStore } from "./token_store.ts";
 * import { equal } from "node:assert/strict";
 * const store = new MemoryTokenStore();
 * await store.save({ tokens: { access_token: "a", token_type: "bearer", expires_in: 60 }, timestamp: 0 });
 * equal((await store.load())?.tokens.access_token, "a");
 * ```
 */
export class MemoryTokenStore implements TokenStore {
  #data?: StoredTokens;
  #mutex = createMutex();
  /** Returns a copy of the stored tokens. */
  load(): Promise<StoredTokens | undefined> {
    return Promise.resolve(this.#data && structuredClone(this.#data));
  }
  /** Stores a copy of `data`. */
  save(data: StoredTokens): Promise<void> {
    this.#data = structuredClone(data);
    return Promise.resolve();
  }
  /** Forgets the tokens. */
  clear(): Promise<void> {
    this.#data = undefined;
    return Promise.resolve();
  }
  /** Runs `fn` exclusively within this process. */
  lock<T>(fn: () => Promise<T>): Promise<T> {
    return this.#mutex(fn);
  }
}
