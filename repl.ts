/**
 * The playground: `deno task start [--env sandbox|production|emulator]
 * [--record-dir DIR] [--no-record]`. Guided flows for authentication,
 * extensions, SMS and any request, each recorded as a replayable script.
 * @module
 */
import { parseFlags } from "./lib/cli_args.ts";
import type { Emulator } from "./lib/emulator/mod.ts";
import { configEnv } from "./lib/config.ts";
import { noBrowser, type Setup, setupFromEnv } from "./lib/from_env.ts";
import { InquirerPrompter } from "./lib/repl/inquirer.ts";
import { runMenu } from "./lib/repl/menu.ts";
import { TerminalOutput } from "./lib/repl/output.ts";
import { Recorder } from "./lib/repl/recorder.ts";
import { Playground } from "./lib/repl/playground.ts";

const USAGE = `Usage: deno task start [options]

  --env sandbox|production|emulator   which settings to use (default: ENVIRONMENT in .env);
                                      emulator = the built-in emulator, whatever is configured
  --record-dir DIR                    where flows are recorded (default scripts/recorded)
  --no-record                         do not record
  --no-browser                        a browser login prints its URL and takes the pasted answer,
                                      without opening a browser (also RC_NO_BROWSER=1)
  --help                              this help`;

interface Flags {
  env?: "sandbox" | "production" | "emulator";
  recordDir: string;
  record: boolean;
  browser: boolean;
}

/** Parses the command line; throws an Error that says what is wrong. */
export function parseFlagsOfRepl(args: string[]): Flags | "help" {
  const flags = parseFlags(args, {
    env: { type: "string" },
    "record-dir": { type: "string" },
    "no-record": { type: "boolean" },
    "no-browser": { type: "boolean" },
    help: { type: "boolean", short: "h" },
  });
  if (flags.help) return "help";
  const env = flags.env as string | undefined;
  if (env !== undefined && env !== "sandbox" && env !== "production" && env !== "emulator") {
    throw new Error(`--env must be sandbox, production or emulator (got "${env}")`);
  }
  return {
    env,
    recordDir: (flags["record-dir"] as string | undefined) ?? "scripts/recorded",
    record: flags["no-record"] !== true,
    browser: flags["no-browser"] !== true,
  };
}

async function main(args: string[]): Promise<number> {
  let flags: Flags | "help";
  try {
    flags = parseFlagsOfRepl(args);
  } catch (e) {
    console.error(`${(e as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (flags === "help") {
    console.log(USAGE);
    return 0;
  }
  if (!Deno.stdin.isTerminal()) {
    console.error(
      "The playground asks questions, so it needs a terminal: run `deno task start` in one " +
        "(not with its input redirected). For scripts, see scripts/demo.ts and the recordings in scripts/recorded/.",
    );
    return 2;
  }
  const out = new TerminalOutput();
  let setup: Setup;
  try {
    // --env emulator reads no file: whatever is configured, even a broken file, is not used.
    const env = { ...configEnv(), ...(flags.env && flags.env !== "emulator" ? { ENVIRONMENT: flags.env } : {}) };
    setup = await setupFromEnv({ env, useEmulator: flags.env === "emulator", onNotice: (m) => out.print(m) });
  } catch (e) {
    console.error((e as Error).message);
    return 1;
  }
  // On its built-in emulator, with none running for the project, the playground serves its own as the project's
  // while it runs: a script or notebook started here then sees the same messages. (--env emulator keeps it private.)
  const shared = setup.emulator && !setup.forced ? await shareEmulator(setup) : undefined;
  if (shared) {
    setup = { ...setup, projectEmulator: shared.project };
    out.print(
      `This playground's emulator is this project's while it runs (${shared.project.url}): scripts, notebooks and ` +
        `code mode started in this folder with nothing configured use it. Dashboard: ${shared.project.url}/__emulator/ui`,
    );
    for (const signal of ["SIGTERM", "SIGHUP"] as const) {
      try {
        Deno.addSignalListener(signal, () => {
          shared.withdraw();
          Deno.exit(143);
        });
      } catch { /* not on every system */ }
    }
  }
  const prompter = new InquirerPrompter(out); // live lines (events) show above a waiting menu
  const paste = !flags.browser || noBrowser();
  const session = Playground.start({
    prompter,
    out,
    setup,
    recorder: flags.record ? new Recorder({ dir: flags.recordDir }) : undefined,
    clientOptions: {
      // A browser login prints through the playground, and takes a pasted answer through its prompt.
      browser: {
        open: !paste,
        paste,
        print: (line) => out.print(`  ${line}`),
        readLine: () => prompter.input("Paste the address the browser ended on"),
      },
    },
    onInterrupt: (handler) => {
      Deno.addSignalListener("SIGINT", handler);
      return () => Deno.removeSignalListener("SIGINT", handler);
    },
  });
  try {
    await runMenu(session);
  } finally {
    await shared?.close();
  }
  return 0;
}

/** Serves the playground's built-in emulator as the project's (see lib/emulator/world/publish.ts), when it may. */
async function shareEmulator(setup: Setup) {
  const { projectEmulatorOff } = await import("./lib/project_emulator.ts");
  if (projectEmulatorOff()) return undefined;
  const { shareAsProjectEmulator } = await import("./lib/emulator/world/publish.ts");
  // The built-in emulator of a setup is one createEmulator() made (lib/from_env.ts): the whole emulator.
  return shareAsProjectEmulator(setup.emulator as Emulator, { by: "the playground" });
}

if (import.meta.main) {
  try {
    Deno.exit(await main(Deno.args));
  } catch (e) {
    console.error(`The playground stopped: ${(e as Error)?.message ?? e}`);
    Deno.exit(1);
  }
}
