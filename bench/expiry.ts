/**
 * Group 3, token expiry under load, with strict rotation (a used refresh
 * token is dead at once): 50 concurrent calls just as the access token
 * expires, each answer delayed 0–50 ms at random, through this client and
 * both SDKs (each against an emulator of its own). Goal: one refresh, no
 * failure. (Processes sharing a cache at expiry and writers killed mid-write
 * are asserted by the tests: tests/e2e/processes_test.ts, kill_test.ts.)
 * @module
 */
import { CONTENDERS } from "./_contenders.ts";
import { emulatorProcess, type Figure } from "./_harness.ts";

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

/** Runs group 3. */
export async function expiry(): Promise<Figure[]> {
  const figures: Figure[] = [];
  // Processes racing at expiry and writers killed mid-write are correctness cases: tests/e2e/processes_test.ts and
  // tests/e2e/kill_test.ts assert them on every run.
  const runs = await Promise.all(
    CALLS.map(async ([name, connect]) => [`50 concurrent calls at expiry: ${name}`, await atExpiry(connect)] as const),
  );
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
