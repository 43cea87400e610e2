/**
 * Presence in the emulator: what a user sets (`userStatus`, do-not-disturb,
 * a message) and what their calls make of it (`telephonyStatus`:
 * `Ringing`, `CallConnected`, `OnHold`, `NoCall`), read and set through the
 * API, and sent as presence events when it changes.
 * @module
 */
import type { Ctx } from "./_context.ts";
import { apiError, invalidParameter, type JsonBody, notOneOf } from "./_http.ts";
import { checkAccount, notFound } from "./_lookup.ts";
import type { Handler, Params } from "./_router.ts";
import type { Call, CallPartyState, EmulatorState, Extension, PresenceState } from "./state.ts";
import { parseFilter, publish } from "./subscriptions.ts";

const API = "/restapi/v1.0";
const USER_STATUSES = ["Offline", "Busy", "Available"];
const DND_STATUSES = [
  "TakeAllCalls",
  "DoNotAcceptDepartmentCalls",
  "TakeDepartmentCallsOnly",
  "DoNotAcceptAnyCalls",
  "Unknown",
];

/** An extension's presence settings, made on first use. */
function presenceOf(state: EmulatorState, extensionId: number): PresenceState {
  return state.presence[String(extensionId)] ??= {
    userStatus: "Available",
    dndStatus: "TakeAllCalls",
    allowSeeMyPresence: true,
    ringOnMonitoredCall: false,
    pickUpCallsOnHold: false,
    sequence: 0,
    telephonyStatus: "NoCall",
    activeCalls: "",
  };
}

/** What a party's status means for its extension's presence. */
function telephonyStatusOfParty(party: CallPartyState): string {
  switch (party.status) {
    case "Setup":
    case "Proceeding":
      return "Ringing";
    case "Answered":
      return "CallConnected";
    case "Hold":
      return "OnHold";
    default:
      return "NoCall";
  }
}

/** The extension's parties still on a call, with their calls. */
function liveParties(state: EmulatorState, extensionId: number): { call: Call; party: CallPartyState }[] {
  return state.calls.flatMap((call) =>
    call.parties
      .filter((p) => p.extensionId === extensionId && p.status !== "Disconnected")
      .map((party) => ({ call, party }))
  );
}

/** The extension's telephony status: connected beats on hold beats ringing. */
function telephonyStatusOf(state: EmulatorState, extensionId: number): string {
  const statuses = liveParties(state, extensionId).map(({ party }) => telephonyStatusOfParty(party));
  return ["CallConnected", "OnHold", "Ringing"].find((s) => statuses.includes(s)) ?? "NoCall";
}

/** One of `activeCalls[]` (`ActiveCallInfo`), with `sipData` when asked for. */
function activeCall(call: Call, party: CallPartyState, { sipData = false, ended = false } = {}) {
  const name = (n?: string) => n ? { fromName: n } : {};
  return {
    id: call.id.slice(2),
    direction: party.direction,
    from: party.from.phoneNumber,
    ...name(party.from.name),
    to: party.to.phoneNumber,
    ...(party.to.name ? { toName: party.to.name } : {}),
    startTime: new Date(party.joined).toISOString(),
    telephonyStatus: ended ? "NoCall" : telephonyStatusOfParty(party),
    sessionId: call.sessionId,
    telephonySessionId: call.id,
    partyId: party.id,
    ...(ended ? { terminationType: "final" } : {}),
    ...(sipData
      ? {
        sipData: {
          callId: call.id.slice(2, 18),
          toTag: party.status === "Proceeding" ? "blf" : call.id.slice(18, 26),
          fromTag: call.id.slice(26),
          remoteUri: `sip:${party.from.phoneNumber}@sip.ringcentral.com`,
          localUri: `sip:${party.to.phoneNumber}@sip.ringcentral.com`,
          rcSessionId: call.sessionId,
        },
      }
      : {}),
  };
}

/** Presence as the API and its events show it: aggregated from what the user set and their calls. */
function presenceJson(
  state: EmulatorState,
  extension: Extension,
  { detailed = false, sipData = false, ended }: {
    detailed?: boolean;
    sipData?: boolean;
    ended?: { call: Call; party: CallPartyState };
  } = {},
) {
  if (extension.type !== "User") return { presenceStatus: "Offline" as const };
  const p = presenceOf(state, extension.id);
  const telephonyStatus = telephonyStatusOf(state, extension.id);
  const busy = p.userStatus === "Busy" || p.dndStatus === "DoNotAcceptAnyCalls" ||
    telephonyStatus === "CallConnected" || telephonyStatus === "OnHold";
  const calls = liveParties(state, extension.id).map(({ call, party }) => activeCall(call, party, { sipData }));
  if (ended) calls.push(activeCall(ended.call, ended.party, { sipData, ended: true }));
  return {
    presenceStatus: p.userStatus === "Offline" ? "Offline" : busy ? "Busy" : "Available",
    telephonyStatus,
    userStatus: p.userStatus,
    dndStatus: p.dndStatus,
    ...(p.message !== undefined ? { message: p.message } : {}),
    allowSeeMyPresence: p.allowSeeMyPresence,
    ringOnMonitoredCall: p.ringOnMonitoredCall,
    pickUpCallsOnHold: p.pickUpCallsOnHold,
    meetingStatus: "Disconnected",
    ...(detailed ? { activeCalls: calls.slice(-7) } : {}),
  };
}

/**
 * Sends the extension's presence event when what it shows has changed:
 * its telephony status (to every presence filter), or only its active calls
 * (to the filters with `detailedTelephonyState=true`); `force` sends it
 * anyway (the user changed a setting). `ended` is a call the extension just
 * left: the event lists it with `terminationType: "final"`.
 */
