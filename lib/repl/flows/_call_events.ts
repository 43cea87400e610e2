/**
 * Telephony-session and presence events in words, for the playground's
 * call flows and Watch events: `← 15:02:11 call from +14155550123 to
 * 101 Alice Admin: Ringing`.
 * @module
 */
import type { EventNotification } from "../../subscribe.ts";

/** The filter of the caller's own telephony sessions. */
export const TELEPHONY = "/restapi/v1.0/account/~/extension/~/telephony/sessions";
/** The filter of the caller's presence, with the active calls. */
export const PRESENCE = "/restapi/v1.0/account/~/extension/~/presence?detailedTelephonyState=true";

/** A party of a telephony-session event, as far as the playground reads it. */
export interface EventParty {
  id: string;
  extensionId?: string;
  direction?: string;
  from?: { phoneNumber?: string; name?: string; extensionId?: string };
  to?: { phoneNumber?: string; name?: string; extensionId?: string };
  status?: { code?: string; reason?: string };
  missedCall?: boolean;
  recordings?: { id: string; active: boolean }[];
}

/** The body of a telephony-session event. */
export interface SessionEventBody {
  sequence?: number;
  telephonySessionId?: string;
  origin?: { type?: string };
  parties?: EventParty[];
}

/** A party's status in words: `Ringing` for `Proceeding`, `On hold`, `Ended (missed)`. */
export function statusWords(party: Pick<EventParty, "status" | "direction" | "missedCall">): string {
  const code = party.status?.code ?? "?";
  const words: Record<string, string> = {
    Setup: "Setting up",
    Proceeding: party.direction === "Outbound" ? "Calling" : "Ringing",
    Answered: "Connected",
    Hold: "On hold",
    Disconnected: "Ended",
  };
  const reason = party.missedCall ? "missed" : party.status?.reason;
  return `${words[code] ?? code}${reason ? ` (${reason})` : ""}`;
}

/** Who an end of a call is: `101 Alice Admin` for the user, a name, or the number. */
function who(end: EventParty["from"], me?: { id?: string; extensionNumber?: string }): string {
  if (!end) return "?";
  if (end.extensionId && end.extensionId === me?.id && me.extensionNumber) {
    return `${me.extensionNumber} ${end.name ?? ""}`.trim();
  }
  return end.name ? `${end.name} (${end.phoneNumber ?? "?"})` : end.phoneNumber ?? "?";
}

/**
 * One line for a telephony-session event: which call, whose side, what
 * happened. `me` names the user's own extension (its number shows).
 *
 * @example
 * ```ts
 * import { describeSessionEvent } from "./_call_events.ts";
 * import { equal } from "node:assert/strict";
 * const line = describeSessionEvent({
 *   uuid: "1",
 *   event: "/restapi/v1.0/account/1/extension/2/telephony/sessions",
 *   timestamp: "2026-01-05T15:02:11.000Z",
 *   subscriptionId: "s",
 *   ownerId: "2",
 *   body: {
 *     sequence: 3,
 *     origin: { type: "Call" },
 *     parties: [{
 *       id: "p-1-2",
 *       extensionId: "2",
 *       direction: "Inbound",
 *       from: { phoneNumber: "+14155550123" },
 *       to: { phoneNumber: "+16505550101", name: "Alice Admin", extensionId: "2" },
 *       status: { code: "Proceeding" },
 *     }],
 *   },
 * }, { id: "2", extensionNumber: "101" });
 * equal(line, "  ← 15:02:11 call from +14155550123 to 101 Alice Admin: Ringing");
 * ```
 */
export function describeSessionEvent(e: EventNotification, me?: { id?: string; extensionNumber?: string }): string {
  const b = e.body as SessionEventBody;
  const party = b.parties?.[0];
  const time = e.timestamp?.slice(11, 19) ?? "";
  if (!party) return `  ← ${time} ${e.event}`;
  const mine = party.extensionId !== undefined && party.extensionId === me?.id;
  if (b.origin?.type === "RingOut") {
    // Both legs of a RingOut are inbound: the Initiator is your own phone, the Target the number you called.
    const target = mine ? party.from : party.to;
    const side = mine ? "your phone" : "the callee";
    return `  ← ${time} RingOut to ${who(target, me)}: ${side} ${statusWords(party).toLowerCase()}`;
  }
  const call = `call from ${who(party.from, me)} to ${who(party.to, me)}`;
  const side = party.direction === "Outbound" && !mine ? "the caller " : "";
  const recording = party.recordings?.some((r) => r.active) ? ", recording" : "";
  return `  ← ${time} ${call}: ${side}${side ? statusWords(party).toLowerCase() : statusWords(party)}${recording}`;
}

/**
 * One line for a presence event: the telephony status, the presence, the
 * calls in progress.
 *
 * @example
 * ```ts
 * import { describePresenceEvent } from "./_call_events.ts";
 * import { equal } from "node:assert/strict";
 * const line = describePresenceEvent({
 *   uuid: "1",
 *   event: "/restapi/v1.0/account/~/extension/2/presence?detailedTelephonyState=true",
 *   timestamp: "2026-01-05T15:02:12.000Z",
 *   subscriptionId: "s",
 *   ownerId: "2",
 *   body: { telephonyStatus: "CallConnected", presenceStatus: "Busy", userStatus: "Available", activeCalls: [{}] },
 * });
 * equal(line, "  ← 15:02:12 presence: CallConnected (Busy; user Available), 1 active call");
 * ```
 */
export function describePresenceEvent(e: EventNotification): string {
  const b = e.body as {
    telephonyStatus?: string;
    presenceStatus?: string;
    userStatus?: string;
    activeCalls?: { terminationType?: string }[];
  };
  const time = e.timestamp?.slice(11, 19) ?? "";
  const live = b.activeCalls?.filter((c) => c.terminationType !== "final").length;
  const calls = live === undefined ? "" : `, ${live} active call${live === 1 ? "" : "s"}`;
  return `  ← ${time} presence: ${b.telephonyStatus ?? "?"} (${b.presenceStatus ?? "?"}; user ${
    b.userStatus ?? "?"
  })${calls}`;
}

/** A line for any call-related event (a telephony session or presence), or `undefined` for another. */
export function describeCallEvent(
  e: EventNotification,
  me?: { id?: string; extensionNumber?: string },
): string | undefined {
  if (/\/telephony\/sessions/.test(e.event)) return describeSessionEvent(e, me);
  if (/\/presence/.test(e.event)) return describePresenceEvent(e);
  return undefined;
}
