/**
 * Group 1, client overhead: authenticated GETs (the current extension; a
 * 100-record extension page), one at a time and 16 at once, through raw
 * `fetch` with a fixed token (the baseline), this client, `@ringcentral/sdk`
 * and `@rc-ex/core`, against one emulator in its own process (rate limits
 * off, so every call does the full work). Each contender ends with the
 * parsed JSON, as user code would.
 * @module
 */
import { CONTENDERS } from "./_contenders.ts";
import { alternate, emulatorProcess, type Figure, rawLogin, throughput } from "./_harness.ts";

const GROUP = "1. client overhead";

/** Runs group 1: `calls` per run, `reps` alternating runs. */
export async function overhead({ calls = 2000, reps = 7 } = {}): Promise<Figure[]> {
  await using emu = await emulatorProcess(["--rate-limits", "off"]);
  const { env, url } = emu;
  const token = await rawLogin(env);
  const apis = await Promise.all(CONTENDERS.map((c) => c.connect(env)));
  const figures: Figure[] = [];
  const endpoints: [string, string, Record<string, string> | undefined][] = [
    ["current extension", "/restapi/v1.0/account/~/extension/~", undefined],
    ["extension page (100)", "/restapi/v1.0/account/~/extension", { perPage: "100" }],
  ];
  for (const [what, path, query] of endpoints) {
    const search = new URLSearchParams(query).toString();
    const full = `${url}${path}${search ? `?${search}` : ""}`;
    const headers = { Authorization: `Bearer ${token}`, Accept: "application/json" };
    const calls_: Record<string, () => Promise<unknown>> = {
      raw: async () => await (await fetch(full, { headers })).json(),
      ...Object.fromEntries(CONTENDERS.map((c, i) => [c.name, () => apis[i].get(path, query)])),
    };
    for (const concurrency of [1, 16]) {
      for (const call of Object.values(calls_)) await throughput(call, 50, concurrency); // warm up
      const medians = await alternate(
        Object.fromEntries(
          Object.entries(calls_).map(([name, call]) => [name, () => throughput(call, calls, concurrency)]),
        ),
        reps,
      );
      const mode = concurrency === 1 ? "sequential" : `${concurrency} concurrent`;
      // A guard, not a target: a real call takes 100 ms or more, and the rate limits allow a few a second.
      const floor = concurrency === 1 ? 0.8 : 0.6;
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
              goal: `≥ ${floor} and ahead of both SDKs`,
              met: ratio >= floor && rps > medians["@ringcentral/sdk"] && rps > medians["@rc-ex/core"],
            }
            : {}),
        });
      }
    }
  }
  return figures;
}

if (import.meta.main) {
  const { table } = await import("./_harness.ts");
  console.log(table(await overhead()));
}
