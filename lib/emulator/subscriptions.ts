/**
 * Event subscriptions of the emulator, delivered by webhook: the REST API
 * (`/restapi/v1.0/subscription`: create with the validation handshake, list,
 * read, update, renew, delete), and the events of the message store and of
 * instant inbound SMS, POSTed to the subscriber's loopback address. An
 * address that keeps failing is blacklisted; a subscription expires.
 * @module
 */
import { isLoopbackHost } from "../hosts.ts";
import { WEBHOOK_HEADERS } from "../webhook_forward.ts";
import { sleep } from "./_clock.ts";
import type { Ctx } from "./_context.ts";
import { apiError, baseHeaders, invalidParameter, type JsonBody } from "./_http.ts";
import { notFound } from "./_lookup.ts";
import type { Params, Route } from "./_router.ts";
import type { EmulatorState, Message, Subscription } from "./state.ts";
import { CHAT_FILTERS, POST_FILTERS } from "./team_state.ts";
import { missingPermission } from "./permissions.ts";
import { socketOfRequest } from "./websocket.ts";
import { publish as tell } from "./world/activity.ts";

const API = "/restapi/v1.0";
/** Deliveries that may fail in a row before the subscription is blacklisted. */
const FAILURES_TO_BLACKLIST = 3;
const DEFAULT_EXPIRES_IN = 604_800;
/** Pauses before a failed webhook delivery is tried again, in ms. */
const RETRY_PAUSES_MS = [500, 1000];
const MAX_EXPIRES_IN = 630_720_000;

/** The query parameters each kind of event filter takes, beside its path. */
const FILTER_PARAMETERS: [RegExp, string[]][] = [
  [/\/message-store$/, ["type"]],
  [/\/message-store\/instant$/, ["type"]],
  [/\/telephony\/sessions$/, ["direction", "missedCall", "phoneNumber", "sipData", "statusCode", "withRecordings"]],
  [/\/presence$/, ["detailedTelephonyState", "sipData", "aggregated"]],
];

/**
 * The filter with `~` resolved, when the emulator emits its events: the
 * message store (`?type=SMS`, `?type=Fax` or neither, and the instant SMS event), the inbound
 * fax event (`…/fax?direction=Inbound`), an
 * extension's or the account's telephony sessions, an extension's presence
 * (with their documented parameters), Team Messaging's posts and chats;
 * `undefined` for any other.
 */
function normalize(state: EmulatorState, extensionId: number, filter: string): string | undefined {
  if (isTeamMessaging(filter.trim())) return filter.trim();
  const f = filter.trim()
    .replace(/^\/restapi\/v1\.0\/account\/~(?=\/)/, `${API}/account/${state.account.id}`)
    .replace(/\/extension\/~(?=\/|\?|$)/, `/extension/${extensionId}`);
  const account = `${API}/account/${state.account.id}`;
  const store = `${account}/extension/\\d+/message-store`;
  if (new RegExp(`^${store}(/instant\\?type=SMS|\\?type=(SMS|Fax))?$`).test(f)) return f;
  if (new RegExp(`^${account}/extension/\\d+/fax\\?direction=Inbound$`).test(f)) return f; // Fax Message Event
  const [path, query = ""] = f.split(/\?(.*)/s, 2);
  const known = new RegExp(`^${account}(/extension/\\d+)?/telephony/sessions$|^${account}/extension/\\d+/presence$`);
  if (!known.test(path)) return undefined;
  const allowed = FILTER_PARAMETERS.find(([end]) => end.test(path))![1];
  const params = new URLSearchParams(query);
  return [...params.keys()].every((k) => allowed.includes(k)) ? f : undefined;
}

/** Whether a filter is one of Team Messaging's (posts or chats). */
function isTeamMessaging(filter: string): boolean {
  return POST_FILTERS.includes(filter) || CHAT_FILTERS.includes(filter);
}

/** The app permission events of `filter` need (a normalized filter). */
function filterPermission(filter: string): string {
  if (isTeamMessaging(filter)) return "TeamMessaging";
  const { path } = parseFilter(filter);
  if (path.includes("/message-store") || path.endsWith("/fax")) return "ReadMessages";
  if (path.includes("/presence")) return "ReadPresence";
  return "CallControl"; // telephony sessions
}

