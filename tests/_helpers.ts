/**
 * Test helpers: an emulator served on 127.0.0.1 (port 0), a temporary
 * folder, and a subprocess runner.
 * @module
 */
import { createEmulator, type Emulator, type EmulatorOptions } from "../mod.ts";

/** An emulator served over loopback HTTP. */
export interface Served {
  /** The emulator. */
  emulator: Emulator;
  /** Its URL, `http://127.0.0.1:PORT`. */
  url: string;
  /** JWT credentials with `server` set to `url`. */
  credentials: Emulator["credentials"];
  /** Password credentials with `server` set to `url`. */
  passwordCredentials: Emulator["passwordCredentials"];
  /** The `.env` lines as a record. */
  env: Record<string, string>;
  /** Stops the server. */
  close(): Promise<void>;
  /** `await using` support. */
  [Symbol.asyncDispose](): Promise<void>;
}

/** Serves a new emulator on 127.0.0.1 with a free port. */
export function serveEmulator(options: EmulatorOptions = {}): Served {
  const emulator = createEmulator(options);
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, emulator.handle);
  const url = `http://127.0.0.1:${server.addr.port}`;
  const close = async () => {
    await server.shutdown();
  };
  const env = Object.fromEntries(
    emulator.envLines(url).split("\n").map((l) => l.split(/=(.*)/s, 2) as [string, string]),
  );
  return {
    emulator,
    url,
    credentials: { ...emulator.credentials, server: url },
    passwordCredentials: { ...emulator.passwordCredentials, server: url },
    env,
    close,
    [Symbol.asyncDispose]: close,
  };
}

/** A temporary folder removed at dispose. */
export async function tempDir(): Promise<{ path: string; [Symbol.asyncDispose](): Promise<void> }> {
  const path = await Deno.makeTempDir({ prefix: "rc-test-" });
  return { path, [Symbol.asyncDispose]: () => Deno.remove(path, { recursive: true }) };
}

/** The repository root. */
export const ROOT = new URL("..", import.meta.url).pathname.replace(/\/$/, "");

/** Runs `deno` with `args`; returns exit code and text output. */
export async function runDeno(
  args: string[],
  { cwd = ROOT, env = {}, clearEnv = false }: { cwd?: string; env?: Record<string, string>; clearEnv?: boolean } = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  const base: Record<string, string> = clearEnv
    ? { PATH: Deno.env.get("PATH") ?? "", HOME: Deno.env.get("HOME") ?? "", NO_COLOR: "1" }
    : {};
  const out = await new Deno.Command(Deno.execPath(), {
    args,
    cwd,
    env: { NO_COLOR: "1", ...base, ...env },
    clearEnv,
    stdout: "piped",
    stderr: "piped",
    stdin: "null",
  }).output();
  const dec = new TextDecoder();
  return { code: out.code, stdout: dec.decode(out.stdout), stderr: dec.decode(out.stderr) };
}

/** Reads the emulator's statistics over HTTP. */
export async function stats(url: string): Promise<{
  grants: Record<string, { ok: number; failed: number }>;
  messages: number;
  requests: number;
  revokes: number;
}> {
  return await (await fetch(`${url}/__emulator/stats`)).json();
}

/** Moves the served emulator's clock. */
export async function advance(url: string, seconds: number): Promise<void> {
  const r = await fetch(`${url}/__emulator/clock`, {
    method: "POST",
    body: JSON.stringify({ advanceSeconds: seconds }),
  });
  await r.body?.cancel();
  if (!r.ok) throw new Error(`clock: ${r.status}`);
}

/** The JWT grant type. */
export const JWT = "urn:ietf:params:oauth:grant-type:jwt-bearer";
