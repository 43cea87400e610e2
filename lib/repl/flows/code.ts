/**
 * Write code: Deno's own REPL with `rc` ready and the helpers of the code
 * mode (lib/repl/code_mode.ts); Ctrl-D comes back to the menu. The calls
 * made there are recorded as they happen, in the session's recordings folder.
 * @module
 */
import type { Playground } from "../playground.ts";

const ROOT = new URL("../../../", import.meta.url);

/** The REPL's start-up code: the code mode's scope as globals. */
export function codeModeEval(options: { emulator: boolean; recordDir: string | null }): string {
  const module = new URL("lib/repl/code_mode.ts", ROOT).href;
  return `const { rc, extensions, myNumbers, sendSms, follow, api, help } = await (await import(${
    JSON.stringify(module)
  })).startCodeMode(${JSON.stringify(options)});`;
}

/** Runs the flow. */
export async function writeCode(s: Playground): Promise<void> {
  s.out.print("  Opening Deno's REPL with `rc` ready; Ctrl-D (or close()) comes back here.");
  const child = new Deno.Command(Deno.execPath(), {
    args: [
      "repl",
      "--allow-all",
      "--eval",
      codeModeEval({ emulator: s.context.builtInEmulator, recordDir: s.recorder?.dir ?? null }),
    ],
    cwd: ROOT.pathname,
    stdin: "inherit",
    stdout: "inherit",
    stderr: "inherit",
  }).spawn();
  const { code } = await child.status;
  s.out.print(code === 0 ? "  Back from code mode." : `  Code mode ended with exit code ${code}.`);
}
