/**
 * Reporting a check to a workshop room follows the caller's own setup: the
 * playground's (started with --env emulator, it reports nowhere, whatever
 * the .env files say), or the one decided from the .env files.
 */
import { equal, match, ok } from "node:assert/strict";
import { ROOT, serveEmulator, tempDir } from "../_helpers.ts";
import { replSession } from "../repl/_repl.ts";
import { setupFromEnv } from "../../lib/from_env.ts";
import { runMenu } from "../../lib/repl/menu.ts";
import { BufferOutput } from "../../lib/repl/output.ts";
import { Playground } from "../../lib/repl/playground.ts";
import { ScriptedPrompter } from "../../lib/repl/prompt.ts";

const KEY = "instructor-key-for-tests";

/** A room, and a folder whose .env files name it with an attendee's credentials. */
async function roomAndFolder() {
  const room = serveEmulator({ room: { key: KEY }, rateLimits: false });
  const dir = await tempDir();
  const joined = await fetch(`${room.url}/__emulator/room/join`, {
    method: "POST",
    headers: { "Content-Type": "application/json", Accept: "application/json" },
    body: JSON.stringify({ name: "Ada Lovelace" }),
  });
  const { lines } = await joined.json() as { lines: string[] };
  await Deno.writeTextFile(`${dir.path}/.env`, "ENVIRONMENT=sandbox\n");
  await Deno.writeTextFile(`${dir.path}/.env-sandbox`, `RC_SERVER_URL=${room.url}\nRC_SHARED_EMULATOR=yes\n`);
  await Deno.writeTextFile(`${dir.path}/.env-sandbox.local`, `${lines.join("\n")}\n`);
  await Deno.mkdir(`${dir.path}/workshop`);
  await Deno.copyFile(`${ROOT}/tests/workshop/step1.ts`, `${dir.path}/workshop/step1.ts`);
  const progress = () =>
    fetch(`${room.url}/__emulator/room/progress`, { headers: { "X-Emulator-Key": KEY } }).then((r) => r.text());
  return { room, dir, lines, progress };
}

Deno.test("workshop room: the playground on the built-in emulator (--env emulator) reports no check, whatever the .env files name", async () => {
  const { room, dir, progress } = await roomAndFolder();
  await using _room = room;
  await using _dir = dir;
  // As `deno task start --env emulator` starts it: the built-in emulator, whatever is configured.
  const out = new BufferOutput();
  const session = Playground.start({
    prompter: new ScriptedPrompter(["workshop", "1", "check", "quit"]),
    out,
    setup: await setupFromEnv({ useEmulator: true }),
    workshopDir: `${dir.path}/workshop`,
  });
  await runMenu(session);
  match(out.text, /✓ Step 1 \(who am I\?\) is done/);
  ok(!out.text.includes("reported to the room"), out.text);
  ok(!out.text.includes("could not report"), out.text);
  match(await progress(), /Ada Lovelace +\d+ {2}· · · · · · · ·/, "nothing reported");
});

Deno.test("workshop room: the playground on the room's emulator reports each check there", async () => {
  const { room, dir, lines, progress } = await roomAndFolder();
  await using _room = room;
  await using _dir = dir;
  const env = Object.fromEntries(
    [`RC_SERVER_URL=${room.url}`, "RC_SHARED_EMULATOR=yes", ...lines].map((l) => l.split(/=(.*)/s).slice(0, 2)),
  );
  const { out, run } = await replSession(["workshop", "1", "check", "quit"], { dir: dir.path, env });
  await run();
  match(out.text, new RegExp(`\\(reported to the room at ${room.url}\\)`));
  match(await progress(), /Ada Lovelace +\d+ {2}✓ · · · · · · ·/);
  equal(room.emulator.state.stats.messages, 0, "the check ran on its own emulator, not the room's");
});
