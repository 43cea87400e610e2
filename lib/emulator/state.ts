/**
 * The emulator's state: one plain object holding the seed account, its
 * extensions, phone numbers, messages, apps, OAuth sessions, statistics,
 * rate-limit windows and queued faults.
 * @module
 */

/**
 * An extension of the emulated account.
 *
 * @example The seed users
 * ```ts
 * import { RingCentral } from "../../mod.ts";
 * import { createEmulator } from "./mod.ts";
 * import { equal } from "node:assert/strict";
 * import type { Extension } from "./mod.ts";
 * const emulator = createEmulator();
 * const rc = new RingCentral({ ...emulator.credentials, fetch: emulator.fetch });
 * const users: Extension[] = emulator.state.extensions.filter((e) => e.type === "User" && e.status === "Enabled");
 * equal(users.length, 14);
 * equal(users.find((e) => e.jobTitle === "Sales Manager")?.department, "Sales");
 * ```
 */
export interface Extension {
  /** Numeric id. */
  id: number;
  /** Short number such as `101`. */
  extensionNumber?: string;
  /** Display name. */
  name: string;
  /** `User`, `Department`, `Announcement`, ... */
  type: string;
  /** `Enabled`, `Disabled`, `NotActivated`, ... */
  status: string;
  /** First name, for users. */
  firstName?: string;
  /** Last name, for users. */
  lastName?: string;
  /** Email, also a login name. */
  email?: string;
  /** Job title. */
  jobTitle?: string;
  /** Department name, for users (`contact.department`). */
  department?: string;
  /** Whether the user is an account admin. */
  admin?: boolean;
  /** Creation time, ISO. */
  creationTime: string;
}

/**
 * A phone number assigned to an extension.
 *
 * @example The admin's numbers that can send SMS
 * ```ts
 * import { RingCentral } from "../../mod.ts";
 * import { createEmulator } from "./mod.ts";
 * import { equal } from "node:assert/strict";
 * const emulator = createEmulator();
 * const rc = new RingCentral({ ...emulator.credentials, fetch: emulator.fetch });
 * const me = emulator.state.extensions[0];
 * const senders = emulator.state.phoneNumbers.filter((p) => p.extensionId === me.id && p.features.includes("SmsSender"));
 * equal(senders.map((p) => p.phoneNumber).join(), "+16505550101,+18005550111");
 * ```
 */
export interface PhoneNumber {
  /** Numeric id. */
  id: number;
  /** E.164 number. */
  phoneNumber: string;
  /** Owner extension id. */
  extensionId: number;
  /** `Local` or `TollFree`. */
  paymentType: string;
  /** Place name. */
  location: string;
  /** `VoiceFax`, `VoiceOnly` or `FaxOnly`. */
  type: string;
  /** `DirectNumber`, `MainCompanyNumber`, ... */
  usageType: string;
  /** Capabilities such as `SmsSender`. */
  features: string[];
  /** Whether it is the extension's primary number. */
  primary: boolean;
}

/**
 * A participant of a message.
 *
 * @example The recipient of a sent SMS
 * ```ts
 * import { RingCentral } from "../../mod.ts";
 * import { createEmulator } from "./mod.ts";
 * import { equal } from "node:assert/strict";
 * import type { Party } from "./mod.ts";
 * const emulator = createEmulator();
 * const rc = new RingCentral({ ...emulator.credentials, fetch: emulator.fetch });
 * await rc.post("/restapi/v1.0/account/~/extension/~/sms", {
 *   from: { phoneNumber: "+16505550101" },
 *   to: [{ phoneNumber: "+16505550199" }],
 *   text: "Hi",
 * });
 * const to: Party = emulator.state.messages.at(-1)!.to[0];
 * equal(to.phoneNumber, "+16505550199");
 * ```
 */
export interface Party {
  /** E.164 number. */
  phoneNumber: string;
  /** Name, when known. */
  name?: string;
  /** Location, when known. */
  location?: string;
  /** Extension id (a string in RingCentral's bodies), for internal parties. */
  extensionId?: string;
}

/**
 * An SMS in the message store.
 *
 * @example What was sent
 * ```ts
 * import { RingCentral } from "../../mod.ts";
 * import { createEmulator } from "./mod.ts";
 * import { equal } from "node:assert/strict";
 * import type { Message } from "./mod.ts";
 * const emulator = createEmulator();
 * const rc = new RingCentral({ ...emulator.credentials, fetch: emulator.fetch });
 * await rc.post("/restapi/v1.0/account/~/extension/~/sms", {
 *   from: { phoneNumber: "+16505550101" },
 *   to: [{ phoneNumber: "+16505550199" }],
 *   text: "Hi",
 * });
 * const m: Message = emulator.state.messages.at(-1)!;
 * equal(m.direction, "Outbound");
 * equal(m.text, "Hi");
 * ```
 */
