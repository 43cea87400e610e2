/**
 * OAuth grants and expiry maths, with no effects: which of the tutorial's
 * three branches applies to stored tokens, and the form bodies and headers
 * of the token endpoint.
 * @module
 */
import type { Credentials } from "./config.ts";
import type { StoredTokens } from "./token_store.ts";

/** The JWT bearer grant type (RFC 7523), as RingCentral names it. */
export const JWT_GRANT = "urn:ietf:params:oauth:grant-type:jwt-bearer";

/** What to do with stored tokens: use them, refresh them, or log in. */
export type TokenAction = "use" | "refresh" | "login";

/**
 * Seconds before expiry at which a token counts as expired: a tenth of its
 * life, at most 60 s. A 3-second token is used for 2.7 s; an hour-long one
 * is refreshed a minute early.
 */
function refreshMargin(lifetimeSeconds: number): number {
  return Math.min(60, lifetimeSeconds / 10);
}

/**
 * The tutorial's three branches: reuse the access token while valid, refresh
 * while the refresh token is valid, log in otherwise.
 *
 * @example
 * ```ts
 * import { tokenAction } from "./grants.ts";
 * import { equal } from "node:assert/strict";
 * const stored = {
 *   timestamp: 0,
 *   tokens: { access_token: "a", token_type: "bearer", expires_in: 3600, refresh_token: "r", refresh_token_expires_in: 604800 },
 * };
 * equal(tokenAction(stored, 1000), "use");
 * equal(tokenAction(stored, 3600_000), "refresh");
 * equal(tokenAction(stored, 604800_000), "login");
 * ```
 */
export function tokenAction(stored: StoredTokens | undefined, now: number): TokenAction {
  if (!stored) return "login";
  const age = (now - stored.timestamp) / 1000;
  const { expires_in: access, refresh_token, refresh_token_expires_in: refresh } = stored.tokens;
  if (age >= 0 && age < access - refreshMargin(access)) return "use";
  if (refresh_token && refresh && age >= 0 && age < refresh - refreshMargin(refresh)) return "refresh";
  return "login";
}

/**
 * The form fields that log in with `credentials`.
 *
 * @example
 * ```ts
 * import { loginForm } from "./grants.ts";
 * import { equal } from "node:assert/strict";
 * equal(loginForm({ username: "+16505550100", password: "p", extension: "101" }).get("grant_type"), "password");
 * ```
 */
export function loginForm(credentials: Exclude<Credentials, { redirectUri: string }>): URLSearchParams {
  if ("jwt" in credentials) {
    return new URLSearchParams({ grant_type: JWT_GRANT, assertion: credentials.jwt });
  }
  const form = new URLSearchParams({
    grant_type: "password",
    username: credentials.username,
    password: credentials.password,
  });
  if (credentials.extension) form.set("extension", credentials.extension);
  return form;
}

/**
 * The form fields that exchange an authorization code (with its PKCE verifier) for tokens.
 *
 * @example
 * ```ts
 * import { codeForm } from "./grants.ts";
 * import { equal } from "node:assert/strict";
 * const form = codeForm({ code: "c", verifier: "v", redirectUri: "http://127.0.0.1:53682/oauth2callback" });
 * equal(form.get("grant_type"), "authorization_code");
 * equal(form.get("code_verifier"), "v");
 * ```
 */
export function codeForm(
  { code, verifier, redirectUri }: { code: string; verifier: string; redirectUri: string },
): URLSearchParams {
  return new URLSearchParams({
    grant_type: "authorization_code",
    code,
    redirect_uri: redirectUri,
    code_verifier: verifier,
  });
}

/**
 * The `Authorization` header value for Basic client authentication.
 *
 * @example
 * ```ts
 * import { basicAuth } from "./grants.ts";
 * import { equal } from "node:assert/strict";
 * equal(basicAuth("id", "secret"), "Basic aWQ6c2VjcmV0");
 * ```
 */
export function basicAuth(clientId: string, clientSecret: string): string {
  return `Basic ${new TextEncoder().encode(`${clientId}:${clientSecret}`).toBase64()}`;
}

/**
 * Seconds until the access and refresh tokens expire (negative when past).
 *
 * @example Seconds left
 * ```ts
 * import { tokenTimes } from "./grants.ts";
 * import type { TokenTimes } from "../mod.ts";
 * import { deepEqual } from "node:assert/strict";
 * const tokens = { access_token: "a", token_type: "bearer", expires_in: 3600, refresh_token: "r", refresh_token_expires_in: 604800 };
 * const left: TokenTimes = tokenTimes({ tokens, timestamp: 0 }, 600_000);
 * deepEqual(left, { accessSeconds: 3000, refreshSeconds: 604200 });
 * ```
 */
export interface TokenTimes {
  /** Seconds the access token has left. */
  accessSeconds: number;
  /** Seconds the refresh token has left; absent without a refresh token. */
  refreshSeconds?: number;
}

/**
 * Seconds each stored token has left at `now`.
 *
 * @example
 * ```ts
 * import { tokenTimes } from "./grants.ts";
 * import { equal } from "node:assert/strict";
 * const t = tokenTimes({ timestamp: 0, tokens: { access_token: "a", token_type: "bearer", expires_in: 60 } }, 10_000);
 * equal(t.accessSeconds, 50);
 * ```
 */
export function tokenTimes(stored: StoredTokens, now: number): TokenTimes {
  const age = (now - stored.timestamp) / 1000;
  const refresh = stored.tokens.refresh_token_expires_in;
  return {
    accessSeconds: stored.tokens.expires_in - age,
    ...(refresh && stored.tokens.refresh_token ? { refreshSeconds: refresh - age } : {}),
  };
}
