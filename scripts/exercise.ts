/**
 * `deno task exercise <step>`: checks a workshop step (docs/workshop.md).
 * Runs the attendee's `workshop/step<N>.ts` against a fresh emulator served
 * on 127.0.0.1, then checks what the emulator saw and what the script printed,
 * and says what is missing. `--reset` puts the step's starter file back;
 * `--file PATH` checks another file (the tests check the reference solutions).
 *
 *     deno task exercise 1 [--reset] [--file PATH]
 * @module
 */
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { serve } from "../lib/emulator/mod.ts";
import { type Run, STEPS } from "./exercise_steps.ts";

const ROOT = new URL("..", import.meta.url).pathname.replace(/\/$/, "");

async function main(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { reset: { type: "boolean" }, file: { type: "string" }, help: { type: "boolean", short: "h" } },
  });
  const n = positionals[0];
  const step = n ? STEPS[n] : undefined;
  if (values.help || !step) {
    console.log(
      `Usage: deno task exercise <step> [--reset] [--file PATH]\nSteps: ${
        Object.entries(STEPS).map(([k, s]) => `${k} (${s.title})`).join(", ")
      }. See docs/workshop.md.`,
    );
    return values.help ? 0 : 2;
  }
  const mine = `${ROOT}/workshop/step${n}.ts`;
  const starter = `${ROOT}/workshop/starters/step${n}.ts`;
  const exists = await Deno.stat(mine).then(() => true, () => false);
  if (values.reset || (!values.file && !exists)) {
    await Deno.copyFile(starter, mine);
    console.log(
      `workshop/step${n}.ts ${exists ? "is the starter again" : "is created from its starter"}: edit it, then run ` +
        `deno task exercise ${n} (or npx -y deno@2 task exercise ${n}) to check it`,
    );
    return values.reset ? 0 : 1;
  }
  const file = resolve(values.file ?? mine); // the script runs in a folder of its own
  await using served = serve({ ...step.emulator, rateLimits: true });
  const seeded = new Set(served.emulator.state.messages.map((m) => m.id));
  const dir = await Deno.makeTempDir({ prefix: "rc-exercise-" });
  try {
    await Deno.writeTextFile(`${dir}/.env`, "ENVIRONMENT=sandbox\n");
    // As a real set-up keeps them: the server in the tracked file, the credentials in the git-ignored .local one.
    const lines = (keys: (k: string) => boolean) =>
      Object.entries(served.env).filter(([k]) => keys(k)).map(([k, v]) => `${k}=${v}\n`).join("");
    await Deno.writeTextFile(`${dir}/.env-sandbox`, lines((k) => k === "RC_SERVER_URL"));
    await Deno.writeTextFile(`${dir}/.env-sandbox.local`, lines((k) => k !== "RC_SERVER_URL"));
    const out = await new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        `--config=${ROOT}/deno.json`,
        "--allow-net=127.0.0.1",
        `--allow-read=${dir}`,
        `--allow-write=${dir}`,
        "--allow-env",
        file,
      ],
      cwd: dir,
      env: { NO_COLOR: "1" },
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
    const missing = [
      ...(run.code === 0 ? [] : [`the script stopped with exit code ${run.code}:\n${indent(lastLines(run.stderr))}`]),
      ...step.check(run),
    ];
    if (missing.length === 0) {
      console.log(`✓ step ${n} (${step.title}) is done.`);
      return 0;
    }
    console.log(`✗ step ${n} (${step.title}) is not done yet:`);
    for (const m of missing) console.log(`  - ${m}`);
    console.log(`  (add --reset to start the step over from its starter)`);
    return 1;
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

function lastLines(text: string): string {
  return text.trim().split("\n").slice(-6).join("\n");
}

function indent(text: string): string {
  return text.split("\n").map((l) => `      ${l}`).join("\n");
}

if (import.meta.main) Deno.exit(await main(Deno.args));