export interface Message {
  /** Numeric id. */
  id: number;
  /** Owner extension id. */
  extensionId: number;
  /** `Inbound` or `Outbound`. */
  direction: "Inbound" | "Outbound";
  /** Sender. */
  from: Party;
  /** Recipients. */
  to: Party[];
  /** Text. */
  text: string;
  /** Conversation id. */
  conversationId: string;
  /** Creation time in emulated milliseconds. */
  created: number;
  /** `Read` or `Unread`. */
  readStatus: "Read" | "Unread";
  /** When set, the message fails with this delivery error code. */
  failCode?: string;
  /** `SMS` (an MMS too: RingCentral keeps the type) or `Fax`. */
  type: "SMS" | "Fax";
  /** Its files: an MMS's pictures, a fax's documents, kept byte for byte. */
  attachments: StoredAttachment[];
  /** A fax's settings and pages. */
  fax?: FaxDetails;
  /** When it was deleted (emulated ms): `availability: "Deleted"`, until it is deleted again (purged). */
  deleted?: number;
  /** When it was purged (emulated ms): only its id stays, for an incremental sync to report. */
  purged?: number;
  /** When it last changed other than by its lifecycle (read status, deletion), in emulated ms. */
  modified?: number;
}

/**
 * A file of a message (an MMS picture, a fax document), served back as it
 * came at its URI on the media origin.
 *
 * @example An MMS picture, kept as sent
 * ```ts
 * import { RingCentral, withFiles } from "../../mod.ts";
 * import { createEmulator, type StoredAttachment } from "./mod.ts";
 * import { equal } from "node:assert/strict";
 * const emulator = createEmulator();
 * const rc = new RingCentral({ ...emulator.credentials, fetch: emulator.fetch });
 * const picture = new File([new Uint8Array([137, 80, 78, 71])], "dot.png", { type: "image/png" });
 * await rc.post("/restapi/v1.0/account/~/extension/~/mms", withFiles({
 *   from: { phoneNumber: "+16505550101" },
 *   to: [{ phoneNumber: "+16505550199" }],
 * }, [picture]));
 * const stored: StoredAttachment = emulator.state.messages.at(-1)!.attachments[0];
 * equal(stored.size, 4);
 * equal(stored.fileName, "dot.png");
 * ```
 */
export interface StoredAttachment {
  /** Numeric id (the last segment of its URI). */
  id: number;
  /** `MmsAttachment`; for a fax `RenderedDocument` (a PDF) or `SourceDocument` (any other file). @default MmsAttachment */
  type?: "MmsAttachment" | "RenderedDocument" | "SourceDocument";
  /** Its media type, such as `image/png`. */
  contentType: string;
  /** Bytes. */
  size: number;
  /** The file name it was sent with. */
  fileName?: string;
  /** The bytes. */
  data: Uint8Array<ArrayBuffer>;
}

/**
 * A fax's settings, its pages, and when it goes out.
 *
 * @example A fax of one page with no cover page
 * ```ts
 * import { RingCentral, withFiles } from "../../mod.ts";
 * import { createEmulator, type FaxDetails } from "./mod.ts";
 * import { equal } from "node:assert/strict";
 * const emulator = createEmulator();
 * const rc = new RingCentral({ ...emulator.credentials, fetch: emulator.fetch });
 * const page = new File(["Hello"], "note.txt", { type: "text/plain" });
 * await rc.post("/restapi/v1.0/account/~/extension/~/fax", withFiles({
 *   to: [{ phoneNumber: "+14155550123" }],
 *   coverIndex: 0,
 * }, [page]));
 * const fax: FaxDetails = emulator.state.messages.at(-1)!.fax!;
 * equal(fax.pageCount, 1);
 * equal(fax.resolution, "Low");
 * ```
 */
export interface FaxDetails {
  /** `High` or `Low`. */
  resolution: "High" | "Low";
  /** Pages, the cover page included. */
  pageCount: number;
  /** The cover page (0: none). */
  coverIndex: number;
  /** The text printed on the cover page. */
  coverPageText?: string;
  /** When it starts to go out (emulated ms): its `sendTime`, or when it was sent. */
  sendAt: number;
  /** Seconds it takes to go out, once it starts (more pages take longer). */
  seconds: number;
  /** Why it failed, when it fails (a `faxErrorCode`, such as `InvalidNumber`). */
  failReason?: string;
}

/**
 * A registered app.
 *
 * @example The grants each app allows
 * ```ts
 * import { RingCentral } from "../../mod.ts";
 * import { createEmulator } from "./mod.ts";
 * import { equal } from "node:assert/strict";
 * import type { App } from "./mod.ts";
 * const emulator = createEmulator();
 * const rc = new RingCentral({ ...emulator.credentials, fetch: emulator.fetch });
 * const grants = Object.fromEntries(emulator.state.apps.map((a: App) => [a.name, a.grants.length]));
 * equal(grants["JWT-only App"], 2);
 * ```
 */
export interface App {
  /** Client id. */
  clientId: string;
  /** Client secret; absent for public (PKCE) apps. */
  clientSecret?: string;
  /** App name. */
  name: string;
  /** Grant types the app may use. */
  grants: string[];
  /** Its app permissions (`x-app-permission` names, such as `ReadAccounts`); its tokens carry them as their scope. */
  permissions: string[];
  /**
   * Registered redirect URIs. A loopback one without a port (`http://127.0.0.1/oauth2callback`)
   * accepts any port, as RFC 8252 §7.3 asks; any other must match exactly.
   */
  redirectUris?: string[];
}

