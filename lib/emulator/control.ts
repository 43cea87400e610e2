/**
 * The emulator's control API under `/__emulator/`: statistics, the emulated
 * clock, queued faults, inbound SMS, MMS, faxes, calls and Team Messaging posts, and reset, as entries of the one route
 * table. Not
 * part of RingCentral's API.
 * @module
 */
import type { Ctx } from "./_context.ts";
import { parseFault } from "./faults.ts";
import { HttpError, invalidParameter, json, type JsonBody } from "./_http.ts";
import type { Route } from "./_router.ts";
import { receiveSms } from "./messages.ts";
import { inboundPost } from "./team_messaging.ts";
import { loadCallCode } from "./call_routes.ts";
import type { Fault, PhoneNumber, StoredAttachment } from "./state.ts";
import { faxNumberOf, receiveFax } from "./fax.ts";
import { attendeeOf } from "./room.ts";
import { dropSockets, expireSockets } from "./websocket.ts";

function stats(ctx: Ctx): JsonBody {
  const { state } = ctx;
  return {
    ...state.stats,
    sessions: [...state.sessions.values()].filter((s) => !s.revoked).length,
    now: new Date(ctx.now).toISOString(),
  };
}

function clock(ctx: Ctx): JsonBody {
  return { now: new Date(ctx.now).toISOString(), offsetSeconds: ctx.state.clockOffset / 1000 };
}

async function advanceClock(ctx: Ctx): Promise<JsonBody> {
  const s = (await ctx.json() as { advanceSeconds?: unknown } | undefined)?.advanceSeconds;
  if (typeof s !== "number" || !Number.isFinite(s) || s < 0 || s > MAX_ADVANCE_SECONDS) {
    throw invalidParameter("advanceSeconds", {
      message: `Send {"advanceSeconds": n} with 0 ≤ n ≤ ${MAX_ADVANCE_SECONDS} (ten years)`,
    });
  }
  if (ctx.state.clockOffset / 1000 + s > MAX_ADVANCE_SECONDS * 10) {
    throw invalidParameter("advanceSeconds", {
      message: "The clock is a century ahead already: POST /__emulator/reset",
    });
  }
  ctx.state.clockOffset += s * 1000;
  expireSockets(ctx.state, ctx.now + s * 1000); // idle and absolute timeouts fall due on the emulated clock
  return { now: new Date(ctx.now + s * 1000).toISOString(), offsetSeconds: ctx.state.clockOffset / 1000 };
}

/** `POST /__emulator/faults`: queues faults; in a room, an attendee's apply to their own requests only. */
async function queueFaults(ctx: Ctx): Promise<Response> {
  const body = await ctx.json();
  const faults: Fault[] = [];
  const attendee = attendeeOf(ctx);
  for (const item of Array.isArray(body) ? body : [body]) {
    const f = parseFault(item);
    if (typeof f === "string") throw invalidParameter("fault", { message: `Invalid fault: ${f}` });
    faults.push(attendee === undefined ? f : { ...f, extensionId: attendee });
  }
  ctx.state.faults.push(...faults);
  return json({ queued: faults.length, faults: visibleFaults(ctx) }, 201);
}

/** The faults the caller may see: all of them, or an attendee's own. */
function visibleFaults(ctx: Ctx): Fault[] {
  const attendee = attendeeOf(ctx);
  return attendee === undefined ? ctx.state.faults : ctx.state.faults.filter((f) => f.extensionId === attendee);
}

function clearFaults(ctx: Ctx): JsonBody {
  const attendee = attendeeOf(ctx);
  const kept = attendee === undefined ? [] : ctx.state.faults.filter((f) => f.extensionId !== attendee);
  ctx.state.faults.splice(0, ctx.state.faults.length, ...kept);
  return { faults: [] };
}

const E164 = /^\+[1-9]\d{7,14}$/;

