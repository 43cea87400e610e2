/**
 * One-line explanations of common RingCentral error codes: the likely cause
 * and the fix, for error messages and the playground.
 * @module
 */

const HINTS: Record<string, string> = {
  "OAU-140":
    "Wrong username, password or extension: check RC_USERNAME, RC_PASSWORD and RC_EXTENSION, or switch to RC_JWT",
  "OAU-123": "No client credentials were sent: set RC_CLIENT_ID and RC_CLIENT_SECRET",
  "OAU-153": "Unknown client id: copy RC_CLIENT_ID from your app in the RingCentral Developer Console",
  "OAU-146":
    "Wrong client id or secret: copy both again from the RingCentral Developer Console (a public app, which logs in with a browser, has no secret: leave RC_CLIENT_SECRET empty)",
  "OAU-109":
    "The authorization code was used already or expired (a code lives 60 s and works once): log in with the browser again",
  "OAU-106": "The redirect URI differs from the one the login started with: use one RC_REDIRECT_URI throughout",
  "OAU-108": "The PKCE code verifier does not match: log in with the browser again",
  "OAU-250": "The server does not know this grant type",
  "OAU-251":
    "Your app is not allowed this login method: enable the JWT (or password) grant in the app's Auth settings, or use the other credentials",
  "OAU-210": "The refresh token expired: the client logs in again with your credentials",
  "OAU-211": "The session was revoked (logged out elsewhere): log in again",
  "OAU-213": "The token is no longer valid (revoked, or rotated by another process): log in again",
  "OAU-128": "The access token expired: it is refreshed automatically",
  "OAU-149": "The access token is not one the server knows: log in again",
  "AGW-401": "The request had no Authorization header: call authenticate() first",
  "AGW-404": "No such API path: check the URL against the API reference",
  "CMN-101": "A parameter has an invalid value: see parameterName in the error body",
  "CMN-301": "Too many requests in this rate-limit group: wait for Retry-After before sending more",
  "MSG-245":
    "The from number does not belong to this user: pick one from /restapi/v1.0/account/~/extension/~/phone-number",
  "MSG-246": "SMS cannot go to or from an extension number: use full E.164 numbers like +16505550123",
  "MSG-367": "This number cannot send SMS: pick a number whose features include SmsSender",
  "MSG-242": "This number cannot send SMS: pick a number whose features include SmsSender",
  "MSG-304": "The phone number is not assigned to this extension",
  "MSG-241": "A fax number cannot send SMS: pick a number whose features include SmsSender",
  "MSG-380": "This number cannot send MMS: pick a number whose features include MmsSender",
  "MSG-240": "This account may not text abroad: send to a number in the account's own country",
  "CMN-406": "The same recipient appears twice in to",
  "SUB-528":
    "Your app lacks the WebSocket Subscriptions permission: add it to the app in the RingCentral Developer Console (and log in again for a new token)",
  "SUB-525":
    "The webhook address did not answer the validation request: it must return 200 within 3 s with the Validation-Token header echoed",
};

/** How the Developer Console names an app permission, where it differs from the spec's name. */
const CONSOLE_NAMES: Record<string, string> = {
  ReadAccounts: "Read Accounts",
  EditAccounts: "Edit Accounts",
  EditExtensions: "Edit Extensions",
  ReadMessages: "Read Messages",
  EditMessages: "Edit Messages",
  ReadCallLog: "Read Call Log",
  EditCallLog: "Edit Call Log",
  ReadCallRecording: "Read Call Recording",
  ReadContacts: "Read Contacts",
  ReadPresence: "Read Presence",
  EditPresence: "Edit Presence",
  WebSocket: "WebSocket Subscriptions",
  TeamMessaging: "Team Messaging",
  CallControl: "Call Control",
  VoipCalling: "VoIP Calling",
  RoleManagement: "Role Management",
  ReadAuditTrail: "Read Audit Trail",
  ReadWebinars: "Read Webinars",
  EditWebinars: "Edit Webinars",
  InternalMessages: "Internal Messages",
};

/**
 * What to do about an app permission the app lacks: where to add it.
 *
 * @example
 * ```ts
 * import { permissionHint } from "./_hints.ts";
 * import { match } from "node:assert/strict";
 * match(permissionHint("ReadCallLog"), /add "Read Call Log" \(ReadCallLog\)/);
 * match(permissionHint("ReadCallLog"), /on the emulator: start it with --permissions all/);
 * ```
 */
