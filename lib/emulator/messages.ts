/**
 * Messaging in the emulator: SMS and MMS sending with RingCentral's
 * validation, a lifecycle that advances with emulated time, and the message
 * store (list with filters and paging, read by id, content on the media
 * origin, read status, deletion). Faxes are in fax.ts, the sync API in
 * message_sync.ts; they share the records made here.
 * @module
 */
import type { Ctx } from "./_context.ts";
import { apiError, baseHeaders, invalidParameter, type JsonBody, pretty } from "./_http.ts";
import { extensionOf, notFound } from "./_lookup.ts";
import {
  contentDisposition,
  type MessageBody,
  type Part,
  partFileName,
  partType,
  readMessageBody,
} from "./_multipart.ts";
import { paginate } from "./_paging.ts";
import { emitMessage, emitMessageUpdates } from "./subscriptions.ts";
import type { Params, Route } from "./_router.ts";
import { FAILING_RECIPIENT_PREFIX } from "./seed.ts";
import type { EmulatorState, Message, Party, PhoneNumber, StoredAttachment } from "./state.ts";
import { mediaOriginOf } from "../hosts.ts";

const API = "/restapi/v1.0";
const E164 = /^\+[1-9]\d{7,14}$/;
const MAX_TEXT = 1000;
const MAX_ATTACHMENTS = 10;
const MAX_ATTACHMENT_BYTES = 1_500_000;
const MMS_TYPES =
  /^(image\/(jpeg|png|gif|bmp|tiff|svg\+xml|webp)|video\/.+|audio\/.+|text\/vcard|text\/x-vcard|application\/(pdf|zip|rtf)|text\/plain)$/;

interface SmsRequest {
  from?: { phoneNumber?: unknown };
  to?: { phoneNumber?: unknown }[];
  text?: unknown;
  country?: { id?: unknown; isoCode?: unknown };
}

const EXTENSION_NUMBERS = () =>
  apiError(400, { errorCode: "MSG-246", message: "Sending SMS from/to extension numbers is not available" }, {
    topCode: "InvalidParameter",
  });

/** The body of a message request (JSON or multipart), read once; a bad one is RingCentral's 400. */
export async function readMessageRequest(ctx: Ctx): Promise<MessageBody> {
  const bytes = await ctx.body(); // at most 10 MB, or the 413
  return readMessageBody(
    ctx.request.headers.get("content-type") ?? "",
    bytes,
    (detail) => invalidParameter("body", { detail }),
  );
}

/** The files of a request, as the store keeps them (ids after the message's). */
export function storedFiles(
  files: Part[],
  messageId: number,
  type: StoredAttachment["type"] = "MmsAttachment",
): StoredAttachment[] {
  return files.map((f, i) => {
    const contentType = partType(f) || "application/octet-stream";
    const fileName = partFileName(f);
    return {
      id: messageId * 100 + i + 1,
      ...(type === "MmsAttachment" ? {} : { type: contentType === "application/pdf" ? type : "SourceDocument" }),
      contentType,
      size: f.body.length,
      ...(fileName ? { fileName } : {}),
      data: f.body.slice(),
    };
  });
}

/** Emulated status of a message at time `now` (the dashboard shows it too). */
export function statusOf(ctx: Pick<Ctx, "now" | "options">, m: Message): string {
  if (m.direction === "Inbound") return "Received";
  const steps = stepsOf(ctx, m);
  const reached = steps.filter((s) => s.at <= ctx.now).at(-1);
  return reached?.status ?? "Queued";
}

/** A message's lifecycle: each status and when (emulated ms) it is reached. */
function stepsOf(ctx: Pick<Ctx, "options">, m: Message): { status: string; at: number }[] {
  if (m.direction === "Inbound") return [{ status: "Received", at: m.created }];
  if (m.fax) {
    const done = m.fax.sendAt + m.fax.seconds * 1000;
    return [{ status: "Queued", at: m.created }, { status: m.fax.failReason ? "SendingFailed" : "Sent", at: done }];
  }
  const sent = m.created + ctx.options.sendSeconds * 1000;
  if (m.failCode) return [{ status: "Queued", at: m.created }, { status: "SendingFailed", at: sent }];
  return [
    { status: "Queued", at: m.created },
    { status: "Sent", at: sent },
    { status: "Delivered", at: sent + ctx.options.deliverSeconds * 1000 },
  ];
}

