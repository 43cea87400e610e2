/** The playground's flows through the injected prompt interface. */
import { deepEqual, equal, match, ok } from "node:assert/strict";
import { createEmulator } from "../../lib/emulator/mod.ts";
import { CTRL_C, ESCAPE } from "../../lib/repl/prompt.ts";
import { checkRecipient, checkText } from "../../lib/repl/flows/sms.ts";
import { parseQuery, suggestPaths } from "../../lib/repl/flows/custom.ts";
import { changesFor, replayArgs } from "../../lib/repl/flows/recordings.ts";
import { emulatorJwt, extensionIdOf } from "../../lib/emulator/seed.ts";
import { recordings, replSession } from "./_repl.ts";
import { JWT, ROOT, runDeno, serveEmulator, stats, tempDir } from "../_helpers.ts";

/** An emulator whose clock runs 100 times faster, so SMS are delivered in 50 ms. */
function fastEmulator() {
  const start = Date.now();
  return createEmulator({ now: () => start + (Date.now() - start) * 100 });
}

Deno.test("playground: the banner tells environment, server and auth state", async () => {
  await using dir = await tempDir();
  const { session } = await replSession([], { dir: dir.path });
  deepEqual(await session.banner(), [
    "RingCentral playground · built-in emulator (offline)",
    "  server      http://emulator.local",
    "  switch      no credentials in .env-sandbox: fill RC_CLIENT_ID, RC_CLIENT_SECRET and RC_JWT in .env-sandbox.local to use your account",
    "  auth        not logged in (jwt credentials)",
    `  recordings  ${dir.path}/recorded/`,
    "  keys        ↑↓ choose · Enter picks · Esc goes back · Ctrl-C cancels a step or, at the menu, quits",
  ]);
});

Deno.test("playground: authenticate shows the exchange with secrets masked, then who is logged in", async () => {
  await using dir = await tempDir();
  const { out, run, session } = await replSession(["auth", "jwt", "auth", "password", "quit"], { dir: dir.path });
  await run();
  match(out.text, /→ POST \/restapi\/oauth\/token\n {4}authorization: Basic \[REDACTED\]/);
  match(out.text, /grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer&assertion=\[REDACTED\]/);
  match(out.text, /"access_token" : "\[REDACTED\]"/);
  match(out.text, /"refresh_token" : "\[REDACTED\]"/);
  match(out.text, /grant_type=password&username=%2B16505550100&password=\[REDACTED\]&extension=101/);
  match(out.text, /✓ Logged in as Alice Admin \(ext 101, User\)\./);
  match(
    await session.authLine(),
    /^Alice Admin \(ext 101\) via password, access token 59m \d\ds left, refresh token 6d 23h$/,
  );
  equal(recordings(dir.path).length, 2);
});

Deno.test("playground: authenticating again reuses a valid token unless asked", async () => {
  await using dir = await tempDir();
  const { out, run } = await replSession(["auth", "jwt", "auth", "jwt", false, "quit"], { dir: dir.path });
  await run();
  match(out.text, /The cached access token is still valid: it is reused, as the tutorial does\. Nothing was sent\./);
  equal(recordings(dir.path).length, 1);
});

Deno.test('trust: "Log in again anyway? Yes" really logs in again: a new grant, a new session', async () => {
  await using dir = await tempDir();
  const { out, run, emulator } = await replSession(["auth", "jwt", "auth", "jwt", true, "quit"], { dir: dir.path });
  await run();
  const grants = emulator!.state.stats.grants[JWT];
  deepEqual(grants, { ok: 2, failed: 0 });
  equal([...emulator!.state.sessions.values()].filter((x) => !x.revoked).length, 2);
  match(out.text, /Log in again \(JWT grant, a new session\)|grant_type=urn/);
  const [, second] = recordings(dir.path);
  match(await Deno.readTextFile(second), /rc\.login\(\)/);
});

