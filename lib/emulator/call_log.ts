/**
 * The call log of the emulator: a record per extension for each call that
 * ended (the seeded history and the calls made since), read per extension
 * or for the whole company with RingCentral's filters, its 24-hour default,
 * paging and views (`Simple`, `Detailed` with legs); its sync API (`FSync`,
 * then `ISync` with the `syncToken`); and the active calls.
 * @module
 */
import { mediaOriginOf } from "../hosts.ts";
import { callLogOf, REASONS } from "./call_history.ts";
import type { Ctx } from "./_context.ts";
import { apiError, baseHeaders, invalidParameter, type JsonBody, notOneOf, pretty } from "./_http.ts";
import { checkAccount, extensionOf, notFound } from "./_lookup.ts";
import { paginate } from "./_paging.ts";
import { recordId } from "./_random.ts";
import type { Handler, Params } from "./_router.ts";
import type {
  Call,
  CallEnd,
  CallLogEntry,
  CallLogLeg,
  CallLogParty,
  CallPartyState,
  EmulatorState,
  Extension,
} from "./state.ts";

const API = "/restapi/v1.0";
/** How long an ended call stays among the active calls, as RingCentral's guide says. */
const ACTIVE_AFTER_END_SECONDS = 120;
/** The most records one sync answer holds. */
const MAX_SYNC_RECORDS = 250;

/** A call end as a call-log party: the number, and the extension's number and name for the account's own. */
function logParty(state: EmulatorState, end: CallEnd): CallLogParty {
  const extension = end.extensionId === undefined ? undefined : state.extensions.find((e) => e.id === end.extensionId);
  return {
    ...(end.phoneNumber.startsWith("+") ? { phoneNumber: end.phoneNumber } : {}),
    ...(extension?.extensionNumber ? { extensionNumber: extension.extensionNumber } : {}),
    ...(extension ? { extensionId: String(extension.id) } : {}),
    ...(end.name ? { name: end.name } : {}),
  };
}

/** The result of a call for one of its parties, as the call log says it. */
function resultOf(call: Call, party: CallPartyState, direction: "Inbound" | "Outbound", live: boolean): string {
  if (live) return "In Progress";
  if (party.ringOutRole === "Initiator") {
    const target = call.parties.find((p) => p.ringOutRole === "Target");
    if (target?.answered !== undefined) return "Call connected";
    if (call.ringOut?.cancelled) return "Hang Up";
    return target?.reason === "TargetBusy" ? "Busy" : "No Answer";
  }
  if (party.answered !== undefined) return direction === "Inbound" ? "Accepted" : "Call connected";
  if (party.reason === "Rejected") return "Rejected";
  if (party.reason === "CallRedirected") {
    // Forwarded before answering: as a call forwarded by the user's rules, accepted where it went, or missed.
    return call.parties.find((p) => p.transferredFrom === party.id)?.answered !== undefined ? "Accepted" : "Missed";
  }
  if (direction === "Inbound") return "Missed";
  return call.parties.some((p) => p.reason === "TargetBusy") ? "Busy" : "No Answer";
}

/**
 * A call as one of its parties (an extension's) saw it: ended (a call-log
 * record) or still going on (`In Progress`, for the active calls).
 */
