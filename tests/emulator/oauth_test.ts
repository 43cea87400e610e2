import { deepEqual, equal, match, notEqual, ok } from "node:assert/strict";
import { advance, JWT, serveEmulator, stats } from "../_helpers.ts";
import {
  EMULATOR_CLIENT_ID,
  EMULATOR_CLIENT_SECRET,
  EMULATOR_PASSWORD,
  JWT_ONLY_CLIENT_ID,
  JWT_ONLY_CLIENT_SECRET,
  PUBLIC_CLIENT_ID,
} from "../../lib/emulator/seed.ts";

const BASIC = `Basic ${btoa(`${EMULATOR_CLIENT_ID}:${EMULATOR_CLIENT_SECRET}`)}`;
const ME = "/restapi/v1.0/account/~/extension/~";

/** Posts a form to the token endpoint and returns status, headers and parsed body. */
async function token(url: string, form: Record<string, string>, authorization: string | null = BASIC) {
  const headers: Record<string, string> = { "Content-Type": "application/x-www-form-urlencoded" };
  if (authorization) headers.Authorization = authorization;
  const r = await fetch(`${url}/restapi/oauth/token`, { method: "POST", headers, body: new URLSearchParams(form) });
  const text = await r.text();
  return { status: r.status, headers: r.headers, text, body: text ? JSON.parse(text) : undefined };
}

async function api(url: string, accessToken: string | null, path = ME, scheme = "Bearer") {
  const r = await fetch(`${url}${path}`, {
    headers: accessToken === null ? {} : { Authorization: `${scheme} ${accessToken}` },
  });
  return { status: r.status, body: await r.json() };
}

Deno.test("emulator token endpoint: password grant in both SDK shapes, and by email", async () => {
  await using s = serveEmulator({ rateLimits: false });
  const jsShape = await token(s.url, {
    grant_type: "password",
    username: "+16505550100*101",
    password: EMULATOR_PASSWORD,
  });
  equal(jsShape.status, 200);
  const pyShape = await token(s.url, {
    grant_type: "password",
    username: "+16505550100",
    password: EMULATOR_PASSWORD,
    extension: "103",
    access_token_ttl: "3600",
    refresh_token_ttl: "604800",
  });
  equal(pyShape.status, 200);
  equal((await api(s.url, pyShape.body.access_token)).body.extensionNumber, "103");
  const email = await token(s.url, {
    grant_type: "password",
    username: "bob.baker@acme-robotics.example",
    password: EMULATOR_PASSWORD,
  });
  equal((await api(s.url, email.body.access_token)).body.name, "Bob Baker");
  const b = jsShape.body;
  deepEqual(Object.keys(b), [
    "access_token",
    "token_type",
    "expires_in",
    "refresh_token",
    "refresh_token_expires_in",
    "scope",
    "owner_id",
    "endpoint_id",
    "session_id",
  ]);
  equal(b.token_type, "bearer");
  ok(Number.isInteger(b.expires_in) && b.expires_in === 3600);
  equal(b.refresh_token_expires_in, 604800);
  equal(typeof b.owner_id, "string");
  equal(jsShape.headers.get("cache-control"), "no-store");
  equal(jsShape.headers.get("pragma"), "no-cache");
  notEqual(pyShape.body.session_id, jsShape.body.session_id);
});

