/**
 * The setup, decided once: reads the `.env` files, decides where requests
 * go (the configured server, or the built-in emulator), which grants can log
 * in, and loads the emulator (a dynamic import) only when it is the target.
 * `RingCentral.fromEnv()`, the playground, code mode and the workshop all
 * start from this {@linkcode Setup}.
 * @module
 */
import { type Config, configEnv, type Environment, loadConfig, parseConfig, type Target, targetOf } from "./config.ts";
import { ConfigError } from "./errors.ts";
import type { InProcessEmulator, RingCentralOptions } from "./options.ts";
import { FileTokenStore } from "./file_token_store.ts";
import { findProjectEmulator, PROJECT_TOKEN_FILE, type ProjectEmulator } from "./project_emulator.ts";

/**
 * A way to log in: a JWT, the tutorial's password, or a browser login.
 *
 * @example Log in with the password on the built-in emulator
 * ```ts
 * import { type Grant, RingCentral } from "../mod.ts";
 * import { equal } from "node:assert/strict";
 * const grant: Grant = "password";
 * const rc = await RingCentral.fromEnv({ useEmulator: true, grant });
 * equal(rc.grant, "password");
 * ```
 */
export type Grant = "jwt" | "password" | "browser";

/**
 * Options of `RingCentral.fromEnv()`.
 *
 * @example The configuration of another folder, notices kept quiet
 * ```ts
 * import { type FromEnvOptions, RingCentral } from "../mod.ts";
 * import { equal } from "node:assert/strict";
 * const dir = await Deno.makeTempDir(); // no .env files: the built-in emulator
 * const options: FromEnvOptions = { dir, env: {}, onNotice: () => {} };
 * const rc = await RingCentral.fromEnv(options);
 * equal(rc.target, "emulator");
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export interface FromEnvOptions extends Partial<RingCentralOptions> {
  /** Folder holding `.env`, `.env-sandbox`, `.env-production` and the token cache. @default "." */
  dir?: string;
  /** Environment variables; they override the files. @default the process's ENVIRONMENT and RC_* variables */
  env?: Record<string, string | undefined>;
  /** A configuration already read with `loadConfig()` (then `env` is not read again). */
  config?: Config;
  /** Where the "using the built-in emulator" notice and the configuration's warnings go. @default console.error */
  onNotice?: (message: string) => void;
  /** Use the built-in emulator whatever is configured (reads no file and no variable). */
  useEmulator?: boolean;
  /**
   * Log in with this grant when several are configured (on the built-in emulator: any of them;
   * its "browser" is played in process, offline). @default "jwt"
   */
  grant?: Grant;
  /**
   * With nothing configured, use this project's emulator when one runs (`deno task emulator`, or the
   * playground: `.emulator/emulator.json` in `dir`), instead of a built-in one of this process's own.
   * `RC_PROJECT_EMULATOR=off` turns it off too. @default true
   */
  projectEmulator?: boolean;
}

/**
 * Where requests go and how to log in, decided once from the configuration.
 *
 * @example
 * ```ts
 * import { setupFromEnv } from "./from_env.ts";
 * import { deepEqual, equal } from "node:assert/strict";
 * const setup = await setupFromEnv({ useEmulator: true });
 * equal(setup.target, "emulator");
 * deepEqual(setup.grants, ["jwt", "password", "browser"]);
 * ```
 */
export interface Setup {
  /** `sandbox` or `production`: whose settings apply. */
  environment: Environment;
  /** The settings file, such as `.env-sandbox`. */
  file: string;
  /** Where requests go. */
  target: Target;
  /** The server URL. */
  server: string;
  /** The in-process emulator, when requests go to the built-in one. */
  emulator?: InProcessEmulator;
  /**
   * This project's emulator, when requests go to it: the one `deno task emulator` serves (found in the
   * project's folder), or the playground's own built-in one once it is served for the project's other tools.
   */
  projectEmulator?: ProjectEmulator;
  /** Whether the built-in emulator was asked for whatever is configured (`--env emulator`). */
  forced: boolean;
  /** Whether the server is a workshop room's shared emulator (`RC_SHARED_EMULATOR=yes` in the settings). */
  sharedEmulator?: boolean;
  /** The grants that have credentials, the default first. */
  grants: Grant[];
  /** Options of a client that logs in with `grant` (the default: the first of `grants`), `extra` on top. */
  clientOptions(grant?: Grant, extra?: Partial<RingCentralOptions>): RingCentralOptions;
}

