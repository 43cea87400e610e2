/**
 * Lookups every API area of the emulator shares: the account and extension
 * a path names, and RingCentral's 404 for an unknown id.
 * @module
 */
import type { Ctx } from "./_context.ts";
import { apiError, type HttpError } from "./_http.ts";
import type { Params } from "./_router.ts";
import type { Extension } from "./state.ts";

/** RingCentral's 404 `CMN-102` for a parameter whose value names nothing. */
export function notFound(parameter: string): HttpError {
  return apiError(404, {
    errorCode: "CMN-102",
    message: `Resource for parameter [${parameter}] is not found`,
    parameterName: parameter,
  });
}

/** Throws the 404 unless the path's `accountId` is `~` or the account's id. */
export function checkAccount(ctx: Ctx, params: Params): void {
  if (params.accountId === "~" || params.accountId === String(ctx.state.account.id)) return;
  throw notFound("accountId");
}

/**
 * The extension a path names (`~` is the caller's). Throws 404 when it is
 * unknown, and 403 when `ownOnly` and it is someone else's.
 */
export function extensionOf(ctx: Ctx, params: Params, ownOnly = false): Extension {
  checkAccount(ctx, params);
  const id = params.extensionId === "~" ? ctx.session!.extensionId : Number(params.extensionId);
  const extension = ctx.state.extensions.find((e) => e.id === id);
  if (!extension) throw notFound("extensionId");
  if (ownOnly && extension.id !== ctx.session!.extensionId) {
    throw apiError(403, {
      errorCode: "CMN-419",
      message:
        "In order to call this API endpoint for another extension, user needs to have permission granted with extended scope",
    });
  }
  return extension;
}