export function presenceChanged(
  state: EmulatorState,
  extensionId: number,
  at: number,
  ended?: { call: Call; party: CallPartyState },
  force = false,
): void {
  const extension = state.extensions.find((e) => e.id === extensionId);
  if (!extension) return;
  const p = presenceOf(state, extensionId);
  const telephonyStatus = telephonyStatusOf(state, extensionId);
  const calls = liveParties(state, extensionId).map(({ call, party }) => `${call.id}:${telephonyStatusOfParty(party)}`)
    .join();
  const statusChanged = telephonyStatus !== p.telephonyStatus;
  if (!statusChanged && calls === p.activeCalls && !force) return;
  p.telephonyStatus = telephonyStatus;
  p.activeCalls = calls;
  p.sequence++;
  const path = `${API}/account/${state.account.id}/extension/${extensionId}/presence`;
  publish(state, at, (filter) => {
    const { path: filterPath, params } = parseFilter(filter);
    if (filterPath !== path) return undefined;
    const detailed = params.get("detailedTelephonyState") === "true";
    if (!statusChanged && !force && !detailed) return undefined;
    const { meetingStatus: _, ...body } = presenceJson(state, extension, {
      detailed,
      sipData: detailed && params.get("sipData") === "true",
      ended,
    }) as Record<string, unknown>;
    return {
      extensionId: String(extensionId),
      ...body,
      sequence: p.sequence,
      ...(detailed ? { meetingStatus: "Disconnected", totalActiveCalls: (body.activeCalls as unknown[]).length } : {}),
      ownerId: String(extensionId),
    };
  });
}

/** The extension a presence path names (any of the account's); a 404 for an unknown one. */
function extensionFor(ctx: Ctx, params: Params): Extension {
  checkAccount(ctx, params);
  const id = params.extensionId === "~" ? ctx.session!.extensionId : Number(params.extensionId);
  const extension = ctx.state.extensions.find((e) => e.id === id);
  if (!extension) throw notFound("extensionId");
  return extension;
}

function presenceUri(ctx: Ctx, extension: Extension): { uri: string; extension: JsonBody } {
  const uri = `${ctx.origin}${API}/account/${ctx.state.account.id}/extension/${extension.id}`;
  return {
    uri: `${uri}/presence`,
    extension: {
      uri,
      id: extension.id,
      ...(extension.extensionNumber ? { extensionNumber: extension.extensionNumber } : {}),
    },
  };
}

/** `GET …/presence`: anyone's in the account; `detailedTelephonyState=true` lists the active calls. */
function readPresence(ctx: Ctx, params: Params): JsonBody {
  const extension = extensionFor(ctx, params);
  const q = ctx.url.searchParams;
  const detailed = q.get("detailedTelephonyState") === "true";
  return {
    ...presenceUri(ctx, extension),
    ...presenceJson(ctx.state, extension, { detailed, sipData: detailed && q.get("sipData") === "true" }),
  };
}

/** `PUT …/presence`: the caller's own (an admin's: anyone's); the change is an event. */
async function updatePresence(ctx: Ctx, params: Params): Promise<JsonBody> {
  const extension = extensionFor(ctx, params);
  const me = ctx.state.extensions.find((e) => e.id === ctx.session!.extensionId);
  if (extension.id !== me?.id && !me?.admin) {
    throw apiError(403, {
      errorCode: "CMN-419",
      message:
        "In order to call this API endpoint for another extension, user needs to have permission granted with extended scope",
    });
  }
  if (extension.type !== "User") {
    throw apiError(403, {
      errorCode: "PRS-106",
      message: `Presence cannot be set for an extension of type ${extension.type}`,
    });
  }
  const body = await ctx.json() as Record<string, unknown> | undefined;
  if (!body || typeof body !== "object" || Array.isArray(body)) {
    throw invalidParameter("body", { detail: ' Send JSON such as {"userStatus": "Busy"}.' });
  }
  const p = presenceOf(ctx.state, extension.id);
  const oneOf = (name: string, values: string[]) => {
    const v = body[name];
    if (v === undefined) return undefined;
    if (typeof v !== "string" || !values.includes(v)) {
      throw notOneOf(name, String(v), values);
    }
    return v;
  };
  const flag = (name: string) => {
    const v = body[name];
    if (v !== undefined && typeof v !== "boolean") throw invalidParameter(name, { value: String(v) });
    return v as boolean | undefined;
  };
  const userStatus = oneOf("userStatus", USER_STATUSES) as PresenceState["userStatus"] | undefined;
  const dndStatus = oneOf("dndStatus", DND_STATUSES);
  const message = body.message;
  if (message !== undefined && (typeof message !== "string" || message.length > 75)) {
    throw invalidParameter("message", { detail: " It is text of at most 75 characters." });
  }
  const allow = flag("allowSeeMyPresence");
  const ring = flag("ringOnMonitoredCall");
  const pickUp = flag("pickUpCallsOnHold");
  if (userStatus !== undefined) p.userStatus = userStatus;
  if (dndStatus !== undefined) p.dndStatus = dndStatus;
  if (message !== undefined) p.message = message as string;
  if (allow !== undefined) p.allowSeeMyPresence = allow;
  if (ring !== undefined) p.ringOnMonitoredCall = ring;
  if (pickUp !== undefined) p.pickUpCallsOnHold = pickUp;
  presenceChanged(ctx.state, extension.id, ctx.now, undefined, true);
  return { ...presenceUri(ctx, extension), ...presenceJson(ctx.state, extension) };
}

/** The presence handlers, by operationId (call_routes.ts routes to them). */
export const presenceHandlers: Record<string, Handler<Ctx>> = {
  readUserPresenceStatus: readPresence,
  updateUserPresenceStatus: updatePresence,
};