/** Notices already given in this process: each is said once. */
const given = new Set<string>();

function noticeOnce(message: string, onNotice: (message: string) => void, always: boolean): void {
  if (given.has(message) && !always) return;
  given.add(message);
  onNotice(message);
}

/**
 * Reads the configuration (unless given or `useEmulator`) and decides the
 * setup: the configured server with a token cache file, or, when the
 * settings name no app or no user credentials, the built-in emulator (said
 * once).
 *
 * @example
 * ```ts
 * import { setupFromEnv } from "./from_env.ts";
 * import { ok } from "node:assert/strict";
 * const dir = await Deno.makeTempDir(); // no .env files: the built-in emulator
 * const { emulator } = await setupFromEnv({ dir, env: {}, onNotice: () => {} });
 * ok(emulator);
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function setupFromEnv(options: FromEnvOptions = {}): Promise<Setup> {
  const { dir = ".", env, config: preloaded, useEmulator = false, grant, projectEmulator = true, ...rest } = options;
  const onNotice = options.onNotice ?? ((m: string) => console.error(m));
  let config: Config;
  try {
    config = useEmulator ? parseConfig({ files: {} }) : preloaded ?? await loadConfig({ dir, env });
  } catch (e) {
    // RC_SERVER_URL exported to this project's running emulator (as the playground's .curl.sh suggests), no credentials.
    const at = projectEmulator && !rest.emulator && !preloaded ? await namedProjectEmulator(e, dir, env) : undefined;
    if (!at) throw e;
    noticeOnce(
      `RC_SERVER_URL names this project's emulator (${at.running.url}, started by ${at.running.by}, process ` +
        `${at.running.pid}), which needs no credentials in ${at.config.file}.local: using it with its built-in ones.`,
      onNotice,
      options.onNotice !== undefined,
    );
    return projectSetup(at.config, at.running, { dir, grant, env, onNotice }, rest);
  }
  for (const warning of config.warnings) noticeOnce(warning, onNotice, false); // once per process
  if (useEmulator || !config.clientId || !config.credentials) {
    if (!useEmulator && !rest.emulator && projectEmulator) {
      const { emulator: running, note } = await findProjectEmulator(dir, { env });
      if (note) noticeOnce(note, onNotice, options.onNotice !== undefined);
      if (running) {
        noticeOnce(
          `No credentials in ${config.file}: using this project's emulator at ${running.url} (started by ${running.by}, ` +
            `process ${running.pid}), which every tool run here without credentials shares; its dashboard: ` +
            `${running.url}/__emulator/ui. To use your RingCentral account, fill RC_CLIENT_ID, RC_CLIENT_SECRET and ` +
            `RC_JWT in ${config.file}.local.`,
          onNotice,
          options.onNotice !== undefined,
        );
        return projectSetup(config, running, { dir, grant, env, onNotice }, rest);
      }
    }
    if (!useEmulator) {
      // A notice handler of the caller's own hears it every time; stderr hears it once.
      noticeOnce(
        `No credentials in ${config.file}: using the built-in RingCentral emulator (offline). ` +
          `To use your RingCentral account, fill RC_CLIENT_ID, RC_CLIENT_SECRET and RC_JWT in ${config.file}.local ` +
          `(git-ignored; RC_CLIENT_ID may stay in ${config.file}).`,
        onNotice,
        options.onNotice !== undefined,
      );
    }
    const emulator = rest.emulator ?? (await import("./emulator/mod.ts")).createEmulator();
    return emulatorSetup(config, emulator, useEmulator, grant, onNotice, rest);
  }
  const grants = grantsOf(config);
  const chosen = grant && grants.includes(grant) ? grant : grants[0];
  const target = config.sharedEmulator ? "emulator" : targetOf(config.server, config.environment);
  const { emulator: _unused, ...forServer } = rest; // an emulator given for the offline case is not this server
  return {
    environment: config.environment,
    file: config.file,
    target,
    server: config.server,
    forced: false,
    sharedEmulator: config.sharedEmulator,
    grants: [chosen, ...grants.filter((g) => g !== chosen)],
    clientOptions(which = chosen, extra = {}) {
      const password = which === "password" && config.password ? { ...config.password, jwt: undefined } : {};
      return {
        server: config.server,
        clientId: config.clientId!,
        clientSecret: config.clientSecret,
        ...config.credentials,
        ...password,
        tokenStore: new FileTokenStore(`${dir}/${config.tokenFile}`, { onWarning: onNotice }),
        target,
        onWarning: onNotice,
        ...forServer,
        ...extra,
        // A browser login opens the browser unless RC_NO_BROWSER says not to.
        browser: { open: !noBrowser(env), ...forServer.browser, ...extra.browser },
      };
    },
  };
}

/**
 * When `error` says that RC_SERVER_URL names a server without credentials, and that server is this project's running
 * emulator (its record in `dir`, its identity proven): that emulator, and the settings read without RC_SERVER_URL.
 * Anything else (another server, production, no emulator running) is no such case.
 */
