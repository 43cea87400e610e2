/**
 * OAuth of the emulator: the token endpoint (password, JWT, refresh with
 * single-use rotation, authorization code with PKCE), revoke,
 * and the Bearer check of every API call.
 * @module
 */
import { JWT_GRANT } from "../grants.ts";
import { base64url } from "../bytes.ts";
import type { Ctx } from "./_context.ts";
import { apiError, baseHeaders, HttpError, json, oauthError } from "./_http.ts";
import type { Route } from "./_router.ts";
import { attendeeLock, ROOM_LOGIN_HINT } from "./room_key.ts";
import { isSignedJwt } from "./seed.ts";
import type { App, Extension, OAuthSession } from "./state.ts";

const KNOWN_GRANTS = new Set(["password", JWT_GRANT, "refresh_token", "authorization_code", "client_credentials"]);
const DEFAULT_ACCESS_TTL = 3600;
const DEFAULT_REFRESH_TTL = 604800;

function randomToken(prefix: string): string {
  return prefix + base64url(crypto.getRandomValues(new Uint8Array(30)));
}

/** The app making a token or revoke request; throws RingCentral's OAuth error when there is none. */
function clientOf(ctx: Ctx, form: URLSearchParams): App {
  const header = ctx.request.headers.get("authorization");
  let clientId: string | undefined;
  let secret: string | undefined;
  if (header) {
    const m = /^basic\s+(\S+)$/i.exec(header);
    let decoded = "";
    try {
      decoded = m ? atob(m[1]) : "";
    } catch { /* malformed below */ }
    const colon = decoded.indexOf(":");
    if (!m || colon < 0) {
      throw oauthError("invalid_client", "OAU-123", "Authentication header value is malformed");
    }
    clientId = decoded.slice(0, colon);
    secret = decoded.slice(colon + 1);
  } else {
    clientId = form.get("client_id") ?? undefined;
    if (clientId === undefined) {
      throw oauthError("invalid_client", "OAU-123", "Client authentication is required");
    }
  }
  const app = ctx.state.apps.find((a) => a.clientId === clientId);
  if (!app) {
    throw oauthError("invalid_client", "OAU-153", `Invalid client: ${clientId}`, {
      parameters: [{ parameterName: "client_id", parameterValue: clientId }],
    });
  }
  if (app.clientSecret !== undefined && secret !== app.clientSecret) {
    if (secret === undefined) throw oauthError("invalid_client", "OAU-123", "Client authentication is required");
    throw oauthError("invalid_client", "OAU-146", "Invalid client credentials", { status: 401 });
  }
  if (app.clientSecret === undefined && secret) {
    // A public (PKCE) app has no secret: one sent means the wrong app or a secret that is not its own.
    throw oauthError("invalid_client", "OAU-146", "Invalid client credentials: this app is public and has no secret", {
      status: 401,
    });
  }
  return app;
}

function ttl(requested: string | null, configured: number, floor: number): number {
  const max = configured;
  const min = Math.min(floor, configured);
  const n = requested && /^\d+$/.test(requested) ? Number(requested) : max;
  return Math.max(min, Math.min(max, n));
}

function findUser(ctx: Ctx, username: string, extension: string | null): Extension | undefined {
  const { extensions, phoneNumbers, account } = ctx.state;
  let [login, ext] = username.split("*");
  ext = ext || extension || "";
  login = login.trim();
  if (login.includes("@")) return extensions.find((e) => e.email === login.toLowerCase());
  const digits = login.replace(/[^\d]/g, "");
  const sameNumber = (n: string) =>
    n.replace(/[^\d]/g, "").replace(/^1(?=\d{10}$)/, "") === digits.replace(/^1(?=\d{10}$)/, "");
  if (ext) {
    const ownsNumber = sameNumber(account.mainNumber) || phoneNumbers.some((p) => sameNumber(p.phoneNumber));
    return ownsNumber ? extensions.find((e) => e.extensionNumber === ext) : undefined;
  }
  if (sameNumber(account.mainNumber)) return extensions.find((e) => e.extensionNumber === "101");
  const owned = phoneNumbers.find((p) => p.usageType === "DirectNumber" && sameNumber(p.phoneNumber));
  return owned && extensions.find((e) => e.id === owned.extensionId);
}