Deno.test("emulator token endpoint: wrong password gives RingCentral's OAU-140 body", async () => {
  await using s = serveEmulator();
  const r = await token(s.url, {
    grant_type: "password",
    username: "+16505550100",
    password: "nope",
    extension: "101",
  });
  equal(r.status, 400);
  deepEqual(JSON.parse(r.text), {
    error: "invalid_grant",
    errors: [{ errorCode: "OAU-140", message: "Invalid resource owner credentials" }],
    error_description: "Invalid resource owner credentials",
  });
  match(r.text, /^\{\n {2}"error" : "invalid_grant",\n/, "pretty-printed as RingCentral prints it");
  match(r.headers.get("rcrequestid")!, /^[0-9a-f-]{36}$/);
  equal(r.headers.get("content-language"), "en-US");
  deepEqual((await stats(s.url)).grants.password, { ok: 0, failed: 1 });
});

Deno.test("emulator token endpoint: client authentication and grant errors", async (t) => {
  await using s = serveEmulator({ rateLimits: false });
  const jwt = s.credentials.jwt;
  const cases: [string, Record<string, string>, string | null, number, string, string][] = [
    ["no client authentication", { grant_type: JWT, assertion: jwt }, null, 400, "invalid_client", "OAU-123"],
    ["malformed Basic header", { grant_type: JWT, assertion: jwt }, "Basic !!!", 400, "invalid_client", "OAU-123"],
    [
      "unknown client id",
      { grant_type: JWT, assertion: jwt },
      `Basic ${btoa("nobody:x")}`,
      400,
      "invalid_client",
      "OAU-153",
    ],
    [
      "wrong client secret",
      { grant_type: JWT, assertion: jwt },
      `Basic ${btoa(`${EMULATOR_CLIENT_ID}:bad`)}`,
      401,
      "invalid_client",
      "OAU-146",
    ],
    ["unknown grant type", { grant_type: "magic" }, BASIC, 400, "invalid_request", "OAU-250"],
    [
      "grant not enabled for the app",
      { grant_type: "password", username: "+16505550100", password: EMULATOR_PASSWORD },
      `Basic ${btoa(`${JWT_ONLY_CLIENT_ID}:${JWT_ONLY_CLIENT_SECRET}`)}`,
      400,
      "unauthorized_client",
      "OAU-251",
    ],
    ["a JWT of no extension", { grant_type: JWT, assertion: "e30.e30.x" }, BASIC, 400, "invalid_grant", "OAU-140"],
    [
      "unknown refresh token",
      { grant_type: "refresh_token", refresh_token: "nope" },
      BASIC,
      400,
      "invalid_grant",
      "OAU-213",
    ],
  ];
  for (const [name, form, auth, status, error, code] of cases) {
    await t.step(name, async () => {
      const r = await token(s.url, form, auth);
      equal(r.status, status);
      equal(r.body.error, error);
      equal(r.body.errors[0].errorCode, code);
      equal(r.body.error_description, r.body.errors[0].message);
    });
  }
  const unknown = await token(s.url, { grant_type: JWT, assertion: jwt }, `Basic ${btoa("nobody:x")}`);
  deepEqual(unknown.body.errors[0].parameters, [{ parameterName: "client_id", parameterValue: "nobody" }]);
});

Deno.test("emulator refresh: single-use rotation with the grace window of the notes", async (t) => {
  await using s = serveEmulator({ rateLimits: false }); // default grace: 10 s
  const login = (await token(s.url, { grant_type: JWT, assertion: s.credentials.jwt })).body;
  const first = (await token(s.url, { grant_type: "refresh_token", refresh_token: login.refresh_token })).body;
  notEqual(first.refresh_token, login.refresh_token);
  await t.step("the old access token dies at once", async () => {
    const r = await api(s.url, login.access_token);
    equal(r.status, 401);
    equal(r.body.errorCode, "TokenInvalid");
    equal(r.body.errors[0].errorCode, "OAU-213");
  });
  await t.step("new access token never used: the old refresh token returns the same tokens", async () => {
    await advance(s.url, 30 * 60);
    const again = (await token(s.url, { grant_type: "refresh_token", refresh_token: login.refresh_token })).body;
    equal(again.access_token, first.access_token);
    equal(again.refresh_token, first.refresh_token);
  });
  await t.step("after the new access token is used, the old refresh token works 10 s more", async () => {
    equal((await api(s.url, first.access_token)).status, 200);
    await advance(s.url, 9);
    equal((await token(s.url, { grant_type: "refresh_token", refresh_token: login.refresh_token })).status, 200);
    await advance(s.url, 2);
    const late = await token(s.url, { grant_type: "refresh_token", refresh_token: login.refresh_token });
    equal(late.status, 400);
    equal(late.body.errors[0].errorCode, "OAU-213");
  });
});

Deno.test("emulator refresh: strict rotation, expiry (OAU-210) and revocation (OAU-211)", async () => {
  await using s = serveEmulator({ rateLimits: false, refreshGrace: 0, refreshTtl: 100 });
  const login = (await token(s.url, { grant_type: JWT, assertion: s.credentials.jwt })).body;
  equal(login.refresh_token_expires_in, 100);
  const next = (await token(s.url, { grant_type: "refresh_token", refresh_token: login.refresh_token })).body;
  equal(
    (await token(s.url, { grant_type: "refresh_token", refresh_token: login.refresh_token })).body.errors[0].errorCode,
    "OAU-213",
  );
  await advance(s.url, 101);
  const expired = await token(s.url, { grant_type: "refresh_token", refresh_token: next.refresh_token });
  equal(expired.body.errors[0].errorCode, "OAU-210");
  const other = (await token(s.url, { grant_type: JWT, assertion: s.credentials.jwt })).body;
  const revoke = await fetch(`${s.url}/restapi/oauth/revoke`, {
    method: "POST",
    headers: { Authorization: BASIC },
    body: new URLSearchParams({ token: other.access_token }),
  });
  equal(revoke.status, 200);
  equal(await revoke.text(), "");
  equal(
    (await token(s.url, { grant_type: "refresh_token", refresh_token: other.refresh_token })).body.errors[0].errorCode,
    "OAU-211",
  );
  equal((await api(s.url, other.access_token)).body.errors[0].errorCode, "OAU-213");
});

Deno.test("emulator token TTLs: access_token_ttl and refresh_token_ttl are clamped as documented", async () => {
  await using s = serveEmulator({ rateLimits: false });
  const ask = async (access: string, refresh: string) =>
    (await token(s.url, {
      grant_type: JWT,
      assertion: s.credentials.jwt,
      access_token_ttl: access,
      refresh_token_ttl: refresh,
    })).body;
  const low = await ask("100", "10");
  equal(low.expires_in, 600);
  equal(low.refresh_token_expires_in, 600);
  const high = await ask("99999", "99999999");
  equal(high.expires_in, 3600);
  equal(high.refresh_token_expires_in, 604800);
  const mid = await ask("1800", "86400");
  equal(mid.expires_in, 1800);
  equal(mid.refresh_token_expires_in, 86400);
});

Deno.test("emulator API authentication: Bearer in any case, ?access_token=, and the 401 bodies", async () => {
  await using s = serveEmulator({ rateLimits: false, accessTtl: 60 });
  const login = (await token(s.url, { grant_type: JWT, assertion: s.credentials.jwt })).body;
  equal((await api(s.url, login.access_token, ME, "bearer")).status, 200);
  equal((await api(s.url, null, `${ME}?access_token=${login.access_token}`)).status, 200);
  const none = await api(s.url, null);
  deepEqual([none.status, none.body.errorCode, none.body.message], [
    401,
    "AGW-401",
    "Authorization header is not specified",
  ]);
  const garbage = await api(s.url, "not-a-token");
  deepEqual([garbage.status, garbage.body.errorCode, garbage.body.errors[0].errorCode], [
    401,
    "TokenInvalid",
    "OAU-149",
  ]);
  await advance(s.url, 61);
  const expired = await api(s.url, login.access_token);
  deepEqual([expired.status, expired.body.errorCode, expired.body.errors[0].errorCode], [
    401,
    "TokenExpired",
    "OAU-128",
  ]);
});

Deno.test("emulator parallel sessions: a sixth login ends the oldest session", async () => {
  await using s = serveEmulator({ rateLimits: false });
  const sessions = [];
  for (let i = 0; i < 6; i++) {
    sessions.push((await token(s.url, { grant_type: JWT, assertion: s.credentials.jwt })).body);
  }
  equal((await api(s.url, sessions[0].access_token)).status, 401);
  for (const session of sessions.slice(1)) equal((await api(s.url, session.access_token)).status, 200);
});

async function pkce(verifier: string, method: "S256" | "plain") {
  if (method === "plain") return verifier;
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(verifier)));
  return btoa(String.fromCharCode(...digest)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

Deno.test("emulator authorization code with PKCE (S256 and plain) for a public client", async (t) => {
  await using s = serveEmulator({ rateLimits: false, autoApprove: true });
  const redirect = "http://127.0.0.1:5555/oauth2callback";
  for (const method of ["S256", "plain"] as const) {
    await t.step(method, async () => {
      const verifier = `verifier-${method}-0123456789abcdefghijklmnopqrstuvwxyz`;
      const query = new URLSearchParams({
        response_type: "code",
        client_id: PUBLIC_CLIENT_ID,
        redirect_uri: redirect,
        state: "xyz",
        code_challenge: await pkce(verifier, method),
        code_challenge_method: method,
      });
      const r = await fetch(`${s.url}/restapi/oauth/authorize?${query}`, { redirect: "manual" });
      equal(r.status, 302);
      const location = new URL(r.headers.get("location")!);
      equal(location.origin + location.pathname, redirect);
      equal(location.searchParams.get("state"), "xyz");
      equal(location.searchParams.get("expires_in"), "60");
      const code = location.searchParams.get("code")!;
      const form = { grant_type: "authorization_code", code, redirect_uri: redirect, client_id: PUBLIC_CLIENT_ID };
      const wrong = await token(s.url, { ...form, code_verifier: "wrong" }, null);
      equal(wrong.status, 400);
      // A code is single-use: get a new one for the right verifier.
      const r2 = await fetch(`${s.url}/restapi/oauth/authorize?${query}`, { redirect: "manual" });
      const code2 = new URL(r2.headers.get("location")!).searchParams.get("code")!;
      const good = await token(s.url, { ...form, code: code2, code_verifier: verifier }, null);
      equal(good.status, 200, good.text);
      equal((await api(s.url, good.body.access_token)).body.extensionNumber, "101");
      // A public client refreshes with client_id in the body and no Authorization header.
      const refreshed = await token(s.url, {
        grant_type: "refresh_token",
        refresh_token: good.body.refresh_token,
        client_id: PUBLIC_CLIENT_ID,
      }, null);
      equal(refreshed.status, 200);
    });
  }
  await t.step("an unregistered redirect_uri is refused, never redirected to", async () => {
    for (const uri of ["https://evil.example/oauth2callback", "http://127.0.0.1:5555/other", "not a url"]) {
      const q = new URLSearchParams({ response_type: "code", client_id: PUBLIC_CLIENT_ID, redirect_uri: uri });
      const r = await fetch(`${s.url}/restapi/oauth/authorize?${q}`, { redirect: "manual" });
      equal(r.status, 400, uri);
      equal(r.headers.get("location"), null);
      match((await r.json()).errors[0].errorCode, /^OAU-(109|113)$/);
    }
  });
});

Deno.test("emulator authorize page: sign in as a user, approve or deny", async (t) => {
  await using s = serveEmulator({ rateLimits: false });
  const redirect = "http://localhost:61234/oauth2callback";
  const params = {
    response_type: "code",
    client_id: PUBLIC_CLIENT_ID,
    redirect_uri: redirect,
    state: "s-1",
    code_challenge: await pkce("a-verifier-of-some-length-0123456789abcdefgh", "S256"),
    code_challenge_method: "S256",
  };
  await t.step("GET shows the page: the app, the users, approve and deny", async () => {
    const r = await fetch(`${s.url}/restapi/oauth/authorize?${new URLSearchParams(params)}`);
    equal(r.status, 200);
    match(r.headers.get("content-type")!, /text\/html/);
    const html = await r.text();
    match(html, /Public PKCE App/);
    match(html, /<option value="\d+" selected>Alice Admin \(ext 101\)<\/option>/);
    match(html, /id="approve"/);
    match(html, /id="deny"/);
  });
  const bob = s.emulator.state.extensions.find((e) => e.extensionNumber === "102")!;
  await t.step("approve as another user: a code for that user, and the state back", async () => {
    const r = await fetch(`${s.url}/restapi/oauth/authorize`, {
      method: "POST",
      body: new URLSearchParams({ ...params, user: String(bob.id), decision: "approve" }),
      redirect: "manual",
    });
    equal(r.status, 302);
    const location = new URL(r.headers.get("location")!);
    equal(location.origin + location.pathname, redirect);
    equal(location.searchParams.get("state"), "s-1");
    const code = location.searchParams.get("code")!;
    const good = await token(s.url, {
      grant_type: "authorization_code",
      code,
      redirect_uri: redirect,
      client_id: PUBLIC_CLIENT_ID,
      code_verifier: "a-verifier-of-some-length-0123456789abcdefgh",
    }, null);
    equal(good.status, 200);
    equal((await api(s.url, good.body.access_token)).body.extensionNumber, "102");
    const again = await token(s.url, {
      grant_type: "authorization_code",
      code,
      redirect_uri: redirect,
      client_id: PUBLIC_CLIENT_ID,
      code_verifier: "a-verifier-of-some-length-0123456789abcdefgh",
    }, null);
    equal(again.status, 400, "a code is single-use");
  });
  await t.step("deny: access_denied back to the app", async () => {
    const r = await fetch(`${s.url}/restapi/oauth/authorize`, {
      method: "POST",
      body: new URLSearchParams({ ...params, decision: "deny" }),
      redirect: "manual",
    });
    equal(r.status, 302);
    const location = new URL(r.headers.get("location")!);
    equal(location.searchParams.get("error"), "access_denied");
    equal(location.searchParams.get("state"), "s-1");
    equal(location.searchParams.get("code"), null);
  });
});
