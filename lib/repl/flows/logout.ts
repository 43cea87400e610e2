/**
 * Log out: revoke the session and clear the token cache.
 * @module
 */
import type { Playground } from "../playground.ts";

/** Runs the flow. */
export async function logout(s: Playground): Promise<void> {
  let outcome = "";
  const label = "Log out (revoke the session)";
  await s.waitFor(label, async () => void (outcome = await s.rc.logout()));
  // Already logged out, nothing happened: nothing to record (no script, no .curl.sh, for a no-op).
  if (outcome !== "not-logged-in") s.record({ kind: "logout", label });
  s.who = undefined;
  s.out.print(
    outcome === "revoked"
      ? "  ✓ Logged out: the session is revoked at /restapi/oauth/revoke and the token cache is cleared."
      : outcome === "not-logged-in"
      ? "  Already logged out: there was no session to revoke (the token cache is empty)."
      : "  ✗ The token cache is cleared, but the server did not confirm the revoke: the session may stay valid until it expires.",
  );
}
