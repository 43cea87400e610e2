/**
 * The catalogue of bad input: every case asserts the exact message a user
 * sees (request ids shown as …). None may be a stack trace.
 */
import { equal, ok } from "node:assert/strict";
import { MemoryTokenStore, RingCentral } from "../../mod.ts";
import { JWT_ONLY_CLIENT_ID, JWT_ONLY_CLIENT_SECRET } from "../../lib/emulator/seed.ts";
import { ROOT, runDeno, type Served, serveEmulator, tempDir } from "../_helpers.ts";

const EXT = "/restapi/v1.0/account/~/extension/~";
const SMS = `${EXT}/sms`;
const SENDER = "+16505550101";
const ID = "(request id …)";

function sms(from: string, to: string, text: string) {
  return { from: { phoneNumber: from }, to: [{ phoneNumber: to }], text };
}

/** The message of what `fn` throws, with request ids normalised. */
async function messageOf(fn: () => unknown): Promise<string> {
  try {
    await fn();
  } catch (e) {
    return (e as Error).message.replace(/\(request id [0-9a-f-]{36}\)/g, ID);
  }
  return "(no error)";
}

async function withFiles(files: Record<string, string>, env: Record<string, string> = {}) {
  const dir = await tempDir();
  for (const [name, text] of Object.entries(files)) await Deno.writeTextFile(`${dir.path}/${name}`, text);
  try {
    return await messageOf(() => RingCentral.fromEnv({ dir: dir.path, env, onNotice: () => {} }));
  } finally {
    await dir[Symbol.asyncDispose]();
  }
}

async function fault(s: Served, body: unknown) {
  const r = await fetch(`${s.url}/__emulator/faults`, { method: "POST", body: JSON.stringify(body) });
  await r.body?.cancel();
}

const CREDS = "RC_CLIENT_ID=id\nRC_CLIENT_SECRET=secret\n";

