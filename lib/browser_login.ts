/**
 * Logging in from a terminal with a browser: the authorization code flow
 * with PKCE over a loopback redirect (RFC 8252). A one-shot listener on the
 * redirect URI's port receives the code; with no browser at hand (SSH), the
 * user pastes the redirected address instead (or, for a public app, whose
 * codes only our PKCE verifier can redeem, just the code).
 * @module
 */
import { base64url } from "./bytes.ts";
import { ConfigError, RingCentralError, TimeoutError } from "./errors.ts";

/**
 * How {@linkcode authorizeInBrowser} talks to the user.
 *
 * @example Print the URL and take the pasted redirect instead of opening a browser
 * ```ts
 * import { RingCentral } from "../mod.ts";
 * import { createEmulator } from "./emulator/mod.ts";
 * import type { BrowserLoginOptions } from "../mod.ts";
 * import { equal } from "node:assert/strict";
 * const emulator = createEmulator();
 * let url = "";
 * const browser: BrowserLoginOptions = {
 *   open: false,
 *   print: (line) => line.startsWith("http") && (url = line.trim()),
 *   readLine: async () => await emulator.approve(url), // the user pastes where the browser ended
 * };
 * const rc = new RingCentral({
 *   ...emulator.browserCredentials,
 *   redirectUri: "http://127.0.0.1:0/oauth2callback",
 *   fetch: emulator.fetch,
 *   browser,
 * });
 * await rc.authenticate();
 * equal(rc.grant, "browser");
 * ```
 */
export interface BrowserLoginOptions {
  /** Open the user's browser at the URL (when one can be opened). @default true */
  open?: boolean;
  /** Also accept the redirected address (or a public app's code) pasted as a line (`readLine`). @default !open */
  paste?: boolean;
  /** Where the URL and instructions go. @default console.error (stderr) */
  print?: (line: string) => void;
  /** Reads one pasted line; `null` when there is none. @default a line of standard input */
  readLine?: (signal: AbortSignal) => Promise<string | null>;
  /** How long to wait for the browser, in ms. @default 300000 (5 minutes) */
  timeoutMs?: number;
  /** Cancels the wait (the playground's Ctrl-C): the login then rejects with the signal's reason. */
  signal?: AbortSignal;
  /**
   * Whether someone is there to log in; when false (a replay, a job), a login that needs the browser
   * fails at once, saying how to log in first. @default true
   */
  interactive?: boolean;
}

/** What the token exchange needs after the browser step. */
interface AuthorizationCode {
  /** The code from the redirect. */
  code: string;
  /** The PKCE verifier whose challenge went with the request. */
  verifier: string;
  /** The redirect URI, sent again with the code. */
  redirectUri: string;
}

/** What one login asks the authorization server, and what it must see again. */
interface LoginRequest {
  url: URL;
  state: string;
  verifier: string;
  redirect: URL;
}

const PATH = "/restapi/oauth/authorize";

/** A new authorization request: PKCE's verifier and challenge, and a `state` for this login only. */
async function loginRequest(server: string, clientId: string, redirectUri: string): Promise<LoginRequest> {
  const verifier = base64url(crypto.getRandomValues(new Uint8Array(32)));
  const challenge = base64url(
    new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(verifier))),
  );
  const state = base64url(crypto.getRandomValues(new Uint8Array(16)));
  const url = new URL(PATH, server);
  const params = {
    response_type: "code",
    client_id: clientId,
    redirect_uri: redirectUri,
    state,
    code_challenge: challenge,
    code_challenge_method: "S256",
  };
  for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
  return { url, state, verifier, redirect: new URL(redirectUri) };
}

function failed(message: string, hint: string): RingCentralError {
  return new RingCentralError(message, { method: "GET", path: PATH, hint });
}

/** Opens `url` in the user's browser; false when none could be opened. */
async function openBrowser(url: string): Promise<boolean> {
  const command = Deno.build.os === "darwin"
    ? ["open", url]
    : Deno.build.os === "windows"
    ? ["cmd", "/c", "start", "", url]
    : ["xdg-open", url];
  try {
    const child = new Deno.Command(command[0], {
      args: command.slice(1),
      stdin: "null",
      stdout: "null",
      stderr: "null",
    }).spawn();
    return (await child.status).success;
  } catch {
    return false; // no such program, or no --allow-run
  }
}

