/**
 * What happens inside the emulator, as a feed: each request with who made it
 * and how it went, each token issued, rotated or revoked, each event
 * delivery and its retries, the clock moved, a reset. The emulator's areas
 * publish to it through {@linkcode publish} with the state they hold (no
 * area reaches into another); the dashboard's live stream listens to it. It
 * lives beside the state, not in it: the state stays plain data.
 * @module
 */
import type { EmulatorState } from "../state.ts";

/**
 * One thing that happened, for the dashboard.
 *
 * @example A request, as the feed tells it
 * ```ts
 * import { createEmulator } from "../mod.ts";
 * import type { ActivityEvent } from "../mod.ts";
 * import { equal } from "node:assert/strict";
 * const emulator = createEmulator();
 * await emulator.fetch("http://emulator.local/restapi/v1.0/account/~");
 * const event: ActivityEvent = emulator.activity.recent().at(-1)!;
 * equal(event.kind, "request");
 * equal(event.status, 401);
 * ```
 */
export interface ActivityEvent {
  /** Its number, increasing. */
  seq: number;
  /** When (emulated ms). */
  at: number;
  /** `request`, `control`, `token`, `delivery`, `reset`, `restore`, `save`, … */
  kind: string;
  /** What happened, in one line. */
  text: string;
  /** The request's method. */
  method?: string;
  /** The request's path (no query: it may hold a token). */
  path?: string;
  /** The answer's status (a delivery: the receiver's; 0 when there was none). */
  status?: number;
  /** How long it took, in real ms. */
  ms?: number;
  /** Who made it: the user and the app. */
  client?: string;
  /** The rate-limit group and what is left of it, from the answer's headers. */
  rate?: { group: string; remaining: number; limit: number };
  /** The subscription, for a delivery. */
  subscriptionId?: string;
  /** The OAuth session, for a token event. */
  sessionId?: string;
  /** Which try of a delivery (1, 2, 3). */
  attempt?: number;
  /** Whether it went well. */
  ok?: boolean;
}

/**
 * What a publisher gives: the event without its number and time.
 *
 * @example Tell the feed something happened
 * ```ts
 * import { createEmulator } from "../mod.ts";
 * import type { ActivityInput } from "../mod.ts";
 * import { equal } from "node:assert/strict";
 * const emulator = createEmulator();
 * const input: ActivityInput = { kind: "note", text: "the demo starts" };
 * equal(emulator.activity.publish(input).text, "the demo starts");
 * ```
 */
export type ActivityInput = Omit<ActivityEvent, "seq" | "at">;

/** How many events the feed keeps. */
const KEPT = 500;

/**
 * The emulator's activity feed: recent events, requests counted by client,
 * and listeners (the dashboard's live streams).
 *
 * @example Listen while a script runs
 * ```ts
 * import { createEmulator } from "../mod.ts";
 * import type { Activity } from "../mod.ts";
 * import { equal } from "node:assert/strict";
 * const emulator = createEmulator();
 * const activity: Activity = emulator.activity;
 * const seen: string[] = [];
 * const stop = activity.listen((e) => seen.push(e.kind));
 * await emulator.fetch("http://emulator.local/restapi/v1.0/account/~");
 * stop();
 * equal(seen.join(), "request");
 * ```
 */
export class Activity {
  #events: ActivityEvent[] = [];
  #seq = 0;
  #listeners = new Set<(event: ActivityEvent) => void>();
  #clients = new Map<string, { requests: number; last: number; failed: number }>();
  #streams = new Set<() => void>();
  #host: { now(): number; state(): EmulatorState };

  /** The feed of an emulator: its clock stamps the events; `state` is its state now (a reset replaces it). */
  constructor(host: { now(): number; state(): EmulatorState }) {
    this.#host = host;
  }

  /** The emulated time now, in ms. */
  now(): number {
    return this.#host.now();
  }

  /** The emulator's state now (the dashboard reads it). */
  state(): EmulatorState {
    return this.#host.state();
  }