/**
 * A queued fault (see `POST /__emulator/faults`).
 *
 * @example A queued fault
 * ```ts
 * import { RingCentral } from "../../mod.ts";
 * import { createEmulator } from "./mod.ts";
 * import { equal } from "node:assert/strict";
 * import type { Fault } from "./mod.ts";
 * const emulator = createEmulator();
 * const rc = new RingCentral({ ...emulator.credentials, fetch: emulator.fetch });
 * await rc.request("POST", "/__emulator/faults", { body: { path: "/restapi/v1.0/account/~", status: 503, times: 2 } });
 * const fault: Fault = emulator.state.faults[0];
 * equal(fault.times, 2);
 * ```
 */
export interface Fault {
  /** Path as sent, `~` included. */
  path: string;
  /** Method; any when absent. */
  method?: string;
  /** Status to answer with. */
  status?: number;
  /** Body of that answer. */
  body?: unknown;
  /** `Retry-After` seconds. */
  retryAfter?: number;
  /** Delay in ms, or `[min, max]`. */
  delayMs?: number | [number, number];
  /** Drop the connection before or after processing. */
  drop?: "before" | "after";
  /** How many more requests it applies to. */
  times: number;
  /** Only requests of this extension (an attendee's own fault in a room); any when absent. */
  extensionId?: number;
}

/**
 * Counters reported by `GET /__emulator/stats`.
 *
 * @example What happened, counted
 * ```ts
 * import { RingCentral } from "../../mod.ts";
 * import { createEmulator } from "./mod.ts";
 * import { equal } from "node:assert/strict";
 * import type { Stats } from "./mod.ts";
 * const emulator = createEmulator();
 * const rc = new RingCentral({ ...emulator.credentials, fetch: emulator.fetch });
 * await rc.get("/restapi/v1.0/account/~");
 * const stats: Stats = emulator.state.stats;
 * equal(stats.grants["urn:ietf:params:oauth:grant-type:jwt-bearer"].ok, 1);
 * equal(stats.statuses["200"], 2); // the token, then the account
 * ```
 */
export interface Stats {
  /** Token requests by grant type as sent. */
  grants: Record<string, { ok: number; failed: number }>;
  /** SMS, MMS and faxes accepted. */
  messages: number;
  /** Every request, controls excluded. */
  requests: number;
  /** Responses by status. */
  statuses: Record<string, number>;
  /** Revocations. */
  revokes: number;
  /** Rate-limit penalties started (a 429 outside a running penalty). */
  penalties: number;
}

/**
 * The account itself.
 *
 * @example The account as the API shows it
 * ```ts
 * import { RingCentral } from "../../mod.ts";
 * import { createEmulator } from "./mod.ts";
 * import { equal } from "node:assert/strict";
 * import type { Account } from "./mod.ts";
 * const emulator = createEmulator();
 * const rc = new RingCentral({ ...emulator.credentials, fetch: emulator.fetch });
 * const account: Account = emulator.state.account;
 * equal((await (await rc.get("/restapi/v1.0/account/~")).json()).mainNumber, account.mainNumber);
 * ```
 */
export interface Account {
  /** Numeric id. */
  id: number;
  /** Main company number. */
  mainNumber: string;
  /** Company name. */
  companyName: string;
  /** Creation time, ISO. */
  creationTime: string;
}

/**
 * The whole emulator state.
 *
 * @example Read the state after a script ran
 * ```ts
 * import { RingCentral } from "../../mod.ts";
 * import { createEmulator } from "./mod.ts";
 * import { equal } from "node:assert/strict";
 * import type { EmulatorState } from "./mod.ts";
 * const emulator = createEmulator();
 * const rc = new RingCentral({ ...emulator.credentials, fetch: emulator.fetch });
 * await rc.get("/restapi/v1.0/account/~/extension");
 * const state: EmulatorState = emulator.state;
 * equal(state.stats.requests, 2);
 * equal(state.extensions.length, 25);
 * ```
 */
export interface EmulatorState {
  /** The account. */
  account: Account;
  /** Extensions, in list order. */
  extensions: Extension[];
  /** Phone numbers. */
  phoneNumbers: PhoneNumber[];
  /** The message store. */
  messages: Message[];
  /** Registered apps. */
  apps: App[];
  /** The password of every user (tests may set a canary). */
  userPassword: string;
  /** Sessions by id. */
  sessions: Map<string, OAuthSession>;
  /** Every token ever issued since the last reset. */
  tokens: Map<string, TokenRecord>;
  /** Authorization codes. */
  codes: Map<
    string,
    {
      clientId: string;
      extensionId: number;
      redirectUri?: string;
      challenge?: string;
      method?: string;
      expires: number;
    }
  >;
  /** Rate-limit windows by `user:app:group`. */
  rate: Map<string, { hits: number[]; penaltyUntil: number }>;
  /** Queued faults. */
  faults: Fault[];
  /** Event subscriptions by id. */
  subscriptions: Map<string, Subscription>;
  /** WebSocket tokens from `/restapi/oauth/wstoken`: the session each stands for and when it expires (emulated ms). */
  wsTokens: Map<string, { sessionId: string; expires: number }>;
  /** Webhook deliveries still to fail, as forced by `POST /__emulator/webhook-failures`. */
  webhookFailures: number;
  /** WebSocket gateway sessions by `wsc` token. */
  gateway: Map<string, GatewayConnection>;
  /** Telephony sessions: the live calls, and the ended ones for a few minutes (active calls, RingOut status). */
  calls: Call[];
  /** The call log: one record per extension and call, oldest first (the seeded history once it is made). */
  callLog: CallLogEntry[];
  /** The seeded call history still to be made, on first use of the call log: how many calls, up to when. */
  callHistory?: { calls: number; now: number };
  /** Each extension's presence settings and what its last presence event said, by extension id. */
  presence: Record<string, PresenceState>;
  /** Counters. */
  stats: Stats;
  /** Next id for new objects. */
  nextId: number;
  /** Emulated clock offset from the real clock, in ms. */
  clockOffset: number;
  /** Up to when (emulated ms) messages' status changes have had their message-store events (messages.ts). */
  messagesAnnounced?: number;
  /** A workshop room's progress: by attendee (extension id), by step, their last check (room_progress.ts). */
  roomProgress?: Record<string, Record<string, StepProgress>>;
  /** Team Messaging's chats, posts and guests, made on the first Team Messaging request (team_state.ts). */
  teamMessaging?: TeamMessagingState;
}

