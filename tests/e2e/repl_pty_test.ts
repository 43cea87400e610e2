/**
 * End to end in a real terminal: `deno task start` under tmux against the
 * built-in emulator: authenticate, list extensions (leaving once with
 * Escape), send an SMS, explore the API (search, pick, fill, send: a sampled
 * answer), read the SMS back through a {placeholder} path, write code in the
 * REPL, the call flows, an MMS with the sample picture (sent, delivered on
 * the emulator's clock, downloaded), quit; then every recorded script replays alone with the flags
 * written in it, and `--check` finds every answer as recorded. A second session watches telephony sessions and
 * presence, holds and transfers a call, downloads a recording and sends a fax; a third, Team chat.
 */
import { deepEqual, equal, match, ok } from "node:assert/strict";
import { replayArgs } from "../../lib/repl/flows/recordings.ts";
import { ROOT, runDeno, tempDir } from "../_helpers.ts";
import { terminal } from "./_tmux.ts";

Deno.test("deno task start in a real terminal: the flows, Explore included, then the recordings replay", async () => {
  await using dir = await tempDir();
  const command =
    `cd ${ROOT} && ${Deno.execPath()} task start --env emulator --record-dir ${dir.path}; echo "EXITED $?"; sleep 30`;
  // 80x24: the smallest terminal people have; every screen must fit its width.
  await using term = await terminal(command, { columns: 80, rows: 24 });
  const { screen, waitFor, press } = term;
  // The menu keeps its cursor on the last choice: moves are counted from there.
  const MENU = /\? What next\?[^\n]*\n(?:[^\n]*\n){10,16}[^\n]*↑↓ navigate[^\n]*\s*$/;
  const menu = async (downs: number, next: string | RegExp) => {
    await waitFor(MENU);
    await press([...Array(Math.abs(downs)).fill(downs < 0 ? "Up" : "Down"), "Enter"], next);
  };
  await waitFor("RingCentral playground · built-in emulator (offline)");

  await menu(0, "Log in with"); // Authenticate
  await press(["Enter"], "✓ Logged in as Alice Admin (ext 101, User)."); // JWT

  await menu(2, "Types (none = all)"); // List extensions (from Authenticate)
  await press(["Escape"], "← Back at the menu."); // Escape goes back
  await menu(0, "Types (none = all)"); // the cursor stayed on List extensions
  await press(["Enter"], "Statuses (none = all)");
  await press(["Enter"], "Pages");
  await press(["Enter"], "Records per page"); // all pages
  await press(["Enter"], "25 shown of 25 extensions"); // 100 per page

  await menu(1, "? From"); // Send SMS
  await press(["Enter"], "? To");
  await press(["+16505550199", "Enter"], "? Text");
  await press(["Hello from a real terminal"], "(26/1000)");
  await press(["Enter"], '? Send "Hello from a real terminal"');
  await press(["Enter"], "✓ Delivered.", 30_000);

  await menu(1, "Watch which events?"); // Watch events
  await press(["Enter"], "Watching (0 events)"); // Instant SMS
  await press(["Enter"], "From (E.164)"); // Inject an inbound SMS
  await press(["Enter"], "? Text");
  await press(
    ["Enter"],
    /SMS from \+14155550123 to \+16505550101: "Hello, are you there\?"\s+\(Inbound,\s+Received\)/,
  );
  await press(["Down", "Down", "Down", "Enter"], "Stopped watching: 1 event; subscription deleted.");

  await menu(1, "Explore RingCentral's API"); // Explore the API
  await press(["Enter"], "? Words"); // Search by words
  await press(["caller id", "Enter"], "? Operation");
  await press(["Enter"], "Fill it in and send it?"); // the first: GET …/caller-id
  match(await screen(), /app permission: ReadAccounts; rate-limit group: Light/);
  await press(["Enter"], "accountId (string)");
  await press(["Enter"], "extensionId (string)"); // ~
  await press(["Enter"], "(a sample from the spec, not behaviour: X-Emulator-Sample)"); // ~
  await waitFor('"byFeature"');

  await menu(1, "? Method"); // Custom request, with a {placeholder} path
  await press(["Enter"], "? Path"); // GET
  await press(["/restapi/v1.0/account/~/extension/~/message-store/{messageId}"], "{messageId}");
  await press(["Enter"], "messageId (from this session:");
  await press(["Enter"], "Query"); // the message just sent
  await press(["Enter"], '"messageStatus": "Delivered"');

  await menu(1, "exit using ctrl+d"); // Write code: Deno's REPL with rc ready
  match(await screen(), /Code mode continues this playground's world/);
  await press(
    ['(await (await rc.get("/restapi/v1.0/account/~/extension/~")).json()).name', "Enter"],
    '"Alice Admin"',
  );
  // The same world: the SMS sent from the menu is there.
  await press(
    ['(await (await rc.get("/restapi/v1.0/account/~/extension/~/message-store")).json()).records[0].subject', "Enter"],
    '"Hello from a real terminal"',
  );
  // A call not awaited that fails shows its error, not `Uncaught undefined`.
  await press(['rc.get("/restapi/v1.0/account/~/extension/99999")', "Enter"], /put `await` before it/);
  match(
    await screen(),
    /Uncaught \(in promise\) ApiError: GET \/restapi\/v1\.0\/account\/~\/extension\/99999\s+failed: 404/,
  );
  await press(["rc.pagi", "Tab"], "rc.paginate"); // completion knows the client
  await press(["C-u", "C-d"], "Back from code mode.");

  await menu(3, "? Caller (E.164)"); // Simulate an incoming call
  await press(["Enter"], "? Record the call");
  await press(["Enter"], "The call from +14155550123: Ringing");
  await press(["Enter"], "The call from +14155550123: Connected"); // Answer
  await press(["Down", "Down", "Enter"], "Logged: Inbound from +14155550123, Accepted"); // Hang up

  await menu(-1, "? Ring which phone first"); // Place a call (RingOut)
  await press(["Enter"], "? Call (E.164"); // your direct number
  await press(["Enter"], "? Ring +16505550101, then call +14155550123?");
  await press(["Enter"], /→ Success \(your phone\s+Success, the callee\s+Success\)/, 30_000);
  await press(["Down", "Enter"], "RingOut to +14155550123: your phone ended"); // move the clock on
  await press(["Up", "Enter"], /Its record is in your call log\s+once it ends/); // Done

  await menu(2, "? Whose calls?"); // Call history
  await press(["Enter"], "? Which period?"); // mine
  await press(["Enter"], "? Which direction?"); // the last 24 hours
  await press(["Enter"], "? Only calls with a recording?");
  await press(["Enter"], /Page 1 \(\d+ calls?(; there are more)?; ● recorded\)/);
  match(await screen(), /RingOut Web|Outbound +101 Alice Admin → \+14155550123/);
  await press(["Up", "Enter"], "recorded:"); // Done

  await menu(1, "? Send what?"); // Send an MMS or fax
  await press(["Enter"], "? From"); // An MMS
  await press(["Enter"], "? To (E.164"); // +16505550101
  await press(["+14155550123", "Enter"], "? Text (may be empty)");
  await press(["From tmux", "Enter"], "? Attach which file?");
  await press(["Enter"], "? Attach another file?"); // the sample picture
  await press(["Enter"], "2. picture.png  image/png"); // No, that is all: the upload, part by part
  await press(["Enter"], /✓ Sent: message \d+, Queued/); // Send the MMS?
  await press(["Down", "Enter"], "Queued → Delivered"); // move the emulator's clock on
  await press(["Enter"], "? Save picture.png (image/png) as"); // Download its files
  await press([`${dir.path}/tmux.png`, "Enter"], "bytes of image/png from http://media.emulator.local.");
  await press(["Down", "Enter"], "recorded:"); // Done

  await menu(-13, "EXITED 0"); // Up from Send an MMS or fax past the top wraps to Quit
  const final = await screen();
  match(final, /^Bye\.$/m);
  equal(/\n\s+at .*\.ts:\d+/.test(final), false, "no stack trace on the screen");
  // The scrollback joins the lines the terminal wrapped: a line longer than 80 is one that did not fit.
  const wide = await term.tooWide();
  deepEqual(wide, [], `every line fits 80 columns; these do not:\n${wide.join("\n")}`);

  const files = [...Deno.readDirSync(dir.path)].filter((e) => e.name.endsWith(".ts")).map((e) =>
    `${dir.path}/${e.name}`
  )
    .sort();
  // authenticate, extensions, SMS, watch events, explore, custom request, code mode, the three call flows, the MMS
  equal(files.length, 11, files.join("\n"));
  match(
    await Deno.readTextFile(files.find((f) => f.includes("explore"))!),
    /rc\.get\("\/restapi\/v1\.0\/account\/~\/extension\/~\/caller-id"\)/,
  );
  for (const file of files) {
    const args = replayArgs(await Deno.readTextFile(file));
    ok(args, `${file} has its replay command`);
    // The built-in emulator needs no permission; events need their loopback socket.
    // The MMS reads the picture it sends from its path.
    const allowed = /watch-events|incoming-call|place-a-call/.test(file)
      ? ["--allow-net=127.0.0.1"]
      : /send-an-mms-or-fax/.test(file)
      ? ["--allow-read=lib/repl/samples/picture.png"]
      : [];
    deepEqual(args.filter((a) => a.startsWith("--allow")), allowed);
    const r = await runDeno([...args, "--check"], { cwd: ROOT, clearEnv: true });
    equal(r.code, 0, `${file}\n${r.stdout}\n${r.stderr}`);
    match(r.stdout, /check: every answer matches the recording/);
  }
});

// A session of its own (the Auth group's budget: a login and three WebSocket tokens): the call flows' other halves.
Deno.test("deno task start in a real terminal: watch calls and presence, hold and transfer, a recording, a fax", async () => {
  await using dir = await tempDir();
  const command =
    `cd ${ROOT} && ${Deno.execPath()} task start --env emulator --record-dir ${dir.path}; echo "EXITED $?"; sleep 30`;
  await using term = await terminal(command, { columns: 80, rows: 24 });
  const { screen, waitFor, press } = term;
  const MENU = /\? What next\?[^\n]*\n(?:[^\n]*\n){10,16}[^\n]*↑↓ navigate[^\n]*\s*$/;
  const menu = async (downs: number, next: string | RegExp) => {
    await waitFor(MENU);
    await press([...Array(Math.abs(downs)).fill(downs < 0 ? "Up" : "Down"), "Enter"], next);
  };
  await waitFor("RingCentral playground · built-in emulator (offline)");

  await menu(4, "Watch which events?"); // Watch events, logging in as it goes
  await press(["Down", "Down", "Enter"], "Watching (0 events)"); // Telephony sessions
  await press(["Enter"], "From (E.164)"); // Simulate an incoming call
  await press(["Enter"], /call from \+14155550123 to 101 Alice Admin: Ringing/);
  await press(["Down", "Down", "Enter"], /Stopped watching: \d+ events?; subscription deleted\./);

  await menu(7, "? Whose calls?"); // Call history (from Watch events)
  await press(["Enter"], "? Which period?"); // mine
  await press(["Down", "Down", "Enter"], "? Which direction?"); // the last 30 days
  await press(["Enter"], "? Only calls with a recording?"); // both directions
  await press(["y", "Enter"], /Page 1 \(\d+ calls?; ● recorded\)/); // only recorded calls
  await press(["Down", "Enter"], "? Which call?"); // Download a call's recording
  await press(["Enter"], /Recording \d+: audio\/wav, \d+:\d\d\.[\s\S]*\? Save it as/);
  await press([`${dir.path}/call.wav`, "Enter"], /✓ Saved .*call\.wav: \d+ bytes of audio\/wav/);
  await press(["Up", "Enter"], "recorded:"); // Done

  await menu(1, "? Send what?"); // Send an MMS or fax
  await press(["Down", "Enter"], "? Fax to"); // A fax
  await press(["+14155550199", "Enter"], "? Resolution");
  await press(["Enter"], "? Cover page"); // Low
  await press(["Enter"], "? Attach which file?"); // None
  await press(["Down", "Enter"], "? Attach another file?"); // the sample letter
  await press(["Enter"], "? Send the fax to +14155550199?"); // No, that is all
  await press(["Enter"], /✓ Sent: message \d+, Queued/);
  await press(["Down", "Enter"], "✓ Sent: the fax went out"); // move the emulator's clock on (30 s)
  await press(["Up", "Enter"], "recorded:"); // Done

  // Simulate an incoming call: the fax's clock move ended the watched call above, whose events would mix in here.
  await menu(-2, "? Caller (E.164)");
  await press(["Enter"], "? Record the call");
  await press(["Enter"], "The call from +14155550123: Ringing");
  await press(["Enter"], "The call from +14155550123: Connected"); // Answer
  await press(["Enter"], "The call from +14155550123: On hold"); // Hold
  await press(["Down", "Enter"], "? Transfer to"); // Transfer to a colleague
  await press(["Enter"], "Transferred: the call goes on without you"); // the first colleague

  await menu(-6, "Watch which events?"); // Watch events: the call transferred above no longer changes Alice's presence
  // The screen keeps the first watch's lines: these waits look for what only this one prints, or for a second time.
  await press(["Down", "Down", "Down", "Enter"], /✓ Subscribed \(\S+\) to\s+\S+\/presence/); // Presence
  await press(["Enter"], /From \(E\.164\)[\s\S]*From \(E\.164\)/);
  await press(["Enter"], /presence: Ringing[\s\S]*presence: Ringing/); // the incoming call's, then this one's
  await press(["Down", "Down", "Enter"], /(Stopped watching: \d+ events?; subscription deleted\.[\s\S]*){2}/);

  await menu(-5, "EXITED 0"); // Up from Watch events past the top wraps to Quit
  const final = await screen();
  equal(/\n\s+at .*\.ts:\d+/.test(final), false, "no stack trace on the screen");
  const wide = await term.tooWide();
  deepEqual(wide, [], `every line fits 80 columns; these do not:\n${wide.join("\n")}`);
  ok((await Deno.stat(`${dir.path}/call.wav`)).size > 44);

  const files = [...Deno.readDirSync(dir.path)].filter((e) => e.name.endsWith(".ts")).map((e) =>
    `${dir.path}/${e.name}`
  )
    .sort();
  const kinds = files.map((f) => /Z_([a-z-]+?)(_\d+)?\.ts$/.exec(f)?.[1] ?? f); // <time>Z_<flow>.ts
  deepEqual(kinds.toSorted(), ["call-history", "incoming-call", "send-an-mms-or-fax", "watch-events", "watch-events"]);
  for (const file of files) {
    const args = replayArgs(await Deno.readTextFile(file));
    ok(args, `${file} has its replay command`);
    const allowed = /watch-events|incoming-call/.test(file) ? ["--allow-net=127.0.0.1"] : [];
    deepEqual(args.filter((a) => a.startsWith("--allow")), allowed, `${file}: ${args.join(" ")}`);
    const r = await runDeno([...args, "--check"], { cwd: ROOT, clearEnv: true });
    equal(r.code, 0, `${file}\n${r.stdout}\n${r.stderr}`);
    match(r.stdout, /check: every answer matches the recording/);
  }
});

// A session of its own: the flows above use up the Auth group's budget (a WebSocket token each), and the client would
// hold a sixth for the rest of the minute.
Deno.test("deno task start in a real terminal: Team chat reads a team, posts, and shows another user's post live", async () => {
  await using dir = await tempDir();
  const command =
    `cd ${ROOT} && ${Deno.execPath()} task start --env emulator --record-dir ${dir.path}; echo "EXITED $?"; sleep 30`;
  await using term = await terminal(command, { columns: 80, rows: 24 });
  const { screen, waitFor, press } = term;
  const MENU = /\? What next\?[^\n]*\n(?:[^\n]*\n){10,16}[^\n]*↑↓ navigate[^\n]*\s*$/;
  await waitFor("RingCentral playground · built-in emulator (offline)");
  await waitFor(MENU);
  await press([...Array(13).fill("Down"), "Enter"], "? Which chat?"); // Team chat, logging in as it goes
  await press(["Down", "Down", "Enter"], "✓ Watching for new posts"); // Engineering
  match(await screen(), /\d\d:\d\d {2}Frank Foster: The gripper firmware 2\.3 is on the test bench\./);
  await press(["Enter"], "? Your post"); // Post a message
  await press(["Hi from a real terminal", "Enter"], /→ \d\d:\d\d {2}Alice Admin: Hi from a real terminal/);
  await press(["Down", "Down", "Down", "Enter"], "? What they post"); // past Edit and Delete your last post
  await press(["Enter"], /← \d\d:\d\d {2}Frank Foster: Hi! Did you see the demo\?/);
  await waitFor(/Engineering \(team, 5 members\) \(1 new\)/); // the live prompt counts it
  await press(["Down", "Down", "Down", "Enter"], "recorded:"); // Done
  await waitFor(MENU);
  await press([...Array(14).fill("Up"), "Enter"], "EXITED 0"); // past the top wraps to Quit
  const wide = await term.tooWide();
  deepEqual(wide, [], `every line fits 80 columns; these do not:\n${wide.join("\n")}`);
  const [file] = [...Deno.readDirSync(dir.path)].filter((e) => e.name.endsWith("team-chat.ts"))
    .map((e) => `${dir.path}/${e.name}`);
  ok(file, "the flow was recorded");
  const args = replayArgs(await Deno.readTextFile(file))!;
  deepEqual(args.filter((a) => a.startsWith("--allow")), ["--allow-net=127.0.0.1"]); // its events' loopback socket
  const r = await runDeno([...args, "--check"], { cwd: ROOT, clearEnv: true });
  equal(r.code, 0, `${file}\n${r.stdout}\n${r.stderr}`);
  match(r.stdout, /Post events received → 2 of 2 event\(s\)/);
  match(r.stdout, /check: every answer matches the recording/);
});
