/**
 * The seeded call history: a few hundred calls over the last four weeks
 * across the seed's users (inbound and outbound, internal and to outside
 * numbers, some missed, some busy, some recorded), the same every time
 * (relative to the start), so that the call log has something to explore,
 * to page through and to chart.
 * @module
 */
import { hexId, random, recordId } from "./_random.ts";
import type { CallLogEntry, CallLogLeg, CallLogParty, EmulatorState, Extension } from "./state.ts";

/** How far back the history goes, in days. */
const DAYS = 28;

/** People outside the company who call and are called: number, name (when the caller id has one), place. */
const OUTSIDE: [string, string | undefined, string][] = [
  ["+14155550123", "Jordan Lee", "San Francisco, CA"],
  ["+14155550188", undefined, "San Francisco, CA"],
  ["+12125550147", "Priya Shah", "New York, NY"],
  ["+13125550102", "Midwest Supply Co", "Chicago, IL"],
  ["+16175550199", undefined, "Boston, MA"],
  ["+12065550110", "Sam Rivera", "Seattle, WA"],
  ["+15125550133", "Lone Star Robotics", "Austin, TX"],
  ["+13035550175", undefined, "Denver, CO"],
  ["+14085550166", "Chen Wei", "San Jose, CA"],
  ["+17025550121", "Desert Parts", "Las Vegas, NV"],
  ["+19175550142", "Alex Novak", "New York, NY"],
  ["+18005550177", "Parcel Express", "Toll-free"],
];

/**
 * The call log, with the seeded history made on first use (making a few
 * hundred records takes milliseconds, which a script that never reads the
 * call log should not wait for).
 */
export function callLogOf(state: EmulatorState): CallLogEntry[] {
  const pending = state.callHistory;
  if (pending) {
    delete state.callHistory;
    seedCallLog(state, pending.calls, pending.now);
  }
  return state.callLog;
}

/**
 * Adds `count` ended calls to the call log, spread over the last
 * {@linkcode DAYS} days before `now` (mostly on weekdays, in office hours
 * of San Mateo), the ten newest within the last day.
 */
