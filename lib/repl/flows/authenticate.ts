/**
 * Authenticate: log in with the JWT or the password grant, showing what is
 * sent and received (secrets masked), then who is logged in.
 * @module
 */
import type { Grant, Playground } from "../playground.ts";

const GRANTS: Record<Grant, string> = {
  jwt: "JWT (recommended)",
  password: "Password (the tutorial's way; RingCentral retired it in 2024)",
  browser: "Browser: you sign in on RingCentral's page (authorization code + PKCE)",
};

/** Runs the flow. */
export async function authenticate(s: Playground): Promise<void> {
  if (s.grants.length === 0) {
    s.out.print("  No credentials: set RC_JWT (or RC_USERNAME and RC_PASSWORD) in your .env file.");
    return;
  }
  const grant = s.grants.length > 1
    ? await s.prompter.select("Log in with", s.grants.map((g) => ({ name: GRANTS[g], value: g })))
    : s.grants[0];
  await s.useGrant(grant);
  const status = await s.rc.tokenStatus();
  const named = grant === "jwt" ? "JWT" : grant === "browser" ? "authorization code" : "password";
  let again = false;
  if (status && status.accessSeconds > 0) {
    s.out.print(`  The cached access token is still valid: it is reused, as the tutorial does. Nothing was sent.`);
    if (!(await s.prompter.confirm("Log in again anyway (a new session)?", { default: false }))) return;
    again = true;
  }
  s.takeExchanges();
  if (again) await s.act("login", `Log in again (${named} grant, a new session)`, () => s.rc.login());
  else await s.act("authenticate", `Log in (${named} grant)`, () => s.rc.authenticate());
  const exchanges = s.takeExchanges();
  if (!s.httpView) { // with the view on, it was shown as it happened
    s.out.print("  What was sent and received (secrets masked):");
    for (const x of exchanges) s.printExchange(x);
  }
  const me = await s.call("Who am I", "GET", "/restapi/v1.0/account/~/extension/~");
  s.who = { name: me.body.name, extensionNumber: me.body.extensionNumber };
  s.out.print(`  ✓ Logged in as ${me.body.name} (ext ${me.body.extensionNumber}, ${me.body.type}).`);
}