/** A filter's path and its parameters. */
export function parseFilter(filter: string): { path: string; params: URLSearchParams } {
  const [path, query = ""] = filter.split(/\?(.*)/s, 2);
  return { path, params: new URLSearchParams(query) };
}

function record(ctx: Ctx, s: Subscription): JsonBody {
  return {
    uri: `${ctx.origin}${API}/subscription/${s.id}`,
    id: s.id,
    creationTime: new Date(s.created).toISOString(),
    status: s.status,
    eventFilters: s.eventFilters,
    expirationTime: new Date(s.expires).toISOString(),
    expiresIn: Math.max(1, Math.round((s.expires - ctx.now) / 1000)),
    deliveryMode: s.transport === "WebHook"
      ? { transportType: "WebHook", address: s.address, encryption: false }
      : { transportType: "WebSocket", encryption: false },
    ...(s.blacklistedAt !== undefined
      ? { blacklistedData: { blacklistedAt: new Date(s.blacklistedAt).toISOString(), reason: s.reason ?? "" } }
      : {}),
  };
}

function mine(ctx: Ctx, params: Params): Subscription {
  const s = ctx.state.subscriptions.get(params.subscriptionId);
  if (!s || !visible(ctx, s)) throw notFound("subscriptionId");
  return s;
}

/** Whether the caller (its extension and app) owns `s` and it has not expired: an expired subscription is gone. */
function visible(ctx: Ctx, s: Subscription): boolean {
  if (ctx.now >= s.expires) {
    ctx.state.subscriptions.delete(s.id);
    return false;
  }
  return s.extensionId === ctx.session!.extensionId && s.clientId === ctx.session!.clientId;
}

/** The checked event filters and lifetime of a create or update request. */
async function readBody(ctx: Ctx, creating: boolean) {
  const body = (await ctx.json() ?? {}) as {
    eventFilters?: unknown;
    expiresIn?: unknown;
    deliveryMode?: { transportType?: unknown; address?: unknown; verificationToken?: unknown };
  };
  let filters: string[] | undefined;
  if (body.eventFilters !== undefined || creating) {
    if (!Array.isArray(body.eventFilters) || !body.eventFilters.length) {
      throw invalidParameter("eventFilters", { message: "eventFilters must be a non-empty list of event filters" });
    }
    filters = body.eventFilters.map((f) => {
      const n = typeof f === "string" ? normalize(ctx.state, ctx.session!.extensionId, f) : undefined;
      if (!n) {
        throw invalidParameter("eventFilters", {
          message: `Event filter [${String(f)}] is not supported: the emulator emits ` +
            `/restapi/v1.0/account/~/extension/~/message-store, …/message-store/instant?type=SMS, ` +
            `…/extension/~/fax?direction=Inbound, …/extension/~/telephony/sessions, ` +
            `/restapi/v1.0/account/~/telephony/sessions, ` +
            `…/extension/~/presence?detailedTelephonyState=true, /team-messaging/v1/posts and /team-messaging/v1/chats`,
          value: String(f),
        });
      }
      return n;
    });
    // Each kind of event needs the permission its API needs: a token without it is refused, as RingCentral does.
    const granted = ctx.session!.scope.split(" ");
    for (const filter of filters) {
      const needed = filterPermission(filter);
      if (!granted.includes(needed)) throw missingPermission(needed);
    }
  }
  const expiresIn = body.expiresIn === undefined ? undefined : Number(body.expiresIn);
  if (expiresIn !== undefined && !(Number.isInteger(expiresIn) && expiresIn >= 1 && expiresIn <= MAX_EXPIRES_IN)) {
    throw invalidParameter("expiresIn", { value: String(body.expiresIn) });
  }
  return { filters, expiresIn, deliveryMode: body.deliveryMode };
}

/** The validation handshake: the address must echo the `Validation-Token` header within 3 seconds. */
async function validate(address: string): Promise<boolean> {
  const token = crypto.randomUUID();
  try {
    const r = await fetch(address, {
      method: "POST",
      headers: { ...WEBHOOK_HEADERS, "Validation-Token": token },
      signal: AbortSignal.timeout(3000),
      redirect: "manual",
    });
    const size = (await r.arrayBuffer()).byteLength +
      [...r.headers].reduce((n, [k, v]) => n + k.length + v.length + 4, 0);
    return r.status === 200 && r.headers.get("validation-token") === token && size <= 1024;
  } catch {
    return false;
  }
}

