/**
 * The instructor's key of a workshop room's emulator: who may use its
 * controls, and log in as any user, without an attendee's own JWT.
 * @module
 */
import type { Ctx } from "./_context.ts";

/** The header that carries the instructor's key. */
export const KEY_HEADER = "X-Emulator-Key";

/**
 * The room's JWT secret when the request is in a workshop room and does not carry the instructor's key
 * (it may then log in only with a JWT the room signed); `undefined` outside a room or for the instructor.
 */
export function attendeeLock(ctx: Ctx): string | undefined {
  const room = ctx.options.room;
  if (!room || ctx.request.headers.get(KEY_HEADER) === room.key) return undefined;
  return room.secret;
}

/** What an attendee does instead of a login the room refuses them. */
export const ROOM_LOGIN_HINT = "log in with the JWT you got when you joined the room (open /__emulator/room); " +
  `other logins need the instructor's key (${KEY_HEADER})`;