/**
 * An attendee's last check of a workshop step, as `deno task exercise` reports it to a room's emulator.
 *
 * @example Ada's step 1, reported with her own token
 * ```ts
 * import { RingCentral } from "../../mod.ts";
 * import { createEmulator, type StepProgress } from "./mod.ts";
 * import { equal } from "node:assert/strict";
 * const emulator = createEmulator({ room: { key: "k" } });
 * const rc = new RingCentral({ ...emulator.credentials, fetch: emulator.fetch });
 * await rc.request("POST", "/__emulator/room/progress", { body: { step: "1", done: true } });
 * const mine: StepProgress = emulator.state.roomProgress![String(emulator.state.extensions[0].id)]["1"];
 * equal(mine.done, true);
 * ```
 */
export interface StepProgress {
  /** Whether the check passed. */
  done: boolean;
  /** When it was reported (emulated ms). */
  at: number;
  /** What was missing first, when it did not pass. */
  note?: string;
  /** How many checks of this step the attendee ran. */
  checks: number;
}

/**
 * An OAuth session: one login, rotated by refreshes until it is revoked.
 *
 * @example One session per login
 * ```ts
 * import { RingCentral } from "../../mod.ts";
 * import { createEmulator } from "./mod.ts";
 * import { equal } from "node:assert/strict";
 * import type { OAuthSession } from "./mod.ts";
 * const emulator = createEmulator();
 * const rc = new RingCentral({ ...emulator.credentials, fetch: emulator.fetch });
 * await rc.authenticate();
 * const sessions: OAuthSession[] = [...emulator.state.sessions.values()];
 * equal(sessions.length, 1);
 * equal(sessions[0].extensionId, emulator.state.extensions[0].id);
 * ```
 */
export interface OAuthSession {
  /** The session id. */
  id: string;
  /** The user's extension id. */
  extensionId: number;
  /** The app. */
  clientId: string;
  /** Endpoint id. */
  endpointId: string;
  /** Scope granted. */
  scope: string;
  /** Current access token. */
  access: string;
  /** Current refresh token. */
  refresh: string;
  /** Access lifetime in seconds for this session. */
  accessTtl: number;
  /** Refresh lifetime in seconds for this session. */
  refreshTtl: number;
  /** When the current tokens were issued (emulated ms). */
  issued: number;
  /** When the current access token was first used, if it was. */
  accessUsed?: number;
  /** When the session started. */
  created: number;
  /** How many times its tokens were rotated by a refresh (absent: none). */
  rotations?: number;
  /** Set when revoked. */
  revoked?: boolean;
}

/**
 * What the emulator knows about one token string.
 *
 * @example An access and a refresh token per session
 * ```ts
 * import { RingCentral } from "../../mod.ts";
 * import { createEmulator } from "./mod.ts";
 * import { equal } from "node:assert/strict";
 * import type { TokenRecord } from "./mod.ts";
 * const emulator = createEmulator();
 * const rc = new RingCentral({ ...emulator.credentials, fetch: emulator.fetch });
 * await rc.authenticate();
 * const kinds = [...emulator.state.tokens.values()].map((t: TokenRecord) => t.kind).sort();
 * equal(kinds.join(), "access,refresh");
 * ```
 */
export interface TokenRecord {
  /** Access or refresh. */
  kind: "access" | "refresh";
  /** The session it belongs to. */
  session: OAuthSession;
  /** Expiry (emulated ms). */
  expires: number;
  /** Replaced by a refresh at this time (emulated ms). */
  rotatedAt?: number;
}

/**
 * A webhook subscription (see `/restapi/v1.0/subscription`).
 *
 * @example A webhook subscription is refused for an address off this machine
 * ```ts
 * import { RingCentral } from "../../mod.ts";
 * import { createEmulator } from "./mod.ts";
 * import { equal } from "node:assert/strict";
 * import type { Subscription } from "./mod.ts";
 * const emulator = createEmulator();
 * const rc = new RingCentral({ ...emulator.credentials, fetch: emulator.fetch });
 * const e = await rc.post("/restapi/v1.0/subscription", {
 *   eventFilters: ["/restapi/v1.0/account/~/extension/~/message-store"],
 *   deliveryMode: { transportType: "WebHook", address: "https://example.com/hook" },
 * }).catch((e) => e);
 * equal(e.status, 400);
 * const subscriptions: Subscription[] = [...emulator.state.subscriptions.values()];
 * equal(subscriptions.length, 0);
 * ```
 */