/**
 * Sends the message-store events of the status changes that happened by
 * `now` (emulated ms) since the last call: a message that became `Sent`,
 * `Delivered` or `SendingFailed` is an update (`updatedCount`), as
 * RingCentral tells its subscribers. Answers when the next change falls due,
 * if any. The first call only notes the time (the seed's messages changed
 * long ago).
 */
export function tickMessages(
  state: EmulatorState,
  now: number,
  options: Pick<Ctx, "options">["options"],
): number | undefined {
  const since = state.messagesAnnounced ?? now;
  state.messagesAnnounced = now;
  let next: number | undefined;
  const changed: Message[] = [];
  for (const m of state.messages) {
    if (m.direction === "Inbound" || m.purged !== undefined) continue;
    for (const step of stepsOf({ options }, m)) {
      if (step.at > now) next = next === undefined ? step.at : Math.min(next, step.at);
      else if (step.at > since && step.status !== "Queued" && changed.at(-1) !== m) changed.push(m);
    }
  }
  if (changed.length) emitMessageUpdates(state, changed, now);
  return next;
}

/**
 * When a message last changed by `now` (emulated ms): a step of its
 * lifecycle, its read status, its deletion. What its `lastModifiedTime`
 * says, and what an incremental sync looks for.
 */
export function lastChangeOf(ctx: Pick<Ctx, "now" | "options">, m: Message): number {
  const steps = stepsOf(ctx, m).map((s) => s.at).filter((t) => t <= ctx.now);
  return Math.max(m.created, ...steps, m.modified ?? 0, m.deleted ?? 0, m.purged ?? 0);
}

/** `Alive`, `Deleted` or `Purged`. */
export function availabilityOf(m: Message): "Alive" | "Deleted" | "Purged" {
  return m.purged !== undefined ? "Purged" : m.deleted !== undefined ? "Deleted" : "Alive";
}

function messageUri(ctx: Ctx, m: Message): string {
  return `${ctx.origin}${API}/account/${ctx.state.account.id}/extension/${m.extensionId}/message-store/${m.id}`;
}

/** Where a message's content is served: the media origin, as RingCentral's media.ringcentral.com. */
function contentBase(ctx: Ctx, m: Message): string {
  const media = mediaOriginOf(ctx.origin, { emulator: true }) ?? ctx.origin;
  return `${media}${API}/account/${ctx.state.account.id}/extension/${m.extensionId}/message-store/${m.id}/content`;
}

/** The JSON record of a message, as RingCentral returns it. */
export function messageRecord(ctx: Ctx, m: Message): JsonBody {
  const uri = messageUri(ctx, m);
  const iso = (t: number) => new Date(t).toISOString();
  const changed = iso(lastChangeOf(ctx, m));
  const availability = availabilityOf(m);
  if (availability === "Purged") {
    return { uri, id: m.id, type: m.type, availability, direction: m.direction, lastModifiedTime: changed };
  }
  const status = statusOf(ctx, m);
  const content = contentBase(ctx, m);
  const party = (p: Party, withStatus: boolean) => ({
    ...p,
    ...(withStatus ? { messageStatus: status } : {}),
    ...(withStatus && status === "SendingFailed" && m.fax?.failReason ? { faxErrorCode: m.fax.failReason } : {}),
  });
  const files = m.attachments.map((a) => ({
    id: a.id,
    uri: `${content}/${a.id}`,
    type: a.type ?? "MmsAttachment",
    contentType: a.contentType,
    size: a.size,
    ...(a.fileName ? { fileName: a.fileName } : {}),
  }));
  const common = {
    uri,
    id: m.id,
    extensionId: String(m.extensionId),
    to: m.to.map((p) => party(p, m.direction === "Outbound")),
    from: m.from,
    type: m.type,
    creationTime: iso(Math.floor(m.created / 1000) * 1000),
    readStatus: m.readStatus,
    priority: "Normal",
    direction: m.direction,
    availability,
    messageStatus: status,
    lastModifiedTime: changed,
  };
  if (m.fax) {
    return {
      ...common,
      attachments: files,
      faxResolution: m.fax.resolution,
      faxPageCount: m.fax.pageCount,
      coverIndex: m.fax.coverIndex,
      ...(m.fax.coverPageText ? { coverPageText: m.fax.coverPageText } : {}),
      ...(m.text ? { subject: m.text } : {}),
    };
  }
  if (m.type === "Fax") return { ...common, attachments: files, ...(m.text ? { subject: m.text } : {}) };
  const delivered = stepsOf(ctx, m).find((s) => s.status === "Delivered" && s.at <= ctx.now);
  return {
    ...common,
    attachments: [{ id: m.id, uri: `${content}/${m.id}`, type: "Text", contentType: "text/plain" }, ...files],
    subject: m.text,
    ...(status === "SendingFailed" ? { deliveryErrorCode: m.failCode } : {}),
    ...(delivered ? { smsDeliveryTime: iso(delivered.at) } : {}),
    ...(m.direction === "Outbound" ? { smsSendingAttemptsCount: 1 } : {}),
    conversationId: Number(m.conversationId),
    conversation: { id: m.conversationId, uri: `${ctx.origin}${API}/conversation/${m.conversationId}` },
  };
}

