/**
 * RingCentral REST API client for Deno, with a built-in offline emulator of
 * the platform (its own entry point, `./emulator`, loaded only when it is
 * used). A port of RingCentral's Python tutorial (configure, authenticate
 * with a token file per environment, `get()`, `post()`), grown to survive
 * refresh races, rate limits, timeouts and dropped connections. Notebooks
 * have their display helpers in `./display`.
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
export { RingCentral } from "./lib/client.ts";
export type { InProcessEmulator, RingCentralOptions } from "./lib/options.ts";
export type { FromEnvOptions, Grant } from "./lib/from_env.ts";
export type { BrowserLoginOptions } from "./lib/browser_login.ts";
export type { Exchange, Query, RequestOptions, TransportOptions, Wait } from "./lib/transport.ts";
export type { EventNotification, EventSubscription, SubscribeOptions } from "./lib/subscribe.ts";
export { downloadContent, type Downloaded, type DownloadOptions } from "./lib/media.ts";
export { type FileLike, withFiles } from "./lib/multipart.ts";
export {
  ApiError,
  type ApiErrorInit,
  ConfigError,
  NetworkError,
  type NoAnswerInit,
  RingCentralError,
  type RingCentralErrorOptions,
  TimeoutError,
} from "./lib/errors.ts";
export { FileTokenStore, type FileTokenStoreOptions } from "./lib/file_token_store.ts";
export { MemoryTokenStore, type StoredTokens, type TokenResponse, type TokenStore } from "./lib/token_store.ts";
export {
  type Config,
  type ConfigSources,
  type Credentials,
  type Environment,
  loadConfig,
  type LoadConfigOptions,
  parseConfig,
  type Target,
} from "./lib/config.ts";
export type { TokenStatus } from "./lib/auth.ts";
export type { TokenTimes } from "./lib/grants.ts";
export type {
  ApiPath,
  ApiResponse,
  BodyArguments,
  QueryArguments,
  QueryOf,
  RequestBody,
  ResponseBody,
  TypedResponse,
} from "./lib/api/typed.ts";
