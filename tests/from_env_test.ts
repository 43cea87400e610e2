import { deepEqual, equal, ok } from "node:assert/strict";
import { RingCentral } from "../mod.ts";
import { JWT, serveEmulator, stats, tempDir } from "./_helpers.ts";

const EXT = "/restapi/v1.0/account/~/extension";

Deno.test("RingCentral.fromEnv() keeps tokens in tokens_<environment>.json across clients", async () => {
  await using served = serveEmulator();
  await using dir = await tempDir();
  const env = { ...served.env, RC_USERNAME: "", RC_PASSWORD: "" };
  const a = await RingCentral.fromEnv({ dir: dir.path, env });
  equal(a.target, "emulator");
  await a.authenticate();
  const saved = JSON.parse(await Deno.readTextFile(`${dir.path}/tokens_sandbox.json`));
  ok(typeof saved.timestamp === "number" && saved.tokens.access_token && saved.tokens.refresh_token);
  equal((await Deno.stat(`${dir.path}/tokens_sandbox.json`)).mode! & 0o777, 0o600);
  const b = await RingCentral.fromEnv({ dir: dir.path, env });
  await b.get(`${EXT}/~`);
  deepEqual((await stats(served.url)).grants[JWT], { ok: 1, failed: 0 }, "the second client reused the cache");
});

Deno.test("RingCentral.fromEnv() with no credentials uses the built-in emulator and says so once", async () => {
  await using dir = await tempDir();
  const notices: string[] = [];
  const rc = await RingCentral.fromEnv({ dir: dir.path, env: {}, onNotice: (m) => notices.push(m) });
  equal(rc.target, "emulator");
  ok(rc.emulator);
  deepEqual(notices, [
    "No credentials in .env-sandbox: using the built-in RingCentral emulator (offline). To use your RingCentral account, fill RC_CLIENT_ID, RC_CLIENT_SECRET and RC_JWT in .env-sandbox.",
  ]);
  const me = await (await rc.get(`${EXT}/~`)).json();
  equal(me.name, "Alice Admin");
});
