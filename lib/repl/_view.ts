/**
 * What the playground shows: the banner, the auth line, one HTTP exchange,
 * an error with its likely fix, durations. Pure presentation over plain data.
 * @module
 */
import { ApiError, ConfigError, NetworkError, RingCentralError, TimeoutError } from "../errors.ts";
import type { TokenStatus } from "../auth.ts";
import type { Exchange } from "../transport.ts";
import { displayWidth, fit, type Output } from "./output.ts";
import { Cancelled } from "./prompt.ts";

/**
 * `3725` → `1h 02m`; `59` → `59s`.
 *
 * @example
 * ```ts
 * import { duration } from "./_view.ts";
 * import { equal } from "node:assert/strict";
 * equal(duration(3725), "1h 02m");
 * ```
 */
export function duration(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  if (s >= 86400) return `${Math.floor(s / 86400)}d ${Math.floor((s % 86400) / 3600)}h`;
  if (s >= 3600) return `${Math.floor(s / 3600)}h ${String(Math.floor((s % 3600) / 60)).padStart(2, "0")}m`;
  if (s >= 60) return `${Math.floor(s / 60)}m ${String(s % 60).padStart(2, "0")}s`;
  return `${s}s`;
}

/** Who is logged in, for {@linkcode authLine}. */
export interface Who {
  /** Display name. */
  name: string;
  /** Extension number. */
  extensionNumber?: string;
}

/** Who is logged in and how long the tokens last, in one line. */
export function authLine(
  status: TokenStatus | undefined,
  grant: "jwt" | "password" | "browser" | undefined,
  who?: Who,
): string {
  if (!status || status.accessSeconds <= 0 && (status.refreshSeconds ?? 0) <= 0) {
    return `not logged in (${grant ?? "no"} credentials)`;
  }
  const name = who
    ? `${who.name}${who.extensionNumber ? ` (ext ${who.extensionNumber})` : ""}`
    : `extension id ${status.ownerId}`;
  const access = status.accessSeconds > 0
    ? `access token ${duration(status.accessSeconds)} left`
    : "access token expired";
  const refresh = status.refreshSeconds !== undefined ? `, refresh token ${duration(status.refreshSeconds)}` : "";
  const via = grant === "password" ? "password" : grant === "browser" ? "browser login" : "JWT";
  return `${name} via ${via}, ${access}${refresh}`;
}

/** Who is logged in and how long the access token lasts, short enough for a menu's title. */
export function authBrief(status: TokenStatus | undefined, who?: Who): string {
  if (!status || status.accessSeconds <= 0 && (status.refreshSeconds ?? 0) <= 0) return "not logged in";
  const name = who?.name ?? `extension id ${status.ownerId}`;
  return `${name} · ${status.accessSeconds > 0 ? `token ${duration(status.accessSeconds)}` : "token expired"}`;
}

/** What the banner tells. */
export interface BannerInfo {
  /** Where requests go, in words. */
  where: string;
  /** Server URL. */
  server: string;
  /** How to switch to real credentials, when on the built-in emulator. */
  switchHint?: string;
  /** The auth line. */
  auth: string;
  /** The recordings folder, when recording. */
  recordings?: string;
  /** The emulator's dashboard, when it is this project's (served). */
  dashboard?: string;
}

/** The banner's lines. */
export function bannerLines(info: BannerInfo): string[] {
  const lines = [`RingCentral playground · ${info.where}`, `  server      ${info.server}`];
  if (info.dashboard) lines.push(`  dashboard   ${info.dashboard}`);
  if (info.switchHint) lines.push(`  ${info.switchHint}`);
  lines.push(`  auth        ${info.auth}`);
  if (info.recordings) lines.push(`  recordings  ${info.recordings}/`);
  lines.push("  keys        ↑↓ choose · Enter picks · Esc goes back · Ctrl-C cancels a step or, at the menu, quits");
  return lines;
}

/**
 * A table whose lines fit `columns` (indented by two): the columns named in
 * `optional` are dropped first, in that order, then the widest column is
 * narrowed, its cells cut with `…`.
 *
 * @example
 * ```ts
 * import { tableLines } from "./_view.ts";
 * import { deepEqual } from "node:assert/strict";
 * const rows = [["101", "Alice Admin", "alice@example.com"]];
 * deepEqual(tableLines(["Ext", "Name", "Email"], rows, 80), [
 *   "  Ext  Name         Email",
 *   "  ───  ───────────  ─────────────────",
 *   "  101  Alice Admin  alice@example.com",
 * ]);
 * deepEqual(tableLines(["Ext", "Name", "Email"], rows, 18, { optional: [2] }), [
 *   "  Ext  Name",
 *   "  ───  ───────────",
 *   "  101  Alice Admin",
 * ]);
 * ```
 */
