/**
 * Serves an emulator over HTTP on loopback, with its media origin on the
 * next port: the one `serve()` that the command line, the tests and the
 * benchmarks use.
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
  /**
   * Its media origin, on the next port, such as `http://127.0.0.1:8788`: where the `contentUri` of a
   * recording points, as RingCentral's points at media.ringcentral.com.
   */
  mediaUrl: string;
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
 * Serves an emulator on 127.0.0.1 (a free port unless given), and its media
 * origin on the port after it. Throws `Deno.errors.AddrInUse` when a port is
 * taken (with port 0, it tries other ports).
 *
 * @example
 * ```ts
 * import { serve } from "./serve.ts";
 * import { equal } from "node:assert/strict";
 * await using served = serve();
 * const response = await fetch(`${served.url}/restapi/v1.0/account/~`);
 * await response.body?.cancel();
 * equal(response.status, 401);
 * equal(new URL(served.mediaUrl).port, String(served.port + 1));
 * ```
 */
export function serve(options: ServeOptions = {}): ServedEmulator {
  const { port = 0, hostname = "127.0.0.1", emulator: given, wrap, onListen, ...emulatorOptions } = options;
  const emulator = given ?? createEmulator(emulatorOptions);
  const handler = wrap ? wrap(emulator.handle) : emulator.handle;
  const mediaHandler = wrap ? wrap(emulator.handleMedia) : emulator.handleMedia;
  const listen = (p: number, h: typeof handler) =>
    Deno.serve({
      hostname,
      port: p,
      onListen() {},
      onError: (e) => {
        console.error(`emulator: ${(e as Error).message}`);
        return new Response("Internal emulator error", { status: 500 });
      },
    }, h);
  let server: Deno.HttpServer<Deno.NetAddr>;
  let media: Deno.HttpServer<Deno.NetAddr>;
  for (let attempt = 1;; attempt++) {
    server = listen(port, handler);
    try {
      media = listen(server.addr.port + 1, mediaHandler);
      break;
    } catch (e) {
      void server.shutdown();
      if (!(e instanceof Deno.errors.AddrInUse) || port !== 0 || attempt >= 20) {
        throw e instanceof Deno.errors.AddrInUse
          ? new Deno.errors.AddrInUse(
            `port ${server.addr.port + 1} (the media origin: the port after ${port}) is in use`,
          )
          : e;
      }
    }
  }
  const url = `http://${hostname}:${server.addr.port}`;
  const mediaUrl = `http://${hostname}:${media.addr.port}`;
  onListen?.(url);
  const env = Object.fromEntries(
    emulator.envLines(url).split("\n").map((l) => l.split(/=(.*)/s, 2) as [string, string]),
  );
  const close = async () => {
    emulator.activity.endStreams(); // an open dashboard's live stream would hold the shutdown forever
    await Promise.all([server.shutdown(), media.shutdown()]);
  };
  return {
    emulator,
    url,
    mediaUrl,
    port: server.addr.port,
    credentials: { ...emulator.credentials, server: url },
    passwordCredentials: { ...emulator.passwordCredentials, server: url },
    env,
    finished: Promise.all([server.finished, media.finished]).then(() => {}),
    close,
    [Symbol.asyncDispose]: close,
  };
}
