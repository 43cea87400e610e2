/**
 * Call control in the emulator (`/restapi/v1.0/account/~/telephony/sessions/…`):
 * read a live session and its parties, answer, hold, unhold, transfer to
 * another extension or number, forward or ignore a ringing call, reject,
 * drop a party or the whole call, mute, and record on demand. An action in
 * the wrong state is RingCentral's 409 `TAS-102` "Incorrect State", with
 * what the state is and what the action needs. The actions the emulator
 * does not play (reply, flip, park, pickup, bridge, bring-in, supervise)
 * answer a 501 on a live session, instead of a sample that changes nothing.
 * @module
 */
import type { Ctx } from "./_context.ts";
import { apiError, baseHeaders, type HttpError, invalidParameter, json, type JsonBody } from "./_http.ts";
import { checkAccount, notFound } from "./_lookup.ts";
import type { Handler, Params } from "./_router.ts";
import {
  answer,
  callEnd,
  dropParty,
  endCall,
  extensionOfNumber,
  forward,
  hold,
  ignore,
  partyJson,
  reject,
  sessionJson,
  transfer,
  unhold,
  WrongState,
} from "./calls.ts";
import { sampledRoute } from "./sampled.ts";
import type { Call, CallEnd, CallPartyState } from "./state.ts";

/** The live session the path names, when the caller is on it (an admin: any). */
function sessionOf(ctx: Ctx, params: Params): Call {
  checkAccount(ctx, params);
  const me = ctx.session!.extensionId;
  const admin = !!ctx.state.extensions.find((e) => e.id === me)?.admin;
  const call = ctx.state.calls.find((c) => c.id === params.telephonySessionId && c.ended === undefined);
  if (!call || !(admin || call.parties.some((p) => p.extensionId === me))) throw notFound("telephonySessionId");
  return call;
}

function partyOf(ctx: Ctx, params: Params): { call: Call; party: CallPartyState } {
  const call = sessionOf(ctx, params);
  const party = call.parties.find((p) => p.id === params.partyId);
  if (!party) throw notFound("partyId");
  return { call, party };
}

/** RingCentral's 409 for an action the party's state does not allow. */
function conflict(e: WrongState): HttpError {
  return apiError(409, { errorCode: "TAS-102", message: e.message });
}

/** Runs a call-control action; a wrong state becomes the 409. */
function act(action: () => void): void {
  try {
    action();
  } catch (e) {
    if (e instanceof WrongState) throw conflict(e);
    throw e;
  }
}

/** The request's JSON object, or `{}` when it has no body. */
async function bodyOf(ctx: Ctx): Promise<Record<string, unknown>> {
  const body = await ctx.json();
  if (body === undefined) return {};
  if (!body || typeof body !== "object" || Array.isArray(body)) throw invalidParameter("body");
  return body as Record<string, unknown>;
}

const noContent = () => new Response(null, { status: 204, headers: baseHeaders() });

/** `POST …/answer`. */
function answerParty(ctx: Ctx, params: Params): JsonBody {
  const { call, party } = partyOf(ctx, params);
  act(() => answer(ctx.state, call, party, ctx.now));
  return partyJson(ctx.state, call, party);
}

/** `POST …/hold` (`proto` is accepted and changes nothing here). */
async function holdParty(ctx: Ctx, params: Params): Promise<JsonBody> {
  const { call, party } = partyOf(ctx, params);
  const { proto } = await bodyOf(ctx);
  const protos = ["Auto", "RC", "BroadWorks", "DisconnectHolder", "BroadWorksOrDisconnectHolder"];
  if (proto !== undefined && !protos.includes(proto as string)) {
    throw invalidParameter("proto", { value: String(proto) });
  }
  act(() => hold(ctx.state, call, party, ctx.now));
  return partyJson(ctx.state, call, party);
}

/** `POST …/unhold`. */
function unholdParty(ctx: Ctx, params: Params): JsonBody {
  const { call, party } = partyOf(ctx, params);
  act(() => unhold(ctx.state, call, party, ctx.now));
  return partyJson(ctx.state, call, party);
}

