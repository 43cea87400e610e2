/**
 * Event subscriptions over RingCentral's WebSocket gateway: get a
 * `ws_access_token`, connect, wait for `ConnectionDetails`, create the
 * subscription with a `ClientRequest`, hand each `ServerNotification` for it
 * to the caller, send heartbeats, and when the socket drops, reconnect
 * (recovering the session with `wsc`, or subscribing again when recovery
 * fails). Used by {@linkcode RingCentral.subscribe}.
 * @module
 */
import { delay } from "./async.ts";
import { ApiError, NetworkError, RingCentralError, TimeoutError, usageError } from "./errors.ts";
import { apiErrorOf, serverText } from "./failures.ts";
import type { SecretSet } from "./redact.ts";

/**
 * One event, as RingCentral delivers it.
 *
 * @example An inbound SMS as an event
 * ```ts
 * import { RingCentral } from "../mod.ts";
 * import { serve } from "./emulator/mod.ts";
 * import type { EventNotification } from "../mod.ts";
 * import { equal } from "node:assert/strict";
 * await using served = serve();
 * const rc = new RingCentral(served.credentials);
 * await using sub = await rc.subscribe(["/restapi/v1.0/account/~/extension/~/message-store/instant?type=SMS"]);
 * await rc.request("POST", "/__emulator/inbound-sms", { body: { from: "+14155550123", text: "Hello" } });
 * for await (const event of sub) {
 *   const e: EventNotification = event;
 *   equal(e.body.subject, "Hello");
 *   break;
 * }
 * ```
 */
export interface EventNotification {
  /** Event id. */
  uuid: string;
  /** The event filter that matched, with `~` resolved. */
  event: string;
  /** When it happened (ISO 8601). */
  timestamp: string;
  /** The subscription it was delivered to. */
  subscriptionId: string;
  /** The extension that owns the subscription. */
  ownerId: string;
  /** The event's own body: for an instant SMS the message, for the message store its `changes`. */
  body: Record<string, unknown>;
}

/**
 * Options of {@linkcode RingCentral.subscribe}.
 *
 * @example Stop with a signal
 * ```ts
 * import { RingCentral } from "../mod.ts";
 * import { serve } from "./emulator/mod.ts";
 * import type { SubscribeOptions } from "../mod.ts";
 * import { equal } from "node:assert/strict";
 * await using served = serve();
 * const rc = new RingCentral(served.credentials);
 * const stop = new AbortController();
 * const options: SubscribeOptions = { signal: stop.signal, heartbeatSeconds: 30 };
 * const sub = await rc.subscribe(["/restapi/v1.0/account/~/extension/~/message-store"], undefined, options);
 * stop.abort(); // deletes the subscription and closes the socket
 * let events = 0;
 * for await (const _ of sub) events++;
 * equal(events, 0);
 * ```
 */
export interface SubscribeOptions {
  /** Ends the subscription when aborted. */
  signal?: AbortSignal;
  /** Seconds between heartbeats on an otherwise quiet socket. @default 60 */
  heartbeatSeconds?: number;
  /** Seconds to wait for the gateway's answers (connection, subscription). @default 10 */
  timeoutSeconds?: number;
  /** The WebSocket class to use (tests, other runtimes). @default globalThis.WebSocket */
  WebSocket?: typeof WebSocket;
  /** Told when the connection is lost and when it is back (`resubscribed` when a new subscription had to be made). */
  onReconnect?: (info: { attempt: number; resubscribed: boolean }) => void;
  /**
   * Told what went wrong after the subscription started (a reconnection attempt that failed, a frame
   * or an event of the wrong shape, an `onEvent` that threw or rejected: its error is the `cause`, a
   * subscription that could not be deleted); the subscription carries on. @default console.warn
   */
  onError?: (error: Error) => void;
}

