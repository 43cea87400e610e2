/**
 * Calls in the emulator: a telephony session with parties that move through
 * RingCentral's statuses (`Setup`, `Proceeding`, `Answered`, `Hold`,
 * `Disconnected`) as the emulated clock passes the steps of its plan. Each
 * status change is one telephony-session event, in order, and may change the
 * presence of the extension it concerns; when the last party disconnects,
 * the call becomes call-log records. Calls start from RingOut, from
 * `POST /__emulator/inbound-call`, and change by call control.
 * @module
 */
import { logCall } from "./call_log.ts";
import { presenceChanged } from "./presence.ts";
import { hexId } from "./_random.ts";
import { FAILING_RECIPIENT_PREFIX } from "./seed.ts";
import type { Call, CallEnd, CallPartyState, CallStep, EmulatorState, Extension } from "./state.ts";
import { parseFilter, publish } from "./subscriptions.ts";

const API = "/restapi/v1.0";
/** Seconds an unanswered inbound call rings before it is missed. */
export const RING_SECONDS = 30;
/** Seconds before a RingOut leg, or the target of a transfer, answers. */
const ANSWER_SECONDS = 3;
/** Seconds before a busy number says so. */
const BUSY_SECONDS = 2;
/** Seconds of talk of an inbound call once answered, unless the injection says otherwise. */
export const TALK_SECONDS = 60;
/** Seconds of talk of a RingOut once both legs answered. */
const RINGOUT_TALK_SECONDS = 20;
/** Seconds an ended call stays in the state (active calls list it for 120 s; a RingOut's status reads for 60 s). */
const KEEP_ENDED_SECONDS = 600;
/** Numbers that answer busy (the same test prefix that makes an SMS fail). */
const BUSY_PREFIX: string = FAILING_RECIPIENT_PREFIX;
/** Numbers that ring {@linkcode RING_SECONDS} and nobody answers (a RingOut ends `NoAnswer`). */
const NO_ANSWER_PREFIX = "+1555001";

/** The status codes a party goes through. */
export type PartyStatus = CallPartyState["status"];

/** A new, empty telephony session. */
function newCall(state: EmulatorState, at: number, origin: Call["origin"], talkSeconds: number): Call {
  const n = state.nextId++;
  const call: Call = {
    id: `s-${hexId(n)}`,
    sessionId: String(40_000_000_000 + n),
    origin,
    created: at,
    sequence: 0,
    parties: [],
    plan: [],
    talkSeconds,
  };
  state.calls.push(call);
  return call;
}

/** The extension that owns `number` (an E.164 number of the account, or an extension's short number). */
export function extensionOfNumber(state: EmulatorState, number: string): Extension | undefined {
  const owner = state.phoneNumbers.find((p) => p.phoneNumber === number)?.extensionId ??
    state.extensions.find((e) => e.extensionNumber === number)?.id;
  return owner === undefined ? undefined : state.extensions.find((e) => e.id === owner);
}

/** One end of a call for `number`, named when it belongs to the account. */
export function callEnd(state: EmulatorState, number: string): CallEnd {
  const owner = extensionOfNumber(state, number);
  return owner ? { phoneNumber: number, name: owner.name, extensionId: owner.id } : { phoneNumber: number };
}

/** Adds a party in `status` and announces it (its first event). */
function join(
  state: EmulatorState,
  call: Call,
  at: number,
  fields: Omit<CallPartyState, "id" | "status" | "since" | "joined" | "missedCall" | "muted" | "standAlone">,
  status: PartyStatus,
): CallPartyState {
  const party = add(call, at, fields, status);
  announce(state, call, party, at);
  return party;
}

/** Adds a party in `status`, not yet announced. */
function add(
  call: Call,
  at: number,
  fields: Omit<CallPartyState, "id" | "status" | "since" | "joined" | "missedCall" | "muted" | "standAlone">,
  status: PartyStatus,
): CallPartyState {
  const party: CallPartyState = {
    id: `p-${call.id.slice(2)}-${call.parties.length + 1}`,
    ...fields,
    status,
    since: at,
    joined: at,
    missedCall: false,
    muted: false,
    standAlone: false,
  };
  call.parties.push(party);
  return party;
}

