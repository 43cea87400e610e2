/** Replay.run(): the runtime of recorded scripts returns an exit code and prints one line per problem. */
import { deepEqual, equal, match } from "node:assert/strict";
import { RingCentral } from "../../mod.ts";
import { Replay, replayFlags } from "../../lib/repl/replay.ts";
import { ROOT, runDeno, serveEmulator, tempDir } from "../_helpers.ts";

const ME = "/restapi/v1.0/account/~/extension/~";
const connect = () => RingCentral.fromEnv({ useEmulator: true });

function replay(recorded: ConstructorParameters<typeof Replay>[0], pollMs = 5) {
  const lines: string[] = [];
  return { lines, replay: new Replay(recorded, { check: true, print: (l) => lines.push(l), pollMs }) };
}

Deno.test("Replay.run() returns 0 when every answer matches, 1 with the differences listed", async () => {
  const same = replay({ 1: { status: 200, shape: { id: "number", name: "string" } } });
  equal(await same.replay.run(connect, async (rc) => void await same.replay.step(1, "Me", () => rc.get(ME))), 0);
  equal(same.lines.at(-1), "check: every answer matches the recording (status and shape)");

  const differs = replay({ 1: { status: 200, shape: { id: "string", missing: "number" } }, 2: { status: 200 } });
  const code = await differs.replay.run(connect, async (rc) => {
    await differs.replay.step(1, "Me", () => rc.get(ME));
    await differs.replay.step(2, "A message", () => rc.get(`${ME}/message-store/1`)); // an API error is an answer
  });
  equal(code, 1);
  deepEqual(differs.lines.slice(-4), [
    "check: 3 difference(s) from the recording:",
    "  step 1 (Me): id: string became number",
    "  step 1 (Me): missing: missing",
    "  step 2 (A message): status 200 became 404",
  ]);
});

Deno.test("Replay.run() stops with one line when the client cannot be made or a step cannot run", async () => {
  const noClient = replay({});
  equal(
    await noClient.replay.run(() => Promise.reject(new Error("RC_JWT is empty in .env-sandbox")), async () => {}),
    1,
  );
  deepEqual(noClient.lines, ["Cannot start: RC_JWT is empty in .env-sandbox"]);

  const broken = replay({});
  let after = false;
  const code = await broken.replay.run(connect, async () => {
    await broken.replay.step(
      1,
      "Read the cache",
      () => Promise.reject(new Deno.errors.NotCapable("Requires read access")),
    );
    after = true;
  });
  equal(code, 1);
  equal(after, false, "the steps after a failed one do not run");
  deepEqual(broken.lines, ["1. Read the cache failed: Requires read access"]);
});

Deno.test("Replay.follow() polls until the message's status is final", async () => {
  // Polls 4 times a second: the failure shows after 2 s, and the Light limit (50 a minute) is not reached.
  const { lines, replay: r } = replay({ 2: { status: 200, shape: { messageStatus: "string" } } }, 250);
  const code = await r.run(connect, async (rc) => {
    const sent = await r.step(
      1,
      "Send",
      () =>
        rc.post(`${ME}/sms`, {
          from: { phoneNumber: "+16505550101" },
          to: [{ phoneNumber: "+15550001234" }],
          text: "x",
        }),
    );
    await r.follow(2, "Follow", () => rc.get(`${ME}/message-store/${sent.body.id}`), 20_000);
  });
  equal(code, 0, lines.join("\n"));
  match(lines.find((l) => l.startsWith("2. Follow")) ?? "", /^2\. Follow: SendingFailed → 200$/);
});

Deno.test("trust: Replay.run() asks before it changes data on a real server, and sends nothing on no", async (t) => {
  await using s = serveEmulator();
  const recorded = { 1: { status: 200, request: "POST /restapi/v1.0/account/~/extension/~/sms" } };
  const send = (rc: RingCentral) =>
    rc.post(`${ME}/sms`, { from: { phoneNumber: "+16505550101" }, to: [{ phoneNumber: "+16505550199" }], text: "x" });
  for (const [answer, code, messages] of [[false, 1, 0], [undefined, 2, 0], [true, 0, 1]] as const) {
    await t.step(`answer ${answer}`, async () => {
      const questions: string[] = [];
      const lines: string[] = [];
      const replay = new Replay(recorded, {
        check: false,
        yes: false,
        dryRun: false,
        print: (l) => lines.push(l),
        ask: (q) => (questions.push(q), answer),
      });
      const before = s.emulator.state.stats.messages;
      equal(
        await replay.run(
          () => Promise.resolve(new RingCentral(s.credentials)),
          async (rc) => void await replay.step(1, "Send", () => send(rc)),
        ),
        code,
      );
      equal(s.emulator.state.stats.messages - before, messages);
      match(
        questions[0],
        new RegExp(
          `This replay changes data on ${
            s.url.replace(/\./g, "\\.")
          }:\\n {2}1\\. POST /restapi/v1\\.0/account/~/extension/~/sms\\nSend it\\?`,
        ),
      );
    });
  }
  await t.step("the built-in emulator starts fresh every time: no question", async () => {
    const questions: string[] = [];
    const replay = new Replay(recorded, {
      check: false,
      yes: false,
      dryRun: false,
      print: () => {},
      ask: (q) => (questions.push(q), false),
    });
    equal(await replay.run(connect, async (rc) => void await replay.step(1, "Send", () => send(rc))), 0);
    equal(questions.length, 0);
  });
});

Deno.test("replay flags come from the script's arguments, passed in; a script recorded before that still reads them", async () => {
  deepEqual(replayFlags(["--check", "--dry-run"]), { check: true, yes: false, dryRun: true });
  deepEqual(replayFlags([]), { check: false, yes: false, dryRun: false });
  await using dir = await tempDir();
  const script = (construct: string) =>
    `import { RingCentral } from "${ROOT}/mod.ts";
import { Replay, replayFlags } from "${ROOT}/lib/repl/replay.ts";
void replayFlags;
const replay = ${construct};
Deno.exitCode = await replay.run(() => RingCentral.fromEnv({ useEmulator: true }), async (rc) => {
  await replay.step(1, "Me", () => rc.get("${ME}"));
});
function recorded() {
  return { 1: { status: 200, shape: { id: "string" } } }; // the id is a number: a difference under --check
}
`;
  for (
    const [name, construct] of [
      ["now.ts", "new Replay(recorded(), replayFlags(Deno.args))"],
      ["before.ts", "new Replay(recorded())"],
    ]
  ) {
    await Deno.writeTextFile(`${dir.path}/${name}`, script(construct));
    const checked = await runDeno(["run", "-A", `--config=${ROOT}/deno.json`, name, "--check"], { cwd: dir.path });
    equal(checked.code, 1, `${name}: --check finds the difference\n${checked.stdout}${checked.stderr}`);
    match(checked.stdout, /step 1 \(Me\): id: string became number/);
    const plain = await runDeno(["run", "-A", `--config=${ROOT}/deno.json`, name], { cwd: dir.path });
    equal(plain.code, 0, `${name}: without --check nothing is compared\n${plain.stdout}${plain.stderr}`);
  }
});
