/**
 * Bytes in and out: a bounded read of a stream, base64url, and a body as
 * JSON or text.
 * @module
 */

/**
 * Reads a byte stream whole, unless it is longer than `limit`: then it stops
 * reading (cancelling the stream) and returns `undefined`. `onChunk` hears
 * how many bytes have arrived so far, after each chunk.
 *
 * @example
 * ```ts
 * import { readAtMost } from "./bytes.ts";
 * import { equal } from "node:assert/strict";
 * equal((await readAtMost(new Response("hello").body!, 10))?.length, 5);
 * equal(await readAtMost(new Response("hello").body!, 4), undefined);
 * let seen = 0;
 * await readAtMost(new Response("hello").body!, 10, (n) => (seen = n));
 * equal(seen, 5);
 * ```
 */
export async function readAtMost(
  stream: ReadableStream<Uint8Array>,
  limit: number,
  onChunk?: (received: number) => void,
): Promise<Uint8Array | undefined> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of stream) {
    size += chunk.byteLength;
    if (size > limit) return undefined; // leaving the loop cancels the stream
    chunks.push(chunk);
    onChunk?.(size);
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
 * Bytes (or UTF-8 text) as unpadded base64url, as OAuth (PKCE) and JWTs use it.
 *
 * @example
 * ```ts
 * import { base64url } from "./bytes.ts";
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
 * Parses `text` as JSON; returns the text itself when it is not JSON, and
 * `undefined` for an empty body.
 *
 * @example
 * ```ts
 * import { parseJsonOrText } from "./bytes.ts";
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
