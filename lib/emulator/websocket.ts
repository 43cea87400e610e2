/**
 * The emulator's WebSocket gateway: `POST /restapi/oauth/wstoken` hands out a
 * short-lived token and the socket's URI; the socket (`/ws?access_token=…`)
 * speaks RingCentral's frames, each a JSON array `[meta, body]`:
 * `ConnectionDetails` first and unprompted, `ClientRequest`s answered with
 * the same `type` and `messageId` (REST over the socket, which is how a
 * WebSocket subscription is created), `ServerNotification`s for events, and
 * `Heartbeat`s echoed.
 * @module
 */
import type { Ctx } from "./_context.ts";
import { apiError, type JsonBody } from "./_http.ts";
import type { Route } from "./_router.ts";
import type { EmulatorState, GatewayConnection, OAuthSession, SocketLink } from "./state.ts";

/** Lifetime of a `ws_access_token`, in seconds. */
const WS_TOKEN_TTL = 60;
/** The socket's path. */
export const WS_PATH = "/ws";

/** Notifications kept for a lost connection; seconds it may take to come back. */
const RECOVERY_BUFFER = 100;
const RECOVERY_TIMEOUT = 180;

/**
 * The socket a REST request came over, if it came over one: subscriptions
 * created with `transportType: "WebSocket"` bind to it.
 */
export const socketOfRequest: WeakMap<Request, SocketLink> = new WeakMap();

/** `POST /restapi/oauth/wstoken`: a single-connection token for the caller's session. */
function wsToken(ctx: Ctx): JsonBody {
  if (!ctx.options.webSocketPermission) {
    throw apiError(403, {
      errorCode: "SUB-528",
      message: "In order to call this API endpoint, application needs to have [WebSocketsSubscription] permission",
    });
  }
  const token = `ws-${crypto.randomUUID().replaceAll("-", "")}`;
  ctx.state.wsTokens.set(token, { sessionId: ctx.session!.id, expires: ctx.now + WS_TOKEN_TTL * 1000 });
  const ws = new URL(WS_PATH, ctx.origin);
  ws.protocol = ws.protocol === "https:" ? "wss:" : "ws:";
  return { ws_access_token: token, uri: ws.href, expires_in: WS_TOKEN_TTL };
}

/** The wstoken route. */
export const websocketRoutes: Route<Ctx>[] = [
  { method: "POST", pattern: "/restapi/oauth/wstoken", group: "Auth", handler: wsToken },
];

/** What the gateway needs from the emulator around it. */
export interface GatewayHost {
  /** The current state. */
  state(): EmulatorState;
  /** The emulated time. */
  now(): number;
  /** Runs a REST request through the emulator's pipeline. */
  dispatch(request: Request): Response | Promise<Response>;
}

/**
 * Answers a request for the socket: checks the `access_token`, upgrades the
 * connection and runs the gateway on it. A request that cannot be upgraded
 * gets RingCentral's error body.
 */
export function openGateway(request: Request, host: GatewayHost): Response {
  const url = new URL(request.url);
  const token = url.searchParams.get("access_token") ?? "";
  const state = host.state();
  const grant = state.wsTokens.get(token);
  const session = grant && grant.expires > host.now() ? state.sessions.get(grant.sessionId) : undefined;
  if (!session || session.revoked) {
    return apiError(401, {
      errorCode: "WSG-401",
      message:
        "The access_token of the WebSocket URL is missing, unknown or expired: get one from /restapi/oauth/wstoken",
    }).response;
  }
  if (request.headers.get("upgrade")?.toLowerCase() !== "websocket") {
    return apiError(426, { errorCode: "WSG-426", message: "Connect to this address with a WebSocket" }).response;
  }
  const { socket, response } = Deno.upgradeWebSocket(request);
  const link = attach(state, socket, session, url.searchParams.get("wsc"), host.now());
  runGateway(socket, link, session, url.origin.replace(/^ws/, "http"), host);
  return response;
}

/**
 * The gateway session for a new socket: the one `wsc` names when it can be
 * recovered (same OAuth session, lost less than 180 s ago, not dropped as
 * unrecoverable), else a new one, the old one's subscription deleted.
 */
