/**
 * Checking a workshop step: the attendee's script runs in a folder of its
 * own against a fresh emulator served on 127.0.0.1, as a real set-up keeps
 * its files (`.env`, the server in `.env-sandbox`, the credentials in
 * `.env-sandbox.local`), with only the permissions it needs; the emulator's
 * account is drawn from a seed of the check's own (./world.ts); then the
 * step's check reads what the emulator saw and what the script printed.
 * Also: running a step without a check (`--run`), starting a step over
 * (the old file kept as `.bak`), and the room's pre-flight. Used by
 * `deno task exercise` (scripts/exercise.ts) and the playground's Workshop.
 * @module
 */
import { createEmulator, type Emulator, serve } from "../emulator/mod.ts";
import { exists } from "../files.ts";
import { RequestLog, type Seen } from "./seen.ts";
import { doingText } from "./status.ts";
import { type Run, type Step, STEPS } from "./steps.ts";
import { drawWorld, randomSeed } from "./world.ts";

/** The project's folder: its `deno.json` maps `@rc-playground/ringcentral` for the attendee's script. */
const PROJECT_ROOT: string = new URL("../..", import.meta.url).pathname.replace(/\/$/, "");

/** Where attendees' files live by default: `workshop/step<N>.ts` of the project. */
export const WORKSHOP_DIR = `${PROJECT_ROOT}/workshop`;

/** Where the reference solutions are (each passes its check in the test suite). */
export const SOLUTIONS_DIR = `${PROJECT_ROOT}/tests/workshop`;

/**
 * How long a script may run, in ms: more than one window of the Heavy group
 * (60 s), so that a correct script that reads the company's 1,000+ numbers in
 * pages of 100 (11 or 12 Heavy requests: the client holds the eleventh for
 * the rest of the window) still passes, only slower.
 */
export const TIME_LIMIT_MS = 90_000;

/** The most output kept of a script (a script printing in a loop cannot fill the memory). */
const MAX_OUTPUT = 4_000_000;

/** Something a running script did: a request the emulator saw, or output. */
export type Activity =
  | { kind: "request"; seen: Seen }
  | { kind: "output"; stream: "stdout" | "stderr"; text: string };

/** Options of {@linkcode checkStep} and {@linkcode runStep}. */
export interface RunOptions {
  /** The seed the check's account is drawn from (a failure's seed checks on the same data). @default a new one */
  seed?: number;
  /** Cancels: the script is stopped, and the call rejects with the signal's reason. */
  signal?: AbortSignal;
  /** Ends the time limit now, when it aborts (for tests); the limit is {@linkcode TIME_LIMIT_MS} anyway. */
  limit?: AbortSignal;
  /** Told of each request and each output as they happen. */
  onActivity?: (activity: Activity) => void;
  /** The request log (its clock); a new one by default. */
  log?: RequestLog;
}

/** How a script's run ended. */
export interface ScriptRun {
  /** Exit code. */
  code: number;
  /** What it printed (at most 4 MB). */
  stdout: string;
  /** Its errors. */
  stderr: string;
  /** Whether it was stopped at the time limit. */
  timedOut: boolean;
  /** What the emulator saw. */
  seen: RequestLog;
}

