/**
 * A RingCentral-compatible server as a `Request → Response` function:
 * usable in-process as a client's `fetch`, or served on loopback by
 * `deno task emulator`.
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
import { accountRoutes } from "./account.ts";
import type { Ctx, ResolvedOptions } from "./context.ts";
import { control } from "./control.ts";
import { apiError, compileRoutes, jackson, json, type JsonBody, jsonText, type Params, type Route } from "./http.ts";
import { messageRoutes } from "./messages.ts";
import { authenticateRequest, authRateKey, DEFAULT_ACCESS_TTL, DEFAULT_REFRESH_TTL, oauthRoutes } from "./oauth.ts";
import { checkRate } from "./rate_limit.ts";
import {
  EMULATOR_CLIENT_ID,
  EMULATOR_CLIENT_SECRET,
  EMULATOR_PASSWORD,
  emulatorJwt,
  extensionIdOf,
  MAIN_NUMBER,
  seedState,
} from "./seed.ts";
import type { EmulatorState, Fault } from "./state.ts";

export * from "./seed.ts";
export type { EmulatorState } from "./state.ts";

/** Options of {@linkcode createEmulator}. */
export interface EmulatorOptions {
  /** Access token lifetime in seconds. @default 3600 */
  accessTtl?: number;
  /** Refresh token lifetime in seconds. @default 604800 */
  refreshTtl?: number;
  /** Seconds an already-used refresh token still returns its tokens; 0 = strict rotation. @default 10 */
  refreshGrace?: number;
  /** Apply rate limits. @default true */
  rateLimits?: boolean;
  /** Length of every rate window and penalty in seconds. @default 60 */
  rateWindow?: number;
  /** Number of extensions (more than the seed's grows the account). */
  extensions?: number;
  /** Parallel sessions per user and app. @default 5 */
  sessionLimit?: number;
  /** The real clock; the emulated clock is this plus what `/__emulator/clock` added. @default Date.now */
  now?: () => number;
  /** Origin used for in-process requests and the credentials' server. @default "http://emulator.local" */
  server?: string;
}

/** Credentials that log in to the emulator with the JWT grant. */
export interface EmulatorCredentials {
  /** Server URL. */
  server: string;
  /** Client id. */
  clientId: string;
  /** Client secret. */
  clientSecret: string;
  /** JWT of the admin user (extension 101). */
  jwt: string;
}

/** A running emulator. */
export interface Emulator {
  /** In-process `fetch`: a dropped-connection fault rejects like a network failure. */
  fetch(input: RequestInfo | URL, init?: RequestInit): Promise<Response>;
  /** Handler for `Deno.serve` (synchronous when it can be): a dropped-connection fault breaks the response body. */
  handle(request: Request): Response | Promise<Response>;
  /** The state (read it in tests; change it through the API). */
  readonly state: EmulatorState;
  /** JWT credentials of the admin user, for `new RingCentral(...)`. */
  readonly credentials: EmulatorCredentials;
  /** Password-grant credentials of the admin user. */
  readonly passwordCredentials: {
    server: string;
    clientId: string;
    clientSecret: string;
    username: string;
    password: string;
    extension: string;
  };
  /** Emulated time in ms. */
  now(): number;
  /** Moves the emulated clock forward. */
  advance(seconds: number): void;
  /** Restores the seed state. */
  reset(): void;
  /** The `.env` lines that point a client at this emulator served at `server`. */
  envLines(server: string): string;
}

/** Thrown by the handler when a fault drops the connection. */
export class DroppedConnection extends Error {
  /** Builds the error. */
  constructor(when: "before" | "after") {
    super(`Connection dropped by an emulator fault (${when} the request was processed)`);
    this.name = "DroppedConnection";
  }
}

/** Every RingCentral route the emulator implements, with its rate-limit group. */
export const ROUTES: Route<Ctx>[] = [...oauthRoutes, ...accountRoutes, ...messageRoutes];
const match = compileRoutes(ROUTES);

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const id = setTimeout(resolve, ms);
    signal?.addEventListener("abort", () => {
      clearTimeout(id);
      reject(signal.reason);
    }, { once: true });
  });
}

function takeFault(state: EmulatorState, method: string, path: string): Fault | undefined {
  const index = state.faults.findIndex((f) => f.path === path && (!f.method || f.method === method));
  if (index < 0) return undefined;
  const fault = state.faults[index];
  if (--fault.times <= 0) state.faults.splice(index, 1);
  return fault;
}

