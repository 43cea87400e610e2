/** What the playground's screens say (issue 22): no silent wait, honest cuts, every 403 with its fix. */
import { equal, match, ok } from "node:assert/strict";
import { replSession } from "./_repl.ts";
import { createEmulator } from "../../lib/emulator/mod.ts";
import { EMULATOR_PASSWORD, extensionIdOf } from "../../lib/emulator/seed.ts";
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
    /^ {2}rate limit: holding POST \/restapi\/oauth\/token for \d+ s \(the Auth group allows 5 requests per 60 s\)/,
  );
  ok(!/✗ 429|CMN-301/.test(out.text), "paced, never refused");
});

Deno.test("every 403 has its fix line: a user permission, another extension, an app permission", async () => {
  await using dir = await tempDir();
  const emulator = createEmulator();
  const { out, run } = await replSession([
    "auth",
    "password", // Bob Baker: a user, not an admin
    "custom",
    "GET",
    "/restapi/v1.0/account/~/phone-number", // CMN-408: the user's permission
    "",
    "custom",
    "GET",
    `/restapi/v1.0/account/~/extension/${extensionIdOf(101)}/phone-number`, // CMN-419: someone else's
    "",
    "custom",
    "GET",
    "/restapi/v1.0/account/~/extension/~/address-book/contact", // CMN-401: the app's permission
    "",
    "quit",
  ], {
    dir: dir.path,
    emulator,
    record: false,
    clientOptions: { username: "bob.baker@acme-robotics.example", password: EMULATOR_PASSWORD },
  });
  await run();
  const refusals = out.lines.flatMap((l, i) => l.startsWith("  ✗ 403") ? [[l, out.lines[i + 2] ?? ""]] : []);
  equal(refusals.length, 3, out.text);
  for (const [refusal, next] of refusals) match(next, /^ {4}→ \S/, `${refusal} has its fix`);
  match(refusals[0][1], /log in as a user whose role has it, such as an admin/);
  match(refusals[1][1], /use ~ as the extension id, or log in as an admin/);
  match(refusals[2][1], /add "Read Contacts" \(ReadContacts\)/);
});

Deno.test("a page number past the last is refused with how many pages there are, and asked again", async () => {
  await using dir = await tempDir();
  const { out, run, prompter } = await replSession(
    ["auth", "jwt", "extensions", [], [], "One page", "10", "9", "3", "quit"],
    { dir: dir.path, record: false },
  );
  await run();
  match(out.text, /There is no page 9: 25 extensions make 3 pages of 10\./);
  ok(prompter.asked.includes("Page number (1-3)"), prompter.asked.join("\n"));
  match(out.text, /5 shown of 25 extensions, page 3 of 3/);
});

Deno.test("the HTTP view says where it cuts a long answer, and the menu shows the whole of it", async () => {
  await using dir = await tempDir();
  const { out, run } = await replSession(
    ["http", "auth", "jwt", "custom", "GET", "/restapi/v1.0/account/~/extension", "", "answer", "quit"],
    { dir: dir.path, record: false },
  );
  await run();
  const cut = out.lines.find((l) => l.includes("… cut here"));
  ok(cut, out.text);
  const total = Number(/of ([\d,]+) characters shown/.exec(cut)![1].replaceAll(",", ""));
  ok(total > 2000, cut);
  match(cut, /the whole answer: "Last answer, whole" in the menu/);
  const whole = out.text.slice(out.text.lastIndexOf("GET /restapi/v1.0/account/~/extension ← 200"));
  match(whole, /"extensionNumber" : "801"/, "the last record, past the cut, is shown");
});