/** The recipient of an injected message: `to` when given, else `pick(userId)` of the caller (or the first user). */
function recipientOf(
  ctx: Ctx,
  to: unknown,
  pick: (userId: number) => PhoneNumber | undefined,
): PhoneNumber | undefined {
  const { state } = ctx;
  const bearer = /^bearer\s+(\S+)$/i.exec(ctx.request.headers.get("authorization") ?? "")?.[1];
  const token = bearer ? state.tokens.get(bearer) : undefined;
  const userId = token?.kind === "access" ? token.session.extensionId : state.extensions[0].id;
  return typeof to === "string"
    ? state.phoneNumbers.find((p) => p.phoneNumber === to && p.extensionId !== undefined)
    : pick(userId);
}

/** The largest attachment an injected message takes, all files together (as RingCentral's MMS limit). */
const MAX_INJECTED_BYTES = 1_500_000;

/**
 * The files of an injected message: `[{ "contentType": "image/png", "base64": "…", "fileName": "…" }]`,
 * at most 10, 1.5 MB in all; `bad(message)` makes the error.
 */
function injectedFiles(input: unknown, bad: (message: string) => Error): Omit<StoredAttachment, "id">[] {
  if (input === undefined) return [];
  const shape = 'attachments is a list of {"contentType": "image/png", "base64": "…", "fileName": "dot.png"}';
  if (!Array.isArray(input) || input.length > 10) throw bad(`${shape}, at most 10`);
  let total = 0;
  return input.map((a, i) => {
    const item = (a ?? {}) as { contentType?: unknown; base64?: unknown; fileName?: unknown };
    if (typeof item.contentType !== "string" || !/^[\w.+-]+\/[\w.+-]+$/.test(item.contentType)) {
      throw bad(`attachment ${i + 1} has no contentType such as image/png: ${shape}`);
    }
    let data: Uint8Array<ArrayBuffer>;
    try {
      if (typeof item.base64 !== "string" || !item.base64) throw new TypeError();
      data = Uint8Array.fromBase64(item.base64.replace(/\s+/g, ""));
    } catch {
      throw bad(`attachment ${i + 1}'s base64 is not base64 text: ${shape}`);
    }
    total += data.length;
    if (total > MAX_INJECTED_BYTES) throw bad(`the attachments are more than ${MAX_INJECTED_BYTES} bytes in all`);
    if (item.fileName !== undefined && typeof item.fileName !== "string") throw bad(`fileName is text: ${shape}`);
    return {
      contentType: item.contentType,
      size: data.length,
      ...(item.fileName ? { fileName: item.fileName } : {}),
      data,
    };
  });
}

/**
 * `POST /__emulator/inbound-sms` `{ "from": "+1…", "text": "…", "to": "+1…", "attachments": [...] }`:
 * an SMS arrives, an MMS with `attachments` (`[{ "contentType": "image/png", "base64": "…",
 * "fileName": "dot.png" }]`, the text then optional). `to` defaults to an SMS number of the user
 * whose Bearer token the request carries, else of the account's first user (101). The message
 * lands in that user's message store, unread.
 */
function inboundSms(ctx: Ctx): Promise<Response> {
  return ctx.json().then((input) => {
    const body = (input ?? {}) as { from?: unknown; text?: unknown; to?: unknown; attachments?: unknown };
    const bad = (message: string) => invalidParameter("inbound-sms", { message });
    if (typeof body.from !== "string" || !E164.test(body.from)) {
      throw bad('Send {"from": "+16505550123", "text": "…"}: from is an E.164 number');
    }
    const files = injectedFiles(body.attachments, bad);
    const text = body.text ?? (files.length ? "" : undefined);
    if (typeof text !== "string" || (!text && !files.length) || text.length > 1000) {
      throw bad("text is 1 to 1000 characters (or give attachments for an MMS)");
    }
    const { state } = ctx;
    const to = recipientOf(
      ctx,
      body.to,
      (userId) => state.phoneNumbers.find((p) => p.extensionId === userId && p.features.includes("SmsSender")),
    );
    if (to && attendeeOf(ctx) !== undefined && to.extensionId !== attendeeOf(ctx)) {
      throw bad("in a workshop room, an SMS you inject goes to one of your own numbers");
    }
    if (!to) {
      throw bad(`to is none of the account's numbers${body.to === undefined ? " (this user has no SMS number)" : ""}`);
    }
    const { id, extensionId, attachments } = receiveSms(ctx, body.from, to, text, files);
    return json({
      id,
      extensionId,
      to: to.phoneNumber,
      from: body.from,
      ...(attachments.length
        ? { attachments: attachments.map((a) => ({ id: a.id, contentType: a.contentType })) }
        : {}),
    }, 201);
  });
}

