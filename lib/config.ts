/**
 * Reads `.env` and the matching `.env-sandbox` / `.env-production`, with real
 * environment variables taking precedence, into a checked {@linkcode Config}.
 * @module
 */
import { dotEnvWarnings, parseDotEnv, unknownKeys } from "./_dotenv.ts";
import { atCaller, ConfigError } from "./errors.ts";
import { readSmallTextSync } from "./files.ts";
import { isLoopbackHost, isPrivateNetworkHost, isRingCentralHost } from "./hosts.ts";

/**
 * Which RingCentral environment the files describe.
 *
 * @example Pick the settings file
 * ```ts
 * import { type Environment, parseConfig } from "../mod.ts";
 * import { equal } from "node:assert/strict";
 * const environment: Environment = "production";
 * const config = parseConfig({ files: { ".env-production": "RC_CLIENT_ID=id\nRC_CLIENT_SECRET=s\nRC_JWT=a.b.c" }, env: { ENVIRONMENT: environment } });
 * equal(config.file, ".env-production");
 * ```
 */
export type Environment = "sandbox" | "production";

/** Default server of each environment. */
const SERVERS: Record<Environment, string> = {
  sandbox: "https://platform.devtest.ringcentral.com",
  production: "https://platform.ringcentral.com",
};

/**
 * Where a client's requests go: a RingCentral environment, or an emulator.
 *
 * @example Where a client sends its requests
 * ```ts
 * import { RingCentral } from "../mod.ts";
 * import { createEmulator } from "./emulator/mod.ts";
 * import type { Target } from "../mod.ts";
 * import { equal } from "node:assert/strict";
 * const emulator = createEmulator();
 * const target: Target = new RingCentral({ ...emulator.credentials, fetch: emulator.fetch }).target;
 * equal(target, "emulator");
 * ```
 */
export type Target = Environment | "emulator";

/**
 * Where requests to `server` go: RingCentral's sandbox (`devtest`) or
 * production (`ringcentral.com`), an emulator on loopback or in process,
 * and for any other host the environment whose settings named it.
 *
 * @example
 * ```ts
 * import { targetOf } from "./config.ts";
 * import { equal } from "node:assert/strict";
 * equal(targetOf("https://platform.ringcentral.com"), "production");
 * equal(targetOf("https://platform.devtest.ringcentral.com"), "sandbox");
 * equal(targetOf("http://127.0.0.1:8787", "production"), "emulator");
 * ```
 */
export function targetOf(server: string, environment?: Environment): Target {
  const host = new URL(server).hostname;
  if (/(^|\.)devtest\.ringcentral\.com$/.test(host)) return "sandbox";
  if (isRingCentralHost(host)) return "production";
  if (isLoopbackHost(host) || host === "emulator.local") return "emulator";
  return environment ?? "emulator";
}

/**
 * The user's credentials: a JWT, the (deprecated) username and password, or
 * a loopback redirect URI for logging in with a browser (authorization code + PKCE).
 *
 * @example The three kinds
 * ```ts
 * import { type Credentials, parseConfig } from "../mod.ts";
 * import { deepEqual } from "node:assert/strict";
 * const config = parseConfig({ files: { ".env-sandbox": "RC_CLIENT_ID=id\nRC_CLIENT_SECRET=s\nRC_JWT=a.b.c" } });
 * const expected: Credentials = { jwt: "a.b.c" };
 * deepEqual(config.credentials, expected);
 * ```
 */
export type Credentials =
  | { jwt: string }
  | { username: string; password: string; extension?: string }
  | { redirectUri: string };

/**
 * A checked configuration.
 *
 * @example A checked configuration
 * ```ts
 * import { type Config, parseConfig } from "../mod.ts";
 * import { equal } from "node:assert/strict";
 * const config: Config = parseConfig({ files: { ".env": "ENVIRONMENT=sandbox" } });
 * equal(config.clientId, undefined); // nothing configured: the built-in emulator
 * equal(config.tokenFile, "tokens_sandbox.json");
 * ```
 */
