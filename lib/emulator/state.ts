/**
 * The emulator's state: one plain object holding the seed account, its
 * extensions, phone numbers, messages, apps, OAuth sessions, statistics,
 * rate-limit windows and queued faults.
 * @module
 */
import type { Session, TokenRecord } from "./state_auth.ts";
import type { GatewaySession, Subscription } from "./state_events.ts";

export type { Session, TokenRecord } from "./state_auth.ts";
export type { GatewaySession, SocketLink, Subscription } from "./state_events.ts";

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
  /** `SMS` or, with attachments, still `SMS` (RingCentral keeps the type). */
  type: "SMS";
  /** MMS attachments. */
  attachments: { id: number; contentType: string; size: number; fileName?: string; data: Uint8Array<ArrayBuffer> }[];
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
 * await rc.post("/__emulator/faults", { path: "/restapi/v1.0/account/~", status: 503, times: 2 });
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
  /** SMS and MMS accepted. */
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
  sessions: Map<string, Session>;
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
  gateway: Map<string, GatewaySession>;
  /** Counters. */
  stats: Stats;
  /** Next id for new objects. */
  nextId: number;
  /** Emulated clock offset from the real clock, in ms. */
  clockOffset: number;
  /** Serialized bodies of cacheable GETs, by `origin user path?query`. */
  responseCache: Map<string, string>;
}
