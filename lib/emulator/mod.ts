/**
 * A RingCentral-compatible server as a `Request → Response` function:
 * usable in-process as a client's `fetch`, or served on loopback with
 * {@linkcode serve} (`deno task emulator` runs `cli.ts`). It has the seed
 * account of `seed.ts`, RingCentral's OAuth, rate limits and error bodies,
 * and a control API under `/__emulator/`.
 *
 * @example
 * ```ts
 * import { createEmulator } from "./mod.ts";
 * import { equal } from "node:assert/strict";
 * const emulator = createEmulator();
 * const response = await emulator.fetch("http://emulator.local/restapi/v1.0/account/~");
 * equal(response.status, 401); // no token yet
 * ```
 * @module
 */
export { createEmulator, type Emulator, type EmulatorCredentials, type EmulatorOptions } from "./emulator.ts";
export * from "./seed.ts";
export type {
  Account,
  App,
  EmulatorState,
  Extension,
  Fault,
  GatewaySession,
  Message,
  Party,
  PhoneNumber,
  Session,
  SocketLink,
  Stats,
  Subscription,
  TokenRecord,
} from "./state.ts";
export { DroppedConnection } from "./faults.ts";
export { serve, type ServedEmulator, type ServeOptions } from "./serve.ts";