/**
 * A live subscription; without an `onEvent` callback, iterate over it for the events.
 *
 * @example With a callback, closed when done
 * ```ts
 * import { RingCentral } from "../mod.ts";
 * import { serve } from "./emulator/mod.ts";
 * import type { EventNotification, EventSubscription } from "../mod.ts";
 * import { ok } from "node:assert/strict";
 * await using served = serve();
 * const rc = new RingCentral(served.credentials);
 * const { promise, resolve } = Promise.withResolvers<EventNotification>();
 * const sub: EventSubscription = await rc.subscribe(
 *   ["/restapi/v1.0/account/~/extension/~/message-store/instant?type=SMS"],
 *   resolve,
 * );
 * await rc.request("POST", "/__emulator/inbound-sms", { body: { from: "+14155550123", text: "Hi" } });
 * ok((await promise).body.from);
 * ok(sub.id);
 * await sub.close();
 * ```
 */
export interface EventSubscription extends AsyncIterable<EventNotification> {
  /** The subscription's id (it changes when the subscription has to be made again). */
  readonly id: string;
  /** Deletes the subscription and closes the socket. */
  close(): Promise<void>;
  /** `await using` support. */
  [Symbol.asyncDispose](): Promise<void>;
}

/** What a subscription needs from its client. */
export interface SubscribeHost {
  /** POSTs with the client's Bearer token (for `/restapi/oauth/wstoken`). */
  post(path: string): Promise<Response>;
  /** The client's secrets: the `ws_access_token` joins them. */
  secrets: SecretSet;
  /** The client's clock. */
  now: () => number;
  /**
   * For a client on an in-process emulator: serves it on loopback so that a
   * socket can reach its gateway (the gateway's `uri` is rewritten to it).
   */
  gateway?: () => { origin: string; close(): Promise<void> };
  /**
   * Where the client keeps its last `ws_access_token` as RingCentral gave it,
   * so that subscriptions started close together ask for one token between
   * them (`/restapi/oauth/wstoken` counts against the Auth group: five
   * requests a minute).
   */
  wsGrant?: { current?: WsGrant };
}

/** A `ws_access_token`, the gateway's `uri` and when to stop using it (the client's clock, ms). */
export interface WsGrant {
  /** The token. */
  token: string;
  /** The gateway's address, as RingCentral gave it. */
  uri: string;
  /** After this, a new token is asked for. */
  expires: number;
}

type Frame = [Record<string, unknown>, unknown?];
const SUBSCRIPTION = "/restapi/v1.0/subscription";
/** How many event ids a subscription remembers, to deliver each event once. */
const REMEMBERED_EVENTS = 1_000;
/** Heartbeats without an answer after which a socket counts as dead (half-open) and is reconnected. */
const MISSED_HEARTBEATS = 3;

/** Opens a WebSocket subscription; resolves once it is active. */
export async function subscribe(
  host: SubscribeHost,
  eventFilters: string[],
  onEvent: ((event: EventNotification) => void) | undefined,
  options: SubscribeOptions = {},
): Promise<EventSubscription> {
  if (!Array.isArray(eventFilters) || !eventFilters.length || eventFilters.some((f) => typeof f !== "string")) {
    throw usageError(
      "subscribe() takes a list of event filters, e.g. " +
        '["/restapi/v1.0/account/~/extension/~/message-store/instant?type=SMS"]',
    );
  }
  if (onEvent !== undefined && typeof onEvent !== "function") {
    const options = onEvent && typeof onEvent === "object"
      ? ": to give options without one, subscribe(filters, undefined, options)"
      : "";
    throw usageError(
      `subscribe(filters, onEvent, options): onEvent must be a function (or left out, to iterate over the events); got ${
        kind(onEvent)
      }${options}`,
    );
  }
  if (options === null || typeof options !== "object") {
    throw usageError(`subscribe(filters, onEvent, options): options must be an object; got ${kind(options)}`);
  }
  for (const name of ["onError", "onReconnect"] as const) {
    if (options[name] !== undefined && typeof options[name] !== "function") {
      throw usageError(`subscribe() options: ${name} must be a function; got ${kind(options[name])}`);
    }
  }
  const sub = new Live(host, eventFilters, onEvent, options);
  await sub.start();
  return sub;
}

/** What a wrong argument is, for a usage error: `a string`, `an object`, `null`. */
function kind(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  const type = typeof value;
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}

