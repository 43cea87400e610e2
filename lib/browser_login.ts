/**
 * Logging in from a terminal with a browser: the authorization code flow
 * with PKCE over a loopback redirect (RFC 8252). A one-shot listener on the
 * redirect URI's port receives the code; with no browser at hand (SSH), the
 * user pastes the redirected URL, or the code, instead.
 * @module
 */
import { RingCentralError } from "./errors.ts";
import { base64url } from "./_util.ts";

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
  /** Also accept the redirected URL or the code pasted as a line (`readLine`). @default !open */
  paste?: boolean;
  /** Where the URL and instructions go. @default console.error (stderr) */
  print?: (line: string) => void;
  /** Reads one pasted line; `null` when there is none. @default a line of standard input */
  readLine?: (signal: AbortSignal) => Promise<string | null>;
  /** How long to wait for the browser, in ms. @default 300000 (5 minutes) */
  timeoutMs?: number;
  /** Cancels the wait (Ctrl-C). @default SIGINT */
  signal?: AbortSignal;
  /**
   * Whether someone is there to log in; when false (a replay, a job), a login that needs the browser
   * fails at once, saying how to log in first. @default true
   */
  interactive?: boolean;
}

/** What the token exchange needs after the browser step. */
export interface AuthorizationCode {
  /** The code from the redirect. */
  code: string;
  /** The PKCE verifier whose challenge went with the request. */
  verifier: string;
  /** The redirect URI, sent again with the code. */
  redirectUri: string;
}

const PAGE = (title: string, text: string) =>
  `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title}</title>` +
  `<style>body{font:16px system-ui,sans-serif;max-width:30rem;margin:3rem auto}</style></head>` +
  `<body><h1>${title}</h1><p>${text}</p></body></html>`;

function failure(message: string, hint: string, cause?: unknown): RingCentralError {
  return new RingCentralError({ status: 0, message, method: "GET", path: "/restapi/oauth/authorize", hint, cause });
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
    })
      .spawn();
    return (await child.status).success;
  } catch {
    return false; // no such program, or no --allow-run
  }
}

/** A line of standard input, or null at its end. */
async function stdinLine(signal: AbortSignal): Promise<string | null> {
  const reader = Deno.stdin.readable.pipeThrough(new TextDecoderStream()).getReader();
  const abort = () => reader.cancel().catch(() => {});
  signal.addEventListener("abort", abort, { once: true });
  let text = "";
  try {
    while (!text.includes("\n")) {
      const { value, done } = await reader.read();
      if (done) return text || null;
      text += value;
    }
    return text.split("\n")[0];
  } finally {
    signal.removeEventListener("abort", abort);
    reader.releaseLock();
  }
}

/** The code (and state) in a pasted line: a redirected URL, or the bare code. */
function pasted(line: string): { code?: string; state?: string | null; error?: string | null } {
  const text = line.trim();
  if (!text) return {};
  try {
    const url = new URL(text);
    return {
      code: url.searchParams.get("code") ?? undefined,
      state: url.searchParams.get("state"),
      error: url.searchParams.get("error"),
    };
  } catch {
    return { code: text, state: undefined }; // a bare code: PKCE still binds it to this login
  }
}

