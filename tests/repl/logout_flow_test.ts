/** Log out: a revoke is recorded (script and .curl.sh); "already logged out", a no-op, records nothing. */
import { deepEqual, equal, match } from "node:assert/strict";
import { tempDir } from "../_helpers.ts";
import { recordings, replSession } from "./_repl.ts";

Deno.test("playground: Log out when already logged out records nothing; a real log-out is recorded", async () => {
  await using dir = await tempDir();
  const first = await replSession(["logout", "quit"], { dir: dir.path });
  await first.run();
  match(first.out.text, /Already logged out: there was no session to revoke/);
  deepEqual(recordings(dir.path), [], "no recording of a no-op");
  const written = await Array.fromAsync(Deno.readDir(`${dir.path}/recorded`)).catch(() => []);
  deepEqual(written.map((f) => f.name), [], "no .curl.sh either");

  const second = await replSession(["auth", "jwt", "logout", "quit"], { dir: dir.path });
  await second.run();
  match(second.out.text, /✓ Logged out: the session is revoked/);
  const logouts = recordings(dir.path).filter((f) => /log-out/.test(f));
  equal(logouts.length, 1, recordings(dir.path).join("\n"));
});