/** Whether `value` is an integer HTTP status a `Response` can carry (200 to 599). */
function isHttpStatus(value: unknown): value is number {
  return typeof value === "number" && Number.isInteger(value) && value >= 200 && value <= 599;
}

/** What is wrong with a `ServerNotification`'s body as an event, or `undefined` when it is one. */
function notAnEvent(body: unknown): string | undefined {
  if (!body || typeof body !== "object" || Array.isArray(body)) return "it has no event";
  const event = body as Record<string, unknown>;
  for (const key of ["uuid", "event", "subscriptionId"]) {
    if (typeof event[key] !== "string") return `its ${key} is not a string`;
  }
  if (!event.body || typeof event.body !== "object" || Array.isArray(event.body)) return "its body is not an object";
  return undefined;
}

class Live implements EventSubscription {
  id = "";
  #host: SubscribeHost;
  #filters: string[];
  #onEvent?: (event: EventNotification) => void;
  #options: SubscribeOptions;
  #socket?: WebSocket;
  #wsc?: string;
  #grant?: WsGrant;
  /** Whether the token in use was another subscription's. */
  #reused = false;
  #pending = new Map<string, (frame: Frame) => void>();
  #queue: EventNotification[] = [];
  #wake?: () => void;
  #closed = false;
  #heartbeat?: ReturnType<typeof setInterval>;
  #connecting?: Promise<void>;
  #started = false;
  #served?: { origin: string; close(): Promise<void> };
  /** Ids of the events delivered lately, oldest first. */
  #delivered = new Set<string>();
  /** Heartbeats sent on this socket since one was last answered. */
  #unanswered = 0;
  /** Events that arrive while a subscription is being made, before its id is known (at most a few). */
  #early?: EventNotification[];

  constructor(
    host: SubscribeHost,
    filters: string[],
    onEvent: ((event: EventNotification) => void) | undefined,
    options: SubscribeOptions,
  ) {
    this.#host = host;
    this.#filters = filters;
    this.#onEvent = onEvent;
    this.#options = options;
    options.signal?.addEventListener("abort", () => this.close(), { once: true });
  }