  /** Adds an event and tells every listener. */
  publish(input: ActivityInput): ActivityEvent {
    const event: ActivityEvent = { seq: ++this.#seq, at: this.#host.now(), ...input };
    this.#events.push(event);
    if (this.#events.length > KEPT) this.#events.splice(0, this.#events.length - KEPT);
    if (event.kind === "request" && event.client) {
      const c = this.#clients.get(event.client) ?? { requests: 0, last: 0, failed: 0 };
      c.requests++;
      c.last = event.at;
      if ((event.status ?? 0) >= 400) c.failed++;
      this.#clients.set(event.client, c);
    }
    for (const listener of this.#listeners) {
      try {
        listener(event);
      } catch { /* a listener's failure is its own */ }
    }
    return event;
  }

  /** The last `limit` events, oldest first. */
  recent(limit = KEPT): ActivityEvent[] {
    return this.#events.slice(-limit);
  }

  /** Requests by client since the emulator started: how many, how many failed, the last one's time. */
  clients(): { client: string; requests: number; failed: number; last: number }[] {
    return [...this.#clients].map(([client, c]) => ({ client, ...c }));
  }

  /** Calls `listener` with every event from now on; returns the function that stops it. */
  listen(listener: (event: ActivityEvent) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Registers a live stream's end, for {@linkcode Activity.endStreams}; returns the function that unregisters it. */
  onEndStreams(end: () => void): () => void {
    this.#streams.add(end);
    return () => this.#streams.delete(end);
  }

  /** Ends every live stream (the dashboard's), so that a server can stop: it waits for open responses. */
  endStreams(): void {
    for (const end of [...this.#streams]) end();
    this.#streams.clear();
  }
}

const feeds = new WeakMap<EmulatorState, Activity>();

/** Makes `activity` the feed of `state` (at the start, and after a reset or a restore); returns the state. */
export function attachActivity(state: EmulatorState, activity: Activity): EmulatorState {
  feeds.set(state, activity);
  return state;
}

/** The feed of `state`, if it has one. */
export function activityOf(state: EmulatorState): Activity | undefined {
  return feeds.get(state);
}

/** Publishes an event to the feed of `state` (nothing when it has none). */
export function publish(state: EmulatorState, event: ActivityInput): void {
  feeds.get(state)?.publish(event);
}

/** Short names of the grant types, as the feed shows them. */
const GRANTS: Record<string, string> = {
  "urn:ietf:params:oauth:grant-type:jwt-bearer": "JWT login",
  password: "password login",
  refresh_token: "refresh",
  authorization_code: "browser login",
};

/** Who sent `request`: the user and app of its Bearer token, or the app of its Basic credentials. */
export function clientOf(state: EmulatorState, request: Request): string | undefined {
  const authorization = request.headers.get("authorization") ?? "";
  const bearer = /^bearer\s+(\S+)$/i.exec(authorization)?.[1];
  if (bearer) {
    const session = state.tokens.get(bearer)?.session;
    return session ? sessionLabel(state, session.extensionId, session.clientId) : "an unknown token";
  }
  const basic = /^basic\s+(\S+)$/i.exec(authorization)?.[1];
  if (basic) {
    try {
      const clientId = atob(basic).split(":")[0];
      return state.apps.find((a) => a.clientId === clientId)?.name ?? clientId;
    } catch { /* not base64 */ }
  }
  return undefined;
}

/** `Alice Admin (101) · Emulator App`. */
export function sessionLabel(state: EmulatorState, extensionId: number, clientId: string): string {
  const e = state.extensions.find((x) => x.id === extensionId);
  const app = state.apps.find((a) => a.clientId === clientId)?.name ?? clientId;
  return `${e ? `${e.name} (${e.extensionNumber ?? e.id})` : extensionId} · ${app}`;
}

/**
 * Wraps the pipeline so that every request reaches the feed: who made it,
 * its status and time, its rate-limit group's budget; a token request as a
 * login, a rotation or a failure (never the tokens). The dashboard's own
 * reads are not told (they would feed themselves).
 */
export function observeRequests<A>(
  dispatch: (request: Request, arrival?: A) => Promise<Response>,
  host: { state: () => EmulatorState },
): (request: Request, arrival?: A) => Promise<Response> {
  return async (request, arrival) => {
    const url = new URL(request.url);
    const state = host.state();
    const feed = activityOf(state);
    if (!feed || (url.pathname.startsWith("/__emulator/") && request.method === "GET")) {
      return await dispatch(request, arrival);
    }
    const started = performance.now();
    const client = clientOf(state, request);
    // Which grant a token request used shows in the counters (the body is the pipeline's to read: a served
    // request is never cloned, which would read its signal and make Deno warn).
    const grantsBefore = url.pathname === "/restapi/oauth/token" ? grantCounts(state) : undefined;
    let response: Response;
    try {
      response = await dispatch(request, arrival);
    } catch (e) {
      feed.publish({
        kind: "request",
        method: request.method,
        path: url.pathname,
        status: 0,
        client,
        text: `${request.method} ${url.pathname}: the connection was dropped (a fault)`,
        ms: Math.round(performance.now() - started),
      });
      throw e;
    }
    const ms = Math.round(performance.now() - started);
    const control = url.pathname.startsWith("/__emulator/");
    const group = response.headers.get("x-rate-limit-group");
    const rate = group
      ? {
        group,
        remaining: Number(response.headers.get("x-rate-limit-remaining")),
        limit: Number(response.headers.get("x-rate-limit-limit")),
      }
      : undefined;
    feed.publish({
      kind: control ? "control" : "request",
      method: request.method,
      path: url.pathname,
      status: response.status,
      ms,
      ...(client ? { client } : {}),
      ...(rate ? { rate } : {}),
      text: `${request.method} ${url.pathname} → ${response.status}`,
    });
    if (grantsBefore) {
      const after = grantCounts(state);
      const type = [...after].find(([k, n]) => n > (grantsBefore.get(k) ?? 0))?.[0];
      await tellToken(feed, host.state(), type, response);
    }
    return response;
  };
}

/** Token requests so far, by grant type. */
function grantCounts(state: EmulatorState): Map<string, number> {
  return new Map(Object.entries(state.stats.grants).map(([k, g]) => [k, g.ok + g.failed]));
}

/** A token request as the feed tells it: who logged in, which session rotated, or why it failed. */
async function tellToken(feed: Activity, state: EmulatorState, type: string | undefined, response: Response) {
  const grant = GRANTS[type ?? ""] ?? type ?? "token request";
  const body = await response.clone().json().catch(() => ({})) as Record<string, unknown>;
  if (!response.ok) {
    const code = body.errorCode ?? body.error ?? response.status;
    return feed.publish({ kind: "token", ok: false, text: `${grant} failed: ${response.status} ${code}` });
  }
  const session = typeof body.access_token === "string" ? state.tokens.get(body.access_token)?.session : undefined;
  if (!session) return;
  const who = sessionLabel(state, session.extensionId, session.clientId);
  feed.publish({
    kind: "token",
    ok: true,
    sessionId: session.id,
    client: who,
    text: grant === "refresh"
      ? `tokens rotated: session ${session.id.slice(0, 8)} of ${who}`
      : `${grant}: new session ${session.id.slice(0, 8)} for ${who}`,
  });
}
