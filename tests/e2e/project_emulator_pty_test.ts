/**
 * One world for every tool, in real terminals, with no credential
 * configured: the playground (on its built-in emulator, which it serves for
 * the project while it runs) sends an SMS; a `deno run` script started
 * beside it, with the README's permissions, reads that message; code mode
 * started from the playground reads it too; on quitting, the project's
 * record is gone.
 */
import { equal, match } from "node:assert/strict";
import { childEnv, ROOT, runDeno, tempDir } from "../_helpers.ts";
import { terminal } from "./_tmux.ts";

const FILES = [
  "mod.ts",
  "repl.ts",
  "deno.json",
  "deno.lock",
  ".env",
  ".env-sandbox",
  ".env-production",
  "lib",
  "scripts",
];
const SCRIPT = `import { RingCentral } from "./mod.ts";
const rc = await RingCentral.fromEnv();
const page = await (await rc.get("/restapi/v1.0/account/~/extension/~/message-store", { perPage: 5 })).json();
for (const m of page.records) console.log(m.subject);
`;

Deno.test("the playground's SMS is read by a deno run script beside it and by code mode, nothing configured", async () => {
  await using dir = await tempDir();
  await new Deno.Command("cp", { args: ["-r", ...FILES.map((f) => `${ROOT}/${f}`), dir.path] }).output();
  await Deno.writeTextFile(`${dir.path}/inbox.ts`, SCRIPT);
  const env = Object.entries(childEnv({ RC_PROJECT_EMULATOR: "" }, { minimal: true }))
    .map(([k, v]) => `${k}='${v}'`).join(" ");
  await using term = await terminal(
    `cd ${dir.path} && env -i ${env} ${Deno.execPath()} task start --record-dir ${dir.path}/recorded; ` +
      `echo "EXITED $?"; sleep 30`,
    { columns: 100, rows: 30 },
  );
  const { screen, waitFor, press } = term;
  /** Picks the menu entry `label`, moving from wherever the cursor is (up, past the top, when it is off the page). */
  const MENU = /\? What next\?[\s\S]*↑↓ navigate[^\n]*\s*$/;
  const choose = async (label: string, next: string | RegExp) => {
    for (let tries = 0; tries < 20; tries++) {
      const menu = await waitFor(MENU);
      const lines = menu.slice(menu.lastIndexOf("? What next?")).split("\n").slice(1);
      const at = lines.findIndex((l) => l.includes("❯"));
      const to = lines.findIndex((l) => l.replace("❯", " ").trim() === label);
      if (at >= 0 && to >= 0) {
        const moves = to - at;
        return await press([...Array(Math.abs(moves)).fill(moves < 0 ? "Up" : "Down"), "Enter"], next);
      }
      await press(["Up"], MENU);
      await new Promise((r) => setTimeout(r, 200)); // the menu is redrawn
    }
    throw new Error(`${label} is not on the menu:\n${await screen()}`);
  };

  await waitFor("built-in emulator, the project's while this runs");
  const url = /This playground's emulator is this project's while it runs \((http:\/\/127\.0\.0\.1:\d+)\)/
    .exec(await screen())![1];
  await choose("Authenticate", "Log in with");
  await press(["Enter"], "✓ Logged in as Alice Admin (ext 101, User).");
  await choose("Send SMS", "? From");
  await press(["Enter"], "? To");
  await press(["+16505550199", "Enter"], "? Text");
  await press(["Hello across the project"], "(24/1000)");
  await press(["Enter"], '? Send "Hello across the project"');
  await press(["Enter"], "✓ Delivered.", 30_000);

  // Another terminal: a script of the README's kind, with its permissions, and nothing configured.
  const readme = [
    "run",
    "--allow-read=.env,.env-sandbox,.env-sandbox.local,.emulator",
    "--allow-write=.emulator",
    "--allow-net=127.0.0.1",
    "--allow-env=ENVIRONMENT,RC_SERVER_URL,RC_CLIENT_ID,RC_CLIENT_SECRET,RC_JWT,RC_USERNAME,RC_PASSWORD,RC_EXTENSION," +
    "RC_REDIRECT_URI,RC_SHARED_EMULATOR,RC_NO_BROWSER,RC_PROJECT_EMULATOR",
    "inbox.ts",
  ];
  const script = await runDeno(readme, { cwd: dir.path, clearEnv: true, env: { RC_PROJECT_EMULATOR: "" } });
  equal(script.code, 0, script.stderr);
  match(script.stdout, /^Hello across the project$/m);
  match(
    script.stderr,
    new RegExp(`using this project's emulator at ${url.replaceAll(".", "\\.")} \\(started by the playground`),
  );

  await choose("Write code", "exit using ctrl+d");
  match(await screen(), /Code mode continues this playground's world: the same emulator \(this project's, at/);
  await press(
    ['(await (await rc.get("/restapi/v1.0/account/~/extension/~/message-store")).json()).records[0].subject', "Enter"],
    '"Hello across the project"',
  );
  await press(["C-u", "C-d"], "Back from code mode.");
  await choose("Quit", "EXITED 0");
  equal(
    await Deno.stat(`${dir.path}/.emulator/emulator.json`).then(() => true, () => false),
    false,
    "the project's record is withdrawn when the playground ends",
  );
});