  async start(): Promise<void> {
    this.#options.signal?.throwIfAborted();
    try {
      let connected: { recovered: boolean };
      try {
        connected = await this.#connect();
      } catch (e) {
        if (!this.#reused) throw e;
        // Another subscription's token may not open a second connection: ask for one of its own, once.
        this.#socket?.close();
        if (this.#host.wsGrant) this.#host.wsGrant.current = undefined;
        this.#grant = undefined;
        connected = await this.#connect();
      }
      if (!connected.recovered) await this.#create();
    } catch (e) {
      await this.close();
      throw e;
    }
    this.#started = true;
    this.#heartbeat = setInterval(() => this.#beat(), (this.#options.heartbeatSeconds ?? 60) * 1000);
  }

  /** Sends a heartbeat; after {@linkcode MISSED_HEARTBEATS} without an answer the socket is dead: reconnect. */
  #beat(): void {
    if (this.#connecting || this.#socket?.readyState !== WebSocket.OPEN) return;
    if (this.#unanswered >= MISSED_HEARTBEATS) {
      this.#report(
        new NetworkError(`No answer to ${MISSED_HEARTBEATS} heartbeats: the connection is dead; reconnecting`, {
          method: "WS",
          path: SUBSCRIPTION,
        }),
      );
      const dead = this.#socket;
      this.#socket = undefined;
      dead.onclose = null;
      dead.close();
      this.#reconnect();
      return;
    }
    this.#unanswered++;
    this.#send([{ type: "Heartbeat", messageId: crypto.randomUUID() }]);
  }

  /**
   * A `ws_access_token`, reused until most of its lifetime has passed: this
   * subscription's own, or the client's last one while it is fresh.
   */
  async #token(): Promise<{ token: string; uri: string }> {
    if (this.#grant && this.#host.now() < this.#grant.expires) return this.#grant;
    const shared = this.#host.wsGrant?.current;
    this.#reused = shared !== undefined && this.#host.now() < shared.expires;
    const raw = this.#reused ? shared! : await this.#newToken();
    let uri = raw.uri;
    if (this.#host.gateway) {
      this.#served ??= this.#host.gateway();
      uri = new URL(new URL(uri).pathname, this.#served.origin).href;
    }
    this.#grant = { token: raw.token, uri, expires: raw.expires };
    return this.#grant;
  }

  /** Asks RingCentral for a `ws_access_token`; the client keeps it for its next subscriptions. */
  async #newToken(): Promise<WsGrant> {
    const r = await (await this.#host.post("/restapi/oauth/wstoken")).json().catch(() => undefined);
    // Parsed, so that what is used and printed is a URL (control characters percent-encoded), not raw text.
    const uri = typeof r?.uri === "string" && URL.canParse(r.uri) ? new URL(r.uri) : undefined;
    if (typeof r?.ws_access_token !== "string" || !uri || !/^wss?:$/.test(uri.protocol)) {
      throw new RingCentralError("The answer of POST /restapi/oauth/wstoken has no ws_access_token and WebSocket uri", {
        method: "POST",
        path: "/restapi/oauth/wstoken",
        hint: "Check RC_SERVER_URL: it must be RingCentral's API server (or an emulator's)",
      });
    }
    this.#host.secrets.add(r.ws_access_token);
    const life = Number(r.expires_in) > 0 ? Number(r.expires_in) : 60;
    uri.hash = ""; // a WebSocket URL may not have one
    const grant = { token: r.ws_access_token, uri: uri.href, expires: this.#host.now() + life * 800 };
    if (this.#host.wsGrant) this.#host.wsGrant.current = grant;
    return grant;
  }

  /** Connects and waits for `ConnectionDetails`; says whether the previous session was recovered. */
  async #connect(): Promise<{ recovered: boolean }> {
    const { token, uri } = await this.#token();
    const WS = this.#options.WebSocket ?? globalThis.WebSocket;
    const url = `${uri}?access_token=${token}${this.#wsc ? `&wsc=${encodeURIComponent(this.#wsc)}` : ""}`;
    const socket = new WS(url);
    this.#socket = socket;
    this.#unanswered = 0;
    const details = new Promise<Frame>((resolve, reject) => {
      this.#pending.set("ConnectionDetails", resolve);
      socket.onerror = (e) =>
        reject(
          new NetworkError(
            `Could not open the WebSocket to ${uri}: ${serverText((e as ErrorEvent).message ?? "connection failed")}`,
            {
              method: "WS",
              path: new URL(uri).pathname,
              hint: "Check the server is reachable and the app has the WebSocketsSubscription permission",
              redact: (t) => this.#host.secrets.redact(t),
            },
          ),
        );
    });
    socket.onmessage = (e) => this.#receive(String(e.data));
    socket.onclose = () => {
      if (socket === this.#socket && this.#started && !this.#closed) this.#reconnect();
    };
    const [meta, body] = await this.#within(details, "the gateway's ConnectionDetails");
    socket.onerror = null;
    this.#wsc = (meta.wsc as { token?: string } | undefined)?.token ?? this.#wsc;
    return { recovered: (body as { recoveryState?: string } | undefined)?.recoveryState === "Successful" };
  }

  async #create(): Promise<void> {
    this.#early = [];
    let answer: Frame;
    try {
      answer = await this.#request("POST", SUBSCRIPTION, {
        eventFilters: this.#filters,
        deliveryMode: { transportType: "WebSocket" },
      });
    } catch (e) {
      this.#early = undefined;
      throw e;
    }
    const [meta, body] = answer;
    try {
      await this.#made(meta, body);
    } finally {
      const early = this.#early?.splice(0) ?? [];
      this.#early = undefined;
      for (const event of early) this.#notified(event); // the gateway may send events before its answer is read
    }
  }

  /** Takes the subscription's id from the gateway's answer, or throws what is wrong with it. */
  async #made(meta: Record<string, unknown>, body: unknown): Promise<void> {
    if (!isHttpStatus(meta.status)) {
      const status = meta.status === undefined ? "none" : serverText(JSON.stringify(meta.status) ?? "").slice(0, 40);
      throw new RingCentralError(
        `The gateway's answer to POST ${SUBSCRIPTION} is malformed: its status (${status}) is not an HTTP status`,
        {
          method: "POST",
          path: SUBSCRIPTION,
          hint: "The WebSocket gateway is not RingCentral's (or misbehaves): check RC_SERVER_URL, then try again",
        },
      );
    }
    if (meta.status !== 200) {
      const headers = new Headers({ "content-type": "application/json" });
      const given = meta.headers && typeof meta.headers === "object" ? meta.headers as Record<string, unknown> : {};
      for (const [name, value] of Object.entries(given)) {
        try {
          if (typeof value === "string") headers.set(name, value);
        } catch { /* not a header (a line break in it, a bad name): left out */ }
      }
      const response = new Response(JSON.stringify(body ?? {}), { status: meta.status, headers });
      throw await apiErrorOf(response, {
        method: "POST",
        url: new URL(SUBSCRIPTION, "ws://gateway"),
        now: this.#host.now(),
        redact: (t) => this.#host.secrets.redact(t),
      });
    }
    const id = (body as { id?: unknown } | null | undefined)?.id;
    if (typeof id !== "string" && typeof id !== "number") {
      throw new ApiError({
        status: Number(meta.status),
        message: `The gateway's answer to POST ${SUBSCRIPTION} holds no subscription id`,
        method: "POST",
        path: SUBSCRIPTION,
        body,
        hint: "The WebSocket gateway answered without a subscription: try again, or check RC_SERVER_URL",
      });
    }
    this.id = String(id);
  }

  /** Sends a `ClientRequest` over the socket and waits for its answer. */
  #request(method: string, path: string, body?: unknown): Promise<Frame> {
    const messageId = crypto.randomUUID();
    const answer = new Promise<Frame>((resolve) => this.#pending.set(messageId, resolve));
    this.#send([
      { type: "ClientRequest", messageId, method, path, headers: { "Content-Type": "application/json" } },
      body,
    ]);
    return this.#within(answer, `the answer to ${method} ${path}`);
  }