/**
 * A line of standard input, or null at its end or when `signal` aborts.
 * Read through `node:readline`, whose input can be paused: a read of
 * `Deno.stdin` on a terminal cannot be taken back, and would keep the
 * script alive, after its login is done, until the user pressed Enter.
 */
async function stdinLine(signal: AbortSignal): Promise<string | null> {
  const [{ default: process }, { createInterface }] = await Promise.all([
    import("node:process"),
    import("node:readline"),
  ]);
  const lines = createInterface({ input: process.stdin, terminal: false });
  try {
    return await new Promise<string | null>((resolve) => {
      lines.once("line", resolve);
      lines.once("close", () => resolve(null));
      signal.addEventListener("abort", () => resolve(null), { once: true });
    });
  } finally {
    lines.close();
    process.stdin.pause(); // nothing reads it any more: the script may end
  }
}

function codeOf(answer: URL, login: LoginRequest, where: "browser" | "pasted"): string {
  if (answer.searchParams.get("state") !== login.state) {
    throw where === "browser"
      ? failed(
        "The browser came back with a state that is not this login's",
        "Start the login again, and follow the newest URL only (an old tab or another program answered)",
      )
      : failed("The pasted address has a state that is not this login's", "Paste the address of the newest login");
  }
  const error = answer.searchParams.get("error");
  const code = answer.searchParams.get("code");
  if (error || !code) {
    throw error === "access_denied"
      ? failed("The login was denied in the browser", "Run it again and choose Approve (or sign in as another user)")
      : failed(
        `The login failed: ${error ?? "no code"}`,
        "Check RC_CLIENT_ID and RC_REDIRECT_URI against the app in the Developer Console",
      );
  }
  return code;
}

/** Listens on the redirect URI for the browser's answer; `answer` settles with its code. */
function listenForRedirect(login: LoginRequest): { answer: Promise<string>; close(): Promise<void> } {
  const { redirect } = login;
  const answer = Promise.withResolvers<string>();
  let server: Deno.HttpServer;
  try {
    server = Deno.serve({
      hostname: redirect.hostname === "localhost" ? "127.0.0.1" : redirect.hostname,
      port: Number(redirect.port),
      onListen() {},
    }, (request) => {
      const url = new URL(request.url);
      if (url.pathname !== redirect.pathname) return new Response("Not found", { status: 404 });
      try {
        answer.resolve(codeOf(url, login, "browser"));
        return page("Logged in", "You can close this window and go back to the terminal.");
      } catch (e) {
        answer.reject(e);
        return page("Login not completed", "You can close this window and go back to the terminal.");
      }
    });
  } catch (e) {
    if (e instanceof Deno.errors.AddrInUse) {
      throw new ConfigError(`Port ${redirect.port} of RC_REDIRECT_URI (${redirect.origin}) is in use`, {
        method: "GET",
        path: PATH,
        hint: "Stop what uses it, or pick another port in RC_REDIRECT_URI (a real app must register that exact URI)",
        key: "RC_REDIRECT_URI",
        cause: e,
      });
    }
    throw new ConfigError(`Cannot listen on ${redirect.origin} for the browser's answer`, {
      method: "GET",
      path: PATH,
      hint: "Run the script with --allow-net",
      key: "--allow-net",
      cause: e,
    });
  }
  return { answer: answer.promise, close: () => server.shutdown() };
}

/**
 * Reads pasted lines until one carries this login's code: the whole
 * redirected address (its `state` checked), or, for a public app only, the
 * bare code. A confidential app's code could come from anyone's
 * authorization, with or without PKCE: only the address proves it is ours.
 */
async function readPasted(
  login: LoginRequest,
  { readLine, print, publicClient, signal }: {
    readLine: (signal: AbortSignal) => Promise<string | null>;
    print: (line: string) => void;
    publicClient: boolean;
    signal: AbortSignal;
  },
): Promise<string> {
  for (;;) {
    const line = (await readLine(signal))?.trim();
    if (line === undefined) return await new Promise<string>(() => {}); // input ended: wait for the browser
    if (!line) continue;
    let url: URL | undefined;
    try {
      url = new URL(line);
    } catch { /* a bare code */ }
    if (url) return codeOf(url, login, "pasted");
    if (publicClient) return line; // only our PKCE verifier redeems a code issued for our challenge
    print(
      "That looks like a bare code. Paste the whole address the browser ended on " +
        `(${login.redirect.origin}${login.redirect.pathname}?code=…&state=…): its state proves the code is this login's.`,
    );
  }
}