Deno.test("playground: list extensions, all pages, then filtered and one page", async () => {
  await using dir = await tempDir();
  const { out, run, prompter } = await replSession([
    "extensions",
    [],
    [],
    true,
    "0",
    "abc",
    "10",
    "extensions",
    ["User"],
    ["Disabled", "NotActivated"],
    false,
    "",
    "1",
    "quit",
  ], { dir: dir.path });
  await run();
  deepEqual(prompter.rejected, [
    "Records per page (1-1000): Enter a whole number from 1 to 1000",
    "Records per page (1-1000): Enter a whole number from 1 to 1000",
  ]);
  match(out.text, /^ {2}Ext {2}Name +Type +Status +Email$/m);
  match(out.text, /^ {2}501 {2}Main Menu {14}IvrMenu/m);
  match(
    out.text,
    /25 shown of 25 extensions, all 3 pages \(16 User, 3 Department, 1 Announcement, 1 Voicemail, 1 IvrMenu, 1 ParkLocation, 1 FaxUser, 1 Limited\)/,
  );
  match(out.text, /2 shown of 2 extensions, page 1 of 1 \(2 User\)/);
  const [allPages] = recordings(dir.path);
  const script = await Deno.readTextFile(allPages);
  match(script, /List extensions, page 3/, "three pages of 10 were fetched and recorded");
});

Deno.test("playground: send SMS checks number and text as typed, confirms, follows to Delivered", async () => {
  await using dir = await tempDir();
  const emulator = fastEmulator();
  const { out, run, prompter } = await replSession([
    "sms",
    "+16505550101",
    "12345",
    "+1 650 555 0199",
    "+16505550199",
    "",
    "😀".repeat(501),
    "Hi there",
    true,
    "quit",
  ], { dir: dir.path, emulator });
  await run();
  deepEqual(prompter.rejected, [
    "To (E.164, such as +16505550123): Use E.164: a + and the country code, such as +16505550123",
    "To (E.164, such as +16505550123): Use E.164: + then 8 to 15 digits, no spaces or dashes (such as +16505550123)",
    "Text: The text is empty",
    "Text: The text is 1002 characters; SMS allow 1000 (emoji count as 2)",
  ]);
  match(out.text, /2 of your 4 numbers can send SMS \(feature SmsSender\)\./);
  match(out.text, /✓ Sent: message \d+, Queued/);
  match(out.text, /✓ Delivered\./);
  ok(prompter.asked.includes('Send "Hi there" from +16505550101 to +16505550199?'));
  equal(emulator.state.stats.messages, 1);
});

Deno.test("playground: a failing recipient ends SendingFailed; declining sends nothing", async () => {
  await using dir = await tempDir();
  const emulator = fastEmulator();
  const { out, run } = await replSession([
    "sms",
    "+16505550101",
    "+15550001234",
    "fail",
    true,
    "sms",
    "+16505550101",
    "+16505550199",
    "not this one",
    false,
    "quit",
  ], { dir: dir.path, emulator });
  await run();
  match(out.text, /✗ SendingFailed \(SMS-CAR-411\): the carrier did not deliver it\./);
  match(out.text, /Not sent\./);
  equal(emulator.state.stats.messages, 1);
});

Deno.test("playground: production sends say they are real and ask first", async () => {
  await using s = serveEmulator({ rateLimits: false });
  await using dir = await tempDir();
  const { run, prompter } = await replSession(["sms", "+16505550101", "+16505550199", "hello", false, "quit"], {
    dir: dir.path,
    env: s.env,
    production: true,
  });
  await run();
  ok(
    prompter.asked.includes(
      "This sends a REAL SMS from +16505550101 to +16505550199 on your production account. Send it?",
    ),
  );
  equal((await stats(s.url)).messages, 0);
});

Deno.test("playground: a user whose numbers cannot send SMS is told so", async () => {
  await using s = serveEmulator({ rateLimits: false });
  await using dir = await tempDir();
  const env = { ...s.env, RC_JWT: emulatorJwt(extensionIdOf(103)), RC_USERNAME: "", RC_PASSWORD: "" };
  const { out, run } = await replSession(["sms", "quit"], { dir: dir.path, env, grants: ["jwt"] });
  await run();
  match(out.text, /None of your numbers can send SMS \(no number has the SmsSender feature\)\./);
});

