/**
 * Content downloads: {@linkcode downloadContent} saves what a `contentUri`
 * names (a call recording, an MMS or fax attachment, a voicemail) to a
 * file, with a progress line for large ones. The URI may point at the media
 * host paired with the client's server (media.ringcentral.com for
 * platform.ringcentral.com, the emulator's media origin), the only host
 * besides the server that the client sends its token to.
 * @module
 */
import type { RingCentral } from "./client.ts";
import { usageError } from "./errors.ts";

/**
 * Options of {@linkcode downloadContent}.
 *
 * @example Follow a download
 * ```ts
 * import type { DownloadOptions } from "../mod.ts";
 * const seen: number[] = [];
 * const options: DownloadOptions = { onProgress: (received) => seen.push(received), timeoutMs: 60_000 };
 * ```
 */
export interface DownloadOptions {
  /**
   * Hears the bytes arrive (received so far, and the total when the server said it). Without it, a download
   * of a megabyte or more shows a progress line on stderr when stderr is a terminal.
   */
  onProgress?: (received: number, total: number | undefined) => void;
  /** Cancels the download; nothing is written. */
  signal?: AbortSignal;
  /** How long the whole download may take, in ms. @default 300000 */
  timeoutMs?: number;
}

/**
 * What {@linkcode downloadContent} saved.
 *
 * @example What a download returns
 * ```ts
 * import type { Downloaded } from "../mod.ts";
 * const saved: Downloaded = { path: "call.wav", bytes: 44, contentType: "audio/wav" };
 * ```
 */
export interface Downloaded {
  /** Where it was written. */
  path: string;
  /** How many bytes. */
  bytes: number;
  /** Its `Content-Type`, such as `audio/wav`, `audio/mpeg`, `image/png` or `application/pdf`. */
  contentType: string;
}

/** Downloads of at least this many bytes show a progress line. */
const LARGE_BYTES = 1024 * 1024;

/**
 * The progress line of a download: what, how much of how much, and the share.
 *
 * @example
 * ```ts
 * import { progressLine } from "./media.ts";
 * import { equal } from "node:assert/strict";
 * equal(progressLine("call.wav", 1_572_864, 6_291_456), "  call.wav: 1.5 of 6.0 MB (25%)");
 * equal(progressLine("call.wav", 524_288, undefined), "  call.wav: 0.5 MB");
 * ```
 */
export function progressLine(name: string, received: number, total: number | undefined): string {
  const mb = (n: number) => (n / 1024 / 1024).toFixed(1);
  return total
    ? `  ${name}: ${mb(received)} of ${mb(total)} MB (${Math.floor((received / total) * 100)}%)`
    : `  ${name}: ${mb(received)} MB`;
}

/** The default progress: one line on stderr, rewritten in place, for large downloads on a terminal. */
function stderrProgress(name: string): ((received: number, total: number | undefined) => void) | undefined {
  let terminal = false;
  try {
    terminal = Deno.stderr.isTerminal();
  } catch { /* no stderr: no progress */ }
  if (!terminal) return undefined;
  const encoder = new TextEncoder();
  let shown = false;
  return (received, total) => {
    if (!shown && (total ?? received) < LARGE_BYTES) return;
    shown = true;
    const done = total !== undefined && received >= total;
    Deno.stderr.writeSync(encoder.encode(`\r${progressLine(name, received, total)}${done ? "\n" : ""}`));
  };
}

/**
 * Downloads the content a `contentUri` names to the file at `path`: a call
 * recording's (`…/recording/{id}/content`), an MMS or fax attachment's
 * (`attachments[].uri`), anything RingCentral returns a content URI for.
 * The URI may be absolute on the client's server or on its media host
 * (`rc.mediaServer`), or a path on the server. The body is read whole
 * (within the client's `maxResponseBytes`) before the file is written, so a
 * failed download leaves no partial file; the file is replaced if it
 * exists. Errors are the client's (`ApiError` for a 404, and so on).
 *
 * @example Download a call's recording from the emulator's media origin
 * ```ts
 * import { downloadContent, RingCentral } from "../mod.ts";
 * import { createEmulator } from "./emulator/mod.ts";
 * import { equal } from "node:assert/strict";
 * const emulator = createEmulator();
 * const rc = new RingCentral({ ...emulator.credentials, fetch: emulator.fetch });
 * await rc.request("POST", "/__emulator/inbound-call", {
 *   body: { from: "+14155550123", answerAfterSeconds: 2, durationSeconds: 30, record: true },
 * });
 * emulator.advance(40); // the call is answered, talks 30 s, ends: it is in the call log, recorded
 * const log = await (await rc.get("/restapi/v1.0/account/~/extension/~/call-log", { withRecording: true })).json();
 * const { contentUri } = log.records[0].recording!;
 * const path = await Deno.makeTempFile({ suffix: ".wav" });
 * const saved = await downloadContent(rc, contentUri, path);
 * equal(saved.contentType, "audio/wav");
 * equal((await Deno.stat(path)).size, saved.bytes);
 * await Deno.remove(path);
 * ```
 */
export async function downloadContent(
  rc: RingCentral,
  contentUri: string,
  path: string,
  { onProgress, signal, timeoutMs = 300_000 }: DownloadOptions = {},
): Promise<Downloaded> {
  if (typeof path !== "string" || !path) {
    throw usageError(`downloadContent() needs the path of the file to write, such as "recording.wav"`);
  }
  const name = path.split(/[\\/]/).at(-1)!;
  const response = await rc.request("GET", contentUri, {
    headers: { accept: "*/*" },
    signal,
    timeoutMs,
    onProgress: onProgress ?? stderrProgress(name),
  });
  const bytes = await response.bytes();
  try {
    await Deno.writeFile(path, bytes);
  } catch (e) {
    const why = e instanceof Deno.errors.NotFound
      ? "its folder does not exist: make it first, or give a path in a folder that does"
      : e instanceof Deno.errors.NotCapable
      ? `this program may not write it (run it with --allow-write=${path})`
      : e instanceof Deno.errors.IsADirectory
      ? "it is a folder: give the path of a file in it"
      : (e as Error)?.message ?? String(e);
    throw usageError(`downloadContent() got ${bytes.length} bytes but cannot write ${path}: ${why}`);
  }
  return { path, bytes: bytes.length, contentType: response.headers.get("content-type") ?? "application/octet-stream" };
}