export interface Subscription {
  /** Id (a UUID). */
  id: string;
  /** The subscriber's extension id. */
  extensionId: number;
  /** The subscriber's app. */
  clientId: string;
  /** Event filters, `~` resolved. */
  eventFilters: string[];
  /** How events are delivered. */
  transport: "WebHook" | "WebSocket";
  /** The webhook address (loopback), for `WebHook`. */
  address?: string;
  /** Sent back as the `Verification-Token` header of every delivery, when the subscriber set one (never shown). */
  verificationToken?: string;
  /** The connection events go to, for `WebSocket`. */
  socket?: { notify(notification: unknown): boolean };
  /** `Active`, or `Blacklisted` after deliveries failed. */
  status: "Active" | "Blacklisted";
  /** Creation time (emulated ms). */
  created: number;
  /** Expiry (emulated ms). */
  expires: number;
  /** Deliveries that failed in a row. */
  failures: number;
  /** When it was blacklisted. */
  blacklistedAt?: number;
  /** Why. */
  reason?: string;
}

/**
 * A gateway session (what `wsc` names): the subscription bound to it, the
 * socket it is on now, and the notifications it missed while it had none.
 *
 * @example None before a WebSocket connects
 * ```ts
 * import { RingCentral } from "../../mod.ts";
 * import { createEmulator } from "./mod.ts";
 * import { equal } from "node:assert/strict";
 * import type { SocketLink } from "./mod.ts";
 * const emulator = createEmulator();
 * const rc = new RingCentral({ ...emulator.credentials, fetch: emulator.fetch });
 * const links: SocketLink[] = [...emulator.state.gateway.values()];
 * equal(links.length, 0);
 * ```
 */
export interface SocketLink {
  /** The `wsc` token. */
  id: string;
  /** The subscription bound to this session (one per connection). */
  subscriptionId?: string;
  /** Sends a notification frame, or keeps it (up to the recovery buffer) while no socket is open. */
  notify(notification: unknown): boolean;
}

/**
 * A gateway connection (RingCentral calls it a WebSocket session: its `wsc` token recovers it) with its socket; kept in the state for recovery.
 *
 * @example A socket, and its session, while a subscription lives
 * ```ts
 * import { RingCentral } from "../../mod.ts";
 * import { type GatewayConnection, serve } from "./mod.ts";
 * import { equal } from "node:assert/strict";
 * await using served = serve();
 * const rc = new RingCentral(served.credentials);
 * await using _sub = await rc.subscribe(["/restapi/v1.0/account/~/extension/~/message-store"]);
 * const connections: GatewayConnection[] = [...served.emulator.state.gateway.values()];
 * equal(connections.length, 1);
 * equal(typeof connections[0].subscriptionId, "string");
 * ```
 */
export interface GatewayConnection extends SocketLink {
  /** The OAuth session it acts for. */
  sessionId: string;
  /** The current socket. */
  socket?: WebSocket;
  /** Sequence number of the last frame with `wsc`. */
  sequence: number;
  /** Notifications kept while disconnected. */
  missed: unknown[];
  /** When the socket was lost (emulated ms). */
  droppedAt?: number;
  /** When the current socket connected (emulated ms). */
  connectedAt: number;
  /** When the current socket last sent a frame (emulated ms). */
  activeAt: number;
  /** Set by a forced unrecoverable drop. */
  unrecoverable?: boolean;
}

/**
 * A party of a call: one end of it (an extension of the account, or an
 * outside number), with its RingCentral status (`Setup`, `Proceeding`,
 * `Answered`, `Hold`, `Disconnected`).
 *
 * @example The callee of an injected call rings
 * ```ts
 * import { RingCentral } from "../../mod.ts";
 * import { type CallPartyState, createEmulator } from "./mod.ts";
 * import { equal } from "node:assert/strict";
 * const emulator = createEmulator();
 * const rc = new RingCentral({ ...emulator.credentials, fetch: emulator.fetch });
 * await rc.request("POST", "/__emulator/inbound-call", { body: { from: "+14155550123" } });
 * const callee: CallPartyState = emulator.state.calls[0].parties[1];
 * equal(callee.status, "Proceeding");
 * ```
 */
export interface CallPartyState {
  /** Party id, `p-<hex>-N`. */
  id: string;
  /** The extension, for a party of the account. */
  extensionId?: number;
  /** `Inbound` (the call comes to it) or `Outbound`. */
  direction: "Inbound" | "Outbound";
  /** Caller. */
  from: CallEnd;
  /** Callee. */
  to: CallEnd;
  /** Status code. */
  status: "Setup" | "Proceeding" | "Answered" | "Hold" | "Disconnected";
  /** Why, for some statuses (`BlindTransfer`, `Rejected`, `NoAnswer`, `TargetBusy`, …). */
  reason?: string;
  /** When it entered its status (emulated ms). */
  since: number;
  /** When it joined the call (emulated ms). */
  joined: number;
  /** When it was first answered (emulated ms). */
  answered?: number;
  /** Whether the call rang here and nobody answered. */
  missedCall: boolean;
  /** Muted. */
  muted: boolean;
  /** In stand-alone mode (on hold). */
  standAlone: boolean;
  /** A RingOut's two legs: `Initiator` (the caller's own phone) and `Target`. */
  ringOutRole?: "Initiator" | "Target";
  /** Where this party came from: the party it was transferred from. */
  transferredFrom?: string;
}

