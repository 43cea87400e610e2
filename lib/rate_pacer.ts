/**
 * Client-side pacing per RingCentral rate-limit group, learned from the
 * `X-Rate-Limit-*` headers, so that a burst waits instead of drawing 429s.
 * What a server says is clamped to sane ranges: a hostile or broken server
 * can slow a client down, never stall it for days or spin its CPU.
 * @module
 */
import { TimeoutError } from "./errors.ts";

/** One request counted in a group's window: when its answer came (or, until then, when it was sent). */
export interface Ticket {
  /** Milliseconds since the epoch. */
  at: number;
}

interface Group {
  name: string;
  limit: number;
  windowMs: number;
  sent: Ticket[];
  blockedUntil: number;
}

/** The clock and sleep a pacer uses. */
export interface PacerClock {
  /** Milliseconds since the epoch. */
  now: () => number;
  /** Waits `ms` milliseconds, or rejects when `signal` aborts. */
  sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
}

/** Why and how long a request is held back: what {@linkcode RatePacer.acquire} tells before it waits. */
export interface PacerWait {
  /** How long, in milliseconds. */
  ms: number;
  /** The rate-limit group, as the server names it (lower case). */
  group: string;
  /** Requests the group allows per window (0 when unknown). */
  limit: number;
  /** The window, in seconds (0 when unknown). */
  windowSeconds: number;
  /** True when the group is paused after a 429, false when its window is full. */
  penalty: boolean;
}

/** A small safety margin so that a paced request lands after the server's window. */
const SLACK_MS = 50;
/** The longest pause a `Retry-After` can impose, in seconds: RingCentral's longest penalty is 60 s. */
export const MAX_RETRY_AFTER_SECONDS = 60;
/** The longest rate-limit window believed, in seconds (RingCentral's are 60 s). */
const MAX_WINDOW_SECONDS = 600;
/** The largest request count per window believed. */
const MAX_LIMIT = 10_000;

/**
 * Paces requests per rate-limit group. {@linkcode RatePacer.acquire} waits
 * until a request of a group may go; {@linkcode RatePacer.observe} learns
 * limits and penalties from responses. A request counts in its group's
 * window from the moment its answer arrived (the latest the server can
 * have counted it), so answers that are slow to come never make a window
 * look emptier than the server's.
 *
 * @example
 * ```ts
 * import { RatePacer } from "./rate_pacer.ts";
 * import { delay } from "./async.ts";
 * import { equal } from "node:assert/strict";
 * const pacer = new RatePacer({ now: Date.now, sleep: delay });
 * pacer.observe("GET /restapi/v1.0/account/~", new Headers({ "x-rate-limit-group": "light", "x-rate-limit-limit": "50", "x-rate-limit-window": "60", "x-rate-limit-remaining": "49" }));
 * equal(pacer.groupOf("GET /restapi/v1.0/account/~"), "light");
 * ```
 */
export class RatePacer {
  #groups = new Map<string, Group>();
  /** The group of each route key; "" for a route whose answers name none. */
  #routes = new Map<string, string>();
  /** Routes whose first request is out: the others wait to learn the group from its answer. */
  #probes = new Map<string, PromiseWithResolvers<void>>();
  #clock: PacerClock;

  /** A pacer with the given clock. */
  constructor(clock: PacerClock) {
    this.#clock = clock;
  }

  /** The group learned for a route key (`METHOD /path`), if any. */
  groupOf(route: string): string | undefined {
    return this.#routes.get(routeKey(route)) || undefined;
  }

