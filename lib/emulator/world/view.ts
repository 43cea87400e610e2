/**
 * What the dashboard shows, computed from the state at one emulated
 * instant: messages and calls with their status now, subscriptions and
 * their deliveries, OAuth sessions and their rotations, each rate-limit
 * window's budget, queued faults, the requests each client made, the
 * activity feed, and every other part of the state as a plain table (so a
 * new area shows up before anyone writes a panel for it).
 * @module
 */
import type { ResolvedOptions } from "../_context.ts";
import { statusOf } from "../messages.ts";
import { GROUP_LIMITS } from "../rate_limit.ts";
import type { EmulatorState, Extension, Fault } from "../state.ts";
import { type Activity, type ActivityEvent, sessionLabel } from "./activity.ts";

/** A table of a part of the state no panel knows yet. */
export interface Collection {
  /** The state's field. */
  name: string;
  /** How many items it has. */
  count: number;
  /** Column names. */
  columns: string[];
  /** The last rows, as text. */
  rows: string[][];
}

/** The dashboard's model: everything the page shows, as JSON. */
export interface DashboardView {
  /** Emulated time (ms). */
  now: number;
  /** How far the emulated clock is from the real one, in seconds. */
  offsetSeconds: number;
  /** The account's name. */
  company: string;
  /** A workshop room's emulator. */
  room: boolean;
  /** Whether `POST /__emulator/save` saves (started with `--data`). */
  saving: boolean;
  /** Controls this emulator has, for the actions the page offers. */
  controls: { inboundCall: boolean };
  /** The account's numbers, for the inbound forms: who owns each, whether it takes SMS. */
  numbers: { phoneNumber: string; owner: string; sms: boolean }[];
  /** The latest messages, newest first. */
  messages: Record<string, unknown>[];
  /** How many messages the store holds. */
  messageCount: number;
  /** Telephony sessions, newest first, when the emulator has calls. */
  calls?: Record<string, unknown>[];
  /** Event subscriptions. */
  subscriptions: Record<string, unknown>[];
  /** The latest deliveries (and their retries), newest first. */
  deliveries: ActivityEvent[];
  /** OAuth sessions, newest first. */
  sessions: Record<string, unknown>[];
  /** Each rate-limit window in use, and each that refilled within the last window (full again). */
  rateLimits: Record<string, unknown>[];
  /** Whether rate limits apply (a room's emulator has them off by default). */
  rateLimitsOn: boolean;
  /** Queued faults. */
  faults: (Fault & { index: number })[];
  /** The latest requests, newest first. */
  requests: ActivityEvent[];
  /** Requests by client. */
  clients: { client: string; requests: number; failed: number; last: number }[];
  /** The latest events of every kind, newest first. */
  activity: ActivityEvent[];
  /** Counters. */
  stats: Record<string, unknown>;
  /** The other parts of the state. */
  collections: Collection[];
}

/** Fields the panels show, or that hold secrets or internals: not shown as plain tables. */
const SHOWN = new Set([
  "account",
  "extensions",
  "phoneNumbers",
  "messages",
  "apps",
  "userPassword",
  "sessions",
  "tokens",
  "codes",
  "rate",
  "faults",
  "subscriptions",
  "wsTokens",
  "webhookFailures",
  "gateway",
  "stats",
  "nextId",
  "clockOffset",
  "calls",
]);

/** How many rows of each list the page gets. */
const ROWS = 100;

function nameOf(state: EmulatorState, extensionId: number | string | undefined): string {
  const e = state.extensions.find((x: Extension) => String(x.id) === String(extensionId));
  return e ? `${e.name} (${e.extensionNumber ?? e.id})` : String(extensionId ?? "");
}

/** A value as one short line of text. */
function cell(v: unknown): string {
  if (v === undefined || v === null) return "";
  if (typeof v === "object") {
    const text = JSON.stringify(v instanceof Map ? Object.fromEntries(v) : v);
    return text.length > 80 ? `${text.slice(0, 79)}…` : text;
  }
  return String(v);
}

/**
 * Every other field of the state as a table: its items' plain fields. An
 * area's object of lists (Team Messaging's chats and posts) is a table for
 * each list.
 */