/**
 * One end of a call: a number, and the extension when it is one of the account's.
 *
 * @example Who called
 * ```ts
 * import { RingCentral } from "../../mod.ts";
 * import { type CallEnd, createEmulator } from "./mod.ts";
 * import { equal } from "node:assert/strict";
 * const emulator = createEmulator();
 * const rc = new RingCentral({ ...emulator.credentials, fetch: emulator.fetch });
 * await rc.request("POST", "/__emulator/inbound-call", { body: { from: "+14155550123" } });
 * const from: CallEnd = emulator.state.calls[0].parties[0].from;
 * equal(from.phoneNumber, "+14155550123");
 * ```
 */
export interface CallEnd {
  /** E.164 number (or an extension's short number, for an internal call). */
  phoneNumber: string;
  /** Name, when known. */
  name?: string;
  /** Extension id, for the account's own. */
  extensionId?: number;
}

/**
 * Something that happens to a call at a time of the emulated clock.
 *
 * @example An unanswered call waits for its ring timeout
 * ```ts
 * import { RingCentral } from "../../mod.ts";
 * import { type CallStep, createEmulator } from "./mod.ts";
 * import { equal } from "node:assert/strict";
 * const emulator = createEmulator();
 * const rc = new RingCentral({ ...emulator.credentials, fetch: emulator.fetch });
 * await rc.request("POST", "/__emulator/inbound-call", { body: { from: "+14155550123" } });
 * const step: CallStep = emulator.state.calls[0].plan[0];
 * equal(step.kind, "noAnswer");
 * ```
 */
export interface CallStep {
  /** When (emulated ms). */
  at: number;
  /** `answer` a ringing party, `noAnswer` (the ring timeout), `busy`, or `hangup` (the talk is over). */
  kind: "answer" | "noAnswer" | "busy" | "hangup";
  /** The party it applies to. */
  partyId?: string;
}

/**
 * A telephony session: the parties of one call, what happens next, and how
 * it ended.
 *
 * @example A RingOut is a session too
 * ```ts
 * import { RingCentral } from "../../mod.ts";
 * import { type Call, createEmulator } from "./mod.ts";
 * import { equal } from "node:assert/strict";
 * const emulator = createEmulator();
 * const rc = new RingCentral({ ...emulator.credentials, fetch: emulator.fetch });
 * await rc.post("/restapi/v1.0/account/~/extension/~/ring-out", {
 *   from: { phoneNumber: "+16505550101" },
 *   to: { phoneNumber: "+14155550123" },
 * });
 * const call: Call = emulator.state.calls[0];
 * equal(call.origin, "RingOut");
 * ```
 */
export interface Call {
  /** The telephony session id, `s-<hex>`. */
  id: string;
  /** The older numeric session id. */
  sessionId: string;
  /** `Call` (an inbound call) or `RingOut`. */
  origin: "Call" | "RingOut";
  /** Creation time (emulated ms). */
  created: number;
  /** The sequence number of its last event. */
  sequence: number;
  /** Its parties, in the order they joined. */
  parties: CallPartyState[];
  /** What happens next, on the emulated clock. */
  plan: CallStep[];
  /** Seconds of talk once answered, before the far end hangs up. */
  talkSeconds: number;
  /** The recording, for a recorded call: made of the `partyId`'s talk from `started` to `stopped` (emulated ms). */
  recording?: {
    id: string;
    type: "Automatic" | "OnDemand";
    active: boolean;
    partyId?: string;
    started?: number;
    stopped?: number;
  };
  /** The RingOut this session carries, if it is one. */
  ringOut?: RingOutState;
  /** When its last party disconnected (emulated ms). */
  ended?: number;
}

/**
 * A RingOut: the caller's own phone rings first, then the number called.
 *
 * @example Its id, as the API gives it
 * ```ts
 * import { RingCentral } from "../../mod.ts";
 * import { createEmulator, type RingOutState } from "./mod.ts";
 * import { equal } from "node:assert/strict";
 * const emulator = createEmulator();
 * const rc = new RingCentral({ ...emulator.credentials, fetch: emulator.fetch });
 * const placed = await (await rc.post("/restapi/v1.0/account/~/extension/~/ring-out", {
 *   from: { phoneNumber: "+16505550101" },
 *   to: { phoneNumber: "+14155550123" },
 * })).json();
 * const ringOut: RingOutState = emulator.state.calls[0].ringOut!;
 * equal(ringOut.id, placed.id);
 * ```
 */
export interface RingOutState {
  /** Its id. */
  id: string;
  /** The extension that placed it. */
  extensionId: number;
  /** The number the called party sees (`callerId`), when it was given. */
  callerId?: string;
  /** Set when it was cancelled (`DELETE`) before it connected. */
  cancelled?: boolean;
}