  /**
   * Waits until a request on `route` may be sent, then counts it; returns
   * its ticket for {@linkcode RatePacer.observe}. The first request of a
   * route whose group is unknown goes alone; the others wait for its answer
   * (or {@linkcode RatePacer.release}). When the wait would be longer than
   * `budgetMs` (the request's own timeout), it fails at once with a
   * {@linkcode TimeoutError} that names the wait. `onWait` hears of every
   * wait before it starts.
   */
  async acquire(
    route: string,
    signal?: AbortSignal,
    budgetMs?: number,
    onWait?: (wait: PacerWait) => void,
  ): Promise<Ticket | undefined> {
    const key = routeKey(route);
    while (!this.#routes.has(key) && this.#probes.has(key)) await this.#probes.get(key)!.promise;
    const name = this.#routes.get(key);
    if (name === undefined) {
      this.#probes.set(key, Promise.withResolvers());
      return undefined; // the probe: its answer tells the group
    }
    const group = this.#groups.get(name);
    if (!group) return undefined; // a route without rate-limit headers is not paced
    for (;;) {
      const now = this.#clock.now();
      group.sent = group.sent.filter((t) => t.at + group.windowMs + SLACK_MS > now);
      let wait = group.blockedUntil - now;
      const penalty = wait > 0;
      if (wait <= 0 && group.limit && group.windowMs && group.sent.length >= group.limit) {
        wait = Math.min(...group.sent.map((t) => t.at)) + group.windowMs + SLACK_MS - now;
      }
      if (wait <= 0) {
        const ticket = { at: now };
        group.sent.push(ticket);
        return ticket;
      }
      if (budgetMs !== undefined && wait > budgetMs) {
        throw new TimeoutError(
          `The ${group.name} rate-limit group is paused for ${Math.ceil(wait / 1000)} s, longer than this ` +
            `request's ${budgetMs / 1000} s timeout`,
          {
            method: route.split(" ")[0],
            path: route.split(" ")[1],
            hint: "Try again later, or give it a longer timeoutMs",
          },
        );
      }
      onWait?.({ ms: wait, group: group.name, limit: group.limit, windowSeconds: group.windowMs / 1000, penalty });
      await this.#clock.sleep(wait, signal);
    }
  }

  /** Ends a probe without an answer (network error), so waiting requests go on. */
  release(route: string): void {
    const key = routeKey(route);
    this.#probes.get(key)?.resolve();
    this.#probes.delete(key);
  }

  /**
   * Learns the route's group, its limit and window from response headers
   * (each clamped to a sane range), and dates the request's `ticket` at its
   * answer. A 429 blocks the group (the route's known group when the answer
   * names none) until `Retry-After` has passed, at most
   * {@linkcode MAX_RETRY_AFTER_SECONDS}; returns whether it did.
   */
  observe(route: string, headers: Headers, status?: number, retryAfterSeconds?: number, ticket?: Ticket): boolean {
    const key = routeKey(route);
    const now = this.#clock.now();
    if (ticket) ticket.at = now;
    const known = this.#routes.get(key);
    const name = headers.get("x-rate-limit-group")?.toLowerCase().slice(0, 40) || known;
    this.release(route);
    if (!name) {
      if (known === undefined) this.#routes.set(key, "");
      return false;
    }
    if (known !== name) this.#routes.set(key, name);
    let group = this.#groups.get(name);
    if (!group) {
      group = { name, limit: 0, windowMs: 0, sent: [], blockedUntil: 0 };
      this.#groups.set(name, group);
    }
    if (!group.limit || !group.windowMs || status === 429) {
      const limit = Number(headers.get("x-rate-limit-limit"));
      const windowS = Number(headers.get("x-rate-limit-window"));
      if (limit >= 1) group.limit = Math.min(Math.floor(limit), MAX_LIMIT);
      if (windowS > 0) group.windowMs = Math.min(windowS, MAX_WINDOW_SECONDS) * 1000;
    }
    if (status === 429) {
      const seconds = Math.min(Math.max(retryAfterSeconds ?? 30, 0), MAX_RETRY_AFTER_SECONDS);
      group.blockedUntil = Math.max(group.blockedUntil, now + seconds * 1000);
      return true;
    }
    const remaining = Number(headers.get("x-rate-limit-remaining") ?? NaN);
    if (group.limit && Number.isFinite(remaining)) {
      // Others (other processes) may use the same quota: trust the server when it counts more.
      const used = group.limit - Math.min(Math.max(Math.floor(remaining), 0), group.limit);
      while (group.sent.length < used) group.sent.push({ at: now });
    }
    return false;
  }
}

/** `GET /restapi/v1.0/account/123/extension/~` → `GET /restapi/v1.0/account/{}/extension/{}`. */
function routeKey(route: string): string {
  return route.replace(/\?.*$/, "").replace(/\/(~|\d+)(?=\/|$)/g, "/{}");
}