/**
 * Moves a party to `status`: one telephony-session event, the presence of
 * its extension, and the end of the call when nobody is left on it.
 */
function setStatus(
  state: EmulatorState,
  call: Call,
  party: CallPartyState,
  status: PartyStatus,
  at: number,
  reason?: string,
): void {
  party.status = status;
  party.reason = reason;
  party.since = at;
  if (status === "Answered") party.answered ??= at;
  party.standAlone = status === "Hold";
  if (status === "Disconnected") {
    call.plan = call.plan.filter((s) => s.partyId !== party.id);
    // A recording is its party's: it stops when that party leaves (a transfer, a hang-up), not when the call ends.
    if (call.recording?.partyId === party.id) stopRecording(call, at);
  }
  announce(state, call, party, at);
  if (status === "Disconnected" && call.parties.every((p) => p.status === "Disconnected")) finish(state, call, at);
}

/** The event of a party's change, and the presence of its extension. */
function announce(state: EmulatorState, call: Call, party: CallPartyState, at: number): void {
  call.sequence++;
  emitSessionEvent(state, call, party, at);
  if (party.extensionId !== undefined) {
    presenceChanged(state, party.extensionId, at, party.status === "Disconnected" ? { call, party } : undefined);
  }
}

/** The call is over: its recording stops, and it becomes call-log records. */
function finish(state: EmulatorState, call: Call, at: number): void {
  call.ended = at;
  call.plan = [];
  stopRecording(call, at);
  logCall(state, call);
}

/** The call's recording, if it started and has not stopped, stops at `at` (paused or not). */
function stopRecording(call: Call, at: number): void {
  const recording = call.recording;
  if (!recording || recording.started === undefined || recording.stopped !== undefined) return;
  recording.active = false;
  recording.stopped = at;
}

/** The parties still on the call. */
function live(call: Call): CallPartyState[] {
  return call.parties.filter((p) => p.status !== "Disconnected");
}

/** Ends the call: every party still on it disconnects, the latest to join first. */
export function endCall(state: EmulatorState, call: Call, at: number, reason?: string): void {
  for (const party of live(call).reverse()) {
    if (party.status !== "Disconnected") setStatus(state, call, party, "Disconnected", at, reason);
  }
}

/** Replaces the steps of `kind` (for `partyId`, if given) with one at `at`. */
function schedule(call: Call, step: CallStep): void {
  call.plan = call.plan.filter((s) => !(s.kind === step.kind && s.partyId === step.partyId));
  call.plan.push(step);
}

/** A party answers: the caller is connected too, the recording starts, the talk is timed. */
function answered(state: EmulatorState, call: Call, party: CallPartyState, at: number): void {
  call.plan = call.plan.filter((s) => s.partyId !== party.id);
  setStatus(state, call, party, "Answered", at);
  if (call.origin === "RingOut" && party.ringOutRole === "Initiator") {
    const ringOut = call.ringOut!;
    const owner = state.extensions.find((e) => e.id === ringOut.extensionId)!;
    const to = ringOutTarget(call);
    const target = join(state, call, at, {
      ...(to.extensionId !== undefined ? { extensionId: to.extensionId } : {}),
      direction: "Inbound",
      from: { phoneNumber: ringOut.callerId ?? party.to.phoneNumber, name: owner.name, extensionId: owner.id },
      to,
      ringOutRole: "Target",
    }, "Proceeding");
    schedule(call, ringStep(to, target, at));
    startRecording(call, party, at);
    return;
  }
  const caller = call.parties[0];
  if (call.origin === "Call" && caller !== party && (caller.status === "Setup" || caller.status === "Proceeding")) {
    setStatus(state, call, caller, "Answered", at);
  }
  if (party.extensionId !== undefined) startRecording(call, party, at);
  schedule(call, { at: at + call.talkSeconds * 1000, kind: "hangup" });
}