function entryOf(state: EmulatorState, call: Call, party: CallPartyState, now: number): CallLogEntry {
  const live = party.status !== "Disconnected";
  const ringOut = party.ringOutRole === "Initiator";
  const target = call.parties.find((p) => p.ringOutRole === "Target");
  const direction = ringOut ? "Outbound" : party.direction;
  const end = live ? now : party.since;
  const transport = call.parties.some((p) => p.extensionId === undefined) ? "PSTN" : "VoIP";
  const action = ringOut ? "RingOut Web" : transport === "VoIP" ? "VoIP Call" : "Phone Call";
  const result = resultOf(call, party, direction, live);
  const owner = state.extensions.find((e) => e.id === party.extensionId)!;
  const from = ringOut
    ? logParty(state, { phoneNumber: party.to.phoneNumber, name: owner.name, extensionId: owner.id })
    : logParty(state, party.from);
  const to = ringOut ? logParty(state, target?.to ?? party.from) : logParty(state, party.to);
  const durationMs = Math.max(0, end - party.joined);
  const leg = (fields: Partial<CallLogLeg>): CallLogLeg => ({
    legType: "Accept",
    direction,
    action,
    result,
    start: party.joined,
    durationMs,
    transport,
    from,
    to,
    extensionId: owner.id,
    ...fields,
  });
  const legs: CallLogLeg[] = [];
  if (ringOut) {
    legs.push(
      leg({ legType: "RingOutWebToSubscriber", direction: "Inbound", to: from, from: to, master: true }),
      leg({ legType: "RingOutWebToCaller", start: target?.joined ?? party.joined }),
    );
  } else {
    const external = party.direction === "Inbound" ? party.from : party.to;
    legs.push(leg({
      legType: external.extensionId !== undefined
        ? "ExtensionToExtension"
        : party.direction === "Inbound"
        ? "Accept"
        : "SipToPstnMetered",
      master: true,
    }));
    const next = call.parties.find((p) => p.transferredFrom === party.id);
    if (next) {
      const forwarded = party.reason === "CallRedirected";
      legs.push(leg({
        legType: forwarded ? "FollowMe" : "TransferCall",
        direction: "Outbound",
        action: forwarded ? "FollowMe" : "Transfer",
        start: next.joined,
        durationMs: Math.max(0, (next.status === "Disconnected" ? next.since : now) - next.joined),
        from: to,
        to: logParty(state, next.to),
      }));
    }
  }
  const recording = call.recording;
  return {
    // The same id while the call is active and once it is in the log.
    id: recordId(Number(call.sessionId) * 16 + call.parties.indexOf(party)),
    extensionId: owner.id,
    sessionId: call.sessionId,
    telephonySessionId: call.id,
    partyId: party.id,
    start: party.joined,
    durationMs,
    modified: end,
    direction,
    action,
    result,
    ...(REASONS[result] ? { reason: REASONS[result] } : {}),
    transport,
    from,
    to,
    ...(recording?.partyId === party.id && recording.started !== undefined && !live
      ? {
        recording: {
          id: recording.id,
          type: recording.type,
          seconds: Math.max(1, Math.round(((recording.stopped ?? end) - recording.started) / 1000)),
        },
      }
      : {}),
    legs,
  };
}

/** A call that ended becomes one call-log record for each extension on it. */
export function logCall(state: EmulatorState, call: Call): void {
  for (const party of call.parties) {
    if (party.extensionId !== undefined) state.callLog.push(entryOf(state, call, party, call.ended ?? party.since));
  }
}

/** The API's URI of a recording, and of its content on the media origin. */
export function recordingUris(ctx: Ctx, recordingId: string): { uri: string; contentUri: string } {
  const path = `${API}/account/${ctx.state.account.id}/recording/${recordingId}`;
  const media = mediaOriginOf(ctx.origin, { emulator: true }) ?? ctx.origin;
  return { uri: `${ctx.origin}${path}`, contentUri: `${media}${path}/content` };
}

/** A record (or a leg) as RingCentral's JSON shows it. */
function recordJson(ctx: Ctx, e: CallLogEntry, { detailed, company }: { detailed: boolean; company: boolean }) {
  const account = `${ctx.origin}${API}/account/${ctx.state.account.id}`;
  const iso = (t: number) => new Date(t).toISOString();
  const common = (x: CallLogEntry | CallLogLeg) => ({
    startTime: iso(x.start),
    duration: Math.round(x.durationMs / 1000),
    durationMs: x.durationMs,
    type: "Voice",
    direction: x.direction,
    action: x.action,
    result: x.result,
    ...(x.reason ? { reason: x.reason } : {}),
    to: x.to,
    from: x.from,
    transport: x.transport,
  });
  const extension = (id: number) => ({ uri: `${account}/extension/${id}`, id });
  return {
    uri: company ? `${account}/call-log/${e.id}` : `${account}/extension/${e.extensionId}/call-log/${e.id}`,
    id: e.id,
    sessionId: e.sessionId,
    telephonySessionId: e.telephonySessionId,
    partyId: e.partyId,
    ...common(e),
    extension: extension(e.extensionId),
    ...(e.recording
      ? { recording: { ...recordingUris(ctx, e.recording.id), id: e.recording.id, type: e.recording.type } }
      : {}),
    lastModifiedTime: iso(e.modified),
    ...(detailed
      ? {
        billing: { costIncluded: 0, costPurchased: 0 },
        legs: e.legs.map((leg) => ({
          ...common(leg),
          legType: leg.legType,
          ...(leg.master ? { master: true } : {}),
          ...(leg.extensionId !== undefined ? { extension: extension(leg.extensionId) } : {}),
          telephonySessionId: e.telephonySessionId,
        })),
      }
      : {}),
  };
}

