/**
 * Serves an emulator over HTTP on loopback: the one `serve()` that the
 * command line, the tests and the benchmarks use.
 * @module
 */
import { createEmulator, type Emulator, type EmulatorOptions } from "./emulator.ts";

/**
 * Options of {@linkcode serve}.
 *
 * @example A port of your own, and a request log
 * ```ts
 * import { RingCentral } from "../../mod.ts";
 * import { serve, type ServeOptions } from "./mod.ts";
 * import { ok } from "node:assert/strict";
 * const log: string[] = [];
 * const options: ServeOptions = {
 *   port: 0,
 *   accessTtl: 60,
 *   wrap: (handle) => async (request) => {
 *     log.push(`${request.method} ${new URL(request.url).pathname}`);
 *     return await handle(request);
 *   },
 * };
 * await using served = serve(options);
 * await new RingCentral(served.credentials).get("/restapi/v1.0/account/~");
 * ok(log.includes("GET /restapi/v1.0/account/~"));
 * ```
 */
export interface ServeOptions extends EmulatorOptions {
  /** Port; 0 picks a free one. @default 0 */
  port?: number;
  /** Address to bind. @default "127.0.0.1" */
  hostname?: string;
  /** Serve this emulator instead of a new one. */
  emulator?: Emulator;
  /** Wraps the handler (a request log, a response validator). */
  wrap?: (
    handler: (request: Request, info?: Deno.ServeHandlerInfo) => Response | Promise<Response>,
  ) => (request: Request, info?: Deno.ServeHandlerInfo) => Promise<Response>;
  /** Called once listening, with the server's URL. */
  onListen?: (url: string) => void;
}

/**
 * An emulator served over HTTP.
 *
 * @example The .env lines of a served emulator
 * ```ts
 * import { serve, type ServedEmulator } from "./mod.ts";
 * import { equal, match } from "node:assert/strict";
 * await using served: ServedEmulator = serve();
 * match(served.url, /^http:\/\/127\.0\.0\.1:\d+$/);
 * equal(served.env.RC_SERVER_URL, served.url);
 * ```
 */
export interface ServedEmulator {
  /** The emulator. */
  emulator: Emulator;
  /** Its URL, such as `http://127.0.0.1:8787`. */
  url: string;
  /** The port it listens on. */
  port: number;
  /** JWT credentials with `server` set to `url`. */
  credentials: Emulator["credentials"];
  /** Password credentials with `server` set to `url`. */
  passwordCredentials: Emulator["passwordCredentials"];
  /** The `.env` lines that point a client at it, as a record. */
  env: Record<string, string>;
  /** Resolves when the server has stopped. */
  finished: Promise<void>;
  /** Stops the server. */
  close(): Promise<void>;
  /** `await using` support. */
  [Symbol.asyncDispose](): Promise<void>;
}

/**
 * Serves an emulator on 127.0.0.1 (a free port unless given). Throws
 * `Deno.errors.AddrInUse` when the port is taken.
 *
 * @example
 * ```ts
 * import { serve } from "./serve.ts";
 * import { equal } from "node:assert/strict";
 * await using served = serve();
 * const response = await fetch(`${served.url}/restapi/v1.0/account/~`);
 * await response.body?.cancel();
 * equal(response.status, 401);
 * ```
 */
export function serve(options: ServeOptions = {}): ServedEmulator {
  const { port = 0, hostname = "127.0.0.1", emulator: given, wrap, onListen, ...emulatorOptions } = options;
  const emulator = given ?? createEmulator(emulatorOptions);
  const handler = wrap ? wrap(emulator.handle) : emulator.handle;
  const server = Deno.serve({
    hostname,
    port,
    onListen: ({ port }) => onListen?.(`http://${hostname}:${port}`),
    onError: (e) => {
      console.error(`emulator: ${(e as Error).message}`);
      return new Response("Internal emulator error", { status: 500 });
    },
  }, handler);
  const url = `http://${hostname}:${server.addr.port}`;
  const env = Object.fromEntries(
    emulator.envLines(url).split("\n").map((l) => l.split(/=(.*)/s, 2) as [string, string]),
  );
  const close = () => {
    emulator.activity.endStreams(); // an open dashboard's live stream would hold the shutdown forever
    return server.shutdown();
  };
  return {
    emulator,
    url,
    port: server.addr.port,
    credentials: { ...emulator.credentials, server: url },
    passwordCredentials: { ...emulator.passwordCredentials, server: url },
    env,
    finished: server.finished,
    close,
    [Symbol.asyncDispose]: close,
  };
}