/**
 * `POST /__emulator/inbound-fax` `{ "from": "+1…", "to": "+1…", "pages": 2, "attachments": [...] }`:
 * a fax arrives at `to` (by default the fax number of the user whose Bearer token the request
 * carries, else of the account's first user): its document is `attachments` (as for inbound-sms),
 * else a PDF of `pages` pages (default 1). It lands in the number's owner's message store, unread.
 */
async function inboundFax(ctx: Ctx): Promise<Response> {
  const input = await ctx.json();
  const example = 'Send {"from": "+14155550123", "pages": 2}';
  if (!input || typeof input !== "object" || Array.isArray(input)) {
    throw invalidParameter("inbound-fax", { message: example });
  }
  const body = input as Record<string, unknown>;
  const bad = (message: string) => invalidParameter("inbound-fax", { message: `${message}. ${example}` });
  const known = ["from", "to", "pages", "attachments"];
  const unknown = Object.keys(body).filter((k) => !known.includes(k));
  if (unknown.length) throw bad(`Unknown field ${unknown.join(", ")}; the fields are ${known.join(", ")}`);
  if (typeof body.from !== "string" || !E164.test(body.from)) throw bad("from is the sender's E.164 number");
  const pages = body.pages ?? 1;
  if (typeof pages !== "number" || !Number.isInteger(pages) || pages < 1 || pages > 100) {
    throw bad("pages is a whole number from 1 to 100");
  }
  const files = injectedFiles(body.attachments, bad);
  const to = recipientOf(ctx, body.to, (userId) => faxNumberOf(ctx, userId));
  if (!to) {
    throw bad(
      body.to === undefined
        ? "This user has no fax number: give to, one of the account's numbers"
        : "to is one of the account's numbers (GET /restapi/v1.0/account/~/extension/~/phone-number lists them)",
    );
  }
  if (attendeeOf(ctx) !== undefined && to.extensionId !== attendeeOf(ctx)) {
    throw bad("In a workshop room, a fax you inject goes to one of your own numbers");
  }
  const fax = receiveFax(ctx, body.from, to, { pages, files });
  return json({
    id: fax.id,
    extensionId: fax.extensionId,
    to: to.phoneNumber,
    from: body.from,
    faxPageCount: fax.fax!.pageCount,
    attachments: fax.attachments.map((a) => ({ id: a.id, contentType: a.contentType })),
  }, 201);
}

/**
 * `POST /__emulator/inbound-call` `{ "from": "+1…", "to": "+1…", "answerAfterSeconds": 3,
 * "durationSeconds": 30, "record": true }`: a call arrives at `to` (by default the direct number of the
 * user whose Bearer token the request carries, else of the account's first user) and plays out on the
 * emulated clock: it rings, is answered after `answerAfterSeconds` (absent or null: nobody answers, and
 * after RING_SECONDS it is missed), lasts `durationSeconds`, and is recorded when `record` is true.
 * Answers `{ "telephonySessionId": "s-…" }`, with the callee's `partyId`.
 */
