/**
 * The message store's sync API and bulk deletion: `GET …/message-sync`
 * (`FSync`: the messages and a `syncToken`; `ISync` with the token: only
 * what changed since, deleted and purged messages included, and a new
 * token), and `DELETE …/message-store` by filter (a conversation, up to a
 * date, a type).
 * @module
 */
import type { Ctx } from "./_context.ts";
import { baseHeaders, invalidParameter, type JsonBody, notOneOf } from "./_http.ts";
import { extensionOf } from "./_lookup.ts";
import type { Params, Route } from "./_router.ts";
import { availabilityOf, deleteStored, lastChangeOf, messageRecord, statusOf } from "./messages.ts";
import type { Message } from "./state.ts";

const EXT = "/restapi/v1.0/account/:accountId/extension/:extensionId";
/** The most records one sync answers with. */
const MAX_RECORDS = 250;
const TYPES = ["Fax", "SMS", "VoiceMail", "Pager", "Text"];

/**
 * What a sync token carries (plain JSON, opaque to the client): whose store,
 * the filters, and a cursor: the time (emulated ms) up to which every change
 * was handed out, and `s`, the changes of that very millisecond handed out
 * already, each as [id, what it was]. More changes can still come in that
 * millisecond (a held clock, a burst of deletions), and a page can end
 * inside it: those are the ones after the cursor.
 */
interface SyncPoint {
  e: number;
  t: number;
  s?: [number, string][];
  types: string[];
  directions: string[];
  conversation?: string;
}

/** What a message is as a sync reports it: a change makes it differ. */
function versionOf(ctx: Ctx, m: Message): string {
  return `${availabilityOf(m)} ${m.readStatus} ${statusOf(ctx, m)}`;
}

/** The changes at the cursor's own millisecond, as [id, version], for the token. */
function seenAt(ctx: Ctx, messages: Message[], t: number): [number, string][] {
  return messages.filter((m) => lastChangeOf(ctx, m) === t).map((m) => [m.id, versionOf(ctx, m)]);
}