async function sendSms(ctx: Ctx, params: Params): Promise<JsonBody> {
  const extension = extensionOf(ctx, params, true);
  const body = await readMessageRequest(ctx);
  const sms = body.json as SmsRequest;
  const files = body.files;
  const isMms = files.length > 0 || ctx.url.pathname.endsWith("/mms");
  const isExtensionNumber = extensionNumberTest(ctx);
  const from = typeof sms.from?.phoneNumber === "string" ? sms.from.phoneNumber.trim() : "";
  if (!from) throw invalidParameter("from");
  const to = recipientsOf(sms, isMms, isExtensionNumber);
  if (sms.country?.id !== undefined && sms.country?.isoCode !== undefined) {
    throw apiError(400, {
      errorCode: "MSG-365",
      message: "Parameters [country.id] and [country.isoCode] can not be specified simultaneously",
    });
  }
  const text = typeof sms.text === "string" ? sms.text : sms.text === undefined ? "" : null;
  if (text === null || (!text && !files.length)) throw invalidParameter("text");
  if (text.length > MAX_TEXT) {
    throw invalidParameter("text", {
      detail: ` Text length is ${text.length}; at most ${MAX_TEXT} characters (UTF-16 units) are allowed.`,
    });
  }
  if (isExtensionNumber(from)) throw EXTENSION_NUMBERS();
  const owned = senderOf(ctx, extension.id, from, isMms);
  checkAttachments(files);
  const id = ctx.state.nextId++;
  const message: Message = {
    id,
    extensionId: extension.id,
    direction: "Outbound",
    from: { phoneNumber: from, name: extension.name, location: owned.location, extensionId: String(extension.id) },
    to: to.map((phoneNumber) => ({ phoneNumber })),
    text,
    conversationId: String(6000000000000000 + Number(to[0].replace(/\D/g, "").slice(-10))),
    created: ctx.now,
    readStatus: "Read",
    type: "SMS",
    failCode: to.some((n) => n.startsWith(FAILING_RECIPIENT_PREFIX)) ? "SMS-CAR-411" : undefined,
    attachments: storedFiles(files, id),
  };
  ctx.state.messages.push(message);
  ctx.state.stats.messages++;
  const json = messageRecord(ctx, message);
  emitMessage(ctx.state, message, ctx.now, json);
  // A recipient on this account gets it too, inbound (sending to your own number is how you see one arrive).
  if (!message.failCode) {
    for (const number of to) {
      const own = ctx.state.phoneNumbers.find((p) => p.phoneNumber === number && p.extensionId !== undefined);
      if (own) receiveSms(ctx, from, own, text, message.attachments);
    }
  }
  return json;
}

/** Whether a number is an extension's short number (SMS go to E.164 numbers only). */
function extensionNumberTest(ctx: Ctx): (n: string) => boolean {
  const extensionNumbers = new Set(ctx.state.extensions.map((e) => e.extensionNumber));
  return (n) => extensionNumbers.has(n) || /^\d{1,5}$/.test(n);
}

