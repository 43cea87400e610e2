/**
 * Token status: access and refresh expiry and scope; refresh now.
 * @module
 */
import type { Playground } from "../playground.ts";
import { duration } from "../_view.ts";

/** Runs the flow. */
export async function tokenStatus(s: Playground): Promise<void> {
  const show = async () => {
    const t = await s.rc.tokenStatus();
    if (!t) {
      s.out.print("  Not logged in: no tokens in the cache.");
      return false;
    }
    s.out.print(`  access token   ${t.accessSeconds > 0 ? `${duration(t.accessSeconds)} left` : "expired"}`);
    s.out.print(
      `  refresh token  ${
        t.refreshSeconds === undefined
          ? "none"
          : t.refreshSeconds > 0
          ? `${duration(t.refreshSeconds)} left`
          : "expired"
      }`,
    );
    s.out.print(`  scope          ${t.scope ?? "(not given)"}`);
    s.out.print(`  owner          extension id ${t.ownerId ?? "?"}`);
    return true;
  };
  if (!(await show())) return;
  const action = await s.prompter.select("Token", [
    { name: "Back", value: "back" },
    { name: "Refresh now (a new access token; the refresh token is single-use)", value: "refresh" },
  ]);
  if (action === "refresh") {
    await s.act("refresh", "Refresh the access token", () => s.rc.refresh());
    s.out.print("  ✓ Refreshed.");
    await show();
  }
}