function encodeToken(point: SyncPoint): string {
  return btoa(JSON.stringify(point)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

function decodeToken(token: string, extensionId: number): SyncPoint | undefined {
  try {
    const point = JSON.parse(atob(token.replace(/-/g, "+").replace(/_/g, "/")));
    return point?.e === extensionId && typeof point.t === "number" && Array.isArray(point.types) &&
        (point.s === undefined || Array.isArray(point.s))
      ? point
      : undefined;
  } catch {
    return undefined;
  }
}

/** Whether a message matches the filters of a sync. */
function matches(m: Message, point: SyncPoint): boolean {
  return m.extensionId === point.e && (!point.types.length || point.types.includes(m.type)) &&
    (!point.directions.length || point.directions.includes(m.direction)) &&
    (!point.conversation || m.conversationId === point.conversation);
}

/** `GET …/message-sync`: a full sync, or the changes since a token. */
function syncMessages(ctx: Ctx, params: Params): JsonBody {
  const extension = extensionOf(ctx, params, true);
  const q = ctx.url.searchParams;
  const syncType = q.get("syncType") ?? (q.has("syncToken") ? "ISync" : "FSync");
  if (syncType !== "FSync" && syncType !== "ISync") {
    throw invalidParameter("syncType", { value: syncType, detail: " It is FSync or ISync." });
  }
  const recordCount = q.has("recordCount") ? Number(q.get("recordCount")) : MAX_RECORDS;
  if (!Number.isInteger(recordCount) || recordCount < 1 || recordCount > MAX_RECORDS) {
    throw invalidParameter("recordCount", { value: q.get("recordCount") ?? "", detail: ` It is 1 to ${MAX_RECORDS}.` });
  }
  const byNewest = (a: Message, b: Message) => b.created - a.created || b.id - a.id;
  if (syncType === "ISync") {
    const token = q.get("syncToken");
    if (!token) throw invalidParameter("syncToken", { detail: " ISync needs the syncToken of the previous sync." });
    const since = decodeToken(token, extension.id);
    if (!since) {
      throw invalidParameter("syncToken", { detail: " It is not a token of this mailbox: start again with FSync." });
    }
    // The changes after the cursor, in the order they happened (by time, then id).
    const seen = new Map(since.s ?? []);
    const ours = ctx.state.messages.filter((m) => matches(m, since));
    const changed = ours
      .filter((m) => {
        const at = lastChangeOf(ctx, m);
        return at > since.t || (at === since.t && seen.get(m.id) !== versionOf(ctx, m));
      })
      .sort((a, b) => lastChangeOf(ctx, a) - lastChangeOf(ctx, b) || a.id - b.id);
    const given = changed.slice(0, recordCount);
    let next: SyncPoint;
    if (changed.length > recordCount) {
      // A page: the cursor stops at the last change given, so the next ISync has the rest (of that ms too).
      const t = lastChangeOf(ctx, given.at(-1)!);
      const before = t === since.t ? [...seen].filter(([id]) => !given.some((m) => m.id === id)) : [];
      next = { ...since, t, s: [...before, ...seenAt(ctx, given, t)] };
    } else next = { ...since, t: ctx.now, s: seenAt(ctx, ours, ctx.now) };
    return answer(ctx, given.sort(byNewest), next, "ISync", false);
  }
  const date = (name: string, fallback: number) => {
    const raw = q.get(name);
    if (raw === null) return fallback;
    const t = Date.parse(raw);
    if (Number.isNaN(t)) throw invalidParameter(name, { value: raw });
    return t;
  };
  const dateTo = date("dateTo", ctx.now);
  const dateFrom = date("dateFrom", dateTo - 7 * 24 * 3600_000);
  const types = q.getAll("messageType");
  const bad = types.find((t) => !TYPES.includes(t));
  if (bad) throw notOneOf("messageType", bad, TYPES);
  const directions = q.getAll("direction");
  const badDirection = directions.find((d) => d !== "Inbound" && d !== "Outbound");
  if (badDirection) throw notOneOf("direction", badDirection, ["Inbound", "Outbound"]);
  const point: SyncPoint = {
    e: extension.id,
    t: ctx.now,
    s: [],
    types,
    directions,
    ...(q.get("conversationId") ? { conversation: q.get("conversationId")! } : {}),
  };
  point.s = seenAt(ctx, ctx.state.messages.filter((m) => matches(m, point)), ctx.now);
  let found = ctx.state.messages
    .filter((m) => matches(m, point) && availabilityOf(m) === "Alive" && m.created >= dateFrom && m.created <= dateTo)
    .sort(byNewest);
  if (q.get("distinctConversations") === "true") {
    const seen = new Set<string>();
    found = found.filter((m) => !seen.has(m.conversationId) && !!seen.add(m.conversationId));
  }
  return answer(ctx, found.slice(0, recordCount), point, "FSync", found.length > recordCount);
}

function answer(ctx: Ctx, records: Message[], point: SyncPoint, syncType: string, older: boolean): JsonBody {
  return {
    uri: ctx.url.href,
    records: records.map((m) => messageRecord(ctx, m)),
    syncInfo: {
      syncType,
      syncToken: encodeToken(point),
      syncTime: new Date(point.t).toISOString(),
      olderRecordsExist: older,
    },
  };
}

/**
 * `DELETE …/message-store?conversationId=…&dateTo=…&type=…`: deletes the
 * alive messages that match (they move to `Deleted`, as one by one).
 */
function deleteByFilter(ctx: Ctx, params: Params): Response {
  const extension = extensionOf(ctx, params, true);
  const q = ctx.url.searchParams;
  const conversations = q.getAll("conversationId").flatMap((c) => c.split(",")).filter(Boolean);
  const type = q.get("type") ?? "All";
  if (type !== "All" && !TYPES.includes(type)) {
    throw invalidParameter("type", { value: type, detail: ` It is All or one of ${TYPES.join(", ")}.` });
  }
  const rawTo = q.get("dateTo");
  const dateTo = rawTo === null ? ctx.now : Date.parse(rawTo);
  if (Number.isNaN(dateTo)) throw invalidParameter("dateTo", { value: rawTo ?? "" });
  for (const m of ctx.state.messages) {
    if (
      m.extensionId === extension.id && availabilityOf(m) === "Alive" && m.created <= dateTo &&
      (type === "All" || m.type === type) && (!conversations.length || conversations.includes(m.conversationId))
    ) deleteStored(m, ctx.now, false);
  }
  return new Response(null, { status: 204, headers: baseHeaders() });
}

/** The sync and bulk-deletion routes. */
export const messageSyncRoutes: Route<Ctx>[] = [
  { method: "GET", pattern: `${EXT}/message-sync`, group: "Light", permission: "ReadMessages", handler: syncMessages },
  {
    method: "DELETE",
    pattern: `${EXT}/message-store`,
    group: "Medium",
    permission: "EditMessages",
    handler: deleteByFilter,
  },
];