/** The recipients, checked: E.164 numbers, each once, at most 10 for a group MMS. */
function recipientsOf(sms: SmsRequest, isMms: boolean, isExtensionNumber: (n: string) => boolean): string[] {
  if (!Array.isArray(sms.to) || sms.to.length === 0) throw invalidParameter("to");
  const to: string[] = [];
  for (const r of sms.to) {
    const n = typeof r?.phoneNumber === "string" ? r.phoneNumber.trim() : "";
    if (isExtensionNumber(n)) throw EXTENSION_NUMBERS();
    if (!E164.test(n)) throw invalidParameter("to", { value: n });
    if (to.includes(n)) {
      throw apiError(400, { errorCode: "CMN-406", message: `Duplicate value for parameter to: ${n} found in request` });
    }
    to.push(n);
  }
  if (to.length > 10 && isMms) {
    throw apiError(400, {
      errorCode: "MSG-381",
      message: "Exceeded maximum number of recipients for a Group MMS: [10]",
    });
  }
  return to;
}

/** The sender's number: the user's own, able to send SMS (or MMS). */
function senderOf(ctx: Ctx, extensionId: number, from: string, isMms: boolean): PhoneNumber {
  const owned = ctx.state.phoneNumbers.find((p) => p.extensionId === extensionId && p.phoneNumber === from);
  if (!owned) {
    throw apiError(400, {
      errorCode: "MSG-245",
      message: `Parameter [from] value [${
        from.replace(/^\+/, "")
      }] is invalid [Cannot find the phone number which belongs to user]`,
      parameterName: "from",
    }, { topCode: "InvalidParameter" });
  }
  if (owned.type === "FaxOnly") {
    throw apiError(403, { errorCode: "MSG-241", message: "Cannot send SMS from Fax number" }, {
      topCode: "FeatureNotAvailable",
    });
  }
  if (!owned.features.includes(isMms ? "MmsSender" : "SmsSender")) {
    throw isMms
      ? apiError(403, { errorCode: "MSG-380", message: "The MMS feature is not available" }, {
        topCode: "FeatureNotAvailable",
      })
      : apiError(403, { errorCode: "MSG-367", message: "from phone number does not support SMS" }, {
        topCode: "FeatureNotAvailable",
      });
  }
  return owned;
}

/** Attachments within RingCentral's limits: how many, how large in all, which media types. */
function checkAttachments(files: Part[]): void {
  if (files.length > MAX_ATTACHMENTS) {
    throw invalidParameter("attachments", { detail: ` At most ${MAX_ATTACHMENTS} attachments are allowed.` });
  }
  const total = files.reduce((n, f) => n + f.body.length, 0);
  if (total > MAX_ATTACHMENT_BYTES) {
    throw invalidParameter("attachments", {
      detail: ` Attachments total ${total} bytes; at most ${MAX_ATTACHMENT_BYTES} are allowed.`,
    });
  }
  for (const f of files) {
    const type = partType(f) || "application/octet-stream";
    if (!MMS_TYPES.test(type)) {
      throw apiError(415, { errorCode: "MSG-348", message: `Unsupported media type [${type}]` });
    }
  }
}

/**
 * An SMS (an MMS, with `attachments`) from `from` arrives at `to`, a number
 * of the account: it lands, unread, in the message store of the number's
 * extension, and its events are emitted.
 */
export function receiveSms(
  ctx: Ctx,
  from: string,
  to: PhoneNumber,
  text: string,
  attachments: Omit<StoredAttachment, "id">[] = [],
): Message {
  const id = ctx.state.nextId++;
  return arrive(ctx, to, {
    id,
    from: { phoneNumber: from },
    text,
    conversationId: String(6000000000000000 + Number(from.replace(/\D/g, "").slice(-10))),
    type: "SMS",
    attachments: attachments.map((a, i) => ({ ...a, id: id * 100 + i + 1, data: a.data.slice() })),
  });
}

/**
 * An inbound message (an SMS, an MMS, a fax) lands, unread, in the message
 * store of the extension of `to`, a number of the account; its events are
 * emitted.
 */
export function arrive(
  ctx: Ctx,
  to: PhoneNumber,
  fields: Pick<Message, "id" | "from" | "text" | "conversationId" | "type" | "attachments" | "fax">,
): Message {
  const owner = ctx.state.extensions.find((e) => e.id === to.extensionId)!;
  const message: Message = {
    ...fields,
    extensionId: owner.id,
    direction: "Inbound",
    to: [{ phoneNumber: to.phoneNumber, name: owner.name, extensionId: String(owner.id) }],
    created: ctx.now,
    readStatus: "Unread",
  };
  ctx.state.messages.push(message);
  emitMessage(ctx.state, message, ctx.now, messageRecord(ctx, message));
  return message;
}