function collections(state: EmulatorState): Collection[] {
  const out: Collection[] = [];
  const fields: [string, unknown][] = [];
  for (const [name, value] of Object.entries(state)) {
    if (SHOWN.has(name) || value === null || typeof value !== "object") continue;
    const lists = value instanceof Map || Array.isArray(value)
      ? []
      : Object.entries(value).filter(([, v]) => Array.isArray(v) || v instanceof Map);
    if (lists.length) fields.push(...lists.map(([k, v]): [string, unknown] => [`${name}.${k}`, v]));
    else fields.push([name, value]);
  }
  for (const [name, value] of fields as [string, object][]) {
    const items: [string, unknown][] = value instanceof Map
      ? [...value].map(([k, v]) => [String(k), v])
      : Array.isArray(value)
      ? value.map((v, i) => [String(i), v])
      : Object.entries(value);
    const last = items.slice(-20).reverse();
    const columns = [...new Set(last.flatMap(([, v]) => v && typeof v === "object" ? Object.keys(v) : ["value"]))]
      .slice(0, 8);
    out.push({
      name,
      count: items.length,
      columns: ["key", ...columns],
      rows: last.map(([k, v]) => [
        k,
        ...columns.map((c) => cell(v && typeof v === "object" ? (v as Record<string, unknown>)[c] : v)),
      ]),
    });
  }
  return out;
}

/** A call (a telephony session of the calls area), read by duck typing: it may not exist in this version. */
function callRow(state: EmulatorState, call: Record<string, unknown>, now: number): Record<string, unknown> {
  const parties = (Array.isArray(call.parties) ? call.parties : []) as Record<string, unknown>[];
  const end = (p: Record<string, unknown> | undefined, side: "from" | "to") => {
    const x = p?.[side] as Record<string, unknown> | undefined;
    return x ? `${x.name ? `${x.name} ` : ""}${x.phoneNumber ?? ""}`.trim() : "";
  };
  const callee = parties.find((p) => p.extensionId !== undefined && p.direction === "Inbound") ?? parties.at(-1);
  const status = call.ended !== undefined ? "Disconnected" : String(callee?.status ?? "");
  return {
    id: call.id,
    origin: call.origin,
    from: end(parties[0], "from"),
    to: end(parties[0], "to"),
    status,
    parties: parties.map((p) => ({
      id: p.id,
      who: p.extensionId !== undefined ? nameOf(state, p.extensionId as number) : end(p, "to"),
      status: p.status,
      reason: p.reason,
    })),
    created: call.created,
    ended: call.ended,
    seconds: Math.max(0, Math.round((((call.ended as number | undefined) ?? now) - (call.created as number)) / 1000)),
  };
}

/**
 * The dashboard's model of `state` at emulated time `now`.
 *
 * @example A sent message is Queued at first
 * ```ts
 * import { RingCentral } from "../../../mod.ts";
 * import { createEmulator } from "../mod.ts";
 * import { dashboardView } from "./view.ts";
 * import { equal } from "node:assert/strict";
 * let clock = Date.now();
 * const emulator = createEmulator({ now: () => clock });
 * const rc = new RingCentral({ ...emulator.credentials, fetch: emulator.fetch });
 * const sent = await (await rc.post("/restapi/v1.0/account/~/extension/~/sms", {
 *   from: { phoneNumber: "+16505550101" },
 *   to: [{ phoneNumber: "+16505550199" }],
 *   text: "Hi",
 * })).json();
 * const options = { sendSeconds: 2, deliverSeconds: 3, rateWindow: 60, rateLimits: true } as const;
 * const view = dashboardView(emulator.activity, options);
 * equal(view.messages[0].id, sent.id);
 * equal(view.messages[0].status, "Queued");
 * ```
 */
