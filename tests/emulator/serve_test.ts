import { equal, match, ok } from "node:assert/strict";
import { createEmulator, serve } from "../../lib/emulator/mod.ts";

Deno.test("serve() binds 127.0.0.1 on a free port, wraps the handler, and gives working .env lines", async () => {
  const seen: string[] = [];
  let listening = "";
  const emulator = createEmulator();
  const served = serve({
    emulator,
    wrap: (handle) => async (request) => {
      seen.push(new URL(request.url).pathname);
      return await handle(request);
    },
    onListen: (url) => (listening = url),
  });
  try {
    match(served.url, /^http:\/\/127\.0\.0\.1:\d+$/);
    ok(served.port > 0);
    equal(listening, served.url);
    equal(served.emulator, emulator);
    equal(served.env.RC_SERVER_URL, served.url);
    equal(served.credentials.server, served.url);
    const r = await fetch(`${served.url}/restapi/oauth/token`, {
      method: "POST",
      headers: { Authorization: `Basic ${btoa(`${served.env.RC_CLIENT_ID}:${served.env.RC_CLIENT_SECRET}`)}` },
      body: new URLSearchParams({
        grant_type: "password",
        username: served.env.RC_USERNAME,
        password: served.env.RC_PASSWORD,
      }),
    });
    equal(r.status, 200);
    await r.body?.cancel();
    equal(seen[0], "/restapi/oauth/token");
  } finally {
    await served.close();
  }
  await served.finished;
});