/** Throws RingCentral's 400 unless every value of `name` is one of `allowed`; returns them. */
function oneOf(ctx: Ctx, name: string, allowed: string[]): string[] {
  const values = ctx.url.searchParams.getAll(name);
  const bad = values.find((v) => !allowed.includes(v));
  if (bad !== undefined) {
    throw notOneOf(name, bad, allowed);
  }
  return values;
}

/** `view=Detailed` or not (`Simple`, the default). */
function detailedView(ctx: Ctx): boolean {
  return oneOf(ctx, "view", ["Simple", "Detailed"]).at(-1) === "Detailed";
}

/** `perPage=max` means 1000, and a larger number counts as 1000, as RingCentral clamps it. */
function clampPerPage(ctx: Ctx): void {
  const q = ctx.url.searchParams;
  const raw = q.get("perPage");
  if (raw === "max" || (raw !== null && Number.isInteger(Number(raw)) && Number(raw) > 1000)) q.set("perPage", "1000");
}

/** A date parameter, or `fallback`; a 400 for one that is not a date. */
function dateParam(ctx: Ctx, name: string, fallback: number): number {
  const raw = ctx.url.searchParams.get(name);
  if (raw === null) return fallback;
  const t = Date.parse(raw);
  if (Number.isNaN(t)) {
    throw invalidParameter(name, { value: raw, detail: " Use ISO 8601, such as 2024-03-04T17:15:00Z." });
  }
  return t;
}

/** Whether the caller is an admin of the account. */
function isAdmin(ctx: Ctx): boolean {
  return !!ctx.state.extensions.find((e) => e.id === ctx.session!.extensionId)?.admin;
}

/** The extension a path names: the caller's own, or anyone's for an admin. */
function logOwner(ctx: Ctx, params: Params): Extension {
  return extensionOf(ctx, params, !isAdmin(ctx));
}

/** The company's call log is for admins (the FullCompanyCallLog user permission). */
function requireCompanyLog(ctx: Ctx, params: Params): void {
  checkAccount(ctx, params);
  if (isAdmin(ctx)) return;
  throw apiError(403, {
    errorCode: "CMN-408",
    message: "In order to call this API endpoint, user needs to have [FullCompanyCallLog] permission for " +
      "requested resource.",
    permissionName: "FullCompanyCallLog",
  });
}

/** The records of the extension (or, `undefined`, the company). */
function entriesOf(ctx: Ctx, extension: Extension | undefined): CallLogEntry[] {
  const log = callLogOf(ctx.state);
  return extension ? log.filter((e) => e.extensionId === extension.id) : log;
}

const newestFirst = (a: CallLogEntry, b: CallLogEntry) => b.start - a.start || (a.id < b.id ? -1 : 1);

/** Whether a record passes the `direction`, `type`, `transport`, recording and number filters of the request. */
function filterOf(ctx: Ctx, { transportFilter }: { transportFilter: boolean }): (e: CallLogEntry) => boolean {
  const q = ctx.url.searchParams;
  const directions = oneOf(ctx, "direction", ["Inbound", "Outbound"]);
  const types = oneOf(ctx, "type", ["Voice", "Fax"]);
  const transports = transportFilter ? oneOf(ctx, "transport", ["PSTN", "VoIP"]) : [];
  const recordingType = oneOf(ctx, "recordingType", ["Automatic", "OnDemand", "All"]).at(-1);
  const withRecording = oneOf(ctx, "withRecording", ["true", "false"]).at(-1) === "true";
  const digits = (n?: string) => n?.replace(/\D/g, "") ?? "";
  const phone = digits(q.get("phoneNumber") ?? undefined);
  const extensionNumber = q.get("extensionNumber");
  if (phone && extensionNumber) {
    throw invalidParameter("extensionNumber", { message: "Use extensionNumber or phoneNumber, not both" });
  }
  const sessionId = q.get("sessionId");
  const telephonySessionId = q.get("telephonySessionId");
  return (e) =>
    (!directions.length || directions.includes(e.direction)) &&
    (!types.length || types.includes("Voice")) &&
    (!transports.length || transports.includes(e.transport)) &&
    (recordingType ? !!e.recording && (recordingType === "All" || e.recording.type === recordingType) : true) &&
    (!withRecording || !!e.recording) &&
    (!phone || digits(e.from.phoneNumber) === phone || digits(e.to.phoneNumber) === phone) &&
    (!extensionNumber || e.from.extensionNumber === extensionNumber || e.to.extensionNumber === extensionNumber) &&
    (!sessionId || e.sessionId === sessionId) &&
    (!telephonySessionId || e.telephonySessionId === telephonySessionId);
}

