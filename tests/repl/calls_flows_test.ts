/**
 * The playground's call flows through the injected prompt interface, on
 * the built-in emulator: a simulated incoming call controlled from the
 * screen, a RingOut followed to its end, the call history with a call's
 * legs and a recording downloaded; Watch events decodes calls. Each flow is
 * recorded as a script that replays with `--check`.
 */
import { equal, match, ok } from "node:assert/strict";
import { createEmulator } from "../../lib/emulator/mod.ts";
import { tempDir } from "../_helpers.ts";
import { recordings, replays, replSession } from "./_repl.ts";

Deno.test("playground: simulate an incoming call, answer, hold, resume, hang up; its events; the call log", async () => {
  await using dir = await tempDir();
  const { out, run, prompter } = await replSession([
    "incoming",
    "", // from +14155550123
    true, // record it
    "answer",
    "hold",
    "unhold",
    "hangup",
    "quit",
  ], { dir: dir.path });
  await run();
  equal(prompter.remaining, 0);
  match(out.text, /✓ A call from \+14155550123 to \+16505550101 \(telephony session s-[0-9a-f]{32}\)/);
  match(out.text, /← \d\d:\d\d:\d\d call from \+14155550123 to 101 Alice Admin: Ringing/);
  match(out.text, /← \d\d:\d\d:\d\d presence: Ringing \(Available; user Available\), 1 active call/);
  match(out.text, /call from \+14155550123 to 101 Alice Admin: Connected, recording/);
  match(out.text, /call from \+14155550123 to 101 Alice Admin: On hold/);
  match(out.text, /presence: NoCall \(Available; user Available\), 0 active calls/);
  match(out.text, /Logged: Inbound from \+14155550123, Accepted, \d+ s, recorded \(\d+\); 1 leg\(s\)\./);
  const [file] = recordings(dir.path).filter((f) => f.includes("incoming-call"));
  const script = await Deno.readTextFile(file);
  // The party's path takes both ids from the injection's answer, so the replay controls its own call.
  match(
    script,
    /`\/restapi\/v1\.0\/account\/~\/telephony\/sessions\/\$\{r2\.body\.telephonySessionId\}\/parties\/\$\{r\d\.body\.(partyId|id)\}\/hold`/,
  );
  await replays(file);
});

Deno.test("playground: transfer a call to a colleague; reject another", async () => {
  await using dir = await tempDir();
  const emulator = createEmulator();
  const { out, run } = await replSession([
    "incoming",
    "+12125550147",
    false,
    "answer",
    "transfer",
    "102  Bob Baker",
    "incoming",
    "",
    false,
    "reject",
    "quit",
  ], { dir: dir.path, emulator });
  await run();
  match(out.text, /call from \+12125550147 to 101 Alice Admin: Ended \(BlindTransfer\)/);
  match(out.text, /call from \+12125550147 to Bob Baker \(\+16505550102\): Ringing/);
  match(out.text, /Transferred: the call goes on without you/);
  match(out.text, /Logged: Inbound from \+14155550123, Rejected/);
});

Deno.test("playground: place a RingOut, follow it to Success, move the clock on until it ends", async () => {
  await using dir = await tempDir();
  const start = Date.now();
  const emulator = createEmulator({ now: () => start + (Date.now() - start) * 100 }); // 100 times faster
  const { out, run } = await replSession([
    "ringout",
    "+16505550101",
    "", // +14155550123
    true,
    "skip",
    "done",
    "quit",
  ], { dir: dir.path, emulator });
  await run();
  match(out.text, /✓ Placed: RingOut \d+, InProgress \(your phone InProgress, the callee InProgress\)/);
  match(
    out.text,
    /InProgress \(your phone Success, the callee InProgress\) → Success \(your phone Success, the callee Success\)/,
  );
  match(out.text, /← \d\d:\d\d:\d\d RingOut to \+14155550123: your phone ringing/);
  match(out.text, /RingOut to \+14155550123: the callee connected/);
  match(out.text, /RingOut to \+14155550123: your phone ended/);
  const [file] = recordings(dir.path).filter((f) => f.includes("place-a-call"));
  await replays(file);
});

