/**
 * `deno task bench`: every benchmark group against the emulator over
 * loopback, one table on stdout, the same figures as JSON in
 * bench/results.json. Each figure is a median over alternating repetitions,
 * quoted as a ratio to its baseline measured in the same run.
 *
 *     deno task bench [--only 1,3] [--out FILE]
 * @module
 */
import { parseArgs } from "node:util";
import { bulk } from "./bulk.ts";
import { callLogPaging } from "./call_log.ts";
import { emulator } from "./emulator.ts";
import { events } from "./events.ts";
import { expiry } from "./expiry.ts";
import { type Figure, ROOT, table } from "./_harness.ts";
import { overhead } from "./overhead.ts";
import { paging } from "./paging.ts";
import { startup } from "./startup.ts";

const GROUPS: [string, () => Promise<Figure[]>][] = [
  ["1", () => overhead()],
  ["2", async () => [...await bulk(), ...await callLogPaging()]],
  ["3", expiry],
  ["4", () => startup()],
  ["5", () => paging()],
  ["6", () => emulator()],
  ["7", events],
];

const { values } = parseArgs({ args: Deno.args, options: { only: { type: "string" }, out: { type: "string" } } });
const only = values.only?.split(",");
const started = performance.now();
const figures: Figure[] = [];
for (const [n, run] of GROUPS) {
  if (only && !only.includes(n)) continue;
  const t0 = performance.now();
  figures.push(...await run());
  console.error(`group ${n} done in ${((performance.now() - t0) / 1000).toFixed(0)} s`);
}
console.log(table(figures));
const missed = figures.filter((f) => f.met === false);
const summary = {
  date: new Date().toISOString(),
  deno: Deno.version.deno,
  command: `deno task bench${Deno.args.length ? ` ${Deno.args.join(" ")}` : ""}`,
  seconds: Math.round((performance.now() - started) / 1000),
  goalsMissed: missed.map((f) => `${f.group}: ${f.name}`),
  figures,
};
const out = values.out ?? `${ROOT}bench/results.json`;
await Deno.writeTextFile(out, JSON.stringify(summary, null, 2) + "\n");
console.log(
  `\n${
    figures.filter((f) => f.met).length
  } goals met, ${missed.length} missed; ${summary.seconds} s; figures in ${out}`,
);
