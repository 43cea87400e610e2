/**
 * Processes sharing one token cache file: a refresh race across processes
 * at expiry under strict rotation.
 */
import { deepEqual, equal } from "node:assert/strict";
import { RingCentral } from "../../mod.ts";
import { advance, childEnv, JWT, ROOT, serveEmulator, stats, tempDir } from "../_helpers.ts";

const ME = "/restapi/v1.0/account/~/extension/~";

Deno.test("four processes at expiry share the cache file: one refresh, no invalid_grant", async () => {
  await using s = serveEmulator({ rateLimits: false, refreshGrace: 0 });
  await using dir = await tempDir();
  const env = { ...s.env, RC_USERNAME: "", RC_PASSWORD: "" };
  const first = await RingCentral.fromEnv({ dir: dir.path, env });
  await first.authenticate();
  // Time passes for everyone: the cache's timestamp and the emulator's clock move an hour.
  const cacheFile = `${dir.path}/tokens_sandbox.json`;
  const cache = JSON.parse(await Deno.readTextFile(cacheFile));
  cache.timestamp -= 3600_000;
  await Deno.writeTextFile(cacheFile, JSON.stringify(cache));
  await advance(s.url, 3600);
  const startAt = String(Date.now() + 1500); // after every child has started: they race
  const children = Array.from({ length: 4 }, () =>
    new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", `${ROOT}/tests/fixtures/client_call.ts`, ME, "3"],
      cwd: dir.path,
      env: childEnv({ ...env, START_AT: startAt }),
      clearEnv: true,
      stdout: "piped",
      stderr: "piped",
    }).output());
  const results = await Promise.all(children);
  for (const r of results) {
    equal(r.code, 0, new TextDecoder().decode(r.stderr));
    deepEqual(new TextDecoder().decode(r.stdout).trim().split("\n"), ["200", "200", "200"]);
  }
  const st = await stats(s.url);
  deepEqual(st.grants.refresh_token, { ok: 1, failed: 0 });
  deepEqual(st.grants[JWT], { ok: 1, failed: 0 });
});