/**
 * Runs the browser step of the authorization code flow: prints the
 * authorization URL, opens the browser, and waits (at most `timeoutMs`) for
 * the redirect to `redirectUri` (a loopback `http://127.0.0.1:<port>/<path>`)
 * or a pasted address; checks `state`; returns the code and the PKCE
 * verifier. The listener is always closed.
 *
 * @example The emulator approves at once with `autoApprove`; here a fetch plays the browser
 * ```ts
 * import { authorizeInBrowser } from "./browser_login.ts";
 * import { serve } from "./emulator/mod.ts";
 * import { ok } from "node:assert/strict";
 * await using served = serve({ autoApprove: true });
 * const result = await authorizeInBrowser({
 *   server: served.url,
 *   clientId: "emulator-public-id",
 *   redirectUri: "http://127.0.0.1:53682/oauth2callback",
 *   open: false,
 *   paste: false,
 *   print: (line) => { if (line.startsWith("http")) fetch(line).then((r) => r.body?.cancel()); },
 * });
 * ok(result.code.length > 10);
 * ```
 */
export async function authorizeInBrowser(
  { server, clientId, redirectUri, publicClient = false, ...options }:
    & { server: string; clientId: string; redirectUri: string; publicClient?: boolean }
    & BrowserLoginOptions,
): Promise<AuthorizationCode> {
  const { open = true, print = (line: string) => console.error(line), timeoutMs = 300_000 } = options;
  if (options.interactive === false) {
    throw new ConfigError("No valid token, and logging in needs a browser", {
      method: "GET",
      path: PATH,
      hint:
        "Log in first (run any script with `await RingCentral.fromEnv()` in a terminal, or the playground's Authenticate → Browser), then run this again",
    });
  }
  const login = await loginRequest(server, clientId, redirectUri);
  const listener = listenForRedirect(login);
  const reading = new AbortController();
  const timer = Promise.withResolvers<never>();
  const timeout = setTimeout(
    () =>
      timer.reject(
        new TimeoutError(`No answer from the browser within ${seconds(timeoutMs)}`, {
          method: "GET",
          path: PATH,
          hint: "Run it again and finish the login in the browser sooner",
        }),
      ),
    timeoutMs,
  );
  const cancelled = Promise.withResolvers<never>();
  const onAbort = () => cancelled.reject(options.signal!.reason);
  options.signal?.addEventListener("abort", onAbort, { once: true });
  try {
    options.signal?.throwIfAborted();
    print("Log in to RingCentral in your browser. Open this URL:");
    print(login.url.href);
    if (open && !(await openBrowser(login.url.href))) {
      print(
        "(No browser could be opened here. Open the URL above in a browser on this machine. On another machine, " +
          `the login ends with a redirect to ${login.redirect.origin}, which only this machine serves: that page ` +
          "will not load there, so copy its address from the address bar and paste it here.)",
      );
    }
    const waits: Promise<string>[] = [listener.answer, timer.promise, cancelled.promise];
    if (options.paste ?? !open) {
      print(
        `Then paste here the address the browser ends on (${login.redirect.origin}${login.redirect.pathname}?code=…)` +
          (publicClient ? ", or just the code:" : ":"),
      );
      const readLine = options.readLine ?? stdinLine;
      waits.push(readPasted(login, { readLine, print, publicClient, signal: reading.signal }));
    }
    const code = await Promise.race(waits);
    return { code, verifier: login.verifier, redirectUri };
  } finally {
    clearTimeout(timeout);
    timer.promise.catch(() => undefined); // settled or not, nobody waits on it any more
    cancelled.promise.catch(() => undefined);
    listener.answer.catch(() => undefined);
    options.signal?.removeEventListener("abort", onAbort);
    reading.abort();
    await listener.close();
  }
}

function seconds(ms: number): string {
  return ms >= 10_000 ? `${Math.round(ms / 1000)} s` : `${ms} ms`;
}

function page(title: string, text: string): Response {
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title}</title>` +
    `<style>body{font:16px system-ui,sans-serif;max-width:30rem;margin:3rem auto}</style></head>` +
    `<body><h1>${title}</h1><p>${text}</p></body></html>`;
  return new Response(html, { headers: { "Content-Type": "text/html; charset=utf-8" } });
}
