/**
 * The commands of the README and the docs, run in a real terminal (where a
 * missing permission is a question, not an error) in a copy of what a clone
 * has, with the files they name made first (the README's hello.ts, the
 * workshop's step1.ts from its starter, a real recording for the
 * playground's example): none may ask for a permission, and each must run
 * (exit 0, no "Module not found") unless it is listed as expected to fail,
 * with why. Interactive and long commands are covered elsewhere (the
 * playground's real-terminal test, CI itself); the emulator is stopped once
 * it prints where it listens.
 */
import { deepEqual, equal, ok } from "node:assert/strict";
import { childEnv, ROOT, tempDir } from "../_helpers.ts";
import { terminal } from "./_tmux.ts";
import { recordAnswer, Recorder } from "../../lib/repl/recorder.ts";

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
  [/^deno task exercise\b/, "runs a check: tests/e2e/workshop_test.ts"],
];

/**
 * Commands that end with an error here on purpose: why, the settings they get, and what their screen must show (how
 * far they got) for the failure to be the expected one.
 */
const EXPECTED_TO_FAIL: { pattern: RegExp; why: string; env: string; got: RegExp }[] = [
  {
    pattern: /--allow-net=platform\.ringcentral\.com/,
    why: "a real production account: RingCentral cannot be reached from the tests (it fails to connect, after " +
      "reading every setting it reads for a real account)",
    env: "ENVIRONMENT=production RC_CLIENT_ID=id RC_CLIENT_SECRET=s RC_JWT=a.b.c",
    got: /platform\.ringcentral\.com/,
  },
  {
    pattern: /--allow-net=platform\.devtest\.ringcentral\.com/,
    why: "the replay of a recording made on a real sandbox account (docs/playground.md): the sandbox cannot be " +
      "reached from the tests either",
    env: "ENVIRONMENT=sandbox RC_CLIENT_ID=id RC_CLIENT_SECRET=s RC_JWT=a.b.c",
    got: /platform\.devtest\.ringcentral\.com/,
  },
];

/** The recording docs/playground.md shows, as the playground writes it for a sandbox account's List extensions. */
const EXAMPLE = "scripts/recorded/2026-11-30T05-32-58Z_list-extensions.ts";

/**
 * A List extensions recording of a sandbox account (it sends nothing, so its replay asks no question), written by
 * the playground's recorder, at `EXAMPLE` under `root`.
 */
function recordExample(root: string): string {
  const recorder = new Recorder({ modulePath: `${ROOT}/mod.ts` });
  const when = new Date("2026-11-30T05:32:58Z");
  const text = recorder.render(
    "List extensions",
    [{
      kind: "request",
      label: "List extensions",
      method: "GET",
      path: "/restapi/v1.0/account/~/extension",
      query: { perPage: 10 },
      result: recordAnswer(200, { records: [{ id: 101, name: "Alice Admin" }] }),
    }],
    {
      target: "sandbox",
      environment: "sandbox",
      server: "https://platform.devtest.ringcentral.com",
      builtInEmulator: false,
      grant: "jwt",
    },
    `${ROOT}/${EXAMPLE}`,
    when,
  ).replaceAll(`${ROOT}/`, "");
  Deno.mkdirSync(`${root}/scripts/recorded`, { recursive: true });
  Deno.writeTextFileSync(`${root}/${EXAMPLE}`, text);
  return text;
}

Deno.test("docs/playground.md's replay command is the one the recorder writes in a recording's header", () => {
  const text = recordExample(Deno.makeTempDirSync());
  const header = text.match(/^\/\/ {3}(deno run .* --check)$/m)?.[1];
  ok(header, text);
  const doc = docCommands().find((c) => c.file === "docs/playground.md" && c.command.includes(EXAMPLE));
  ok(doc, "docs/playground.md shows a recording's replay command");
  equal(doc.command, header, "the docs' example is what recorder.ts writes");
});

Deno.test("every command of the README and the docs runs in a real terminal without asking for a permission", async () => {
  const commands = docCommands();
  ok(commands.length >= 8, commands.map((c) => c.command).join("\n"));
  await using dir = await tempDir();
  // A fresh copy of what a clone has (no attendee's workshop file, no recording), where the files the docs' commands
  // name are then made as a reader would have them.
  await new Deno.Command("cp", {
    args: [
      "-r",
      ...["mod.ts", "deno.json", "deno.lock", ".env", ".env-sandbox", ".env-production", "lib", "scripts", "workshop"]
        .map((f) => `${ROOT}/${f}`),
      dir.path,
    ],
  }).output();
  await Deno.remove(`${dir.path}/scripts/recorded`, { recursive: true }).catch(() => {});
  for (const f of Deno.readDirSync(`${dir.path}/workshop`)) {
    if (f.isFile) Deno.removeSync(`${dir.path}/workshop/${f.name}`);
  }
  // docs/workshop.md: `deno task exercise 1` creates workshop/step1.ts from its starter first.
  Deno.copyFileSync(`${ROOT}/workshop/starters/step1.ts`, `${dir.path}/workshop/step1.ts`);
  // docs/playground.md: the replay of a recording the playground wrote.
  recordExample(dir.path);
  const readme = Deno.readTextFileSync(`${ROOT}/README.md`);
  const hello = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]).find((b) => b.includes(".fromEnv()"))!;
  Deno.writeTextFileSync(`${dir.path}/hello.ts`, hello);
  const env = Object.entries(childEnv({}, { minimal: true })).map(([k, v]) => `${k}='${v}'`).join(" ");
  const asked: string[] = [];
  const failed: string[] = [];
  let ran = 0;
  for (const { file, command } of commands) {
    if (ELSEWHERE.some(([pattern]) => pattern.test(command))) continue;
    const expected = EXPECTED_TO_FAIL.find((e) => e.pattern.test(command));
    const longRunning = /^deno task emulator\b/.test(command);
    const line = command.replace(/^deno /, `${Deno.execPath()} `);
    await using term = await terminal(
      `cd ${dir.path} && env -i ${env} ${expected?.env ?? ""} ${line}; echo "EXITED $?"; sleep 30`,
      { columns: 200, rows: 50 },
    );
    const screen = await term.waitFor(
      longRunning ? /listening on http:\/\/127\.0\.0\.1:\d+|Allow\? \[y\/n/ : /EXITED \d+|Allow\? \[y\/n/,
      60_000,
    );
    ran++;
    if (/Deno requests|Allow\? \[y\/n/.test(screen)) {
      asked.push(`${file}: ${command}\n${screen}`);
      continue;
    }
    if (longRunning) continue;
    const code = Number(screen.match(/EXITED (\d+)/)![1]);
    const missing = /Module not found|Cannot find module|No such file or directory/i.test(screen);
    if (expected) {
      if (code === 0 || missing || !expected.got.test(screen)) {
        failed.push(
          `${file}: ${command}\nexpected to fail (${expected.why}) after getting as far as ` +
            `${expected.got}, but:\n${screen}`,
        );
      }
    } else if (code !== 0 || missing) {
      failed.push(`${file}: ${command}\nexited ${code}${missing ? " (a file it names is missing)" : ""}:\n${screen}`);
    } else if (command.includes("hello.ts") && !/Hello, Alice Admin/.test(screen)) {
      failed.push(`${file}: ${command}\ndid not greet Alice Admin:\n${screen}`);
    }
  }
  ok(ran >= 8, `${ran} commands ran`);
  deepEqual(asked, [], "no command asks for a permission");
  deepEqual(failed, [], "every command runs (or fails as listed, for the reason given)");
});
