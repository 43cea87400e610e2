/**
 * Test helpers: an emulator served on 127.0.0.1 (port 0), a temporary
 * folder, and a subprocess runner.
 * @module
 */
import { createEmulator, type Emulator, type EmulatorOptions, serve } from "../lib/emulator/mod.ts";
import { specValidator } from "./_spec.ts";

/** An emulator served over loopback HTTP. */
export interface Served {
  /** The emulator. */
  emulator: Emulator;
  /** Its URL, `http://127.0.0.1:PORT`. */
  url: string;
  /** Its media origin, `http://127.0.0.1:PORT+1`: where recordings are downloaded from. */
  mediaUrl: string;
  /** JWT credentials with `server` set to `url`. */
  credentials: Emulator["credentials"];
  /** Password credentials with `server` set to `url`. */
  passwordCredentials: Emulator["passwordCredentials"];
  /** The `.env` lines as a record. */
  env: Record<string, string>;
  /** Responses validated against the spec so far, and the failures. */
  spec: { validated: number; failures: string[] };
  /** Stops the server. */
  close(): Promise<void>;
  /** `await using` support. */
  [Symbol.asyncDispose](): Promise<void>;
}

/**
 * Serves a new emulator on 127.0.0.1 with a free port. Every JSON response
 * it gives is validated against RingCentral's spec (tests/_spec.ts); `close()` throws if any
 * failed (unless `validate` is false, as for deliberately broken faults).
 */
export function serveEmulator(options: EmulatorOptions = {}, { validate = true } = {}): Served {
  const spec = { validated: 0, failures: [] as string[] };
  const served = serve({ ...options, wrap: validate ? (handle) => validating(handle, spec) : undefined });
  const close = async () => {
    await served.close();
    const report = Deno.env.get("RC_SPEC_REPORT");
    if (report) await Deno.writeTextFile(report, `${spec.validated} ${spec.failures.length}\n`, { append: true });
    if (spec.failures.length) {
      throw new Error(`Emulator responses that do not match the OpenAPI spec:\n${spec.failures.join("\n")}`);
    }
  };
  return { ...served, spec, close, [Symbol.asyncDispose]: close };
}

/**
 * Wraps an emulator handler (or fetch) so that every JSON response it gives
 * is validated against the spec, counting into `spec`.
 */
export function validating(
  handle: (request: Request, info?: Deno.ServeHandlerInfo) => Response | Promise<Response>,
  spec: { validated: number; failures: string[] },
): (request: Request, info?: Deno.ServeHandlerInfo) => Promise<Response> {
  return async (request: Request, info?: Deno.ServeHandlerInfo) => {
    const { pathname } = new URL(request.url);
    const response = await handle(request, info);
    if (pathname.startsWith("/__emulator/") || response.status === 101) return response;
    const validator = await specValidator();
    const text = await response.clone().text().catch(() => "");
    const result = validator.validate(
      request.method,
      pathname,
      response.status,
      response.headers.get("content-type"),
      text,
    );
    if (result.validated) spec.validated++;
    if (result.errors.length) {
      spec.failures.push(`${request.method} ${pathname} ${response.status}: ${result.errors.join("; ")}`);
    }
    return response;
  };
}

/** A temporary folder removed at dispose. */
export async function tempDir(): Promise<{ path: string; [Symbol.asyncDispose](): Promise<void> }> {
  const path = await Deno.makeTempDir({ prefix: "rc-test-" });
  return { path, [Symbol.asyncDispose]: () => Deno.remove(path, { recursive: true }) };
}

/** The repository root. */
export const ROOT = new URL("..", import.meta.url).pathname.replace(/\/$/, "");

/**
 * The environment of a child process: this one's without `ENVIRONMENT` and
 * the `RC_*` variables (a user's real app configured in their shell never
 * reaches a test), and with `RC_PROJECT_EMULATOR=off` (a project emulator
 * the developer runs never changes a test's outcome), with `extra` on top.
 * With `minimal`, only what a program needs to run (`PATH`, `HOME`, Deno's
 * cache).
 */
export function childEnv(extra: Record<string, string> = {}, { minimal = false } = {}): Record<string, string> {
  const env = Deno.env.toObject();
  for (const key of Object.keys(env)) {
    const kept = minimal ? ["PATH", "HOME", "DENO_DIR", "XDG_CACHE_HOME", "TMPDIR"].includes(key) : true;
    if (!kept || key === "ENVIRONMENT" || key.startsWith("RC_")) delete env[key];
  }
  return { ...env, NO_COLOR: "1", RC_PROJECT_EMULATOR: "off", ...extra };
}

