/**
 * What the playground shows: the banner, the auth line, one HTTP exchange,
 * an error with its likely fix, durations. Pure presentation over plain data.
 * @module
 */
import { ApiError, ConfigError, NetworkError, RingCentralError, TimeoutError } from "../errors.ts";
import type { TokenStatus } from "../auth.ts";
import type { Exchange } from "../transport.ts";
import type { Output } from "./output.ts";
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
}

/** The banner's lines. */
export function bannerLines(info: BannerInfo): string[] {
  const lines = [`RingCentral playground · ${info.where}`, `  server      ${info.server}`];
  if (info.switchHint) lines.push(`  ${info.switchHint}`);
  lines.push(`  auth        ${info.auth}`);
  if (info.recordings) lines.push(`  recordings  ${info.recordings}/`);
  lines.push("  keys        ↑↓ choose · Enter picks · Esc goes back · Ctrl-C cancels a step (at the menu: quits)");
  return lines;
}

const SHOWN_RESPONSE_HEADERS = [
  "content-type",
  "rcrequestid",
  "x-rate-limit-group",
  "x-rate-limit-remaining",
  "retry-after",
];

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
  const body = x.responseBody.length > 2000
    ? `${x.responseBody.slice(0, 2000)}\n    … (${x.responseBody.length} bytes)`
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
