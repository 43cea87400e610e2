/**
 * `deno task emulator`: serves the emulator on 127.0.0.1 as this project's
 * emulator (every tool run in the folder with nothing configured finds it),
 * prints the `.env` lines that point a client elsewhere at it, and with
 * `--data DIR` keeps its world between runs.
 * @module
 */
import { parseFlags } from "../cli_args.ts";
import { mediaOriginOf } from "../hosts.ts";
import { ENV_VARIABLES, SECRET_KEYS } from "../config.ts";
import { PROJECT_EMULATOR_FILE, PROJECT_FOLDER } from "../project_emulator.ts";
import { createEmulator, type Emulator, type EmulatorOptions } from "./emulator.ts";
import { DEFAULT_PERMISSIONS } from "./permissions.ts";
import { seedState } from "./seed.ts";
import { serve, type ServedEmulator } from "./serve.ts";
import { announce, type Announcement, mayPublish, runningProjectEmulator } from "./world/publish.ts";
import { loadWorld, saveWorld, WORLD_FILE, WorldError } from "./world/save.ts";

/** A comma-separated list as lines of the help's description column (24 spaces in, at most 104 characters wide). */
function helpList(names: readonly string[]): string {
  const lines = [""];
  for (const [i, name] of names.entries()) {
    const item = `${name}${i < names.length - 1 ? "," : ""}`;
    if (lines.at(-1)!.length && 24 + lines.at(-1)!.length + item.length > 104) lines.push("");
    lines[lines.length - 1] += item;
  }
  return lines.map((line) => `${" ".repeat(24)}${line}`).join("\n");
}

const USAGE = `Usage: deno task emulator [options]

Serves a RingCentral-compatible emulator on 127.0.0.1 as this project's emulator: the playground,
code mode, and scripts and notebooks run in this folder with nothing configured use it by
themselves (it says where it is in .emulator/emulator.json). It prints the .env lines that point
a client elsewhere at it, and serves a live dashboard at /__emulator/ui.

Options:
  --port N              port to listen on; 0 picks a free one (default 8787); recordings are served
                        on the next port (the media origin, as media.ringcentral.com)
  --data DIR            load the world from DIR/world.json at start, save it there on exit (and on
                        POST /__emulator/save or the dashboard's Save): messages, calls, sessions
                        and tokens, subscriptions, the clock; without --port N, it listens on the
                        port it had last time when that is free (kept in DIR/server.json)
  --reset               with --data: start from the seed account (the old world is kept as
                        DIR/world.json.bak)
  --private             do not announce it to this project's tools (they keep a built-in emulator
                        of their own)
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
                        that needs another gets 403 CMN-401 (default: the ones docs/real-account.md asks for,
${helpList(DEFAULT_PERMISSIONS)})
  --no-websocket        the app lacks the WebSocket Subscriptions permission (wstoken answers SUB-528)
  --room                share it with a workshop room: listen on every network interface, answer any
                        host name; attendees join as users of their own at /__emulator/room; the
                        control API needs the instructor's key (printed on stderr); rate limits off
                        (unless --rate-limits on); not announced to this project's tools
  --quiet               do not log requests
  --help                show this help`;

/**
 * The README's command for a one-off script, which runs against this
 * project's emulator when one runs (and a built-in one when none does).
 */
function scriptCommand(script = "hello.ts"): string {
  return `deno run --allow-read=.env,.env-sandbox,.env-sandbox.local,${PROJECT_FOLDER} --allow-write=${PROJECT_FOLDER} ` +
    `--allow-net=127.0.0.1 ` +
    `--allow-env=${ENV_VARIABLES.join(",")} ${script}`;
}

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
  /** No `--port N` with N > 0: with `--data`, the port the world had last time is taken again when free. */
  anyPort: boolean;
  /** Where the world is kept (`--data`). */
  data?: string;
  /** Start from the seed even when `data` holds a world. */
  reset: boolean;
  /** Not announced to the project's tools. */
  private: boolean;
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
    data: { type: "string" },
    reset: { type: "boolean" },
    private: { type: "boolean" },
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
  const data = flags.data as string | undefined;
  if (data !== undefined && !data.trim()) throw new Error("--data needs a folder, such as --data worlds/demo");
  if (flags.reset === true && data === undefined) {
    throw new Error("--reset starts a saved world over: use it with --data DIR (without --data, every start is fresh)");
  }
  return {
    port,
    anyPort: !port || flags.port === undefined,
    options,
    quiet: flags.quiet === true,
    room,
    ...(data !== undefined ? { data: data.replace(/\/+$/, "") || "/" } : {}),
    reset: flags.reset === true,
    private: flags.private === true || room,
  };
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