Deno.test("playground: custom requests, validation, and an API error with its fix", async () => {
  await using dir = await tempDir();
  const { out, run, prompter } = await replSession([
    "custom",
    "GET",
    "restapi",
    "/restapi/v1.0/account/{accountId}",
    "a/b",
    "~",
    "perPage",
    "",
    "custom",
    "GET",
    "/restapi/v1.0/nothing",
    "",
    "custom",
    "PATCH",
    "/restapi/v1.0/account/~/extension/~/message-store/5001",
    "",
    "{bad",
    '{"readStatus": "Read"}',
    "quit",
  ], { dir: dir.path });
  await run();
  deepEqual(prompter.rejected.slice(0, 3), [
    "Path: Start the path with /, such as /restapi/v1.0/account/~",
    "accountId: Enter the accountId: one path segment, no spaces",
    "Query (such as perPage=10&type=User; empty for none): Use key=value pairs joined by &",
  ]);
  match(prompter.rejected[3], /^JSON body \(Enter keeps this example; empty it for none\): Not JSON: /);
  match(out.text, /"mainNumber": "\+16505550100"/);
  match(
    out.text,
    /✗ 404 AGW-404 Resource not found\n {4}request id [0-9a-f-]{36}\n {4}→ No such API path: check the URL against the API reference/,
  );
  match(out.text, /"readStatus": "Read"/);
  equal(recordings(dir.path).length, 3, "the failed request is recorded too: it is what happened");
});

Deno.test("playground: token status, refresh now, the HTTP view, log out", async () => {
  await using dir = await tempDir();
  const { out, run } = await replSession([
    "token", // not logged in yet
    "auth",
    "jwt",
    "token",
    "refresh",
    "http",
    "custom",
    "GET",
    "/restapi/v1.0/account/~",
    "",
    "http",
    "logout",
    "quit",
  ], { dir: dir.path });
  await run();
  match(out.text, /Not logged in: no tokens in the cache\./);
  match(out.text, /access token {3}59m \d\ds left/);
  match(out.text, /✓ Refreshed\./);
  match(
    out.text,
    /The HTTP view is on\.[\s\S]*?→ GET \/restapi\/v1\.0\/account\/~\n {4}authorization: Bearer \[REDACTED\]/,
  );
  match(out.text, /✓ Logged out: the session is revoked/);
  match(out.text, /The HTTP view is off\./);
});

Deno.test("playground: Ctrl-C cancels the current step, a second Ctrl-C at the menu quits", async () => {
  await using dir = await tempDir();
  const { out, run, prompter } = await replSession(["custom", "GET", CTRL_C, CTRL_C], { dir: dir.path });
  await run();
  match(out.text, /Cancelled\.\n {2}Back at the menu; Ctrl-C here, or Quit, ends the session\./);
  equal(out.lines.at(-1), "Bye.");
  equal(prompter.remaining, 0);
});

Deno.test("playground: Escape or Back goes back to the menu, which stays where the user was", async () => {
  await using dir = await tempDir();
  const { out, run, prompter } = await replSession([
    "extensions",
    ESCAPE, // in the Types picker
    ESCAPE, // at the menu: nothing to go back to, the menu stays
    "sms",
    "Back", // in the From picker
    "custom",
    "Back", // in the Method picker
    "quit",
  ], { dir: dir.path });
  await run();
  match(out.text, /← Back at the menu\./);
  ok(!out.text.includes("Ctrl-C here"), "Escape is not explained as Ctrl-C");
  equal(prompter.remaining, 0);
  equal(recordings(dir.path).length, 0, "nothing was recorded for flows left at once");
  equal(out.lines.at(-1), "Bye.");
});

Deno.test("playground: Ctrl-C while waiting on the network cancels the request, not the session", async () => {
  await using s = serveEmulator({ rateLimits: false });
  await using dir = await tempDir();
  const interrupt = new EventTarget();
  const { out, run } = await replSession(["custom", "GET", "/restapi/v1.0/account/~", "", "quit"], {
    dir: dir.path,
    env: s.env,
    interrupt,
  });
  const fault = await fetch(`${s.url}/__emulator/faults`, {
    method: "POST",
    body: JSON.stringify({ path: "/restapi/v1.0/account/~", delayMs: 600_000 }), // ten minutes: only Ctrl-C ends it
  });
  await fault.body?.cancel();
  const presser = setInterval(() => {
    if (out.lines.includes("… GET /restapi/v1.0/account/~")) interrupt.dispatchEvent(new Event("sigint"));
  }, 20);
  await run();
  clearInterval(presser);
  match(out.text, /Cancelled\.\n {2}Back at the menu/, "the request was abandoned, not waited for");
  equal(out.lines.at(-1), "Bye.");
});

