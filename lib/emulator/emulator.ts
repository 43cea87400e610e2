/**
 * {@linkcode createEmulator}: the emulator as a `Request → Response`
 * function over its state, with its clock and credentials.
 *
 * @example
 * ```ts
 * import { createEmulator } from "./emulator.ts";
 * import { equal } from "node:assert/strict";
 * const emulator = createEmulator();
 * const response = await emulator.fetch("http://emulator.local/restapi/v1.0/account/~");
 * equal(response.status, 401); // no token yet
 * ```
 * @module
 */
import type { InProcessEmulator } from "../options.ts";
import { base64url } from "../bytes.ts";
import { isLoopbackHost } from "../hosts.ts";
import type { ResolvedOptions } from "./_context.ts";
import { tickCalls } from "./call_routes.ts";
import { tickMessages } from "./messages.ts";
import { DroppedConnection } from "./faults.ts";
import { apiError } from "./_http.ts";
import { DEFAULT_ACCESS_TTL, DEFAULT_REFRESH_TTL } from "./oauth.ts";
import { DEFAULT_PERMISSIONS } from "./permissions.ts";
import { createPipeline, type Dispatch } from "./pipeline.ts";
import { ROUTES } from "./routes.ts";
import { openGateway, WS_PATH } from "./websocket.ts";
import {
  EMULATOR_CLIENT_ID,
  EMULATOR_CLIENT_SECRET,
  EMULATOR_PASSWORD,
  emulatorJwt,
  extensionIdOf,
  MAIN_NUMBER,
  PUBLIC_CLIENT_ID,
  seedState,
} from "./seed.ts";
import type { EmulatorState } from "./state.ts";
import { Activity, attachActivity, observeRequests } from "./world/activity.ts";
import { attachClock, wakeDue } from "./_clock.ts";

/**
 * Options of {@linkcode createEmulator}.
 *
 * @example Short-lived tokens, strict rotation, no rate limits
 * ```ts
 * import { RingCentral } from "../../mod.ts";
 * import { createEmulator, type EmulatorOptions } from "./mod.ts";
 * import { equal } from "node:assert/strict";
 * const options: EmulatorOptions = { accessTtl: 5, refreshGrace: 0, rateLimits: false };
 * const emulator = createEmulator(options);
 * const rc = new RingCentral({ ...emulator.credentials, fetch: emulator.fetch });
 * await rc.authenticate();
 * emulator.advance(6); // the access token has expired: the next call refreshes
 * await rc.get("/restapi/v1.0/account/~");
 * equal(emulator.state.stats.grants.refresh_token.ok, 1);
 * ```
 */
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
  /** How many calls the seeded call history has, over the last four weeks. @default 300 */
  calls?: number;
  /** Parallel sessions per user and app. @default 5 */
  sessionLimit?: number;
  /** The real clock; the emulated clock is this plus what `/__emulator/clock` added. @default Date.now */
  now?: () => number;
  /** Approve authorization requests at once, without the consent page (for tests). @default false */
  autoApprove?: boolean;
  /**
   * The app permissions of the built-in apps, as the spec names them (`x-app-permission`: `ReadCallLog`,
   * `TeamMessaging`, …); a call whose operation needs another gets a 403 `CMN-401`.
   * @default ["ReadAccounts", "SMS", "ReadMessages", "EditMessages", "WebSocket", "ReadCallLog",
   * "ReadCallRecording", "RingOut", "CallControl", "ReadPresence", "EditPresence", "TeamMessaging"]
   */
  permissions?: string[];
  /**
   * Whether the app has the WebSocket Subscriptions permission (without it, `/restapi/oauth/wstoken` answers
   * SUB-528). @default whether `permissions` has `WebSocket`
   */
  webSocketPermission?: boolean;
  /**
   * Answer requests addressed to any host name, not only loopback ones: for a
   * workshop room that shares one emulator over the local network. @default false
   */
  anyHost?: boolean;
  /** Origin used for in-process requests and the credentials' server. @default "http://emulator.local" */
  server?: string;
  /**
   * A workshop room's emulator (`deno task emulator:room`): its control API needs the instructor's `key`
   * (header `X-Emulator-Key`); attendees join as users of their own at `/__emulator/room`, and may queue
   * faults and inject SMS for themselves only; webhooks go back to the attendee's own machine. Implies
   * `anyHost` and no session limit.
   */
  room?: { key: string };
  /**
   * Changes the seed account before use, at the start and at every reset: the workshop's checks draw an account
   * of their own from a seed (lib/workshop/world.ts). @default the seed account as it is
   */
  world?: (seed: EmulatorState) => EmulatorState;
  /**
   * Saves the world where it is kept (`deno task emulator --data DIR`), for `POST /__emulator/save` and the
   * dashboard's Save; resolves to where it went. @default none: the world is only downloaded
   */
  save?: (state: EmulatorState, now: number) => Promise<string>;
}