export function permissionHint(permission: string): string {
  const shown = CONSOLE_NAMES[permission] ? `"${CONSOLE_NAMES[permission]}" (${permission})` : `"${permission}"`;
  return `Your app lacks this permission: add ${shown} to the app's permissions in the RingCentral Developer ` +
    `Console, then log in again for a new token (on the emulator: start it with --permissions all, ` +
    `or with a --permissions list that names ${permission})`;
}

/**
 * RingCentral's `CMN-419` ("access denied") covers several refusals: the
 * message tells which, and so which fix.
 */
function accessDeniedHint(message: string): string {
  if (/another extension|other extension/i.test(message)) {
    return "A user may act only on their own extension: use ~ as the extension id, or log in as an admin " +
      "(an admin may act for others)";
  }
  if (/instructor's key/i.test(message)) {
    return "That control is the instructor's: ask them, or use your own token (log in) for faults and inbound " +
      "messages of your own";
  }
  if (/other origins/i.test(message)) {
    return "Call the emulator's control API from a script, curl or the emulator's own pages, not from another site";
  }
  if (/addressed to/i.test(message)) return "Use the address the emulator printed (http://127.0.0.1:PORT)";
  return GENERIC_403;
}

/** The fix for a 403 whose code says no more. */
const GENERIC_403 = "RingCentral refused this for this user or app: the app may lack a permission (Developer " +
  "Console → your app → Settings) or the user's role may not allow it (an admin's may)";

/**
 * The hint for an error code, if there is one; `details` (the error's
 * first item) names the permission of a `CMN-401` or `CMN-408` and tells
 * which refusal a `CMN-419` is. Every 403 has one: a code this table does
 * not know gets the general fix.
 *
 * @example
 * ```ts
 * import { hintFor } from "./_hints.ts";
 * import { match } from "node:assert/strict";
 * match(hintFor("CMN-301")!, /Retry-After/);
 * match(hintFor("CMN-408", { message: "user needs to have [ReadCompanyPhoneNumbers] permission" })!, /ReadCompanyPhoneNumbers/);
 * match(hintFor("XYZ-999", {}, 403)!, /permission/);
 * // A CMN-101 whose message names the parameter needs no hint; one that does not is told where to look.
 * match(String(hintFor("CMN-101", { message: "Parameter [to] value is invalid." })), /^undefined$/);
 * match(hintFor("CMN-101", { message: "Invalid parameter" })!, /parameterName/);
 * ```
 */
export function hintFor(
  errorCode: string | undefined,
  details?: Record<string, unknown>,
  status?: number,
): string | undefined {
  const message = String(details?.message ?? "");
  if (errorCode === "CMN-401") {
    const named = details?.permissionName ?? /\[(\w+)\]/.exec(message)?.[1];
    if (typeof named === "string") return permissionHint(named);
  }
  if (errorCode === "CMN-102") {
    const source = ID_SOURCES[String(details?.parameterName)];
    return `Nothing exists at that id: check the id${source ? ` (${source})` : ""}`;
  }
  if (errorCode === "CMN-408") {
    const named = /\[(\w+)\]/.exec(message)?.[1];
    return `Your user lacks ${named ? `the ${named}` : "a"} permission (the user's, not the app's): log in as ` +
      "a user whose role has it, such as an admin, or ask an admin to grant it in the Admin Portal";
  }
  if (errorCode === "CMN-419") return accessDeniedHint(message);
  if (errorCode === "CMN-101" && /\[[^\]]+\]/.test(message)) return undefined; // the message names it already
  return (errorCode ? HINTS[errorCode] : undefined) ?? (status === 403 ? GENERIC_403 : undefined);
}

/** Where the ids of a `CMN-102` come from, by the parameter it names. */
const ID_SOURCES: Record<string, string> = {
  messageId: "message ids come from the message store",
  callRecordId: "call-log record ids come from the call log",
  recordingId: "recording ids come from the call-log records of recorded calls",
  telephonySessionId:
    "a telephony session exists while its call lasts; its id comes from telephony events, presence or active calls",
  partyId: "party ids come from the session: GET /restapi/v1.0/account/~/telephony/sessions/{telephonySessionId}",
  ringoutId: "a RingOut's status can be read until a minute after it ended",
};