/** Where a RingOut goes: kept on the Initiator's `from`, as RingCentral shows it. */
function ringOutTarget(call: Call): CallEnd {
  return call.parties.find((p) => p.ringOutRole === "Initiator")!.from;
}

function startRecording(call: Call, party: CallPartyState, at: number): void {
  const recording = call.recording;
  if (!recording || recording.partyId !== undefined) return;
  recording.partyId = party.id;
  recording.started = at;
  recording.active = true;
}

/** Runs one step of a call's plan. */
function run(state: EmulatorState, call: Call, step: CallStep): void {
  const party = call.parties.find((p) => p.id === step.partyId);
  switch (step.kind) {
    case "answer":
      if (party && (party.status === "Setup" || party.status === "Proceeding")) answered(state, call, party, step.at);
      return;
    case "noAnswer":
    case "busy":
      if (!party || party.status === "Disconnected") return;
      party.missedCall = step.kind === "noAnswer" && party.direction === "Inbound" && !party.ringOutRole;
      setStatus(state, call, party, "Disconnected", step.at, step.kind === "busy" ? "TargetBusy" : "NoAnswer");
      endCall(state, call, step.at);
      return;
    case "hangup":
      endCall(state, call, step.at);
      return;
  }
}

/**
 * Runs every step of every call that is due by `now`, in the order of their
 * times (a step may plan another one, due at once), then forgets the calls
 * that ended long ago.
 */
export function advanceCalls(state: EmulatorState, now: number): void {
  for (;;) {
    let due: { call: Call; step: CallStep } | undefined;
    for (const call of state.calls) {
      for (const step of call.plan) {
        if (step.at <= now && (!due || step.at < due.step.at)) due = { call, step };
      }
    }
    if (!due) break;
    due.call.plan.splice(due.call.plan.indexOf(due.step), 1);
    run(state, due.call, due.step);
  }
  const kept = state.calls.filter((c) => c.ended === undefined || now - c.ended < KEEP_ENDED_SECONDS * 1000);
  if (kept.length !== state.calls.length) state.calls.splice(0, state.calls.length, ...kept);
}

/** When the next step of any call is due (emulated ms), or `undefined` when no call has one. */
export function nextCallStep(state: EmulatorState): number | undefined {
  let next: number | undefined;
  for (const call of state.calls) for (const step of call.plan) next = Math.min(next ?? step.at, step.at);
  return next;
}

/** What `POST /__emulator/inbound-call` asks for. */
export interface InboundCall {
  /** The caller's number. */
  from: string;
  /** The number called, one of the account's. */
  to: string;
  /** Seconds until the callee answers; `undefined`: nobody answers, the call is missed. */
  answerAfterSeconds?: number;
  /** Seconds of talk once answered. */
  durationSeconds?: number;
  /** Record it (an automatic recording). */
  record?: boolean;
}

/**
 * A call arrives from `from` at `to`: the caller's party (`Setup`), the
 * callee's (`Setup`, then `Proceeding`: it rings); it is answered after
 * `answerAfterSeconds`, or missed after {@linkcode RING_SECONDS}.
 */
export function startInboundCall(state: EmulatorState, request: InboundCall, at: number): Call {
  const call = newCall(state, at, "Call", request.durationSeconds ?? TALK_SECONDS);
  if (request.record) call.recording = { id: String(state.nextId++), type: "Automatic", active: false };
  const from = callEnd(state, request.from);
  const to = callEnd(state, request.to);
  // Both parties are on the call before the first event, so that the callee's subscribers hear the caller's too.
  const caller = add(call, at, {
    ...(from.extensionId !== undefined ? { extensionId: from.extensionId } : {}),
    direction: "Outbound",
    from,
    to,
  }, "Setup");
  const callee = add(call, at, { extensionId: to.extensionId, direction: "Inbound", from, to }, "Setup");
  announce(state, call, caller, at);
  announce(state, call, callee, at);
  setStatus(state, call, callee, "Proceeding", at);
  schedule(
    call,
    request.answerAfterSeconds === undefined
      ? { at: at + RING_SECONDS * 1000, kind: "noAnswer", partyId: callee.id }
      : { at: at + request.answerAfterSeconds * 1000, kind: "answer", partyId: callee.id },
  );
  return call;
}