function attach(
  state: EmulatorState,
  socket: WebSocket,
  session: OAuthSession,
  wsc: string | null,
  now: number,
): { link: GatewayConnection; recovery?: "Successful" | "Failed" } {
  const old = wsc ? state.gateway.get(wsc) : undefined;
  if (
    old && old.sessionId === session.id && !old.unrecoverable && old.droppedAt !== undefined &&
    now - old.droppedAt <= RECOVERY_TIMEOUT * 1000
  ) {
    old.socket = socket;
    old.droppedAt = undefined;
    old.connectedAt = old.activeAt = now;
    return { link: old, recovery: "Successful" };
  }
  if (old) {
    if (old.subscriptionId) state.subscriptions.delete(old.subscriptionId);
    state.gateway.delete(old.id);
  }
  const link: GatewayConnection = {
    id: crypto.randomUUID().replaceAll("-", ""),
    sessionId: session.id,
    socket,
    sequence: 0,
    missed: [],
    connectedAt: now,
    activeAt: now,
    notify(notification) {
      if (link.socket?.readyState === WebSocket.OPEN) {
        link.socket.send(JSON.stringify([{
          type: "ServerNotification",
          messageId: crypto.randomUUID(),
          status: 200,
          headers: { RCRequestId: crypto.randomUUID() },
          wsc: { token: link.id, sequence: ++link.sequence },
        }, notification]));
        return true;
      }
      if (link.missed.length < RECOVERY_BUFFER) link.missed.push(notification);
      return false;
    },
  };
  state.gateway.set(link.id, link);
  return { link, recovery: wsc ? "Failed" : undefined };
}

/** Seconds a socket may stay silent, and live at all, before the gateway closes it. */
const IDLE_TIMEOUT = 1800;
const ABSOLUTE_TIMEOUT = 86_400;

/**
 * Closes the sockets whose idle (30 min without a frame from the client) or
 * absolute (24 h) timeout has passed at `now`, as RingCentral's gateway does;
 * their sessions can be recovered. Returns how many.
 */
export function expireSockets(state: EmulatorState, now: number): number {
  return closeSockets(
    state,
    now,
    (link) =>
      now - link.connectedAt >= ABSOLUTE_TIMEOUT * 1000
        ? [1000, "Absolute timeout"]
        : now - link.activeAt >= IDLE_TIMEOUT * 1000
        ? [1000, "Idle timeout"]
        : undefined,
  );
}
/**
 * Closes every open socket, as a network failure would: the sessions can be
 * recovered with `wsc`, unless `recoverable` is false. Returns how many.
 */
export function dropSockets(state: EmulatorState, now: number, recoverable = true): number {
  return closeSockets(state, now, (link) => {
    link.unrecoverable = !recoverable;
    return [1011, "Dropped by the emulator"];
  });
}

/**
 * Closes the open sockets for which `why` gives a close code and reason;
 * their sessions count as lost at `now` (recoverable unless marked). Returns
 * how many.
 */
function closeSockets(
  state: EmulatorState,
  now: number,
  why: (link: GatewayConnection) => [number, string] | undefined,
): number {
  let n = 0;
  for (const link of state.gateway.values()) {
    if (link.socket?.readyState !== WebSocket.OPEN) continue;
    const close = why(link);
    if (!close) continue;
    link.socket.close(...close);
    link.socket = undefined;
    link.droppedAt = now;
    n++;
  }
  return n;
}
/** Runs one gateway socket: its greeting, heartbeats, and each `ClientRequest` through the emulator's pipeline. */
function runGateway(
  socket: WebSocket,
  { link, recovery }: ReturnType<typeof attach>,
  session: OAuthSession,
  origin: string,
  host: GatewayHost,
): void {
  const send = (meta: Record<string, unknown>, body?: unknown): boolean => {
    if (socket.readyState !== WebSocket.OPEN) return false;
    socket.send(JSON.stringify(body === undefined ? [meta] : [meta, body]));
    return true;
  };
  socket.onopen = () => {
    send(...connectionDetails(link, recovery, host.now()));
    for (const missed of link.missed.splice(0)) link.notify(missed);
  };
  socket.onclose = () => {
    if (link.socket !== socket) return;
    link.socket = undefined;
    link.droppedAt = host.now();
  };
  socket.onmessage = async (event) => {
    link.activeAt = host.now();
    let frame: unknown;
    try {
      frame = JSON.parse(String(event.data));
    } catch {
      frame = undefined;
    }
    const [meta, body] = Array.isArray(frame) ? frame : [];
    const { type, messageId } = (meta ?? {}) as { type?: unknown; messageId?: unknown };
    if (type === "Heartbeat") {
      send({ type: "Heartbeat", messageId, status: 200 });
      return;
    }
    if (type !== "ClientRequest") {
      send({ type: "Error", messageId, status: 400 }, {
        errorCode: "WSG-400",
        message: 'A frame is a JSON array [meta, body] whose meta has type "ClientRequest" or "Heartbeat"',
      });
      return;
    }
    send(...await clientRequest(meta, body, { link, session, origin, host }));
  };
}

