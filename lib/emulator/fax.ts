/**
 * Faxes in the emulator: `POST …/fax` (multipart: the JSON message, then the
 * documents), the cover pages (`/restapi/v1.0/dictionary/fax-cover-page`),
 * a lifecycle on the emulated clock (`Queued`, then `Sent` or
 * `SendingFailed` with a `faxErrorCode`), and inbound faxes.
 * @module
 */
import type { Ctx } from "./_context.ts";
import { apiError, invalidParameter, type JsonBody } from "./_http.ts";
import { extensionOf } from "./_lookup.ts";
import { paginate } from "./_paging.ts";
import { pdfPageCount, textPdf } from "./_pdf.ts";
import type { Params, Route } from "./_router.ts";
import { arrive, messageRecord, readMessageRequest, storedFiles } from "./messages.ts";
import { FAILING_RECIPIENT_PREFIX } from "./seed.ts";
import type { Message, PhoneNumber, StoredAttachment } from "./state.ts";
import { emitMessage } from "./subscriptions.ts";

const API = "/restapi/v1.0";
const E164 = /^\+[1-9]\d{7,14}$/;

/**
 * The cover pages every account has (`coverIndex`: 0 is none). The seed
 * account's default, used when a fax names none, is 0.
 *
 * @example
 * ```ts
 * import { FAX_COVER_PAGES } from "./fax.ts";
 * import { equal } from "node:assert/strict";
 * equal(FAX_COVER_PAGES[0].name, "None");
 * ```
 */
export const FAX_COVER_PAGES: readonly { id: string; name: string }[] = [
  "None",
  "Ancient",
  "Birthday",
  "Blank",
  "Clasmod",
  "Classic",
  "Confidential",
  "Contempo",
  "Elegant",
  "Express",
  "Formal",
  "Jazzy",
  "Modern",
  "Urgent",
].map((name, i) => ({ id: String(i), name }));

/** The cover page a fax gets when it names none. */
const DEFAULT_COVER_INDEX = 0;
/** Seconds a fax takes to connect, and to send each page at low and high resolution. */
const CONNECT_SECONDS = 10;
const PAGE_SECONDS = { Low: 5, High: 10 };
/** At most this many recipients per fax. */
const MAX_RECIPIENTS = 50;

/** How many pages files make: a PDF's own, one for any other file. */
function pagesOf(files: { contentType: string; data: Uint8Array }[]): number {
  return files.reduce((n, f) => n + (pdfPageCount(f.data) ?? 1), 0);
}

/** A user's number that sends and receives faxes: a fax-only one first, else a voice-and-fax one. */
export function faxNumberOf(ctx: Pick<Ctx, "state">, extensionId: number): PhoneNumber | undefined {
  const own = ctx.state.phoneNumbers.filter((p) => p.extensionId === extensionId);
  return own.find((p) => p.type === "FaxOnly") ?? own.find((p) => p.type === "VoiceFax" && p.primary) ??
    own.find((p) => p.type === "VoiceFax");
}

interface FaxRequest {
  to?: unknown;
  faxResolution?: unknown;
  coverIndex?: unknown;
  coverPageText?: unknown;
  sendTime?: unknown;
  isoCode?: unknown;
}

