/**
 * `deno task emulator`: serves the emulator on 127.0.0.1 and prints the
 * `.env` lines that point a client at it.
 * @module
 */
import { parseFlags } from "../cli_args.ts";
import { mediaOriginOf } from "../hosts.ts";
import { createEmulator, type Emulator, type EmulatorOptions } from "./emulator.ts";
import { serve, type ServedEmulator } from "./serve.ts";

const USAGE = `Usage: deno task emulator [options]

Serves a RingCentral-compatible emulator on 127.0.0.1 and prints the .env lines
that point a client at it (paste them into .env-sandbox).

Options:
  --port N              port to listen on; 0 picks a free one (default 8787); recordings are served
                        on the next port (the media origin, as media.ringcentral.com)
  --access-ttl S        access token lifetime in seconds (default 3600)
  --refresh-ttl S       refresh token lifetime in seconds (default 604800)
  --refresh-grace S     seconds a used refresh token still works; 0 = strict (default 10)
  --rate-limits on|off  apply RingCentral's rate limits (default on)
  --rate-window S       length of every rate window and penalty (default 60)
  --extensions N        number of extensions in the account (default: the seed's)
  --calls N             calls in the seeded call history, over the last four weeks (default 300)
  --auto-approve        approve authorization requests at once (as login_hint, else extension 101),
                        without the sign-in and consent page
  --permissions LIST    the apps' permissions, as the spec names them (comma-separated, or "all"); a call
                        that needs another gets 403 CMN-401 (default ReadAccounts,SMS,ReadMessages,
                        EditMessages,WebSocket,ReadCallLog,ReadCallRecording,RingOut,CallControl,
                        ReadPresence,EditPresence: the ones docs/real-account.md asks for)
  --no-websocket        the app lacks the WebSocket Subscriptions permission (wstoken answers SUB-528)
  --room                share it with a workshop room: listen on every network interface, answer any
                        host name; attendees join as users of their own at /__emulator/room; the
                        control API needs the instructor's key (printed on stderr); rate limits off
                        (unless --rate-limits on)
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
  /** Shared with a room: every interface, any host name. */
  room: boolean;
}

/** Parses the command line; throws an `Error` whose message says what is wrong. */
export function parseArgs(args: string[]): CliArgs | "help" {
  const flags = parseFlags(args, {
    port: { type: "string" },
    "access-ttl": { type: "string" },
    "refresh-ttl": { type: "string" },
    "refresh-grace": { type: "string" },
    "rate-limits": { type: "string" },
    "rate-window": { type: "string" },
    extensions: { type: "string" },
    calls: { type: "string" },
    quiet: { type: "boolean" },
    "auto-approve": { type: "boolean" },
    "no-websocket": { type: "boolean" },
    permissions: { type: "string" },
    room: { type: "boolean" },
    help: { type: "boolean", short: "h" },
  });
  if (flags.help) return "help";
  const number = (name: string, min: number, integer = false): number | undefined => {
    const raw = flags[name] as string | undefined;
    if (raw === undefined) return undefined;
    const n = Number(raw);
    if (raw.trim() === "" || !Number.isFinite(n) || n < min || (integer && !Number.isInteger(n))) {
      throw new Error(`--${name} must be ${integer ? "a whole number" : "a number"} ≥ ${min} (got "${raw}")`);
    }
    return n;
  };
  const port = number("port", 0, true) ?? 8787;
  if (port > 65535) throw new Error(`--port must be at most 65535 (got ${port})`);
  const calls = number("calls", 0, true);
  if (calls !== undefined && calls > 100_000) throw new Error(`--calls must be at most 100000 (got ${calls})`);
  const rateLimits = flags["rate-limits"];
  if (rateLimits !== undefined && rateLimits !== "on" && rateLimits !== "off") {
    throw new Error(`--rate-limits must be on or off (got "${rateLimits}")`);
  }
  const options: EmulatorOptions = {
    accessTtl: number("access-ttl", 1),
    refreshTtl: number("refresh-ttl", 1),
    refreshGrace: number("refresh-grace", 0),
    rateWindow: number("rate-window", 0.001),
    extensions: number("extensions", 1, true),
    calls,
    rateLimits: rateLimits === undefined ? undefined : rateLimits === "on",
    autoApprove: flags["auto-approve"] === true ? true : undefined,
    webSocketPermission: flags["no-websocket"] === true ? false : undefined,
    permissions: permissionsOf(flags.permissions as string | undefined),
  };
  const room = flags.room === true;
  if (room) {
    // The instructor's key guards the control API; attendees join as users of their own.
    options.rateLimits ??= false;
    options.room = { key: crypto.randomUUID().replaceAll("-", "") };
  }
  for (const key of Object.keys(options) as (keyof EmulatorOptions)[]) {
    if (options[key] === undefined) delete options[key];
  }
  return { port, options, quiet: flags.quiet === true, room };
}

/** The `--permissions` list: names as given, `all` for every one the spec names, none when the flag is absent. */
function permissionsOf(raw: string | undefined): string[] | undefined {
  if (raw === undefined) return undefined;
  const names = raw.split(",").map((p) => p.trim()).filter(Boolean);
  if (!names.length) throw new Error(`--permissions needs a list such as ReadAccounts,SMS,ReadCallLog, or "all"`);
  return names;
}

/** Checks the permission names against the spec's (the catalog is loaded only for this); `all` becomes every one. */
async function resolvePermissions(names: string[]): Promise<string[]> {
  const { operations } = await import("../api/catalog.ts");
  const known = [...new Set(operations.flatMap((o) => o.permission ? [o.permission] : []))].sort();
  if (names.includes("all")) return known;
  const unknown = names.filter((n) => !known.includes(n));
  if (unknown.length) {
    throw new Error(
      `--permissions: no operation of the spec needs ${unknown.join(", ")}; the spec's are ${known.join(", ")}`,
    );
  }
  return names;
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
  const { port, options, quiet, room } = parsed;
  if (options.permissions) {
    try {
      options.permissions = await resolvePermissions(options.permissions);
    } catch (e) {
      console.error(`emulator: ${(e as Error).message}`);
      return 2;
    }
  }
  const log = async (
    handle: (request: Request, info?: Deno.ServeHandlerInfo) => Response | Promise<Response>,
    request: Request,
    info?: Deno.ServeHandlerInfo,
  ) => {
    const response = await handle(request, info);
    console.error(`${request.method} ${new URL(request.url).pathname} -> ${response.status}`);
    return response;
  };
  const emulator = createEmulator(options);
  let served: ServedEmulator;
  try {
    served = serve({
      emulator,
      port,
      hostname: room ? "0.0.0.0" : "127.0.0.1",
      wrap: quiet ? undefined : (handle) => (request, info) => log(handle, request, info),
      onListen: (url) => {
        if (room) {
          const { attendees, instructor } = roomInstructions(emulator, url, options.room!.key);
          console.log(attendees);
          return console.error(instructor);
        }
        console.log(emulator.envLines(url));
        console.error(
          `# RingCentral emulator listening on ${url}, recordings on ${mediaOriginOf(url, { emulator: true })} ` +
            `(Ctrl-C stops it). Paste the lines above into .env-sandbox, or export them.`,
        );
      },
    });
  } catch (e) {
    if (e instanceof Deno.errors.NotCapable || e instanceof Deno.errors.PermissionDenied) {
      console.error(
        `emulator: ${
          room
            ? "a room's emulator listens on every interface and delivers webhooks to attendees"
            : "listening on 127.0.0.1"
        } needs ${room ? "--allow-net" : "--allow-net=127.0.0.1"}: run it as ${
          room ? "deno task emulator:room" : "deno task emulator"
        }`,
      );
      return 1;
    }
    if (e instanceof Deno.errors.AddrInUse) {
      const what = /media origin/.test(e.message)
        ? `port ${port + 1} (its media origin, served on the port after --port)`
        : `port ${port}`;
      console.error(`emulator: ${what} is in use; pick another with --port N, or --port 0 for any free port`);
      return 1;
    }
    throw e;
  }
  const stop = () => served.close();
  Deno.addSignalListener("SIGINT", stop);
  Deno.addSignalListener("SIGTERM", stop);
  await served.finished;
  return 0;
}

