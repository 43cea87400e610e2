/**
 * What every emulator handler receives: the request, the state, the
 * resolved options and the emulated time.
 * @module
 */
import type { EmulatorState, OAuthSession } from "./state.ts";

/** Emulator settings after defaults. */
export interface ResolvedOptions {
  /** Access token lifetime in seconds. */
  accessTtl: number;
  /** Refresh token lifetime in seconds. */
  refreshTtl: number;
  /** Seconds an old refresh token stays usable after rotation; 0 = strict. */
  refreshGrace: number;
  /** Whether rate limits apply. */
  rateLimits: boolean;
  /** Length of every rate window and penalty in seconds. */
  rateWindow: number;
  /** Parallel sessions per user and app. */
  sessionLimit: number;
  /** Seconds after which a queued SMS counts as sent. */
  sendSeconds: number;
  /** Seconds after which a sent SMS counts as delivered. */
  deliverSeconds: number;
  /** Approve authorization requests at once (as the `login_hint` user), without the consent page. */
  autoApprove: boolean;
  webSocketPermission: boolean;
  /**
   * A workshop room's emulator: its control API needs `key`; attendees join as users of their own, with JWTs
   * signed by `secret` (made at start, never shown but inside each attendee's own JWT).
   */
  room?: { key: string; secret: string };
  /** Saves the world (`POST /__emulator/save`), when the emulator was started with a folder for it. */
  save?: (state: EmulatorState, now: number) => Promise<string>;
}

/** A request in the emulator. */
export interface Ctx {
  /** The request. */
  request: Request;
  /** Its URL. */
  url: URL;
  /** Origin used for absolute `uri`s. */
  origin: string;
  /** The state. */
  state: EmulatorState;
  /** Settings. */
  options: ResolvedOptions;
  /** Emulated time now, in ms. */
  now: number;
  /** The caller's session, on authenticated routes. */
  session?: OAuthSession;
  /** The address the request came from, when served (a room's webhooks go back there only). */
  remote?: string;
  /** The body's bytes, read once and at most `MAX_REQUEST_BYTES` (a larger one throws the 413). */
  body(): Promise<Uint8Array>;
  /** The body as a form (memoized). */
  form(): Promise<URLSearchParams>;
  /** The body as JSON, or `undefined` when it is not JSON. */
  json(): Promise<unknown>;
  /** Restores the seed state (for the control API). */
  reset(): void;
}