async function namedProjectEmulator(
  error: unknown,
  dir: string,
  env: Record<string, string | undefined> | undefined,
): Promise<{ running: ProjectEmulator; config: Config } | undefined> {
  if (!(error instanceof ConfigError) || error.key !== "RC_CLIENT_ID") return undefined;
  const vars = env ?? configEnv();
  let named: string;
  let config: Config;
  try {
    // The server as configured: what is missing is the credentials only, so read it as if they were there.
    named = (await loadConfig({ dir, env: { ...vars, RC_CLIENT_ID: "-", RC_CLIENT_SECRET: "-", RC_JWT: "-.-.-" } }))
      .server;
    config = await loadConfig({ dir, env: { ...vars, RC_SERVER_URL: "" } });
  } catch {
    return undefined;
  }
  if (config.environment !== "sandbox" || config.clientId || config.credentials) return undefined;
  const { emulator: running } = await findProjectEmulator(dir, { env });
  const origin = (url: string) => new URL(url).href.replace(/\/$/, "");
  return running && origin(named) === origin(running.url) ? { running, config } : undefined;
}

function emulatorSetup(
  config: Config,
  emulator: InProcessEmulator,
  forced: boolean,
  grant: Grant | undefined,
  onNotice: (message: string) => void,
  rest: Partial<RingCentralOptions>,
): Setup {
  const grants: Grant[] = ["jwt", "password", "browser"];
  const chosen = grant ?? "jwt";
  return {
    environment: config.environment,
    file: config.file,
    target: "emulator",
    server: emulator.credentials.server,
    emulator,
    forced,
    grants: [chosen, ...grants.filter((g) => g !== chosen)],
    clientOptions(which = chosen, extra = {}) {
      const options = { fetch: emulator.fetch, target: "emulator" as const, emulator, ...rest, ...extra };
      if (which === "browser") return offlineBrowserLogin(emulator, onNotice, options);
      return { ...(which === "password" ? emulator.passwordCredentials : emulator.credentials), ...options };
    },
  };
}

