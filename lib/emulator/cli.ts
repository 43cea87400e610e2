/**
 * `deno task emulator`: serves the emulator on 127.0.0.1 and prints the
 * `.env` lines that point a client at it.
 * @module
 */
import { createEmulator, type EmulatorOptions } from "./mod.ts";

const USAGE = `Usage: deno task emulator [options]

Serves a RingCentral-compatible emulator on 127.0.0.1 and prints the .env lines
that point a client at it (paste them into .env-sandbox).

Options:
  --port N              port to listen on; 0 picks a free one (default 8787)
  --access-ttl S        access token lifetime in seconds (default 3600)
  --refresh-ttl S       refresh token lifetime in seconds (default 604800)
  --refresh-grace S     seconds a used refresh token still works; 0 = strict (default 10)
  --rate-limits on|off  apply RingCentral's rate limits (default on)
  --rate-window S       length of every rate window and penalty (default 60)
  --extensions N        number of extensions in the account (default: the seed's)
  --quiet               do not log requests
  --help                show this help`;

/** Parsed command line. */
export interface CliArgs {
  /** Port. */
  port: number;
  /** Emulator options. */
  options: EmulatorOptions;
  /** No request log. */
  quiet: boolean;
}

/** Parses the command line; throws an `Error` whose message says what is wrong. */
export function parseArgs(args: string[]): CliArgs | "help" {
  const result: CliArgs = { port: 8787, options: {}, quiet: false };
  for (let i = 0; i < args.length; i++) {
    const [flag, inline] = args[i].split(/=(.*)/s, 2);
    const value = () => {
      const v = inline ?? args[++i];
      if (v === undefined) throw new Error(`${flag} needs a value`);
      return v;
    };
    const number = (min: number, integer = false) => {
      const raw = value();
      const n = Number(raw);
      if (raw.trim() === "" || !Number.isFinite(n) || n < min || (integer && !Number.isInteger(n))) {
        throw new Error(`${flag} must be ${integer ? "a whole number" : "a number"} ≥ ${min} (got "${raw}")`);
      }
      return n;
    };
    switch (flag) {
      case "--help":
      case "-h":
        return "help";
      case "--port":
        result.port = number(0, true);
        if (result.port > 65535) throw new Error(`--port must be at most 65535 (got ${result.port})`);
        break;
      case "--access-ttl":
        result.options.accessTtl = number(1);
        break;
      case "--refresh-ttl":
        result.options.refreshTtl = number(1);
        break;
      case "--refresh-grace":
        result.options.refreshGrace = number(0);
        break;
      case "--rate-window":
        result.options.rateWindow = number(0.001);
        break;
      case "--extensions":
        result.options.extensions = number(1, true);
        break;
      case "--rate-limits": {
        const v = value();
        if (v !== "on" && v !== "off") throw new Error(`--rate-limits must be on or off (got "${v}")`);
        result.options.rateLimits = v === "on";
        break;
      }
      case "--quiet":
        result.quiet = true;
        break;
      default:
        throw new Error(`Unknown option ${flag}`);
    }
  }
  return result;
}

/** Runs the emulator until SIGINT or SIGTERM; returns the exit code. */
export async function main(args: string[]): Promise<number> {
  let parsed: CliArgs | "help";
  try {
    parsed = parseArgs(args);
  } catch (e) {
    console.error(`emulator: ${(e as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (parsed === "help") {
    console.log(USAGE);
    return 0;
  }
  const { port, options, quiet } = parsed;
  const emulator = createEmulator(options);
  const handler = quiet ? emulator.handle : async (request: Request) => {
    const response = await emulator.handle(request);
    const url = new URL(request.url);
    console.error(`${request.method} ${url.pathname} -> ${response.status}`);
    return response;
  };
  let server: Deno.HttpServer<Deno.NetAddr>;
  try {
    server = Deno.serve({
      hostname: "127.0.0.1",
      port,
      onListen: ({ port }) => {
        console.log(emulator.envLines(`http://127.0.0.1:${port}`));
        console.error(
          `# RingCentral emulator listening on http://127.0.0.1:${port} (Ctrl-C stops it). ` +
            `Paste the lines above into .env-sandbox, or export them.`,
        );
      },
      onError: (e) => {
        console.error(`emulator: ${(e as Error).message}`);
        return new Response("Internal emulator error", { status: 500 });
      },
    }, handler);
  } catch (e) {
    if (e instanceof Deno.errors.AddrInUse) {
      console.error(`emulator: port ${port} is in use; pick another with --port N, or --port 0 for any free port`);
      return 1;
    }
    throw e;
  }
  const stop = () => server.shutdown();
  Deno.addSignalListener("SIGINT", stop);
  Deno.addSignalListener("SIGTERM", stop);
  await server.finished;
  return 0;
}
