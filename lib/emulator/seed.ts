/**
 * The emulator's fixed, realistic seed account: Acme Robotics, a company
 * with users, departments and special extensions, their phone numbers (some
 * that can send SMS, some that cannot), a few messages, and the apps and
 * credentials that work against it: the apps' ids and secrets, the users'
 * password, the numbers that matter, and how to name an extension or make a
 * JWT for it.
 * @module
 */
import { createHmac, timingSafeEqual } from "node:crypto";
import { JWT_GRANT } from "../grants.ts";
import { base64url } from "../bytes.ts";
import { DEFAULT_PERMISSIONS } from "./permissions.ts";
import type { App, EmulatorState, Extension, Message, PhoneNumber } from "./state.ts";

/**
 * Client id of the emulator's main app (all grants).
 *
 * @example The main app
 * ```ts
 * import { createEmulator } from "./mod.ts";
 * import { EMULATOR_CLIENT_ID } from "./seed.ts";
 * import { equal } from "node:assert/strict";
 * equal(createEmulator().credentials.clientId, EMULATOR_CLIENT_ID);
 * ```
 */
export const EMULATOR_CLIENT_ID = "emulator-client-id";
/**
 * Its client secret.
 *
 * @example Its secret
 * ```ts
 * import { createEmulator } from "./mod.ts";
 * import { EMULATOR_CLIENT_SECRET } from "./seed.ts";
 * import { equal } from "node:assert/strict";
 * equal(createEmulator().credentials.clientSecret, EMULATOR_CLIENT_SECRET);
 * ```
 */
export const EMULATOR_CLIENT_SECRET = "emulator-client-secret";
/**
 * Client id of an app allowed only the JWT grant (to see OAU-251 with a password).
 *
 * @example The password grant refused with OAU-251
 * ```ts
 * import { RingCentral } from "../../mod.ts";
 * import { createEmulator } from "./mod.ts";
 * import { JWT_ONLY_CLIENT_ID, JWT_ONLY_CLIENT_SECRET } from "./seed.ts";
 * import { equal } from "node:assert/strict";
 * const emulator = createEmulator();
 * const rc = new RingCentral({
 *   ...emulator.passwordCredentials,
 *   clientId: JWT_ONLY_CLIENT_ID,
 *   clientSecret: JWT_ONLY_CLIENT_SECRET,
 *   fetch: emulator.fetch,
 * });
 * equal((await rc.authenticate().catch((e) => e)).errorCode, "OAU-251");
 * ```
 */
export const JWT_ONLY_CLIENT_ID = "emulator-jwt-only-id";
/**
 * Its client secret.
 *
 * @example The JWT grant works
 * ```ts
 * import { RingCentral } from "../../mod.ts";
 * import { createEmulator } from "./mod.ts";
 * import { JWT_ONLY_CLIENT_ID, JWT_ONLY_CLIENT_SECRET } from "./seed.ts";
 * import { equal } from "node:assert/strict";
 * const emulator = createEmulator();
 * const rc = new RingCentral({
 *   ...emulator.credentials,
 *   clientId: JWT_ONLY_CLIENT_ID,
 *   clientSecret: JWT_ONLY_CLIENT_SECRET,
 *   fetch: emulator.fetch,
 * });
 * equal((await rc.get("/restapi/v1.0/account/~")).status, 200);
 * ```
 */
export const JWT_ONLY_CLIENT_SECRET = "emulator-jwt-only-secret";
/**
 * Client id of a public app (PKCE, no secret).
 *
 * @example The app of a browser login
 * ```ts
 * import { createEmulator } from "./mod.ts";
 * import { PUBLIC_CLIENT_ID } from "./seed.ts";
 * import { equal } from "node:assert/strict";
 * equal(createEmulator().browserCredentials.clientId, PUBLIC_CLIENT_ID);
 * ```
 */
