/**
 * {@linkcode findOperations}: the catalog searched by words, over areas,
 * paths, summaries, operation ids and app permissions; or by a pasted path.
 * @module
 */
import { type Operation, operations } from "./catalog.ts";
import { matchOperation } from "./match.ts";

/** Lower case, words only: `Call-Log` → `call log`. */
function normalize(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]+/g, " ").trim();
}

/** Words that say nothing about which operation is meant. */
const STOP_WORDS = new Set([
  "a",
  "an",
  "the",
  "how",
  "to",
  "my",
  "i",
  "do",
  "can",
  "get",
  "show",
  "me",
  "of",
  "for",
  "and",
  "or",
  "in",
  "on",
  "with",
  "what",
  "is",
  "are",
  "please",
  "want",
]);

/** Words the spec does not use, said as the spec says them. */
const SYNONYMS: [RegExp, string][] = [
  [/\bvoice ?mails?\b/g, "message store"],
  [/\btext messages?\b/g, "sms"],
];

/** A word's singular, roughly: `logs` → `log`, `faxes` → `fax`, `entries` → `entry`; short words as they are. */
function singular(word: string): string {
  if (word.length <= 3) return word;
  if (word.endsWith("ies")) return `${word.slice(0, -3)}y`;
  if (/(x|ch|sh|ss)es$/.test(word)) return word.slice(0, -2);
  if (/[^su]s$/.test(word)) return word.slice(0, -1);
  return word;
}

/** The path's literal segments, normalized (`{accountId}` and `restapi`, `v1.0` left out). */
function segments(path: string): string[] {
  return path.split("/").filter((s) => s && !s.startsWith("{") && !/^(restapi|v\d|v1\.0)$/.test(s)).map(normalize);
}

/** How well one operation matches the words: how many of them it matches, and a score (both 0: none). */
function score(op: Operation, words: string[]): { matched: number; total: number } {
  const phrase = words.join(" ");
  const area = normalize(op.area);
  const summary = normalize(op.summary);
  const parts = segments(op.path);
  const id = op.operationId.toLowerCase();
  const permission = op.permission?.toLowerCase();
  const fields = [area.split(" "), summary.split(" "), parts.join(" ").split(" ")];
  let matched = 0;
  let total = 0;
  for (const word of words) {
    const hits = fields.filter((tokens) => tokens.some((t) => t.startsWith(word))).length +
      (word.length > 2 && id.includes(word) ? 1 : 0) + (word === permission ? 5 : 0);
    if (hits) matched++;
    total += hits;
  }
  if (!matched) return { matched, total: 0 };
  // The whole phrase, in decreasing order of how much it says: the area or the last segment is it, a segment is it,
  // the summary or the path says it.
  if (area === phrase) total += 10;
  else if (area.includes(phrase)) total += 5;
  if (parts.at(-1) === phrase) total += 10;
  else if (parts.includes(phrase)) total += 6;
  else if (parts.join(" ").includes(phrase)) total += 3;
  if (summary.includes(phrase)) total += 4;
  if (op.method === "GET") total += 1; // reading is what one looks for first
  return { matched, total };
}

/** The operations a pasted path names (a URL, a concrete path with `~` or ids, or a template), GET first. */
function byPath(text: string): Operation[] | undefined {
  const path = text.trim().replace(/^[a-z]+:\/\/[^/]+/i, "").replace(/[?#].*$/, "");
  if (!path.startsWith("/") || /\s/.test(path)) return undefined;
  const candidates = path.startsWith("/restapi/") || path.startsWith("/team-messaging/") ||
      path.startsWith("/scim/") || path.startsWith("/ai/") || path.startsWith("/webinar/") ||
      path.startsWith("/analytics/") || path.startsWith("/rcvideo/") || path.startsWith("/cx/")
    ? [path]
    : [path, `/restapi/v1.0${path}`];
  const found: Operation[] = [];
  for (const candidate of candidates) {
    for (const method of ["GET", "POST", "PUT", "PATCH", "DELETE"]) {
      const op = matchOperation(method, candidate.replace(/\/$/, ""))?.operation;
      if (op && !found.includes(op)) found.push(op);
    }
  }
  return found;
}

/**
 * The operations that match the words, best first: those that match every
 * word, then those that match fewer (at least half of them); ties keep the
 * spec's order. A word matches the start of a word of the area, the summary
 * or the path, any part of the operation id, or the app permission; small
 * words (the, how, to, …) are left out, plurals are folded (`logs` finds
 * `log`), and a pasted path (`/restapi/v1.0/account/~/call-log`) finds its
 * operations.
 *
 * @example The user's call log comes first
 * ```ts
 * import { findOperations } from "./mod.ts";
 * import { equal } from "node:assert/strict";
 * const found = findOperations("call log");
 * equal(found[0].operationId, "readUserCallLog");
 * equal(found[0].path, "/restapi/v1.0/account/{accountId}/extension/{extensionId}/call-log");
 * equal(findOperations("how to send an sms")[0].operationId, "createSMSMessage");
 * equal(findOperations("/restapi/v1.0/account/~/extension/~/call-log")[0].operationId, "readUserCallLog");
 * ```
 */
export function findOperations(words: string): Operation[] {
  const pasted = byPath(words);
  if (pasted) return pasted;
  let text = words.toLowerCase().replace(/[^a-z0-9]+/g, " ");
  for (const [pattern, replacement] of SYNONYMS) text = text.replace(pattern, replacement);
  const list = normalize(text).split(" ").filter((w) => w && !STOP_WORDS.has(w)).map(singular);
  if (!list.length) return [];
  const enough = Math.ceil(list.length / 2);
  return operations
    .map((op, index) => ({ op, index, ...score(op, list) }))
    .filter((x) => x.matched >= enough && x.total > 0)
    .sort((a, b) => b.matched - a.matched || b.total - a.total || a.index - b.index)
    .map((x) => x.op);
}
