/**
 * RingOut in the emulator: `POST …/ring-out` places a two-leg call (the
 * caller's own phone rings first, then the number called), `GET` follows
 * its status (`InProgress`, then `Success` or a failure such as `Busy`),
 * `DELETE` cancels it while it has not connected. The call itself is a
 * telephony session of `calls.ts`, with its events.
 * @module
 */
import type { Ctx } from "./_context.ts";
import { baseHeaders, invalidParameter, type JsonBody } from "./_http.ts";
import { extensionOf, notFound } from "./_lookup.ts";
import type { Handler, Params } from "./_router.ts";
import { cancelRingOut, startRingOut } from "./calls.ts";
import type { Call } from "./state.ts";

/** Seconds a finished RingOut's status can still be read. */
const KEEP_STATUS_SECONDS = 60;

/**
 * A number as RingOut takes it: E.164 (`+16505550123`), the same without
 * `+` (`16505550123`), ten digits of a US number, or (for `to` only) an
 * extension's short number.
 */
function ringOutNumber(raw: unknown, { extension = false } = {}): string | undefined {
  if (typeof raw !== "string") return undefined;
  const n = raw.replace(/[\s().-]/g, "");
  if (/^\+[1-9]\d{7,14}$/.test(n)) return n;
  if (/^1\d{10}$/.test(n) || /^[2-9]\d{11,13}$/.test(n)) return `+${n}`;
  if (/^[2-9]\d{9}$/.test(n)) return `+1${n}`;
  if (extension && /^\d{1,5}$/.test(n)) return n;
  return undefined;
}

/** The RingOut's status, derived from its two legs. */
function statusOf(call: Call) {
  const initiator = call.parties.find((p) => p.ringOutRole === "Initiator")!;
  const target = call.parties.find((p) => p.ringOutRole === "Target");
  const cancelled = !!call.ringOut!.cancelled;
  const leg = (party = target) => {
    if (!party) return cancelled ? "Rejected" : "InProgress";
    if (party.answered !== undefined) return party.status === "Disconnected" ? "Finished" : "Success";
    if (party.status !== "Disconnected") return "InProgress";
    if (cancelled) return "Rejected";
    return party.reason === "TargetBusy" ? "Busy" : "NoAnswer";
  };
  const callerStatus = leg(initiator);
  const calleeStatus = leg(target);
  const callStatus = target?.answered !== undefined
    ? "Success"
    : call.ended === undefined
    ? "InProgress"
    : calleeStatus !== "InProgress"
    ? calleeStatus
    : callerStatus;
  return { callStatus, callerStatus, calleeStatus };
}

function ringOutJson(ctx: Ctx, call: Call): JsonBody {
  const path = `/restapi/v1.0/account/${ctx.state.account.id}/extension/${call.ringOut!.extensionId}/ring-out`;
  return { uri: `${ctx.origin}${path}/${call.ringOut!.id}`, id: call.ringOut!.id, status: statusOf(call) };
}

/** The caller's RingOut `ringoutId`, while it can be read: until a minute after it ended, or until cancelled. */
function ringOutOf(ctx: Ctx, params: Params): Call {
  const extension = extensionOf(ctx, params, true);
  const call = ctx.state.calls.find((c) =>
    c.ringOut?.id === params.ringoutId && c.ringOut.extensionId === extension.id
  );
  const gone = !call || call.ringOut!.cancelled ||
    (call.ended !== undefined && ctx.now - call.ended > KEEP_STATUS_SECONDS * 1000);
  if (gone) throw notFound("ringoutId");
  return call;
}

/** `POST …/ring-out` `{from: {phoneNumber}, to: {phoneNumber}, callerId?, playPrompt?}`. */
async function placeRingOut(ctx: Ctx, params: Params): Promise<JsonBody> {
  const extension = extensionOf(ctx, params, true);
  const body = await ctx.json() as {
    from?: { phoneNumber?: unknown; forwardingNumberId?: unknown };
    to?: { phoneNumber?: unknown };
    callerId?: { phoneNumber?: unknown };
  } | undefined;
  if (!body || typeof body !== "object") {
    throw invalidParameter("body", {
      detail: ' Send JSON such as {"from": {"phoneNumber": "+16505550101"}, "to": {"phoneNumber": "+14155550123"}}.',
    });
  }
  if (body.from?.forwardingNumberId !== undefined && body.from.phoneNumber === undefined) {
    throw notFound("forwardingNumberId");
  }
  const from = ringOutNumber(body.from?.phoneNumber);
  if (!from) {
    throw invalidParameter("from.phoneNumber", {
      value: String(body.from?.phoneNumber ?? ""),
      detail: " The phone that rings first (yours), in E.164 format such as +16505550101.",
    });
  }
  const to = ringOutNumber(body.to?.phoneNumber, { extension: true });
  if (!to) {
    throw invalidParameter("to.phoneNumber", {
      value: String(body.to?.phoneNumber ?? ""),
      detail: " The number to call, in E.164 format such as +14155550123, or an extension number.",
    });
  }
  const callerId = body.callerId?.phoneNumber === undefined ? undefined : ringOutNumber(body.callerId.phoneNumber);
  if (body.callerId?.phoneNumber !== undefined && !ctx.state.phoneNumbers.some((p) => p.phoneNumber === callerId)) {
    throw invalidParameter("callerId.phoneNumber", {
      value: String(body.callerId.phoneNumber),
      message: "Caller ID should be one of company direct numbers",
    });
  }
  const call = startRingOut(ctx.state, extension, { from, to, callerId }, ctx.now);
  return ringOutJson(ctx, call);
}

function cancel(ctx: Ctx, params: Params): Response {
  const call = ringOutOf(ctx, params);
  // As on RingCentral, only a RingOut that has not connected is cancelled; a connected call goes on.
  const target = call.parties.find((p) => p.ringOutRole === "Target");
  if (call.ended === undefined && target?.answered === undefined) cancelRingOut(ctx.state, call, ctx.now);
  return new Response(null, { status: 204, headers: baseHeaders() });
}

/** The RingOut handlers, by operationId (call_routes.ts routes to them). */
export const ringOutHandlers: Record<string, Handler<Ctx>> = {
  createRingOutCall: placeRingOut,
  readRingOutCallStatus: (ctx, params) => ringOutJson(ctx, ringOutOf(ctx, params)),
  deleteRingOutCall: cancel,
};