/**
 * A RingOut: the caller's own phone (`from`) rings first, as the
 * `Initiator` party; once it answers, the `to` number rings as the
 * `Target`, which answers (or is busy), and the talk lasts
 * {@linkcode RINGOUT_TALK_SECONDS}.
 */
export function startRingOut(
  state: EmulatorState,
  owner: Extension,
  { from, to, callerId }: { from: string; to: string; callerId?: string },
  at: number,
): Call {
  const call = newCall(state, at, "RingOut", RINGOUT_TALK_SECONDS);
  call.ringOut = { id: String(state.nextId++), extensionId: owner.id, ...(callerId ? { callerId } : {}) };
  const initiator = join(state, call, at, {
    extensionId: owner.id,
    direction: "Inbound",
    from: callEnd(state, to),
    to: { phoneNumber: from, name: owner.name, extensionId: owner.id },
    ringOutRole: "Initiator",
  }, "Proceeding");
  schedule(call, { at: at + ANSWER_SECONDS * 1000, kind: "answer", partyId: initiator.id });
  return call;
}

/** Cancels a RingOut that has not connected: both legs hang up. */
export function cancelRingOut(state: EmulatorState, call: Call, at: number): void {
  call.ringOut!.cancelled = true;
  endCall(state, call, at, "Cancelled");
}

/** Why a call-control action cannot happen now: the party's state does not allow it. */
export class WrongState extends Error {
  /** Makes one, its message said to the caller. */
  constructor(message: string) {
    super(message);
    this.name = "WrongState";
  }
}

function requireStatus(party: CallPartyState, allowed: PartyStatus[], action: string): void {
  if (!allowed.includes(party.status)) {
    throw new WrongState(
      `Incorrect State: party ${party.id} is ${party.status}; ${action} needs it ${allowed.join(" or ")}`,
    );
  }
}

/** Call control: a ringing party of the account answers. */
export function answer(state: EmulatorState, call: Call, party: CallPartyState, at: number): void {
  requireStatus(party, ["Setup", "Proceeding"], "answer");
  if (party.extensionId === undefined) throw new WrongState("Incorrect State: only a party of the account answers");
  answered(state, call, party, at);
}

/** Call control: puts an answered party on hold. */
export function hold(state: EmulatorState, call: Call, party: CallPartyState, at: number): void {
  requireStatus(party, ["Answered"], "hold");
  setStatus(state, call, party, "Hold", at);
}

/** Call control: takes a party off hold (it is `Answered` again). */
export function unhold(state: EmulatorState, call: Call, party: CallPartyState, at: number): void {
  requireStatus(party, ["Hold"], "unhold");
  setStatus(state, call, party, "Answered", at);
}

/** Call control: a ringing inbound party declines; the caller hangs up. */
export function reject(state: EmulatorState, call: Call, party: CallPartyState, at: number): void {
  requireStatus(party, ["Setup", "Proceeding"], "reject");
  if (party.direction !== "Inbound") throw new WrongState("Incorrect State: reject works on an inbound party");
  setStatus(state, call, party, "Disconnected", at, "Rejected");
  if (!live(call).some((p) => p.extensionId !== undefined)) endCall(state, call, at);
}

/**
 * Call control: a blind transfer. The party leaves the call
 * (`BlindTransfer`); the target joins and rings, answers after
 * {@linkcode ANSWER_SECONDS}, and talks for the call's talk time.
 */
export function transfer(state: EmulatorState, call: Call, party: CallPartyState, target: CallEnd, at: number): void {
  requireStatus(party, ["Answered", "Hold"], "transfer");
  call.plan = call.plan.filter((s) => s.kind !== "hangup");
  setStatus(state, call, party, "Disconnected", at, "BlindTransfer");
  ringInstead(state, call, party, target, at);
}

