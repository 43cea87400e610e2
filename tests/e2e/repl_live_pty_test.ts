/**
 * Live screens in a real terminal (issue 22, item 7): against a served
 * emulator, an event that arrives while the Watch menu waits prints above
 * the menu, the menu is drawn again below it with the new count and its
 * cursor where it was, and Inject is offered there too.
 */
import { deepEqual, equal, match, ok } from "node:assert/strict";
import { childEnv, ROOT, serveEmulator, tempDir } from "../_helpers.ts";
import { terminal } from "./_tmux.ts";

Deno.test("a live event prints above a waiting menu, which is drawn again whole, on a served emulator", async () => {
  await using s = serveEmulator();
  const env = Object.entries(childEnv(s.env)).map(([k, v]) => `${k}='${v}'`).join(" ");
  // Run from a folder of its own: the playground caches the served emulator's tokens in the current folder.
  await using dir = await tempDir();
  const start =
    `${Deno.execPath()} run --config ${ROOT}/deno.json --allow-read --allow-write --allow-env --allow-net ` +
    `--allow-run ${ROOT}/repl.ts --no-record`;
  const command = `cd ${dir.path} && env -i ${env} ${start}; sleep 30`;
  await using term = await terminal(command, { columns: 80, rows: 24 });
  await term.waitFor("RingCentral playground · emulator (sandbox settings)");
  await term.press(["Enter"], "Log in with"); // Authenticate
  await term.press(["Enter"], "✓ Logged in as Alice Admin");
  await term.waitFor(/\? What next\?[\s\S]*↑↓ navigate[^\n]*\s*$/);
  await term.press(["Down", "Down", "Down", "Down", "Enter"], "Watch which events?"); // Watch events
  await term.press(["Enter"], /Watching \(0 events\)[\s\S]*Inject an inbound SMS \(emulator\)[\s\S]*↑↓ navigate/);
  await term.press(["Down"], /❯ List the events so far/); // the cursor moves off the first choice

  const injected = await fetch(`${s.url}/__emulator/inbound-sms`, {
    method: "POST",
    body: JSON.stringify({ from: "+14155550123", text: "arrived while the menu waited" }),
  });
  ok(injected.ok, await injected.text());
  const after = await term.waitFor(/Watching \(1 event\)[\s\S]*↑↓ navigate[^\n]*\s*$/);
  const lines = after.trimEnd().split("\n");
  const event = lines.findLastIndex((l) => l.includes('SMS from +14155550123 to +16505550101: "arrived'));
  const title = lines.findLastIndex((l) => l.includes("? Watching (1 event)"));
  ok(event >= 0 && event < title, `the event is above the menu:\n${after}`);
  ok(!lines.some((l) => /navigate.*←|←.*navigate/.test(l)), "the event is not glued to the key-help line");
  match(lines.at(-1)!, /^↑↓ navigate • ⏎ select$/, "the menu is whole, its help line last");
  match(after.slice(after.lastIndexOf("? Watching (1 event)")), /❯ List the events so far/, "the cursor stayed");
  equal(after.match(/\? Watching \(0 events\)/g)?.length ?? 0, 0, "the stale menu was cleared, not left behind");
  deepEqual(await term.tooWide(), []);
});
