/** redact(), redactData() and redactPath(): every carrier of a secret, by pattern and by structure. */
import { deepEqual, equal, match } from "node:assert/strict";
import { type Exchange, RingCentral } from "../mod.ts";
import { inProcess } from "./_helpers.ts";

import { redact, redactData, redactPath, SecretSet } from "../lib/redact.ts";

Deno.test("redact() removes every carrier of a RingCentral secret", () => {
  const cases: [string, string][] = [
    ["Authorization: Basic ZW11bGF0b3I6c2VjcmV0", "Authorization: Basic [REDACTED]"],
    ["authorization: bearer U1BCMDFUMDRKV1MwMXxz", "authorization: bearer [REDACTED]"],
    ["grant_type=urn%3Ajwt&assertion=eyJ.eyJ.sig", "grant_type=urn%3Ajwt&assertion=[REDACTED]"],
    ["username=bob&password=hunter22&extension=101", "username=bob&password=[REDACTED]&extension=101"],
    ["grant_type=refresh_token&refresh_token=abcdef123", "grant_type=refresh_token&refresh_token=[REDACTED]"],
    ["/restapi/v1.0/account/~?access_token=abc123def", "/restapi/v1.0/account/~?access_token=[REDACTED]"],
    ['{"access_token" : "abc", "expires_in" : 3600}', '{"access_token" : "[REDACTED]", "expires_in" : 3600}'],
    ['{"refresh_token":"r1","scope":"SMS"}', '{"refresh_token":"[REDACTED]","scope":"SMS"}'],
    ["code=xyz&code_verifier=verifier123&client_id=id", "code=[REDACTED]&code_verifier=[REDACTED]&client_id=id"],
    ["client_id=id&client_secret=shh123", "client_id=id&client_secret=[REDACTED]"],
    ["token=abc123xyz", "token=[REDACTED]"],
  ];
  for (const [input, expected] of cases) equal(redact(input), expected);
});

Deno.test("redactData() removes secret-named values at any depth, and keeps ordinary codes", () => {
  deepEqual(
    redactData({
      password: "hunter22",
      nested: [{ client_secret: "s3cr3t", Access_Token: "tok-123456" }],
      jwt: "eyJ.eyJ.sig",
      currency: { code: "USD" },
      text: "pass grant_type=password&password=hunter22 along",
      count: 3,
    }),
    {
      password: "[REDACTED]",
      nested: [{ client_secret: "[REDACTED]", Access_Token: "[REDACTED]" }],
      jwt: "[REDACTED]",
      currency: { code: "USD" },
      text: "pass grant_type=password&password=[REDACTED] along",
      count: 3,
    },
  );
});

Deno.test("redactPath() redacts secret query parameters and keeps the others, repeated ones too", () => {
  equal(
    redactPath("/restapi/v1.0/account/~/extension?type=User&type=Department&access_token=abc123&code=XYZ"),
    "/restapi/v1.0/account/~/extension?type=User&type=Department&access_token=%5BREDACTED%5D&code=XYZ",
  );
  equal(redactPath("/restapi/v1.0/account/~"), "/restapi/v1.0/account/~");
});

Deno.test('trust: redaction is per client and bounded, and an ordinary "code" stays readable', async () => {
  await using e = inProcess({ refreshGrace: 0, rateLimits: false }); // 12 refreshes: past the Auth limit
  const exchanges: Exchange[] = [];
  const a = new RingCentral({ ...e.credentials, onExchange: (x) => exchanges.push(x) });
  const b = new RingCentral({ ...e.emulator.credentials, fetch: e.fetch });
  const account = await (await a.get("/restapi/v1.0/account/~")).json();
  equal(account.regionalSettings?.currency?.code, "USD");
  match(exchanges.at(-1)!.responseBody, /"code" : "USD"/, "the HTTP view shows the currency code");

  const tokenOfA = (await a.tokenStore.load())!.tokens.access_token;
  equal(a.redact(`token ${tokenOfA}`), "token [REDACTED]");
  equal(b.redact(`token ${tokenOfA}`), `token ${tokenOfA}`, "B does not know A's token: no global registry");
  for (let i = 0; i < 12; i++) await a.refresh();
  equal(a.redact(`token ${tokenOfA}`), `token ${tokenOfA}`, "12 refreshes later, the first token was let go");
  const newest = (await a.tokenStore.load())!.tokens.access_token;
  equal(a.redact(newest), "[REDACTED]");
  equal(a.redact(e.emulator.credentials.jwt), "[REDACTED]", "credentials are kept for the client's life");

  const set = new SecretSet();
  for (let i = 0; i < 100; i++) set.addRotating(`token-number-${i}`);
  set.add("client-secret-value");
  equal(set.size, 9);
});

Deno.test("trust 14: a secret is redacted in every form the client sent it: raw, JSON-escaped, URL-encoded, base64 of id:secret", async () => {
  const password = 'pa"ss wörd+1&x';
  const clientSecret = "cl1ent-s3cret-value";
  const basic = new TextEncoder().encode(`my-app:${clientSecret}`).toBase64();
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, async (request) => {
    const form = await request.text();
    // A server that echoes what it was sent, in each form it had it.
    return Response.json({
      error: "invalid_grant",
      error_description: `bad password ${JSON.parse(JSON.stringify(new URLSearchParams(form).get("password")))}`,
      echo: form,
      auth: request.headers.get("authorization")?.replace(/^Basic /, ""),
    }, { status: 400 });
  });
  try {
    const exchanges: Exchange[] = [];
    const rc = new RingCentral({
      server: `http://127.0.0.1:${server.addr.port}`,
      clientId: "my-app",
      clientSecret,
      username: "+16505550100",
      password,
      onExchange: (x) => exchanges.push(x),
    });
    const e = await rc.authenticate().catch((e) => e);
    const seen = JSON.stringify([e.message, e.body, e.detail, exchanges]);
    for (
      const form of [
        password,
        JSON.stringify(password).slice(1, -1),
        encodeURIComponent(password),
        new URLSearchParams({ p: password }).toString().slice(2),
        clientSecret,
        basic,
      ]
    ) {
      equal(seen.includes(form), false, `${form} shows: ${seen.slice(0, 400)}`);
    }
  } finally {
    await server.shutdown();
  }
});

Deno.test("trust 14: the ws_access_token never shows in an exchange", async () => {
  await using e = inProcess({ rateLimits: false });
  const exchanges: Exchange[] = [];
  const rc = new RingCentral({ ...e.credentials, onExchange: (x) => exchanges.push(x) });
  const r = await (await rc.post("/restapi/oauth/wstoken")).json();
  const x = exchanges.find((x) => x.path === "/restapi/oauth/wstoken")!;
  equal(x.responseBody.includes(r.ws_access_token), false, x.responseBody);
  match(x.responseBody, /"ws_access_token" : "\[REDACTED\]"/);
});