/** Runs the emulator until SIGINT, SIGTERM or SIGHUP; returns the exit code. */
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
  const { port, options, quiet, room, data, reset } = parsed;
  if (options.permissions) {
    try {
      options.permissions = await resolvePermissions(options.permissions);
    } catch (e) {
      console.error(`emulator: ${(e as Error).message}`);
      return 2;
    }
  }
  // One emulator per project: a live one is not replaced (a record whose emulator is gone is).
  const publishing = !parsed.private && mayPublish();
  if (publishing) {
    const running = await runningProjectEmulator();
    if (running) {
      console.error(
        `emulator: this project's emulator already runs at ${running.url} (started by ${running.by}, process ` +
          `${running.pid}, at ${running.started}), and this project's tools use it. Stop it first ` +
          `(Ctrl-C in its terminal), or serve another one they do not see with --private.`,
      );
      return 1;
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
  if (data !== undefined) options.save = (state, now) => saveWorld(data, state, now);
  const emulator = createEmulator(options);
  if (data !== undefined) {
    try {
      const said = await openWorld(emulator, data, reset, options);
      if (said) console.error(said);
    } catch (e) {
      if (
        !(e instanceof WorldError || e instanceof Deno.errors.NotCapable || e instanceof Deno.errors.PermissionDenied)
      ) {
        throw e;
      }
      console.error(`emulator: ${permissionHint(e as Error, data)}`);
      return 1;
    }
  }
  const announcement: Announcement | undefined = publishing
    ? announce(emulator, { by: "deno task emulator" })
    : undefined;
  // A world started again listens where it did (a script's token cache is kept by server address).
  const last = data !== undefined && parsed.anyPort ? await lastPort(data) : undefined;
  let served: ServedEmulator;
  const listenOn = (port: number) =>
    serve({
      emulator,
      port,
      hostname: room ? "0.0.0.0" : "127.0.0.1",
      wrap: (handle) => {
        const logged = quiet ? handle : (request: Request, info?: Deno.ServeHandlerInfo) => log(handle, request, info);
        const wrapped = announcement ? announcement.wrap(logged) : logged;
        return async (request, info) => await wrapped(request, info);
      },
      onListen: (url) => {
        if (room) {
          const { attendees, instructor } = roomInstructions(emulator, url, options.room!.key);
          console.log(attendees);
          return console.error(instructor);
        }
        const announced = announcement?.publish(url) ?? false;
        console.log(envLines(emulator, url, announced));
        console.error(listening(url, { announced, asked: !parsed.private, data }));
      },
    });
  try {
    try {
      served = listenOn(last ?? port);
    } catch (e) {
      if (last === undefined || !(e instanceof Deno.errors.AddrInUse)) throw e;
      console.error(`# port ${last} (this world's last) is in use: listening on another.`);
      served = listenOn(port === last ? 0 : port);
    }
    if (data !== undefined) await keepPort(data, served.port);
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
  let stopping: Promise<number> | undefined;
  const stop = () =>
    stopping ??= (async () => {
      emulator.activity.endStreams(); // the dashboards' live streams, or the server would wait for them
      await served.close();
      announcement?.withdraw();
      if (data === undefined) return 0;
      try {
        console.error(`# The world is saved in ${await saveWorld(data, emulator.state, emulator.now())}.`);
        return 0;
      } catch (e) {
        console.error(`emulator: the world could not be saved in ${data}: ${permissionHint(e as Error, data)}`);
        return 1;
      }
    })();
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
    try {
      Deno.addSignalListener(signal, stop);
    } catch { /* SIGHUP: not on every system */ }
  }
  await served.finished;
  return await (stopping ?? Promise.resolve(0));
}

/**
 * Loads the world kept in `dir` into `emulator` (or, with `reset`, keeps the
 * old one aside and starts from the seed); returns what to tell the user.
 */
async function openWorld(emulator: Emulator, dir: string, reset: boolean, options: EmulatorOptions): Promise<string> {
  const path = `${dir}/${WORLD_FILE}`;
  if (reset) {
    try {
      await Deno.rename(path, `${path}.bak`);
      return `# --reset: a fresh world (the old one is kept as ${path}.bak); saved in ${path} on exit.`;
    } catch (e) {
      if (!(e instanceof Deno.errors.NotFound)) throw e;
      return `# --reset: a fresh world, saved in ${path} on exit.`;
    }
  }
  const fresh = seedState({ extensions: options.extensions, now: Date.now(), permissions: options.permissions });
  const loaded = await loadWorld(dir, fresh);
  if (!loaded) return `# No saved world in ${dir} yet: the seed account, saved in ${path} on exit.`;
  emulator.restore(loaded.state);
  const clock = new Date(emulator.now()).toISOString().replace("T", " ").slice(0, 19);
  const seedFlags = [options.permissions && "--permissions", options.extensions && "--extensions"].filter(Boolean);
  return [
    `# The world saved in ${loaded.path} is loaded: ${emulator.state.messages.length} messages, ` +
    `${emulator.state.sessions.size} sessions; the emulated clock goes on from ${clock} UTC.`,
    ...loaded.notes.map((n) => `#   ${n}`),
    ...(seedFlags.length
      ? [
        `#   ${seedFlags.join(" and ")} ${
          seedFlags.length > 1 ? "shape" : "shapes"
        } a fresh account: the saved world keeps its own (--reset to apply ${seedFlags.length > 1 ? "them" : "it"})`,
      ]
      : []),
  ].join("\n");
}

/** A file error in words, with the flag that fixes a missing permission. */
function permissionHint(e: Error, dir: string): string {
  if (e instanceof Deno.errors.NotCapable || e instanceof Deno.errors.PermissionDenied) {
    return `no permission to read and write ${dir}: deno task emulator may use folders inside the project; ` +
      `elsewhere run deno run --allow-net=127.0.0.1 --allow-read --allow-write lib/emulator/cli.ts --data ${dir}`;
  }
  return e.message;
}

/**
 * The lines that point a client at the emulator: the public one for
 * `.env-sandbox` (tracked by git), the credentials for `.env-sandbox.local`
 * (git-ignored; public here, but that is where credentials go, and the
 * tracked file warns about them on every run).
 */
function envLines(emulator: Emulator, url: string, announced: boolean): string {
  const lines = emulator.envLines(url).split("\n");
  const secret = (l: string) =>
    ["RC_CLIENT_ID", ...SECRET_KEYS, "RC_USERNAME", "RC_EXTENSION"].includes(l.split("=")[0]);
  return [
    announced
      ? "# This project's tools find this emulator by themselves: nothing to paste here. Elsewhere, in .env-sandbox:"
      : "# In .env-sandbox (tracked by git):",
    ...lines.filter((l) => !secret(l)),
    "# and in .env-sandbox.local (git-ignored: credentials go there, even the emulator's public ones):",
    ...lines.filter(secret),
  ].join("\n");
}

/** The file in a world's folder that keeps the port it was served on last. */
const PORT_FILE = "server.json";

/** The port the world in `dir` was served on last, if it says. */
async function lastPort(dir: string): Promise<number | undefined> {
  try {
    const { port } = JSON.parse(await Deno.readTextFile(`${dir}/${PORT_FILE}`));
    return Number.isInteger(port) && port > 0 && port < 65535 ? port : undefined;
  } catch {
    return undefined; // none yet, or unreadable: any port
  }
}

/** Keeps the port in the world's folder, for the next start (best effort: the world itself is what matters). */
async function keepPort(dir: string, port: number): Promise<void> {
  try {
    await Deno.mkdir(dir, { recursive: true });
    await Deno.writeTextFile(`${dir}/${PORT_FILE}`, JSON.stringify({ port }) + "\n");
  } catch { /* read-only folder: the next start picks a port as asked */ }
}

/** What the emulator says on stderr once it listens. */
function listening(url: string, { announced, asked, data }: { announced: boolean; asked: boolean; data?: string }) {
  const shared = announced
    ? `# This project's emulator: the playground, code mode, and scripts and notebooks run in this folder with ` +
      `nothing configured use it (it is in ${PROJECT_EMULATOR_FILE}).`
    : asked
    ? `# Not announced to this project's tools (no permission to write ${PROJECT_EMULATOR_FILE}, or another ` +
      `emulator announced itself first): run it as deno task emulator.`
    : "# --private: this project's tools do not see it; point them at it with the lines above.";
  return [
    `# RingCentral emulator listening on ${url}, recordings and attachments on ${
      mediaOriginOf(url, { emulator: true })
    } ` +
    `(Ctrl-C stops it${data ? " and saves the world" : ""}).`,
    shared,
    `# A script against it, with the README's permissions: ${scriptCommand()}`,
    `# The dashboard, live: ${url}/__emulator/ui`,
  ].join("\n");
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
    `# The dashboard, on this machine only: http://127.0.0.1:${port}/__emulator/ui?key=${key}`,
    "# and the admin user's lines (Alice Admin), to look at the whole account:",
    ...emulator.envLines(servers[0]).split("\n").filter((l) => !l.startsWith("RC_SERVER_URL=")),
  ].join("\n");
  return { attendees, instructor };
}

if (import.meta.main) Deno.exit(await main(Deno.args));
