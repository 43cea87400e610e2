/**
 * Group 2, bulk jobs under real rate limits (the emulator's, with 2-second
 * windows): read the details of every extension of a 200-extension account
 * (`GET …/extension/{id}`, Light: 50 a window), eight at a time, and send 60
 * SMS one after another (Medium: 40 a window). Each contender is written as
 * its natural code would be, with its own retry option where it has one
 * (`@ringcentral/sdk`: `handleRateLimit`; `@rc-ex/core` has none), against
 * an emulator of its own. Reported: 429s, penalties, failed calls, and the
 * time as a ratio to the ideal the limit allows.
 * @module
 */
import { type Contender, CONTENDERS } from "./_contenders.ts";
import { emulatorProcess, type Figure } from "./_harness.ts";

const GROUP = "2. bulk under rate limits";
const WINDOW = 2;
const ME = "/restapi/v1.0/account/~/extension/~";
const SMS = { from: { phoneNumber: "+16505550101" }, to: [{ phoneNumber: "+16505550199" }], text: "bulk" };

type Get = (path: string) => Promise<unknown>;
type Post = (path: string, body: unknown) => Promise<unknown>;

/** Runs `job` for one contender against a fresh emulator; returns its time and the emulator's counts. */
async function measure(
  contender: Contender,
  limits: boolean,
  job: (api: { get: Get; post: Post }, ids: number[]) => Promise<number>,
) {
  await using emu = await emulatorProcess([
    "--extensions",
    "200",
    "--rate-window",
    String(WINDOW),
    "--rate-limits",
    limits ? "on" : "off",
  ]);
  const api = await contender.connect(emu.env, { retries: true });
  const ids: number[] = [];
  for (let page = 1; page <= 2; page++) {
    const list = await api.get(`/restapi/v1.0/account/~/extension?perPage=100&page=${page}`) as {
      records: { id: number }[];
    };
    ids.push(...list.records.map((r) => r.id));
  }
  await new Promise((r) => setTimeout(r, WINDOW * 1000 + 100)); // a clean window for the job
  const before = await emu.stats();
  const t0 = performance.now();
  const failed = await job(api, ids);
  const seconds = (performance.now() - t0) / 1000;
  const after = await emu.stats();
  return {
    seconds,
    failed,
    tooMany: (after.statuses["429"] ?? 0) - (before.statuses["429"] ?? 0),
    penalties: after.penalties - before.penalties,
  };
}

/** Reads every extension's details, eight at a time; returns how many calls failed. */
async function readAll(api: { get: Get }, ids: number[]): Promise<number> {
  let next = 0;
  let failed = 0;
  await Promise.all(Array.from({ length: 8 }, async () => {
    while (next < ids.length) {
      const id = ids[next++];
      await api.get(`/restapi/v1.0/account/~/extension/${id}`).catch(() => failed++);
    }
  }));
  return failed;
}

/** Sends 60 SMS one after another; returns how many failed. */
async function sendAll(api: { post: Post }): Promise<number> {
  let failed = 0;
  for (let i = 0; i < 60; i++) await api.post(`${ME}/sms`, SMS).catch(() => failed++);
  return failed;
}

/** Runs group 2. */
export async function bulk(): Promise<Figure[]> {
  const figures: Figure[] = [];
  const jobs: [string, number, number, (api: { get: Get; post: Post }, ids: number[]) => Promise<number>][] = [
    ["read 200 extensions (Light 50)", 200, 50, readAll],
    ["send 60 SMS (Medium 40)", 60, 40, (api) => sendAll(api)],
  ];
  for (const [what, count, limit, job] of jobs) {
    // The ideal: the windows the limit imposes, plus the last batch at full speed (this client, limits off).
    const free = await measure(CONTENDERS[0], false, job);
    const lastBatch = count - (Math.ceil(count / limit) - 1) * limit;
    const ideal = (Math.ceil(count / limit) - 1) * WINDOW + free.seconds * lastBatch / count;
    for (const contender of CONTENDERS) {
      const r = await measure(contender, true, job);
      const ratio = r.seconds / ideal;
      figures.push({
        group: GROUP,
        name: `${what}: ${contender.name} (${r.tooMany} × 429, ${r.penalties} penalties, ${r.failed} failed)`,
        value: r.seconds,
        unit: "s",
        ratio,
        baseline: `of the ideal ${ideal.toFixed(2)} s`,
        ...(contender.name === "client"
          ? { goal: "0 × 429, ≤ 1.05 of ideal", met: r.tooMany === 0 && r.failed === 0 && ratio <= 1.05 }
          : {}),
      });
    }
  }
  return figures;
}

if (import.meta.main) {
  const { table } = await import("./_harness.ts");
  console.log(table(await bulk()));
}