export const PUBLIC_CLIENT_ID = "emulator-public-id";
/**
 * The password of every seed user.
 *
 * @example Log in as Bob by email
 * ```ts
 * import { RingCentral } from "../../mod.ts";
 * import { createEmulator } from "./mod.ts";
 * import { EMULATOR_PASSWORD } from "./seed.ts";
 * import { equal } from "node:assert/strict";
 * const emulator = createEmulator();
 * const rc = new RingCentral({
 *   ...emulator.credentials,
 *   jwt: undefined,
 *   username: "bob.baker@acme-robotics.example",
 *   password: EMULATOR_PASSWORD,
 *   fetch: emulator.fetch,
 * });
 * equal((await (await rc.get("/restapi/v1.0/account/~/extension/~")).json()).extensionNumber, "102");
 * ```
 */
export const EMULATOR_PASSWORD = "emulator-password";
/**
 * The account's main number, also the admin's login name.
 *
 * @example The account's main number
 * ```ts
 * import { RingCentral } from "../../mod.ts";
 * import { createEmulator } from "./mod.ts";
 * import { equal } from "node:assert/strict";
 * import { MAIN_NUMBER } from "./seed.ts";
 * const emulator = createEmulator();
 * const rc = new RingCentral({ ...emulator.credentials, fetch: emulator.fetch });
 * equal((await (await rc.get("/restapi/v1.0/account/~")).json()).mainNumber, MAIN_NUMBER);
 * ```
 */
export const MAIN_NUMBER = "+16505550100";
/**
 * A recipient that receives SMS.
 *
 * @example An SMS that gets delivered
 * ```ts
 * import { RingCentral } from "../../mod.ts";
 * import { createEmulator } from "./mod.ts";
 * import { equal } from "node:assert/strict";
 * import { TEST_RECIPIENT } from "./seed.ts";
 * const emulator = createEmulator();
 * const rc = new RingCentral({ ...emulator.credentials, fetch: emulator.fetch });
 * const sent = await (await rc.post("/restapi/v1.0/account/~/extension/~/sms", {
 *   from: { phoneNumber: "+16505550101" },
 *   to: [{ phoneNumber: TEST_RECIPIENT }],
 *   text: "Hi",
 * })).json();
 * emulator.advance(10);
 * const read = await (await rc.get(`/restapi/v1.0/account/~/extension/~/message-store/${sent.id}`)).json();
 * equal(read.messageStatus, "Delivered");
 * ```
 */
export const TEST_RECIPIENT = "+16505550199";
/**
 * Recipients matching this prefix fail delivery (`SendingFailed`), so failures can be seen.
 *
 * @example An SMS that fails
 * ```ts
 * import { RingCentral } from "../../mod.ts";
 * import { createEmulator } from "./mod.ts";
 * import { equal } from "node:assert/strict";
 * import { FAILING_RECIPIENT_PREFIX } from "./seed.ts";
 * const emulator = createEmulator();
 * const rc = new RingCentral({ ...emulator.credentials, fetch: emulator.fetch });
 * const sent = await (await rc.post("/restapi/v1.0/account/~/extension/~/sms", {
 *   from: { phoneNumber: "+16505550101" },
 *   to: [{ phoneNumber: `${FAILING_RECIPIENT_PREFIX}1234` }],
 *   text: "Hi",
 * })).json();
 * emulator.advance(10);
 * const read = await (await rc.get(`/restapi/v1.0/account/~/extension/~/message-store/${sent.id}`)).json();
 * equal(read.messageStatus, "SendingFailed");
 * ```
 */
export const FAILING_RECIPIENT_PREFIX = "+1555000";
/**
 * The redirect URIs the built-in apps register: loopback, any port (RFC 8252 §7.3).
 */
const LOOPBACK_REDIRECTS: string[] = ["http://127.0.0.1/oauth2callback", "http://localhost/oauth2callback"];
/**
 * Account id.
 *
 * @example The account's id
 * ```ts
 * import { RingCentral } from "../../mod.ts";
 * import { createEmulator } from "./mod.ts";
 * import { equal } from "node:assert/strict";
 * import { ACCOUNT_ID } from "./seed.ts";
 * const emulator = createEmulator();
 * const rc = new RingCentral({ ...emulator.credentials, fetch: emulator.fetch });
 * equal((await (await rc.get("/restapi/v1.0/account/~")).json()).id, ACCOUNT_ID);
 * ```
 */
export const ACCOUNT_ID = 809646016;

