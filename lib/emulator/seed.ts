/**
 * The emulator's fixed, realistic seed account: Acme Robotics, a company
 * with users, departments and special extensions, their phone numbers (some
 * that can send SMS, some that cannot), a few messages, and the apps and
 * credentials that work against it.
 * @module
 */
import { JWT_GRANT } from "../grants.ts";
import type { App, EmulatorState, Extension, Message, PhoneNumber } from "./state.ts";
import {
  ACCOUNT_ID,
  EMULATOR_CLIENT_ID,
  EMULATOR_CLIENT_SECRET,
  EMULATOR_PASSWORD,
  extensionIdOf,
  JWT_ONLY_CLIENT_ID,
  JWT_ONLY_CLIENT_SECRET,
  LOOPBACK_REDIRECTS,
  MAIN_NUMBER,
  PUBLIC_CLIENT_ID,
} from "./credentials.ts";

export * from "./credentials.ts";

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
 * import { seedState, type SeedOptions } from "./mod.ts";
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
}

/**
 * Builds a fresh state from the seed.
 *
 * @example The seed account
 * ```ts
 * import { seedState } from "./mod.ts";
 * import { equal } from "node:assert/strict";
 * const state = seedState({ now: Date.now() });
 * equal(state.account.companyName, "Acme Robotics");
 * equal(state.extensions.length, 25);
 * ```
 */
export function seedState({ extensions: total, now }: SeedOptions): EmulatorState {
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

  const apps: App[] = [
    {
      clientId: EMULATOR_CLIENT_ID,
      clientSecret: EMULATOR_CLIENT_SECRET,
      name: "Emulator App",
      grants: ["password", JWT_GRANT, "refresh_token", "authorization_code"],
      redirectUris: LOOPBACK_REDIRECTS,
    },
    {
      clientId: JWT_ONLY_CLIENT_ID,
      clientSecret: JWT_ONLY_CLIENT_SECRET,
      name: "JWT-only App",
      grants: [JWT_GRANT, "refresh_token"],
    },
    {
      clientId: PUBLIC_CLIENT_ID,
      name: "Public PKCE App",
      grants: ["authorization_code", "refresh_token"],
      redirectUris: LOOPBACK_REDIRECTS,
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

  return {
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
    responseCache: new Map(),
  };
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
