/**
 * Following a message until its status is final: read it, wait, read again,
 * until it is delivered, failed or received, or the time is up. The
 * playground, code mode, replays and the demo all follow this way.
 * @module
 */
import { delay } from "./async.ts";

const FINAL = new Set(["Delivered", "DeliveryFailed", "SendingFailed", "Received"]);

/**
 * Whether a `messageStatus` is final: delivered, failed, or received
 * (inbound); for a fax (`type` `Fax`), `Sent` too: a fax has no delivery
 * report beyond it.
 *
 * @example
 * ```ts
 * import { isFinalStatus } from "./follow.ts";
 * import { equal } from "node:assert/strict";
 * equal(isFinalStatus("Queued"), false);
 * equal(isFinalStatus("SendingFailed"), true);
 * equal(isFinalStatus("Sent"), false);
 * equal(isFinalStatus("Sent", "Fax"), true);
 * ```
 */
export function isFinalStatus(status: unknown, type?: unknown): boolean {
  return typeof status === "string" && (FINAL.has(status) || (type === "Fax" && status === "Sent"));
}

/** How {@linkcode followMessage} waits. */
export interface FollowOptions {
  /** Milliseconds between reads. @default 1000 */
  pollMs?: number;
  /** Stop following after this many milliseconds (the message is returned as last read). @default 60000 */
  timeoutMs?: number;
  /** Stops following: rejects with the signal's reason. */
  signal?: AbortSignal;
  /** Told each time the status changes (not for the first read). */
  onChange?: (message: { messageStatus?: string }, previous: string | undefined) => void;
  /** The clock. @default Date.now */
  now?: () => number;
  /** How to wait. @default an abortable setTimeout */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

/**
 * Reads a message with `read` until its `messageStatus` is final or
 * `timeoutMs` has passed; returns the last read and whether it is final.
 *
 * @example Follow an SMS on the built-in emulator
 * ```ts
 * import { followMessage } from "./follow.ts";
 * import { RingCentral } from "../mod.ts";
 * import { createEmulator } from "./emulator/mod.ts";
 * import { equal } from "node:assert/strict";
 * const emulator = createEmulator();
 * const rc = new RingCentral({ ...emulator.credentials, fetch: emulator.fetch });
 * const sms = await (await rc.post("/restapi/v1.0/account/~/extension/~/sms", {
 *   from: { phoneNumber: "+16505550101" }, to: [{ phoneNumber: "+16505550199" }], text: "Hi",
 * })).json();
 * const at = `/restapi/v1.0/account/~/extension/~/message-store/${sms.id}`;
 * const { message, final } = await followMessage(
 *   async () => await (await rc.get(at)).json(),
 *   { sleep: async (ms) => emulator.advance(ms / 1000) }, // the emulator's clock, not real seconds
 * );
 * equal(final, true);
 * equal(message.messageStatus, "Delivered");
 * ```
 */
export async function followMessage<M extends { messageStatus?: string; type?: string }>(
  read: (signal?: AbortSignal) => Promise<M>,
  options: FollowOptions = {},
): Promise<{ message: M; final: boolean }> {
  const { pollMs = 1000, timeoutMs = 60_000, signal, onChange, now = Date.now, sleep = delay } = options;
  const end = now() + timeoutMs;
  let message = await read(signal);
  for (;;) {
    if (isFinalStatus(message.messageStatus, message.type)) return { message, final: true };
    if (now() >= end) return { message, final: false };
    await sleep(pollMs, signal);
    const previous = message.messageStatus;
    message = await read(signal);
    if (message.messageStatus !== previous) onChange?.(message, previous);
  }
}
