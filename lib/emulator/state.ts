/**
 * The emulator's state: one plain object holding the seed account, its
 * extensions, phone numbers, messages, apps, OAuth sessions, statistics,
 * rate-limit windows and queued faults.
 * @module
 */

/** An extension of the emulated account. */
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

/** A phone number assigned to an extension. */
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

/** A participant of a message. */
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

/** An SMS in the message store. */
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

/** A registered app. */
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

/** An OAuth session: one login, rotated by refreshes until it is revoked. */
export interface Session {
  /** Session id. */
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
  /** Set when revoked. */
  revoked?: boolean;
}

/** What the emulator knows about one token string. */
export interface TokenRecord {
  /** Access or refresh. */
  kind: "access" | "refresh";
  /** The session it belongs to. */
  session: Session;
  /** Expiry (emulated ms). */
  expires: number;
  /** Replaced by a refresh at this time (emulated ms). */
  rotatedAt?: number;
}

/** A queued fault (see `POST /__emulator/faults`). */
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

/** A webhook subscription (see `/restapi/v1.0/subscription`). */
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
 */
export interface SocketLink {
  /** The `wsc` token. */
  id: string;
  /** The subscription bound to this session (one per connection). */
  subscriptionId?: string;
  /** Sends a notification frame, or keeps it (up to the recovery buffer) while no socket is open. */
  notify(notification: unknown): boolean;
}

/** A gateway session with its socket; kept in the state for recovery. */
export interface GatewaySession extends SocketLink {
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

/** Counters reported by `GET /__emulator/stats`. */
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

/** The account itself. */
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

/** The whole emulator state. */
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
