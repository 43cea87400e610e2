/**
 * Which hosts are which: loopback, and RingCentral's own.
 * @module
 */

/**
 * Whether a URL's hostname is a loopback address (`localhost`, `127.x.x.x`, `[::1]`).
 *
 * @example
 * ```ts
 * import { isLoopbackHost } from "./hosts.ts";
 * import { equal } from "node:assert/strict";
 * equal(isLoopbackHost(new URL("http://127.0.0.1:8787").hostname), true);
 * equal(isLoopbackHost("platform.ringcentral.com"), false);
 * ```
 */
export function isLoopbackHost(hostname: string): boolean {
  return hostname === "localhost" || hostname === "[::1]" || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(hostname);
}

/**
 * Whether `host` is one of RingCentral's own servers (production or sandbox).
 *
 * @example
 * ```ts
 * import { isRingCentralHost } from "./hosts.ts";
 * import { equal } from "node:assert/strict";
 * equal(isRingCentralHost("platform.devtest.ringcentral.com"), true);
 * equal(isRingCentralHost("ringcentral.com.example.org"), false);
 * ```
 */
export function isRingCentralHost(host: string): boolean {
  return /(^|\.)ringcentral\.com$/.test(host);
}
