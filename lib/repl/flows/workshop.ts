/**
 * Workshop: the steps of docs/workshop.md, each started from its starter,
 * checked against a fresh emulator (as `deno task exercise <step>` does), or
 * started over; the goal shown from the starter's comments.
 * @module
 */
import type { Playground } from "../playground.ts";
import { checkStep, goalOf, isStarted, startStep, stepFile, WORKSHOP_DIR } from "../../workshop/exercise.ts";
import { STEPS } from "../../workshop/steps.ts";

/** Runs the flow. */
export async function workshop(s: Playground): Promise<void> {
  const dir = s.workshopDir ?? WORKSHOP_DIR;
  const started = new Set<string>();
  for (const n of Object.keys(STEPS)) if (await isStarted(n, dir)) started.add(n);
  const n = await s.prompter.select(
    "Which step? (docs/workshop.md)",
    Object.entries(STEPS).map(([k, step]) => ({
      name: `${k}. ${step.title}${started.has(k) ? "  (started)" : ""}`,
      value: k,
    })),
    { default: [...started].at(-1) },
  );
  const file = stepFile(n, dir);
  const shown = file.replace(`${Deno.cwd()}/`, "");
  if (!started.has(n)) {
    await startStep(n, dir);
    for (const line of await goalOf(n)) s.out.print(`  ${line}`);
    s.out.print(`  ✓ ${shown} is created from its starter: edit it, then come back here to check it.`);
    return;
  }
  const action = await s.prompter.select(`Step ${n}: ${STEPS[n].title}`, [
    { name: "Check it", value: "check", description: "Runs your file against a fresh emulator" },
    { name: "Show the goal", value: "goal" },
    { name: "Start over from the starter", value: "reset", description: "Your file is replaced" },
    { name: "Back", value: "back" },
  ]);
  if (action === "goal") {
    for (const line of await goalOf(n)) s.out.print(`  ${line}`);
  } else if (action === "reset") {
    if (!(await s.prompter.confirm(`Replace ${shown} with the starter? Your changes are lost`, { default: false }))) {
      return;
    }
    await startStep(n, dir);
    s.out.print(`  ✓ ${shown} is the starter again.`);
  } else if (action === "check") {
    s.out.print(`  Running ${shown} against a fresh emulator…`);
    const { step, missing } = await checkStep(n, file);
    if (missing.length === 0) {
      s.out.print(`  ✓ Step ${n} (${step.title}) is done.`);
      return;
    }
    s.out.print(`  ✗ Step ${n} (${step.title}) is not done yet:`);
    for (const m of missing) s.out.print(`    - ${m.replace(/\n/g, "\n      ")}`);
  }
}
