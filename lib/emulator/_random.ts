/**
 * Deterministic randomness for the emulator: the same seed gives the same
 * ids and the same seeded history every time, so tests and recordings
 * replay alike.
 * @module
 */

/**
 * A pseudo-random generator (mulberry32) of numbers in [0, 1).
 *
 * @example
 * ```ts
 * import { random } from "./_random.ts";
 * import { equal } from "node:assert/strict";
 * equal(random(7)(), random(7)());
 * ```
 */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * 32 hexadecimal digits derived from `n`, as RingCentral's telephony ids have.
 *
 * @example
 * ```ts
 * import { hexId } from "./_random.ts";
 * import { match, notEqual } from "node:assert/strict";
 * match(hexId(1), /^[0-9a-f]{32}$/);
 * notEqual(hexId(1), hexId(2));
 * ```
 */
export function hexId(n: number): string {
  const seed = mix((n >>> 0) ^ mix(Math.floor(n / 2 ** 32) + 0x9e3779b9));
  let out = "";
  for (let i = 1; i <= 4; i++) out += mix(seed + Math.imul(i, 0x9e3779b9)).toString(16).padStart(8, "0");
  return out;
}

/** A 32-bit integer hash (murmur3's finalizer). */
function mix(x: number): number {
  x = Math.imul(x ^ (x >>> 16), 0x85ebca6b);
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35);
  return (x ^ (x >>> 16)) >>> 0;
}

/**
 * A call-log record id in RingCentral's style (15 letters and digits), derived from `n`.
 *
 * @example
 * ```ts
 * import { recordId } from "./_random.ts";
 * import { match } from "node:assert/strict";
 * match(recordId(1), /^[A-Za-z0-9]{15}$/);
 * ```
 */
export function recordId(n: number): string {
  const letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  let x = mix((n >>> 0) ^ mix(Math.floor(n / 2 ** 32) + 17));
  let out = "";
  for (let i = 0; i < 15; i++) {
    x = mix(x + 0x9e3779b9);
    out += letters[x % letters.length];
  }
  return out;
}
