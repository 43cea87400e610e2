/**
 * The options of {@linkcode RingCentral}, apart from the client so that
 * `from_env.ts` can build them without importing the client.
 * @module
 */
import type { BrowserLoginOptions } from "./browser_login.ts";
import type { Target } from "./config.ts";
import type { TokenStore } from "./token_store.ts";
import type { TransportOptions } from "./transport.ts";

/** Options of `new RingCentral(options)`. */
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
}

/** What a client needs of an in-process emulator (`createEmulator()` gives one). */
export interface InProcessEmulator {
  /** In-process `fetch`. */
  fetch(input: RequestInfo | URL, init?: RequestInit): Promise<Response>;
  /** Answers one HTTP request, as a served emulator does (its WebSocket gateway included). */
  handle(request: Request): Response | Promise<Response>;
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
