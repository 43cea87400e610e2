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
import { atCaller, RingCentralError, usageError } from "./errors.ts";

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
  /**
   * The largest download, in bytes: a larger one fails as soon as that is known, and nothing is written. The body
   * goes to the file as it arrives (the client's `maxResponseBytes` does not apply). @default 2147483648 (2 GiB)
   */
  maxBytes?: number;
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

/** The default {@linkcode DownloadOptions.maxBytes}: 2 GiB, some 18 hours of a call recording. */
const MAX_DOWNLOAD_BYTES = 2 * 1024 * 1024 * 1024;

/** The shortest time between two progress lines, in ms. */
const PROGRESS_EVERY_MS = 100;

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

/** A progress line rewritten in place, as {@linkcode progressPrinter} makes it. */
export interface ProgressPrinter {
  /** The bytes received so far, and the total when known. */
  update(received: number, total: number | undefined): void;
  /** The download is complete: the last line, and a line break. */
  end(received: number, total: number | undefined): void;
}

/**
 * The progress line of a large download (a megabyte or more), rewritten in
 * place with `\r`: written only when the text shown changes, and at most
 * every 100 ms by `now`, then once more, complete, at the end.
 *
 * @example Many updates, a few lines
 * ```ts
 * import { progressPrinter } from "./media.ts";
 * import { ok } from "node:assert/strict";
 * let t = 0;
 * const written: string[] = [];
 * const printer = progressPrinter("call.wav", (text) => written.push(text), () => t);
 * for (let received = 0; received <= 7_000_000; received += 64_000, t += 5) printer.update(received, 7_000_000);
 * printer.end(7_000_000, 7_000_000);
 * ok(written.length < 15 && written.at(-1)!.endsWith("(100%)\n"));
 * ```
 */
export function progressPrinter(
  name: string,
  write: (text: string) => void,
  now: () => number = Date.now,
): ProgressPrinter {
  let shown: string | undefined;
  let at = -Infinity;
  const large = (received: number, total: number | undefined) =>
    shown !== undefined || (total ?? received) >= LARGE_BYTES;
  return {
    update(received, total) {
      if (!large(received, total)) return;
      const text = progressLine(name, received, total);
      const t = now();
      if (text === shown || t - at < PROGRESS_EVERY_MS) return;
      shown = text;
      at = t;
      write(`\r${text}`);
    },
    end(received, total) {
      if (!large(received, total)) return;
      const text = progressLine(name, received, total);
      write(text === shown ? "\n" : `\r${text}\n`);
      shown = text;
    },
  };
}

/** The default progress: one line on stderr, rewritten in place, for large downloads on a terminal. */
function stderrProgress(name: string): ProgressPrinter | undefined {
  let terminal = false;
  try {
    terminal = Deno.stderr.isTerminal();
  } catch { /* no stderr: no progress */ }
  if (!terminal) return undefined;
  const encoder = new TextEncoder();
  return progressPrinter(name, (text) => Deno.stderr.writeSync(encoder.encode(text)));
}