/**
 * One party of a call-log record or leg.
 *
 * @example The caller of a seeded call
 * ```ts
 * import { RingCentral } from "../../mod.ts";
 * import { createEmulator, type CallLogParty } from "./mod.ts";
 * import { ok } from "node:assert/strict";
 * const emulator = createEmulator();
 * const rc = new RingCentral({ ...emulator.credentials, fetch: emulator.fetch });
 * await rc.get("/restapi/v1.0/account/~/call-log"); // the seeded history is made on first use
 * const from: CallLogParty = emulator.state.callLog[0].from;
 * ok(from.phoneNumber || from.extensionNumber);
 * ```
 */
export interface CallLogParty {
  /** E.164 number. */
  phoneNumber?: string;
  /** Short number, for an extension. */
  extensionNumber?: string;
  /** Extension id, for the account's own. */
  extensionId?: string;
  /** Name. */
  name?: string;
  /** Place. */
  location?: string;
}

/**
 * A leg of a call-log record (what the `Detailed` view shows).
 *
 * @example The legs of a seeded record
 * ```ts
 * import { RingCentral } from "../../mod.ts";
 * import { createEmulator, type CallLogLeg } from "./mod.ts";
 * import { ok } from "node:assert/strict";
 * const emulator = createEmulator();
 * const rc = new RingCentral({ ...emulator.credentials, fetch: emulator.fetch });
 * await rc.get("/restapi/v1.0/account/~/call-log"); // the seeded history is made on first use
 * const legs: CallLogLeg[] = emulator.state.callLog[0].legs;
 * ok(legs.length >= 1);
 * ```
 */
export interface CallLogLeg {
  /** RingCentral's leg type (`Accept`, `SipToPstnMetered`, `ExtensionToExtension`, …). */
  legType: string;
  /** Direction. */
  direction: "Inbound" | "Outbound";
  /** Action. */
  action: string;
  /** Result. */
  result: string;
  /** Reason. */
  reason?: string;
  /** Start (emulated ms). */
  start: number;
  /** Length in ms. */
  durationMs: number;
  /** `PSTN` or `VoIP`. */
  transport: "PSTN" | "VoIP";
  /** Caller. */
  from: CallLogParty;
  /** Callee. */
  to: CallLogParty;
  /** The leg that stands for the whole call. */
  master?: boolean;
  /** The extension of the leg. */
  extensionId?: number;
}

/**
 * A call-log record: one call as one extension saw it.
 *
 * @example A few hundred seeded calls
 * ```ts
 * import { RingCentral } from "../../mod.ts";
 * import { createEmulator, type CallLogEntry } from "./mod.ts";
 * import { ok } from "node:assert/strict";
 * const emulator = createEmulator();
 * const rc = new RingCentral({ ...emulator.credentials, fetch: emulator.fetch });
 * await rc.get("/restapi/v1.0/account/~/call-log"); // the seeded history is made on first use
 * const log: CallLogEntry[] = emulator.state.callLog;
 * ok(log.length > 300);
 * ok(log.some((e) => e.result === "Missed") && log.some((e) => e.recording));
 * ```
 */
export interface CallLogEntry {
  /** Record id. */
  id: string;
  /** Whose call log it is in. */
  extensionId: number;
  /** Session id. */
  sessionId: string;
  /** Telephony session id. */
  telephonySessionId: string;
  /** The extension's party id. */
  partyId: string;
  /** Start (emulated ms). */
  start: number;
  /** Length in ms. */
  durationMs: number;
  /** When it was last changed (emulated ms): what an incremental sync looks for. */
  modified: number;
  /** Direction, as the extension saw it. */
  direction: "Inbound" | "Outbound";
  /** `Phone Call`, `VoIP Call`, `RingOut Web`, … */
  action: string;
  /** `Accepted`, `Call connected`, `Missed`, `Busy`, … */
  result: string;
  /** Why, for some results. */
  reason?: string;
  /** `PSTN` or `VoIP`. */
  transport: "PSTN" | "VoIP";
  /** Caller. */
  from: CallLogParty;
  /** Callee. */
  to: CallLogParty;
  /** The recording, for a recorded call. */
  recording?: { id: string; type: "Automatic" | "OnDemand"; seconds: number };
  /** Its legs. */
  legs: CallLogLeg[];
}

/**
 * An extension's presence: what the user set, and what its last presence
 * event said (so that the next one is sent only when something changed).
 *
 * @example Set by PUT, kept in the state
 * ```ts
 * import { RingCentral } from "../../mod.ts";
 * import { createEmulator, type PresenceState } from "./mod.ts";
 * import { equal } from "node:assert/strict";
 * const emulator = createEmulator();
 * const rc = new RingCentral({ ...emulator.credentials, fetch: emulator.fetch });
 * await rc.request("PUT", "/restapi/v1.0/account/~/extension/~/presence", { body: { userStatus: "Busy" } });
 * const mine: PresenceState = emulator.state.presence[String(emulator.state.extensions[0].id)];
 * equal(mine.userStatus, "Busy");
 * ```
 */