export interface Config {
  /** `sandbox` or `production`. */
  environment: Environment;
  /** The file the settings came from, such as `.env-sandbox`. */
  file: string;
  /** Server URL without trailing slash. */
  server: string;
  /** The app's client id; absent when nothing is configured. */
  clientId?: string;
  /** The app's client secret. */
  clientSecret?: string;
  /** The user's credentials (the JWT when both kinds are set); absent when nothing is configured. */
  credentials?: Credentials;
  /** The password credentials too, when they are set beside a JWT. */
  password?: { username: string; password: string; extension?: string };
  /** Token cache file name for this environment, such as `tokens_sandbox.json`. */
  tokenFile: string;
  /** `RC_SHARED_EMULATOR=yes`: the server is an emulator a workshop room shares over plain http. */
  sharedEmulator?: boolean;
  /** What is worth telling the user: unknown keys, secrets in a tracked file. */
  warnings: string[];
}

/** The keys read from `.env-sandbox` / `.env-production`. */
export const CONFIG_KEYS = [
  "RC_SERVER_URL",
  "RC_CLIENT_ID",
  "RC_CLIENT_SECRET",
  "RC_JWT",
  "RC_USERNAME",
  "RC_PASSWORD",
  "RC_EXTENSION",
  "RC_REDIRECT_URI",
  "RC_SHARED_EMULATOR",
] as const;

/**
 * Inputs of {@linkcode parseConfig}: file texts by name, and the environment.
 *
 * @example Files as texts, and variables that win over them
 * ```ts
 * import { type ConfigSources, parseConfig } from "../mod.ts";
 * import { equal } from "node:assert/strict";
 * const sources: ConfigSources = {
 *   files: { ".env-sandbox": "RC_CLIENT_ID=id\n", ".env-sandbox.local": "RC_CLIENT_SECRET=s\nRC_JWT=a.b.c\n" },
 *   env: { RC_CLIENT_ID: "from-the-environment" },
 * };
 * equal(parseConfig(sources).clientId, "from-the-environment");
 * ```
 */
export interface ConfigSources {
  /**
   * File contents by file name (`.env`, `.env-sandbox`, `.env-sandbox.local`, `.env-production`,
   * `.env-production.local`); a missing file is absent.
   */
  files: Record<string, string | undefined>;
  /** Environment variables; they override the files. */
  env?: Record<string, string | undefined>;
}

/** The keys whose values are secrets: they belong in the untracked `.local` file. */
/** Variables read only where the permission is granted (never asked for): each changes one behaviour. */
const OPTIONAL_VARIABLES = ["RC_NO_BROWSER", "RC_PROJECT_EMULATOR"] as const;

/**
 * Every environment variable the library reads: `ENVIRONMENT`, the
 * {@linkcode CONFIG_KEYS}, `RC_NO_BROWSER` and `RC_PROJECT_EMULATOR`. A
 * script run with `--allow-env=` these needs no other, and is never asked
 * for one.
 *
 * @example
 * ```ts
 * import { ENV_VARIABLES } from "./config.ts";
 * import { ok } from "node:assert/strict";
 * ok(ENV_VARIABLES.includes("RC_NO_BROWSER") && ENV_VARIABLES.includes("RC_JWT"));
 * ok(ENV_VARIABLES.includes("RC_PROJECT_EMULATOR"));
 * ```
 */
export const ENV_VARIABLES: readonly string[] = ["ENVIRONMENT", ...CONFIG_KEYS, ...OPTIONAL_VARIABLES];

export const SECRET_KEYS: readonly string[] = ["RC_CLIENT_SECRET", "RC_JWT", "RC_PASSWORD"];

/**
 * Checks the configuration texts and returns a {@linkcode Config}; throws a
 * {@linkcode ConfigError} naming the key and the file when something is wrong.
 * Sandbox settings with no credentials at all and the default server are not
 * an error: the config then has no `clientId`, and callers fall back to the
 * built-in emulator. Production, or a server of one's own, with no
 * credentials is an error: those settings ask for a real platform.
 *
 * @example A JWT configuration
 * ```ts
 * import { parseConfig } from "./config.ts";
 * import { equal } from "node:assert/strict";
 * const config = parseConfig({
 *   files: {
 *     ".env": "ENVIRONMENT=production",
 *     ".env-production": "RC_CLIENT_ID=id\nRC_CLIENT_SECRET=secret\nRC_JWT=eyJ.x.y",
 *   },
 * });
 * equal(config.server, "https://platform.ringcentral.com");
 * equal(config.tokenFile, "tokens_production.json");
 * ```
 */
