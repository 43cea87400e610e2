/**
 * A playground session for tests: scripted answers, buffered output, a
 * recorder in a temporary folder, against the built-in emulator or a
 * served one configured through .env variables.
 * @module
 */
import { createEmulator, type Emulator } from "../../lib/emulator/mod.ts";
import { type Grant, setupFromEnv } from "../../lib/from_env.ts";
import { runMenu } from "../../lib/repl/menu.ts";
import { BufferOutput } from "../../lib/repl/output.ts";
import { type Answer, ScriptedPrompter } from "../../lib/repl/prompt.ts";
import { Recorder } from "../../lib/repl/recorder.ts";
import { Playground } from "../../lib/repl/playground.ts";
import type { RingCentralOptions } from "../../mod.ts";
import { replayArgs } from "../../lib/repl/flows/recordings.ts";
import { equal, match, ok } from "node:assert/strict";
import { ROOT, runDeno } from "../_helpers.ts";

/** Options of {@linkcode replSession}. */
export interface ReplOptions {
  /** Folder for the token cache and recordings. */
  dir: string;
  /** Variables (RC_SERVER_URL, ...) over the .env files in `dir`; without them the built-in emulator is used. */
  env?: Record<string, string>;
  /** Grants offered. @default ["jwt", "password", "browser"] */
  grants?: Grant[];
  /** The built-in emulator to use. */
  emulator?: Emulator;
  /** Record the flows. @default true */
  record?: boolean;
  /** Make the client believe it talks to production. */
  production?: boolean;
  /** Dispatch a "sigint" event on it to press Ctrl-C while the session waits on the network. */
  interrupt?: EventTarget;
  /** Where the workshop's files go. @default `${dir}/workshop` */
  workshopDir?: string;
  /** More options of the playground's client (a clock, say). */
  clientOptions?: Partial<RingCentralOptions>;
}

/** A session with scripted answers; `run()` plays the menu until the answers say Quit. */
export async function replSession(answers: Answer[], options: ReplOptions) {
  const prompter = new ScriptedPrompter(answers);
  const out = new BufferOutput();
  const recorder = new Recorder({ dir: `${options.dir}/recorded` });
  const builtIn = !options.env;
  const emulator = builtIn ? options.emulator ?? createEmulator() : undefined;
  const setup = await setupFromEnv({
    dir: options.dir,
    env: options.env ?? {},
    emulator,
    onNotice: (m) => out.print(m),
  });
  if (options.grants) setup.grants = options.grants;
  const session = Playground.start({
    prompter,
    out,
    setup,
    recorder: options.record === false ? undefined : recorder,
    pollMs: 20,
    workshopDir: options.workshopDir ?? `${options.dir}/workshop`,
    onInterrupt: (handler) => {
      options.interrupt?.addEventListener("sigint", handler);
      return () => options.interrupt?.removeEventListener("sigint", handler);
    },
    clientOptions: {
      retryDelayMs: 1,
      browser: { open: false, paste: false, print: (line) => out.print(`  ${line}`) },
      ...(options.production ? { target: "production" as const } : {}),
      ...options.clientOptions,
    },
  });
  return { session, prompter, out, recorder, emulator, run: () => runMenu(session) };
}

/** The recordings (scripts) written to `dir/recorded`, sorted; their `.curl.sh` companions aside. */
export function recordings(dir: string): string[] {
  try {
    return [...Deno.readDirSync(`${dir}/recorded`)].filter((e) => e.name.endsWith(".ts"))
      .map((e) => `${dir}/recorded/${e.name}`).sort();
  } catch {
    return [];
  }
}

/** Replays a recording as its header says, with --check; returns its output. */
export async function replays(file: string): Promise<string> {
  const args = replayArgs(await Deno.readTextFile(file));
  ok(args, `${file} has its replay command`);
  const r = await runDeno([...args, "--check"], { cwd: ROOT, clearEnv: true });
  equal(r.code, 0, `${file}\n${r.stdout}\n${r.stderr}`);
  match(r.stdout, /check: every answer matches the recording/);
  return r.stdout;
}
