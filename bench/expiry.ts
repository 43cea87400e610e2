/**
 * Group 3, token expiry under load, with strict rotation (a used refresh
 * token is dead at once): 50 concurrent calls just as the access token
 * expires, each answer delayed 0–50 ms at random, through this client and
 * both SDKs (each against an emulator of its own); and four processes
 * sharing one token cache file at expiry (this client). Goal: one refresh,
 * no failure. And a cache writer killed at random moments: never a torn file.
 * @module
 */
import { RingCentral } from "../mod.ts";
import { CONTENDERS } from "./_contenders.ts";
import { emulatorProcess, type Figure, ROOT } from "./_harness.ts";
import { killWriters } from "../tests/fixtures/kill.ts"; // the cache-writer fixture the kill test uses too

const GROUP = "3. token expiry under load";
const ME = "/restapi/v1.0/account/~/extension/~";
const TTL = 4;
/** Short tokens, strict rotation (no grace for a used refresh token), no rate limits. */
const STRICT = ["--access-ttl", String(TTL), "--refresh-grace", "0", "--rate-limits", "off"];

type Call = () => Promise<unknown>;

/** The contenders, each reduced to one call of the current extension. */
const CALLS: [string, (env: Record<string, string>) => Promise<Call>][] = CONTENDERS.map((c) => [
  c.name,
  async (env) => {
    const api = await c.connect(env);
    return () => api.get(ME);
  },
]);

/** 50 concurrent calls at expiry for one contender: its refreshes, logins and failed calls. */
async function atExpiry(connect: (env: Record<string, string>) => Promise<Call>) {
  await using emu = await emulatorProcess(STRICT);
  const call = await connect(emu.env);
  await new Promise((r) => setTimeout(r, TTL * 1000)); // the access token has just expired
  await emu.fault({ path: ME, delayMs: [0, 50], times: 200 });
  const results = await Promise.allSettled(Array.from({ length: 50 }, call));
  const { grants } = await emu.stats();
  return {
    refreshes: grants.refresh_token?.ok ?? 0,
    failedRefreshes: grants.refresh_token?.failed ?? 0,
    logins: Object.entries(grants).filter(([g]) => g !== "refresh_token").reduce((n, [, v]) => n + v.ok, 0) - 1,
    failed: results.filter((r) => r.status === "rejected").length,
  };
}

/** Four processes sharing a cache file at expiry (strict rotation): refreshes, extra logins, failed processes. */
async function processes() {
  await using emu = await emulatorProcess(STRICT);
  const dir = await Deno.makeTempDir({ prefix: "rc-bench-" });
  try {
    const env = { ...emu.env, RC_USERNAME: "", RC_PASSWORD: "" };
    await (await RingCentral.fromEnv({ dir, env })).authenticate();
    await new Promise((r) => setTimeout(r, TTL * 1000));
    const startAt = String(Date.now() + 1500); // all four start together, after their start-up
    const outputs = await Promise.all(Array.from({ length: 4 }, () =>
      new Deno.Command(Deno.execPath(), {
        args: ["run", "-A", `${ROOT}tests/fixtures/client_call.ts`, ME, "5"],
        cwd: dir,
        env: { ...env, START_AT: startAt },
        stdout: "piped",
        stderr: "piped",
      }).output()));
    const { grants } = await emu.stats();
    const jwt = Object.entries(grants).find(([g]) => g.includes("jwt"))?.[1].ok ?? 0;
    return {
      refreshes: grants.refresh_token?.ok ?? 0,
      failedRefreshes: grants.refresh_token?.failed ?? 0,
      logins: jwt - 1,
      failed: outputs.filter((o) => o.code !== 0).length,
    };
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

/** Runs group 3. */
export async function expiry(): Promise<Figure[]> {
  const figures: Figure[] = [];
  const runs = await Promise.all([
    ...CALLS.map(async ([name, connect]) =>
      [`50 concurrent calls at expiry: ${name}`, await atExpiry(connect)] as const
    ),
    processes().then((r) => ["4 processes sharing the cache at expiry: client", r] as const),
  ]);
  const dir = await Deno.makeTempDir({ prefix: "rc-bench-" });
  try {
    const { torn } = await killWriters(dir, 50);
    figures.push({
      group: GROUP,
      name: "a cache writer killed with SIGKILL 50 times at random moments",
      value: torn,
      unit: "torn caches",
      goal: "0",
      met: torn === 0,
    });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
  for (const [name, r] of runs) {
    const isClient = name.endsWith(": client");
    figures.push({
      group: GROUP,
      name: `${name} (${r.failedRefreshes} failed refreshes, ${r.logins} extra logins, ${r.failed} failed calls)`,
      value: r.refreshes,
      unit: "refreshes",
      ...(isClient
        ? { goal: "1 refresh, 0 failures", met: r.refreshes === 1 && r.failed === 0 && r.failedRefreshes === 0 }
        : {}),
    });
  }
  return figures;
}

if (import.meta.main) {
  const { table } = await import("./_harness.ts");
  console.log(table(await expiry()));
}
