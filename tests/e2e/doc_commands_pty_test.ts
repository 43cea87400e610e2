/**
 * The commands of the README and the docs, run in a real terminal (where a
 * missing permission is a question, not an error): none may ask for a
 * permission. Interactive and long commands are covered elsewhere (the
 * playground's real-terminal test, CI itself); the emulator is stopped once
 * it prints where it listens.
 */
import { deepEqual, ok } from "node:assert/strict";
import { childEnv, ROOT, tempDir } from "../_helpers.ts";
import { terminal } from "./_tmux.ts";

const DOCS = [
  "README.md",
  "notebooks/README.md",
  ...[...Deno.readDirSync(`${ROOT}/docs`)].filter((f) => f.name.endsWith(".md")).map((f) => `docs/${f.name}`),
];

/** Every `deno run` / `deno task` line of the docs' shell blocks, `npx -y deno@2` read as `deno`. */
function docCommands(): { file: string; command: string }[] {
  const found: { file: string; command: string }[] = [];
  for (const file of DOCS) {
    const text = Deno.readTextFileSync(`${ROOT}/${file}`);
    for (const [, block] of text.matchAll(/```(?:sh|bash)\n([\s\S]*?)```/g)) {
      for (const raw of block.replace(/\\\n/g, " ").split("\n")) {
        const line = raw.replace(/^\$ /, "").replace(/\s+#.*$/, "").replace(/^npx -y deno@2 /, "deno ").trim();
        if (/^deno (run|task) /.test(line)) found.push({ file, command: line.replace(/\s+/g, " ") });
      }
    }
  }
  return found;
}

/** Commands not run here, and why. */
const ELSEWHERE: [RegExp, string][] = [
  [/^deno task (start|repl)\b/, "interactive: tests/e2e/repl_pty_test.ts"],
  [/^deno task (test|ok|notebooks|bench)\b/, "the suite itself, or CI's own steps"],
  [/^deno task emulator:room\b/, "listens on every interface: tests/emulator/room_test.ts"],
  [/--allow-net=platform\.ringcentral\.com/, "a real account (run below against the built-in emulator)"],
  [/^deno task exercise\b/, "runs a check: tests/e2e/workshop_test.ts"],
];

Deno.test("every command of the README and the docs runs in a real terminal without asking for a permission", async () => {
  const commands = docCommands();
  ok(commands.length >= 8, commands.map((c) => c.command).join("\n"));
  await using dir = await tempDir();
  // A fresh copy of what a clone has, where hello.ts (the README's script) can be written.
  await new Deno.Command("cp", {
    args: [
      "-r",
      ...["mod.ts", "deno.json", "deno.lock", ".env", ".env-sandbox", ".env-production", "lib", "scripts"]
        .map((f) => `${ROOT}/${f}`),
      dir.path,
    ],
  }).output();
  const readme = Deno.readTextFileSync(`${ROOT}/README.md`);
  const hello = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]).find((b) => b.includes(".fromEnv()"))!;
  Deno.writeTextFileSync(`${dir.path}/hello.ts`, hello);
  const env = Object.entries(childEnv({}, { minimal: true })).map(([k, v]) => `${k}='${v}'`).join(" ");
  const asked: string[] = [];
  let ran = 0;
  for (const { file, command } of commands) {
    if (ELSEWHERE.some(([pattern]) => pattern.test(command))) continue;
    const longRunning = /^deno task emulator\b/.test(command);
    const line = command.replace(/^deno /, `${Deno.execPath()} `);
    await using term = await terminal(`cd ${dir.path} && env -i ${env} ${line}; echo "EXITED $?"; sleep 30`, {
      columns: 200,
      rows: 50,
    });
    const screen = await term.waitFor(
      longRunning ? /listening on http:\/\/127\.0\.0\.1:\d+|Allow\? \[y\/n/ : /EXITED \d+|Allow\? \[y\/n/,
      60_000,
    );
    if (/Deno requests|Allow\? \[y\/n/.test(screen)) asked.push(`${file}: ${command}\n${screen}`);
    else if (command.includes("hello.ts")) ok(/Hello, Alice Admin[\s\S]*EXITED 0/.test(screen), screen);
    ran++;
  }
  // The real-account command with credentials (RingCentral cannot be reached from the tests: it fails to connect,
  // after reading every setting it reads for a real account): its permission list is complete too.
  const real = commands.find((c) => c.command.includes("--allow-net=platform.ringcentral.com"))!;
  await using term = await terminal(
    `cd ${dir.path} && env -i ${env} ENVIRONMENT=production RC_CLIENT_ID=id RC_CLIENT_SECRET=s RC_JWT=a.b.c ${
      real.command.replace(/^deno /, `${Deno.execPath()} `)
    }; echo "EXITED $?"; sleep 30`,
    { columns: 200, rows: 50 },
  );
  const screen = await term.waitFor(/EXITED \d+|Allow\? \[y\/n/, 60_000);
  if (/Deno requests|Allow\? \[y\/n/.test(screen)) asked.push(`${real.file}: ${real.command}\n${screen}`);
  else ok(/platform\.ringcentral\.com[\s\S]*EXITED 1/.test(screen), `it got as far as the network:\n${screen}`);
  ok(ran >= 5, `${ran} commands ran`);
  deepEqual(asked, [], "no command asks for a permission");
});