Deno.test("bad input: each case gets its one clear message", async (t) => {
  await using s = serveEmulator({ rateLimits: false }, { validate: false });
  const rc = new RingCentral({ ...s.credentials, retries: 1, retryDelayMs: 1 });
  const cases: [string, () => Promise<string>, string][] = [
    // Configuration files.
    [
      "unknown ENVIRONMENT",
      () => withFiles({ ".env": "ENVIRONMENT=prod" }),
      'ENVIRONMENT in .env is "prod": use sandbox or production',
    ],
    [
      "unknown ENVIRONMENT variable",
      () => withFiles({}, { ENVIRONMENT: "live" }),
      'ENVIRONMENT in the ENVIRONMENT variable is "live": use sandbox or production',
    ],
    [
      "malformed URL",
      () => withFiles({ ".env-sandbox": `RC_SERVER_URL=platform.devtest\n${CREDS}RC_JWT=a.b.c` }),
      "RC_SERVER_URL in .env-sandbox is not a URL (a URL starts with https://). Use https://platform.devtest.ringcentral.com",
    ],
    [
      "non-https production URL",
      () =>
        withFiles({
          ".env": "ENVIRONMENT=production",
          ".env-production": `RC_SERVER_URL=http://platform.ringcentral.com\n${CREDS}RC_JWT=a.b.c`,
        }),
      'RC_SERVER_URL in .env-production must use https (got "http://platform.ringcentral.com"); plain http only to this machine or a private network address: a local emulator at 127.0.0.1. Use https://platform.ringcentral.com',
    ],
    [
      "URL from an environment variable",
      () => withFiles({ ".env-sandbox": `${CREDS}RC_JWT=a.b.c` }, { RC_SERVER_URL: "ftp://x" }),
      'RC_SERVER_URL in the RC_SERVER_URL environment variable must use https (got "ftp://x"); plain http only to this machine or a private network address: a local emulator at 127.0.0.1. Use https://platform.devtest.ringcentral.com',
    ],
    [
      "URL with a query",
      () => withFiles({ ".env-sandbox": `RC_SERVER_URL=https://platform.ringcentral.com?a=1\n${CREDS}RC_JWT=a.b.c` }),
      "RC_SERVER_URL in .env-sandbox must be a bare server URL (remove the query). Use https://platform.devtest.ringcentral.com",
    ],
    [
      "half-filled: no client id",
      () => withFiles({ ".env-sandbox": "RC_CLIENT_SECRET=s\nRC_JWT=a.b.c" }),
      "RC_CLIENT_ID is empty in .env-sandbox: copy your app's Client ID from the RingCentral Developer Console",
    ],
    [
      "half-filled: no client secret",
      () => withFiles({ ".env-sandbox": "RC_CLIENT_ID=id\nRC_JWT=a.b.c" }),
      "RC_CLIENT_SECRET is empty in .env-sandbox: copy your app's Client Secret from the RingCentral Developer Console",
    ],
    [
      "half-filled: no user credentials",
      () => withFiles({ ".env-sandbox": CREDS }),
      "RC_JWT is empty in .env-sandbox: set RC_JWT (recommended), RC_USERNAME and RC_PASSWORD, or RC_REDIRECT_URI to log in with a browser",
    ],
    [
      "half-filled: username without password",
      () => withFiles({ ".env-sandbox": `${CREDS}RC_USERNAME=+16505550100` }),
      "RC_PASSWORD is empty in .env-sandbox: set the password of RC_USERNAME, or use RC_JWT instead",
    ],
    [
      "half-filled: password without username",
      () => withFiles({ ".env-sandbox": `${CREDS}RC_PASSWORD=x` }),
      "RC_USERNAME is empty in .env-sandbox: set the login (phone number or email) that goes with RC_PASSWORD",
    ],
    [
      "a JWT that is not one",
      () => withFiles({ ".env-sandbox": `${CREDS}RC_JWT=paste-here` }),
      "RC_JWT in .env-sandbox is not a JWT (a JWT is one line of three parts separated by dots): create one under Credentials in the RingCentral Developer Console",
    ],
    [
      "a line that is not KEY=value",
      () => withFiles({ ".env-sandbox": "RC_CLIENT_ID id" }),
      "Cannot parse .env-sandbox: line 1 is not KEY=value: each line must be KEY=value, a # comment or empty, and a value must stay on one line (a JWT too)",
    ],
    [
      "a broken .env",
      () => withFiles({ ".env": "sandbox" }),
      "Cannot parse .env: line 1 is not KEY=value: each line must be KEY=value, a # comment or empty, and a value must stay on one line (a JWT too)",
    ],
    // Credentials.
    [
      "wrong password (OAU-140)",
      () => messageOf(() => new RingCentral({ ...s.passwordCredentials, password: "wrong" }).authenticate()),
      `POST /restapi/oauth/token failed: 400 OAU-140 Invalid resource owner credentials ${ID}. Wrong username, password or extension: check RC_USERNAME, RC_PASSWORD and RC_EXTENSION, or switch to RC_JWT`,
    ],
    [
      "unknown JWT (OAU-140)",
      () => messageOf(() => new RingCentral({ ...s.credentials, jwt: "e30.e30.x" }).authenticate()),
      `POST /restapi/oauth/token failed: 400 OAU-140 Invalid resource owner credentials ${ID}. The JWT was refused: it may be expired or revoked, or made for another app or environment. Create a new JWT credential in the RingCentral Developer Console and put it in RC_JWT`,
    ],
    [
      "unknown client id (OAU-153)",
      () => messageOf(() => new RingCentral({ ...s.credentials, clientId: "typo" }).authenticate()),
      `POST /restapi/oauth/token failed: 400 OAU-153 Invalid client: typo ${ID}. Unknown client id: copy RC_CLIENT_ID from your app in the RingCentral Developer Console`,
    ],
    [
      "wrong client secret (OAU-146)",
      () => messageOf(() => new RingCentral({ ...s.credentials, clientSecret: "nope" }).authenticate()),
      `POST /restapi/oauth/token failed: 401 OAU-146 Invalid client credentials ${ID}. Wrong client id or secret: copy both again from the RingCentral Developer Console (a public app, which logs in with a browser, has no secret: leave RC_CLIENT_SECRET empty)`,
    ],
    [
      "password grant not enabled (OAU-251)",
      () =>
        messageOf(() =>
          new RingCentral({
            ...s.passwordCredentials,
            clientId: JWT_ONLY_CLIENT_ID,
            clientSecret: JWT_ONLY_CLIENT_SECRET,
          })
            .authenticate()
        ),
      `POST /restapi/oauth/token failed: 400 OAU-251 Unauthorized for this grant type ${ID}. Your app is not allowed this login method: enable the JWT (or password) grant in the app's Auth settings, or use the other credentials`,
    ],
    [
      "no credentials and no tokens",
      () => messageOf(() => new RingCentral({ server: s.url, clientId: "emulator-client-id" }).authenticate()),
      "POST /restapi/oauth/token failed: No valid token and no credentials to log in with. Set RC_JWT (or RC_USERNAME and RC_PASSWORD, or RC_REDIRECT_URI for a browser login) in your .env file",
    ],
    // SMS.
    [
      "recipient not E.164",
      () => messageOf(() => rc.post(SMS, sms(SENDER, "650-555-0199", "hi"))),
      `POST ${SMS} failed: 400 CMN-101 Parameter [to] value is invalid. ${ID}`,
    ],
    [
      "recipient is an extension (MSG-246)",
      () => messageOf(() => rc.post(SMS, sms(SENDER, "102", "hi"))),
      `POST ${SMS} failed: 400 MSG-246 Sending SMS from/to extension numbers is not available ${ID}. SMS cannot go to or from an extension number: use full E.164 numbers like +16505550123`,
    ],
    [
      "sender not the user's (MSG-245)",
      () => messageOf(() => rc.post(SMS, sms("+14155550100", "+16505550199", "hi"))),
      `POST ${SMS} failed: 400 MSG-245 Parameter [from] value [14155550100] is invalid [Cannot find the phone number which belongs to user] ${ID}. The from number does not belong to this user: pick one from /restapi/v1.0/account/~/extension/~/phone-number`,
    ],
    [
      "sender without SmsSender (MSG-367)",
      () => messageOf(() => rc.post(SMS, sms("+16505550100", "+16505550199", "hi"))),
      `POST ${SMS} failed: 403 MSG-367 from phone number does not support SMS ${ID}. This number cannot send SMS: pick a number whose features include SmsSender`,
    ],
    [
      "empty text",
      () => messageOf(() => rc.post(SMS, sms(SENDER, "+16505550199", ""))),
      `POST ${SMS} failed: 400 CMN-101 Parameter [text] value is invalid. ${ID}`,
    ],
    [
      "text too long",
      () => messageOf(() => rc.post(SMS, sms(SENDER, "+16505550199", "x".repeat(1200)))),
      `POST ${SMS} failed: 400 CMN-101 Parameter [text] value is invalid. Text length is 1200; at most 1000 characters (UTF-16 units) are allowed. ${ID}`,
    ],
    // Paths.
    [
      "unknown path (AGW-404)",
      // @ts-expect-error a path in no operation is a type error too
      () => messageOf(() => rc.get("/restapi/v1.0/acount/~")),
      `GET /restapi/v1.0/acount/~ failed: 404 AGW-404 Resource not found ${ID}. No such API path: check the URL against the API reference`,
    ],
    [
      "unknown message id (CMN-102)",
      () => messageOf(() => rc.get(`${EXT}/message-store/123`)),
      `GET ${EXT}/message-store/123 failed: 404 CMN-102 Resource for parameter [messageId] is not found ${ID}. Nothing exists at that id: check the id (message ids come from the message store)`,
    ],
    [
      "a path without the leading slash",
      // @ts-expect-error a path in no operation is a type error too
      () => messageOf(() => rc.get("restapi/v1.0/account/~")),
      'The path must start with "/", e.g. "/restapi/v1.0/account/~" (got "restapi/v1.0/account/~")',
    ],
    [
      "a URL of another host",
      () => messageOf(() => rc.request("GET", "https://example.com/restapi/v1.0/account/~")),
      `Refusing to send credentials to https://example.com: the client is for ${s.url} and its media host ${
        s.url.replace(/\d+$/, (port) => String(Number(port) + 1))
      }`,
    ],
    // What comes back.
    [
      "an HTML 502 from a proxy",
      async () => {
        await fault(s, {
          path: "/restapi/v1.0/account/~",
          status: 502,
          body: "<html><body>502 Bad Gateway</body></html>",
        });
        return await messageOf(() => rc.get("/restapi/v1.0/account/~"));
      },
      "GET /restapi/v1.0/account/~ failed: 502 Bad Gateway: HTML instead of JSON (a proxy or gateway answered, not the RingCentral API). The server or a proxy in between failed; try again later",
    ],
    [
      "an empty error body",
      async () => {
        await fault(s, { path: "/restapi/v1.0/account/~", status: 500, body: "" });
        return await messageOf(() => rc.get("/restapi/v1.0/account/~"));
      },
      "GET /restapi/v1.0/account/~ failed: 500 Internal Server Error: empty response body. The server or a proxy in between failed; try again later",
    ],
    [
      "rate limited after every retry",
      async () => {
        await fault(s, { path: "/restapi/v1.0/account/~", status: 429, retryAfter: 0, times: 2 });
        return await messageOf(() => rc.get("/restapi/v1.0/account/~"));
      },
      `GET /restapi/v1.0/account/~ failed: 429 CMN-301 Request rate exceeded ${ID}. Too many requests in this rate-limit group: wait for Retry-After before sending more`,
    ],
    [
      "connection refused",
      async () => {
        const closed = Deno.listen({ hostname: "127.0.0.1", port: 0 });
        const port = (closed.addr as Deno.NetAddr).port;
        closed.close();
        const client = new RingCentral({ ...s.credentials, server: `http://127.0.0.1:${port}`, retries: 0 });
        return await messageOf(() => client.get("/restapi/v1.0/account/~"));
      },
      "POST /restapi/oauth/token failed: Cannot connect to http://127.0.0.1:PORT (connection refused). Check RC_SERVER_URL, and that the server (or `deno task emulator`) is running",
    ],
    [
      "a timeout",
      async () => {
        const slow = new RingCentral({ ...s.credentials, timeoutMs: 50, tokenStore: new MemoryTokenStore() });
        await slow.authenticate();
        await fault(s, { path: "/restapi/v1.0/account/~", delayMs: 300 });
        return await messageOf(() => slow.get("/restapi/v1.0/account/~"));
      },
      "GET /restapi/v1.0/account/~ failed: No answer within 50 ms. Check your network and RC_SERVER_URL, then try again",
    ],
    [
      "a session revoked elsewhere, without credentials to log in again",
      async () => {
        const store = new MemoryTokenStore();
        await new RingCentral({ ...s.credentials, tokenStore: store }).authenticate();
        const revoke = await fetch(`${s.url}/restapi/oauth/revoke`, {
          method: "POST",
          headers: { Authorization: `Basic ${btoa(`${s.credentials.clientId}:${s.credentials.clientSecret}`)}` },
          body: new URLSearchParams({ token: (await store.load())!.tokens.access_token }),
        });
        await revoke.body?.cancel();
        const { server, clientId, clientSecret } = s.credentials;
        const tokensOnly = new RingCentral({ server, clientId, clientSecret, tokenStore: store });
        return await messageOf(() => tokensOnly.get("/restapi/v1.0/account/~"));
      },
      `POST /restapi/oauth/token failed: 400 OAU-211 Token revoked ${ID}. The session was revoked (logged out elsewhere): log in again`,
    ],
  ];
  ok(cases.length >= 30, `${cases.length} cases`);
  for (const [name, run, expected] of cases) {
    await t.step(name, async () => {
      const message = (await run()).replace(
        /127\.0\.0\.1:\d+ \(connection refused\)/,
        "127.0.0.1:PORT (connection refused)",
      );
      equal(message, expected);
      equal(/\n\s+at /.test(message), false, "no stack trace");
    });
  }
});

Deno.test("bad input through the demo: one line on stderr, no stack trace", async () => {
  await using dir = await tempDir();
  const closed = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (closed.addr as Deno.NetAddr).port;
  closed.close();
  await Deno.writeTextFile(`${dir.path}/.env-sandbox`, `RC_SERVER_URL=http://127.0.0.1:${port}\nRC_CLIENT_ID=id\n`);
  await Deno.writeTextFile(`${dir.path}/.env-sandbox.local`, `RC_CLIENT_SECRET=s\nRC_JWT=a.b.c\n`);
  const r = await runDeno(["run", "-A", `${ROOT}/scripts/demo.ts`, "+16505550199"], { cwd: dir.path, clearEnv: true });
  equal(r.code, 1);
  equal(
    r.stderr.trim(),
    `POST /restapi/oauth/token failed: Cannot connect to http://127.0.0.1:${port} (connection refused). Check RC_SERVER_URL, and that the server (or \`deno task emulator\`) is running`,
  );
});