/**
 * Runs the browser step of the authorization code flow: prints the
 * authorization URL, opens the browser, and waits (at most `timeoutMs`) for
 * the redirect to `redirectUri` (a loopback `http://127.0.0.1:<port>/<path>`)
 * or a pasted URL; checks `state`; returns the code and the PKCE verifier.
 * The listener is always closed.
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
  { server, clientId, redirectUri, ...options }:
    & { server: string; clientId: string; redirectUri: string }
    & BrowserLoginOptions,
): Promise<AuthorizationCode> {
  const { open = true, print = (line: string) => console.error(line), timeoutMs = 300_000 } = options;
  if (options.interactive === false) {
    throw failure(
      "No valid token, and logging in needs a browser",
      "Log in first (run any script with `await RingCentral.fromEnv()` in a terminal, or the playground's Authenticate → Browser), then run this again",
    );
  }
  const paste = options.paste ?? !open;
  const verifier = base64url(crypto.getRandomValues(new Uint8Array(32)));
  const challenge = base64url(
    new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(verifier))),
  );
  const state = base64url(crypto.getRandomValues(new Uint8Array(16)));
  const redirect = new URL(redirectUri);
  const authorize = new URL("/restapi/oauth/authorize", server);
  for (
    const [k, v] of Object.entries({
      response_type: "code",
      client_id: clientId,
      redirect_uri: redirectUri,
      state,
      code_challenge: challenge,
      code_challenge_method: "S256",
    })
  ) authorize.searchParams.set(k, v);

  const done = Promise.withResolvers<string>();
  let server_: Deno.HttpServer;
  try {
    server_ = Deno.serve({
      hostname: redirect.hostname === "localhost" ? "127.0.0.1" : redirect.hostname,
      port: Number(redirect.port),
      onListen() {},
    }, (request) => {
      const url = new URL(request.url);
      if (url.pathname !== redirect.pathname) return new Response("Not found", { status: 404 });
      const error = url.searchParams.get("error");
      const code = url.searchParams.get("code");
      if (url.searchParams.get("state") !== state) {
        done.reject(failure(
          "The browser came back with a state that is not this login's",
          "Start the login again, and follow the newest URL only (an old tab or another program answered)",
        ));
        return page("Login failed", "This answer does not belong to the login the terminal is waiting for.");
      }
      if (error || !code) {
        done.reject(failure(
          error === "access_denied" ? "The login was denied in the browser" : `The login failed: ${error ?? "no code"}`,
          error === "access_denied"
            ? "Run it again and choose Approve (or sign in as another user)"
            : "Check RC_CLIENT_ID and RC_REDIRECT_URI against the app in the Developer Console",
        ));
        return page("Login not completed", "You can close this window and go back to the terminal.");
      }
      done.resolve(code);
      return page("Logged in", "You can close this window and go back to the terminal.");
    });
  } catch (e) {
    if (e instanceof Deno.errors.AddrInUse) {
      throw failure(
        `Port ${redirect.port} of RC_REDIRECT_URI (${redirect.origin}) is in use`,
        "Stop what uses it, or pick another port in RC_REDIRECT_URI (a real app must register that exact URI)",
        e,
      );
    }
    throw failure(`Cannot listen on ${redirect.origin} for the browser's answer`, "Run the script with --allow-net", e);
  }

  const timeout = new AbortController(); // cleared at the end: a pending timer would keep a script alive
  const timer = setTimeout(() => timeout.abort(), timeoutMs);
  const interrupt = new AbortController();
  const onSigint = () => interrupt.abort();
  let sigint = false;
  if (!options.signal) {
    try {
      Deno.addSignalListener("SIGINT", onSigint);
      sigint = true;
    } catch { /* no signals here (Windows, tests): Ctrl-C ends the process as usual */ }
  }
  const stop = AbortSignal.any([timeout.signal, options.signal ?? interrupt.signal]);
  const stopped = new Promise<never>((_, reject) =>
    stop.addEventListener("abort", () =>
      reject(
        timeout.signal.aborted
          ? failure(
            `No answer from the browser within ${
              timeoutMs >= 10_000 ? `${Math.round(timeoutMs / 1000)} s` : `${timeoutMs} ms`
            }`,
            "Run it again and finish the login in the browser sooner",
          )
          : failure("The login was cancelled", "Run it again when you are ready to log in"),
      ), { once: true })
  );
  const reading = new AbortController();
  try {
    print("Log in to RingCentral in your browser. Open this URL:");
    print(authorize.href);
    if (open && !(await openBrowser(authorize.href))) {
      print("(No browser could be opened here: open the URL above on any machine.)");
    }
    const waits: Promise<string>[] = [done.promise, stopped];
    if (paste) {
      print(
        `Then paste here the address the browser ends on (${redirect.origin}${redirect.pathname}?code=…), or just the code:`,
      );
      const readLine = options.readLine ?? stdinLine;
      waits.push(
        readLine(reading.signal).then((line) => {
          const answer = pasted(line ?? "");
          if (answer.error) throw failure(`The login failed: ${answer.error}`, "Run it again and choose Approve");
          if (answer.state !== undefined && answer.state !== state) {
            throw failure(
              "The pasted address has a state that is not this login's",
              "Paste the address of the newest login",
            );
          }
          if (!answer.code) return new Promise<string>(() => {}); // nothing pasted: keep waiting for the browser
          return answer.code;
        }),
      );
    }
    const code = await Promise.race(waits);
    return { code, verifier, redirectUri };
  } finally {
    clearTimeout(timer);
    reading.abort();
    if (sigint) Deno.removeSignalListener("SIGINT", onSigint);
    await server_.shutdown();
  }
}

function page(title: string, text: string): Response {
  return new Response(PAGE(title, text), { headers: { "Content-Type": "text/html; charset=utf-8" } });
}
