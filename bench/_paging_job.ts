/**
 * One traversal of every extension, for bench/paging.ts, in its own process
 * (so its peak memory is its own): `deno run -A bench/_paging_job.ts client|raw PER_PAGE`
 * with RC_* variables pointing at an emulator. Prints `{ seconds, records, peakRssMB }`.
 * @module
 */
import { RingCentral } from "../mod.ts";
import { rawLogin } from "./_harness.ts";

const [mode, perPage = "100"] = Deno.args;
const env = Deno.env.toObject();
const path = "/restapi/v1.0/account/~/extension";
let peak = 0;
const sample = () => (peak = Math.max(peak, Deno.memoryUsage().rss));
let records = 0;
let seconds: number;
if (mode === "client") {
  const rc = new RingCentral({
    server: env.RC_SERVER_URL,
    clientId: env.RC_CLIENT_ID,
    clientSecret: env.RC_CLIENT_SECRET,
    jwt: env.RC_JWT,
  });
  await rc.authenticate();
  const t0 = performance.now();
  for await (const _ of rc.paginate(path, { perPage })) {
    if (++records % Number(perPage) === 0) sample();
  }
  seconds = (performance.now() - t0) / 1000;
} else {
  const token = await rawLogin(env);
  const headers = { Authorization: `Bearer ${token}`, Accept: "application/json" };
  const t0 = performance.now();
  let url: string | undefined = `${env.RC_SERVER_URL}${path}?perPage=${perPage}`;
  while (url) {
    const page = await (await fetch(url, { headers })).json();
    for (const _ of page.records) records++;
    sample();
    url = page.navigation?.nextPage?.uri;
  }
  seconds = (performance.now() - t0) / 1000;
}
sample();
console.log(JSON.stringify({ seconds, records, peakRssMB: peak / 1024 / 1024 }));
