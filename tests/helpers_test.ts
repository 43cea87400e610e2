import { deepEqual, equal, rejects } from "node:assert/strict";
import { delay } from "../lib/async.ts";
import { base64url, parseJsonOrText } from "../lib/bytes.ts";
import { isLoopbackHost } from "../lib/hosts.ts";

/** An AbortSignal that counts its abort listeners. */
function countingSignal() {
  const controller = new AbortController();
  const signal = controller.signal;
  let listeners = 0;
  const add = signal.addEventListener.bind(signal);
  const remove = signal.removeEventListener.bind(signal);
  signal.addEventListener = ((...args: Parameters<typeof add>) => (listeners++, add(...args))) as typeof add;
  signal.removeEventListener =
    ((...args: Parameters<typeof remove>) => (listeners--, remove(...args))) as typeof remove;
  return { controller, signal, listeners: () => listeners };
}

Deno.test("delay() leaves no abort listener behind when it resolves", async () => {
  const s = countingSignal();
  for (let i = 0; i < 5; i++) await delay(1, s.signal);
  equal(s.listeners(), 0);
});

Deno.test("delay() rejects with the signal's reason and clears its timer", async () => {
  const s = countingSignal();
  const waiting = delay(60_000, s.signal); // a live timer would keep the test's sanitizer failing
  s.controller.abort(new Error("stop"));
  await rejects(waiting, { message: "stop" });
  await rejects(delay(1, AbortSignal.abort(new Error("already"))), { message: "already" });
});

Deno.test("base64url() is unpadded, URL-safe, and matches RFC 7636's example", async () => {
  equal(base64url(new Uint8Array([0xfb, 0xff])), "-_8");
  const verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(verifier)));
  equal(base64url(digest), "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
});

Deno.test("isLoopbackHost() accepts only loopback names", () => {
  for (const host of ["localhost", "127.0.0.1", "127.1.2.3", "[::1]"]) equal(isLoopbackHost(host), true, host);
  for (const host of ["127.0.0.1.nip.io", "localhost.example.com", "10.0.0.1", "0.0.0.0", "[::]", "1270.0.0.1"]) {
    equal(isLoopbackHost(host), false, host);
  }
});

Deno.test("parseJsonOrText() returns JSON, text, or undefined for nothing", () => {
  deepEqual(parseJsonOrText('[1,{"a":null}]'), [1, { a: null }]);
  equal(parseJsonOrText("Service Unavailable"), "Service Unavailable");
  equal(parseJsonOrText(""), undefined);
});