function decodeJwt(assertion: string): Record<string, unknown> | undefined {
  const parts = assertion.split(".");
  if (parts.length !== 3) return undefined;
  try {
    const b64 = parts[1].replace(/-/g, "+").replace(/_/g, "/");
    return JSON.parse(atob(b64 + "=".repeat((4 - b64.length % 4) % 4)));
  } catch {
    return undefined;
  }
}

const BAD_CREDENTIALS = () => oauthError("invalid_grant", "OAU-140", "Invalid resource owner credentials");

function issue(ctx: Ctx, session: OAuthSession): void {
  const { state, now } = ctx;
  session.access = randomToken("EMU");
  session.refresh = randomToken("EMR");
  session.issued = now;
  session.accessUsed = undefined;
  state.tokens.set(session.access, { kind: "access", session, expires: now + session.accessTtl * 1000 });
  state.tokens.set(session.refresh, { kind: "refresh", session, expires: now + session.refreshTtl * 1000 });
}

function tokenBody(ctx: Ctx, session: OAuthSession): Response {
  const elapsed = Math.floor((ctx.now - session.issued) / 1000);
  return json(
    {
      access_token: session.access,
      token_type: "bearer",
      expires_in: Math.max(0, session.accessTtl - elapsed),
      refresh_token: session.refresh,
      refresh_token_expires_in: Math.max(0, session.refreshTtl - elapsed),
      scope: session.scope,
      owner_id: String(session.extensionId),
      endpoint_id: session.endpointId,
      session_id: session.id,
    },
    200,
    { Pragma: "no-cache", "Cache-Control": "no-store" },
  );
}

function startSession(ctx: Ctx, app: App, user: Extension, form: URLSearchParams): Response {
  const { state, options, now } = ctx;
  if (user.status !== "Enabled") throw BAD_CREDENTIALS();
  const mine = [...state.sessions.values()]
    .filter((s) => !s.revoked && s.extensionId === user.id && s.clientId === app.clientId)
    .sort((a, b) => a.created - b.created);
  // RingCentral keeps a few parallel sessions per user and app; a new login ends the oldest.
  while (mine.length >= options.sessionLimit) mine.shift()!.revoked = true;
  const session: OAuthSession = {
    id: crypto.randomUUID(),
    extensionId: user.id,
    clientId: app.clientId,
    endpointId: form.get("endpoint_id") || randomToken("").slice(0, 22),
    scope: app.permissions.join(" "), // a token carries the permissions its app has when it is issued
    access: "",
    refresh: "",
    accessTtl: ttl(form.get("access_token_ttl"), options.accessTtl, 600),
    refreshTtl: ttl(form.get("refresh_token_ttl"), options.refreshTtl, 600),
    issued: now,
    created: now,
  };
  state.sessions.set(session.id, session);
  issue(ctx, session);
  return tokenBody(ctx, session);
}

function refresh(ctx: Ctx, app: App, token: string | null): Response {
  const { state, now, options } = ctx;
  const record = token ? state.tokens.get(token) : undefined;
  if (!record || record.kind !== "refresh" || record.session.clientId !== app.clientId) {
    throw oauthError("invalid_grant", "OAU-213", "Token not found");
  }
  const session = record.session;
  if (session.revoked) throw oauthError("invalid_grant", "OAU-211", "Token revoked");
  if (now >= record.expires) throw oauthError("invalid_grant", "OAU-210", "Token expired");
  if (record.rotatedAt !== undefined) {
    // Grace: an already-used refresh token returns the tokens it produced, for a while.
    const graceEnds = session.accessUsed !== undefined
      ? session.accessUsed + options.refreshGrace * 1000
      : record.rotatedAt + 3600_000;
    const isPrevious = state.tokens.get(session.refresh)?.rotatedAt === undefined &&
      record.rotatedAt === session.issued;
    if (options.refreshGrace > 0 && isPrevious && now < graceEnds) return tokenBody(ctx, session);
    throw oauthError("invalid_grant", "OAU-213", "Token not found");
  }
  state.tokens.get(session.access)!.rotatedAt = now;
  record.rotatedAt = now;
  session.rotations = (session.rotations ?? 0) + 1;
  issue(ctx, session);
  return tokenBody(ctx, session);
}