export function parseConfig(sources: ConfigSources): Config {
  try {
    return checkConfig(sources);
  } catch (e) {
    throw atCaller(e, parseConfig); // printed uncaught, from the caller's line
  }
}

/** {@linkcode parseConfig}'s work. */
function checkConfig({ files, env = {} }: ConfigSources): Config {
  const settings = readSettings(files, env);
  const { environment, file, local, value, where, warnings } = settings;
  const { server, shared } = serverOf(settings);
  const tokenFile = `tokens_${environment}.json`;
  if (
    ["RC_CLIENT_ID", "RC_CLIENT_SECRET", "RC_JWT", "RC_USERNAME", "RC_PASSWORD", "RC_REDIRECT_URI"].every((k) =>
      !value(k)
    )
  ) {
    // The offline default is for a fresh clone: never for settings that ask for a real platform.
    if (environment === "production") {
      throw new ConfigError(
        `ENVIRONMENT is production (${settings.explicit}) but ${file} has no credentials: fill RC_CLIENT_ID, ` +
          `RC_CLIENT_SECRET and RC_JWT in ${local} (or ${file}), or set ENVIRONMENT=sandbox to use the built-in emulator`,
        { key: "RC_CLIENT_ID", file },
      );
    }
    if (server !== SERVERS.sandbox) {
      throw new ConfigError(
        `RC_SERVER_URL in ${where("RC_SERVER_URL")} names ${server} but there are no credentials for it: fill ` +
          `RC_CLIENT_ID, RC_CLIENT_SECRET and RC_JWT in ${local}, or remove RC_SERVER_URL to use the built-in emulator`,
        { key: "RC_CLIENT_ID", file },
      );
    }
    return { environment, file, server, tokenFile, warnings };
  }
  return {
    environment,
    file,
    server,
    ...credentialsOf(settings),
    tokenFile,
    ...(shared ? { sharedEmulator: true } : {}),
    warnings,
  };
}

/** The settings as read: which environment and files, each key's value and where it came from, and the warnings. */
interface Settings {
  environment: Environment;
  explicit: string;
  file: string;
  local: string;
  value: (key: string) => string;
  where: (key: string) => string;
  warnings: string[];
}

/** Reads `.env`, then `.env-<environment>` and its `.local`, under the variables; warns about what looks wrong. */
function readSettings(files: Record<string, string | undefined>, env: Record<string, string | undefined>): Settings {
  const warnings: string[] = [];
  const dotEnv = parseDotEnv(".env", files[".env"]);
  const inDotEnv = SECRET_KEYS.filter((k) => dotEnv[k]?.trim());
  warnings.push(...unknownKeys(".env", dotEnv, ["ENVIRONMENT", ...inDotEnv]));
  const { environment, explicit } = selectEnvironment(dotEnv, env);
  const file = `.env-${environment}`;
  const local = `${file}.local`;
  const tracked = parseDotEnv(file, files[file]);
  const untracked = parseDotEnv(local, files[local]);
  warnings.push(...unknownKeys(file, tracked, CONFIG_KEYS), ...unknownKeys(local, untracked, CONFIG_KEYS));
  for (const name of [".env", file, local]) warnings.push(...dotEnvWarnings(name, files[name]));
  const inTracked = SECRET_KEYS.filter((k) => tracked[k]?.trim() && !untracked[k]?.trim() && !env[k]?.trim());
  for (const [where, keys] of [[file, inTracked], [".env", inDotEnv]] as const) {
    if (!keys.length) continue;
    const [them, are] = keys.length > 1 ? ["them", "are"] : ["it", "is"];
    warnings.push(
      `Warning: ${keys.join(", ")} ${are} in ${where}, a file this project tracks in git: \`git commit -a\` ` +
        `would publish ${them}. Move ${them} to ${local} (git-ignored), or export ${them} as environment variables`,
    );
  }
  return {
    environment,
    explicit,
    file,
    local,
    warnings,
    value: (key) => (env[key] ?? untracked[key] ?? tracked[key] ?? "").trim(),
    where: (key) =>
      env[key] !== undefined
        ? `the ${key} environment variable${
          env[key]!.trim() ? "" : ` (set to an empty string, which overrides ${file})`
        }`
        : untracked[key] !== undefined
        ? local
        : file,
  };
}