/** The gateway's first frame: the session's token for recovery, its limits, and whether it recovered. */
function connectionDetails(
  link: GatewayConnection,
  recovery: "Successful" | "Failed" | undefined,
  now: number,
): [Record<string, unknown>, unknown] {
  return [{
    type: "ConnectionDetails",
    messageId: crypto.randomUUID(),
    status: 200,
    headers: { RCRequestId: crypto.randomUUID() },
    wsc: { token: link.id, sequence: ++link.sequence },
  }, {
    creationTime: new Date(now).toISOString(),
    maxConnectionsPerSession: 5,
    recoveryBufferSize: RECOVERY_BUFFER,
    recoveryTimeout: RECOVERY_TIMEOUT,
    idleTimeout: IDLE_TIMEOUT,
    absoluteTimeout: ABSOLUTE_TIMEOUT,
    maxActiveRequests: 10,
    ...(recovery ? { recoveryState: recovery } : {}),
    ...(recovery === "Failed" ? { recoveryErrorCode: "WSG-410" } : {}),
  }];
}

/** A `ClientRequest` frame answered: the request sent through the pipeline with the session's token. */
async function clientRequest(
  meta: Record<string, unknown>,
  body: unknown,
  { link, session, origin, host }: {
    link: GatewayConnection;
    session: OAuthSession;
    origin: string;
    host: GatewayHost;
  },
): Promise<[Record<string, unknown>, unknown]> {
  const { messageId, method = "GET", path = "", headers = {} } = meta as {
    messageId?: unknown;
    method?: string;
    path?: string;
    headers?: Record<string, string>;
  };
  if (URL.parse(path, origin)?.pathname.startsWith("/__emulator/")) {
    // The controls are for the user's own tools over HTTP, never for whoever holds a socket.
    return [{ type: "ClientRequest", messageId, status: 403 }, {
      errorCode: "CMN-419",
      message: "The emulator's control API is not served over the WebSocket gateway",
    }];
  }
  try {
    const request = new Request(new URL(path, origin), {
      method,
      headers: { ...headers, Authorization: `Bearer ${currentAccess(host, session)}` },
      body: body === undefined || method === "GET" || method === "DELETE" ? undefined : JSON.stringify(body),
    });
    socketOfRequest.set(request, link);
    const response = await host.dispatch(request);
    const text = await response.text();
    let parsed: unknown = text || undefined;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch { /* not JSON: sent as a string */ }
    return [
      { type: "ClientRequest", messageId, status: response.status, headers: Object.fromEntries(response.headers) },
      parsed,
    ];
  } catch (e) {
    return [{ type: "ClientRequest", messageId, status: 400 }, {
      errorCode: "WSG-400",
      message: `The ClientRequest could not be run (${(e as Error).message}): give method, a path such as ` +
        "/restapi/v1.0/subscription, and a JSON body",
    }];
  }
}

/** The session's access token as it is now (refreshes rotate it). */
function currentAccess(host: GatewayHost, session: OAuthSession): string {
  return host.state().sessions.get(session.id)?.access ?? session.access;
}