async function authorizationCode(ctx: Ctx, app: App, form: URLSearchParams): Promise<Response> {
  const code = form.get("code") ?? "";
  const grant = ctx.state.codes.get(code);
  ctx.state.codes.delete(code);
  if (!grant || grant.clientId !== app.clientId || ctx.now >= grant.expires) {
    throw oauthError("invalid_grant", "OAU-109", "Authorization code is invalid or expired");
  }
  if ((grant.redirectUri ?? null) !== (form.get("redirect_uri") ?? null)) {
    throw oauthError("invalid_grant", "OAU-106", "Redirect URI does not match");
  }
  if (grant.challenge) {
    const verifier = form.get("code_verifier") ?? "";
    const expected = grant.method === "S256"
      ? base64url(new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(verifier))))
      : verifier;
    if (expected !== grant.challenge) {
      throw oauthError("invalid_grant", "OAU-108", "Code verifier does not match the code challenge");
    }
  } else if (!app.clientSecret) {
    throw oauthError("invalid_request", "OAU-108", "A public client must use PKCE");
  }
  const user = ctx.state.extensions.find((e) => e.id === grant.extensionId)!;
  return startSession(ctx, app, user, form);
}

async function token(ctx: Ctx): Promise<Response> {
  const form = await ctx.form();
  const grantType = form.get("grant_type") ?? "";
  const stats = (ctx.state.stats.grants[grantType || "(none)"] ??= { ok: 0, failed: 0 });
  try {
    const response = await grantTokens(ctx, form, grantType);
    stats.ok++;
    return response;
  } catch (e) {
    if (e instanceof HttpError) stats.failed++;
    throw e;
  }
}

async function grantTokens(ctx: Ctx, form: URLSearchParams, grantType: string): Promise<Response> {
  const app = clientOf(ctx, form);
  if (!KNOWN_GRANTS.has(grantType)) throw oauthError("invalid_request", "OAU-250", "Unsupported grant type");
  if (!app.grants.includes(grantType)) {
    throw oauthError("unauthorized_client", "OAU-251", "Unauthorized for this grant type");
  }
  switch (grantType) {
    case "password": {
      if (attendeeLock(ctx) !== undefined) {
        throw oauthError(
          "unauthorized_client",
          "OAU-251",
          `In a workshop room, the password grant is refused: ${ROOM_LOGIN_HINT}`,
        );
      }
      const user = findUser(ctx, form.get("username") ?? "", form.get("extension"));
      if (!user || form.get("password") !== ctx.state.userPassword) throw BAD_CREDENTIALS();
      return startSession(ctx, app, user, form);
    }
    case JWT_GRANT: {
      const assertion = form.get("assertion") ?? "";
      const secret = attendeeLock(ctx);
      if (secret !== undefined && !isSignedJwt(assertion, secret)) {
        throw oauthError(
          "invalid_grant",
          "OAU-140",
          `Invalid JWT: this workshop room did not sign it (a seeded user's JWT, one made by hand, or one from ` +
            `an earlier run of the room): ${ROOM_LOGIN_HINT}`,
        );
      }
      const claims = decodeJwt(assertion);
      const user = ctx.state.extensions.find((e) => String(e.id) === String(claims?.sub));
      const expired = typeof claims?.exp === "number" && claims.exp * 1000 <= ctx.now;
      if (!claims || claims.iss !== "ringcentral-emulator" || !user || expired) throw BAD_CREDENTIALS();
      return startSession(ctx, app, user, form);
    }
    case "refresh_token":
      return refresh(ctx, app, form.get("refresh_token"));
    case "authorization_code":
      return await authorizationCode(ctx, app, form);
    default:
      throw oauthError("unauthorized_client", "OAU-251", "Unauthorized for this grant type");
  }
}