/** The server, checked, and whether it is a workshop room's shared emulator. */
function serverOf({ environment, file, value, where, warnings }: Settings): { server: string; shared: boolean } {
  const raw = value("RC_SERVER_URL");
  const rawShared = value("RC_SHARED_EMULATOR");
  if (rawShared && rawShared !== "yes") {
    throw new ConfigError(
      `RC_SHARED_EMULATOR in ${where("RC_SHARED_EMULATOR")} must be yes or absent (got "${rawShared}")`,
      { key: "RC_SHARED_EMULATOR", file },
    );
  }
  const shared = rawShared === "yes";
  if (shared && environment === "production") {
    throw new ConfigError(
      `RC_SHARED_EMULATOR is for a workshop room's emulator: it never applies to production ` +
        `(set in ${where("RC_SHARED_EMULATOR")}). Remove it, or use ENVIRONMENT=sandbox for the room`,
      { key: "RC_SHARED_EMULATOR", file },
    );
  }
  if (shared && !raw) {
    throw new ConfigError(
      `RC_SHARED_EMULATOR is set in ${where("RC_SHARED_EMULATOR")} without RC_SERVER_URL: add the server line ` +
        "the room's emulator printed",
      { key: "RC_SERVER_URL", file },
    );
  }
  const server = raw ? checkServer(raw, SERVERS[environment], where("RC_SERVER_URL"), shared) : SERVERS[environment];
  const host = new URL(server).hostname;
  if (server.startsWith("http:") && !isLoopbackHost(host)) {
    warnings.push(
      `Warning: RC_SERVER_URL is plain http to ${host} (a workshop room's shared emulator): the emulator's ` +
        "credentials and tokens travel unencrypted on this network",
    );
  }
  return { server, shared };
}

/** The app and the user's credentials, each checked: a JWT, a password, or a browser login's redirect. */
function credentialsOf(
  { file, value, where }: Settings,
): Pick<Config, "clientId" | "clientSecret" | "credentials" | "password"> {
  const missing = (key: string, what: string): never => {
    throw new ConfigError(`${key} is empty in ${where(key)}: ${what}`, { key, file });
  };
  const [clientId, clientSecret, jwt, username, password, extension, redirect] = [
    "RC_CLIENT_ID",
    "RC_CLIENT_SECRET",
    "RC_JWT",
    "RC_USERNAME",
    "RC_PASSWORD",
    "RC_EXTENSION",
    "RC_REDIRECT_URI",
  ].map(value);
  if (!clientId) missing("RC_CLIENT_ID", "copy your app's Client ID from the RingCentral Developer Console");
  const browser = !jwt && !username && !password && !!redirect;
  if (!clientSecret && !browser) { // a browser login may be a public app's, which has no secret
    missing("RC_CLIENT_SECRET", "copy your app's Client Secret from the RingCentral Developer Console");
  }
  const app = { clientId, clientSecret: clientSecret || undefined };
  const withExtension = extension ? { extension } : {};
  if (jwt) {
    if (jwt.split(".").length !== 3 || /\s/.test(jwt)) {
      throw new ConfigError(
        `RC_JWT in ${where("RC_JWT")} is not a JWT (a JWT is one line of three parts separated by dots): ` +
          "create one under Credentials in the RingCentral Developer Console",
        { key: "RC_JWT", file },
      );
    }
    const alsoPassword = username && password ? { password: { username, password, ...withExtension } } : {};
    return { ...app, credentials: { jwt }, ...alsoPassword };
  }
  if (username || password) {
    if (!username) missing("RC_USERNAME", "set the login (phone number or email) that goes with RC_PASSWORD");
    if (!password) missing("RC_PASSWORD", "set the password of RC_USERNAME, or use RC_JWT instead");
    return { ...app, credentials: { username, password, ...withExtension } };
  }
  if (browser) return { ...app, credentials: { redirectUri: checkRedirect(redirect, where("RC_REDIRECT_URI")) } };
  return missing(
    "RC_JWT",
    "set RC_JWT (recommended), RC_USERNAME and RC_PASSWORD, or RC_REDIRECT_URI to log in with a browser",
  );
}