/**
 * Credentials that log in to the emulator with the JWT grant.
 *
 * @example Log in as the admin
 * ```ts
 * import { RingCentral } from "../../mod.ts";
 * import { createEmulator, type EmulatorCredentials } from "./mod.ts";
 * import { equal } from "node:assert/strict";
 * const emulator = createEmulator();
 * const credentials: EmulatorCredentials = emulator.credentials;
 * const rc = new RingCentral({ ...credentials, fetch: emulator.fetch });
 * equal((await (await rc.get("/restapi/v1.0/account/~/extension/~")).json()).name, "Alice Admin");
 * ```
 */
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

/**
 * A running emulator.
 *
 * @example Its clock, its state, a reset
 * ```ts
 * import { RingCentral } from "../../mod.ts";
 * import { createEmulator } from "./mod.ts";
 * import type { Emulator } from "./mod.ts";
 * import { equal } from "node:assert/strict";
 * const emulator: Emulator = createEmulator();
 * const rc = new RingCentral({ ...emulator.credentials, fetch: emulator.fetch });
 * await rc.post("/restapi/v1.0/account/~/extension/~/sms", {
 *   from: { phoneNumber: "+16505550101" },
 *   to: [{ phoneNumber: "+16505550199" }],
 *   text: "Hi",
 * });
 * equal(emulator.state.stats.messages, 1);
 * emulator.reset(); // the seed again: no message sent, no session
 * equal(emulator.state.stats.messages, 0);
 * ```
 */
export interface Emulator {
  /** In-process `fetch`: a dropped-connection fault rejects like a network failure. */
  fetch(input: RequestInfo | URL, init?: RequestInit): Promise<Response>;
  /**
   * Handler for `Deno.serve`: a dropped-connection fault breaks the response body.
   * It answers only requests whose `Host` is a loopback name.
   */
  handle(request: Request, info?: Deno.ServeHandlerInfo): Response | Promise<Response>;
  /**
   * Handler for `Deno.serve` of the media origin (`serve()` listens on the next port): the content of
   * recordings, which their `contentUri` names there, as RingCentral's names media.ringcentral.com.
   */
  handleMedia(request: Request, info?: Deno.ServeHandlerInfo): Response | Promise<Response>;
  /** The state (read it in tests; change it through the API). */
  readonly state: EmulatorState;
  /** JWT credentials of the admin user, for `new RingCentral(...)`. */
  readonly credentials: EmulatorCredentials;
  /** Password-grant credentials of the admin user. */
  readonly passwordCredentials: InProcessEmulator["passwordCredentials"];
  /** The public app that logs in with a browser (authorization code + PKCE). */
  readonly browserCredentials: InProcessEmulator["browserCredentials"];
  /** Approves the authorization request at `url` in process, as the consent page would; returns the redirect. */
  approve(url: string): Promise<string>;
  /** Emulated time in ms. */
  now(): number;
  /** Moves the emulated clock forward. */
  advance(seconds: number): void;
  /** Restores the seed state. */
  reset(): void;
  /**
   * Replaces the state with `state` (a saved world, loaded with `loadWorld()`): the emulator goes on from
   * there, its clock where the world's was.
   */
  restore(state: EmulatorState): void;
  /** What happens inside, as a feed (the dashboard shows it). */
  readonly activity: Activity;
  /** The `.env` lines that point a client at this emulator served at `server`. */
  envLines(server: string): string;
}

/** A room's secret for signing its JWTs: 32 random bytes. */
function randomSecret(): string {
  return base64url(crypto.getRandomValues(new Uint8Array(32)));
}