function faultResponse(fault: Fault): Response {
  const status = fault.status!;
  const headers: Record<string, string> = {};
  if (fault.retryAfter !== undefined) headers["Retry-After"] = String(fault.retryAfter);
  if (fault.body !== undefined) {
    if (typeof fault.body === "string") {
      // A text body plays a proxy or gateway: no RingCentral headers.
      const type = /^\s*</.test(fault.body) ? "text/html" : "text/plain";
      return new Response(fault.body, { status, headers: { ...headers, "Content-Type": type } });
    }
    return json(fault.body, status, headers);
  }
  if (status === 429) {
    return apiError(429, { errorCode: "CMN-301", message: "Request rate exceeded" }, { headers });
  }
  if (status === 503) {
    return apiError(503, { errorCode: "CMN-211", message: "Service temporarily unavailable" }, { headers });
  }
  return apiError(status, { errorCode: "CMN-000", message: `Emulated fault ${status}` }, { headers });
}

/**
 * Creates an emulator with the seed account.
 *
 * @example Log in with the JWT grant
 * ```ts
 * import { createEmulator } from "./mod.ts";
 * import { equal } from "node:assert/strict";
 * const emulator = createEmulator();
 * const { server, clientId, clientSecret, jwt } = emulator.credentials;
 * const response = await emulator.fetch(`${server}/restapi/oauth/token`, {
 *   method: "POST",
 *   headers: { Authorization: `Basic ${btoa(`${clientId}:${clientSecret}`)}` },
 *   body: new URLSearchParams({ grant_type: "urn:ietf:params:oauth:grant-type:jwt-bearer", assertion: jwt }),
 * });
 * equal(response.status, 200);
 * ```
 */