/**
 * Whether the emulator may deliver to `address`: on loopback only; in a
 * workshop room, only to the machine the request came from (the attendee's
 * own), so nobody points the room's emulator at someone else.
 */
function checkWebhookHost(ctx: Ctx, address: URL): void {
  const host = address.hostname.replace(/^\[|\]$/g, "");
  if (!ctx.options.room) {
    if (isLoopbackHost(address.hostname)) return;
    throw invalidParameter("deliveryMode.address", {
      message: "The emulator delivers webhooks only to loopback addresses, such as http://127.0.0.1:8080/webhook",
    });
  }
  const remote = ctx.remote ?? "127.0.0.1";
  const own = isLoopbackHost(remote) ? isLoopbackHost(address.hostname) : host === remote;
  if (own) return;
  throw invalidParameter("deliveryMode.address", {
    message: `In a room, webhooks go to your own machine (${remote}), not ${host}: use http://${
      remote.includes(":") ? `[${remote}]` : remote
    }:PORT/your-path, and let the emulator reach that port`,
  });
}

/** Where a new subscription's events go: a validated webhook, or the socket the request came over. */
async function destination(
  ctx: Ctx,
  deliveryMode: { transportType?: unknown; address?: unknown; verificationToken?: unknown } | undefined,
) {
  if (deliveryMode?.transportType === "WebSocket") {
    const socket = socketOfRequest.get(ctx.request);
    if (!socket) {
      throw invalidParameter("deliveryMode.transportType", {
        message: "A WebSocket subscription is created over the WebSocket itself: get a token from " +
          "POST /restapi/oauth/wstoken, connect to its uri, and send this request as a ClientRequest frame",
      });
    }
    if (socket.subscriptionId && ctx.state.subscriptions.has(socket.subscriptionId)) {
      throw apiError(400, {
        errorCode: "SUB-527",
        message: "This WebSocket connection already has a subscription: update it, or open another connection",
      });
    }
    return { transport: "WebSocket" as const, socket };
  }
  if (deliveryMode?.transportType !== "WebHook") {
    throw invalidParameter("deliveryMode.transportType", {
      message: 'deliveryMode.transportType is "WebHook" (with an address) or "WebSocket" (over the socket)',
    });
  }
  let address: URL;
  try {
    address = new URL(String(deliveryMode.address));
  } catch {
    throw invalidParameter("deliveryMode.address", { message: "deliveryMode.address must be a URL" });
  }
  if (!/^https?:$/.test(address.protocol)) {
    throw invalidParameter("deliveryMode.address", { message: "deliveryMode.address must be an http(s) URL" });
  }
  const token = deliveryMode.verificationToken;
  if (token !== undefined && (typeof token !== "string" || !token || token.length > 1024)) {
    throw invalidParameter("deliveryMode.verificationToken", {
      message: "deliveryMode.verificationToken, when given, is a non-empty string of at most 1024 characters",
    });
  }
  checkWebhookHost(ctx, address);
  if (!(await validate(address.href))) {
    throw apiError(400, {
      errorCode: "SUB-525",
      message: `WebHook server response is invalid: ${address.href} must answer 200 within 3 seconds, ` +
        "echoing the request's Validation-Token header, in under 1024 bytes",
      parameterName: "deliveryMode.address",
    });
  }
  return { transport: "WebHook" as const, address: address.href, ...(token ? { verificationToken: token } : {}) };
}

async function create(ctx: Ctx): Promise<JsonBody> {
  const { filters, expiresIn, deliveryMode } = await readBody(ctx, true);
  const target = await destination(ctx, deliveryMode);
  const now = ctx.now;
  const s: Subscription = {
    id: crypto.randomUUID(),
    extensionId: ctx.session!.extensionId,
    clientId: ctx.session!.clientId,
    eventFilters: filters!,
    ...target,
    status: "Active",
    created: now,
    expires: now + (expiresIn ?? DEFAULT_EXPIRES_IN) * 1000,
    failures: 0,
  };
  if (target.transport === "WebSocket") target.socket.subscriptionId = s.id;
  ctx.state.subscriptions.set(s.id, s);
  return record(ctx, s);
}

