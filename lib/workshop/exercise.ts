/**
 * Checking a workshop step: the attendee's script runs in a folder of its
 * own against a fresh emulator served on 127.0.0.1, as a real set-up keeps
 * its files (`.env`, the server in `.env-sandbox`, the credentials in
 * `.env-sandbox.local`), with only the permissions it needs; then the step's
 * check reads what the emulator saw and what the script printed. Used by
 * `deno task exercise` (scripts/exercise.ts) and the playground's Workshop.
 * @module
 */
import { serve } from "../emulator/mod.ts";
import { exists } from "../files.ts";
import { type Run, type Step, STEPS } from "./steps.ts";

/** The project's folder: its `deno.json` maps `@rc-playground/ringcentral` for the attendee's script. */
const PROJECT_ROOT: string = new URL("../..", import.meta.url).pathname.replace(/\/$/, "");

/** Where attendees' files live by default: `workshop/step<N>.ts` of the project. */
export const WORKSHOP_DIR = `${PROJECT_ROOT}/workshop`;

/** The outcome of a check. */
export interface Outcome {
  /** The step. */
  step: Step;
  /** What is missing; empty when the step is done. */
  missing: string[];
}

/**
 * The step numbered `n`, or an `Error` listing the steps.
 */
function stepOf(n: string): Step {
  const step = STEPS[n];
  if (!step) {
    throw new Error(
      `There is no step ${n}. Steps: ${Object.entries(STEPS).map(([k, s]) => `${k} (${s.title})`).join(", ")}`,
    );
  }
  return step;
}

/** The attendee's file of step `n` in `dir`. */
export function stepFile(n: string, dir: string = WORKSHOP_DIR): string {
  return `${dir}/step${n}.ts`;
}

/** Whether the attendee has started step `n` (its file is in `dir`). */
export async function isStarted(n: string, dir: string = WORKSHOP_DIR): Promise<boolean> {
  return await exists(stepFile(n, dir));
}

/**
 * Puts step `n`'s starter in `dir` (over the attendee's file, if any).
 *
 * @example
 * ```ts
 * import { startStep, stepFile } from "./exercise.ts";
 * import { match } from "node:assert/strict";
 * const dir = await Deno.makeTempDir();
 * await startStep("1", dir);
 * match(await Deno.readTextFile(stepFile("1", dir)), /Workshop step 1/);
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function startStep(n: string, dir: string = WORKSHOP_DIR): Promise<void> {
  stepOf(n);
  await Deno.mkdir(dir, { recursive: true });
  await Deno.copyFile(`${PROJECT_ROOT}/workshop/starters/step${n}.ts`, stepFile(n, dir));
}

/** The goal of step `n`: the comment lines at the top of its starter. */
export async function goalOf(n: string): Promise<string[]> {
  const starter = await Deno.readTextFile(`${PROJECT_ROOT}/workshop/starters/step${n}.ts`);
  const lines: string[] = [];
  for (const line of starter.split("\n")) {
    if (!line.startsWith("//")) break;
    lines.push(line.replace(/^\/\/ ?/, ""));
  }
  return lines;
}

/**
 * Runs the script at `file` against a fresh emulator and checks step `n`.
 *
 * @example A script that does not do the step yet is told what is missing
 * ```ts
 * import { checkStep } from "./exercise.ts";
 * import { match } from "node:assert/strict";
 * const dir = await Deno.makeTempDir();
 * await Deno.writeTextFile(`${dir}/step1.ts`, 'console.log("hello");\n');
 * const { missing } = await checkStep("1", `${dir}/step1.ts`);
 * match(missing[0], /print the user's name \(Alice Admin\)/);
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function checkStep(n: string, file: string): Promise<Outcome> {
  const step = stepOf(n);
  await using served = serve({ ...step.emulator, rateLimits: true });
  const seeded = new Set(served.emulator.state.messages.map((m) => m.id));
  const dir = await Deno.makeTempDir({ prefix: "rc-exercise-" });
  try {
    await Deno.writeTextFile(`${dir}/.env`, "ENVIRONMENT=sandbox\n");
    const lines = (keys: (k: string) => boolean) =>
      Object.entries(served.env).filter(([k]) => keys(k)).map(([k, v]) => `${k}=${v}\n`).join("");
    await Deno.writeTextFile(`${dir}/.env-sandbox`, lines((k) => k === "RC_SERVER_URL"));
    await Deno.writeTextFile(`${dir}/.env-sandbox.local`, lines((k) => k !== "RC_SERVER_URL"));
    const out = await new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        `--config=${PROJECT_ROOT}/deno.json`,
        "--allow-net=127.0.0.1",
        `--allow-read=${dir}`,
        `--allow-write=${dir}`,
        "--allow-env",
        file,
      ],
      cwd: dir,
      env: scriptEnv(),
      clearEnv: true, // the check's own .env files decide, never an app configured in the attendee's shell
      stdin: "null",
      signal: AbortSignal.timeout(60_000),
    }).output();
    const run: Run = {
      code: out.code,
      stdout: new TextDecoder().decode(out.stdout),
      stderr: new TextDecoder().decode(out.stderr),
      state: served.emulator.state,
      sent: served.emulator.state.messages.filter((m) => m.direction === "Outbound" && !seeded.has(m.id)),
    };
    const crashed = run.code === 0
      ? []
      : [`the script stopped with exit code ${run.code}:\n${indent(lastLines(run.stderr))}`];
    return { step, missing: [...crashed, ...step.check(run)] };
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

/** What the attendee's script needs of this process's environment to run: the path, the home, Deno's cache. */
function scriptEnv(): Record<string, string> {
  const env: Record<string, string> = { NO_COLOR: "1" };
  for (const key of ["PATH", "HOME", "DENO_DIR", "XDG_CACHE_HOME", "TMPDIR"]) {
    const value = Deno.env.get(key);
    if (value !== undefined) env[key] = value;
  }
  return env;
}

function lastLines(text: string): string {
  return text.trim().split("\n").slice(-6).join("\n");
}

function indent(text: string): string {
  return text.split("\n").map((l) => `      ${l}`).join("\n");
}