/**
 * Downloads the content a `contentUri` names to the file at `path`: a call
 * recording's (`…/recording/{id}/content`), an MMS or fax attachment's
 * (`attachments[].uri`), anything RingCentral returns a content URI for.
 * The URI may be absolute on the client's server or on its media host
 * (`rc.mediaServer`), or a path on the server. The body goes, as it
 * arrives, to a new temporary file next to `path` (`.<name>.<random>.part`),
 * which takes the place of `path` once complete: a failed download leaves
 * no file, partial or other, and the file is replaced if it exists. It may
 * be as large as `maxBytes` (2 GiB unless given). Errors are the client's
 * (`ApiError` for a 404, and so on).
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
  options: DownloadOptions = {},
): Promise<Downloaded> {
  try {
    return await download(rc, contentUri, path, options);
  } catch (e) {
    throw atCaller(e, downloadContent); // shown from the caller's line, with no frame of this file
  }
}

async function download(
  rc: RingCentral,
  contentUri: string,
  path: string,
  { onProgress, signal, timeoutMs = 300_000, maxBytes = MAX_DOWNLOAD_BYTES }: DownloadOptions,
): Promise<Downloaded> {
  if (typeof path !== "string" || !path) {
    throw usageError(`downloadContent() needs the path of the file to write, such as "recording.wav"`);
  }
  if (typeof maxBytes !== "number" || !(maxBytes > 0)) {
    throw usageError(
      `downloadContent(): maxBytes must be a positive number of bytes, such as 2 ** 31 (got ${maxBytes})`,
    );
  }
  const cut = Math.max(path.lastIndexOf("/"), path.lastIndexOf("\\")) + 1;
  const name = path.slice(cut);
  const folder = path.slice(0, cut);
  const part = `${folder}.${name}.${crypto.randomUUID().slice(0, 8)}.part`;
  const file = await openPart(path, part, folder);
  const printer = onProgress ? undefined : stderrProgress(name);
  const progress = onProgress ?? printer?.update;
  let received = 0;
  let total: number | undefined;
  try {
    const response = await rc.request("GET", contentUri, {
      headers: { accept: "*/*" },
      signal,
      timeoutMs,
      onBody: async (body, raw) => {
        received = 0; // a retry starts the file over
        await file.truncate(0);
        await file.seek(0, Deno.SeekMode.Start);
        const declared = raw.headers.get("content-length");
        const encoded = (raw.headers.get("content-encoding") ?? "identity").toLowerCase() !== "identity";
        total = declared === null || encoded ? undefined : Number(declared);
        if (total !== undefined && total > maxBytes) throw tooLarge(rc, contentUri, maxBytes);
        for await (const chunk of body) {
          received += chunk.length;
          if (received > maxBytes) throw tooLarge(rc, contentUri, maxBytes);
          await writeAll(file, chunk, path);
          progress?.(received, total);
        }
      },
    });
    file.close();
    await Deno.rename(part, path).catch((e) => {
      const why = e instanceof Deno.errors.NotCapable || e instanceof Deno.errors.PermissionDenied
        ? `this program may not move files there (run it with --allow-read=${folder || "."} --allow-write=${
          folder || "."
        })`
        : e instanceof Deno.errors.IsADirectory
        ? "it is a folder: give the path of a file in it"
        : (e as Error)?.message ?? String(e);
      throw usageError(`downloadContent() got ${received} bytes but cannot write ${path}: ${why}`);
    });
    printer?.end(received, total);
    return { path, bytes: received, contentType: response.headers.get("content-type") ?? "application/octet-stream" };
  } catch (e) {
    try {
      file.close();
    } catch { /* closed already */ }
    await Deno.remove(part).catch(() => undefined);
    throw e;
  }
}

/** The temporary file a download goes to, new (never another's), next to `path`; or why it cannot be written. */
async function openPart(path: string, part: string, folder: string): Promise<Deno.FsFile> {
  try {
    if ((await Deno.stat(path).catch(() => undefined))?.isDirectory) throw new Deno.errors.IsADirectory(path);
    return await Deno.open(part, { write: true, createNew: true });
  } catch (e) {
    const why = e instanceof Deno.errors.NotFound
      ? "its folder does not exist: make it first, or give a path in a folder that does"
      : e instanceof Deno.errors.NotCapable || e instanceof Deno.errors.PermissionDenied
      ? `this program may not write in its folder (run it with --allow-write=${folder || "."})`
      : e instanceof Deno.errors.IsADirectory
      ? "it is a folder: give the path of a file in it"
      : (e as Error)?.message ?? String(e);
    throw usageError(`downloadContent() cannot write ${path}: ${why}`);
  }
}

/** Writes all of `chunk`; a failing disk is an error that names the file (not a lost connection, not retried). */
async function writeAll(file: Deno.FsFile, chunk: Uint8Array, path: string): Promise<void> {
  try {
    for (let done = 0; done < chunk.length;) done += await file.write(chunk.subarray(done));
  } catch (e) {
    throw new RingCentralError(`downloadContent() cannot write ${path}: ${(e as Error)?.message ?? e}`, {
      hint: "Check the disk's free space, or write somewhere else",
      cause: e,
    });
  }
}

/** The error of a download larger than its `maxBytes`. */
function tooLarge(rc: RingCentral, contentUri: string, maxBytes: number): RingCentralError {
  return new RingCentralError(
    `The content is larger than ${maxBytes} bytes (the maxBytes limit of downloadContent())`,
    {
      method: "GET",
      path: new URL(contentUri, rc.server).pathname,
      hint: "Nothing was written. If you expect a file this large, raise it: " +
        "downloadContent(rc, uri, path, { maxBytes: 8 * 2 ** 30 })",
    },
  );
}