/**
 * The id of the extension with `extensionNumber` `n` in the seed.
 *
 * @example Read Bob's extension by id
 * ```ts
 * import { RingCentral } from "../../mod.ts";
 * import { createEmulator } from "./mod.ts";
 * import { equal } from "node:assert/strict";
 * import { extensionIdOf } from "./seed.ts";
 * const emulator = createEmulator();
 * const rc = new RingCentral({ ...emulator.credentials, fetch: emulator.fetch });
 * const bob = await (await rc.get(`/restapi/v1.0/account/~/extension/${extensionIdOf(102)}`)).json();
 * equal(bob.name, "Bob Baker");
 * ```
 */
export function extensionIdOf(n: number): number {
  return 62264425000 + n;
}

/**
 * A JWT credential for an extension of the emulator. Outside a workshop room its signature is a
 * placeholder: the emulator maps `sub` to an extension and checks `iss`. A room's emulator signs the
 * JWTs it hands out with a secret of its own (`secret`, HMAC-SHA256) and refuses any other.
 *
 * @example Log in as another user with a JWT
 * ```ts
 * import { RingCentral } from "../../mod.ts";
 * import { createEmulator } from "./mod.ts";
 * import { emulatorJwt, extensionIdOf } from "./seed.ts";
 * import { equal } from "node:assert/strict";
 * const emulator = createEmulator();
 * const rc = new RingCentral({ ...emulator.credentials, jwt: emulatorJwt(extensionIdOf(103)), fetch: emulator.fetch });
 * equal((await (await rc.get("/restapi/v1.0/account/~/extension/~")).json()).name, "Carol Chen");
 * ```
 */
export function emulatorJwt(extensionId: number, issuedAt = 1700000000, secret?: string): string {
  const b64 = (o: unknown) => base64url(JSON.stringify(o));
  const signed = [
    b64({ kid: "emulator", typ: "JWT", alg: "HS256" }),
    b64({
      aud: "/restapi/oauth/token",
      sub: String(extensionId),
      iss: "ringcentral-emulator",
      iat: issuedAt,
      jti: `emu${extensionId}`,
    }),
  ].join(".");
  return `${signed}.${secret === undefined ? "ZW11bGF0b3Itc2lnbmF0dXJl" : jwtSignature(signed, secret)}`;
}

function jwtSignature(signed: string, secret: string): string {
  return createHmac("sha256", secret).update(signed).digest("base64url");
}

/**
 * Whether `assertion` carries a valid signature made with `secret` (a workshop room's JWTs).
 *
 * @example A room's JWT is signed; the well-known one is not
 * ```ts
 * import { emulatorJwt, isSignedJwt } from "./seed.ts";
 * import { equal } from "node:assert/strict";
 * equal(isSignedJwt(emulatorJwt(1, 0, "s3cret"), "s3cret"), true);
 * equal(isSignedJwt(emulatorJwt(1), "s3cret"), false);
 * ```
 */
export function isSignedJwt(assertion: string, secret: string): boolean {
  const dot = assertion.lastIndexOf(".");
  if (dot < 0) return false;
  const given = new TextEncoder().encode(assertion.slice(dot + 1));
  const expected = new TextEncoder().encode(jwtSignature(assertion.slice(0, dot), secret));
  return given.length === expected.length && timingSafeEqual(given, expected);
}

const T0 = "2024-03-04T17:15:00.000Z";
/** First name, last name, job title, department. Each department's manager has a title ending in "Manager". */
const PEOPLE: [string, string, string, string][] = [
  ["Alice", "Admin", "Office Manager", "Operations"],
  ["Bob", "Baker", "Sales Representative", "Sales"],
  ["Carol", "Chen", "Sales Manager", "Sales"],
  ["Dan", "Diaz", "Support Manager", "Support"],
  ["Erin", "Evans", "Support Engineer", "Support"],
  ["Frank", "Foster", "Engineer", "Engineering"],
  ["Grace", "Green", "Engineer", "Engineering"],
  ["Hector", "Hughes", "Designer", "Engineering"],
  ["Ivy", "Ito", "Accountant", "Finance"],
  ["Jon", "Jones", "Marketing Lead", "Sales"],
  ["Kira", "Kim", "Product Manager", "Engineering"],
  ["Liam", "Lopez", "Recruiter", "Operations"],
  ["Mona", "Miller", "Finance Manager", "Finance"],
  ["Nate", "Nguyen", "CEO", "Operations"],
];
/** Enabled users who have no direct number yet (the workshop's summary SMS finds them). */
const WITHOUT_DIRECT_NUMBER = new Set(["107", "108", "109", "110"]);
const SPECIAL: [string, string, string, string][] = [
  ["201", "Sales", "Department", "Enabled"],
  ["202", "Support", "Department", "Enabled"],
  ["203", "Billing", "Department", "Enabled"],
  ["301", "Company Announcements", "Announcement", "Enabled"],
  ["401", "Shared Voicemail", "Voicemail", "Enabled"],
  ["501", "Main Menu", "IvrMenu", "Enabled"],
  ["601", "Park Location 1", "ParkLocation", "Enabled"],
  ["701", "Fax Machine", "FaxUser", "Enabled"],
  ["801", "Lobby Phone", "Limited", "Enabled"],
];

