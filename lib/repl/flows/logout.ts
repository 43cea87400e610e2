/**
 * Log out: revoke the session and clear the token cache.
 * @module
 */
import type { Step } from "../recorder.ts";
import type { Session } from "../session.ts";

/** Runs the flow. */
export async function logout(s: Session): Promise<void> {
  const steps: Step[] = [];
  await s.act(steps, "logout", "Log out (revoke the session)", () => s.rc.logout());
  s.who = undefined;
  s.out.print("  ✓ Logged out: the session is revoked at /restapi/oauth/revoke and the token cache is cleared.");
  await s.save("log out", steps);
}