/** Runs `deno` with `args` in a hermetic environment ({@linkcode childEnv}); returns exit code and text output. */
export async function runDeno(
  args: string[],
  { cwd = ROOT, env = {}, clearEnv = false }: { cwd?: string; env?: Record<string, string>; clearEnv?: boolean } = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  const out = await new Deno.Command(Deno.execPath(), {
    args,
    cwd,
    env: childEnv(env, { minimal: clearEnv }),
    clearEnv: true,
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
  statuses: Record<string, number>;
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
export { JWT_GRANT as JWT } from "../lib/grants.ts";
import { JWT_GRANT } from "../lib/grants.ts";

/** Starts `deno task emulator`'s program in a subprocess and reads the printed .env lines (comments left out). */
export async function startEmulator(args: string[], permissions = ["--allow-net=127.0.0.1"]) {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", ...permissions, `${ROOT}/lib/emulator/cli.ts`, ...args],
    env: childEnv(),
    clearEnv: true,
    stdout: "piped",
    stderr: "piped",
    stdin: "null",
  }).spawn();
  const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let text = "";
  while (!/RC_EXTENSION=.*\n|\/__emulator\/room\/join\n/.test(text)) {
    const { value, done } = await reader.read();
    if (done) throw new Error(`emulator exited early: ${text}`);
    text += value;
  }
  const lines = text.trim().split("\n").filter((l) => !l.startsWith("#"));
  const env = Object.fromEntries(lines.map((l) => l.split(/=(.*)/s, 2)));
  return {
    lines,
    env,
    async [Symbol.asyncDispose]() {
      child.kill("SIGTERM");
      reader.releaseLock();
      await child.stdout.cancel().catch(() => {});
      await child.stderr.cancel();
      await child.status;
    },
  };
}

/**
 * An in-process emulator whose `fetch` validates every JSON answer against
 * the spec, for tests where a port adds nothing. `close()` reports
 * the count (as `serveEmulator` does) and throws on a failure.
 */
export function inProcess(options: EmulatorOptions = {}) {
  const emulator = createEmulator(options);
  const spec = { validated: 0, failures: [] as string[] };
  const check = validating((request) => emulator.fetch(request), spec);
  const fetch = (input: RequestInfo | URL, init?: RequestInit) => check(new Request(input, init));
  const close = async () => {
    const report = Deno.env.get("RC_SPEC_REPORT");
    if (report) await Deno.writeTextFile(report, `${spec.validated} ${spec.failures.length}\n`, { append: true });
    if (spec.failures.length) {
      throw new Error(`Emulator responses that do not match the OpenAPI spec:\n${spec.failures.join("\n")}`);
    }
  };
  return {
    emulator,
    fetch,
    credentials: { ...emulator.credentials, fetch },
    spec,
    close,
    [Symbol.asyncDispose]: close,
  };
}

/** Logs in to an emulator at `url` with the JWT grant; returns the access token. */
export async function login(url: string, jwt: string): Promise<string> {
  const r = await fetch(`${url}/restapi/oauth/token`, {
    method: "POST",
    headers: { Authorization: `Basic ${btoa("emulator-client-id:emulator-client-secret")}` },
    body: new URLSearchParams({ grant_type: JWT_GRANT, assertion: jwt }),
  });
  return (await r.json()).access_token;
}

/** A request with a Bearer token; returns status, headers and the parsed body. */
export async function authedGet(
  url: string,
  token: string,
  path = "/restapi/v1.0/account/~/extension/~",
  method = "GET",
) {
  const r = await fetch(`${url}${path}`, { method, headers: { Authorization: `Bearer ${token}` } });
  const text = await r.text();
  return { status: r.status, headers: r.headers, body: text ? JSON.parse(text) : undefined };
}

/**
 * Virtual time for a client and an emulator: both read `now`; the client's
 * `sleep` waits until the test's driver moves the clock, which it does only
 * when no request is on the wire (so time never jumps under a request in
 * flight). `drive(work)` runs `work` to its end that way: no real seconds.
 */
export function virtualTime(start = Date.now()) {
  let t = start;
  let onWire = 0;
  const sleepers: { until: number; wake: () => void }[] = [];
  const macrotask = () => new Promise((r) => setTimeout(r, 0));
  return {
    started: start,
    now: () => t,
    sleep(ms: number, signal?: AbortSignal): Promise<void> {
      return new Promise((resolve, reject) => {
        signal?.throwIfAborted();
        sleepers.push({ until: t + ms, wake: resolve });
        signal?.addEventListener("abort", () => reject(signal.reason), { once: true });
      });
    },
    /** A fetch whose whole exchange (body included) counts as on the wire. */
    async fetch(input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
      onWire++;
      try {
        const response = await fetch(input, init);
        return new Response(await response.arrayBuffer(), response);
      } finally {
        onWire--;
      }
    },
    async drive<T>(work: Promise<T>): Promise<T> {
      let done = false;
      const result = work.finally(() => (done = true));
      result.catch(() => undefined);
      while (!done) {
        await macrotask();
        if (onWire > 0 || sleepers.length === 0) continue;
        t = Math.max(t, Math.min(...sleepers.map((s) => s.until)));
        for (const s of sleepers.filter((s) => s.until <= t)) {
          sleepers.splice(sleepers.indexOf(s), 1);
          s.wake();
        }
      }
      return await result;
    },
  };
}