/** The outcome of a check. */
export interface Outcome extends ScriptRun {
  /** The step. */
  step: Step;
  /** What is missing; empty when the step is done. */
  missing: string[];
  /** The seed the check's account was drawn from. */
  seed: number;
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
 * Puts step `n`'s starter in `dir`. An attendee's file that differs from
 * the starter is kept first, as `step<N>.ts.bak` (or `.bak2`, `.bak3`, …
 * when that name is taken); returns where.
 *
 * @example
 * ```ts
 * import { startStep, stepFile } from "./exercise.ts";
 * import { equal, match } from "node:assert/strict";
 * const dir = await Deno.makeTempDir();
 * await startStep("1", dir);
 * match(await Deno.readTextFile(stepFile("1", dir)), /Workshop step 1/);
 * await Deno.writeTextFile(stepFile("1", dir), "// my work\n");
 * const { backup } = await startStep("1", dir);
 * equal(backup, `${dir}/step1.ts.bak`);
 * equal(await Deno.readTextFile(backup!), "// my work\n");
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function startStep(n: string, dir: string = WORKSHOP_DIR): Promise<{ backup?: string }> {
  stepOf(n);
  await Deno.mkdir(dir, { recursive: true });
  const file = stepFile(n, dir);
  const starter = await Deno.readTextFile(`${PROJECT_ROOT}/workshop/starters/step${n}.ts`);
  let backup: string | undefined;
  if (await exists(file)) {
    const mine = await Deno.readTextFile(file);
    if (mine !== starter) {
      for (let i = 1; !backup; i++) {
        const name = `${file}.bak${i > 1 ? i : ""}`;
        try {
          await Deno.writeTextFile(name, mine, { createNew: true });
          backup = name;
        } catch (e) {
          if (!(e instanceof Deno.errors.AlreadyExists) || i >= 99) throw e;
        }
      }
    }
  }
  await Deno.writeTextFile(file, starter);
  return backup ? { backup } : {};
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
 * Runs the script at `file` against a fresh emulator whose account is drawn
 * from a seed, and checks step `n`. A script that runs out of time is
 * stopped, and the outcome says what it was doing.
 *
 * @example A script that does not do the step yet is told what is missing
 * ```ts
 * import { checkStep } from "./exercise.ts";
 * import { match } from "node:assert/strict";
 * const dir = await Deno.makeTempDir();
 * await Deno.writeTextFile(`${dir}/step1.ts`, 'console.log("Alice Admin (ext 101)");\n');
 * const { missing, seed } = await checkStep("1", `${dir}/step1.ts`, { seed: 7 });
 * match(missing[0], /print the user's name \([A-Z]\w+ [A-Z]\w+\)/);
 * match(String(seed), /^7$/);
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function checkStep(n: string, file: string, options: RunOptions = {}): Promise<Outcome> {
  const step = stepOf(n);
  const seed = options.seed ?? randomSeed();
  const emulator = createEmulator({ rateLimits: true, world: drawWorld(seed, step.world) });
  const seeded = new Set(emulator.state.messages.map((m) => m.id));
  const ran = await runAgainst(emulator, file, options);
  const state = emulator.state;
  const run: Run = {
    ...ran,
    state,
    sent: state.messages.filter((m) => m.direction === "Outbound" && !seeded.has(m.id)),
  };
  const stopped = ran.timedOut
    ? [`the script ran out of time: it was stopped after ${TIME_LIMIT_MS / 1000} s; ${doingText(ran.seen)}`]
    : ran.code === 0
    ? []
    : ran.code > 128
    ? [
      `the script was stopped from outside (signal ${ran.code - 128}, exit code ${ran.code}): it did not end by itself`,
    ]
    : [`the script stopped with exit code ${ran.code}:\n${indent(lastLines(ran.stderr, 6) || "(no error printed)")}`];
  const missing = [...stopped, ...step.check(run)];
  if (missing.length && ran.seen.requests.length === 0 && !ran.timedOut) {
    missing.push(
      `the script made no request: each check runs on an account of its own (seed ${seed}), so what it prints ` +
        "must come from the API",
    );
  }
  return { ...ran, step, seed, missing };
}

/**
 * Runs the script at `file` against a fresh emulator with the seed account
 * (Alice Admin's Acme Robotics, grown to the step's size), without a check:
 * what it prints is told as it comes (`onActivity`).
 *
 * @example
 * ```ts
 * import { runStep } from "./exercise.ts";
 * import { equal } from "node:assert/strict";
 * const dir = await Deno.makeTempDir();
 * await Deno.writeTextFile(`${dir}/step1.ts`, 'console.log("hello");\n');
 * const run = await runStep("1", `${dir}/step1.ts`);
 * equal(run.stdout, "hello\n");
 * equal(run.code, 0);
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function runStep(n: string, file: string, options: RunOptions = {}): Promise<ScriptRun> {
  const step = stepOf(n);
  return await runAgainst(createEmulator({ rateLimits: true, extensions: step.extensions }), file, options);
}

/** Serves `emulator` on loopback, and runs the script at `file` against it in a folder of its own. */
async function runAgainst(emulator: Emulator, file: string, options: RunOptions): Promise<ScriptRun> {
  const log = options.log ?? new RequestLog();
  log.account = emulator.state.account.id;
  log.me = emulator.state.extensions.find((e) => e.admin)?.id ?? emulator.state.extensions[0].id;
  log.onRequest = (seen) => options.onActivity?.({ kind: "request", seen });
  await using served = serve({ emulator, wrap: (handle) => log.wrap(handle) });
  const dir = await Deno.makeTempDir({ prefix: "rc-exercise-" });
  try {
    await Deno.writeTextFile(`${dir}/.env`, "ENVIRONMENT=sandbox\n");
    await Deno.writeTextFile(`${dir}/.env-sandbox`, `RC_SERVER_URL=${served.url}\n`);
    const { clientId, clientSecret, jwt } = served.credentials;
    await Deno.writeTextFile(
      `${dir}/.env-sandbox.local`,
      `RC_CLIENT_ID=${clientId}\nRC_CLIENT_SECRET=${clientSecret}\nRC_JWT=${jwt}\n`,
    );
    const ran = await runScript(file, dir, "127.0.0.1", options);
    await log.settled();
    return { ...ran, seen: log };
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

/**
 * Runs `deno run` on `file` in `dir` (which holds its `.env` files), with
 * network access to `net` only, until it ends, the time limit, or a cancel.
 */
export async function runScript(
  file: string,
  dir: string,
  net: string,
  { signal, limit, onActivity }: RunOptions = {},
): Promise<Omit<ScriptRun, "seen">> {
  signal?.throwIfAborted();
  const child = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      `--config=${PROJECT_ROOT}/deno.json`,
      `--allow-net=${net}`,
      `--allow-read=${dir}`,
      `--allow-write=${dir}`,
      "--allow-env",
      file,
    ],
    cwd: dir,
    env: scriptEnv(),
    clearEnv: true, // the check's own .env files decide, never an app configured in the attendee's shell
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  let timedOut = false;
  let killer: ReturnType<typeof setTimeout> | undefined;
  const stop = () => {
    try {
      child.kill("SIGTERM");
    } catch { /* already gone */ }
    // A script that ignores SIGTERM is killed 2 s later: the wait is bounded.
    killer ??= setTimeout(() => {
      try {
        child.kill("SIGKILL");
      } catch { /* already gone */ }
    }, 2000);
  };
  const timeLimit = AbortSignal.any([AbortSignal.timeout(TIME_LIMIT_MS), ...(limit ? [limit] : [])]);
  const onLimit = () => {
    timedOut = true;
    stop();
  };
  timeLimit.addEventListener("abort", onLimit, { once: true });
  signal?.addEventListener("abort", stop, { once: true });
  const read = async (stream: ReadableStream<Uint8Array>, name: "stdout" | "stderr") => {
    let text = "";
    for await (const chunk of stream.pipeThrough(new TextDecoderStream())) {
      text = text.length < MAX_OUTPUT
        ? text + chunk
        : text.slice(0, MAX_OUTPUT / 2) + text.slice(-MAX_OUTPUT / 4) + chunk;
      onActivity?.({ kind: "output", stream: name, text: chunk });
    }
    return text;
  };
  try {
    const [status, stdout, stderr] = await Promise.all([
      child.status,
      read(child.stdout, "stdout"),
      read(child.stderr, "stderr"),
    ]);
    signal?.throwIfAborted();
    return { code: status.code, stdout, stderr, timedOut };
  } finally {
    clearTimeout(killer);
    timeLimit.removeEventListener("abort", onLimit);
    signal?.removeEventListener("abort", stop);
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

/**
 * The last `n` lines of `text`, and how many there were.
 *
 * @example
 * ```ts
 * import { lastLines } from "./exercise.ts";
 * import { equal } from "node:assert/strict";
 * equal(lastLines("a\nb\nc\n", 2), "b\nc");
 * ```
 */
export function lastLines(text: string, n: number): string {
  return text.trimEnd().split("\n").slice(-n).join("\n");
}

function indent(text: string): string {
  return text.split("\n").map((l) => `      ${l}`).join("\n");
}

/**
 * What a failed check shows of the script's output: its last lines (and
 * its errors' last lines), so that an attendee sees what their script did.
 *
 * @example
 * ```ts
 * import { outputShown } from "./exercise.ts";
 * import { deepEqual } from "node:assert/strict";
 * deepEqual(outputShown({ stdout: "a\nb\n", stderr: "" }), ["Your script printed (2 lines):", "  │ a", "  │ b"]);
 * ```
 */
export function outputShown({ stdout, stderr }: { stdout: string; stderr: string }, n = 8): string[] {
  const shown: string[] = [];
  const block = (text: string, what: string) => {
    const all = text.trimEnd().split("\n");
    shown.push(
      all.length > n
        ? `${what} (the last ${n} of ${all.length} lines):`
        : `${what} (${all.length} line${all.length > 1 ? "s" : ""}):`,
      ...all.slice(-n).map((l) => `  │ ${l.length > 200 ? `${l.slice(0, 199)}…` : l}`),
    );
  };
  if (stdout.trim()) block(stdout, "Your script printed");
  else shown.push("Your script printed nothing.");
  if (stderr.trim()) block(stderr, "and on stderr");
  return shown;
}
