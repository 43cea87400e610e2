/**
 * The playground's Team chat through the injected prompt interface, on the
 * built-in emulator: a seeded team read with names and days, a post, a post
 * by someone else arriving live over the subscription, older pages, a new
 * team; the recording replays with `--check`.
 */
import { equal, match, ok } from "node:assert/strict";
import { RingCentral } from "../../mod.ts";
import { createEmulator } from "../../lib/emulator/mod.ts";
import { checkPostText } from "../../lib/repl/flows/team_chat.ts";
import { replayArgs } from "../../lib/repl/flows/recordings.ts";
import { ROOT, runDeno, tempDir } from "../_helpers.ts";
import { recordings, replSession } from "./_repl.ts";

Deno.test("playground: Team chat reads a team, posts, sees another user's post arrive live; the recording replays", async () => {
  await using dir = await tempDir();
  // A post from outside the session (another tool, a person) arrives too, once the session has posted: the
  // recording cannot make it again, so its replay does not wait for it.
  const emulator = createEmulator();
  let outside = false;
  const stop = emulator.activity.listen((e) => {
    if (outside || !/Hello, team/.test(e.text)) return;
    outside = true;
    void emulator.fetch(`${emulator.credentials.server}/__emulator/inbound-post`, {
      method: "POST",
      body: JSON.stringify({
        chatId: emulator.state.teamMessaging!.chats.find((c) => c.name === "Engineering")!.id,
        text: "From another terminal",
      }),
    }).then((r) => r.body?.cancel());
  });
  const { out, run, prompter } = await replSession([
    "chat",
    "Engineering",
    "post",
    "Hello, team",
    "edit",
    "Hello, team! Edited.",
    "delete",
    true,
    "other",
    "", // the default text
    "done",
    "quit",
  ], { dir: dir.path, emulator });
  await run();
  stop();
  equal(prompter.remaining, 0);
  ok(outside, "the outside post was made");
  match(out.text, /6 chats\./);
  ok(prompter.asked.includes("Which chat?"));
  match(out.text, /Engineering \(team, 5 members\)/);
  match(out.text, /── \w{3}, \d\d \w{3} \(UTC\) ──/);
  match(out.text, /\d\d:\d\d {2}Frank Foster: The gripper firmware 2\.3 is on the test bench\./);
  match(out.text, /\d\d:\d\d {2}Alice Admin: Nice\. Please log the results in the wiki\./);
  match(out.text, /✓ Watching for new posts \(subscription [0-9a-f-]{36}\)/);
  match(out.text, /→ \d\d:\d\d {2}Alice Admin: Hello, team/);
  match(out.text, /← \d\d:\d\d {2}Frank Foster: Hi! Did you see the demo\?/);
  match(out.text, /← \d\d:\d\d {2}[\w ]+: From another terminal/);
  match(out.text, /✎ \d\d:\d\d {2}Alice Admin: Hello, team! Edited\. \(edited\)/);
  match(out.text, /✗ a post was deleted \(\d+\)/);
  ok(prompter.asked.some((q) => q.startsWith('Delete "Hello, team! Edited."?')));
  equal(out.text.match(/Hi! Did you see the demo\?/g)?.length, 1, "shown once, from its event or its answer");
  ok(prompter.asked.some((q) => /^Engineering \(team, 5 members\) \(2 new\)$/.test(q)), prompter.asked.join("\n"));
  const [file] = recordings(dir.path).filter((f) => f.includes("team-chat"));
  const script = await Deno.readTextFile(file);
  match(
    script,
    /replay\.subscribe\(\s*\d+,\s*"Subscribe to new posts",\s*\(\) => rc\.subscribe\(\["\/team-messaging\/v1\/posts"\]/,
  );
  match(script, /\/__emulator\/inbound-post/);
  const replay = await runDeno([...replayArgs(script)!, "--check"], { cwd: ROOT, clearEnv: true });
  equal(replay.code, 0, replay.stdout + replay.stderr);
  match(script, /rc\.patch\(|"PATCH"/);
  match(replay.stdout, /Post events received → 4 of 4 event\(s\)/);
  match(replay.stdout, /check: every answer matches the recording/);
});

Deno.test("playground: Team chat pages back through older posts, makes a team, refuses an empty post", async () => {
  await using dir = await tempDir();
  const emulator = createEmulator({ rateLimits: false });
  const rc = new RingCentral({ ...emulator.credentials, fetch: emulator.fetch });
  const busy = await (await rc.post("/team-messaging/v1/teams", { name: "Busy" })).json();
  for (let i = 1; i <= 12; i++) await rc.post(`/team-messaging/v1/chats/${busy.id}/posts`, { text: `note ${i}` });
  const { out, run, prompter } = await replSession([
    "chat",
    "Busy",
    "older",
    "back",
    "new",
    "Rockets",
    true,
    "bob.baker@acme-robotics.example, guest@example.org",
    "post",
    "   ", // refused: empty
    "Lift-off",
    "done",
    "quit",
  ], { dir: dir.path, emulator });
  await run();
  equal(prompter.remaining, 0);
  const text = out.text;
  ok(text.indexOf("Alice Admin: note 3") < text.indexOf("Alice Admin: note 12"), "a page reads oldest first");
  ok(!/note 2\b/.test(text.slice(0, text.indexOf("(older)"))), "the first page holds the latest ten");
  match(text.slice(text.indexOf("(older)")), /Alice Admin: note 1\n.*Alice Admin: note 2\n/);
  match(text, /That is the first post of this chat\./);
  match(text, /✓ Team Rockets \(\d+\) made\./);
  match(text, /Rockets \(team, public, 3 members\)/);
  match(text, /No post yet: be the first\./);
  match(text, /→ \d\d:\d\d {2}Alice Admin: Lift-off/);
  ok(prompter.rejected.some((r) => r.startsWith("Your post: The post is empty")));
  equal(checkPostText("x".repeat(10_001)), "The post is 10001 characters; keep it under 10000");
  const team = emulator.state.teamMessaging!.chats.find((c) => c.name === "Rockets")!;
  equal(team.members.length, 3);
  equal(emulator.state.teamMessaging!.posts.at(-1)!.text, "Lift-off");
});
