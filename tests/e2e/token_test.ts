/** `deno task token` (issue 22, item 10): a token for curl, never shown on a terminal unasked. */
import { equal, match, ok } from "node:assert/strict";
import { main } from "../../scripts/token.ts";
import { createEmulator } from "../../lib/emulator/mod.ts";
import { shareAsProjectEmulator } from "../../lib/emulator/world/publish.ts";
import { setupFromEnv } from "../../lib/from_env.ts";
import { BufferOutput } from "../../lib/repl/output.ts";
import { Playground } from "../../lib/repl/playground.ts";
import { ScriptedPrompter } from "../../lib/repl/prompt.ts";
import { Recorder } from "../../lib/repl/recorder.ts";
import { ROOT, runDeno, serveEmulator, tempDir } from "../_helpers.ts";

const SCRIPT = `${ROOT}/scripts/token.ts`;
const PERMISSIONS = ["--allow-read=.", "--allow-write=.", "--allow-env", "--allow-net"];

Deno.test("deno task token: a captured stdout gets a token that works with curl's headers; stderr says it is a secret", async () => {
  await using s = serveEmulator();
  await using dir = await tempDir();
  const r = await runDeno(["run", ...PERMISSIONS, SCRIPT], { cwd: dir.path, env: s.env });
  equal(r.code, 0, r.stderr);
  const token = r.stdout.trim();
  ok(token.length > 10 && !token.includes("\n"), "the token alone, one line");
  ok(!r.stderr.includes(token), "the token is not on stderr");
  match(r.stderr, /It is a secret/);
  const me = await fetch(`${s.url}/restapi/v1.0/account/~/extension/~`, {
    headers: { Authorization: `Bearer ${token}` },
  });
  equal(me.status, 200);
  equal((await me.json()).extensionNumber, "101");
  // A second run takes the cached token: no second login.
  const again = await runDeno(["run", ...PERMISSIONS, SCRIPT], { cwd: dir.path, env: s.env });
  equal(again.stdout.trim(), token);
});

Deno.test("deno task token on a terminal prints no token unless --show; on the built-in emulator it says to serve one", async () => {
  await using s = serveEmulator();
  await using dir = await tempDir();
  const out: string[] = [];
  const err: string[] = [];
  const io = { out: (t: string) => out.push(t), err: (l: string) => err.push(l), outIsTerminal: true };
  const from = { dir: dir.path, env: s.env };
  equal(await main([], io, from), 1);
  equal(out.length, 0, "nothing on the terminal's stdout");
  match(err.join("\n"), /export RC_ACCESS_TOKEN=\$\(deno task token\)/);
  equal(await main(["--show"], io, from), 0);
  equal(out.length, 1);
  const builtIn = await runDeno(["run", ...PERMISSIONS, SCRIPT], { cwd: dir.path, clearEnv: true });
  equal(builtIn.code, 1);
  equal(builtIn.stdout, "");
  match(builtIn.stderr, /curl cannot reach it\. Start one it can reach with `deno task emulator`/);
});

Deno.test("deno task token, run again once RC_SERVER_URL is exported to this project's emulator (as .curl.sh suggests), still gives a token", async () => {
  await using dir = await tempDir();
  const shared = shareAsProjectEmulator(createEmulator(), { dir: dir.path, by: "a test" })!;
  try {
    const url = shared.project.url;
    const token = (env: Record<string, string>) =>
      runDeno(["run", ...PERMISSIONS, SCRIPT], { cwd: dir.path, env: { RC_PROJECT_EMULATOR: "on", ...env } });
    // export RC_SERVER_URL=… RC_ACCESS_TOKEN=$(deno task token): the token is taken before the export.
    const first = await token({});
    equal(first.code, 0, first.stderr);
    const second = await token({ RC_SERVER_URL: url });
    equal(second.code, 0, second.stderr);
    match(second.stderr, /RC_SERVER_URL names this project's emulator/);
    const me = await fetch(`${url}/restapi/v1.0/account/~/extension/~`, {
      headers: { Authorization: `Bearer ${second.stdout.trim()}` },
    });
    equal(me.status, 200);
    await me.body?.cancel();
  } finally {
    await shared.close();
  }
});

Deno.test("a playground session on its emulator served for the project writes a .curl.sh for that address, not the in-process one", async () => {
  await using dir = await tempDir();
  const emulator = createEmulator();
  const shared = shareAsProjectEmulator(emulator, { dir: dir.path, by: "the playground" })!;
  try {
    // As repl.ts sets it up: its built-in emulator, served as the project's while it runs.
    const builtIn = await setupFromEnv({ dir: dir.path, env: {}, emulator, onNotice: () => {} });
    const session = Playground.start({
      prompter: new ScriptedPrompter([]),
      out: new BufferOutput(),
      setup: { ...builtIn, projectEmulator: shared.project },
      recorder: new Recorder({ dir: `${dir.path}/recorded` }),
    });
    await session.run("Who am I", async (s) => void await s.call("me", "GET", "/restapi/v1.0/account/~/extension/~"));
    const [script] = [...Deno.readDirSync(`${dir.path}/recorded`)].filter((f) => f.name.endsWith(".curl.sh"));
    const curl = await Deno.readTextFile(`${dir.path}/recorded/${script.name}`);
    ok(!curl.includes("inside the playground's process"), curl);
    ok(!curl.includes("8787"), curl);
    match(curl, new RegExp(`export RC_SERVER_URL=${shared.project.url}\\n`));
  } finally {
    await shared.close();
  }
});
