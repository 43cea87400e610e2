/**
 * Log out: revoke the session and clear the token cache.
 * @module
 */
import type { Session } from "../session.ts";

/** Runs the flow. */
export async function logout(s: Session): Promise<void> {
  await s.act("logout", "Log out (revoke the session)", () => s.rc.logout());
  s.who = undefined;
  s.out.print("  ✓ Logged out: the session is revoked at /restapi/oauth/revoke and the token cache is cleared.");
}