export function tableLines(
  head: string[],
  rows: string[][],
  columns: number,
  { optional = [] }: { optional?: number[] } = {},
): string[] {
  let keep = head.map((_, i) => i);
  const widthsOf = (cols: number[]) =>
    cols.map((i) => Math.max(displayWidth(head[i]), ...rows.map((r) => displayWidth(r[i] ?? ""))));
  const total = (widths: number[]) => 2 + widths.reduce((a, b) => a + b, 0) + 2 * (widths.length - 1);
  for (const drop of optional) {
    if (total(widthsOf(keep)) <= columns) break;
    keep = keep.filter((i) => i !== drop);
  }
  const widths = widthsOf(keep);
  while (total(widths) > columns) {
    const widest = widths.indexOf(Math.max(...widths));
    if (widths[widest] <= 4) break;
    widths[widest] -= Math.min(widths[widest] - 4, total(widths) - columns);
  }
  const line = (cells: string[]) =>
    `  ${
      keep.map((i, k) => {
        const cell = fit(cells[i] ?? "", widths[k]);
        return cell + " ".repeat(widths[k] - displayWidth(cell));
      }).join("  ")
    }`.trimEnd();
  return [line(head), line(keep.map((i) => "─".repeat(widths[keep.indexOf(i)]))), ...rows.map(line)];
}

const SHOWN_RESPONSE_HEADERS = [
  "content-type",
  "rcrequestid",
  "x-rate-limit-group",
  "x-rate-limit-remaining",
  "retry-after",
];

/** How much of an answer's body an exchange shows; the rest is one menu entry away. */
const SHOWN_BODY_CHARS = 2000;

/** Prints one exchange, secrets redacted (the transport redacted them already). */
export function printExchange(out: Output, x: Exchange): void {
  out.print(`  → ${x.method} ${x.path}`);
  for (const [k, v] of Object.entries(x.requestHeaders)) if (k !== "accept") out.print(`    ${k}: ${v}`);
  if (x.requestBody) out.print(`    ${x.requestBody}`);
  out.print(`  ← ${x.status} (${x.durationMs} ms)`);
  for (const k of SHOWN_RESPONSE_HEADERS) if (x.responseHeaders[k]) out.print(`    ${k}: ${x.responseHeaders[k]}`);
  if (x.responseHeaders["x-emulator-sample"] === "true") {
    out.print("    x-emulator-sample: true  (a sample from the spec, not the emulator's state: not behaviour)");
  }
  const body = x.responseBody.length > SHOWN_BODY_CHARS
    ? `${x.responseBody.slice(0, SHOWN_BODY_CHARS)}\n    … cut here: ${SHOWN_BODY_CHARS.toLocaleString("en-US")} of ` +
      `${x.responseBody.length.toLocaleString("en-US")} characters shown; the whole answer: "Last answer, whole" ` +
      "in the menu"
    : x.responseBody;
  if (body) out.print(`    ${body.replace(/\n/g, "\n    ")}`);
}

/** Shows an error: code, message, request id, and the likely fix. Never a stack trace. */
export function showError(out: Output, e: unknown): void {
  if (e instanceof Cancelled) {
    out.print(e.byEscape ? "  ← Back at the menu." : "  Cancelled.");
    return;
  }
  if (e instanceof ApiError) {
    out.print(`  ✗ ${e.status}${e.errorCode ? ` ${e.errorCode}` : ""} ${e.detail}`);
    if (e.requestId) out.print(`    request id ${e.requestId}`);
    if (e.hint) out.print(`    → ${e.hint}`);
    return;
  }
  if (e instanceof RingCentralError) {
    const kind = e instanceof TimeoutError
      ? "no answer in time"
      : e instanceof NetworkError
      ? "no answer"
      : e instanceof ConfigError
      ? "setting"
      : "";
    out.print(`  ✗ ${kind ? `${kind}: ` : ""}${e.detail}`);
    if (e.hint) out.print(`    → ${e.hint}`);
    return;
  }
  out.print(`  ✗ ${(e as Error)?.message ?? String(e)}`);
}