/** `POST …/fax`: the fax is queued, and goes out on the emulated clock. */
async function sendFax(ctx: Ctx, params: Params): Promise<JsonBody> {
  const extension = extensionOf(ctx, params, true);
  const { json, files } = await readMessageRequest(ctx);
  const fax = json as FaxRequest;
  if (!Array.isArray(fax.to) || fax.to.length === 0) {
    throw invalidParameter("to", { detail: ' Send to: [{"phoneNumber": "+14155550123"}].' });
  }
  if (fax.to.length > MAX_RECIPIENTS) {
    throw invalidParameter("to", { detail: ` At most ${MAX_RECIPIENTS} recipients are allowed.` });
  }
  const to = fax.to.map((r: { phoneNumber?: unknown; name?: unknown }) => {
    const n = typeof r?.phoneNumber === "string" ? r.phoneNumber.trim() : "";
    if (!E164.test(n)) throw invalidParameter("to.phoneNumber", { value: n, detail: " It is an E.164 number." });
    return { phoneNumber: n, ...(typeof r.name === "string" && r.name ? { name: r.name } : {}) };
  });
  const resolution = fax.faxResolution ?? "Low";
  if (resolution !== "High" && resolution !== "Low") {
    throw invalidParameter("faxResolution", { value: String(resolution), detail: " It is High or Low." });
  }
  const coverIndex = fax.coverIndex === undefined ? DEFAULT_COVER_INDEX : Number(fax.coverIndex);
  if (!Number.isInteger(coverIndex) || !FAX_COVER_PAGES[coverIndex]) {
    throw invalidParameter("coverIndex", {
      value: String(fax.coverIndex),
      detail: ` It is 0 (no cover page) to ${FAX_COVER_PAGES.length - 1}: GET ${API}/dictionary/fax-cover-page.`,
    });
  }
  if (fax.coverPageText !== undefined && (typeof fax.coverPageText !== "string" || fax.coverPageText.length > 1024)) {
    throw invalidParameter("coverPageText", { detail: " It is text of at most 1024 characters." });
  }
  if (fax.isoCode !== undefined && (typeof fax.isoCode !== "string" || !/^[A-Z]{2}$/.test(fax.isoCode))) {
    throw invalidParameter("isoCode", { value: String(fax.isoCode), detail: " It is a country code such as US." });
  }
  let sendAt = ctx.now;
  if (fax.sendTime !== undefined) {
    const t = typeof fax.sendTime === "string" ? Date.parse(fax.sendTime) : NaN;
    if (Number.isNaN(t)) {
      throw invalidParameter("sendTime", { value: String(fax.sendTime), detail: " It is a date-time in ISO 8601." });
    }
    sendAt = Math.max(ctx.now, t);
  }
  if (!files.length) {
    throw invalidParameter("attachment", { detail: " A fax needs at least one document (a PDF, an image, text)." });
  }
  const sender = faxNumberOf(ctx, extension.id);
  if (!sender) {
    throw apiError(403, {
      errorCode: "CMN-408",
      message:
        "In order to call this API endpoint, user needs to have [OutboundFaxes] permission for requested resource.",
    });
  }
  const id = ctx.state.nextId++;
  const attachments = storedFiles(files, id, "RenderedDocument");
  const pageCount = pagesOf(attachments) + (coverIndex ? 1 : 0);
  const message: Message = {
    id,
    extensionId: extension.id,
    direction: "Outbound",
    from: { phoneNumber: sender.phoneNumber, name: extension.name, location: sender.location },
    to,
    text: "",
    conversationId: String(id),
    created: ctx.now,
    readStatus: "Read",
    type: "Fax",
    attachments,
    fax: {
      resolution,
      pageCount,
      coverIndex,
      ...(fax.coverPageText ? { coverPageText: fax.coverPageText as string } : {}),
      sendAt,
      seconds: CONNECT_SECONDS + pageCount * PAGE_SECONDS[resolution],
      ...(to.some((r) => r.phoneNumber.startsWith(FAILING_RECIPIENT_PREFIX)) ? { failReason: "InvalidNumber" } : {}),
    },
  };
  ctx.state.messages.push(message);
  ctx.state.stats.messages++;
  const record = messageRecord(ctx, message);
  emitMessage(ctx.state, message, ctx.now, record);
  return record;
}

/**
 * A fax from `from` arrives at `to`, a number of the account: it lands,
 * unread, in the message store of the number's extension, its document a
 * PDF of `pages` pages unless `files` are given; its events are emitted.
 */
export function receiveFax(
  ctx: Ctx,
  from: string,
  to: PhoneNumber,
  { pages = 1, files = [] }: { pages?: number; files?: Omit<StoredAttachment, "id">[] } = {},
): Message {
  const id = ctx.state.nextId++;
  const documents = files.length ? files : [{
    type: "RenderedDocument" as const,
    contentType: "application/pdf",
    fileName: `fax-${id}.pdf`,
    ...((data) => ({ data, size: data.length }))(textPdf(
      Array.from({ length: pages }, (_, i) => [
        `Fax from ${from} to ${to.phoneNumber}`,
        `Page ${i + 1} of ${pages}`,
        `Received ${new Date(ctx.now).toISOString()}`,
      ]),
    )),
  }];
  return arrive(ctx, to, {
    id,
    from: { phoneNumber: from },
    text: "",
    conversationId: String(id),
    type: "Fax",
    attachments: documents.map((d, i) => ({
      ...d,
      type: d.contentType === "application/pdf" ? "RenderedDocument" : "SourceDocument",
      id: id * 100 + i + 1,
      data: d.data.slice(),
    })),
    fax: { resolution: "High", pageCount: pagesOf(documents), coverIndex: 0, sendAt: ctx.now, seconds: 0 },
  });
}

/** `GET /restapi/v1.0/dictionary/fax-cover-page`: the cover pages, paged. */
function listCoverPages(ctx: Ctx): JsonBody {
  return { ...paginate(ctx, [...FAX_COVER_PAGES]) };
}

/** The fax routes. */
export const faxRoutes: Route<Ctx>[] = [
  {
    method: "POST",
    pattern: `${API}/account/:accountId/extension/:extensionId/fax`,
    group: "Heavy",
    permission: "Faxes",
    handler: sendFax,
  },
  { method: "GET", pattern: `${API}/dictionary/fax-cover-page`, group: "Light", handler: listCoverPages },
];
