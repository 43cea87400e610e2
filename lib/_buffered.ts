/**
 * A response whose body was read whole before it is handed over, without
 * building a second `Response`: the fetched one keeps its status and headers,
 * and its body methods read the bytes already in memory.
 * @module
 */

const BYTES = Symbol("bytes");
const USED = Symbol("used");

type Buffered = Response & { [BYTES]: Uint8Array<ArrayBuffer>; [USED]: boolean };

function take(response: Buffered): Promise<Uint8Array<ArrayBuffer>> {
  if (response[USED]) return Promise.reject(new TypeError("Body already consumed"));
  response[USED] = true;
  return Promise.resolve(response[BYTES]);
}

/** The body methods of a buffered response (its prototype's, over `Response.prototype`). */
class BufferedResponse extends Response {
  override get body(): ReadableStream<Uint8Array<ArrayBuffer>> | null {
    const self = this as unknown as Buffered;
    if (self[BYTES].byteLength === 0 && (this.status === 204 || this.status === 304)) return null;
    const stream = new ReadableStream<Uint8Array<ArrayBuffer>>({
      pull: async (controller) => {
        controller.enqueue(await take(self));
        controller.close();
      },
    });
    Object.defineProperty(this, "body", { value: stream }); // the same stream every time, as a Response's
    return stream;
  }
  override get bodyUsed(): boolean {
    return (this as unknown as Buffered)[USED];
  }
  override arrayBuffer(): Promise<ArrayBuffer> {
    return take(this as unknown as Buffered).then((b) => b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
  }
  override bytes(): Promise<Uint8Array<ArrayBuffer>> {
    return take(this as unknown as Buffered).then((b) => b.slice());
  }
  override blob(): Promise<Blob> {
    return take(this as unknown as Buffered).then((b) =>
      new Blob([b], { type: this.headers.get("content-type") ?? "" })
    );
  }
  override text(): Promise<string> {
    return take(this as unknown as Buffered).then((b) => new TextDecoder().decode(b));
  }
  // deno-lint-ignore no-explicit-any
  override json(): Promise<any> {
    return this.text().then(JSON.parse);
  }
  override formData(): Promise<FormData> {
    return take(this as unknown as Buffered).then((b) => new Response(b, { headers: this.headers }).formData());
  }
  override clone(): Response {
    const self = this as unknown as Buffered;
    if (self[USED]) throw new TypeError("Body already consumed");
    return new Response(self[BYTES].slice(), {
      status: this.status,
      statusText: this.statusText,
      headers: this.headers,
    });
  }
}

/**
 * `response`, whose body was read as `bytes`, made readable again from them.
 *
 * @example
 * ```ts
 * import { buffered } from "./_buffered.ts";
 * import { equal } from "node:assert/strict";
 * const raw = new Response('{"a":1}', { status: 201 });
 * const bytes = await raw.bytes();
 * const response = buffered(raw, bytes);
 * equal(response.status, 201);
 * equal((await response.json()).a, 1);
 * equal(response.bodyUsed, true);
 * ```
 */
export function buffered(response: Response, bytes: Uint8Array<ArrayBuffer>): Response {
  Object.setPrototypeOf(response, BufferedResponse.prototype);
  const self = response as Buffered;
  self[BYTES] = bytes;
  self[USED] = false;
  return response;
}