Deno.test("playground: save the session as one script; recordings list, show and replay", async () => {
  await using dir = await tempDir();
  const { out, run } = await replSession(["auth", "jwt", "save", "recordings", { value: "" }, "quit"], {
    dir: dir.path,
  });
  await run();
  match(out.text, /saved: .*_session\.ts/);
  const files = recordings(dir.path);
  equal(files.length, 2);
  const session = files.find((f) => f.endsWith("_session.ts"))!;
  const { out: out2, run: run2 } = await replSession([
    "recordings",
    session.split("/").pop()!,
    "show",
    "recordings",
    session.split("/").pop()!,
    "check",
    "quit",
  ], { dir: dir.path });
  await run2();
  match(out2.text, /^ {2}\/\/ session: Log in \(JWT grant\); Who am I\./m);
  match(out2.text, /\$ deno run .*_session\.ts --check/);
  match(
    out2.text,
    /1\. Log in \(JWT grant\) → 200\n {2}2\. Who am I → 200\n {2}check: every answer matches the recording/,
  );
  match(out2.text, /✓ Replayed\./);
});

Deno.test("playground helpers: recipient and text checks, query parsing, path suggestions, replay args", () => {
  equal(checkRecipient("+16505550123"), true);
  equal(checkRecipient("16505550123"), "Use E.164: a + and the country code, such as +16505550123");
  equal(checkText("a".repeat(1000)), true);
  deepEqual(parseQuery("type=User&type=Department&perPage=10"), { type: ["User", "Department"], perPage: "10" });
  deepEqual(suggestPaths("phone"), ["/restapi/v1.0/account/~/extension/~/phone-number"]);
  deepEqual(
    replayArgs(
      "// x\n//   deno run --allow-net=h scripts/recorded/a.ts\n//   deno run --allow-net=h scripts/recorded/a.ts --check",
    ),
    [
      "run",
      "--allow-net=h",
      "scripts/recorded/a.ts",
    ],
  );
});

Deno.test("playground command line: flags are checked with clear messages", async () => {
  const { parseFlagsOfRepl } = await import("../../repl.ts");
  deepEqual(parseFlagsOfRepl(["--env", "emulator", "--no-record"]), {
    env: "emulator",
    recordDir: "scripts/recorded",
    record: false,
    browser: true,
  });
  deepEqual(parseFlagsOfRepl(["--record-dir=/tmp/x", "--no-browser"]), {
    env: undefined,
    recordDir: "/tmp/x",
    record: true,
    browser: false,
  });
  equal(parseFlagsOfRepl(["-h"]), "help");
  const message = (args: string[]) => {
    try {
      parseFlagsOfRepl(args);
      return "no error";
    } catch (e) {
      return (e as Error).message;
    }
  };
  equal(message(["--env", "prod"]), '--env must be sandbox, production or emulator (got "prod")');
  equal(message(["--env"]), "--env needs a value");
  equal(message(["--colour"]), "Unknown option --colour");
  equal(message(["start"]), "Unexpected argument start: options start with --");
});

Deno.test("playground: a recording that changes data for real is recognised by its header", () => {
  equal(
    changesFor(
      "// x\n// It changes data for real on https://platform.ringcentral.com (it sends what the session sent). A replay asks\n",
    ),
    "https://platform.ringcentral.com",
  );
  equal(changesFor("// It uses the emulator's own credentials; this file holds no secret.\n"), undefined);
});

