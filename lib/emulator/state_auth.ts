/**
 * The emulator's OAuth sessions and the tokens that name them (part of
 * `EmulatorState`).
 * @module
 */

/**
 * An OAuth session: one login, rotated by refreshes until it is revoked.
 *
 * @example One session per login
 * ```ts
 * import { RingCentral } from "../../mod.ts";
 * import { createEmulator } from "./mod.ts";
 * import { equal } from "node:assert/strict";
 * import type { Session } from "./mod.ts";
 * const emulator = createEmulator();
 * const rc = new RingCentral({ ...emulator.credentials, fetch: emulator.fetch });
 * await rc.authenticate();
 * const sessions: Session[] = [...emulator.state.sessions.values()];
 * equal(sessions.length, 1);
 * equal(sessions[0].extensionId, emulator.state.extensions[0].id);
 * ```
 */
export interface Session {
  /** Session id. */
  id: string;
  /** The user's extension id. */
  extensionId: number;
  /** The app. */
  clientId: string;
  /** Endpoint id. */
  endpointId: string;
  /** Scope granted. */
  scope: string;
  /** Current access token. */
  access: string;
  /** Current refresh token. */
  refresh: string;
  /** Access lifetime in seconds for this session. */
  accessTtl: number;
  /** Refresh lifetime in seconds for this session. */
  refreshTtl: number;
  /** When the current tokens were issued (emulated ms). */
  issued: number;
  /** When the current access token was first used, if it was. */
  accessUsed?: number;
  /** When the session started. */
  created: number;
  /** Set when revoked. */
  revoked?: boolean;
}

/**
 * What the emulator knows about one token string.
 *
 * @example An access and a refresh token per session
 * ```ts
 * import { RingCentral } from "../../mod.ts";
 * import { createEmulator } from "./mod.ts";
 * import { equal } from "node:assert/strict";
 * import type { TokenRecord } from "./mod.ts";
 * const emulator = createEmulator();
 * const rc = new RingCentral({ ...emulator.credentials, fetch: emulator.fetch });
 * await rc.authenticate();
 * const kinds = [...emulator.state.tokens.values()].map((t: TokenRecord) => t.kind).sort();
 * equal(kinds.join(), "access,refresh");
 * ```
 */
export interface TokenRecord {
  /** Access or refresh. */
  kind: "access" | "refresh";
  /** The session it belongs to. */
  session: Session;
  /** Expiry (emulated ms). */
  expires: number;
  /** Replaced by a refresh at this time (emulated ms). */
  rotatedAt?: number;
}