async function update(ctx: Ctx, params: Params): Promise<JsonBody> {
  const s = mine(ctx, params);
  const { filters, expiresIn } = await readBody(ctx, false);
  if (filters) s.eventFilters = filters;
  if (expiresIn !== undefined) s.expires = ctx.now + expiresIn * 1000;
  return record(ctx, s);
}

function renew(ctx: Ctx, params: Params): JsonBody {
  const s = mine(ctx, params);
  s.expires = ctx.now + DEFAULT_EXPIRES_IN * 1000;
  return record(ctx, s);
}

function remove(ctx: Ctx, params: Params): Response {
  ctx.state.subscriptions.delete(mine(ctx, params).id);
  return new Response(null, { status: 204, headers: baseHeaders() });
}

/**
 * Emits the events of a new message to the subscriptions that match it: a
 * message-store change (`changes[]` with `newMessageIds`) and, for an inbound
 * SMS, the instant event that carries the message itself. Deliveries run in
 * the background; `now` is the emulated time.
 */
export function emitMessage(state: EmulatorState, message: Message, now: number, messageJson: JsonBody): void {
  const extension = `${API}/account/${state.account.id}/extension/${message.extensionId}`;
  const store = `${extension}/message-store`;
  const change = {
    accountId: state.account.id,
    extensionId: message.extensionId,
    lastUpdated: new Date(now).toISOString(),
    changes: [{ type: message.type, newCount: 1, updatedCount: 0, newMessageIds: [message.id] }],
  };
  publish(state, now, (filter, s) => {
    if (s.extensionId !== message.extensionId) return undefined;
    if (filter === store || filter === `${store}?type=${message.type}`) return change;
    if (message.type === "SMS" && message.direction === "Inbound" && filter === `${store}/instant?type=SMS`) {
      return messageJson;
    }
    if (message.type === "Fax" && message.direction === "Inbound" && filter === `${extension}/fax?direction=Inbound`) {
      return messageJson;
    }
    return undefined;
  });
}

/**
 * Emits the message-store events of messages whose status changed (one
 * event per extension, its `changes[]` counting the updated messages of
 * each type, as RingCentral sends them).
 */
export function emitMessageUpdates(state: EmulatorState, messages: Message[], now: number): void {
  const byExtension = new Map<number, Map<string, number>>();
  for (const m of messages) {
    const types = byExtension.get(m.extensionId) ?? new Map<string, number>();
    types.set(m.type, (types.get(m.type) ?? 0) + 1);
    byExtension.set(m.extensionId, types);
  }
  for (const [extensionId, types] of byExtension) {
    const store = `${API}/account/${state.account.id}/extension/${extensionId}/message-store`;
    const changes = [...types].map(([type, updatedCount]) => ({ type, newCount: 0, updatedCount }));
    const body = { accountId: state.account.id, extensionId, lastUpdated: new Date(now).toISOString(), changes };
    publish(state, now, (filter, s) => {
      if (s.extensionId !== extensionId) return undefined;
      if (filter === store) return body;
      const typed = changes.filter((c) => filter === `${store}?type=${c.type}`);
      return typed.length ? { ...body, changes: typed } : undefined;
    });
  }
}

/**
 * Sends an event to every active subscription, once for each of its
 * filters that `bodyFor` gives a body for (the event is named after the
 * filter, as RingCentral names it). Webhook deliveries run in the
 * background, each subscription's in the order they were published;
 * `now` is the emulated time.
 */
export function publish(
  state: EmulatorState,
  now: number,
  bodyFor: (filter: string, subscription: Subscription) => unknown,
): void {
  for (const s of state.subscriptions.values()) {
    if (s.status !== "Active" || now >= s.expires) continue;
    for (const filter of s.eventFilters) {
      const body = bodyFor(filter, s);
      if (body === undefined) continue;
      const notification = {
        uuid: crypto.randomUUID(),
        event: filter,
        timestamp: new Date(now).toISOString(),
        subscriptionId: s.id,
        ownerId: String(s.extensionId),
        body,
      };
      if (s.transport === "WebSocket") {
        const sent = s.socket?.notify(notification) ?? false;
        tell(state, {
          kind: "delivery",
          subscriptionId: s.id,
          attempt: 1,
          ok: sent,
          status: 0,
          path: filter.replace(/^\/restapi\/v1\.0/, ""),
          text: `WebSocket: ${sent ? "delivered" : "kept for recovery (no socket open)"}`,
        });
        continue;
      }
      // One webhook delivery after another, so that a subscriber sees events in the order they happened.
      const previous = webhookQueues.get(s) ?? Promise.resolve();
      const next = previous.then(() => deliver(state, s, notification, now));
      webhookQueues.set(s, next);
    }
  }
}