async function inboundCall(ctx: Ctx): Promise<Response> {
  const input = await ctx.json();
  const example = 'Send {"from": "+14155550123", "answerAfterSeconds": 3, "durationSeconds": 30, "record": true}';
  if (!input || typeof input !== "object" || Array.isArray(input)) {
    throw invalidParameter("inbound-call", { message: example });
  }
  const body = input as Record<string, unknown>;
  const bad = (message: string) => invalidParameter("inbound-call", { message: `${message}. ${example}` });
  const known = ["from", "to", "answerAfterSeconds", "durationSeconds", "record"];
  const unknown = Object.keys(body).filter((k) => !known.includes(k));
  if (unknown.length) throw bad(`Unknown field ${unknown.join(", ")}; the fields are ${known.join(", ")}`);
  if (typeof body.from !== "string" || !E164.test(body.from)) throw bad("from is the caller's E.164 number");
  const seconds = (name: string, max: number) => {
    const v = body[name];
    if (v === undefined || v === null) return undefined;
    if (typeof v !== "number" || !Number.isFinite(v) || v < 0 || v > max) {
      throw bad(`${name} is a number of seconds from 0 to ${max}`);
    }
    return v;
  };
  const answerAfterSeconds = seconds("answerAfterSeconds", 3600);
  const durationSeconds = seconds("durationSeconds", 86_400);
  if (durationSeconds === 0) throw bad("durationSeconds is more than 0");
  if (body.record !== undefined && typeof body.record !== "boolean") throw bad("record is true or false");
  const { state } = ctx;
  const bearer = /^bearer\s+(\S+)$/i.exec(ctx.request.headers.get("authorization") ?? "")?.[1];
  const token = bearer ? state.tokens.get(bearer) : undefined;
  const userId = token?.kind === "access" ? token.session.extensionId : state.extensions[0].id;
  let to: string;
  if (body.to === undefined) {
    const own = state.phoneNumbers.filter((p) => p.extensionId === userId && p.type !== "FaxOnly");
    const direct = own.find((p) => p.usageType === "DirectNumber") ?? own[0];
    if (!direct) throw bad("This user has no phone number to call: give to, one of the account's numbers");
    to = direct.phoneNumber;
  } else {
    if (
      typeof body.to !== "string" ||
      !state.phoneNumbers.some((p) => p.phoneNumber === body.to && p.extensionId !== undefined)
    ) {
      throw bad("to is one of the account's numbers (GET /restapi/v1.0/account/~/extension/~/phone-number lists them)");
    }
    to = body.to;
  }
  const owner = state.phoneNumbers.find((p) => p.phoneNumber === to)!.extensionId;
  const caller = state.phoneNumbers.find((p) => p.phoneNumber === body.from)?.extensionId;
  if (caller !== undefined && caller === owner) {
    const whose = state.extensions.find((e) => e.id === owner);
    throw bad(
      `from and to are both numbers of ${whose?.name ?? "the same extension"} (${
        body.from === to ? to : `${body.from} and ${to}`
      }): an extension does not call itself. Give from an outside number such as +14155550123${
        body.to === undefined ? " (to defaults to your own direct number)" : ""
      }`,
    );
  }
  if (attendeeOf(ctx) !== undefined && owner !== attendeeOf(ctx)) {
    throw bad("In a workshop room, a call you inject goes to one of your own numbers");
  }
  const { RING_SECONDS, startInboundCall, TALK_SECONDS } = (await loadCallCode()).calls;
  const call = startInboundCall(state, {
    from: body.from,
    to,
    ...(answerAfterSeconds !== undefined ? { answerAfterSeconds } : {}),
    ...(durationSeconds !== undefined ? { durationSeconds } : {}),
    record: body.record === true,
  }, ctx.now);
  return json({
    telephonySessionId: call.id,
    sessionId: call.sessionId,
    partyId: call.parties[1].id,
    from: body.from,
    to,
    ringsUntil: answerAfterSeconds === undefined
      ? new Date(ctx.now + RING_SECONDS * 1000).toISOString()
      : new Date(ctx.now + answerAfterSeconds * 1000).toISOString(),
    talkSeconds: durationSeconds ?? TALK_SECONDS,
  }, 201);
}