/** `POST …/reject`: 204. */
function rejectParty(ctx: Ctx, params: Params): Response {
  const { call, party } = partyOf(ctx, params);
  act(() => reject(ctx.state, call, party, ctx.now));
  return noContent();
}

/** Where a transfer (or a forward) goes: exactly one of `phoneNumber`, `extensionNumber`, `extensionId`. */
function transferTarget(ctx: Ctx, body: Record<string, unknown>, verb = "transfers"): CallEnd {
  const keys = ["phoneNumber", "extensionNumber", "extensionId", "voicemail", "parkOrbit"].filter((k) =>
    body[k] !== undefined
  );
  if (keys.length !== 1) {
    throw invalidParameter("body", {
      message: 'Send exactly one of phoneNumber, extensionNumber or extensionId, such as {"extensionNumber": "102"}',
    });
  }
  const [key] = keys;
  const value = String(body[key]);
  if (key === "voicemail" || key === "parkOrbit") {
    throw invalidParameter(key, {
      message: `The emulator ${verb} to a phoneNumber, an extensionNumber or an extensionId, not to ${key}`,
    });
  }
  if (key === "phoneNumber") {
    if (!/^\+?[1-9]\d{7,14}$/.test(value)) throw invalidParameter("phoneNumber", { value });
    return callEnd(ctx.state, value.startsWith("+") ? value : `+${value}`);
  }
  const extension = key === "extensionId"
    ? ctx.state.extensions.find((e) => String(e.id) === value)
    : extensionOfNumber(ctx.state, value);
  if (
    !extension || extension.status !== "Enabled" || (key === "extensionNumber" && extension.extensionNumber !== value)
  ) {
    throw notFound(key);
  }
  const number = ctx.state.phoneNumbers.find((p) => p.extensionId === extension.id && p.primary)?.phoneNumber ??
    extension.extensionNumber ?? value;
  return { phoneNumber: number, name: extension.name, extensionId: extension.id };
}

/** `POST …/transfer`: a blind transfer. */
async function transferParty(ctx: Ctx, params: Params): Promise<JsonBody> {
  const { call, party } = partyOf(ctx, params);
  const target = transferTarget(ctx, await bodyOf(ctx));
  act(() => transfer(ctx.state, call, party, target, ctx.now));
  return partyJson(ctx.state, call, party);
}

/** `POST …/forward`: a ringing call goes to another number or extension, unanswered here. */
async function forwardParty(ctx: Ctx, params: Params): Promise<JsonBody> {
  const { call, party } = partyOf(ctx, params);
  const target = transferTarget(ctx, await bodyOf(ctx), "forwards");
  act(() => forward(ctx.state, call, party, target, ctx.now));
  return partyJson(ctx.state, call, party);
}

/** `POST …/ignore` `{"deviceId": "…"}`: 204; the party stops ringing. */
async function ignoreParty(ctx: Ctx, params: Params): Promise<Response> {
  const { call, party } = partyOf(ctx, params);
  const { deviceId } = await bodyOf(ctx);
  if (typeof deviceId !== "string" || !deviceId) {
    throw invalidParameter("deviceId", {
      message: 'Parameter [deviceId] is required: send the ringing device\'s id, such as {"deviceId": "1"}',
    });
  }
  act(() => ignore(ctx.state, call, party, ctx.now));
  return noContent();
}

/** What the actions the emulator does not play do on RingCentral, and what to use instead. */
const NOT_EMULATED: Record<string, string> = {
  reply: "reply answers a ringing call with a text message; use reject, forward or ignore",
  flip: "flip moves a call to another of your phones; use transfer",
  park: "park puts a call in a park orbit; use hold, or transfer",
  pickup: "pickup takes a call parked or ringing elsewhere; use answer on a ringing party",
  bridge: "bridge joins two calls; use transfer",
  "bring-in": "bring-in adds a party to a call; use transfer",
  supervise: "supervise lets a supervisor listen in; use GET on the session to follow it",
};

/**
 * A call-control action the emulator does not play: on a live session,
 * RingCentral-shaped 501 that names what works instead; on a session it
 * does not know, the spec's sample (as any operation it does not emulate).
 */
