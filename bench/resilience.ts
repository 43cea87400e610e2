/**
 * Figures for what the client survives, against the emulator over loopback:
 *
 *     deno run -A bench/resilience.ts
 *
 * - N concurrent calls at expiry → refreshes
 * - 4 processes sharing the cache at expiry → refreshes and failures
 * - a burst of 3× the Light limit (window shortened to 2 s) → 429s and time against the ideal
 * - a cache writer killed with SIGKILL 200 times → torn files
 * @module
 */
import { RingCentral } from "../mod.ts";
import { JWT_GRANT } from "../lib/grants.ts";
import { serve as serveEmulator } from "../lib/emulator/mod.ts";
import { killWriters } from "../tests/fixtures/kill.ts"; // the cache-writer fixture the kill test uses too

async function tempDir(): Promise<{ path: string; [Symbol.asyncDispose](): Promise<void> }> {
  const path = await Deno.makeTempDir({ prefix: "rc-bench-" });
  return { path, [Symbol.asyncDispose]: () => Deno.remove(path, { recursive: true }) };
}

const ME = "/restapi/v1.0/account/~/extension/~";
const root = new URL("..", import.meta.url).pathname;

{
  const N = 200;
  let t = Date.now();
  await using s = serveEmulator({ now: () => t, rateLimits: false, refreshGrace: 0 });
  const rc = new RingCentral({ ...s.credentials, now: () => t });
  await rc.authenticate();
  t += 3600_000;
  const results = await Promise.allSettled(Array.from({ length: N }, () => rc.get(ME)));
  const st = s.emulator.state.stats;
  console.log(
    `${N} concurrent calls at expiry: ${st.grants.refresh_token?.ok ?? 0} refresh, ` +
      `${results.filter((r) => r.status === "rejected").length} failed calls`,
  );
}

{
  await using s = serveEmulator({ rateLimits: false, refreshGrace: 0 });
  await using dir = await tempDir();
  const env = { ...s.env, RC_USERNAME: "", RC_PASSWORD: "" };
  await (await RingCentral.fromEnv({ dir: dir.path, env })).authenticate();
  const file = `${dir.path}/tokens_sandbox.json`;
  const cache = JSON.parse(await Deno.readTextFile(file));
  cache.timestamp -= 3600_000;
  await Deno.writeTextFile(file, JSON.stringify(cache));
  s.emulator.advance(3600);
  const startAt = String(Date.now() + 1500);
  const outputs = await Promise.all(Array.from({ length: 4 }, () =>
    new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", `${root}tests/fixtures/client_call.ts`, ME, "5"],
      cwd: dir.path,
      env: { ...env, START_AT: startAt },
      stdout: "piped",
      stderr: "piped",
    }).output()));
  const st = s.emulator.state.stats;
  console.log(
    `4 processes at expiry (5 calls each): ${st.grants.refresh_token?.ok ?? 0} refresh, ` +
      `${st.grants.refresh_token?.failed ?? 0} failed refreshes, ${
        outputs.filter((o) => o.code !== 0).length
      } failed processes, ` +
      `${(st.grants[JWT_GRANT]?.ok ?? 0) - 1} extra logins`,
  );
}

{
  const windowS = 2;
  const limit = 50;
  await using s = serveEmulator({ rateWindow: windowS });
  const rc = new RingCentral(s.credentials);
  await rc.authenticate();
  const t0 = performance.now();
  await Promise.all(Array.from({ length: 3 * limit }, () => rc.get(ME)));
  const elapsed = (performance.now() - t0) / 1000;
  const st = s.emulator.state.stats;
  console.log(
    `burst of ${3 * limit} GETs (3× the Light limit of ${limit} per ${windowS} s): ${st.statuses["429"] ?? 0} × 429, ` +
      `${elapsed.toFixed(2)} s against an ideal of ${2 * windowS} s (two windows)`,
  );
}

{
  await using dir = await tempDir();
  const t0 = performance.now();
  const { torn, intact } = await killWriters(dir.path, 200);
  console.log(
    `cache writer killed with SIGKILL 200 times: ${torn} torn files, ${intact} intact ` +
      `(${((performance.now() - t0) / 1000).toFixed(1)} s)`,
  );
}