Deno.test("playground: call history, recorded calls of 30 days, a call's legs, its recording downloaded", async () => {
  await using dir = await tempDir();
  const { out, run } = await replSession([
    "history",
    "mine",
    30,
    "",
    true, // only calls with a recording
    "legs",
    "1 ",
    "download",
    "1 ",
    `${dir.path}/call.wav`,
    "done",
    "history",
    "company",
    7,
    "Inbound",
    false,
    "next",
    "previous",
    "done",
    "quit",
  ], { dir: dir.path });
  await run();
  // Paged by navigation.nextPage, as on RingCentral, whose call log has no totalPages or totalElements.
  match(out.text, /Page 1 \(\d+ calls?(; there are more)?; ● recorded\)\./);
  match(out.text, /Page 1 \(10 calls; there are more; ● recorded\)\./); // the company's inbound calls of 7 days
  match(out.text, /leg(s)? of call [A-Za-z0-9]{15}:/);
  match(out.text, /✓ Saved .*call\.wav: \d+ bytes of audio\/wav from http:\/\/media\.emulator\.local\./);
  ok((await Deno.stat(`${dir.path}/call.wav`)).size > 44);
  match(out.text, /Page 2 \(\d+ calls?(; there are more)?; ● recorded\)\./);
  equal(out.text.includes("undefined"), false);
  const files = recordings(dir.path).filter((f) => f.includes("call-history"));
  equal(files.length, 2);
  for (const file of files) await replays(file);
});

Deno.test("playground: call history names a recording's file by its media type (RingCentral's are MP3)", async () => {
  await using dir = await tempDir();
  const emulator = createEmulator();
  // A real account's recordings are audio/mpeg: the emulator's answers, with that media type.
  const mp3: typeof fetch = async (input, init) => {
    const response = await emulator.fetch(input, init);
    const url = new URL(input instanceof Request ? input.url : String(input));
    if (/\/recording\/\d+$/.test(url.pathname) && response.ok) {
      return Response.json({ ...(await response.json()), contentType: "audio/mpeg" }, response);
    }
    if (/\/recording\/\d+\/content$/.test(url.pathname) && response.ok) {
      const headers = new Headers(response.headers);
      headers.set("content-type", "audio/mpeg");
      return new Response(response.body, { status: response.status, headers });
    }
    return response;
  };
  const { out, run, prompter } = await replSession([
    "history",
    "mine",
    30,
    "",
    true, // only calls with a recording
    "download",
    "1 ",
    "", // the name suggested
    "done",
    "quit",
  ], { dir: dir.path, emulator, clientOptions: { fetch: mp3 } });
  const cwd = Deno.cwd();
  Deno.chdir(dir.path); // the suggested name is relative: downloads/ in this test's folder
  try {
    await run();
  } finally {
    Deno.chdir(cwd);
  }
  equal(prompter.remaining, 0);
  match(out.text, /Recording \d+: audio\/mpeg, \d+:\d\d\./);
  const [saved] = [...Deno.readDirSync(`${dir.path}/downloads`)].map((e) => e.name);
  match(saved, /^recording-\d+\.mp3$/);
  match(out.text, /✓ Saved downloads\/recording-\d+\.mp3: \d+ bytes of audio\/mpeg/);
});

Deno.test("playground: Watch events decodes telephony sessions and presence", async () => {
  await using dir = await tempDir();
  const { out, run } = await replSession([
    "watch",
    "Telephony sessions: your calls as they ring, connect and end",
    "call",
    "",
    "stop",
    "quit",
  ], { dir: dir.path });
  await run();
  match(out.text, /→ a call to \+16505550101 \(telephony session s-[0-9a-f]{32}\)/);
  match(out.text, /← \d\d:\d\d:\d\d call from \+14155550123 to 101 Alice Admin: Ringing/);
});
