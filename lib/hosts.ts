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

/**
 * Whether `host` is an address the internet does not route: a private
 * network (RFC 1918, unique local IPv6), link-local, shared (RFC 6598) or
 * reserved for tests (RFC 5737, RFC 2544). Where a workshop room's emulator
 * may be reached over plain http. A name is not an address: names can point
 * anywhere.
 *
 * @example
 * ```ts
 * import { isPrivateNetworkHost } from "./hosts.ts";
 * import { equal } from "node:assert/strict";
 * equal(isPrivateNetworkHost("192.168.1.20"), true);
 * equal(isPrivateNetworkHost("172.31.0.1"), true);
 * equal(isPrivateNetworkHost("8.8.8.8"), false);
 * equal(isPrivateNetworkHost("emulator.example.com"), false);
 * ```
 */
export function isPrivateNetworkHost(host: string): boolean {
  const v4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(host);
  if (v4) {
    const [a, b] = [Number(v4[1]), Number(v4[2])];
    const c = Number(v4[3]);
    return a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) || (a === 169 && b === 254) ||
      (a === 100 && b >= 64 && b <= 127) || (a === 198 && (b === 18 || b === 19)) ||
      (a === 192 && b === 0 && c === 2) || (a === 198 && b === 51 && c === 100) || (a === 203 && b === 0 && c === 113);
  }
  const v6 = host.replace(/^\[|\]$/g, "").toLowerCase();
  return /^(fc|fd)[0-9a-f]{2}:/.test(v6) || /^fe[89ab][0-9a-f]:/.test(v6);
}

/** Whether `host` (a URL's hostname) is an IP address or `localhost`, not a name that DNS resolves. */
function isAddress(host: string): boolean {
  return host === "localhost" || host.startsWith("[") || /^\d{1,3}(\.\d{1,3}){3}$/.test(host);
}

/**
 * The media origin paired with a platform server: where RingCentral serves
 * the content of recordings and attachments (their `contentUri`), and the
 * only origin besides the platform's own that a client sends its
 * credentials to. RingCentral's own pairs (`platform.ringcentral.com` and
 * `media.ringcentral.com`, `platform.devtest.ringcentral.com` and
 * `media.devtest.ringcentral.com`); an emulator served at an address
 * serves media on the next port; an emulator known by name (the built-in
 * `emulator.local`) at `media.` and its name. `undefined` for any other
 * server: it has no media host the client knows of.
 *
 * @example
 * ```ts
 * import { mediaOriginOf } from "./hosts.ts";
 * import { equal } from "node:assert/strict";
 * equal(mediaOriginOf("https://platform.ringcentral.com"), "https://media.ringcentral.com");
 * equal(mediaOriginOf("https://platform.devtest.ringcentral.com"), "https://media.devtest.ringcentral.com");
 * equal(mediaOriginOf("http://127.0.0.1:8787", { emulator: true }), "http://127.0.0.1:8788");
 * equal(mediaOriginOf("http://emulator.local", { emulator: true }), "http://media.emulator.local");
 * equal(mediaOriginOf("https://api.example.com"), undefined);
 * ```
 */
export function mediaOriginOf(server: string, { emulator = false } = {}): string | undefined {
  const url = new URL(server);
  const host = url.hostname;
  if (isRingCentralHost(host)) {
    return host.startsWith("platform.") ? `${url.protocol}//media.${url.host.slice("platform.".length)}` : undefined;
  }
  if (!emulator) return undefined;
  if (isAddress(host)) {
    const port = Number(url.port || (url.protocol === "https:" ? 443 : 80));
    return port < 65535 ? `${url.protocol}//${url.hostname}:${port + 1}` : undefined;
  }
  return `${url.protocol}//media.${url.host}`;
}