async function revoke(ctx: Ctx): Promise<Response> {
  const form = await ctx.form();
  const app = clientOf(ctx, form);
  const value = form.get("token") ?? ctx.url.searchParams.get("token") ?? "";
  const record = ctx.state.tokens.get(value);
  if (record && record.session.clientId === app.clientId && !record.session.revoked) {
    record.session.revoked = true;
    ctx.state.stats.revokes++;
  }
  return new Response(null, { status: 200, headers: baseHeaders() });
}

/**
 * The session of a valid Bearer token on the request, without answering an
 * error when there is none (faults and the controls look before a route does).
 */
export function bearerSession(ctx: Ctx): OAuthSession | undefined {
  try {
    return authenticateRequest(ctx, false);
  } catch {
    return undefined;
  }
}

/**
 * The caller's session from `Authorization: Bearer ...` (any case) or
 * `?access_token=`; throws the 401 RingCentral answers. `use` marks the
 * token as used (which starts the old refresh token's grace window).
 */
export function authenticateRequest(ctx: Ctx, use = true): OAuthSession {
  const header = ctx.request.headers.get("authorization");
  let value = ctx.url.searchParams.get("access_token") ?? undefined;
  if (header) {
    const m = /^bearer\s+(\S+)$/i.exec(header.trim());
    if (!m) throw apiError(401, { errorCode: "AGW-402", message: "Invalid Authorization header" });
    value = m[1];
  }
  if (!value) throw apiError(401, { errorCode: "AGW-401", message: "Authorization header is not specified" });
  const record = ctx.state.tokens.get(value);
  if (!record || record.kind !== "access") {
    throw apiError(401, { errorCode: "OAU-149", message: "OAuth token is invalid" }, { topCode: "TokenInvalid" });
  }
  if (record.session.revoked || record.rotatedAt !== undefined) {
    throw apiError(401, { errorCode: "OAU-213", message: "Token not found" }, { topCode: "TokenInvalid" });
  }
  if (ctx.now >= record.expires) {
    throw apiError(401, { errorCode: "OAU-128", message: "Access token expired" }, { topCode: "TokenExpired" });
  }
  if (use) record.session.accessUsed ??= ctx.now;
  return record.session;
}

/** The user a token-endpoint request counts against, for the Auth rate limit. */
export async function authRateKey(ctx: Ctx): Promise<string> {
  const form = await ctx.form();
  const basic = /^basic\s+(\S+)$/i.exec(ctx.request.headers.get("authorization") ?? "");
  let app = form.get("client_id") ?? "";
  try {
    if (basic) app = atob(basic[1]).split(":")[0];
  } catch { /* keep */ }
  const record = ctx.state.tokens.get(form.get("refresh_token") ?? form.get("token") ?? "");
  let user = record ? String(record.session.extensionId) : "";
  if (!user && form.get("assertion")) user = String(decodeJwt(form.get("assertion")!)?.sub ?? "");
  if (!user && form.get("username")) {
    user = String(findUser(ctx, form.get("username")!, form.get("extension"))?.id ?? form.get("username"));
  }
  return `${user || "anonymous"}:${app}`;
}

/** OAuth routes. */
export const oauthRoutes: Route<Ctx>[] = [
  { method: "POST", pattern: "/restapi/oauth/token", group: "Auth", auth: false, handler: token },
  { method: "POST", pattern: "/restapi/oauth/revoke", group: "Auth", auth: false, handler: revoke },
];

export { DEFAULT_ACCESS_TTL, DEFAULT_REFRESH_TTL };