Deno.test("playground: Authenticate → Browser logs in with the authorization code flow, offline too, and records it", async () => {
  await using dir = await tempDir();
  const { out, run, emulator } = await replSession(["auth", "browser", "quit"], { dir: dir.path });
  await run();
  match(out.text, /Log in to RingCentral in your browser\. Open this URL:/);
  match(
    out.text,
    /http:\/\/emulator\.local\/restapi\/oauth\/authorize\?response_type=code&client_id=emulator-public-id/,
  );
  match(out.text, /The built-in emulator runs offline, where no browser reaches it: it approves as Alice Admin/);
  match(out.text, /✓ Logged in as Alice Admin \(ext 101/);
  equal(emulator!.state.stats.grants.authorization_code.ok, 1);
  const [recording] = recordings(dir.path);
  const script = await Deno.readTextFile(recording);
  match(script, /RingCentral\.fromEnv\(\{ useEmulator: true, grant: "browser" \}\)/);
  match(script, /deno run --allow-net=127\.0\.0\.1 /);
  for (const secret of [/code=EMC/, /code_verifier/, /EMU[A-Za-z0-9_-]{20}/]) {
    equal(secret.test(script), false, String(secret));
  }
  const replay = await runDeno([...replayArgs(script)!, "--check"], { cwd: dir.path });
  equal(replay.code, 0, replay.stdout + replay.stderr);
  match(replay.stdout, /check: every answer matches the recording/);
});

Deno.test("playground: the HTTP view shows each exchange once; with it off, one line per endpoint a flow called", async () => {
  await using dir = await tempDir();
  const on = await replSession(["http", "auth", "jwt", "quit"], { dir: dir.path });
  await on.run();
  equal(on.out.text.match(/→ POST \/restapi\/oauth\/token/g)?.length, 1, "the token call, once");
  const off = await replSession([
    "extensions",
    [],
    [],
    true,
    "10",
    "custom",
    "GET",
    "/restapi/v1.0/account/~/extension/~",
    "",
    "quit",
  ], {
    dir: dir.path,
  });
  await off.run();
  equal(off.out.text.match(/→ GET \/restapi\/v1\.0\/account\/~\/extension\?/g)?.length, 1, "three pages, one line");
  match(off.out.text, /→ GET \/restapi\/v1\.0\/account\/~\/extension\/~ ← 200 \(\d+ ms\)/);
  match(await off.session.authLine(), /^Alice Admin \(ext 101\) via JWT/, "who is logged in, learnt from any flow");
});

Deno.test("playground: a {placeholder} path is filled from the session, and the recording stands alone", async () => {
  await using dir = await tempDir();
  const emulator = fastEmulator();
  const { out, run, prompter } = await replSession([
    "sms",
    "+16505550101",
    "+16505550199",
    "Hello",
    true,
    "custom",
    "GET",
    "/restapi/v1.0/account/~/extension/~/message-store/{messageId}",
    "", // Enter: the message just sent
    "",
    "custom",
    "POST",
    "/restapi/v1.0/account/~/extension/~/sms",
    "",
    "", // Enter: the example body, with this user's SmsSender number
    "quit",
  ], { dir: dir.path, emulator });
  await run();
  const sent = emulator.state.messages.slice(-2); // the two this session sent
  deepEqual(sent.map((m) => m.text), ["Hello", "Hello from the playground"]);
  ok(
    prompter.asked.some((q) => new RegExp(`^messageId \\(from this session: ${sent[0].id}`).test(q)),
    prompter.asked.join("\n"),
  );
  equal(sent[1].from.phoneNumber, "+16505550101", "the example body used the user's SmsSender number");
  match(out.text, new RegExp(`"id": ${sent[0].id}`));
  const scripts = await Promise.all(recordings(dir.path).map((f) => Deno.readTextFile(f)));
  const script = scripts.find((t) => t.startsWith("// custom request:") && t.includes("message-store/"))!;
  match(script, /Send the SMS/, "the step that created the message joins the recording");
  match(script, /message-store\/\$\{r1\.body\.id\}/);
  match(script, /^\/\/ {3}npx -y deno@2 run \S+\.ts --check$/m, "the command for those with only Node.js");
  const replay = await runDeno([...replayArgs(script)!, "--check"], { cwd: dir.path });
  equal(replay.code, 0, replay.stdout + replay.stderr);
});

Deno.test("playground: a request as curl, from the menu and from a recording, secrets as $RC_ variables", async () => {
  await using dir = await tempDir();
  const { out, run } = await replSession([
    "sms",
    "+16505550101",
    "+16505550199",
    "Hi",
    true,
    "curl",
    "recordings",
    "2", // the newest recording (its name starts with the year): the SMS flow's
    "curl",
    "quit",
  ], { dir: dir.path, emulator: fastEmulator() });
  await run();
  match(
    out.text,
    /curl -X GET "\$RC_SERVER_URL"'\/restapi\/v1\.0\/account\/~\/extension\/~\/message-store\/\d+' \\\n {4}-H "Authorization: Bearer \$RC_ACCESS_TOKEN"/,
  );
  match(
    out.text,
    /# 2\. Send the SMS\n {2}curl -X POST "\$RC_SERVER_URL"'\/restapi\/v1\.0\/account\/~\/extension\/~\/sms'/,
  );
  match(out.text, /--data '\{"from":\{"phoneNumber":"\+16505550101"\}/);
  match(out.text, /message-store\/'"\$R2_ID"/, "the followed message's id is the send's answer");
  ok(!/EMU[A-Za-z0-9_-]{20}/.test(out.text), "no token in the curl commands");
  // Offline, the exports say that curl needs a served emulator, and how to get a token.
  match(out.text, /curl cannot reach the built-in emulator: start one with `deno task emulator`/);
  match(out.text, /# This session ran on the built-in emulator[^\n]*curl cannot reach\./);
  match(out.text, /# {3}export RC_ACCESS_TOKEN=\$\(deno task token\)/);
});

Deno.test("playground: logged in elsewhere (a replay, an earlier run), the menu names the user, not an id", async () => {
  await using s = serveEmulator({ rateLimits: false });
  await using dir = await tempDir();
  const env = { ...s.env, RC_USERNAME: "", RC_PASSWORD: "" };
  const { RingCentral } = await import("../../mod.ts");
  await (await RingCentral.fromEnv({ dir: dir.path, env })).authenticate(); // as a replay would, through the cache
  const { session } = await replSession([], { dir: dir.path, env, grants: ["jwt"] });
  match(await session.authLine(), /^Alice Admin \(ext 101\) via JWT, access token/);
});

Deno.test("playground: Watch events shows an injected SMS live, fetches it, and records a replayable script", async () => {
  await using dir = await tempDir();
  const instant = "/restapi/v1.0/account/~/extension/~/message-store/instant?type=SMS";
  const { out, run, prompter } = await replSession(
    ["watch", instant, "inject", "", "", "fetch", "list", "stop", "quit"],
    { dir: dir.path },
  );
  await run();
  match(
    out.text,
    /✓ Subscribed \([0-9a-f-]{36}\) to \/restapi\/v1\.0\/account\/~\/extension\/~\/message-store\/instant/,
  );
  match(
    out.text,
    /← \d\d:\d\d:\d\d SMS from \+14155550123 to \+16505550101: "Hello, are you there\?" \(Inbound, Received\)/,
  );
  match(out.text, /Inbound SMS from \+14155550123: "Hello, are you there\?" \(Received, Unread\)/);
  match(out.text, /Stopped watching: 1 event; subscription deleted\./);
  equal(out.text.match(/← \d\d:\d\d:\d\d SMS from \+14155550123/g)?.length, 2, "shown as it came, and listed again");
  ok(prompter.asked.some((q) => q.startsWith("Fetch") || q.startsWith("Watching (1 event)")));
  const [recording] = recordings(dir.path);
  const script = await Deno.readTextFile(recording);
  match(script, /deno run --allow-net=127\.0\.0\.1 /);
  match(script, /replay\.subscribe\(\s*1,\s*"Subscribe to events",\s*\(\) => rc\.subscribe\(\[/);
  match(script, /rc\.get\(`\/restapi\/v1\.0\/account\/~\/extension\/~\/message-store\/\$\{r2\.body\.id\}`\)/);
  match(script, /replay\.events\(4, "Events received", r1, 1\)/);
  const replay = await runDeno([...replayArgs(script)!, "--check"], { cwd: dir.path });
  equal(replay.code, 0, replay.stdout + replay.stderr);
  match(replay.stdout, /event: \/restapi\/v1\.0\/account\/\d+\/extension\/\d+\/message-store\/instant\?type=SMS/);
  match(replay.stdout, /4\. Events received → 1 of 1 event\(s\)/);
  match(replay.stdout, /check: every answer matches the recording/);
});

Deno.test("playground: Workshop starts a step from its starter, checks it, shows the goal, starts it over", async () => {
  await using dir = await tempDir();
  const file = `${dir.path}/workshop/step1.ts`;
  const starter = await Deno.readTextFile(`${ROOT}/workshop/starters/step1.ts`);
  const { out, run } = await replSession([
    "workshop",
    "1", // not started: created from the starter, with its goal
    "workshop",
    "1",
    "check", // the starter does not do the step
    "workshop",
    "1",
    "goal",
    "workshop",
    "1",
    "reset",
    false, // changed its mind: the file stays
    "quit",
  ], { dir: dir.path });
  await run();
  const text = out.text;
  match(text, /Goal: print the logged-in user's name and extension number/);
  match(text, /step1\.ts is created from its starter: edit it, then come back here to check it/);
  match(
    text,
    /✗ Step 1 \(who am I\?\) is not done yet \(seed \d+\):\n {4}- print the user's name \([A-Z]\w+ [A-Z]\w+\)/,
  );
  match(text, /Your script printed \(1 line\):\n {6}│ http:\/\/127\.0\.0\.1:\d+/, "the script's output is shown");
  equal(await Deno.readTextFile(file), starter);
  deepEqual(recordings(dir.path), [], "a workshop flow calls no API: nothing to record");

  await Deno.copyFile(`${ROOT}/tests/workshop/step1.ts`, file);
  const again = await replSession([
    "workshop",
    "1",
    "check",
    "workshop",
    "1",
    "run",
    "workshop",
    "1",
    "reset",
    true,
    "quit",
  ], {
    dir: dir.path,
  });
  await again.run();
  match(again.out.text, /✓ Step 1 \(who am I\?\) is done \(seed \d+\)\./);
  match(
    again.out.text,
    /│ Alice Admin \(ext 101\)\n {2}It ended with exit code 0 after 2 requests\./,
    "Run it shows its output",
  );
  match(again.out.text, /step1\.ts is the starter again\. Your file is kept as .*step1\.ts\.bak\./);
  equal(await Deno.readTextFile(file), starter);
  equal(await Deno.readTextFile(`${file}.bak`), await Deno.readTextFile(`${ROOT}/tests/workshop/step1.ts`));
});

Deno.test("playground: Ctrl-C during a Workshop check cancels the check, not the playground", async () => {
  await using dir = await tempDir();
  const interrupt = new EventTarget();
  // The attendee's script calls this server once it runs, then waits for ever: Ctrl-C is pressed then.
  const running = Promise.withResolvers<void>();
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, () => {
    running.resolve();
    return new Response("running");
  });
  try {
    await Deno.mkdir(`${dir.path}/workshop`);
    await Deno.writeTextFile(
      `${dir.path}/workshop/step1.ts`,
      `await (await fetch("http://127.0.0.1:${server.addr.port}/")).text();\n` +
        "await new Promise(() => setInterval(() => {}, 1000)); // for ever\n",
    );
    running.promise.then(() => interrupt.dispatchEvent(new Event("sigint")));
    const { out, run } = await replSession(["workshop", "1", "check", "quit"], { dir: dir.path, interrupt });
    await run();
    match(out.text, /… Checking .*step1\.ts against a fresh emulator \(Ctrl-C cancels the check\)/);
    match(out.text, /Cancelled\.\n {2}Back at the menu/, "the check was stopped, the playground carries on");
    ok(!out.text.includes("ran out of time"));
    equal(out.lines.at(-1), "Bye.");
  } finally {
    await server.shutdown();
  }
});

Deno.test("playground: Watch events says what a message-store event holds: new messages by id, updated ones", async () => {
  const { describeEvent } = await import("../../lib/repl/flows/watch.ts");
  const event = (changes: unknown[]) => ({
    uuid: "u",
    event: "/restapi/v1.0/account/1/extension/2/message-store",
    timestamp: "2026-12-08T10:11:12.000Z",
    subscriptionId: "s",
    ownerId: "2",
    body: { changes },
  });
  equal(
    describeEvent(event([{ type: "SMS", newCount: 1, updatedCount: 0, newMessageIds: [42] }])),
    "  ← 10:11:12 message store changed: 1 new SMS (id 42)",
  );
  equal(
    describeEvent(event([{ type: "Fax", newCount: 0, updatedCount: 2 }])),
    "  ← 10:11:12 message store changed: 2 updated Fax (a status or read change)",
  );
});
