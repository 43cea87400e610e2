/**
 * The options of {@linkcode RingCentral}, apart from the client so that
 * `from_env.ts` can build them without importing the client.
 * @module
 */
import type { BrowserLoginOptions } from "./browser_login.ts";
import type { Target } from "./config.ts";
import type { TokenStore } from "./token_store.ts";
import type { TransportOptions } from "./transport.ts";

/**
 * Options of `new RingCentral(options)`.
 *
 * @example Everything explicit
 * ```ts
 * import { MemoryTokenStore, RingCentral, type RingCentralOptions } from "../mod.ts";
 * import { createEmulator } from "./emulator/mod.ts";
 * import { equal } from "node:assert/strict";
 * const emulator = createEmulator();
 * const options: RingCentralOptions = {
 *   server: emulator.credentials.server,
 *   clientId: emulator.credentials.clientId,
 *   clientSecret: emulator.credentials.clientSecret,
 *   jwt: emulator.credentials.jwt,
 *   tokenStore: new MemoryTokenStore(),
 *   fetch: emulator.fetch,
 *   timeoutMs: 10_000,
 * };
 * const rc = new RingCentral(options);
 * equal((await rc.get("/restapi/v1.0/account/~/extension/~")).status, 200);
 * ```
 */
export interface RingCentralOptions extends TransportOptions {
  /** Server URL, such as `https://platform.ringcentral.com`. */
  server: string;
  /** The app's client id. */
  clientId: string;
  /** The app's client secret; without it the client is public (`client_id` in the body). */
  clientSecret?: string;
  /** A JWT credential (recommended). */
  jwt?: string;
  /** Username for the (deprecated) password grant. */
  username?: string;
  /** Password for the password grant. */
  password?: string;
  /** Extension number for the password grant. */
  extension?: string;
  /**
   * A loopback redirect URI registered on the app, such as `http://127.0.0.1:53682/oauth2callback`:
   * with no JWT and no password, the client logs in with a browser (authorization code + PKCE).
   */
  redirectUri?: string;
  /** How a browser login talks to the user (open the browser, accept a pasted URL, time limit). */
  browser?: BrowserLoginOptions;
  /** Where tokens are kept. @default new MemoryTokenStore() */
  tokenStore?: TokenStore;
  /** Where requests go, when the server alone does not tell. @default targetOf(server) */
  target?: Target;
  /** Receives warnings the user should see (tokens that could not be stored). @default console.warn */
  onWarning?: (message: string) => void;
  /** The in-process emulator `fetch` goes to, so that `subscribe()` can serve its WebSocket gateway. */
  emulator?: InProcessEmulator;
}

/**
 * What a client needs of an in-process emulator (`createEmulator()` gives one).
 *
 * @example Several clients on one in-process emulator
 * ```ts
 * import { type InProcessEmulator, RingCentral } from "../mod.ts";
 * import { createEmulator } from "./emulator/mod.ts";
 * import { equal } from "node:assert/strict";
 * const emulator: InProcessEmulator = createEmulator();
 * const a = await RingCentral.fromEnv({ useEmulator: true, emulator });
 * const b = await RingCentral.fromEnv({ useEmulator: true, emulator, grant: "password" });
 * const sent = await (await a.post("/restapi/v1.0/account/~/extension/~/sms", {
 *   from: { phoneNumber: "+16505550101" },
 *   to: [{ phoneNumber: "+16505550199" }],
 *   text: "Hi",
 * })).json();
 * equal((await b.get(`/restapi/v1.0/account/~/extension/~/message-store/${sent.id}`)).status, 200);
 * ```
 */
export interface InProcessEmulator {
  /** In-process `fetch`. */
  fetch(input: RequestInfo | URL, init?: RequestInit): Promise<Response>;
  /** Answers one HTTP request, as a served emulator does (its WebSocket gateway included). */
  handle(request: Request, info?: Deno.ServeHandlerInfo): Response | Promise<Response>;
  /** JWT credentials of the emulator's admin user. */
  readonly credentials: { server: string; clientId: string; clientSecret: string; jwt: string };
  /** The public app that logs in with a browser (authorization code + PKCE). */
  readonly browserCredentials: { server: string; clientId: string };
  /**
   * Plays the user at the emulator's consent page, in process: approves the
   * authorization request at `url` and returns where the browser would be
   * redirected (the redirect URI with the code).
   */
  approve(url: string): Promise<string>;
  /** Password credentials of the same user. */
  readonly passwordCredentials: {
    server: string;
    clientId: string;
    clientSecret: string;
    username: string;
    password: string;
    extension: string;
  };
}