/**
 * Call control: forwards a ringing inbound party (before anyone answers)
 * to another number or extension. The party leaves (`CallRedirected`); the
 * target joins and rings, answers after {@linkcode ANSWER_SECONDS} (a
 * number starting {@linkcode BUSY_PREFIX} is busy), and talks for the
 * call's talk time.
 */
export function forward(state: EmulatorState, call: Call, party: CallPartyState, target: CallEnd, at: number): void {
  requireStatus(party, ["Setup", "Proceeding"], "forward");
  if (party.direction !== "Inbound" || party.extensionId === undefined) {
    throw new WrongState("Incorrect State: forward works on a ringing inbound party of the account");
  }
  setStatus(state, call, party, "Disconnected", at, "CallRedirected");
  ringInstead(state, call, party, target, at);
}

/**
 * Call control: the party stops ringing for this user (RingCentral's
 * "ignore", meant for a call-queue member). With nobody else of the account
 * ringing, the call is missed here (`missedCall`, `Missed` in the call log)
 * and ends (the emulator has no voicemail to send it to).
 */
export function ignore(state: EmulatorState, call: Call, party: CallPartyState, at: number): void {
  requireStatus(party, ["Setup", "Proceeding"], "ignore");
  if (party.direction !== "Inbound" || party.extensionId === undefined) {
    throw new WrongState("Incorrect State: ignore works on a ringing inbound party of the account");
  }
  party.missedCall = true;
  setStatus(state, call, party, "Disconnected", at, "NoAnswer");
  if (!live(call).some((p) => p.extensionId !== undefined)) endCall(state, call, at);
}

/** `target` joins the call in place of `left` (a transfer, a forward): it rings, then answers or is busy. */
function ringInstead(state: EmulatorState, call: Call, left: CallPartyState, target: CallEnd, at: number): void {
  const caller = call.parties[0];
  const joined = join(state, call, at, {
    ...(target.extensionId !== undefined ? { extensionId: target.extensionId } : {}),
    direction: "Inbound",
    from: caller.from,
    to: target,
    transferredFrom: left.id,
  }, "Setup");
  setStatus(state, call, joined, "Proceeding", at);
  schedule(call, ringStep(target, joined, at));
}

/**
 * What a number the account rings out to does: a test number starting
 * {@linkcode BUSY_PREFIX} is busy, one starting {@linkcode NO_ANSWER_PREFIX}
 * rings {@linkcode RING_SECONDS} unanswered; any other answers after
 * {@linkcode ANSWER_SECONDS}.
 */
function ringStep(to: CallEnd, party: CallPartyState, at: number): CallStep {
  if (to.phoneNumber.startsWith(BUSY_PREFIX)) return { at: at + BUSY_SECONDS * 1000, kind: "busy", partyId: party.id };
  if (to.phoneNumber.startsWith(NO_ANSWER_PREFIX)) {
    return { at: at + RING_SECONDS * 1000, kind: "noAnswer", partyId: party.id };
  }
  return { at: at + ANSWER_SECONDS * 1000, kind: "answer", partyId: party.id };
}

/** Call control: one party hangs up; with fewer than two left, the call ends. */
export function dropParty(state: EmulatorState, call: Call, party: CallPartyState, at: number): void {
  if (party.status === "Disconnected") return;
  setStatus(state, call, party, "Disconnected", at);
  if (live(call).length < 2) endCall(state, call, at);
}

/** The body of a party in a telephony-session event. */
function eventParty(state: EmulatorState, call: Call, party: CallPartyState) {
  const short = (end: CallEnd) => ({
    phoneNumber: end.phoneNumber,
    ...(end.name ? { name: end.name } : {}),
    ...(end.extensionId !== undefined ? { extensionId: String(end.extensionId) } : {}),
  });
  return {
    accountId: String(state.account.id),
    ...(party.extensionId !== undefined ? { extensionId: String(party.extensionId) } : {}),
    id: party.id,
    direction: party.direction,
    to: short(party.to),
    from: short(party.from),
    status: { code: party.status, ...(party.reason ? { reason: party.reason } : {}), rcc: false },
    park: {},
    missedCall: party.missedCall,
    standAlone: party.standAlone,
    muted: party.muted,
    ...(recordingsOf(call, party).length ? { recordings: recordingsOf(call, party) } : {}),
  };
}

