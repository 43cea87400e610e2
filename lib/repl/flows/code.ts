/**
 * Write code: Deno's own REPL with `rc` ready and the helpers of the code
 * mode (lib/repl/code_mode.ts); Ctrl-D comes back to the menu. The calls
 * made there are recorded as they happen, in the session's recordings folder.
 * @module
 */
import type { Playground } from "../playground.ts";
import type { Grant } from "../../from_env.ts";
import type { InProcessEmulator } from "../../options.ts";
import type { ProjectEmulator } from "../../project_emulator.ts";

const ROOT = new URL("../../../", import.meta.url);

/**
 * The REPL's start-up code: the code mode's scope as globals.
 *
 * @example
 * ```ts
 * import { codeModeEval } from "./code.ts";
 * import { match } from "node:assert/strict";
 * match(codeModeEval({ emulator: true, recordDir: null }), /startCodeMode\(\{"emulator":true,"recordDir":null,"reportUnawaited":true\}\)/);
 * ```
 */
export function codeModeEval(
  options: { emulator: boolean; recordDir: string | null; grant?: Grant; builtInWorld?: boolean },
): string {
  const module = new URL("lib/repl/code_mode.ts", ROOT).href;
  return `const { rc, extensions, myNumbers, sendSms, follow, api, help } = await (await import(${
    JSON.stringify(module)
  })).startCodeMode(${JSON.stringify({ ...options, reportUnawaited: true })});`;
}

/**
 * Runs the flow. On an emulator, the REPL continues the playground's world:
 * this project's emulator when the playground runs on it (the one `deno task
 * emulator` serves, or the playground's own, served for the project), else
 * the built-in one served on loopback while the REPL runs; the REPL logs in
 * to it as the same user, by the same grant.
 */
export async function writeCode(s: Playground): Promise<void> {
  const project = s.projectEmulator;
  const served = project ? settingsOf(project) : s.emulator ? serveOnLoopback(s.emulator) : undefined;
  try {
    await runRepl(s, served);
  } finally {
    await served?.close();
  }
}

/** The settings that reach this project's emulator (its public credentials). */
function settingsOf(project: ProjectEmulator) {
  const { login, url } = project;
  return {
    url,
    env: {
      ENVIRONMENT: "sandbox",
      RC_SERVER_URL: url,
      RC_CLIENT_ID: login.clientId,
      RC_CLIENT_SECRET: login.clientSecret,
      RC_JWT: login.jwt,
      RC_USERNAME: login.username,
      RC_PASSWORD: login.password,
      RC_EXTENSION: login.extension,
    },
    close: () => Promise.resolve(),
  };
}

/** The built-in emulator, served on a loopback port, and the settings that reach it (its public credentials). */
function serveOnLoopback(emulator: InProcessEmulator) {
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, emulator.handle);
  const url = `http://127.0.0.1:${server.addr.port}`;
  const { clientId, clientSecret, jwt } = emulator.credentials;
  const { username, password, extension } = emulator.passwordCredentials;
  return {
    url,
    env: {
      ENVIRONMENT: "sandbox",
      RC_SERVER_URL: url,
      RC_CLIENT_ID: clientId,
      RC_CLIENT_SECRET: clientSecret,
      RC_JWT: jwt,
      RC_USERNAME: username,
      RC_PASSWORD: password,
      RC_EXTENSION: extension,
    },
    close: () => server.shutdown(),
  };
}

async function runRepl(s: Playground, served?: { url: string; env: Record<string, string> }): Promise<void> {
  // A browser login needs a person at a browser; on the emulator the same user logs in by JWT instead.
  const grant = s.grant === "browser" ? "jwt" : s.grant ?? s.grants[0];
  if (served) {
    s.out.print(
      `  Code mode continues this playground's world: the same emulator (${
        s.projectEmulator ? `this project's, at ${served.url}` : `served on ${served.url} while it runs`
      }), logged in ${s.who ? `as ${s.who.name} ` : ""}by the same grant (${grant}).`,
    );
  }
  s.out.print("  Opening Deno's REPL with `rc` ready; Ctrl-D (or close()) comes back here.");
  const child = new Deno.Command(Deno.execPath(), {
    args: [
      "repl",
      "--allow-all",
      "--eval",
      codeModeEval({ emulator: false, recordDir: s.recorder?.dir ?? null, grant, builtInWorld: served !== undefined }),
    ],
    cwd: ROOT.pathname,
    env: served?.env, // the served emulator's settings win over the files

    stdin: "inherit",
    stdout: "inherit",
    stderr: "inherit",
  }).spawn();
  const { code } = await child.status;
  s.out.print(code === 0 ? "  Back from code mode." : `  Code mode ended with exit code ${code}.`);
}
