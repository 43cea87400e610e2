/**
 * When a message's `messageStatus` will not change any more.
 * @module
 */

const FINAL = new Set(["Delivered", "DeliveryFailed", "SendingFailed", "Received"]);

/**
 * Whether `status` is final: delivered, failed, or received (inbound).
 *
 * @example
 * ```ts
 * import { isFinalStatus } from "./_message_status.ts";
 * import { equal } from "node:assert/strict";
 * equal(isFinalStatus("Queued"), false);
 * equal(isFinalStatus("SendingFailed"), true);
 * ```
 */
export function isFinalStatus(status: unknown): boolean {
  return typeof status === "string" && FINAL.has(status);
}