/** Requests go to this project's emulator, served on loopback, with its public built-in credentials. */
function projectSetup(
  config: Config,
  running: ProjectEmulator,
  { dir, grant, env, onNotice }: {
    dir: string;
    grant: Grant | undefined;
    env: Record<string, string | undefined> | undefined;
    onNotice: (message: string) => void;
  },
  rest: Partial<RingCentralOptions>,
): Setup {
  const grants: Grant[] = ["jwt", "password", "browser"];
  const chosen = grant ?? "jwt";
  const { login, url } = running;
  return {
    environment: config.environment,
    file: config.file,
    target: "emulator",
    server: url,
    projectEmulator: running,
    forced: false,
    grants: [chosen, ...grants.filter((g) => g !== chosen)],
    clientOptions(which = chosen, extra = {}) {
      // Its tokens are cached beside its record, so that the next script run here logs in no more than a script on
      // a real account would (the Auth group allows 5 logins a minute, on the emulator too).
      const tokenStore = new FileTokenStore(`${dir}/${PROJECT_TOKEN_FILE}`, { onWarning: onNotice });
      const options = { server: url, target: "emulator" as const, tokenStore, ...rest, ...extra };
      if (which === "password") {
        const { username, password, extension } = login;
        return {
          clientId: login.clientId,
          clientSecret: login.clientSecret,
          username,
          password,
          extension,
          ...options,
        };
      }
      if (which === "browser") {
        // A browser on this machine reaches the emulator's own sign-in page; the redirect comes back to a free port.
        const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
        const port = (listener.addr as Deno.NetAddr).port;
        listener.close();
        return {
          clientId: login.publicClientId,
          redirectUri: `http://127.0.0.1:${port}/oauth2callback`,
          ...options,
          browser: { open: !noBrowser(env), ...options.browser },
        };
      }
      return { clientId: login.clientId, clientSecret: login.clientSecret, jwt: login.jwt, ...options };
    },
  };
}

function grantsOf(config: Config): Grant[] {
  const credentials = config.credentials!;
  if ("jwt" in credentials) return config.password ? ["jwt", "password"] : ["jwt"];
  if ("redirectUri" in credentials) return ["browser"];
  return ["password"];
}

/**
 * A browser login on the built-in emulator, which no real browser can reach:
 * the URL is printed as usual, and the emulator's consent page is played in
 * process (approving as the admin); the redirect then reaches the client's
 * loopback listener for real.
 */
function offlineBrowserLogin(
  emulator: InProcessEmulator,
  onNotice: (message: string) => void,
  options: Partial<RingCentralOptions>,
): RingCentralOptions {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close();
  const print = options.browser?.print ?? onNotice;
  return {
    ...emulator.browserCredentials,
    redirectUri: `http://127.0.0.1:${port}/oauth2callback`,
    ...options,
    browser: {
      ...options.browser,
      open: false,
      paste: false,
      print: (line) => {
        print(line);
        if (!line.includes("/restapi/oauth/authorize?")) return;
        print("(The built-in emulator runs offline, where no browser reaches it: it approves as Alice Admin.)");
        emulator.approve(line).then((location) => fetch(location)).then((r) => r.body?.cancel()).catch((e) =>
          print(`(The emulator could not approve the login: ${(e as Error).message})`)
        );
      },
    },
  };
}

/**
 * Whether a browser login should not open a browser (then it prints the URL
 * and takes the pasted answer): `RC_NO_BROWSER=1` (or `true`).
 *
 * @example
 * ```ts
 * import { noBrowser } from "./from_env.ts";
 * import { equal } from "node:assert/strict";
 * equal(noBrowser({ RC_NO_BROWSER: "1" }), true);
 * equal(noBrowser({}), false);
 * ```
 */
export function noBrowser(env?: Record<string, string | undefined>): boolean {
  let variable: string | undefined;
  if (env) variable = env.RC_NO_BROWSER;
  else if (Deno.permissions.querySync({ name: "env", variable: "RC_NO_BROWSER" }).state === "granted") {
    variable = Deno.env.get("RC_NO_BROWSER"); // asked first: reading without the permission would prompt in a terminal
  } // else: not set, as far as this script may know
  return variable === "1" || variable === "true";
}