  #within<T>(promise: Promise<T>, what: string): Promise<T> {
    const seconds = this.#options.timeoutSeconds ?? 10;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() =>
        reject(
          new TimeoutError(`No ${what} within ${seconds} s`, {
            method: "WS",
            path: SUBSCRIPTION,
            hint: "The WebSocket gateway did not answer: check the server and try again",
          }),
        ), seconds * 1000);
    });
    return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
  }

  #send(frame: unknown[]): void {
    if (this.#socket?.readyState === WebSocket.OPEN) this.#socket.send(JSON.stringify(frame));
  }

  /** One frame from the gateway: an answer, a heartbeat's answer, or an event; anything else is reported and ignored. */
  #receive(data: string): void {
    let frame: unknown;
    try {
      frame = JSON.parse(data);
    } catch {
      frame = undefined;
    }
    const meta = Array.isArray(frame) ? frame[0] : undefined;
    const body = Array.isArray(frame) ? frame[1] : undefined;
    if (!meta || typeof meta !== "object" || typeof meta.type !== "string") {
      return this.#ignore(`it is not a [meta, body] array (${serverText(data.slice(0, 200)).slice(0, 40)})`);
    }
    if (meta.type === "Heartbeat") {
      this.#unanswered = 0;
    } else if (meta.type === "ConnectionDetails") {
      this.#pending.get("ConnectionDetails")?.(frame as Frame);
      this.#pending.delete("ConnectionDetails");
    } else if (meta.type === "ClientRequest" && this.#pending.has(String(meta.messageId))) {
      this.#pending.get(String(meta.messageId))!(frame as Frame);
      this.#pending.delete(String(meta.messageId));
    } else if (meta.type === "ServerNotification") {
      this.#notified(body);
    } else if (meta.type === "Error") {
      this.#report(
        new RingCentralError(
          `The WebSocket gateway reported an error: ${serverText(JSON.stringify(body ?? meta)).slice(0, 200)}`,
          {
            method: "WS",
            path: SUBSCRIPTION,
          },
        ),
      );
    }
    this.#unanswered = 0; // any frame shows the socket is alive
  }

  /** An event: delivered once per `uuid`, and only for this subscription (as the official SDKs do). */
  #notified(body: unknown): void {
    const wrong = notAnEvent(body);
    if (wrong) return this.#ignore(`a ServerNotification that is not an event: ${wrong}`);
    const event = body as EventNotification;
    if (event.subscriptionId !== this.id) {
      if (this.#early && this.#early.length < 100) this.#early.push(event); // perhaps the subscription being made
      return;
    }
    if (this.#delivered.has(event.uuid)) return; // the gateway sent it again
    this.#delivered.add(event.uuid);
    if (this.#delivered.size > REMEMBERED_EVENTS) this.#delivered.delete(this.#delivered.values().next().value!);
    if (this.#onEvent) return this.#deliver(this.#onEvent, event);
    this.#queue.push(event); // for the iterator
    this.#wake?.();
  }

  /** Calls the user's `onEvent`; what it throws (or its promise rejects with) goes to `onError`. */
  #deliver(onEvent: (event: EventNotification) => unknown, event: EventNotification): void {
    const failed = (e: unknown) =>
      this.#report(
        new RingCentralError(
          `The onEvent callback failed on event ${serverText(event.uuid)} (${serverText(event.event)}): ${
            (e as Error)?.message ?? e
          }; the subscription goes on`,
          { cause: e },
        ),
      );
    try {
      const result = onEvent(event);
      if (result instanceof Promise) result.catch(failed);
    } catch (e) {
      failed(e);
    }
  }

  #ignore(what: string): void {
    this.#report(
      new RingCentralError(`Ignored a frame from the WebSocket gateway: ${what}`, { method: "WS", path: SUBSCRIPTION }),
    );
  }

  /** After a drop: reconnect with growing pauses, recover or subscribe again. */
  #reconnect(): void {
    if (this.#connecting) return;
    this.#connecting = (async () => {
      for (let attempt = 1; !this.#closed; attempt++) {
        try {
          const { recovered } = await this.#connect();
          if (!recovered) await this.#create();
          this.#tell(() => this.#options.onReconnect?.({ attempt, resubscribed: !recovered }));
          return;
        } catch (e) {
          // A token the gateway refuses (expired on its clock) is not tried again, by this subscription or another.
          if (this.#host.wsGrant?.current?.token === this.#grant?.token) this.#host.wsGrant!.current = undefined;
          this.#grant = undefined;
          this.#report(e);
          const pause = Math.min(30_000, 250 * 2 ** attempt);
          await delay(pause, this.#options.signal).catch(() => undefined); // aborted: the loop ends as closed
        }
      }
    })().finally(() => (this.#connecting = undefined));
  }

  #report(e: unknown): void {
    const error = e instanceof Error ? e : new Error(String(e));
    const onError = this.#options.onError;
    if (!onError) return console.warn(`Warning: ${error.message}`);
    this.#tell(() => onError(error));
  }

  /** Calls a callback of the user's (onError, onReconnect): what it throws is printed as a warning, not thrown here. */
  #tell(callback: () => void): void {
    try {
      callback();
    } catch (e) {
      console.warn(`Warning: a subscription callback threw: ${(e as Error)?.message ?? e}`);
    }
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    clearInterval(this.#heartbeat);
    if (this.id && this.#socket?.readyState === WebSocket.OPEN) {
      await this.#request("DELETE", `${SUBSCRIPTION}/${this.id}`).catch((e) => this.#report(e));
    }
    const socket = this.#socket;
    if (socket && socket.readyState !== WebSocket.CLOSED) {
      const closed = new Promise((resolve) => socket.addEventListener("close", resolve, { once: true }));
      socket.close();
      await closed;
    }
    await this.#served?.close();
    this.#wake?.();
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  async *[Symbol.asyncIterator](): AsyncIterator<EventNotification> {
    for (;;) {
      const next = this.#queue.shift();
      if (next) {
        yield next;
        continue;
      }
      if (this.#closed) return;
      await new Promise<void>((resolve) => (this.#wake = resolve));
    }
  }
}
