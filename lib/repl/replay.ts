/**
 * The runtime of recorded scripts (scripts/recorded/*.ts): runs each step,
 * prints what came back, and with `--check` compares status and shape with
 * the recording, exiting non-zero on a difference.
 * @module
 */
import { RingCentralError } from "../errors.ts";

/** The shape of a JSON value: its types, not its values. */
export type Shape = string | Shape[] | { [key: string]: Shape };

/**
 * The shape of a JSON value, to `depth` levels. An array's shape is what all
 * its items share (keys present in every item), so a list whose first item
 * differs still compares.
 *
 * @example
 * ```ts
 * import { shapeOf } from "./replay.ts";
 * import { deepEqual } from "node:assert/strict";
 * deepEqual(shapeOf({ id: 1, to: [{ phoneNumber: "+1" }] }), { id: "number", to: [{ phoneNumber: "string" }] });
 * ```
 */
export function shapeOf(value: unknown, depth = 4): Shape {
  if (value === null) return "null";
  if (Array.isArray(value)) {
    if (!value.length || depth <= 0) return [];
    return [value.map((v) => shapeOf(v, depth - 1)).reduce(common)];
  }
  if (typeof value === "object") {
    if (depth <= 0) return "object";
    const out: Record<string, Shape> = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) out[k] = shapeOf(v, depth - 1);
    return out;
  }
  return typeof value;
}

/** What two shapes share: common keys, and `mixed` where the types differ. */
function common(a: Shape, b: Shape): Shape {
  if (typeof a === "string" || typeof b === "string") return a === b ? a : "mixed";
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b)) return "mixed";
    return a.length && b.length ? [common(a[0], b[0])] : [];
  }
  const out: Record<string, Shape> = {};
  for (const key of Object.keys(a)) if (key in b) out[key] = common(a[key], b[key]);
  return out;
}

/**
 * Where `actual` lacks what `recorded` had: missing keys and changed types.
 * Extra keys are fine; arrays compare their first items when both have one.
 *
 * @example
 * ```ts
 * import { shapeDifferences } from "./replay.ts";
 * import { deepEqual } from "node:assert/strict";
 * deepEqual(shapeDifferences({ id: "number", name: "string" }, { id: "string" }), [
 *   "id: number became string",
 *   "name: missing",
 * ]);
 * ```
 */
export function shapeDifferences(recorded: Shape, actual: Shape, path = ""): string[] {
  const here = path || "(body)";
  if (recorded === "mixed") return [];
  if (typeof recorded === "string" || typeof actual === "string") {
    const a = typeof recorded === "string" ? recorded : Array.isArray(recorded) ? "array" : "object";
    const b = typeof actual === "string" ? actual : Array.isArray(actual) ? "array" : "object";
    return a === b ? [] : [`${here}: ${a} became ${b}`];
  }
  if (Array.isArray(recorded) || Array.isArray(actual)) {
    if (!Array.isArray(recorded) || !Array.isArray(actual)) {
      return [
        `${here}: ${Array.isArray(recorded) ? "array" : "object"} became ${Array.isArray(actual) ? "array" : "object"}`,
      ];
    }
    return recorded.length && actual.length ? shapeDifferences(recorded[0], actual[0], `${path}[0]`) : [];
  }
  const out: string[] = [];
  for (const [key, shape] of Object.entries(recorded)) {
    const at = path ? `${path}.${key}` : key;
    if (!(key in actual)) out.push(`${at}: missing`);
    else out.push(...shapeDifferences(shape, actual[key], at));
  }
  return out;
}

/** What a recording kept of one answer. */
export interface Recorded {
  /** HTTP status. */
  status: number;
  /** Key fields, for the reader. */
  keys?: Record<string, unknown>;
  /** The body's shape, checked by `--check`. */
  shape?: Shape;
}

/** The result of one replayed step. */
export interface StepResult {
  /** HTTP status (0 without an answer). */
  status: number;
  // deno-lint-ignore no-explicit-any
  body: any;
}

/** Runs the steps of a recorded script. */
export class Replay {
  #check: boolean;
  #recorded: Record<number, Recorded>;
  #differences: string[] = [];
  #print: (line: string) => void;

  /** A replay of `recorded`; `check` compares each answer with it. */
  constructor(
    recorded: Record<number, Recorded>,
    { check = Deno.args.includes("--check"), print = (l: string) => console.log(l) } = {},
  ) {
    this.#recorded = recorded;
    this.#check = check;
    this.#print = print;
  }

  /** Makes the client; a configuration or permission problem ends the script with one line. */
  async connect<T>(make: () => Promise<T>): Promise<T> {
    try {
      return await make();
    } catch (e) {
      this.#print(`Cannot start: ${(e as Error)?.message ?? e}`);
      Deno.exit(1);
    }
  }

  /**
   * Runs step `n`: the call, then prints its status (and compares it under
   * `--check`). An API error is an answer like any other: it may be what was
   * recorded.
   */
  async step(n: number, label: string, call: () => Promise<Response | void>): Promise<StepResult> {
    let result: StepResult;
    try {
      const response = await call();
      if (!response) result = { status: 200, body: undefined };
      else {
        const text = await response.text();
        let body: unknown = text;
        try {
          body = text ? JSON.parse(text) : undefined;
        } catch { /* not JSON */ }
        result = { status: response.status, body };
      }
    } catch (e) {
      if (!(e instanceof RingCentralError)) {
        // A missing permission, a configuration error: one clear line, no stack trace.
        this.#print(`${n}. ${label} failed: ${(e as Error)?.message ?? e}`);
        Deno.exit(1);
      }
      result = { status: e.status, body: e.body };
      this.#print(`   ${e.message}`);
    }
    this.#print(`${n}. ${label} → ${result.status}`);
    const expected = this.#recorded[n];
    if (this.#check && expected) {
      if (expected.status !== result.status) {
        this.#differences.push(`step ${n} (${label}): status ${expected.status} became ${result.status}`);
      } else if (expected.shape !== undefined) {
        const found = shapeDifferences(expected.shape, shapeOf(result.body));
        this.#differences.push(...found.map((d) => `step ${n} (${label}): ${d}`));
      }
    }
    return result;
  }

  /**
   * Polls `read` until the message's `messageStatus` is final (Delivered,
   * DeliveryFailed, SendingFailed, Received) or `timeoutMs` passes.
   */
  async follow(n: number, label: string, read: () => Promise<Response>, timeoutMs = 30_000): Promise<StepResult> {
    const end = Date.now() + timeoutMs;
    for (;;) {
      const body = await (await read()).json();
      if (/^(Delivered|DeliveryFailed|SendingFailed|Received)$/.test(body.messageStatus) || Date.now() > end) {
        return await this.step(n, `${label}: ${body.messageStatus}`, () => Promise.resolve(Response.json(body)));
      }
      await new Promise((r) => setTimeout(r, 1000));
    }
  }

  /** Ends the replay: under `--check`, prints the differences and exits 1 if there are any. */
  done(): void {
    if (!this.#check) return;
    if (this.#differences.length === 0) {
      this.#print("check: every answer matches the recording (status and shape)");
      return;
    }
    this.#print(`check: ${this.#differences.length} difference(s) from the recording:`);
    for (const d of this.#differences) this.#print(`  ${d}`);
    Deno.exit(1);
  }
}