async function notEmulated(ctx: Ctx, params: Params): Promise<Response> {
  const me = ctx.session!.extensionId;
  const admin = !!ctx.state.extensions.find((e) => e.id === me)?.admin;
  const call = ctx.state.calls.find((c) => c.id === params.telephonySessionId && c.ended === undefined);
  if (!call || !(admin || call.parties.some((p) => p.extensionId === me))) {
    const sampled = await sampledRoute(ctx.request.method, ctx.url.pathname, true);
    const result = await sampled.route!.handler(ctx, sampled.params);
    return result instanceof Response ? result : json(result);
  }
  const action = ctx.url.pathname.split("/").at(-1)!;
  throw apiError(501, {
    errorCode: "EMU-501",
    message:
      `${action} is not emulated on a live session (${call.id}): on RingCentral, ${
        NOT_EMULATED[action] ?? "see the API reference"
      }. The emulator plays answer, hold, unhold, transfer, forward, ignore, reject, recordings, ` +
      "PATCH and DELETE of a party, and DELETE of the session.",
  });
}

/** `PATCH …/parties/{id}` `{"party": {"muted": true}}` (or the fields at top level, as the guide's example). */
async function updateParty(ctx: Ctx, params: Params): Promise<JsonBody> {
  const { call, party } = partyOf(ctx, params);
  const body = await bodyOf(ctx);
  const fields = (typeof body.party === "object" && body.party ? body.party : body) as Record<string, unknown>;
  for (const name of ["muted", "standAlone"] as const) {
    const v = fields[name];
    if (v === undefined) continue;
    if (typeof v !== "boolean") throw invalidParameter(`party.${name}`, { value: String(v) });
    party[name] = v;
  }
  return partyJson(ctx.state, call, party);
}

/** `POST …/recordings`: records the call on demand (201), unless it is recorded already (409). */
function startRecording(ctx: Ctx, params: Params): Response {
  const { call, party } = partyOf(ctx, params);
  if (call.recording?.partyId !== undefined) {
    throw conflict(new WrongState(`Incorrect State: the call is recorded already (recording ${call.recording.id})`));
  }
  if (party.status !== "Answered" && party.status !== "Hold") {
    throw conflict(new WrongState(`Incorrect State: party ${party.id} is ${party.status}; record an answered call`));
  }
  call.recording = {
    id: String(ctx.state.nextId++),
    type: "OnDemand",
    active: true,
    partyId: party.id,
    started: ctx.now,
  };
  return json({ id: call.recording.id, active: true }, 201);
}

/** `PATCH …/recordings/{id}` `{"active": false}` pauses, `true` resumes. */
async function pauseResumeRecording(ctx: Ctx, params: Params): Promise<JsonBody> {
  const { call } = partyOf(ctx, params);
  const recording = call.recording;
  if (!recording || recording.id !== params.recordingId) throw notFound("recordingId");
  const { active } = await bodyOf(ctx);
  if (typeof active !== "boolean") {
    throw invalidParameter("active", { message: 'Send {"active": false} to pause, {"active": true} to resume' });
  }
  recording.active = active;
  return { id: recording.id, active };
}

/** The call-control handlers, by operationId (call_routes.ts routes to them). */
export const callControlHandlers: Record<string, Handler<Ctx>> = {
  readCallSessionStatus: (ctx, p) => sessionJson(ctx.state, sessionOf(ctx, p)),
  deleteCallSession: (ctx, p) => {
    endCall(ctx.state, sessionOf(ctx, p), ctx.now);
    return noContent();
  },
  readCallPartyStatus: (ctx, p) => {
    const { call, party } = partyOf(ctx, p);
    return partyJson(ctx.state, call, party);
  },
  updateCallParty: updateParty,
  deleteCallParty: (ctx, p) => {
    const { call, party } = partyOf(ctx, p);
    dropParty(ctx.state, call, party, ctx.now);
    return noContent();
  },
  answerCallParty: answerParty,
  holdCallParty: holdParty,
  unholdCallParty: unholdParty,
  transferCallParty: transferParty,
  forwardCallParty: forwardParty,
  ignoreCallInQueue: ignoreParty,
  notEmulatedCallControl: notEmulated,
  rejectParty: rejectParty,
  startCallRecording: startRecording,
  pauseResumeCallRecording: pauseResumeRecording,
};
