/**
 * Group 2, the call log: page through the whole seeded company call log
 * (`--calls 3000`: some 3,600 records over four weeks, 100 a page) under
 * the Heavy limit (10 requests a window, 2-second windows here), each
 * contender as its natural code would: this client with `paginate()`,
 * `@ringcentral/sdk` following `navigation.nextPage` with its
 * `handleRateLimit`, `@rc-ex/core` the same without a retry option. Reported:
 * 429s, penalties, failed pages, and the time as a ratio to the ideal the
 * limit allows.
 * @module
 */
import { SDK } from "@ringcentral/sdk";
import RingCentralExtensible from "@rc-ex/core";
import { RingCentral } from "../mod.ts";
import { emulatorProcess, type Figure, MemoryStorage } from "./_harness.ts";

const GROUP = "2. bulk under rate limits";
const WINDOW = 2;
const CALLS = 3000;
const LIMIT = 10; // Heavy: 10 a window
const COMPANY = "/restapi/v1.0/account/~/call-log";
type Page = { records: unknown[]; navigation?: { nextPage?: { uri?: string } } };

/** How each contender pages through the company's call log; returns the records read and the pages that failed. */
const CONTENDERS: Record<string, (env: Record<string, string>, dateFrom: string) => Promise<[number, number]>> = {
  async client(env, dateFrom) {
    const rc = new RingCentral({
      server: env.RC_SERVER_URL,
      clientId: env.RC_CLIENT_ID,
      clientSecret: env.RC_CLIENT_SECRET,
      jwt: env.RC_JWT,
    });
    let n = 0;
    for await (const _ of rc.paginate(COMPANY, { dateFrom, perPage: 100 })) n++;
    return [n, 0];
  },
  async "@ringcentral/sdk"(env, dateFrom) {
    const sdk = new SDK({
      server: env.RC_SERVER_URL,
      clientId: env.RC_CLIENT_ID,
      clientSecret: env.RC_CLIENT_SECRET,
      localStorage: new MemoryStorage() as unknown as Storage,
      handleRateLimit: true,
    });
    const platform = sdk.platform();
    await platform.login({ jwt: env.RC_JWT });
    return await follow((url) => platform.get(url).then((r) => r.json()), dateFrom);
  },
  async "@rc-ex/core"(env, dateFrom) {
    const rc = new RingCentralExtensible({
      server: env.RC_SERVER_URL,
      clientId: env.RC_CLIENT_ID,
      clientSecret: env.RC_CLIENT_SECRET,
    });
    await rc.authorize({ jwt: env.RC_JWT });
    return await follow(async (url) => (await rc.get(url)).data as Page, dateFrom);
  },
};

/** Follows `navigation.nextPage` from the first page; a page that fails is tried once more, then counted. */
async function follow(get: (url: string) => Promise<Page>, dateFrom: string): Promise<[number, number]> {
  let url: string | undefined = `${COMPANY}?dateFrom=${encodeURIComponent(dateFrom)}&perPage=100`;
  let n = 0, failed = 0;
  while (url) {
    const page: Page | undefined = await get(url).catch(() => get(url!)).catch(() => undefined);
    if (!page) {
      failed++;
      break;
    }
    n += page.records.length;
    url = page.navigation?.nextPage?.uri;
  }
  return [n, failed];
}

/** One contender against a fresh emulator: its time, the records it read, and the emulator's counts. */
async function measure(name: string, limits: boolean) {
  await using emu = await emulatorProcess([
    "--calls",
    String(CALLS),
    "--rate-window",
    String(WINDOW),
    "--rate-limits",
    limits ? "on" : "off",
  ]);
  const dateFrom = new Date(Date.now() - 29 * 86_400_000).toISOString();
  const before = await emu.stats();
  const t0 = performance.now();
  const [records, failed] = await CONTENDERS[name](emu.env, dateFrom);
  const seconds = (performance.now() - t0) / 1000;
  const after = await emu.stats();
  return {
    seconds,
    records,
    failed,
    tooMany: (after.statuses["429"] ?? 0) - (before.statuses["429"] ?? 0),
    penalties: after.penalties - before.penalties,
  };
}

/** Runs the job: the ideal first (this client, limits off), then each contender under the limit. */
export async function callLogPaging(): Promise<Figure[]> {
  const free = await measure("client", false);
  const pages = Math.ceil(free.records / 100);
  const ideal = (Math.ceil(pages / LIMIT) - 1) * WINDOW + free.seconds * (pages % LIMIT || LIMIT) / pages;
  const figures: Figure[] = [];
  for (const name of Object.keys(CONTENDERS)) {
    const r = await measure(name, true);
    const whole = r.records === free.records;
    const ratio = r.seconds / ideal;
    figures.push({
      group: GROUP,
      name:
        `page the company call log (${free.records} records, ${pages} pages, Heavy 10): ${name} (${r.tooMany} × 429, ` +
        `${r.penalties} penalties, ${whole ? "every record" : `${r.records} records`})`,
      value: r.seconds,
      unit: "s",
      ratio,
      baseline: `of the ideal ${ideal.toFixed(2)} s`,
      ...(name === "client"
        ? { goal: "0 × 429, every record, ≤ 1.05 of ideal", met: r.tooMany === 0 && whole && ratio <= 1.05 }
        : {}),
    });
  }
  return figures;
}

if (import.meta.main) {
  const { table } = await import("./_harness.ts");
  console.log(table(await callLogPaging()));
}
