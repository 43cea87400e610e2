/**
 * `/restapi/oauth/authorize` of the emulator: the authorization code flow's
 * first step. A small sign-in and consent page (pick a user, approve or
 * deny), or with `autoApprove` an immediate redirect; the redirect URI is
 * checked against the app's registered ones, and codes are single-use and
 * live 60 seconds.
 * @module
 */
import { base64url } from "../bytes.ts";
import { isLoopbackHost } from "../hosts.ts";
import type { Ctx } from "./_context.ts";
import { baseHeaders, oauthError } from "./_http.ts";
import type { Route } from "./_router.ts";
import { attendeeLock, ROOM_LOGIN_HINT } from "./room_key.ts";
import type { App, Extension } from "./state.ts";

/** Whether `uri` is one of `app`'s redirect URIs (a loopback one registered without a port takes any port). */
function isRegistered(app: App, uri: URL): boolean {
  return (app.redirectUris ?? []).some((registered) => {
    const r = new URL(registered);
    if (r.protocol !== uri.protocol || r.hostname !== uri.hostname || r.pathname !== uri.pathname) return false;
    return (r.port === "" && isLoopbackHost(r.hostname)) || r.port === uri.port;
  });
}

function escape(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function users(ctx: Ctx): Extension[] {
  return ctx.state.extensions.filter((e) => e.type === "User" && e.status === "Enabled");
}

/** The consent page: who signs in, and approve or deny. */
function page(ctx: Ctx, app: App, params: URLSearchParams): Response {
  const hint = params.get("login_hint");
  const hidden = [...params].filter(([k]) => !["user", "decision"].includes(k))
    .map(([k, v]) => `<input type="hidden" name="${escape(k)}" value="${escape(v)}">`).join("\n      ");
  const options = users(ctx).map((e) =>
    `<option value="${e.id}"${e.extensionNumber === (hint || "101") ? " selected" : ""}>${escape(e.name)} (ext ${
      escape(e.extensionNumber ?? "")
    })</option>`
  ).join("\n        ");
  const html = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Sign in to ${escape(ctx.state.account.companyName)} (RingCentral emulator)</title>
<style>body{font:16px system-ui,sans-serif;max-width:30rem;margin:3rem auto;padding:0 1rem}select,button{font:inherit;padding:.4rem}button{margin-right:.5rem}</style></head>
<body>
  <h1>RingCentral emulator</h1>
  <p><strong>${escape(app.name)}</strong> asks to use the RingCentral account of
  <strong>${escape(ctx.state.account.companyName)}</strong> on your behalf.</p>
  <form method="post" action="/restapi/oauth/authorize">
      ${hidden}
    <p><label>Sign in as<br>
      <select name="user" id="user">
        ${options}
      </select></label></p>
    <p><button type="submit" name="decision" value="approve" id="approve">Approve</button>
    <button type="submit" name="decision" value="deny" id="deny">Deny</button></p>
  </form>
  <p><small>No password: this is the offline emulator. A real RingCentral account asks you to sign in here.</small></p>
</body>
</html>`;
  return new Response(html, { headers: baseHeaders({ "Content-Type": "text/html; charset=utf-8" }) });
}

function redirect(target: URL, params: URLSearchParams, values: Record<string, string>): Response {
  for (const [k, v] of Object.entries(values)) target.searchParams.set(k, v);
  const state = params.get("state");
  if (state !== null) target.searchParams.set("state", state);
  return new Response(null, { status: 302, headers: baseHeaders({ Location: target.href }) });
}

async function authorize(ctx: Ctx): Promise<Response> {
  const params = ctx.request.method === "POST" ? await ctx.form() : ctx.url.searchParams;
  if (attendeeLock(ctx) !== undefined) {
    // Its user picker would let anyone sign in as anyone.
    throw oauthError(
      "access_denied",
      "OAU-251",
      `In a workshop room, the sign-in page (which lets you pick any user) is closed: ${ROOM_LOGIN_HINT}`,
      { status: 403 },
    );
  }
  const clientId = params.get("client_id") ?? "";
  const app = ctx.state.apps.find((a) => a.clientId === clientId);
  if (!app) {
    throw oauthError("invalid_client", "OAU-153", `Invalid client: ${clientId}`, {
      parameters: [{ parameterName: "client_id", parameterValue: clientId }],
    });
  }
  if (params.get("response_type") !== "code") {
    throw oauthError("unsupported_response_type", "OAU-250", "Unsupported response type");
  }
  if (!app.grants.includes("authorization_code")) {
    throw oauthError("unauthorized_client", "OAU-251", "Unauthorized for this grant type");
  }
  const redirectUri = params.get("redirect_uri") ?? "";
  let target: URL;
  try {
    target = new URL(redirectUri);
  } catch {
    throw oauthError("invalid_request", "OAU-113", "Parameter [redirect_uri] is missing or invalid");
  }
  if (!isRegistered(app, target)) {
    // Never redirect to an address the app did not register: answer here.
    throw oauthError(
      "invalid_request",
      "OAU-109",
      `Redirect URI [${target.origin}${target.pathname}] is not registered for the app (it registers ${
        (app.redirectUris ?? []).join(", ") || "none"
      })`,
    );
  }
  const method = params.get("code_challenge_method") ?? (params.get("code_challenge") ? "plain" : undefined);
  if (method && method !== "S256" && method !== "plain") {
    throw oauthError("invalid_request", "OAU-108", "Unsupported code_challenge_method");
  }
  const decision = params.get("decision");
  if (!ctx.options.autoApprove && decision === null) return page(ctx, app, params);
  if (decision === "deny") {
    return redirect(target, params, { error: "access_denied", error_description: "The user denied the request" });
  }
  const hint = params.get("login_hint");
  const chosen = params.get("user");
  const user = (chosen ? users(ctx).find((e) => String(e.id) === chosen) : undefined) ??
    users(ctx).find((e) => e.extensionNumber === (hint || "101")) ?? users(ctx)[0];
  const code = `EMC${base64url(crypto.getRandomValues(new Uint8Array(30)))}`;
  ctx.state.codes.set(code, {
    clientId,
    extensionId: user.id,
    redirectUri,
    challenge: params.get("code_challenge") ?? undefined,
    method,
    expires: ctx.now + 60_000,
  });
  return redirect(target, params, { code, expires_in: "60" });
}

/** The authorize routes (GET shows the page; POST is its form, or RingCentral's POST variant). */
export const authorizeRoutes: Route<Ctx>[] = [
  { method: "GET", pattern: "/restapi/oauth/authorize", group: "Auth", auth: false, handler: authorize },
  { method: "POST", pattern: "/restapi/oauth/authorize", group: "Auth", auth: false, handler: authorize },
];