function reset(ctx: Ctx): JsonBody {
  ctx.reset();
  return { reset: true };
}

/** The answer to an unknown `/__emulator/` path. */
export function unknownControl(): HttpError {
  return new HttpError(json({
    errorCode: "AGW-404",
    message:
      "Unknown emulator control. Try GET /__emulator/stats, POST /__emulator/clock, POST /__emulator/faults, POST /__emulator/inbound-sms, POST /__emulator/inbound-fax, POST /__emulator/inbound-call, POST /__emulator/inbound-post, POST /__emulator/drop-sockets, POST /__emulator/webhook-failures or POST /__emulator/reset",
    errors: [],
  }, 404));
}

const C = "/__emulator";
/** `POST /__emulator/drop-sockets` `{"recoverable": false}`: closes every WebSocket, as a network failure would. */
async function dropAll(ctx: Ctx): Promise<JsonBody> {
  const body = (await ctx.json() ?? {}) as { recoverable?: unknown };
  if (body.recoverable !== undefined && typeof body.recoverable !== "boolean") {
    throw invalidParameter("recoverable", { message: 'Send {"recoverable": false} to make recovery fail, or no body' });
  }
  return { dropped: dropSockets(ctx.state, ctx.now, body.recoverable !== false) };
}

/** `POST /__emulator/webhook-failures` `{"times": n}`: the next n webhook deliveries fail (as a 503 would). */
async function failWebhooks(ctx: Ctx): Promise<JsonBody> {
  const times = ((await ctx.json() ?? {}) as { times?: unknown }).times;
  if (typeof times !== "number" || !Number.isInteger(times) || times < 0 || times > 1000) {
    throw invalidParameter("times", {
      message: 'Send {"times": n} with 0 ≤ n ≤ 1000: the next n webhook deliveries fail',
    });
  }
  ctx.state.webhookFailures = times;
  return { webhookFailures: times };
}

/** The furthest one step of the emulated clock goes: ten years. */
const MAX_ADVANCE_SECONDS = 10 * 365 * 24 * 3600;

/** The control routes. */
export const controlRoutes: Route<Ctx>[] = [
  { method: "GET", pattern: `${C}/stats`, control: true, auth: false, handler: stats },
  { method: "GET", pattern: `${C}/clock`, control: true, auth: false, handler: clock },
  { method: "POST", pattern: `${C}/clock`, control: true, auth: false, handler: advanceClock },
  {
    method: "GET",
    pattern: `${C}/faults`,
    control: true,
    auth: false,
    roomAccess: "attendee",
    handler: (ctx) => ({ faults: visibleFaults(ctx) }),
  },
  { method: "POST", pattern: `${C}/faults`, control: true, auth: false, roomAccess: "attendee", handler: queueFaults },
  {
    method: "DELETE",
    pattern: `${C}/faults`,
    control: true,
    auth: false,
    roomAccess: "attendee",
    handler: clearFaults,
  },
  { method: "POST", pattern: `${C}/reset`, control: true, auth: false, handler: reset },
  {
    method: "POST",
    pattern: `${C}/inbound-sms`,
    control: true,
    auth: false,
    roomAccess: "attendee",
    handler: inboundSms,
  },
  {
    method: "POST",
    pattern: `${C}/inbound-fax`,
    control: true,
    auth: false,
    roomAccess: "attendee",
    handler: inboundFax,
  },
  {
    method: "POST",
    pattern: `${C}/inbound-call`,
    control: true,
    auth: false,
    roomAccess: "attendee",
    handler: inboundCall,
  },
  {
    method: "POST",
    pattern: `${C}/inbound-post`,
    control: true,
    auth: false,
    roomAccess: "attendee",
    handler: inboundPost,
  },
  { method: "POST", pattern: `${C}/drop-sockets`, control: true, auth: false, handler: dropAll },
  { method: "POST", pattern: `${C}/webhook-failures`, control: true, auth: false, handler: failWebhooks },
];