/**
 * What a room's attendees put in their `.env` files (with each address this
 * machine has on the network, and where to join as a user of their own), and
 * what only the instructor sees: the control API's key and the admin's lines.
 */
function roomInstructions(emulator: Emulator, url: string, key: string): { attendees: string; instructor: string } {
  const port = new URL(url).port;
  let addresses: string[] = [];
  try {
    addresses = Deno.networkInterfaces()
      .filter((i) => i.family === "IPv4" && !i.address.startsWith("127."))
      .map((i) => i.address);
  } catch { /* without --allow-sys=networkInterfaces: the instructor fills the address in */ }
  const servers = addresses.length
    ? addresses.map((a) => `http://${a}:${port}`)
    : [`http://<this machine's address>:${port}`];
  const attendees = [
    `# A shared emulator for the room, on port ${port}. Anyone who can reach this machine can join it.`,
    `# Each attendee: .env holds ENVIRONMENT=sandbox; .env-sandbox holds these two lines`,
    `# (${servers.length > 1 ? "the address of the room's network" : "the address the room can reach"}):`,
    ...servers.map((s) => `RC_SERVER_URL=${s}`),
    "RC_SHARED_EMULATOR=yes",
    `# Then each attendee gets a user of their own, and the lines for .env-sandbox.local (git-ignored):`,
    `#   open ${servers[0]}/__emulator/room in a browser and pick a name,`,
    `#   or run: curl -d name="Your Name" ${servers[0]}/__emulator/room/join`,
  ].join("\n");
  const instructor = [
    "# For the instructor only (keep it off the projector): the control API's key, for the clock, faults,",
    `# stats and a reset, as a header: curl -H "X-Emulator-Key: ${key}" ${servers[0]}/__emulator/stats`,
    `RC_EMULATOR_KEY=${key}`,
    "# and the admin user's lines (Alice Admin), to look at the whole account:",
    ...emulator.envLines(servers[0]).split("\n").filter((l) => !l.startsWith("RC_SERVER_URL=")),
  ].join("\n");
  return { attendees, instructor };
}

if (import.meta.main) Deno.exit(await main(Deno.args));