/** Whether a `Host` header names a loopback address (any port); a request without one is local too. */
function loopbackHost(host: string | null): boolean {
  if (host === null) return true;
  try {
    return isLoopbackHost(new URL(`http://${host}`).hostname);
  } catch {
    return false;
  }
}

/**
 * Answers one request served over HTTP: only for a loopback name (a web page
 * cannot reach it through DNS rebinding) unless `anyHost`; the WebSocket
 * gateway at its path; a dropped-connection fault as a broken body; an
 * emulator bug as RingCentral's 500.
 */
function handle(
  request: Request,
  info: Deno.ServeHandlerInfo | undefined,
  host: { anyHost: boolean; state: () => EmulatorState; now: () => number; dispatch: Dispatch; media?: boolean },
): Response | Promise<Response> {
  if (!host.anyHost && !loopbackHost(request.headers.get("host"))) {
    return apiError(403, {
      errorCode: "CMN-419",
      message: "The emulator answers only requests addressed to 127.0.0.1, localhost or [::1]",
    }).response;
  }
  if (!host.media && new URL(request.url).pathname === WS_PATH) {
    return openGateway(request, { state: host.state, now: host.now, dispatch: (r) => host.dispatch(r) });
  }
  // A client that hangs up ends a fault's delay. The signal is read only then: reading a served request's
  // signal makes Deno print a warning about its abort-on-success behaviour, which a delay does not mind.
  const remote = (info?.remoteAddr as Deno.NetAddr | undefined)?.hostname;
  const arrival = {
    remote,
    media: host.media,
    get signal() {
      return request.signal;
    },
  };
  return host.dispatch(request, arrival).catch((e: unknown): Response => {
    if (!(e instanceof DroppedConnection)) {
      console.error(`emulator: ${request.method} ${new URL(request.url).pathname}: ${(e as Error).message}`);
      return apiError(500, { errorCode: "CMN-500", message: "Internal emulator error" }).response;
    }
    // Deno.serve cannot close a socket mid-request; a body shorter than its Content-Length breaks it instead.
    const empty = new ReadableStream({ start: (c) => c.close() });
    return new Response(empty, { status: 200, headers: { "Content-Length": "1" } });
  });
}

/**
 * Creates an emulator with the seed account.
 *
 * @example Log in with the JWT grant
 * ```ts
 * import { createEmulator } from "./emulator.ts";
 * import { basicAuth, JWT_GRANT } from "../grants.ts";
 * import { equal } from "node:assert/strict";
 * const emulator = createEmulator();
 * const { server, clientId, clientSecret, jwt } = emulator.credentials;
 * const response = await emulator.fetch(`${server}/restapi/oauth/token`, {
 *   method: "POST",
 *   headers: { Authorization: basicAuth(clientId, clientSecret) },
 *   body: new URLSearchParams({ grant_type: JWT_GRANT, assertion: jwt }),
 * });
 * equal(response.status, 200);
 * ```
 */