/** `GET …/call-log`: newest first, the last 24 hours unless `dateFrom` says otherwise, paged. */
function listCallLog(ctx: Ctx, extension: Extension | undefined): JsonBody {
  const q = ctx.url.searchParams;
  const detailed = detailedView(ctx);
  clampPerPage(ctx);
  const matches = filterOf(ctx, { transportFilter: extension !== undefined });
  const dateTo = dateParam(ctx, "dateTo", ctx.now);
  // A call named by its session is found whenever it was, unless a date is given.
  const bySession = q.has("sessionId") || q.has("telephonySessionId");
  const dateFrom = dateParam(ctx, "dateFrom", bySession ? 0 : dateTo - 24 * 3600_000);
  const records = entriesOf(ctx, extension)
    .filter((e) => e.start >= dateFrom && e.start <= dateTo && matches(e))
    .sort(newestFirst);
  const extraQuery: Record<string, string> = {};
  if (!q.has("dateFrom") && !bySession) extraQuery.dateFrom = new Date(dateFrom).toISOString();
  const page = paginate(ctx, records, { extraQuery, totals: false });
  return {
    ...page,
    records: page.records.map((e) => recordJson(ctx, e, { detailed, company: extension === undefined })),
  };
}

/** `GET …/call-log/{id}` (ids comma-separated: a 207 with one part each). */
function readCallRecord(ctx: Ctx, extension: Extension | undefined, ids: string): Response | JsonBody {
  const detailed = detailedView(ctx);
  const find = (id: string) => entriesOf(ctx, extension).find((e) => e.id === id);
  const list = ids.split(",");
  if (list.length === 1) {
    const e = find(list[0]);
    if (!e) throw notFound("callRecordId");
    return recordJson(ctx, e, { detailed, company: extension === undefined });
  }
  if (list.length > 50) throw invalidParameter("callRecordId", { detail: " At most 50 ids at once." });
  const parts = list.map((id) => {
    const e = find(id);
    if (e) return { resourceId: id, status: 200, body: recordJson(ctx, e, { detailed, company: !extension }) };
    const item = {
      errorCode: "CMN-102",
      message: "Resource for parameter [callRecordId] is not found",
      parameterName: "callRecordId",
    };
    return { resourceId: id, status: 404, body: { ...item, errors: [item] } };
  });
  const headers = baseHeaders({ "Content-Type": "application/vnd.ringcentral.multipart+json" });
  return new Response(pretty(parts), { status: 207, headers });
}

/** A sync token: whose log, up to when, and whether only missed calls. Opaque to clients. */
interface SyncState {
  /** `account`, or an extension id. */
  scope: string;
  /** Sync time (emulated ms). */
  time: number;
  /** Only missed calls. */
  missed: boolean;
  /**
   * The ids of the records changed at `time` that this sync already covered:
   * a call that ends in the same emulated millisecond, after the answer, is
   * not lost by the next ISync.
   */
  seen?: string[];
}

function encodeToken(s: SyncState): string {
  return `CLS${new TextEncoder().encode(JSON.stringify(s)).toBase64({ alphabet: "base64url", omitPadding: true })}`;
}

function decodeToken(token: string): SyncState | undefined {
  try {
    const s = JSON.parse(new TextDecoder().decode(Uint8Array.fromBase64(token.slice(3), { alphabet: "base64url" })));
    return token.startsWith("CLS") && typeof s?.scope === "string" && typeof s?.time === "number" ? s : undefined;
  } catch {
    return undefined;
  }
}

/**
 * `GET …/call-log-sync`: `FSync` answers the newest `recordCount` records
 * (at most 250) and a `syncToken`; `ISync` with that token answers what
 * ended or changed since, and a new token.
 */
