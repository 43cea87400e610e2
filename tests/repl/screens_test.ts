/** What the playground's screens say (issue 22): no silent wait, honest cuts, every 403 with its fix. */
import { equal, match, ok } from "node:assert/strict";
import { replSession } from "./_repl.ts";
import { createEmulator } from "../../lib/emulator/mod.ts";
import { tempDir } from "../_helpers.ts";

/** A clock that jumps over every sleep: a 60 s wait passes at once. */
function jumpingClock() {
  let t = Date.now();
  return {
    now: () => t,
    sleep: (ms: number) => {
      t += ms;
      return Promise.resolve();
    },
  };
}

Deno.test("playground: the sixth login in a minute says which limit holds it and for how long", async () => {
  await using dir = await tempDir();
  const clock = jumpingClock();
  const emulator = createEmulator({ now: clock.now });
  const again = Array.from({ length: 5 }, () => ["auth", "jwt", true]).flat();
  const { out, run } = await replSession(["auth", "jwt", ...again, "quit"], {
    dir: dir.path,
    emulator,
    record: false,
    clientOptions: clock,
  });
  await run();
  const notices = out.lines.filter((l) => l.includes("rate limit:"));
  equal(notices.length, 1, out.text);
  match(
    notices[0],
    /⏳ rate limit: holding POST \/restapi\/oauth\/token for \d+ s \(the Auth group allows 5 requests per 60 s\)/,
  );
  ok(!/429|Too Many/.test(out.text), "paced, never refused");
});
