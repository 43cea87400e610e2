/**
 * Waiting, bounded and cancellable: an abortable delay, a wait for a shared
 * promise that one caller may give up on, and a mutex.
 * @module
 */

/**
 * Waits `ms` milliseconds; rejects with the signal's reason when `signal`
 * aborts, and leaves no timer or listener behind either way.
 *
 * @example
 * ```ts
 * import { delay } from "./async.ts";
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
 * `promise`, or the signal's reason as soon as `signal` aborts: a caller
 * stops waiting for work others share, and the work goes on for them.
 *
 * @example
 * ```ts
 * import { abortable } from "./async.ts";
 * import { equal, rejects } from "node:assert/strict";
 * const shared = new Promise<number>((resolve) => setTimeout(() => resolve(42), 10));
 * await rejects(abortable(shared, AbortSignal.abort(new Error("gave up"))), { message: "gave up" });
 * equal(await abortable(shared), 42); // the others still get it
 * ```
 */
export function abortable<T>(promise: Promise<T>, signal?: AbortSignal): Promise<T> {
  if (!signal) return promise;
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener("abort", onAbort));
  });
}

/**
 * A promise-chain mutex: callers run one after another, in order.
 *
 * @example
 * ```ts
 * import { createMutex } from "./async.ts";
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
    tail = run.then(() => undefined, () => undefined); // the next caller runs whatever this one's outcome
    return run;
  };
}
