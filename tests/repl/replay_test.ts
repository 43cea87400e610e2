/** Replay.run(): the runtime of recorded scripts returns an exit code and prints one line per problem. */
import { deepEqual, equal, match } from "node:assert/strict";
import { RingCentral } from "../../mod.ts";
import { Replay } from "../../lib/repl/replay.ts";

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
