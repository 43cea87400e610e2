/**
 * `deno task exercise <step>`: checks a workshop step (docs/workshop.md).
 * Runs the attendee's `workshop/step<N>.ts` against a fresh emulator whose
 * account is drawn from a seed, and says what is missing (lib/workshop/),
 * with the script's last output lines. The first run creates the file from
 * the step's starter; `--reset` puts the starter back (the old file kept as
 * `.bak`); `--run` runs it against the seed account and shows its output,
 * without a check; `--seed N` checks on the data of an earlier check;
 * `--file PATH` checks another file; `--preflight` checks the room.
 *
 *     deno task exercise 1 [--run] [--reset] [--file PATH] [--seed N]
 *     deno task exercise --preflight [--server URL]
 * @module
 */
import { relative, resolve } from "node:path";
import { parseArgs } from "node:util";
import {
  checkStep,
  isStarted,
  outputShown,
  runStep,
  startStep,
  stepFile,
  TIME_LIMIT_MS,
} from "../lib/workshop/exercise.ts";
import { preflight } from "../lib/workshop/preflight.ts";
import { type Setup, setupFromEnv } from "../lib/from_env.ts";
import { reportToRoom } from "../lib/workshop/room.ts";
import { RequestLog } from "../lib/workshop/seen.ts";
import { CheckStatus, doingText } from "../lib/workshop/status.ts";
import { STEPS } from "../lib/workshop/steps.ts";
import { terminalColumns, wrapLine } from "../lib/repl/output.ts";

const PROJECT_ROOT = new URL("..", import.meta.url).pathname.replace(/\/$/, "");

const USAGE = `Usage: deno task exercise <step> [--run] [--reset] [--file PATH] [--seed N]
       deno task exercise --preflight [--server URL]

  (no option)   checks workshop/step<N>.ts (the first time: creates it from its starter)
  --run         runs it against a fresh emulator (the seed account) and shows its output; no check
  --reset       puts the starter back; your file is kept as workshop/step<N>.ts.bak
  --file PATH   checks (or runs) another file
  --seed N      checks on the data of an earlier check (each check prints its seed)
  --preflight   for the instructor: checks every reference solution on this machine, and with
                --server URL also against the room's shared emulator (RC_EMULATOR_KEY: its key)

Steps: ${Object.entries(STEPS).map(([k, s]) => `${k} (${s.title})`).join(", ")}. See docs/workshop.md.`;

const encoder = new TextEncoder();
const write = (text: string) => Deno.stdout.writeSync(encoder.encode(text));

/** A space the wrapping keeps (between "seed" and its number); printed as a space. */
const KEEP = "\u00a0";

/** Prints `text`, each line wrapped at spaces to the terminal's width (as it is; a pipe gets it whole). */
const say = (text = "") => {
  const columns = terminalColumns();
  for (const l of text.split("\n")) {
    for (const part of wrapLine(l, columns)) console.log(part.replaceAll(KEEP, " "));
  }
};

