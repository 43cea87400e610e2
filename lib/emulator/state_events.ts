/**
 * The emulator's subscriptions and WebSocket gateway sessions (part of
 * `EmulatorState`).
 * @module
 */

/**
 * A webhook subscription (see `/restapi/v1.0/subscription`).
 *
 * @example A webhook subscription is refused for an address off this machine
 * ```ts
 * import { RingCentral } from "../../mod.ts";
 * import { createEmulator } from "./mod.ts";
 * import { equal } from "node:assert/strict";
 * import type { Subscription } from "./mod.ts";
 * const emulator = createEmulator();
 * const rc = new RingCentral({ ...emulator.credentials, fetch: emulator.fetch });
 * const e = await rc.post("/restapi/v1.0/subscription", {
 *   eventFilters: ["/restapi/v1.0/account/~/extension/~/message-store"],
 *   deliveryMode: { transportType: "WebHook", address: "https://example.com/hook" },
 * }).catch((e) => e);
 * equal(e.status, 400);
 * const subscriptions: Subscription[] = [...emulator.state.subscriptions.values()];
 * equal(subscriptions.length, 0);
 * ```
 */
export interface Subscription {
  /** Id (a UUID). */
  id: string;
  /** The subscriber's extension id. */
  extensionId: number;
  /** The subscriber's app. */
  clientId: string;
  /** Event filters, `~` resolved. */
  eventFilters: string[];
  /** How events are delivered. */
  transport: "WebHook" | "WebSocket";
  /** The webhook address (loopback), for `WebHook`. */
  address?: string;
  /** The connection events go to, for `WebSocket`. */
  socket?: { notify(notification: unknown): boolean };
  /** `Active`, or `Blacklisted` after deliveries failed. */
  status: "Active" | "Blacklisted";
  /** Creation time (emulated ms). */
  created: number;
  /** Expiry (emulated ms). */
  expires: number;
  /** Deliveries that failed in a row. */
  failures: number;
  /** When it was blacklisted. */
  blacklistedAt?: number;
  /** Why. */
  reason?: string;
}

/**
 * A gateway session (what `wsc` names): the subscription bound to it, the
 * socket it is on now, and the notifications it missed while it had none.
 *
 * @example None before a WebSocket connects
 * ```ts
 * import { RingCentral } from "../../mod.ts";
 * import { createEmulator } from "./mod.ts";
 * import { equal } from "node:assert/strict";
 * import type { SocketLink } from "./mod.ts";
 * const emulator = createEmulator();
 * const rc = new RingCentral({ ...emulator.credentials, fetch: emulator.fetch });
 * const links: SocketLink[] = [...emulator.state.gateway.values()];
 * equal(links.length, 0);
 * ```
 */
export interface SocketLink {
  /** The `wsc` token. */
  id: string;
  /** The subscription bound to this session (one per connection). */
  subscriptionId?: string;
  /** Sends a notification frame, or keeps it (up to the recovery buffer) while no socket is open. */
  notify(notification: unknown): boolean;
}

/**
 * A gateway session with its socket; kept in the state for recovery.
 *
 * @example A socket, and its session, while a subscription lives
 * ```ts
 * import { RingCentral } from "../../mod.ts";
 * import { type GatewaySession, serve } from "./mod.ts";
 * import { equal } from "node:assert/strict";
 * await using served = serve();
 * const rc = new RingCentral(served.credentials);
 * await using _sub = await rc.subscribe(["/restapi/v1.0/account/~/extension/~/message-store"]);
 * const sessions: GatewaySession[] = [...served.emulator.state.gateway.values()];
 * equal(sessions.length, 1);
 * equal(typeof sessions[0].subscriptionId, "string");
 * ```
 */
export interface GatewaySession extends SocketLink {
  /** The OAuth session it acts for. */
  sessionId: string;
  /** The current socket. */
  socket?: WebSocket;
  /** Sequence number of the last frame with `wsc`. */
  sequence: number;
  /** Notifications kept while disconnected. */
  missed: unknown[];
  /** When the socket was lost (emulated ms). */
  droppedAt?: number;
  /** When the current socket connected (emulated ms). */
  connectedAt: number;
  /** When the current socket last sent a frame (emulated ms). */
  activeAt: number;
  /** Set by a forced unrecoverable drop. */
  unrecoverable?: boolean;
}
