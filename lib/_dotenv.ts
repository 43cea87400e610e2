/**
 * `.env` files read strictly: every line is `KEY=value`, a comment or empty,
 * and a malformed line is named by its number and the shape expected, never
 * by its content (it may be a secret). Unknown keys get a suggestion.
 * @module
 */
import { ConfigError } from "./errors.ts";

const KEY_LINE = /^(export\s+)?[A-Za-z_][A-Za-z0-9_]*\s*=/;

/**
 * The variables of a `.env` file; throws a {@linkcode ConfigError} naming
 * the first line that is not `KEY=value`, a `# comment` or empty.
 */
export function parseDotEnv(name: string, text: string | undefined): Record<string, string> {
  if (text === undefined) return {};
  const lines = text.split(/\r?\n/);
  let open: string | undefined; // the quote of a quoted value spanning lines
  lines.forEach((line, i) => {
    const t = line.trim();
    if (open) {
      if (t.endsWith(open)) open = undefined;
      return;
    }
    if (!t || t.startsWith("#")) return;
    if (!KEY_LINE.test(t)) throw malformed(name, i + 1, t);
    const value = t.slice(t.indexOf("=") + 1).trim();
    const quote = value[0];
    if ((quote === '"' || quote === "'" || quote === "`") && (value.length === 1 || !value.endsWith(quote))) {
      open = quote;
    }
  });
  return parseValues(text);
}

/**
 * The values of a checked `.env` text, as `node:util`'s `parseEnv` and
 * dotenv read them: `export` prefixes, `#` comments after unquoted values,
 * single, double and back quotes (a quoted value may span lines), `\n` in
 * double quotes. Written here because loading Node's compatibility layer for
 * `parseEnv` costs every one-off script about 6 ms of start-up.
 */
function parseValues(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const pattern =
    /^[ \t]*(?:export[ \t]+)?([A-Za-z_][A-Za-z0-9_]*)[ \t]*=[ \t]*(?:"((?:\\.|[^"\\])*)"|'([^']*)'|`([^`]*)`|([^\r\n]*))/gm;
  for (const m of text.matchAll(pattern)) {
    const [, key, double, single, back, bare] = m;
    out[key] = double !== undefined ? double.replace(/\\n/g, "\n") : single ?? back ?? bare.replace(/#.*$/, "").trim();
  }
  return out;
}

/**
 * What in a `.env` text is read otherwise than it probably means, each with
 * its line: an unquoted value cut at `#` (dotenv reads the rest as a
 * comment), a quote that does not close on its line, `\"` inside double
 * quotes (the backslash stays in the value) and `$` in an unquoted value
 * (kept as it is: no variable expansion). Never the value (it may be a
 * secret).
 *
 * @example
 * ```ts
 * import { dotEnvWarnings } from "./_dotenv.ts";
 * import { match } from "node:assert/strict";
 * match(dotEnvWarnings(".env-sandbox", "RC_PASSWORD=a#b")[0], /line 1: the value of RC_PASSWORD stops at "#"/);
 * ```
 */
export function dotEnvWarnings(name: string, text: string | undefined): string[] {
  if (text === undefined) return [];
  const warnings: string[] = [];
  let open: string | undefined;
  text.split(/\r?\n/).forEach((line, i) => {
    const t = line.trim();
    if (open) {
      if (t.endsWith(open)) open = undefined;
      return;
    }
    const m = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$/.exec(t);
    if (!m) return;
    const [, key, value] = m;
    const quote = value[0];
    // The value runs to the last double quote on the line (as Node's parseEnv reads it), backslashes and all.
    if (quote === '"' && value.slice(1, value.lastIndexOf('"')).includes('\\"')) {
      warnings.push(
        `Warning: ${name} line ${i + 1}: the value of ${key} holds \\" inside double quotes: the backslash stays in ` +
          `the value (a .env file does not unescape it); for a value with a double quote, use single quotes: ${key}='…'`,
      );
    }
    if (quote === '"' || quote === "'" || quote === "`") {
      if (value.length > 1 && value.indexOf(quote, 1) > 0) return;
      const kind = quote === '"' ? "double quote" : quote === "'" ? "single quote" : "back quote";
      warnings.push(
        `Warning: ${name} line ${i + 1}: the ${kind} that opens the value of ${key} is never closed on that line: ` +
          "close it, or the value takes in what follows",
      );
      open = quote;
      return;
    }
    if (value.includes("$")) {
      warnings.push(
        `Warning: ${name} line ${i + 1}: the value of ${key} holds "$": it is kept as it is (a .env file expands no ` +
          `variables); if that is what you meant, quote it to say so: ${key}='…'`,
      );
    }
    if (/[^\s]#/.test(value)) {
      warnings.push(
        `Warning: ${name} line ${i + 1}: the value of ${key} stops at "#" (the rest is a comment): if "#" belongs ` +
          `to the value, quote it: ${key}="…"`,
      );
    }
  });
  return warnings;
}

function malformed(name: string, line: number, text: string): ConfigError {
  const colon = /^([A-Za-z_][A-Za-z0-9_]*)\s*:/.exec(text);
  const detail = colon
    ? `it looks like "${colon[1]}: value"; use = instead of :`
    : "each line must be KEY=value, a # comment or empty, and a value must stay on one line (a JWT too)";
  return new ConfigError(`Cannot parse ${name}: line ${line} is not KEY=value: ${detail}`, {
    key: colon?.[1],
    file: name,
  });
}

/** Edit distance, for suggestions. */
function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const kept = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
      previous = kept;
    }
  }
  return row[b.length];
}

/**
 * The known key that `key` was most likely meant to be: the same letters in
 * another case, or one at most a few edits away.
 *
 * @example
 * ```ts
 * import { closestKey } from "./_dotenv.ts";
 * import { equal } from "node:assert/strict";
 * equal(closestKey("ENVIROMENT", ["ENVIRONMENT", "RC_JWT"]), "ENVIRONMENT");
 * equal(closestKey("environment", ["ENVIRONMENT"]), "ENVIRONMENT");
 * equal(closestKey("MY_OWN_KEY", ["ENVIRONMENT", "RC_JWT"]), undefined);
 * ```
 */
export function closestKey(key: string, known: readonly string[]): string | undefined {
  const upper = key.toUpperCase();
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of known) {
    const d = distance(upper, candidate);
    if (d < bestDistance) [best, bestDistance] = [candidate, d];
  }
  return bestDistance <= Math.max(1, Math.floor(upper.length / 4)) ? best : undefined;
}

/** Warnings for the keys of `vars` that are not `known`, each with a suggestion when one is close. */
export function unknownKeys(file: string, vars: Record<string, string>, known: readonly string[]): string[] {
  return Object.keys(vars).filter((k) => !known.includes(k)).map((k) => {
    const suggestion = closestKey(k, known);
    return `Warning: ${file} sets ${k}, which this client does not read${
      suggestion ? ` (did you mean ${suggestion}?)` : ""
    }`;
  });
}