/** The recordings of a party (`{id, active}`), as RingCentral lists them. */
function recordingsOf(call: Call, party: CallPartyState): { id: string; active: boolean }[] {
  return call.recording?.partyId === party.id ? [{ id: call.recording.id, active: call.recording.active }] : [];
}

/** Whether a party's change passes a telephony-session filter's parameters. */
function passes(call: Call, party: CallPartyState, params: URLSearchParams): boolean {
  const digits = (n: string) => n.replace(/\D/g, "");
  const direction = params.get("direction");
  if (direction && direction !== party.direction) return false;
  const codes = params.get("statusCode")?.split(",").map((c) => c.trim()).filter(Boolean);
  if (codes?.length && !codes.includes(party.status)) return false;
  if (params.get("missedCall") === "true" && !party.missedCall) return false;
  const number = params.get("phoneNumber");
  if (number && ![party.from.phoneNumber, party.to.phoneNumber].some((n) => digits(n) === digits(number))) {
    return false;
  }
  if (params.get("withRecordings") === "true" && !recordingsOf(call, party).length) return false;
  return true;
}

/**
 * One telephony-session event for the change of `party`: to the account's
 * filter, and to the filter of every extension with a party on the call.
 */
function emitSessionEvent(state: EmulatorState, call: Call, party: CallPartyState, at: number): void {
  const account = `${API}/account/${state.account.id}`;
  const involved = new Set(call.parties.flatMap((p) => p.extensionId === undefined ? [] : [String(p.extensionId)]));
  const body = {
    sequence: call.sequence,
    sessionId: call.sessionId,
    telephonySessionId: call.id,
    serverId: "10.13.22.28.TAM",
    eventTime: new Date(at).toISOString(),
    origin: { type: call.origin },
    parties: [eventParty(state, call, party)],
    accountId: String(state.account.id),
  };
  publish(state, at, (filter) => {
    const { path, params } = parseFilter(filter);
    if (path === `${account}/telephony/sessions`) return passes(call, party, params) ? body : undefined;
    const extension = /\/extension\/(\d+)\/telephony\/sessions$/.exec(path)?.[1];
    if (!path.startsWith(account) || !extension || !involved.has(extension)) return undefined;
    return passes(call, party, params) ? { ...body, extensionId: extension } : undefined;
  });
}

/** A telephony session as the API shows it (`CallSessionObject`). */
export function sessionJson(state: EmulatorState, call: Call) {
  return {
    id: call.id,
    origin: { type: call.origin },
    creationTime: new Date(call.created).toISOString(),
    parties: call.parties.map((p) => partyJson(state, call, p)),
  };
}

/** A party as the API shows it (`CallParty`). */
export function partyJson(state: EmulatorState, call: Call, party: CallPartyState) {
  const info = (end: CallEnd) => ({
    phoneNumber: end.phoneNumber,
    ...(end.name ? { name: end.name } : {}),
    ...(end.extensionId !== undefined ? { extensionId: String(end.extensionId) } : {}),
  });
  const account = String(state.account.id);
  return {
    id: party.id,
    ...(party.extensionId !== undefined
      ? {
        accountId: account,
        extensionId: String(party.extensionId),
        owner: { accountId: account, extensionId: String(party.extensionId) },
      }
      : {}),
    direction: party.direction,
    from: info(party.from),
    to: info(party.to),
    status: { code: party.status, ...(party.reason ? { reason: party.reason } : {}), rcc: false },
    muted: party.muted,
    standAlone: party.standAlone,
    park: {},
    attributes: {},
    ...(party.ringOutRole ? { ringOutRole: party.ringOutRole } : {}),
    recordings: recordingsOf(call, party),
  };
}