function syncCallLog(ctx: Ctx, extension: Extension | undefined): JsonBody {
  const q = ctx.url.searchParams;
  const syncType = oneOf(ctx, "syncType", ["FSync", "ISync"]).at(-1) ?? "FSync";
  const detailed = detailedView(ctx);
  const groups = oneOf(ctx, "statusGroup", ["Missed", "All"]);
  const scope = extension ? String(extension.id) : "account";
  const rawCount = q.get("recordCount");
  const recordCount = rawCount === null ? MAX_SYNC_RECORDS : Number(rawCount);
  if (!Number.isInteger(recordCount) || recordCount < 1) throw invalidParameter("recordCount", { value: rawCount! });
  let records: CallLogEntry[];
  let missed = groups.includes("Missed") && !groups.includes("All");
  if (syncType === "FSync") {
    const dateFrom = dateParam(ctx, "dateFrom", 0);
    records = entriesOf(ctx, extension)
      .filter((e) => e.start >= dateFrom && (!missed || e.result === "Missed"))
      .sort(newestFirst)
      .slice(0, Math.min(recordCount, MAX_SYNC_RECORDS));
  } else {
    const raw = q.get("syncToken");
    if (!raw) throw invalidParameter("syncToken", { message: "Parameter [syncToken] is required for ISync" });
    const token = decodeToken(raw);
    if (!token || token.scope !== scope) {
      throw invalidParameter("syncToken", {
        value: raw,
        message: "Parameter [syncToken] is invalid: use the syncToken of the last sync of this same call log",
      });
    }
    missed = token.missed;
    records = entriesOf(ctx, extension)
      .filter((e) =>
        (e.modified > token.time || (e.modified === token.time && !token.seen?.includes(e.id))) &&
        e.modified <= ctx.now && (!missed || e.result === "Missed")
      )
      .sort((a, b) => b.modified - a.modified || newestFirst(a, b));
    if (records.length > MAX_SYNC_RECORDS) {
      throw apiError(400, {
        errorCode: "CLG-105",
        message: "Parameter [syncToken] is invalid [max sync record number limit is exceeded]: sync again with FSync",
        parameterName: "syncToken",
      });
    }
  }
  const path = ctx.url.pathname.replace(/\/account\/~(?=\/|$)/, `/account/${ctx.state.account.id}`)
    .replace(/\/extension\/~(?=\/|$)/, `/extension/${ctx.session!.extensionId}`);
  return {
    uri: `${ctx.origin}${path}${ctx.url.search}`,
    records: records.map((e) => recordJson(ctx, e, { detailed, company: !extension })),
    syncInfo: {
      syncType,
      syncToken: encodeToken({
        scope,
        time: ctx.now,
        missed,
        seen: entriesOf(ctx, extension).filter((e) => e.modified === ctx.now).map((e) => e.id),
      }),
      syncTime: new Date(ctx.now).toISOString(),
    },
  };
}

/**
 * `GET …/active-calls`: the calls connected now (`In Progress`), and those
 * that ended within the last two minutes, newest first.
 */
function activeCalls(ctx: Ctx, extension: Extension | undefined): JsonBody {
  const detailed = detailedView(ctx);
  clampPerPage(ctx);
  oneOf(ctx, "conferenceType", ["AudioConferencing", "Meetings"]);
  const matches = filterOf(ctx, { transportFilter: true });
  const live: CallLogEntry[] = [];
  for (const call of ctx.state.calls) {
    for (const party of call.parties) {
      if (party.extensionId === undefined || (extension && party.extensionId !== extension.id)) continue;
      if (party.status === "Answered" || party.status === "Hold") live.push(entryOf(ctx.state, call, party, ctx.now));
    }
  }
  const recent = entriesOf(ctx, extension).filter((e) =>
    e.start + e.durationMs >= ctx.now - ACTIVE_AFTER_END_SECONDS * 1000
  );
  const records = [...live, ...recent].filter(matches).sort(newestFirst);
  const page = paginate(ctx, records, { totals: false });
  return { ...page, records: page.records.map((e) => recordJson(ctx, e, { detailed, company: !extension })) };
}

/** A company-wide handler: for admins only. */
function company(handler: (ctx: Ctx, params: Params) => Response | JsonBody) {
  return (ctx: Ctx, params: Params) => {
    requireCompanyLog(ctx, params);
    return handler(ctx, params);
  };
}

/** The handlers of the call log, sync and active calls, by operationId (call_routes.ts routes to them). */
export const callLogHandlers: Record<string, Handler<Ctx>> = {
  readUserCallLog: (ctx, p) => listCallLog(ctx, logOwner(ctx, p)),
  readUserCallRecord: (ctx, p) => readCallRecord(ctx, logOwner(ctx, p), p.callRecordId),
  syncUserCallLog: (ctx, p) => syncCallLog(ctx, logOwner(ctx, p)),
  listExtensionActiveCalls: (ctx, p) => activeCalls(ctx, logOwner(ctx, p)),
  readCompanyCallLog: company((ctx) => listCallLog(ctx, undefined)),
  readCompanyCallRecord: company((ctx, p) => readCallRecord(ctx, undefined, p.callRecordId)),
  syncAccountCallLog: company((ctx) => syncCallLog(ctx, undefined)),
  listCompanyActiveCalls: company((ctx) => activeCalls(ctx, undefined)),
};
