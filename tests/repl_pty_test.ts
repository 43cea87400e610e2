/**
 * End to end in a real terminal: `deno task start` under tmux against the
 * built-in emulator: authenticate, list extensions, send an SMS, quit; then
 * every recorded script replays with the flags written in it.
 */
import { equal, match, ok } from "node:assert/strict";
import { replayArgs } from "../lib/repl/flows/recordings.ts";
import { ROOT, runDeno, tempDir } from "./_helpers.ts";

async function tmux(...args: string[]): Promise<string> {
  const r = await new Deno.Command("tmux", { args, stdout: "piped", stderr: "piped" }).output();
  if (r.code !== 0) throw new Error(`tmux ${args[0]}: ${new TextDecoder().decode(r.stderr)}`);
  return new TextDecoder().decode(r.stdout);
}

Deno.test("deno task start in a real terminal: three flows, then the recordings replay", async () => {
  await using dir = await tempDir();
  const name = `rc-e2e-${Deno.pid}`;
  const command =
    `cd ${ROOT} && ${Deno.execPath()} task start --env emulator --record-dir ${dir.path}; echo "EXITED $?"; sleep 30`;
  await tmux("new-session", "-d", "-s", name, "-x", "160", "-y", "50", command);
  const screen = () => tmux("capture-pane", "-p", "-J", "-t", name, "-S", "-2000");
  const waitFor = async (text: string | RegExp, timeoutMs = 20_000) => {
    const end = Date.now() + timeoutMs;
    for (;;) {
      const s = await screen();
      if (typeof text === "string" ? s.includes(text) : text.test(s)) return s;
      if (Date.now() > end) throw new Error(`timed out waiting for ${text}; the screen:\n${s}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  };
  // A prompt is drawn a moment before it listens: keys sent at once may be lost.
  const keys = async (...k: string[]) => {
    await new Promise((r) => setTimeout(r, 250));
    await tmux("send-keys", "-t", name, ...k);
  };
  const menu = async (downs: number) => {
    await waitFor(/\? What next\?[^\n]*\n❯ Authenticate\s*$/m);
    await keys(...Array(downs).fill("Down"), "Enter");
  };
  try {
    await waitFor("RingCentral playground · built-in emulator (offline)");

    await menu(0); // Authenticate
    await waitFor("Log in with");
    await keys("Enter"); // JWT
    await waitFor("✓ Logged in as Alice Admin (ext 101, User).");

    await menu(2); // List extensions
    await waitFor("Types (none = all)");
    await keys("Enter");
    await waitFor("Statuses (none = all)");
    await keys("Enter");
    await waitFor("Pages");
    await keys("Enter"); // all pages
    await waitFor("Records per page");
    await keys("Enter"); // 100
    await waitFor("25 shown of 25 extensions");

    await menu(3); // Send SMS
    await waitFor("? From");
    await keys("Enter");
    await waitFor("? To");
    await keys("+16505550199", "Enter");
    await waitFor("? Text");
    await keys("Hello from a real terminal");
    await waitFor("(26/1000)");
    await keys("Enter");
    await waitFor('? Send "Hello from a real terminal"');
    await keys("Enter");
    await waitFor("✓ Delivered.", 30_000);

    await menu(9); // Quit
    const final = await waitFor("EXITED 0");
    match(final, /^Bye\.$/m);
    equal(/\n\s+at .*\.ts:\d+/.test(final), false, "no stack trace on the screen");
  } finally {
    await tmux("kill-session", "-t", name).catch(() => "");
  }

  const files = [...Deno.readDirSync(dir.path)].map((e) => `${dir.path}/${e.name}`).sort();
  equal(files.length, 3, files.join("\n"));
  for (const file of files) {
    const args = replayArgs(await Deno.readTextFile(file));
    ok(args, `${file} has its replay command`);
    equal(args.filter((a) => a.startsWith("--allow")).length, 0, "the built-in emulator needs no permission");
    const r = await runDeno([...args, "--check"], { cwd: ROOT, clearEnv: true });
    equal(r.code, 0, `${file}\n${r.stdout}\n${r.stderr}`);
    match(r.stdout, /check: every answer matches the recording/);
  }
});
