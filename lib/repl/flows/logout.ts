/**
 * Log out: revoke the session and clear the token cache.
 * @module
 */
import type { Playground } from "../playground.ts";

/** Runs the flow. */
export async function logout(s: Playground): Promise<void> {
  let outcome = "";
  await s.act("logout", "Log out (revoke the session)", async () => void (outcome = await s.rc.logout()));
  s.who = undefined;
  s.out.print(
    outcome === "revoked"
      ? "  ✓ Logged out: the session is revoked at /restapi/oauth/revoke and the token cache is cleared."
      : outcome === "not-logged-in"
      ? "  Already logged out: there was no session to revoke (the token cache is empty)."
      : "  ✗ The token cache is cleared, but the server did not confirm the revoke: the session may stay valid until it expires.",
  );
}