function listMessages(ctx: Ctx, params: Params): JsonBody {
  const extension = extensionOf(ctx, params, true);
  const q = ctx.url.searchParams;
  const date = (name: string, fallback: number) => {
    const raw = q.get(name);
    if (raw === null) return fallback;
    const t = Date.parse(raw);
    return Number.isNaN(t) ? undefined : t;
  };
  const dateTo = date("dateTo", ctx.now);
  if (dateTo === undefined) throw invalidParameter("dateTo");
  const dateFrom = date("dateFrom", dateTo - 24 * 3600_000);
  if (dateFrom === undefined) throw invalidParameter("dateFrom");
  const directions = q.getAll("direction");
  const types = q.getAll("messageType");
  const read = q.getAll("readStatus");
  const availability = q.getAll("availability");
  const phone = q.get("phoneNumber");
  const conversation = q.get("conversationId");
  const matching = ctx.state.messages
    .filter((m) =>
      m.extensionId === extension.id && m.created >= dateFrom && m.created <= dateTo &&
      (!directions.length || directions.includes(m.direction)) &&
      (!types.length || types.includes(m.type)) &&
      (!read.length || read.includes(m.readStatus)) &&
      (availability.length ? availability.includes(availabilityOf(m)) : availabilityOf(m) === "Alive") &&
      (!phone || m.from.phoneNumber === phone || m.to.some((t) => t.phoneNumber === phone)) &&
      (!conversation || m.conversationId === conversation)
    )
    .sort((a, b) => b.created - a.created || b.id - a.id);
  const extraQuery: Record<string, string> = {};
  if (!availability.length) extraQuery.availability = "Alive";
  if (!q.has("dateFrom")) extraQuery.dateFrom = new Date(dateFrom).toISOString();
  const page = paginate(ctx, matching, { extraQuery });
  return { ...page, records: page.records.map((m) => messageRecord(ctx, m)) };
}

/** A message of the extension, alive (or deleted too, with `deleted`); a purged one is gone. */
function findMessage(ctx: Ctx, extensionId: number, id: string, { deleted = false } = {}): Message | undefined {
  return ctx.state.messages.find((m) =>
    String(m.id) === id && m.extensionId === extensionId && m.purged === undefined &&
    (deleted || m.deleted === undefined)
  );
}

function readMessage(ctx: Ctx, params: Params): Response | JsonBody {
  const extension = extensionOf(ctx, params, true);
  const ids = params.messageId.split(",");
  if (ids.length === 1) {
    const m = findMessage(ctx, extension.id, ids[0]);
    if (!m) throw notFound("messageId");
    return messageRecord(ctx, m);
  }
  const parts = ids.map((id) => {
    const m = findMessage(ctx, extension.id, id);
    if (m) return { resourceId: id, status: 200, body: messageRecord(ctx, m) };
    const item = {
      errorCode: "CMN-102",
      message: "Resource for parameter [messageId] is not found",
      parameterName: "messageId",
    };
    return { resourceId: id, status: 404, body: { ...item, errors: [item] } };
  });
  const headers = baseHeaders({ "Content-Type": "application/vnd.ringcentral.multipart+json" });
  return new Response(pretty(parts), { status: 207, headers });
}

/**
 * `GET …/message-store/{id}/content/{attachmentId}`: the text of an SMS, or
 * a file (an MMS picture, a fax document) byte for byte with its type;
 * `contentDisposition=Attachment` asks a browser to save it.
 */
function readContent(ctx: Ctx, params: Params): Response {
  const extension = extensionOf(ctx, params, true);
  const m = findMessage(ctx, extension.id, params.messageId);
  if (!m) throw notFound("messageId");
  const q = ctx.url.searchParams;
  const disposition = q.get("contentDisposition");
  if (disposition !== null && disposition !== "Inline" && disposition !== "Attachment") {
    throw invalidParameter("contentDisposition", { value: disposition, detail: " It is Inline or Attachment." });
  }
  const file = params.attachmentId === String(m.id) && m.type === "SMS"
    ? { data: new TextEncoder().encode(m.text), contentType: "text/plain; charset=UTF-8", fileName: `${m.id}.txt` }
    : m.attachments.find((x) => String(x.id) === params.attachmentId);
  if (!file) throw notFound("attachmentId");
  const name = q.get("contentDispositionFilename") ?? file.fileName ?? `${params.attachmentId}`;
  const headers = baseHeaders({
    "Content-Type": file.contentType,
    "Content-Length": String(file.data.length),
    ...(disposition ? { "Content-Disposition": contentDisposition(disposition.toLowerCase(), name) } : {}),
  });
  return new Response(file.data.slice(), { headers });
}

