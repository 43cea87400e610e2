/**
 * Group 5, paging: every extension of a 1,000- and a 10,000-extension
 * account, 100 a page, through `paginate()` and through a hand-written raw
 * `fetch` loop, each in a process of its own: the time of the traversal as
 * a ratio to the raw loop, and the peak memory (it should not grow with the
 * number of records: one page at a time).
 * @module
 */
import { alternate, emulatorProcess, type Figure, median, ROOT } from "./_harness.ts";

const GROUP = "5. paging";

async function job(mode: "client" | "raw", env: Record<string, string>, expected: number) {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", `${ROOT}bench/_paging_job.ts`, mode, "100"],
    env,
    stdout: "piped",
    stderr: "piped",
  }).output();
  if (out.code !== 0) throw new Error(new TextDecoder().decode(out.stderr));
  const result = JSON.parse(new TextDecoder().decode(out.stdout)) as {
    seconds: number;
    records: number;
    peakRssMB: number;
  };
  if (result.records !== expected) throw new Error(`${mode}: ${result.records} records of ${expected}`);
  return result;
}

/** Runs group 5 with `reps` alternating runs. */
export async function paging({ reps = 7 } = {}): Promise<Figure[]> {
  const figures: Figure[] = [];
  const peaks: Record<number, number> = {};
  const rawPeaks: Record<number, number> = {};
  for (const count of [1000, 10000]) {
    await using emu = await emulatorProcess(["--extensions", String(count), "--rate-limits", "off"]);
    const memory: Record<string, number[]> = { client: [], raw: [] };
    const seconds = await alternate({
      raw: async () => {
        const r = await job("raw", emu.env, count);
        memory.raw.push(r.peakRssMB);
        return r.seconds;
      },
      client: async () => {
        const r = await job("client", emu.env, count);
        memory.client.push(r.peakRssMB);
        return r.seconds;
      },
    }, reps);
    peaks[count] = median(memory.client);
    rawPeaks[count] = median(memory.raw);
    figures.push(
      { group: GROUP, name: `${count} extensions: raw loop`, value: seconds.raw * 1000, unit: "ms" },
      {
        group: GROUP,
        name: `${count} extensions: paginate()`,
        value: seconds.client * 1000,
        unit: "ms",
        ratio: seconds.client / seconds.raw,
        baseline: "of the raw loop",
        goal: "≤ 1.10",
        met: seconds.client / seconds.raw <= 1.1,
      },
      { group: GROUP, name: `${count} extensions: peak memory, raw loop`, value: median(memory.raw), unit: "MB" },
      { group: GROUP, name: `${count} extensions: peak memory, paginate()`, value: peaks[count], unit: "MB" },
    );
  }
  // One page at a time: from 1,000 to 10,000 records the peak grows no more than the raw loop's (garbage, not records).
  const growth = peaks[10000] / peaks[1000];
  const rawGrowth = rawPeaks[10000] / rawPeaks[1000];
  figures.push({
    group: GROUP,
    name: `paginate() peak memory, 10,000 against 1,000 extensions (raw loop: ${rawGrowth.toFixed(2)}×)`,
    value: peaks[10000] - peaks[1000],
    unit: "MB more",
    ratio: growth,
    baseline: "of 1,000's",
    goal: "flat: ≤ the raw loop's growth + 0.05",
    met: growth <= rawGrowth + 0.05,
  });
  return figures;
}

if (import.meta.main) {
  const { table } = await import("./_harness.ts");
  console.log(table(await paging()));
}
