/**
 * `deno task exercise <step>`: checks a workshop step (docs/workshop.md).
 * Runs the attendee's `workshop/step<N>.ts` against a fresh emulator served
 * on 127.0.0.1 and says what is missing (lib/workshop/). The first run
 * creates the file from the step's starter; `--reset` puts the starter back;
 * `--file PATH` checks another file (the tests check the reference solutions).
 *
 *     deno task exercise 1 [--reset] [--file PATH]
 * @module
 */
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { checkStep, isStarted, startStep, stepFile } from "../lib/workshop/exercise.ts";
import { STEPS } from "../lib/workshop/steps.ts";

async function main(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { reset: { type: "boolean" }, file: { type: "string" }, help: { type: "boolean", short: "h" } },
  });
  const n = positionals[0];
  if (values.help || !n || !STEPS[n]) {
    console.log(
      `Usage: deno task exercise <step> [--reset] [--file PATH]\nSteps: ${
        Object.entries(STEPS).map(([k, s]) => `${k} (${s.title})`).join(", ")
      }. See docs/workshop.md.`,
    );
    return values.help ? 0 : 2;
  }
  const mine = stepFile(n);
  const started = await isStarted(n);
  if (values.reset || (!values.file && !started)) {
    await startStep(n);
    console.log(
      `workshop/step${n}.ts ${started ? "is the starter again" : "is created from its starter"}: edit it, then run ` +
        `deno task exercise ${n} (or npx -y deno@2 task exercise ${n}) to check it`,
    );
    return values.reset ? 0 : 1;
  }
  const { step, missing } = await checkStep(n, resolve(values.file ?? mine));
  if (missing.length === 0) {
    console.log(`✓ step ${n} (${step.title}) is done.`);
    return 0;
  }
  console.log(`✗ step ${n} (${step.title}) is not done yet:`);
  for (const m of missing) console.log(`  - ${m}`);
  console.log(`  (add --reset to start the step over from its starter)`);
  return 1;
}

if (import.meta.main) Deno.exit(await main(Deno.args));