function user(
  n: number,
  first: string,
  last: string,
  title: string,
  department: string,
  status = "Enabled",
): Extension {
  return {
    id: extensionIdOf(n),
    extensionNumber: String(n),
    name: `${first} ${last}`,
    type: "User",
    status,
    firstName: first,
    lastName: last,
    email: `${first}.${last}@acme-robotics.example`.toLowerCase(),
    jobTitle: title,
    department,
    admin: n === 101,
    creationTime: T0,
  };
}

function number(
  id: number,
  extensionId: number,
  phoneNumber: string,
  usageType: string,
  features: string[],
  type = "VoiceFax",
  primary = false,
): PhoneNumber {
  return {
    id,
    phoneNumber,
    extensionId,
    paymentType: phoneNumber.startsWith("+1800") ? "TollFree" : "Local",
    location: "San Mateo, CA",
    type,
    usageType,
    features,
    primary,
  };
}

/**
 * Options of {@linkcode seedState}.
 *
 * @example A bigger account
 * ```ts
 * import { seedState, type SeedOptions } from "./seed.ts";
 * import { equal } from "node:assert/strict";
 * const options: SeedOptions = { extensions: 1000, now: Date.now() };
 * equal(seedState(options).extensions.length, 1000);
 * ```
 */
export interface SeedOptions {
  /** Total number of extensions; extra users are generated beyond the seed's. */
  extensions?: number;
  /** The emulated time now, for the seed messages. */
  now: number;
  /** The app permissions of every app. @default DEFAULT_PERMISSIONS */
  permissions?: readonly string[];
  /** How many calls the seeded call history has (over the last four weeks). @default 300 */
  calls?: number;
}

/** How many calls the seeded history has unless told otherwise. */
const DEFAULT_SEED_CALLS = 300;

/**
 * Builds a fresh state from the seed.
 *
 * @example The seed account
 * ```ts
 * import { seedState } from "./seed.ts";
 * import { equal } from "node:assert/strict";
 * const state = seedState({ now: Date.now() });
 * equal(state.account.companyName, "Acme Robotics");
 * equal(state.extensions.length, 25);
 * ```
 */
