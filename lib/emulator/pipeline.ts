/**
 * The emulator's request pipeline, in order: control → stats → fault →
 * route match (a stateful route, else the spec's operation, sampled) → auth
 * → app permission → rate limit → handler. Handlers and helpers
 * throw {@linkcode HttpError}s; every answer is counted once, at the exit.
 * @module
 */
import { unknownControl } from "./control.ts";
import type { Ctx, ResolvedOptions } from "./_context.ts";
import { DroppedConnection, faultResponse, takeFault } from "./faults.ts";
import { apiError, HttpError, json, readBody } from "./_http.ts";
import { authenticateRequest, authRateKey, bearerSession } from "./oauth.ts";
import { roomGate } from "./room.ts";
import { checkRate } from "./rate_limit.ts";
import { compileRoutes, type Params, type Route, type RouteMatch } from "./_router.ts";
import { requirePermission } from "./permissions.ts";
import { sampledRoute } from "./sampled.ts";
import type { EmulatorState, Fault } from "./state.ts";
import { delay } from "../async.ts";
import { parseJsonOrText } from "../bytes.ts";

/** What the pipeline reads from its emulator at every request. */
export interface PipelineHost {
  /** The current state (replaced by a reset). */
  state(): EmulatorState;
  /** Emulated time now, in ms. */
  now(): number;
  /** Settings. */
  options: ResolvedOptions;
  /** Restores the seed state. */
  reset(): void;
  /** Brings what runs on the emulated clock (calls) up to now; called before and after every request. */
  tick?(): void;
}

/** How one request came: `signal` aborts fault delays; `remote` is the address it came from, when served. */
export interface Arrival {
  /** Ends a fault's delay when the client hangs up. */
  signal?: AbortSignal;
  /** The client's address (a room's webhooks go back there only). */
  remote?: string;
  /** It came to the media origin, which serves content only (routes marked `media`). */
  media?: boolean;
}

/** Answers one request. */
export type Dispatch = (request: Request, arrival?: Arrival) => Promise<Response>;

/**
 * Builds the pipeline over a route table.
 *
 * @example
 * ```ts
 * import { createPipeline } from "./pipeline.ts";
 * import { ROUTES } from "./routes.ts";
 * import { seedState } from "./seed.ts";
 * import { equal } from "node:assert/strict";
 * const state = seedState({ now: Date.now() });
 * const options = { accessTtl: 3600, refreshTtl: 604800, refreshGrace: 10, rateLimits: true, rateWindow: 60, sessionLimit: 5, sendSeconds: 2, deliverSeconds: 3, autoApprove: false, webSocketPermission: true };
 * const dispatch = createPipeline(ROUTES, { state: () => state, now: Date.now, options, reset() {} });
 * const response = await dispatch(new Request("http://emulator.local/restapi/v1.0/account/~"));
 * equal(response.status, 401);
 * equal(state.stats.statuses["401"], 1);
 * ```
 */