/** The last webhook delivery queued for each subscription. */
const webhookQueues = new WeakMap<Subscription, Promise<void>>();

/**
 * POSTs a notification to a webhook, retried after 0.5 s and 1 s (of the
 * emulator's clock: `POST /__emulator/clock` moves them on) when it fails; when every attempt failed, that is one failed
 * delivery, and {@linkcode FAILURES_TO_BLACKLIST} in a row blacklist the
 * subscription. A forced failure (`POST /__emulator/webhook-failures`)
 * takes the place of one attempt.
 */
async function deliver(state: EmulatorState, s: Subscription, notification: unknown, now: number): Promise<void> {
  const event = (notification as { event?: string }).event ?? "";
  const told = (attempt: number, ok: boolean, status: number, result: string) =>
    tell(state, {
      kind: "delivery",
      subscriptionId: s.id,
      attempt,
      ok,
      status,
      path: event.replace(/^\/restapi\/v1\.0/, ""),
      text: `${s.transport === "WebSocket" ? "WebSocket" : `webhook ${s.address}`}: ${result}` +
        (attempt > 1 ? ` (try ${attempt})` : ""),
    });
  let last = "";
  let attempt = 0;
  for (const pause of [0, ...RETRY_PAUSES_MS]) {
    if (pause) await sleep(state, pause);
    if (s.status !== "Active" || !state.subscriptions.has(s.id)) return; // blacklisted or deleted meanwhile
    attempt++;
    if (state.webhookFailures > 0) {
      state.webhookFailures--;
      last = "HTTP 503 (forced by the emulator)";
      told(attempt, false, 503, last);
      continue;
    }
    try {
      const r = await fetch(s.address!, {
        method: "POST",
        headers: { ...WEBHOOK_HEADERS, ...(s.verificationToken ? { "Verification-Token": s.verificationToken } : {}) },
        body: JSON.stringify(notification),
        signal: AbortSignal.timeout(3000),
        redirect: "manual",
      });
      await r.body?.cancel();
      told(attempt, r.ok, r.status, `HTTP ${r.status}`);
      if (r.ok) {
        s.failures = 0;
        return;
      }
      last = `HTTP ${r.status}`;
    } catch (e) {
      last = (e as Error).message;
      told(attempt, false, 0, last);
    }
  }
  if (++s.failures >= FAILURES_TO_BLACKLIST && s.status === "Active") {
    s.status = "Blacklisted";
    s.blacklistedAt = now;
    s.reason = `${FAILURES_TO_BLACKLIST} deliveries in a row failed, each tried ${1 + RETRY_PAUSES_MS.length} times ` +
      `(last: ${last})`;
    tell(state, { kind: "delivery", subscriptionId: s.id, ok: false, text: `blacklisted: ${s.reason}` });
  }
}

const SUB = `${API}/subscription`;

/** The subscription routes. */
export const subscriptionRoutes: Route<Ctx>[] = [
  {
    method: "GET",
    pattern: SUB,
    group: "Light",
    handler: (ctx) => ({
      uri: `${ctx.origin}${SUB}`,
      records: [...ctx.state.subscriptions.values()]
        .filter((s) => visible(ctx, s))
        .map((s) => record(ctx, s)),
    }),
  },
  { method: "POST", pattern: SUB, group: "Medium", handler: create },
  { method: "GET", pattern: `${SUB}/:subscriptionId`, group: "Light", handler: (ctx, p) => record(ctx, mine(ctx, p)) },
  { method: "PUT", pattern: `${SUB}/:subscriptionId`, group: "Medium", handler: update },
  { method: "DELETE", pattern: `${SUB}/:subscriptionId`, group: "Medium", handler: remove },
  { method: "POST", pattern: `${SUB}/:subscriptionId/renew`, group: "Light", handler: renew },
];
