/**
 * Group 1, client overhead: authenticated GETs (the current extension; a
 * 100-record extension page), one at a time and 16 at once, through raw
 * `fetch` with a fixed token (the baseline), this client, `@ringcentral/sdk`
 * and `@rc-ex/core`, against one emulator in its own process (rate limits
 * off, so every call does the full work). Each contender ends with the
 * parsed JSON, as user code would.
 * @module
 */
import { SDK } from "@ringcentral/sdk";
import RingCentralExtensible from "@rc-ex/core";
import { RingCentral } from "../mod.ts";
import { alternate, emulatorProcess, type Figure, MemoryStorage, rawLogin, throughput } from "./_harness.ts";

const GROUP = "1. client overhead";

/** Runs group 1: `calls` per run, `reps` alternating runs. */
export async function overhead({ calls = 2000, reps = 7 } = {}): Promise<Figure[]> {
  await using emu = await emulatorProcess(["--rate-limits", "off"]);
  const { env, url } = emu;
  const token = await rawLogin(env);
  const rc = new RingCentral({
    server: url,
    clientId: env.RC_CLIENT_ID,
    clientSecret: env.RC_CLIENT_SECRET,
    jwt: env.RC_JWT,
  });
  await rc.authenticate();
  const sdk = new SDK({
    server: url,
    clientId: env.RC_CLIENT_ID,
    clientSecret: env.RC_CLIENT_SECRET,
    localStorage: new MemoryStorage() as unknown as Storage,
  });
  const platform = sdk.platform();
  await platform.login({ jwt: env.RC_JWT });
  const rcex = new RingCentralExtensible({
    server: url,
    clientId: env.RC_CLIENT_ID,
    clientSecret: env.RC_CLIENT_SECRET,
  });
  await rcex.authorize({ jwt: env.RC_JWT });

  const figures: Figure[] = [];
  const endpoints: [string, string, Record<string, string>][] = [
    ["current extension", "/restapi/v1.0/account/~/extension/~", {}],
    ["extension page (100)", "/restapi/v1.0/account/~/extension", { perPage: "100" }],
  ];
  for (const [what, path, query] of endpoints) {
    const search = new URLSearchParams(query).toString();
    const full = `${url}${path}${search ? `?${search}` : ""}`;
    const headers = { Authorization: `Bearer ${token}`, Accept: "application/json" };
    const calls_ = {
      raw: async () => await (await fetch(full, { headers })).json(),
      client: async () => await (await rc.get(path, query)).json(),
      "@ringcentral/sdk": async () => await (await platform.get(path, query)).json(),
      "@rc-ex/core": async () => (await rcex.get(path, query)).data,
    };
    for (const concurrency of [1, 16]) {
      for (const call of Object.values(calls_)) await throughput(call, 50, concurrency); // warm up
      const medians = await alternate(
        Object.fromEntries(
          Object.entries(calls_).map(([name, call]) => [name, () => throughput(call, calls, concurrency)]),
        ) as Record<keyof typeof calls_, () => Promise<number>>,
        reps,
      );
      const mode = concurrency === 1 ? "sequential" : `${concurrency} concurrent`;
      for (const [name, rps] of Object.entries(medians)) {
        const ratio = rps / medians.raw;
        figures.push({
          group: GROUP,
          name: `${what}, ${mode}: ${name}`,
          value: rps,
          unit: "req/s",
          ratio,
          baseline: "of raw fetch",
          ...(name === "client"
            ? {
              goal: "≥ 0.90 and ahead of both SDKs",
              met: ratio >= 0.9 && rps > medians["@ringcentral/sdk"] && rps > medians["@rc-ex/core"],
            }
            : {}),
        });
      }
    }
  }
  await rc.logout();
  return figures;
}

if (import.meta.main) {
  const { table } = await import("./_harness.ts");
  console.log(table(await overhead()));
}
