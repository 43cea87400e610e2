/** The code mode's scope: `rc` and the helpers, every call recorded as it happens, replayable alone. */
import { deepEqual, equal, match, ok } from "node:assert/strict";
import { startCodeMode } from "../../lib/repl/code_mode.ts";
import { codeModeEval } from "../../lib/repl/flows/code.ts";
import { replayArgs } from "../../lib/repl/flows/recordings.ts";
import { childEnv, ROOT, runDeno, serveEmulator, tempDir } from "../_helpers.ts";

Deno.test("code mode: rc and the helpers work, and every call is recorded as it happens", async () => {
  await using dir = await tempDir();
  const lines: string[] = [];
  const scope = await startCodeMode({ emulator: true, recordDir: dir.path, print: (l) => lines.push(l), pollMs: 200 });
  match(lines.join("\n"), /RingCentral code mode: Deno's REPL with `rc` ready/);
  equal(scope.recording, undefined, "nothing recorded before the first call");
  const me = await (await scope.rc.get("/restapi/v1.0/account/~/extension/~")).json();
  equal(me.name, "Alice Admin");
  await scope.saved();
  ok(scope.recording, "written after the first call, not at exit");
  const first = await Deno.readTextFile(scope.recording!);
  match(first, /\/\/ 1\. GET \/restapi\/v1\.0\/account\/~\/extension\/~\. Recorded answer: 200/);
  equal((await scope.extensions({ type: "User" })).length, 16);
  deepEqual((await scope.myNumbers(true)).map((n) => n.phoneNumber), ["+16505550101", "+18005550111"]);
  const sent = await scope.sendSms("+16505550199", "From code");
  const done = await scope.follow(sent.id as number);
  equal(done.messageStatus, "Delivered");
  await scope.saved();
  const script = await Deno.readTextFile(scope.recording!);
  match(script, /Follow message \d+ until it is delivered or fails/);
  match(script, /message-store\/\$\{r\d+\.body\.id\}/, "the followed id comes from the send's answer");
  const replay = await runDeno([...replayArgs(script)!, "--check"], { cwd: ROOT });
  equal(replay.code, 0, replay.stdout + replay.stderr);
  match(replay.stdout, /check: every answer matches the recording/);
});

Deno.test("code mode: api() prints the operations that match, with what each needs", async () => {
  const lines: string[] = [];
  const scope = await startCodeMode({ emulator: true, recordDir: null, print: (l) => lines.push(l) });
  lines.length = 0;
  scope.api("call log", 2);
  equal(lines[0], "GET    /restapi/v1.0/account/~/extension/~/call-log");
  match(lines[1], /List User Call Records · ReadCallLog · Heavy$/);
  match(lines[2], /^ +https:\/\/developers\.ringcentral\.com\/api-reference\/Call-Log\/readUserCallLog$/);
  match(lines.at(-1)!, /^… \d+ more: api\("call log", \d+\)$/);
  lines.length = 0;
  scope.api("nothing like this");
  deepEqual(lines, ['No operation of the API matches "nothing like this".']);
});

Deno.test("code mode: deno repl starts with the scope as globals", async () => {
  await using dir = await tempDir();
  const child = new Deno.Command(Deno.execPath(), {
    args: ["repl", "--allow-all", "--eval", codeModeEval({ emulator: true, recordDir: dir.path })],
    cwd: ROOT,
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
    env: childEnv(),
    clearEnv: true,
  }).spawn();
  const writer = child.stdin.getWriter();
  await writer.write(new TextEncoder().encode(
    'console.log("NAME", (await (await rc.get("/restapi/v1.0/account/~/extension/~")).json()).name)\nclose()\n',
  ));
  await writer.close();
  const out = await child.output();
  const text = new TextDecoder().decode(out.stdout);
  match(text, /NAME Alice Admin/);
  equal([...Deno.readDirSync(dir.path)].filter((e) => e.name.endsWith(".ts")).length, 1, "the call was recorded");
});

Deno.test("code mode on the playground's served built-in emulator keeps its tokens in memory, not in a file", async () => {
  // The playground serves its built-in emulator for the REPL on a random port, only while the REPL runs: a token
  // cache file in the project would outlive it and replace the cache of the user's own sandbox account.
  await using s = serveEmulator();
  await using dir = await tempDir();
  const script = `import { startCodeMode } from "${ROOT}/lib/repl/code_mode.ts";
const scope = await startCodeMode({ recordDir: null, builtInWorld: true, print: () => {} });
console.log((await (await scope.rc.get("/restapi/v1.0/account/~/extension/~")).json()).name);`;
  await Deno.writeTextFile(`${dir.path}/main.ts`, script);
  const r = await runDeno(["run", "-A", `--config=${ROOT}/deno.json`, "main.ts"], { cwd: dir.path, env: s.env });
  equal(r.code, 0, r.stdout + r.stderr);
  equal(r.stdout.trim(), "Alice Admin");
  deepEqual([...Deno.readDirSync(dir.path)].map((e) => e.name), ["main.ts"], "no token cache beside the script");
});

Deno.test("code mode: an answer that is the spec's sample is said so, once per operation", async () => {
  const lines: string[] = [];
  const scope = await startCodeMode({ emulator: true, recordDir: null, print: (l) => lines.push(l) });
  lines.length = 0;
  await (await scope.rc.get("/restapi/v1.0/account/~/extension/~")).body?.cancel(); // stateful: no note
  deepEqual(lines, []);
  for (let i = 0; i < 2; i++) await (await scope.rc.get("/restapi/v1.0/account/~/extension/~/caller-id")).json();
  deepEqual(lines, [
    "(GET /restapi/v1.0/account/~/extension/~/caller-id, readExtensionCallerId: the emulator answers it with the " +
    "spec's sample, not from its state; X-Emulator-Sample: true)",
  ]);
});

Deno.test("code mode: a call made while follow() runs is recorded; only the followed message's reads are not", async () => {
  await using dir = await tempDir();
  const scope = await startCodeMode({ emulator: true, recordDir: dir.path, print: () => {}, pollMs: 1 });
  const sent = await scope.sendSms("+16505550199", "While following");
  const following = scope.follow(sent.id as number);
  const me = await (await scope.rc.get("/restapi/v1.0/account/~/extension/~")).json();
  equal(me.name, "Alice Admin");
  // Delivery comes on the emulator's clock: move it on, so the follow ends.
  await (await scope.rc.request("POST", "/__emulator/clock", { body: { advanceSeconds: 600 } })).body?.cancel();
  equal((await following).messageStatus, "Delivered");
  await scope.saved();
  const script = await Deno.readTextFile(scope.recording!);
  const steps = [...script.matchAll(/^\s*\/\/ \d+\. (.*?)(?:\. Recorded.*)?$/gm)].map((m) => m[1]);
  deepEqual(steps.map((s) => s.replace(/\d{3,}/g, "N")), [
    "GET /restapi/v1.0/account/~/extension/~/phone-number",
    "POST /restapi/v1.0/account/~/extension/~/sms",
    "GET /restapi/v1.0/account/~/extension/~",
    "POST /__emulator/clock",
    "Follow message N until it is delivered or fails",
  ]);
});
