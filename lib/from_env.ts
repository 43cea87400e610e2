/**
 * Environment wiring behind `RingCentral.fromEnv()`: reads the `.env` files
 * once, decides once where requests go, and loads the built-in emulator (a
 * dynamic import) only when it is the target.
 * @module
 */
import { type Config, loadConfig, targetOf } from "./config.ts";
import type { InProcessEmulator, RingCentralOptions } from "./options.ts";
import { FileTokenStore } from "./file_token_store.ts";

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
  /** Where the "using the built-in emulator" notice goes. @default console.error */
  onNotice?: (message: string) => void;
  /** Use the built-in emulator whatever is configured (reads no file and no variable). */
  useEmulator?: boolean;
  /**
   * Log in with this grant when several are configured (on the built-in emulator: any of them;
   * its "browser" is played in process, offline). @default "jwt"
   */
  grant?: "jwt" | "password" | "browser";
  /** The in-process emulator to use when the emulator is used (so several clients share one). */
  emulator?: InProcessEmulator;
}

/** What `RingCentral.fromEnv()` builds a client from. */
export interface ClientSetup {
  /** The client's options. */
  options: RingCentralOptions;
  /** The in-process emulator, when requests go to the built-in one. */
  emulator?: InProcessEmulator;
}

/** Notices already given in this process: each is said once. */
const given = new Set<string>();

function noticeOnce(message: string, onNotice: (message: string) => void, always: boolean): void {
  if (given.has(message) && !always) return;
  given.add(message);
  onNotice(message);
}

/**
 * Whether a configuration leaves the client on the built-in emulator: it
 * names no app or no user credentials.
 *
 * @example
 * ```ts
 * import { usesBuiltInEmulator } from "./from_env.ts";
 * import { parseConfig } from "./config.ts";
 * import { equal } from "node:assert/strict";
 * equal(usesBuiltInEmulator(parseConfig({ files: {} })), true);
 * ```
 */
export function usesBuiltInEmulator(config: Config): boolean {
  return !config.clientId || !config.credentials;
}

/**
 * Reads the configuration (unless given) and returns the client's options:
 * the configured server with a token cache file, or the built-in emulator.
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
export async function setupFromEnv(options: FromEnvOptions = {}): Promise<ClientSetup> {
  const {
    dir = ".",
    env,
    config: preloaded,
    onNotice = (m: string) => console.error(m),
    useEmulator,
    grant,
    emulator,
    ...rest
  } = options;
  const loaded = preloaded ?? (useEmulator ? undefined : await loadConfig({ dir, env }));
  const config = useEmulator ? undefined : loaded;
  for (const warning of loaded?.warnings ?? []) noticeOnce(warning, onNotice, false); // once per process
  // A notice handler of the caller's own hears the emulator notice every time; stderr hears it once.
  const always = options.onNotice !== undefined;
  if (!config || usesBuiltInEmulator(config)) {
    if (config) {
      noticeOnce(
        `No credentials in ${config.file}: using the built-in RingCentral emulator (offline). ` +
          `To use your RingCentral account, fill RC_CLIENT_ID, RC_CLIENT_SECRET and RC_JWT in ${config.file}.local ` +
          `(git-ignored; RC_CLIENT_ID may stay in ${config.file}).`,
        onNotice,
        always,
      );
    }
    const builtIn = emulator ?? (await import("./emulator/mod.ts")).createEmulator();
    if (grant === "browser") return { options: offlineBrowserLogin(builtIn, onNotice, rest), emulator: builtIn };
    const credentials = grant === "password" ? builtIn.passwordCredentials : builtIn.credentials;
    return {
      options: { ...credentials, fetch: builtIn.fetch, target: "emulator", ...rest },
      emulator: builtIn,
    };
  }
  const usePassword = grant === "password" && config.password;
  return {
    options: {
      server: config.server,
      clientId: config.clientId!,
      clientSecret: config.clientSecret,
      ...config.credentials,
      ...(usePassword ? { ...config.password, jwt: undefined } : {}),
      tokenStore: new FileTokenStore(`${dir}/${config.tokenFile}`, { onWarning: onNotice }),
      target: config.sharedEmulator ? "emulator" : targetOf(config.server, config.environment),
      onWarning: onNotice,
      ...rest,
      // A browser login opens the browser unless RC_NO_BROWSER or --no-browser says not to.
      browser: { open: !noBrowser(env), ...rest.browser },
    },
  };
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
  rest: Partial<RingCentralOptions>,
): RingCentralOptions {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close();
  return {
    ...emulator.browserCredentials,
    redirectUri: `http://127.0.0.1:${port}/oauth2callback`,
    fetch: emulator.fetch,
    target: "emulator",
    ...rest,
    browser: {
      ...rest.browser,
      open: false,
      paste: false,
      print: (line) => {
        const print = rest.browser?.print ?? onNotice;
        print(line);
        if (!line.includes("/restapi/oauth/authorize?")) return;
        print("(The built-in emulator runs offline, where no browser reaches it: it approves as Alice Admin.)");
        emulator.approve(line).then((location) => fetch(location)).then((r) => r.body?.cancel()).catch(() => {});
      },
    },
  };
}

/**
 * Whether a browser login should not open a browser (then it prints the URL
 * and takes the pasted answer): `RC_NO_BROWSER=1`, or `--no-browser` among
 * the script's arguments.
 */
export function noBrowser(env?: Record<string, string | undefined>): boolean {
  let variable: string | undefined;
  try {
    variable = env ? env.RC_NO_BROWSER : Deno.env.get("RC_NO_BROWSER");
  } catch {
    variable = undefined; // no --allow-env for it: not set, as far as this script may know
  }
  return variable === "1" || variable === "true" || Deno.args.includes("--no-browser");
}
