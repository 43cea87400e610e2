/**
 * The playground's Explore: find an operation by words or by area, see what
 * it needs (a permission the app lacks, before sending), fill it in from the
 * schema, send it, see a sampled answer labelled as one; each recorded as a
 * script that type-checks.
 */
import { equal, match, ok } from "node:assert/strict";
import { createEmulator } from "../../lib/emulator/mod.ts";
import { DEFAULT_PERMISSIONS } from "../../lib/emulator/permissions.ts";
import { runDeno, tempDir } from "../_helpers.ts";
import { recordings, replays, replSession } from "./_repl.ts";

const CALL_LOG = "GET    /restapi/v1.0/account/{accountId}/extension/{extensionId}/call-log";

Deno.test("explore: a search finds the call log; the app lacks ReadCallLog, said before sending, then 403", async () => {
  await using dir = await tempDir();
  const { out, run, prompter } = await replSession([
    "auth",
    "jwt",
    "explore",
    "search",
    "call log",
    CALL_LOG,
    true, // fill it in and send it
    ["view"], // optional parameters
    "", // accountId: ~
    "", // extensionId: ~
    "Detailed",
    "quit",
  ], {
    dir: dir.path,
    emulator: createEmulator({ permissions: DEFAULT_PERMISSIONS.filter((p) => p !== "ReadCallLog") }),
  });
  await run();
  equal(prompter.remaining, 0);
  match(out.text, /app permission: ReadCallLog; rate-limit group: Heavy/);
  match(out.text, /view \(query: one of Simple, Detailed\)/);
  // A long description is cut after a whole word, on one line.
  match(
    out.text,
    /\n {4}dateTo \(query: string \(date-time\)\) — The end of the time range to return call records in ISO 8601 format including timezone, for example…\n/,
  );
  match(out.text, /reference: https:\/\/developers\.ringcentral\.com\/api-reference\/Call-Log\/readUserCallLog/);
  match(
    out.text,
    /⚠ Your app lacks ReadCallLog: this call will get 403 CMN-401\.\n.*add "Read Call Log" \(ReadCallLog\)/,
  );
  match(
    out.text,
    /✗ 403 CMN-401 In order to call this API endpoint, application needs to have \[ReadCallLog\] permission/,
  );
  const [recording] = recordings(dir.path).filter((f) => f.includes("explore"));
  match(
    await Deno.readTextFile(recording),
    /rc\.get\("\/restapi\/v1\.0\/account\/~\/extension\/~\/call-log", \{ view: "Detailed" \}\)/,
  );
});

Deno.test("explore: browse by area, then a PUT with the spec's sample body; the sampled answer is labelled", async () => {
  await using dir = await tempDir();
  const emulator = createEmulator({ permissions: [...DEFAULT_PERMISSIONS, "ReadCallLog", "EditExtensions"] });
  const { out, run } = await replSession([
    "explore",
    "browse",
    "Voice",
    "Call Log",
    CALL_LOG,
    true,
    [],
    "",
    "",
    "explore",
    "search",
    "caller id",
    "PUT    /restapi/v1.0/account/{accountId}/extension/{extensionId}/caller-id",
    true,
    "",
    "",
    "", // the JSON body: the sample from the spec
    "quit",
  ], { dir: dir.path, emulator });
  await run();
  match(out.text, /← 200 {2}\(a sample from the spec, not behaviour: X-Emulator-Sample\)/);
  match(out.text, /"byFeature": \[/);
  const files = recordings(dir.path).filter((f) => f.includes("explore"));
  equal(files.length, 2);
  match(await Deno.readTextFile(files[1]), /rc\.put\("\/restapi\/v1\.0\/account\/~\/extension\/~\/caller-id", \{/);
  const checked = await runDeno(["check", ...files]);
  equal(checked.code, 0, checked.stderr);
  ok(emulator.state.stats.statuses["200"] >= 3);
});

Deno.test("explore: at start-up (no login yet) the permission the app lacks is said before sending", async () => {
  await using dir = await tempDir();
  const emulator = createEmulator({ permissions: DEFAULT_PERMISSIONS.filter((p) => p !== "EditExtensions") });
  const { out, run, prompter } = await replSession([
    "explore",
    "search",
    "call logz nothing", // matches nothing: asked again
    "update company business hours",
    "PUT    /restapi/v1.0/account/{accountId}/business-hours",
    false, // do not send it
    "quit",
  ], { dir: dir.path, emulator });
  await run();
  equal(prompter.remaining, 0);
  match(out.text, /No operation matches "call logz nothing": try other words/);
  match(out.text, /app permission: EditExtensions;/);
  match(out.text, /⚠ Your app lacks EditExtensions: this call will get 403 CMN-401\./);
  equal(recordings(dir.path).length, 0);
});

Deno.test("explore: send sms with every default: the sample carries your SMS number and a real recipient, 200", async () => {
  await using dir = await tempDir();
  const { out, run, prompter } = await replSession([
    "explore",
    "search",
    "send sms",
    "POST   /restapi/v1.0/account/{accountId}/extension/{extensionId}/sms",
    false, // not the Send SMS flow: here
    true, // fill it in and send it
    "", // accountId: ~
    "", // extensionId: ~
    "", // the JSON body as prefilled
    "explore",
    "search",
    "fax",
    "POST   /restapi/v1.0/account/{accountId}/extension/{extensionId}/fax",
    false, // not the MMS or fax flow
    "quit",
  ], { dir: dir.path });
  await run();
  equal(prompter.remaining, 0);
  match(out.text, /The playground's "Send SMS" flow does this step by step/);
  match(out.text, /← 200\n/);
  match(out.text, /"messageStatus": "(Queued|Sent|Delivered)"/);
  match(
    out.text,
    /needs a multipart\/form-data body, which Explore cannot fill in, so it is not sent: the "Send an MMS or fax" flow sends one\./,
  );
  const files = recordings(dir.path).filter((f) => f.includes("explore"));
  equal(files.length, 1, "the fax, not sent, is not recorded");
  const script = await Deno.readTextFile(files[0]);
  const sent = /rc\.post\("\/restapi\/v1\.0\/account\/~\/extension\/~\/sms", (\{[\s\S]*?\n\s*\})\)/.exec(script)?.[1];
  ok(sent, script);
  match(sent, /from: \{ phoneNumber: "\+16505550101" \}/);
  match(sent, /to: \[\{ phoneNumber: "\+16505550123" \}\]/);
  match(sent, /text: "Hello from Explore"/);
  ok(!sent.includes('"string"'), `no placeholder left in what was sent: ${sent}`);
  await replays(files[0]);
});