async function updateMessage(ctx: Ctx, params: Params): Promise<JsonBody> {
  const extension = extensionOf(ctx, params, true);
  const m = findMessage(ctx, extension.id, params.messageId, { deleted: true }); // availability: "Alive" restores one
  if (!m) throw notFound("messageId");
  const body = await ctx.json() as { readStatus?: unknown; availability?: unknown } | undefined;
  if (!body || typeof body !== "object") {
    throw invalidParameter("body", { detail: ' Send JSON such as {"readStatus": "Read"}.' });
  }
  if (body?.readStatus !== undefined) {
    if (body.readStatus !== "Read" && body.readStatus !== "Unread") {
      throw invalidParameter("readStatus", { value: String(body.readStatus) });
    }
    if (m.readStatus !== body.readStatus) m.modified = ctx.now;
    m.readStatus = body.readStatus;
  }
  if (body?.availability !== undefined) {
    if (body.availability !== "Alive" && body.availability !== "Deleted") {
      throw invalidParameter("availability", { value: String(body.availability), detail: " It is Alive or Deleted." });
    }
    if (body.availability === "Alive" && m.deleted !== undefined) {
      delete m.deleted;
      m.modified = ctx.now;
    } else if (body.availability === "Deleted" && m.deleted === undefined) m.deleted = ctx.now;
  }
  return messageRecord(ctx, m);
}

/**
 * Deletes a message: it moves to `Deleted` (listed with
 * `availability=Deleted`, reported by an incremental sync, restored by a
 * PATCH of `availability: "Alive"`; read by id, a 404); with `purge`, it is
 * purged: its content is gone, only its id stays for a sync to report.
 */
export function deleteStored(m: Message, now: number, purge: boolean): void {
  if (purge) {
    m.purged = now;
    m.attachments = [];
    m.text = "";
    delete m.fax?.coverPageText;
  } else m.deleted = now;
}

function deleteMessage(ctx: Ctx, params: Params): Response {
  const extension = extensionOf(ctx, params, true);
  const purge = ctx.url.searchParams.get("purge");
  if (purge !== null && purge !== "true" && purge !== "false") {
    throw invalidParameter("purge", { value: purge, detail: " It is true or false." });
  }
  for (const id of params.messageId.split(",")) {
    const m = findMessage(ctx, extension.id, id, { deleted: purge === "true" }); // a deleted one can still be purged
    if (!m) throw notFound("messageId");
    deleteStored(m, ctx.now, purge === "true");
  }
  return new Response(null, { status: 204, headers: baseHeaders() });
}

const EXT = `${API}/account/:accountId/extension/:extensionId`;

/** Messaging routes. */
export const messageRoutes: Route<Ctx>[] = [
  { method: "POST", pattern: `${EXT}/sms`, group: "Medium", permission: "SMS", handler: sendSms },
  { method: "POST", pattern: `${EXT}/mms`, group: "Medium", permission: "SMS", handler: sendSms },
  { method: "GET", pattern: `${EXT}/message-store`, group: "Light", permission: "ReadMessages", handler: listMessages },
  {
    method: "GET",
    pattern: `${EXT}/message-store/:messageId`,
    group: "Light",
    permission: "ReadMessages",
    handler: readMessage,
  },
  {
    method: "PUT",
    pattern: `${EXT}/message-store/:messageId`,
    group: "Medium",
    permission: "EditMessages",
    handler: updateMessage,
  },
  {
    method: "PATCH",
    pattern: `${EXT}/message-store/:messageId`,
    group: "Medium",
    permission: "EditMessages",
    handler: updateMessage,
  },
  {
    method: "DELETE",
    pattern: `${EXT}/message-store/:messageId`,
    group: "Medium",
    permission: "EditMessages",
    handler: deleteMessage,
  },
  {
    method: "GET",
    pattern: `${EXT}/message-store/:messageId/content/:attachmentId`,
    group: "Medium",
    permission: "ReadMessages",
    media: true, // served on the media origin too, where the attachments' uris point
    handler: readContent,
  },
];
