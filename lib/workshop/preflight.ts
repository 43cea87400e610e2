/**
 * The room's pre-flight (`deno task exercise --preflight [--server URL]`):
 * before the session, on the room's machine, every reference solution is
 * checked as an attendee's check runs (a fresh emulator each), and, given
 * the room's shared emulator, the room's page answers, the instructor's key
 * opens the progress view, and every reference solution runs against the
 * room as its admin.
 * @module
 */
import { EMULATOR_CLIENT_ID, EMULATOR_CLIENT_SECRET } from "../emulator/seed.ts";
import { checkStep, runScript, SOLUTIONS_DIR, stepFile } from "./exercise.ts";
import { STEPS } from "./steps.ts";

/** Options of {@linkcode preflight}. */
export interface PreflightOptions {
  /** The room's shared emulator, such as `http://192.168.1.10:8787`. */
  server?: string;
  /** The instructor's key (`RC_EMULATOR_KEY`), to check the progress view. */
  key?: string;
  /** Where each line of the report goes. */
  print: (line: string) => void;
  /** The solutions' folder. @default tests/workshop of the project */
  solutions?: string;
  /** How many scripts run at once. @default 4 */
  concurrency?: number;
}

/** Runs `work` on each item, `n` at a time, keeping the order of the results. */
async function pool<T, R>(items: T[], n: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await work(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(n, items.length) }, worker));
  return results;
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/**
 * Runs the pre-flight; returns whether everything passed.
 *
 * @example Solutions that are not there fail, each said
 * ```ts
 * import { preflight } from "./preflight.ts";
 * import { equal, match } from "node:assert/strict";
 * const lines: string[] = [];
 * const dir = await Deno.makeTempDir(); // no solution in it
 * equal(await preflight({ print: (l) => lines.push(l), solutions: dir }), false);
 * match(lines.join("\n"), /✗ step 1 \(who am I\?\) fails/);
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function preflight(options: PreflightOptions): Promise<boolean> {
  const { print, concurrency = 4 } = options;
  const solutions = options.solutions ?? SOLUTIONS_DIR;
  const steps = Object.keys(STEPS);
  let ok = true;
  print("Pre-flight on this machine: each reference solution, checked as an attendee's check runs");
  const results = await pool(steps, concurrency, async (n) => {
    const start = Date.now();
    try {
      const outcome = await checkStep(n, stepFile(n, solutions));
      return { n, ms: Date.now() - start, missing: outcome.missing, seed: outcome.seed };
    } catch (e) {
      return { n, ms: Date.now() - start, missing: [(e as Error).message], seed: 0 };
    }
  });
  for (const r of results) {
    ok &&= r.missing.length === 0;
    print(
      r.missing.length === 0
        ? `  ✓ step ${r.n} (${STEPS[r.n].title}) passes, in ${seconds(r.ms)}`
        : `  ✗ step ${r.n} (${STEPS[r.n].title}) fails (seed ${r.seed}): ${r.missing[0].split("\n")[0]}`,
    );
  }
  if (options.server) ok = await room(options.server, options, solutions, steps, concurrency) && ok;
  print(
    ok
      ? "Pre-flight passed."
      : "Pre-flight failed: fix what is marked ✗ before the session (docs/workshop.md, For the instructor).",
  );
  return ok;
}

/** The room's part: its page, the key, and each reference solution against it as its admin. */
async function room(
  server: string,
  { key, print }: PreflightOptions,
  solutions: string,
  steps: string[],
  concurrency: number,
): Promise<boolean> {
  const url = server.replace(/\/+$/, "");
  print(`Pre-flight against the room's emulator at ${url}`);
  try {
    const page = await fetch(`${url}/__emulator/room`, { signal: AbortSignal.timeout(5000) });
    await page.body?.cancel();
    if (page.status !== 200) throw new Error(`it answers ${page.status}: is it started with deno task emulator:room?`);
    print("  ✓ the room's page answers (attendees join there)");
  } catch (e) {
    print(
      `  ✗ the room's page does not answer at ${url}/__emulator/room: ${(e as Error).message} ` +
        "(is deno task emulator:room running on that machine, and is this the address it printed?)",
    );
    return false;
  }
  let ok = true;
  if (key) {
    const progress = await fetch(`${url}/__emulator/room/progress`, {
      headers: { "X-Emulator-Key": key },
      signal: AbortSignal.timeout(5000),
    });
    await progress.body?.cancel();
    ok = progress.status === 200;
    print(
      ok
        ? "  ✓ the instructor's key opens the progress view"
        : `  ✗ the key is refused (${progress.status}): use the RC_EMULATOR_KEY the room printed on its stderr`,
    );
  } else {
    print("  · the progress view is not checked: give the room's key as RC_EMULATOR_KEY to check it");
  }
  if (!ok || !key) {
    // A room takes only the JWTs it signed: the admin's is the instructor's, asked for with the key.
    if (!key) print("  · the reference solutions are not run against the room: it needs the key (RC_EMULATOR_KEY)");
    return ok;
  }
  const signed = await fetch(`${url}/__emulator/room/jwt?extension=101`, {
    headers: { "X-Emulator-Key": key },
    signal: AbortSignal.timeout(5000),
  });
  if (signed.status !== 200) {
    await signed.body?.cancel();
    print(`  ✗ the room did not give the admin's JWT (${signed.status}): is it started by this version?`);
    return false;
  }
  const { jwt } = await signed.json() as { jwt: string };
  const host = new URL(url).host;
  const dir = await Deno.makeTempDir({ prefix: "rc-preflight-" });
  try {
    await Deno.writeTextFile(`${dir}/.env`, "ENVIRONMENT=sandbox\n");
    await Deno.writeTextFile(`${dir}/.env-sandbox`, `RC_SERVER_URL=${url}\nRC_SHARED_EMULATOR=yes\n`);
    await Deno.writeTextFile(
      `${dir}/.env-sandbox.local`,
      `RC_CLIENT_ID=${EMULATOR_CLIENT_ID}\nRC_CLIENT_SECRET=${EMULATOR_CLIENT_SECRET}\nRC_JWT=${jwt}\n`,
    );
    print("  each reference solution, as the room's admin (steps 3 and 8 send SMS in the admin's name):");
    const results = await pool(steps, concurrency, async (n) => {
      const start = Date.now();
      const ran = await runScript(stepFile(n, solutions), dir, host);
      return { n, ms: Date.now() - start, ...ran };
    });
    for (const r of results) {
      const passed = r.code === 0 && !r.timedOut && r.stdout.trim() !== "";
      ok &&= passed;
      print(
        passed
          ? `  ✓ step ${r.n} (${STEPS[r.n].title}) runs, in ${seconds(r.ms)}`
          : `  ✗ step ${r.n} (${STEPS[r.n].title}) ${
            r.timedOut ? "ran out of time" : `stopped with exit code ${r.code}`
          }: ${r.stderr.trim().split("\n").slice(-3).join(" / ") || "(nothing printed)"}`,
      );
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
  return ok;
}