/** A loopback `http://127.0.0.1:<port>/<path>` or `http://localhost:<port>/<path>`, as a browser login needs. */
function checkRedirect(value: string, where: string): string {
  const fail = (problem: string) =>
    new ConfigError(
      `RC_REDIRECT_URI in ${where} ${problem}: use a loopback address with a port and a path, such as ` +
        `http://127.0.0.1:53682/oauth2callback, registered as a redirect URI of the app`,
      { key: "RC_REDIRECT_URI", file: where },
    );
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw fail("is not a URL");
  }
  if (url.protocol !== "http:" || !isLoopbackHost(url.hostname) || url.hostname === "[::1]") {
    throw fail("must be http://127.0.0.1 or http://localhost (the browser comes back to this machine)");
  }
  if (!url.port) throw fail("needs a port");
  if (url.username || url.password || url.search || url.hash) throw fail("must have no user, query or fragment");
  return url.href;
}

/**
 * A checked `RC_SERVER_URL` (no trailing slash): https, or plain http to a
 * loopback emulator or, with `shared`, to a workshop room's emulator; no user
 * info, query or fragment. Errors name the key, `where` it came from, and the
 * environment's `defaultServer` to use; never the value (it may be a pasted secret).
 */
function checkServer(value: string, defaultServer: string, where: string, shared: boolean): string {
  const fail = (problem: string) =>
    new ConfigError(`RC_SERVER_URL in ${where} ${problem}. Use ${defaultServer}`, {
      key: "RC_SERVER_URL",
      file: where,
    });
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw fail("is not a URL (a URL starts with https://)"); // the value itself may be a pasted secret
  }
  if (url.username || url.password) {
    throw fail("must not hold a user name or password (remove what stands between // and @)");
  }
  const shown = url.origin + url.pathname.replace(/\/+$/, "");
  if (shared && isRingCentralHost(url.hostname)) {
    throw new ConfigError(
      `RC_SHARED_EMULATOR is set in ${where} but RC_SERVER_URL is RingCentral's own server: remove RC_SHARED_EMULATOR`,
      { key: "RC_SHARED_EMULATOR", file: where },
    );
  }
  const privateRoom = shared && isPrivateNetworkHost(url.hostname);
  if (url.protocol !== "https:" && !(url.protocol === "http:" && (privateRoom || isLoopbackHost(url.hostname)))) {
    const room = url.protocol === "http:" && !isRingCentralHost(url.hostname)
      ? ", or a workshop's shared emulator at a private network address with RC_SHARED_EMULATOR=yes"
      : "";
    throw fail(
      `must use https (got "${shown}"); plain http only to this machine or a private network address: ` +
        `a local emulator at 127.0.0.1${room}`,
    );
  }
  if (url.search || url.hash) {
    throw fail(`must be a bare server URL (remove the ${url.search ? "query" : "#fragment"})`);
  }
  return url.origin + url.pathname.replace(/\/+$/, "");
}

/** The environment, and where it was asked for (for messages). */
function selectEnvironment(
  dotEnv: Record<string, string>,
  env: Record<string, string | undefined>,
): { environment: "sandbox" | "production"; explicit: string } {
  const fromVariable = !!env.ENVIRONMENT?.trim();
  const raw = (fromVariable ? env.ENVIRONMENT! : dotEnv.ENVIRONMENT || "sandbox").trim();
  const explicit = fromVariable ? "the ENVIRONMENT variable" : dotEnv.ENVIRONMENT ? "in .env" : "the default";
  if (raw !== "sandbox" && raw !== "production") {
    const shown = raw.length > 20 ? `${raw.slice(0, 20)}…` : raw;
    throw new ConfigError(
      `ENVIRONMENT in ${fromVariable ? "the ENVIRONMENT variable" : ".env"} is "${shown}": use sandbox or production`,
      { key: "ENVIRONMENT", file: ".env" },
    );
  }
  return { environment: raw, explicit };
}

/** The largest settings file read, in bytes: a `.env` file holds a few lines. */
const MAX_SETTINGS_BYTES = 64 * 1024;

