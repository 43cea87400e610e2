/**
 * App permissions: each app has a set (`x-app-permission` names, such as
 * `ReadCallLog`); its tokens carry them as their scope, and a call whose
 * operation needs one the token lacks gets RingCentral's 403 `CMN-401`.
 * @module
 */
import type { Ctx } from "./_context.ts";
import { apiError, type HttpError } from "./_http.ts";

/**
 * The permissions the built-in apps have: those docs/real-account.md tells
 * users to grant their own app (Read Accounts, SMS, Faxes, Read Messages,
 * Edit Messages, WebSocket Subscriptions, Read Call Log, Read Call
 * Recording, RingOut, Call Control, Read Presence, Edit Presence, Team
 * Messaging), named as the spec names them.
 *
 * @example
 * ```ts
 * import { DEFAULT_PERMISSIONS } from "./permissions.ts";
 * import { ok } from "node:assert/strict";
 * ok(DEFAULT_PERMISSIONS.includes("SMS"));
 * ```
 */
export const DEFAULT_PERMISSIONS: readonly string[] = [
  "ReadAccounts",
  "SMS",
  "Faxes",
  "ReadMessages",
  "EditMessages",
  "WebSocket",
  "ReadCallLog",
  "ReadCallRecording",
  "RingOut",
  "CallControl",
  "ReadPresence",
  "EditPresence",
  "TeamMessaging",
];

/**
 * RingCentral's 403 for a call the app lacks a permission for: `CMN-401`,
 * with the permission's name.
 */
export function missingPermission(permission: string): HttpError {
  const message = `In order to call this API endpoint, application needs to have [${permission}] permission`;
  return apiError(403, { errorCode: "CMN-401", message, permissionName: permission });
}

/**
 * Throws the 403 when the caller's token was issued without `permission`
 * (a token carries the permissions its app had when it was issued).
 */
export function requirePermission(ctx: Ctx, permission: string | undefined): void {
  if (!permission || !ctx.session) return;
  if (!ctx.session.scope.split(" ").includes(permission)) throw missingPermission(permission);
}