export function dashboardView(
  activity: Activity,
  options: Pick<ResolvedOptions, "sendSeconds" | "deliverSeconds" | "rateWindow" | "rateLimits"> & {
    room?: unknown;
    save?: unknown;
  },
  controls: { inboundCall: boolean } = { inboundCall: false },
): DashboardView {
  const state = activity.state();
  const now = activity.now();
  const ctx = { now, options: options as ResolvedOptions };
  const recent = activity.recent().reverse();
  const messages = [...state.messages].sort((a, b) => b.created - a.created || b.id - a.id).slice(0, ROWS);
  const windowMs = options.rateWindow * 1000;
  const calls = (state as unknown as { calls?: unknown }).calls;
  return {
    now,
    offsetSeconds: state.clockOffset / 1000,
    company: state.account.companyName,
    room: !!options.room,
    saving: !!options.save,
    controls,
    numbers: state.phoneNumbers.filter((p) => p.type !== "FaxOnly").map((p) => ({
      phoneNumber: p.phoneNumber,
      owner: nameOf(state, p.extensionId),
      sms: p.features.includes("SmsSender"),
    })),
    messages: messages.map((m) => ({
      id: m.id,
      owner: nameOf(state, m.extensionId),
      direction: m.direction,
      from: m.from.phoneNumber,
      to: m.to.map((p) => p.phoneNumber).join(", "),
      text: m.text,
      status: statusOf(ctx, m),
      readStatus: m.readStatus,
      created: m.created,
      attachments: m.attachments.length,
      kind: m.type === "Fax" ? "Fax" : m.attachments.length ? "MMS" : "SMS",
      ...(m.fax ? { pages: m.fax.pageCount } : {}),
    })),
    messageCount: state.messages.length,
    ...(Array.isArray(calls)
      ? {
        calls: (calls as Record<string, unknown>[]).slice(-ROWS).reverse().map((c) => callRow(state, c, now)),
      }
      : {}),
    subscriptions: [...state.subscriptions.values()].map((s) => ({
      id: s.id,
      owner: sessionLabel(state, s.extensionId, s.clientId),
      transport: s.transport,
      address: s.address,
      filters: s.eventFilters.map((f) => f.replace(/^\/restapi\/v1\.0\/account\/\d+\/extension\/\d+/, "…")),
      status: now >= s.expires ? "Expired" : s.status,
      failures: s.failures,
      expiresIn: Math.round((s.expires - now) / 1000),
      reason: s.reason,
    })),
    deliveries: recent.filter((e) => e.kind === "delivery").slice(0, ROWS),
    sessions: [...state.sessions.values()].sort((a, b) => b.created - a.created).slice(0, ROWS).map((s) => ({
      id: s.id,
      who: sessionLabel(state, s.extensionId, s.clientId),
      created: s.created,
      rotated: s.issued,
      rotations: s.rotations ?? 0, // counted on the session, so a saved world keeps them
      accessExpires: s.issued + s.accessTtl * 1000,
      refreshExpires: s.issued + s.refreshTtl * 1000,
      used: s.accessUsed !== undefined,
      revoked: !!s.revoked,
      status: s.revoked
        ? "Revoked"
        : now >= s.issued + s.refreshTtl * 1000
        ? "Expired"
        : now >= s.issued + s.accessTtl * 1000
        ? "Access expired"
        : "Active",
    })),
    rateLimits: options.rateLimits
      ? [...state.rate].map(([key, w]) => {
        const [extensionId, clientId, group] = key.split(":");
        const used = w.hits.filter((t) => t > now - windowMs).length;
        const limit = GROUP_LIMITS[group] ?? 0;
        return {
          key,
          who: sessionLabel(state, Number(extensionId), clientId),
          group,
          used,
          limit,
          remaining: Math.max(0, limit - used),
          windowSeconds: options.rateWindow,
          penaltySeconds: Math.max(0, Math.ceil((w.penaltyUntil - now) / 1000)),
          // A budget that refilled keeps its row one more window, full, rather than vanishing.
          refilledAgo: now - Math.max((w.hits.at(-1) ?? -Infinity) + windowMs, w.penaltyUntil),
        };
      }).filter((r) => r.used > 0 || r.penaltySeconds > 0 || r.refilledAgo < windowMs)
        .map(({ refilledAgo: _, ...r }) => r)
      : [],
    rateLimitsOn: options.rateLimits,
    faults: state.faults.map((f, index) => ({ ...f, index })),
    requests: recent.filter((e) => e.kind === "request" || e.kind === "control").slice(0, ROWS),
    clients: activity.clients().sort((a, b) => b.last - a.last),
    activity: recent.slice(0, ROWS),
    stats: { ...state.stats, sessions: [...state.sessions.values()].filter((s) => !s.revoked).length },
    collections: collections(state),
  };
}