export interface PresenceState {
  /** `Available`, `Busy` or `Offline`. */
  userStatus: "Available" | "Busy" | "Offline";
  /** Do-not-disturb. */
  dndStatus: string;
  /** A status message. */
  message?: string;
  /** Whether others may see it. */
  allowSeeMyPresence: boolean;
  /** Ring on monitored calls. */
  ringOnMonitoredCall: boolean;
  /** Pick up calls on hold. */
  pickUpCallsOnHold: boolean;
  /** The sequence of its last presence event. */
  sequence: number;
  /** The telephony status its last event said. */
  telephonyStatus: string;
  /** The active calls its last detailed event listed (`session:status`, joined). */
  activeCalls: string;
}

/**
 * Team Messaging in the emulator's state: made on first use.
 *
 * @example The seeded chats, made by the first request
 * ```ts
 * import { RingCentral } from "../../mod.ts";
 * import { createEmulator, type TeamMessagingState } from "./mod.ts";
 * import { ok } from "node:assert/strict";
 * const emulator = createEmulator();
 * const rc = new RingCentral({ ...emulator.credentials, fetch: emulator.fetch });
 * await rc.get("/team-messaging/v1/chats");
 * const tm: TeamMessagingState = emulator.state.teamMessaging!;
 * ok(tm.chats.some((c) => c.type === "Everyone"));
 * ok(tm.posts.length > 0);
 * ```
 */
export interface TeamMessagingState {
  /** Every chat, oldest first. */
  chats: ChatState[];
  /** Every post, oldest first. */
  posts: PostState[];
  /** People outside the account, added to a team by email. */
  guests: GuestPerson[];
  /** The next id of a chat, a post or a guest (numeric strings, as RingCentral's). */
  nextId: number;
}

/**
 * A chat: a team (named, public or private), a direct or group conversation,
 * someone's personal chat, or the company's Everyone chat.
 *
 * @example A team made through the API
 * ```ts
 * import { RingCentral } from "../../mod.ts";
 * import { type ChatState, createEmulator } from "./mod.ts";
 * import { equal } from "node:assert/strict";
 * const emulator = createEmulator();
 * const rc = new RingCentral({ ...emulator.credentials, fetch: emulator.fetch });
 * const team = await (await rc.post("/team-messaging/v1/teams", { name: "Rockets", public: true })).json();
 * const chat: ChatState = emulator.state.teamMessaging!.chats.find((c) => c.id === team.id)!;
 * equal(chat.type, "Team");
 * equal(chat.members.length, 1); // its creator
 * ```
 */
export interface ChatState {
  /** Its id, a numeric string. */
  id: string;
  /** `Everyone`, `Team`, `Group`, `Direct` or `Personal`. */
  type: "Everyone" | "Team" | "Group" | "Direct" | "Personal";
  /** The name (teams and Everyone). */
  name?: string;
  /** What it is about. */
  description?: string;
  /** Whether everyone in the company may find and join it (teams). */
  public?: boolean;
  /** `Active` or `Archived`. */
  status: "Active" | "Archived";
  /** The person ids of its members. */
  members: string[];
  /** Who made it. */
  creatorId?: string;
  /** When it was made (emulated ms). */
  created: number;
  /** When it last changed (emulated ms). */
  modified: number;
}

/**
 * A post in a chat.
 *
 * @example A post, as kept
 * ```ts
 * import { RingCentral } from "../../mod.ts";
 * import { createEmulator, type PostState } from "./mod.ts";
 * import { equal } from "node:assert/strict";
 * const emulator = createEmulator();
 * const rc = new RingCentral({ ...emulator.credentials, fetch: emulator.fetch });
 * const personal = (await (await rc.get("/team-messaging/v1/chats", { type: ["Personal"] })).json()).records[0];
 * await rc.post(`/team-messaging/v1/chats/${personal.id}/posts`, { text: "Note to self" });
 * const post: PostState = emulator.state.teamMessaging!.posts.at(-1)!;
 * equal(post.text, "Note to self");
 * ```
 */
export interface PostState {
  /** Its id, a numeric string. */
  id: string;
  /** The chat it is in. */
  chatId: string;
  /** The person who posted it. */
  creatorId: string;
  /** `TextMessage`, or what the chat says when someone joins (`PersonJoined`) or is added (`PersonsAdded`). */
  type: "TextMessage" | "PersonJoined" | "PersonsAdded";
  /** The text (a `TextMessage`'s). */
  text?: string;
  /** Who was added (`PersonsAdded`). */
  addedPersonIds?: string[];
  /** When it was posted (emulated ms). */
  created: number;
  /** When it was last edited (emulated ms). */
  modified: number;
}

/**
 * Someone outside the account, added to a team by email: a guest.
 *
 * @example The quick start's guests
 * ```ts
 * import { RingCentral } from "../../mod.ts";
 * import { createEmulator, type GuestPerson } from "./mod.ts";
 * import { equal } from "node:assert/strict";
 * const emulator = createEmulator();
 * const rc = new RingCentral({ ...emulator.credentials, fetch: emulator.fetch });
 * await rc.post("/team-messaging/v1/teams", { name: "Fun team", members: [{ email: "member.1@gmail.com" }] });
 * const guest: GuestPerson = emulator.state.teamMessaging!.guests[0];
 * equal(guest.email, "member.1@gmail.com");
 * ```
 */
export interface GuestPerson {
  /** Their person id. */
  id: string;
  /** Their email. */
  email: string;
  /** When they were invited (emulated ms). */
  created: number;
}
