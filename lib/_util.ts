/**
 * Small helpers shared by the client, the emulator and the playground: one
 * abortable delay, one base64url, one loopback check, one JSON-or-text reader.
 * @module
 */

/**
 * Waits `ms` milliseconds; rejects with the signal's reason when `signal`
 * aborts, and leaves no timer or listener behind either way.
 *
 * @example
 * ```ts
 * import { delay } from "./_util.ts";
 * import { rejects } from "node:assert/strict";
 * await delay(1);
 * await rejects(delay(10_000, AbortSignal.abort(new Error("stop"))), { message: "stop" });
 * ```
 */
export function delay(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(id);
      reject(signal!.reason);
    };
    const id = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

/**
 * Bytes (or UTF-8 text) as unpadded base64url, as OAuth (PKCE) and JWTs use it.
 *
 * @example
 * ```ts
 * import { base64url } from "./_util.ts";
 * import { equal } from "node:assert/strict";
 * equal(base64url(new Uint8Array([251, 255, 1])), "-_8B");
 * equal(base64url('{"a":1}'), "eyJhIjoxfQ");
 * ```
 */
export function base64url(data: Uint8Array | string): string {
  const bytes = typeof data === "string" ? new TextEncoder().encode(data) : data;
  return bytes.toBase64({ alphabet: "base64url", omitPadding: true });
}

/**
 * Whether a URL's hostname is a loopback address (`localhost`, `127.x.x.x`, `[::1]`).
 *
 * @example
 * ```ts
 * import { isLoopbackHost } from "./_util.ts";
 * import { equal } from "node:assert/strict";
 * equal(isLoopbackHost(new URL("http://127.0.0.1:8787").hostname), true);
 * equal(isLoopbackHost("platform.ringcentral.com"), false);
 * ```
 */
export function isLoopbackHost(hostname: string): boolean {
  return hostname === "localhost" || hostname === "[::1]" || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(hostname);
}

/**
 * Whether something is at `path` (a dangling symlink counts: it is in the way).
 *
 * @example
 * ```ts
 * import { exists } from "./_util.ts";
 * import { equal } from "node:assert/strict";
 * equal(await exists(import.meta.dirname!), true);
 * equal(await exists(`${import.meta.dirname}/no-such-file`), false);
 * ```
 */
export async function exists(path: string): Promise<boolean> {
  return await Deno.lstat(path).then(() => true, () => false);
}

/**
 * Parses `text` as JSON; returns the text itself when it is not JSON, and
 * `undefined` for an empty body.
 *
 * @example
 * ```ts
 * import { parseJsonOrText } from "./_util.ts";
 * import { deepEqual, equal } from "node:assert/strict";
 * deepEqual(parseJsonOrText('{"id":1}'), { id: 1 });
 * equal(parseJsonOrText("<html>"), "<html>");
 * equal(parseJsonOrText(""), undefined);
 * ```
 */
export function parseJsonOrText(text: string): unknown {
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/**
 * Reads a byte stream whole, unless it is longer than `limit`: then it stops
 * reading (cancelling the stream) and returns `undefined`.
 *
 * @example
 * ```ts
 * import { readAtMost } from "./_util.ts";
 * import { equal } from "node:assert/strict";
 * equal((await readAtMost(new Response("hello").body!, 10))?.length, 5);
 * equal(await readAtMost(new Response("hello").body!, 4), undefined);
 * ```
 */
export async function readAtMost(stream: ReadableStream<Uint8Array>, limit: number): Promise<Uint8Array | undefined> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of stream) {
    size += chunk.byteLength;
    if (size > limit) return undefined; // leaving the loop cancels the stream
    chunks.push(chunk);
  }
  const all = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    all.set(chunk, at);
    at += chunk.byteLength;
  }
  return all;
}

/**
 * A promise-chain mutex: callers run one after another, in order.
 *
 * @example
 * ```ts
 * import { createMutex } from "./_util.ts";
 * import { deepEqual } from "node:assert/strict";
 * const exclusive = createMutex();
 * const order: string[] = [];
 * await Promise.all([
 *   exclusive(async () => { await new Promise((r) => setTimeout(r, 10)); order.push("first"); }),
 *   exclusive(async () => { order.push("second"); }),
 * ]);
 * deepEqual(order, ["first", "second"]);
 * ```
 */
export function createMutex(): <T>(fn: () => Promise<T>) => Promise<T> {
  let tail: Promise<unknown> = Promise.resolve();
  return <T>(fn: () => Promise<T>) => {
    const run = tail.then(fn, fn);
    tail = run.catch(() => {});
    return run;
  };
}