export function createPipeline(routes: Route<Ctx>[], host: PipelineHost): Dispatch {
  const match = compileRoutes(routes);

  return async function dispatch(request: Request, arrival: Arrival = {}): Promise<Response> {
    host.tick?.();
    try {
      return await dispatchNow(request, arrival);
    } finally {
      host.tick?.(); // a clock moved by this request, or a step planned for now, runs before the answer leaves
    }
  };

  async function dispatchNow(request: Request, arrival: Arrival): Promise<Response> {
    const { remote, media } = arrival; // arrival.signal is read only for a delayed fault
    const url = new URL(request.url);
    const state = host.state();
    let bytes: Promise<Uint8Array> | undefined;
    const body = () => bytes ??= readBody(request);
    const text = () => body().then((b) => new TextDecoder().decode(b));
    const ctx: Ctx = {
      request,
      url,
      origin: url.origin,
      state,
      options: host.options,
      now: host.now(),
      body,
      form: () => text().then((t) => new URLSearchParams(t)),
      json: () => text().then((t) => parseJsonOrText(t)).then((v) => typeof v === "string" ? undefined : v),
      reset: host.reset,
      remote,
    };
    const found = match(request.method, url.pathname);
    // 0. The media origin serves content, nothing else.
    if (media && !found.route?.media) {
      return apiError(404, { errorCode: "AGW-404", message: "Resource not found" }).response;
    }
    // 1. Controls: not counted, not limited, never faulted, and never for a web page of another origin.
    if (found.route?.control || url.pathname.startsWith("/__emulator/")) {
      if (crossSite(request)) return crossSiteRefusal().response;
      if (!found.route?.control) return unknownControl().response;
      return await answer(() => {
        roomGate(ctx, found.route!); // in a room: the instructor's key, or an attendee for themselves
        return run(ctx, found.route!, found.params);
      });
    }
    // 2. Stats, 3. faults.
    state.stats.requests++;
    const fault = takeFault(state, request.method, url.pathname, bearerSession(ctx)?.extensionId);
    const response = fault
      ? await withFault(ctx, fault, arrival.signal, () => answer(() => routed(ctx, found))) // read only when needed
      : await answer(() => routed(ctx, found));
    const key = String(response.status);
    state.stats.statuses[key] = (state.stats.statuses[key] ?? 0) + 1;
    return response;
  }

  /** 4. Route match (a stateful route, else the spec's operation), 5. auth, 6. permission, 7. rate limit, 8. handler. */
  async function routed(ctx: Ctx, found: RouteMatch<Ctx>): Promise<Response> {
    const { request } = ctx;
    const { route, params, pathKnown } = found.route
      ? found
      : await sampledRoute(request.method, ctx.url.pathname, found.pathKnown);
    if (!route) {
      throw pathKnown
        ? apiError(405, { errorCode: "CMN-103", message: `Method [${request.method}] is not allowed` })
        : apiError(404, { errorCode: "AGW-404", message: "Resource not found" });
    }
    let rateKey: string;
    if (route.auth === false) {
      rateKey = await authRateKey(ctx);
    } else {
      ctx.session = authenticateRequest(ctx);
      rateKey = `${ctx.session.extensionId}:${ctx.session.clientId}`;
    }
    requirePermission(ctx, route.permission);
    const decision = route.group ? checkRate(ctx.state, rateKey, route.group, ctx.options, ctx.now) : undefined;
    if (decision?.limited) {
      throw apiError(429, { errorCode: "CMN-301", message: "Request rate exceeded" }, { headers: decision.headers });
    }
    const response = await run(ctx, route, params);
    for (const [k, v] of Object.entries(decision?.headers ?? {})) response.headers.set(k, v);
    return response;
  }

  async function run(ctx: Ctx, route: Route<Ctx>, params: Params): Promise<Response> {
    const result = await route.handler(ctx, params);
    return result instanceof Response ? result : json(result);
  }

  async function withFault(
    ctx: Ctx,
    fault: Fault,
    signal: AbortSignal | undefined,
    next: () => Promise<Response>,
  ): Promise<Response> {
    if (fault.delayMs !== undefined) {
      const d = fault.delayMs;
      await delay(Array.isArray(d) ? d[0] + Math.random() * (d[1] - d[0]) : d, signal);
      ctx.now = host.now();
    }
    if (fault.drop === "before") throw new DroppedConnection("before");
    if (fault.status !== undefined) return faultResponse(fault);
    const response = await next();
    if (fault.drop === "after") throw new DroppedConnection("after");
    return response;
  }
}

/** Runs `step`, turning a thrown {@linkcode HttpError} into its response. */
async function answer(step: () => Promise<Response>): Promise<Response> {
  try {
    return await step();
  } catch (e) {
    if (e instanceof HttpError) return e.response;
    throw e;
  }
}

/**
 * Whether a browser sent this from a page of another origin (a cross-site
 * form or script): the emulator's controls are for the user's own tools.
 */
function crossSite(request: Request): boolean {
  const site = request.headers.get("sec-fetch-site");
  if (site === "cross-site" || site === "same-site") return true;
  const origin = request.headers.get("origin");
  if (!origin) return false;
  try {
    return new URL(origin).host !== new URL(request.url).host;
  } catch {
    return true; // "null" and other opaque origins
  }
}

function crossSiteRefusal(): HttpError {
  return apiError(403, {
    errorCode: "CMN-419",
    message: "The emulator's control API does not answer web pages of other origins",
  });
}