/**
 * A settings file, read with a bound (and never through a FIFO or a device; a link to a plain file is
 * followed: `.env -> ../shared.env`); `undefined` when it is missing.
 */
function readText(path: string): string | undefined {
  let read;
  try {
    read = readSmallTextSync(path, MAX_SETTINGS_BYTES, { follow: true });
  } catch (e) {
    throw new ConfigError(`Cannot read ${path}: ${(e as Error).message}`, { file: path });
  }
  if ("missing" in read) return undefined;
  if ("problem" in read) {
    const tooLarge = /larger than/.test(read.problem);
    throw new ConfigError(`${path} ${read.problem}${tooLarge ? " (the settings file limit)" : ""}`, {
      file: path,
      hint: tooLarge
        ? "A settings file holds a few KEY=value lines: check that it is the right file"
        : "Settings files are small text files of KEY=value lines: put one (or a link to one) in its place",
    });
  }
  return read.text;
}

/**
 * Options of {@linkcode loadConfig}.
 *
 * @example Read a folder, ignoring the process environment
 * ```ts
 * import { loadConfig, type LoadConfigOptions } from "../mod.ts";
 * import { equal } from "node:assert/strict";
 * const dir = await Deno.makeTempDir();
 * await Deno.writeTextFile(`${dir}/.env`, "ENVIRONMENT=sandbox\n");
 * const options: LoadConfigOptions = { dir, env: {} };
 * equal((await loadConfig(options)).environment, "sandbox");
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export interface LoadConfigOptions {
  /** Folder holding the `.env` files. @default "." */
  dir?: string;
  /** Environment variables. @default the process's ENVIRONMENT and RC_* variables */
  env?: Record<string, string | undefined>;
}

/**
 * The configuration variables of the process: `ENVIRONMENT` and the
 * {@linkcode CONFIG_KEYS}, so a script needs no more than
 * `--allow-env=ENVIRONMENT,RC_SERVER_URL,...`; and `RC_NO_BROWSER` and
 * `RC_PROJECT_EMULATOR` where their permission is granted.
 */
export function configEnv(): Record<string, string | undefined> {
  const env: Record<string, string | undefined> = {};
  const keys = ["ENVIRONMENT", ...CONFIG_KEYS];
  for (const key of keys) {
    let value: string | undefined;
    try {
      value = Deno.env.get(key);
    } catch (e) {
      if (!(e instanceof Deno.errors.NotCapable || e instanceof Deno.errors.PermissionDenied)) throw e;
      throw new ConfigError(
        `Cannot read the environment variable ${key}: run with --allow-env=${ENV_VARIABLES.join(",")}`,
        {
          key: key,
          file: "the environment",
        },
      );
    }
    if (value !== undefined) env[key] = value;
  }
  for (const variable of OPTIONAL_VARIABLES) {
    if (Deno.permissions.querySync({ name: "env", variable }).state !== "granted") continue; // never a prompt
    const value = Deno.env.get(variable);
    if (value !== undefined) env[variable] = value;
  }
  return env;
}

/**
 * Reads `.env`, `.env-<environment>` and `.env-<environment>.local` from
 * `dir` and checks them with {@linkcode parseConfig}; the `.local` file (for
 * secrets, git-ignored) wins over the tracked one, and environment variables
 * win over both.
 *
 * @example
 * ```ts
 * import { loadConfig } from "./config.ts";
 * import { equal } from "node:assert/strict";
 * const dir = await Deno.makeTempDir();
 * const config = await loadConfig({ dir, env: {} });
 * equal(config.clientId, undefined); // nothing configured: the emulator is used
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export function loadConfig({ dir = ".", env }: LoadConfigOptions = {}): Promise<Config> {
  try {
    const vars = env ?? configEnv();
    const dotEnv = readText(`${dir}/.env`);
    const file = `.env-${selectEnvironment(parseDotEnv(".env", dotEnv), vars).environment}`;
    const local = `${file}.local`;
    const files = { ".env": dotEnv, [file]: readText(`${dir}/${file}`), [local]: readText(`${dir}/${local}`) };
    return Promise.resolve(checkConfig({ files, env: vars }));
  } catch (e) {
    return Promise.reject(atCaller(e, loadConfig)); // printed uncaught, from the caller's line
  }
}
