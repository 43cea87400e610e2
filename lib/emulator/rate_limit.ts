/**
 * RingCentral's rate limits: per user and app, per group (Light 50,
 * Medium 40, Heavy 10, Auth 5 per window), a sliding window, and a penalty
 * that restarts with every request made during it.
 * @module
 */
import type { ResolvedOptions } from "./_context.ts";
import type { EmulatorState } from "./state.ts";

/** Requests per window of each group. */
export const GROUP_LIMITS: Record<string, number> = { Light: 50, Medium: 40, Heavy: 10, Auth: 5 };

/** The outcome of {@linkcode checkRate}: headers to send, and whether to answer 429. */
export interface RateDecision {
  /** `X-Rate-Limit-*` headers (and `Retry-After` when limited); none when limits are off. */
  headers?: Record<string, string>;
  /** True when the request must get a 429. */
  limited: boolean;
}

/** Counts a request of `key` in `group` and decides whether it passes. */
export function checkRate(
  state: EmulatorState,
  key: string,
  group: string,
  options: ResolvedOptions,
  now: number,
): RateDecision {
  // No limits, no headers: a client that paces itself must not be told of limits that do not apply.
  if (!options.rateLimits) return { limited: false };
  const limit = GROUP_LIMITS[group];
  const windowMs = options.rateWindow * 1000;
  const id = `${key}:${group}`;
  let w = state.rate.get(id);
  if (!w) state.rate.set(id, w = { hits: [], penaltyUntil: 0 });
  while (w.hits.length && w.hits[0] <= now - windowMs) w.hits.shift();
  let limited = false;
  if (now < w.penaltyUntil || w.hits.length >= limit) {
    if (now >= w.penaltyUntil) state.stats.penalties++; // a new penalty, not one restarted
    w.penaltyUntil = now + windowMs; // every request during the penalty restarts it
    limited = true;
  } else w.hits.push(now);
  const headers: Record<string, string> = {
    "X-Rate-Limit-Group": group.toLowerCase(),
    "X-Rate-Limit-Limit": String(limit),
    "X-Rate-Limit-Remaining": String(limited ? 0 : Math.max(0, limit - w.hits.length)),
    "X-Rate-Limit-Window": String(options.rateWindow),
  };
  if (limited) headers["Retry-After"] = String(Math.ceil((w.penaltyUntil - now) / 1000));
  return { headers, limited };
}
