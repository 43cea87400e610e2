/**
 * Workshop: the steps of docs/workshop.md, each started from its starter,
 * checked against a fresh emulator on an account of its own (as `deno task
 * exercise <step>` does; Ctrl-C cancels the check, not the playground), run
 * to see its output, or started over (the old file kept as `.bak`); the goal
 * shown from the starter's comments.
 * @module
 */
import type { Playground } from "../playground.ts";
import {
  checkStep,
  goalOf,
  isStarted,
  lastLines,
  outputShown,
  runStep,
  startStep,
  stepFile,
  TIME_LIMIT_MS,
  WORKSHOP_DIR,
} from "../../workshop/exercise.ts";
import { reportToRoom } from "../../workshop/room.ts";
import { doingText } from "../../workshop/status.ts";
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
    {
      name: "Check it",
      value: "check",
      description: "Runs your file against a fresh emulator, on an account of its own",
    },
    { name: "Run it", value: "run", description: "Runs your file against a fresh emulator and shows what it prints" },
    { name: "Show the goal", value: "goal" },
    { name: "Start over from the starter", value: "reset", description: "Your file is kept as a .bak" },
    { name: "Back", value: "back" },
  ]);
  if (action === "goal") {
    for (const line of await goalOf(n)) s.out.print(`  ${line}`);
  } else if (action === "reset") {
    if (!(await s.prompter.confirm(`Replace ${shown} with the starter? (your file is kept as a .bak)`))) return;
    const { backup } = await startStep(n, dir);
    s.out.print(
      `  ✓ ${shown} is the starter again.${
        backup ? ` Your file is kept as ${backup.replace(`${Deno.cwd()}/`, "")}.` : ""
      }`,
    );
  } else if (action === "run") {
    const run = await s.waitFor(
      `Running ${shown} against a fresh emulator (Ctrl-C stops it)`,
      (signal) => runStep(n, file, { signal }),
    );
    const out = lastLines(run.stdout, 40);
    s.out.print(out ? out.split("\n").map((l) => `  │ ${l}`).join("\n") : "  (it printed nothing)");
    if (run.stderr.trim()) s.out.print(lastLines(run.stderr, 10).split("\n").map((l) => `  ! ${l}`).join("\n"));
    s.out.print(
      run.timedOut
        ? `  It ran out of time: stopped after ${TIME_LIMIT_MS / 1000} s; ${doingText(run.seen)}`
        : `  It ended with exit code ${run.code} after ${run.seen.requests.length} requests.`,
    );
  } else if (action === "check") {
    const outcome = await s.waitFor(
      `Checking ${shown} against a fresh emulator (Ctrl-C cancels the check)`,
      (signal) =>
        checkStep(n, file, {
          signal,
          onActivity: (a) => {
            // The client's own notice when it holds a request back for a rate limit.
            if (a.kind === "output" && a.stream === "stderr") {
              for (const l of a.text.split("\n")) if (l.startsWith("rate limit:")) s.out.print(`  ${l}`);
            }
          },
        }),
    );
    const { step, missing, seed } = outcome;
    if (missing.length === 0) {
      s.out.print(`  ✓ Step ${n} (${step.title}) is done (seed ${seed}).`);
    } else {
      s.out.print(`  ✗ Step ${n} (${step.title}) is not done yet (seed ${seed}):`);
      for (const m of missing) s.out.print(`    - ${m.replace(/\n/g, "\n      ")}`);
      for (const l of outputShown(outcome)) s.out.print(`    ${l}`);
    }
    // The playground's own setup: started with --env emulator, it names no room, whatever the .env files say.
    const reported = await reportToRoom({ step: n, done: missing.length === 0, note: missing[0] }, s.setup);
    if (reported) s.out.print(`  ${reported}`);
  }
}
