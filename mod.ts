/**
 * RingCentral REST API client for Deno, with a built-in offline emulator of
 * the platform. A port of RingCentral's Python tutorial (configure,
 * authenticate with a token file per environment, `get()`, `post()`), grown
 * to survive refresh races, rate limits, timeouts and dropped connections.
 *
 * @example List extensions with the configuration in the current folder
 * ```ts
 * import { RingCentral } from "./mod.ts";
 * import { ok } from "node:assert/strict";
 * const dir = await Deno.makeTempDir(); // no .env files: the built-in emulator answers
 * const rc = await RingCentral.fromEnv({ dir, env: {}, onNotice: () => {} });
 * const page = await (await rc.get("/restapi/v1.0/account/~/extension", { type: ["User", "Department"] })).json();
 * ok(page.records.length > 0);
 * await Deno.remove(dir, { recursive: true });
 * ```
 * @module
 */
export {
  type Exchange,
  type FromEnvOptions,
  type Query,
  type RequestOptions,
  RingCentral,
  type RingCentralOptions,
  type Target,
} from "./lib/client.ts";
export { ConfigError, RingCentralError, type RingCentralErrorInit } from "./lib/errors.ts";
export {
  FileTokenStore,
  type FileTokenStoreOptions,
  MemoryTokenStore,
  type StoredTokens,
  type TokenResponse,
  type TokenStore,
} from "./lib/token_store.ts";
export {
  type Config,
  type ConfigSources,
  type Credentials,
  type Environment,
  loadConfig,
  type LoadConfigOptions,
  parseConfig,
} from "./lib/config.ts";
export { createEmulator, type Emulator, type EmulatorCredentials, type EmulatorOptions } from "./lib/emulator/mod.ts";
export type {
  Account,
  App,
  EmulatorState,
  Extension,
  Fault,
  Message,
  Party,
  PhoneNumber,
  Session,
  Stats,
  TokenRecord,
} from "./lib/emulator/state.ts";
export type { TokenTimes } from "./lib/auth.ts";
export { redact } from "./lib/redact.ts";