export function seedState(
  { extensions: total, now, permissions = DEFAULT_PERMISSIONS, calls = DEFAULT_SEED_CALLS }: SeedOptions,
): EmulatorState {
  const extensions: Extension[] = PEOPLE.map(([f, l, t, d], i) => user(101 + i, f, l, t, d));
  extensions.push(user(115, "Olga", "Ortiz", "Former Employee", "Support", "Disabled"));
  extensions.push(user(116, "Pete", "Park", "New Hire", "Engineering", "NotActivated"));
  for (const [n, name, type, status] of SPECIAL) {
    extensions.push({ id: extensionIdOf(Number(n)), extensionNumber: n, name, type, status, creationTime: T0 });
  }
  for (let i = extensions.length; total && i < total; i++) {
    const n = 1000 + i;
    extensions.push(user(n, "User", String(n), "Staff", "Engineering"));
  }
  if (total && extensions.length > total) extensions.length = Math.max(total, 1);

  const admin = extensionIdOf(101);
  const phoneNumbers: PhoneNumber[] = [
    // The admin's list starts with numbers that cannot send SMS: pick by features, not by position.
    number(1001, admin, MAIN_NUMBER, "MainCompanyNumber", ["CallerId"]),
    number(1002, admin, "+16505550190", "CompanyFaxNumber", [], "FaxOnly"),
    number(1003, admin, "+16505550101", "DirectNumber", ["SmsSender", "CallerId", "MmsSender"], "VoiceFax", true),
    number(1004, admin, "+18005550111", "AdditionalCompanyNumber", ["CallerId", "SmsSender", "A2PSmsSender"]),
  ];
  extensions.forEach((e, i) => {
    if (e.type !== "User" || e.id === admin || e.status !== "Enabled") return;
    if (WITHOUT_DIRECT_NUMBER.has(e.extensionNumber!)) return;
    const features = i % 3 === 2 ? ["CallerId"] : ["SmsSender", "CallerId", "MmsSender"];
    const phone = `+1650${5550000 + Number(e.extensionNumber)}`;
    phoneNumbers.push(number(2000 + i, e.id, phone, "DirectNumber", features, "VoiceFax", true));
  });

  // What the built-in apps are given (their permissions: DEFAULT_PERMISSIONS, their grants) is saved with every
  // world: when it changes, raise WORLD_VERSION in world/save.ts and add an upgrade that gives it to older worlds.
  const apps: App[] = [
    {
      clientId: EMULATOR_CLIENT_ID,
      clientSecret: EMULATOR_CLIENT_SECRET,
      name: "Emulator App",
      grants: ["password", JWT_GRANT, "refresh_token", "authorization_code"],
      redirectUris: LOOPBACK_REDIRECTS,
      permissions: [...permissions],
    },
    {
      clientId: JWT_ONLY_CLIENT_ID,
      clientSecret: JWT_ONLY_CLIENT_SECRET,
      name: "JWT-only App",
      grants: [JWT_GRANT, "refresh_token"],
      permissions: [...permissions],
    },
    {
      clientId: PUBLIC_CLIENT_ID,
      name: "Public PKCE App",
      grants: ["authorization_code", "refresh_token"],
      redirectUris: LOOPBACK_REDIRECTS,
      permissions: [...permissions],
    },
  ];

  const messages: Message[] = [
    seedMessage(
      5001,
      "Inbound",
      "+14155550123",
      "+16505550101",
      "Hi Alice, is the demo still on for Friday?",
      now - 2 * 3600_000,
    ),
    seedMessage(5002, "Outbound", "+16505550101", "+14155550123", "Yes! 10am at the office.", now - 1.9 * 3600_000),
    seedMessage(5003, "Inbound", "+14155550188", "+16505550101", "Your order has shipped.", now - 3 * 86400_000),
  ];

  const state: EmulatorState = {
    account: { id: ACCOUNT_ID, mainNumber: MAIN_NUMBER, companyName: "Acme Robotics", creationTime: T0 },
    extensions,
    phoneNumbers,
    messages,
    apps,
    userPassword: EMULATOR_PASSWORD,
    sessions: new Map(),
    tokens: new Map(),
    codes: new Map(),
    rate: new Map(),
    faults: [],
    subscriptions: new Map(),
    wsTokens: new Map(),
    gateway: new Map(),
    webhookFailures: 0,
    stats: { grants: {}, messages: 0, requests: 0, statuses: {}, revokes: 0, penalties: 0 },
    nextId: 90000001,
    clockOffset: 0,
    calls: [],
    callLog: [],
    callHistory: { calls, now },
    presence: {},
  };
  return state;
}

function seedMessage(
  id: number,
  direction: "Inbound" | "Outbound",
  from: string,
  to: string,
  text: string,
  created: number,
): Message {
  const admin = String(extensionIdOf(101));
  const mine = (n: string) => n === "+16505550101" ? { extensionId: admin, name: "Alice Admin" } : {};
  return {
    id,
    extensionId: extensionIdOf(101),
    direction,
    from: { phoneNumber: from, ...mine(from) },
    to: [{ phoneNumber: to, ...mine(to) }],
    text,
    conversationId: String(6000000000000000 + Number(from.slice(-7)) + Number(to.slice(-7))),
    created,
    readStatus: direction === "Outbound" ? "Read" : "Unread",
    type: "SMS",
    attachments: [],
  };
}