export function createEmulator(options: EmulatorOptions = {}): Emulator {
  const permissions = (options.permissions ?? DEFAULT_PERMISSIONS)
    .filter((p) => !(p === "WebSocket" && options.webSocketPermission === false));
  const resolved: ResolvedOptions = {
    accessTtl: options.accessTtl ?? DEFAULT_ACCESS_TTL,
    refreshTtl: options.refreshTtl ?? DEFAULT_REFRESH_TTL,
    refreshGrace: options.refreshGrace ?? 10,
    rateLimits: options.rateLimits ?? true,
    rateWindow: options.rateWindow ?? 60,
    sessionLimit: options.sessionLimit ?? (options.room ? Infinity : 5),
    sendSeconds: 2,
    deliverSeconds: 3,
    autoApprove: options.autoApprove ?? false,
    webSocketPermission: options.webSocketPermission ?? permissions.includes("WebSocket"),
    ...(options.room ? { room: { key: options.room.key, secret: randomSecret() } } : {}),
    ...(options.save ? { save: options.save } : {}),
  };
  const realNow = options.now ?? Date.now;
  const server = (options.server ?? "http://emulator.local").replace(/\/+$/, "");
  const seeded = () => {
    const seed = seedState({ extensions: options.extensions, now: realNow(), permissions, calls: options.calls });
    return options.world ? options.world(seed) : seed; // a workshop check draws an account of its own
  };
  const now = () => realNow() + state.clockOffset;
  const activity = new Activity({ now, state: () => state });
  let state = attachClock(attachActivity(seeded(), activity), now);

  // Calls play out on the emulated clock: every request (and every move of the clock) runs the steps that are
  // due, and a timer wakes the emulator for the next one, so that events arrive while nobody asks.
  let timer: ReturnType<typeof setTimeout> | undefined;
  const tick = () => {
    const dues = [
      tickCalls(state, now()),
      tickMessages(state, now(), resolved), // a message that became Sent or Delivered: its event
      wakeDue(state), // webhook deliveries tried again on the emulated clock
    ].filter((t) => t !== undefined);
    const next = dues.length ? Math.min(...dues) : undefined;
    // Only when one is set: the first clearTimeout() of a process costs milliseconds (`deno task bench --only 4`).
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
    if (next === undefined) return;
    const wake = setTimeout(tick, Math.min(Math.max(0, next - now()), 1000));
    Deno.unrefTimer(wake); // a pending call never keeps a program alive
    timer = wake;
  };

  const reset = () => {
    state = attachClock(attachActivity(seeded(), activity), now);
    activity.publish({ kind: "reset", text: "reset: the seed account again" });
    tick();
  };

  const dispatch = observeRequests(
    createPipeline(ROUTES, { state: () => state, now, options: resolved, reset, tick }),
    { state: () => state },
  );

  const emulatorFetch = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const request = input instanceof Request && !init ? input : new Request(input, init);
    try {
      // In process, the media origin is the one named media.<host> (see mediaOriginOf()).
      return await dispatch(request, {
        signal: request.signal,
        media: new URL(request.url).hostname.startsWith("media."),
      });
    } catch (e) {
      if (e instanceof DroppedConnection) throw new TypeError(`error sending request: ${e.message}`, { cause: e });
      throw e;
    }
  };

  const credentials: EmulatorCredentials = {
    server,
    clientId: EMULATOR_CLIENT_ID,
    clientSecret: EMULATOR_CLIENT_SECRET,
    // a room signs its JWTs, and takes no other without the instructor's key
    jwt: emulatorJwt(extensionIdOf(101), undefined, resolved.room?.secret),
  };

  return {
    fetch: emulatorFetch,
    handle: (request, info) =>
      handle(request, info, { anyHost: options.anyHost ?? !!options.room, state: () => state, now, dispatch }),
    handleMedia: (request, info) =>
      handle(request, info, {
        anyHost: options.anyHost ?? !!options.room,
        state: () => state,
        now,
        dispatch,
        media: true,
      }),
    get state() {
      return state;
    },
    credentials,
    browserCredentials: { server, clientId: PUBLIC_CLIENT_ID },
    async approve(url: string): Promise<string> {
      const form = new URLSearchParams(new URL(url).searchParams);
      form.set("decision", "approve");
      const answer = await emulatorFetch(`${server}/restapi/oauth/authorize`, { method: "POST", body: form });
      const location = answer.headers.get("location");
      await answer.body?.cancel();
      if (!location) throw new Error(`The emulator did not approve (${answer.status})`);
      return location;
    },
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
      tick();
    },
    reset,
    restore(saved: EmulatorState) {
      state = attachClock(attachActivity(saved, activity), now);
      activity.publish({ kind: "restore", text: "a saved world was loaded" });
      tick(); // the calls it holds play on from where they were
    },
    activity,
    envLines(serverUrl: string): string {
      return [
        `RC_SERVER_URL=${serverUrl}`,
        `RC_CLIENT_ID=${EMULATOR_CLIENT_ID}`,
        `RC_CLIENT_SECRET=${EMULATOR_CLIENT_SECRET}`,
        `RC_JWT=${credentials.jwt}`,
        // a room refuses the password grant without the instructor's key: its lines would not work
        ...(resolved.room
          ? []
          : [`RC_USERNAME=${MAIN_NUMBER}`, `RC_PASSWORD=${EMULATOR_PASSWORD}`, `RC_EXTENSION=101`]),
      ].join("\n");
    },
  };
}
