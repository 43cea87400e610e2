/**
 * {@linkcode findOperations}: the catalog searched by words, over areas,
 * paths, summaries and operation ids.
 * @module
 */
import { type Operation, operations } from "./catalog.ts";

/** Lower case, words only: `Call-Log` → `call log`. */
function normalize(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]+/g, " ").trim();
}

/** The path's literal segments, normalized (`{accountId}` and `restapi`, `v1.0` left out). */
function segments(path: string): string[] {
  return path.split("/").filter((s) => s && !s.startsWith("{") && !/^(restapi|v\d|v1\.0)$/.test(s)).map(normalize);
}

/** How well one operation matches the words (0: some word matches nothing). */
function score(op: Operation, words: string[]): number {
  const phrase = words.join(" ");
  const area = normalize(op.area);
  const summary = normalize(op.summary);
  const parts = segments(op.path);
  const id = op.operationId.toLowerCase();
  const fields = [area.split(" "), summary.split(" "), parts.join(" ").split(" ")];
  let total = 0;
  for (const word of words) {
    const hits = fields.filter((tokens) => tokens.some((t) => t.startsWith(word))).length + (id.includes(word) ? 1 : 0);
    if (hits === 0) return 0;
    total += hits;
  }
  // The whole phrase, in decreasing order of how much it says: the area or the last segment is it, a segment is it,
  // the summary or the path says it.
  if (area === phrase) total += 10;
  else if (area.includes(phrase)) total += 5;
  if (parts.at(-1) === phrase) total += 10;
  else if (parts.includes(phrase)) total += 6;
  else if (parts.join(" ").includes(phrase)) total += 3;
  if (summary.includes(phrase)) total += 4;
  if (op.method === "GET") total += 1; // reading is what one looks for first
  return total;
}

/**
 * The operations that match every word (a word matches the start of a word
 * of the area, the summary or the path, or any part of the operation id),
 * best first; ties keep the spec's order.
 *
 * @example The user's call log comes first
 * ```ts
 * import { findOperations } from "./mod.ts";
 * import { equal } from "node:assert/strict";
 * const found = findOperations("call log");
 * equal(found[0].operationId, "readUserCallLog");
 * equal(found[0].path, "/restapi/v1.0/account/{accountId}/extension/{extensionId}/call-log");
 * ```
 */
export function findOperations(words: string): Operation[] {
  const list = normalize(words).split(" ").filter(Boolean);
  if (!list.length) return [];
  return operations
    .map((op, index) => ({ op, index, score: score(op, list) }))
    .filter((x) => x.score > 0)
    .sort((a, b) => b.score - a.score || a.index - b.index)
    .map((x) => x.op);
}