async function main(args: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      allowPositionals: true,
      options: {
        reset: { type: "boolean" },
        run: { type: "boolean" },
        file: { type: "string" },
        seed: { type: "string" },
        preflight: { type: "boolean" },
        server: { type: "string" },
        help: { type: "boolean", short: "h" },
      },
    });
  } catch (e) {
    say(`${(e as Error).message}\n\n${USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.preflight) {
    return await preflight({ server: values.server, key: Deno.env.get("RC_EMULATOR_KEY"), print: say }) ? 0 : 1;
  }
  const n = positionals[0];
  if (values.help || !n || !STEPS[n]) {
    say(n && !STEPS[n] ? `There is no step ${n}.\n\n${USAGE}` : USAGE);
    return values.help ? 0 : 2;
  }
  const seed = values.seed === undefined ? undefined : Number(values.seed);
  if (seed !== undefined && (!Number.isInteger(seed) || seed < 1)) {
    say(`--seed is the whole number a check printed, such as --seed 48213 (got "${values.seed}")`);
    return 2;
  }
  const mine = stepFile(n);
  const shown = relative(Deno.cwd(), mine) || mine;
  const started = await isStarted(n);
  if (values.reset || (!values.file && !started)) {
    const { backup } = await startStep(n);
    say(
      `${shown} ${started ? "is the starter again" : "is created from its starter"}` +
        (backup ? ` (your file is kept as ${relative(Deno.cwd(), backup)})` : "") +
        `: edit it, then run deno task exercise ${n} (or npx -y deno@2 task exercise ${n}) to check it`,
    );
    return values.reset ? 0 : 1;
  }
  const file = resolve(values.file ?? mine);
  const name = values.file ?? shown;
  return values.run ? await run(n, file, name) : await check(n, file, name, seed);
}

/** `--run`: the script's output as it comes, then how it ended. */
async function run(n: string, file: string, name: string): Promise<number> {
  say(`Running ${name} against a fresh emulator (the seed account: Alice Admin of Acme Robotics); no check.`);
  const start = Date.now();
  const ran = await runStep(n, file, {
    onActivity: (a) => {
      if (a.kind === "output") (a.stream === "stdout" ? Deno.stdout : Deno.stderr).writeSync(encoder.encode(a.text));
    },
  });
  const took = `${((Date.now() - start) / 1000).toFixed(1)} s, ${ran.seen.requests.length} requests`;
  if (ran.timedOut) {
    say(`\nThe script ran out of time: it was stopped after ${TIME_LIMIT_MS / 1000} s; ${doingText(ran.seen)}`);
    return 1;
  }
  say(
    `\n(${name} ended with exit code ${ran.code}, in ${took}. Check it: deno task exercise ${n}` +
      `${name.startsWith("workshop/") ? "" : ` --file ${name}`})`,
  );
  return ran.code === 0 ? 0 : 1;
}

/**
 * The project's setup, decided once from its `.env` files (the room's shared emulator, when they name one); nothing
 * when they cannot be read (the script's own run says what is wrong).
 */
async function roomSetup(): Promise<Setup | undefined> {
  try {
    return await setupFromEnv({ dir: PROJECT_ROOT, onNotice: () => {}, projectEmulator: false });
  } catch {
    return undefined;
  }
}

/** Checks the step with a live status, and says what is missing with the script's last lines. */
async function check(n: string, file: string, name: string, seed?: number): Promise<number> {
  const tty = Deno.stdout.isTerminal();
  const log = new RequestLog();
  const status = new CheckStatus(`checking step ${n}`, log, {
    tty,
    write,
    columns: tty ? Deno.consoleSize().columns : 80,
  });
  say(`Checking ${name} against a fresh emulator, on an account of its own…`);
  status.start();
  let pending = "";
  const outcome = await checkStep(n, file, {
    seed,
    log,
    onActivity: (a) => {
      if (a.kind !== "output" || a.stream !== "stderr") return;
      // The client's own notice when it holds a request back for a rate limit.
      const lines = (pending + a.text).split("\n");
      pending = lines.pop()!;
      for (const l of lines) if (l.startsWith("rate limit:")) status.line(l);
    },
  }).finally(() => status.stop());
  const { step, missing } = outcome;
  const took = `${(log.elapsed() / 1000).toFixed(1)} s, ${log.requests.length} requests, seed${KEEP}${outcome.seed}`;
  const own = file === resolve(stepFile(n));
  const again = `deno task exercise ${n}${own ? "" : ` --file ${name}`}`;
  if (missing.length === 0) {
    say(`✓ step ${n} (${step.title}) is done (${took}).`);
  } else {
    say(`✗ step ${n} (${step.title}) is not done yet (${took}):`);
    for (const m of missing) say(`  - ${m}`);
    for (const l of outputShown(outcome)) say(`  ${l}`);
    say(`  See it run:          ${again} --run`);
    say(`  The same data again: ${again} --seed${KEEP}${outcome.seed}`);
    // --reset puts back workshop/step<N>.ts, not a file named with --file.
    if (own) say(`  Start over:          deno task exercise ${n} --reset (your file is kept as a .bak)`);
  }
  const reported = await roomSetup().then((setup) =>
    setup && reportToRoom({ step: n, done: missing.length === 0, note: missing[0] }, setup)
  );
  if (reported) say(reported);
  return missing.length === 0 ? 0 : 1;
}

if (import.meta.main) Deno.exit(await main(Deno.args));
