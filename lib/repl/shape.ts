/**
 * The shape of a JSON answer (its types, not its values), and where a new
 * answer lacks what a recorded one had: what `--check` compares.
 * @module
 */

/** The shape of a JSON value: its types, not its values. */
export type Shape = string | Shape[] | { [key: string]: Shape };

/**
 * The shape of a JSON value, to `depth` levels. An array's shape is what all
 * its items share (keys present in every item), so a list whose first item
 * differs still compares.
 *
 * @example
 * ```ts
 * import { shapeOf } from "./shape.ts";
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

/** Keys of paging links (`navigation.nextPage`, `nextPageToken`, …), present only when there is such a page. */
const PAGE_LINK = /^(next|prev|previous|first|last)Page(Token)?$/;

/**
 * Where `actual` lacks what `recorded` had: missing keys and changed types.
 * Extra keys are fine, and so is a missing link to another page (there may
 * be fewer records); arrays compare their first items when both have one.
 *
 * @example
 * ```ts
 * import { shapeDifferences } from "./shape.ts";
 * import { deepEqual } from "node:assert/strict";
 * deepEqual(shapeDifferences({ id: "number", name: "string" }, { id: "string" }), [
 *   "id: number became string",
 *   "name: missing",
 * ]);
 * deepEqual(shapeDifferences({ navigation: { nextPageToken: "string" } }, { navigation: {} }), []);
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
    if (!(key in actual)) {
      // A link to another page is there or not depending on how many records there are, not on the API's shape.
      if (!PAGE_LINK.test(key)) out.push(`${at}: missing`);
    } else out.push(...shapeDifferences(shape, actual[key], at));
  }
  return out;
}