function seedCallLog(state: EmulatorState, count: number, now: number): void {
  const next = random(20240304);
  const pick = <T>(list: T[]): T => list[Math.floor(next() * list.length)];
  const users = state.extensions.filter((e) => e.type === "User" && e.status === "Enabled");
  if (!users.length) return;
  const numberOf = (e: Extension) =>
    state.phoneNumbers.find((p) => p.extensionId === e.id && p.usageType === "DirectNumber")?.phoneNumber;
  const party = (e: Extension): CallLogParty => ({
    ...(numberOf(e) ? { phoneNumber: numberOf(e) } : {}),
    ...(e.extensionNumber ? { extensionNumber: e.extensionNumber } : {}),
    extensionId: String(e.id),
    name: e.name,
  });
  const outside = ([phoneNumber, name, location]: (typeof OUTSIDE)[number]): CallLogParty => ({
    phoneNumber,
    ...(name ? { name } : {}),
    location,
  });
  const day = 86_400_000;
  const pacificOffset = 8 * 3600_000; // office hours in San Mateo, as UTC
  const entries: CallLogEntry[] = [];
  for (let i = 0; i < count; i++) {
    let start: number;
    if (i < 10) start = now - (0.75 + next() * 23) * 3600_000;
    else {
      let d: Date;
      do d = new Date(now - Math.floor(1 + next() * DAYS) * day); while (
        [0, 6].includes(d.getUTCDay()) && next() < 0.8
      );
      const midnight = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());
      const hour = 8 + Math.min(9.9, -Math.log(1 - next()) * 2.2 + (next() < 0.5 ? 0 : 2.5));
      start = midnight + pacificOffset + hour * 3600_000;
      if (start >= now) start -= day;
    }
    start = Math.floor(start / 1000) * 1000;
    const user = pick(users);
    const kind = next();
    const sessionId = String(30_000_000_000 + i);
    const telephonySessionId = `s-${hexId(30_000_000_000 + i)}`;
    const talk = Math.min(600, Math.round(20 + -Math.log(1 - next()) * 150));
    const recorded: "Automatic" | "OnDemand" | undefined = next() < 0.25
      ? (next() < 0.7 ? "Automatic" : "OnDemand")
      : undefined;
    const n = i;
    const base = { sessionId, telephonySessionId, start, transport: "PSTN" as const };
    if (kind < 0.5) {
      // Inbound from outside: answered, or missed (rings about 25 s).
      const caller = pick(OUTSIDE);
      const missed = next() < 0.2;
      const durationMs = (missed ? 25 : talk + 6) * 1000;
      entries.push(entry(n, user, {
        ...base,
        direction: "Inbound",
        action: "Phone Call",
        result: missed ? "Missed" : "Accepted",
        durationMs,
        from: outside(caller),
        to: party(user),
        legType: "Accept",
        recording: missed ? undefined : recorded,
        recordingSeconds: talk,
      }));
    } else if (kind < 0.8) {
      // Outbound to outside: connected, busy, or no answer.
      const callee = pick(OUTSIDE);
      const r = next();
      const result = r < 0.85 ? "Call connected" : r < 0.93 ? "Busy" : "No Answer";
      const durationMs = (result === "Call connected" ? talk + 8 : result === "Busy" ? 4 : 30) * 1000;
      entries.push(entry(n, user, {
        ...base,
        direction: "Outbound",
        action: next() < 0.15 ? "RingOut Web" : "VoIP Call",
        result,
        durationMs,
        from: party(user),
        to: outside(callee),
        legType: "SipToPstnMetered",
        recording: result === "Call connected" ? recorded : undefined,
        recordingSeconds: talk,
      }));
    } else {
      // Internal: a record in each user's log.
      let other = pick(users);
      if (other === user) other = users[(users.indexOf(user) + 1) % users.length];
      const missed = next() < 0.15;
      const durationMs = (missed ? 20 : talk) * 1000;
      const shared = {
        ...base,
        transport: "VoIP" as const,
        action: "VoIP Call",
        durationMs,
        from: party(user),
        to: party(other),
        legType: "ExtensionToExtension",
        recording: missed ? undefined : recorded,
        recordingSeconds: talk,
      };
      entries.push(
        entry(n, user, { ...shared, direction: "Outbound", result: missed ? "No Answer" : "Call connected" }),
        entry(n, other, { ...shared, direction: "Inbound", result: missed ? "Missed" : "Accepted" }, 1),
      );
    }
  }
  state.callLog = entries.sort((a, b) => a.start - b.start).concat(state.callLog); // older than any call made since
}

/** The `reason` RingCentral gives with a call's `result`, for the results that have one. */
export const REASONS: Record<string, string> = {
  "Accepted": "Accepted",
  "Call connected": "Connected",
  "Busy": "Line Busy",
  "No Answer": "Not Answered",
  "Missed": "No Answer",
};

/** One seeded record, with its one leg. */
function entry(
  n: number,
  owner: Extension,
  c: {
    sessionId: string;
    telephonySessionId: string;
    start: number;
    durationMs: number;
    direction: "Inbound" | "Outbound";
    action: string;
    result: string;
    transport: "PSTN" | "VoIP";
    from: CallLogParty;
    to: CallLogParty;
    legType: string;
    recording?: "Automatic" | "OnDemand";
    recordingSeconds: number;
  },
  party = 0,
): CallLogEntry {
  const leg: CallLogLeg = {
    legType: c.legType,
    direction: c.direction,
    action: c.action,
    result: c.result,
    ...(REASONS[c.result] ? { reason: REASONS[c.result] } : {}),
    start: c.start,
    durationMs: c.durationMs,
    transport: c.transport,
    from: c.from,
    to: c.to,
    master: true,
    extensionId: owner.id,
  };
  return {
    id: recordId(1_000_000_000 + n * 4 + party),
    extensionId: owner.id,
    sessionId: c.sessionId,
    telephonySessionId: c.telephonySessionId,
    partyId: `p-${c.telephonySessionId.slice(2)}-${party + 1}`,
    start: c.start,
    durationMs: c.durationMs,
    modified: c.start + c.durationMs,
    direction: c.direction,
    action: c.action,
    result: c.result,
    ...(REASONS[c.result] ? { reason: REASONS[c.result] } : {}),
    transport: c.transport,
    from: c.from,
    to: c.to,
    ...(c.recording
      ? { recording: { id: String(70_000_000 + n), type: c.recording, seconds: c.recordingSeconds } }
      : {}),
    legs: [leg],
  };
}