export function createEmulator(options: EmulatorOptions = {}): Emulator {
  const resolved: ResolvedOptions = {
    accessTtl: options.accessTtl ?? DEFAULT_ACCESS_TTL,
    refreshTtl: options.refreshTtl ?? DEFAULT_REFRESH_TTL,
    refreshGrace: options.refreshGrace ?? 10,
    rateLimits: options.rateLimits ?? true,
    rateWindow: options.rateWindow ?? 60,
    sessionLimit: options.sessionLimit ?? 5,
    sendSeconds: 2,
    deliverSeconds: 3,
  };
  const realNow = options.now ?? Date.now;
  const server = (options.server ?? "http://emulator.local").replace(/\/+$/, "");
  let state = seedState({ extensions: options.extensions, now: realNow() });
  const now = () => realNow() + state.clockOffset;

  const reset = () => {
    state = seedState({ extensions: options.extensions, now: realNow() });
  };

  /**
   * Answers a request. Synchronous on the common path (Deno.serve has a fast
   * path for handlers that return a Response at once); a Promise only for
   * controls, faults, form bodies and asynchronous handlers. `signal` aborts
   * fault delays; only the in-process fetch passes one (Deno.serve warns on
   * `request.signal`).
   */
  function dispatch(request: Request, signal?: AbortSignal): Response | Promise<Response> {
    const url = new URL(request.url);
    let formCache: Promise<URLSearchParams> | undefined;
    const ctx: Ctx = {
      request,
      url,
      origin: url.origin,
      state,
      options: resolved,
      now: now(),
      form: () => formCache ??= request.text().then((t) => new URLSearchParams(t)).catch(() => new URLSearchParams()),
    };
    if (url.pathname.startsWith("/__emulator/")) return control(ctx, { reset });
    state.stats.requests++;
    const fault = takeFault(state, request.method, url.pathname);
    return fault ? withFault(ctx, fault, signal) : route(ctx);
  }

  async function withFault(ctx: Ctx, fault: Fault, signal?: AbortSignal): Promise<Response> {
    if (fault.delayMs !== undefined) {
      const d = fault.delayMs;
      await sleep(Array.isArray(d) ? d[0] + Math.random() * (d[1] - d[0]) : d, signal);
      ctx.now = now();
    }
    if (fault.drop === "before") throw new DroppedConnection("before");
    if (fault.status !== undefined) return count(faultResponse(fault));
    const response = await route(ctx);
    if (fault.drop === "after") throw new DroppedConnection("after");
    return response;
  }

  function route(ctx: Ctx): Response | Promise<Response> {
    const { request, url } = ctx;
    const { route, params, pathKnown } = match(request.method, url.pathname);
    if (!route) {
      return count(
        pathKnown
          ? apiError(405, { errorCode: "CMN-103", message: `Method [${request.method}] is not allowed` })
          : apiError(404, { errorCode: "AGW-404", message: "Resource not found" }),
      );
    }
    if (route.auth === false) return authRateKey(ctx).then((key) => answer(ctx, route, params, key));
    const session = authenticateRequest(ctx);
    if (session instanceof Response) return count(session);
    ctx.session = session;
    return answer(ctx, route, params, `${session.extensionId}:${session.clientId}`);
  }

  function answer(ctx: Ctx, route: Route<Ctx>, params: Params, rateKey: string): Response | Promise<Response> {
    const decision = route.group ? checkRate(state, rateKey, route.group, resolved, ctx.now) : undefined;
    const rate = decision?.headers;
    if (decision?.limited) {
      return count(apiError(429, { errorCode: "CMN-301", message: "Request rate exceeded" }, { headers: rate! }));
    }
    const key = route.cache ? `${ctx.origin} ${ctx.session?.extensionId} ${ctx.url.pathname}${ctx.url.search}` : "";
    const cached = route.cache ? state.responseCache.get(key) : undefined;
    if (cached !== undefined) return count(jsonText(cached, 200, rate));
    const finish = (result: Response | JsonBody): Response => {
      if (result instanceof Response) return count(withHeaders(result, rate));
      const text = jackson(result);
      if (route.cache) {
        if (state.responseCache.size >= 10_000) state.responseCache.clear();
        state.responseCache.set(key, text);
      }
      return count(jsonText(text, 200, rate));
    };
    const result = route.handler(ctx, params);
    return result instanceof Promise ? result.then(finish) : finish(result);
  }

  function withHeaders(response: Response, headers?: Record<string, string>): Response {
    if (headers) { for (const k in headers) response.headers.set(k, headers[k]); }
    return response;
  }

  function count(response: Response): Response {
    const key = String(response.status);
    state.stats.statuses[key] = (state.stats.statuses[key] ?? 0) + 1;
    return response;
  }

  const emulatorFetch = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const request = input instanceof Request && !init ? input : new Request(input, init);
    try {
      return await dispatch(request, request.signal);
    } catch (e) {
      if (e instanceof DroppedConnection) throw new TypeError(`error sending request: ${e.message}`, { cause: e });
      throw e;
    }
  };

  const credentials: EmulatorCredentials = {
    server,
    clientId: EMULATOR_CLIENT_ID,
    clientSecret: EMULATOR_CLIENT_SECRET,
    jwt: emulatorJwt(extensionIdOf(101)),
  };

  return {
    fetch: emulatorFetch,
    handle(request: Request): Response | Promise<Response> {
      const failed = (e: unknown): Response => {
        if (!(e instanceof DroppedConnection)) {
          console.error(`emulator: ${request.method} ${new URL(request.url).pathname}: ${(e as Error).message}`);
          return apiError(500, { errorCode: "CMN-500", message: "Internal emulator error" });
        }
        // Deno.serve cannot close a socket mid-request; a body shorter than its Content-Length breaks it instead.
        const empty = new ReadableStream({ start: (c) => c.close() });
        return new Response(empty, { status: 200, headers: { "Content-Length": "1" } });
      };
      try {
        const response = dispatch(request);
        return response instanceof Promise ? response.catch(failed) : response;
      } catch (e) {
        return failed(e);
      }
    },
    get state() {
      return state;
    },
    credentials,
    passwordCredentials: {
      server,
      clientId: EMULATOR_CLIENT_ID,
      clientSecret: EMULATOR_CLIENT_SECRET,
      username: MAIN_NUMBER,
      password: EMULATOR_PASSWORD,
      extension: "101",
    },
    now,
    advance(seconds: number) {
      state.clockOffset += seconds * 1000;
    },
    reset,
    envLines(serverUrl: string): string {
      return [
        `RC_SERVER_URL=${serverUrl}`,
        `RC_CLIENT_ID=${EMULATOR_CLIENT_ID}`,
        `RC_CLIENT_SECRET=${EMULATOR_CLIENT_SECRET}`,
        `RC_JWT=${credentials.jwt}`,
        `RC_USERNAME=${MAIN_NUMBER}`,
        `RC_PASSWORD=${EMULATOR_PASSWORD}`,
        `RC_EXTENSION=101`,
      ].join("\n");
    },
  };
}

if (import.meta.main) {
  // No top-level await: cli.ts imports this module, which must finish evaluating first.
  import("./cli.ts").then(({ main }) => main(Deno.args)).then((code) => Deno.exit(code));
}
