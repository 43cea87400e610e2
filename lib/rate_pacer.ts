/**
 * Client-side pacing per RingCentral rate-limit group, learned from the
 * `X-Rate-Limit-*` headers, so that a burst waits instead of drawing 429s.
 * @module
 */

interface Group {
  limit: number;
  windowMs: number;
  sent: number[]; // send times inside the window, oldest first
  blockedUntil: number;
}

/** The clock and sleep a pacer uses. */
export interface PacerClock {
  /** Milliseconds since the epoch. */
  now: () => number;
  /** Waits `ms` milliseconds, or rejects when `signal` aborts. */
  sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
}

/** A small safety margin so that a paced request lands after the server's window. */
const SLACK_MS = 50;

/**
 * Paces requests per rate-limit group. {@linkcode RatePacer.acquire} waits
 * until a request of a group may go; {@linkcode RatePacer.observe} learns
 * limits and penalties from responses.
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
  #routes = new Map<string, string>();
  /** Routes whose first request is out: the others wait to learn the group from its answer. */
  #probes = new Map<string, Promise<void>>();
  #endProbe = new Map<string, () => void>();
  /** Responses of unpaced routes since their headers were last read. */
  #unpacedSeen = 0;
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
   * Waits until a request on `route` may be sent, then counts it as sent.
   * The first request of a route whose group is unknown goes alone; the
   * others wait for its answer (or {@linkcode RatePacer.release}).
   */
  acquire(route: string, signal?: AbortSignal): Promise<void> | undefined {
    const key = routeKey(route);
    const name = this.#routes.get(key);
    if (name === undefined) return this.#probe(key, route, signal);
    const group = this.#groups.get(name);
    if (!group) return undefined; // a route without rate-limit headers is not paced
    const now = this.#clock.now();
    while (group.sent.length && group.sent[0] + group.windowMs + SLACK_MS <= now) group.sent.shift();
    if (group.blockedUntil <= now && group.sent.length < group.limit) {
      group.sent.push(now); // the common case: room in the window, nothing to wait for
      return undefined;
    }
    return this.#wait(group, signal);
  }

  /** The first request of a route whose group is unknown goes alone; the others wait for its answer. */
  async #probe(key: string, route: string, signal?: AbortSignal): Promise<void> {
    while (!this.#routes.has(key) && this.#probes.has(key)) await this.#probes.get(key);
    if (!this.#routes.has(key)) {
      this.#probes.set(key, new Promise((resolve) => this.#endProbe.set(key, resolve)));
      return;
    }
    await this.acquire(route, signal);
  }

  async #wait(group: Group, signal?: AbortSignal): Promise<void> {
    for (;;) {
      const now = this.#clock.now();
      while (group.sent.length && group.sent[0] + group.windowMs + SLACK_MS <= now) group.sent.shift();
      let wait = group.blockedUntil - now;
      if (wait <= 0 && group.sent.length >= group.limit) wait = group.sent[0] + group.windowMs + SLACK_MS - now;
      if (wait <= 0) {
        group.sent.push(now);
        return;
      }
      await this.#clock.sleep(wait, signal);
    }
  }

  /** Ends a probe without an answer (network error), so waiting requests go on. */
  release(route: string): void {
    const key = routeKey(route);
    this.#endProbe.get(key)?.();
    this.#endProbe.delete(key);
    this.#probes.delete(key);
  }

  /**
   * Learns the route's group, its limit and window from response headers.
   * A 429 blocks the group (the route's known group when the answer names
   * none) until `Retry-After` has passed; returns whether it did.
   */
  observe(route: string, headers: Headers, status?: number, retryAfterSeconds?: number): boolean {
    const key = routeKey(route);
    const known = this.#routes.get(key);
    if (this.#probes.size) this.release(route);
    // Reading headers costs: a route known to be unpaced is looked at again only now and then (or on a 429).
    if (known === "" && status !== 429 && (this.#unpacedSeen = (this.#unpacedSeen + 1) % 64) !== 0) return false;
    const name = headers.get("x-rate-limit-group")?.toLowerCase() || known;
    if (!name) {
      if (known === undefined) this.#routes.set(key, "");
      return false;
    }
    if (known !== name) this.#routes.set(key, name);
    let group = this.#groups.get(name);
    if (!group) {
      group = { limit: 0, windowMs: 0, sent: [], blockedUntil: 0 };
      this.#groups.set(name, group);
    }
    if (!group.limit || !group.windowMs || status === 429) {
      const limit = Number(headers.get("x-rate-limit-limit"));
      const windowS = Number(headers.get("x-rate-limit-window"));
      if (limit > 0) group.limit = limit;
      if (windowS > 0) group.windowMs = windowS * 1000;
    }
    const now = this.#clock.now();
    if (status === 429) {
      group.blockedUntil = Math.max(group.blockedUntil, now + (retryAfterSeconds ?? 30) * 1000);
      return true;
    }
    const header = headers.get("x-rate-limit-remaining");
    const remaining = Number(header);
    if (header !== null && Number.isFinite(remaining)) {
      // Others (other processes) may use the same quota: trust the server when it counts more.
      const used = group.limit - remaining;
      while (group.sent.length < used) group.sent.unshift(now);
    }
    return false;
  }
}

const routeKeys = new Map<string, string>();

/** `GET /restapi/v1.0/account/123/extension/~` → `GET /restapi/v1.0/account/{}/extension/{}` (remembered). */
function routeKey(route: string): string {
  let key = routeKeys.get(route);
  if (key === undefined) {
    if (routeKeys.size >= 1000) routeKeys.clear();
    key = route.replace(/\?.*$/, "").replace(/\/(~|\d+)(?=\/|$)/g, "/{}");
    routeKeys.set(route, key);
  }
  return key;
}
