/**
 * `deno task listen --forward-to` and `deno task trigger` in the project's
 * folder, on the project's emulator: the handshake reaches the receiver
 * first, an SMS made to arrive by `trigger` is delivered with RingCentral's
 * body, a receiver answering 500 is reported; `trigger fax` and `mms` make a fax and an MMS arrive; `trigger call`
 * says plainly when the emulator has no calls; `trigger post` makes another user post; with no emulator running,
 * both say how to start one.
 */
import { equal, match, ok } from "node:assert/strict";
import { createEmulator } from "../../lib/emulator/mod.ts";
import { shareAsProjectEmulator } from "../../lib/emulator/world/publish.ts";
import { childEnv, ROOT, runDeno, tempDir } from "../_helpers.ts";

const TASK = ["run", "--allow-read=.", "--allow-write=.", "--allow-env", "--allow-net"];
const ON = { RC_PROJECT_EMULATOR: "" }; // the tests' children have it off

/** Lines of a child's stream, as they come; `waitFor` is bounded and says what it waited for. */
function lines(stream: ReadableStream<Uint8Array>) {
  let text = "";
  const waiters: (() => void)[] = [];
  (async () => {
    for await (const chunk of stream.pipeThrough(new TextDecoderStream())) {
      text += chunk;
      waiters.splice(0).forEach((w) => w());
    }
  })();
  return {
    text: () => text,
    async waitFor(pattern: RegExp, what: string) {
      const end = Date.now() + 30_000;
      while (!pattern.test(text)) {
        if (Date.now() > end) throw new Error(`waited 30 s for ${what}; got:\n${text}`);
        await new Promise<void>((r) => {
          waiters.push(r);
          setTimeout(r, 200);
        });
      }
      return text;
    },
  };
}

Deno.test("deno task listen forwards the project's events to a local receiver, handshake first; trigger makes an SMS arrive; a 500 is reported", async () => {
  await using dir = await tempDir();
  const shared = shareAsProjectEmulator(createEmulator(), { dir: dir.path, by: "the test" })!;
  const got: { kind: string; body: string; userAgent: string | null }[] = [];
  let answer = 200;
  const receiver = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, async (request) => {
    const token = request.headers.get("validation-token");
    got.push({
      kind: token ? "handshake" : "event",
      body: await request.text(),
      userAgent: request.headers.get("user-agent"),
    });
    return new Response(null, { status: token ? 200 : answer, headers: token ? { "Validation-Token": token } : {} });
  });
  const listen = new Deno.Command(Deno.execPath(), {
    args: [...TASK, `${ROOT}/scripts/listen.ts`, "--forward-to", `http://127.0.0.1:${receiver.addr.port}/hook`],
    cwd: dir.path,
    env: childEnv(ON),
    clearEnv: true,
    stdout: "piped",
    stderr: "piped",
    stdin: "null",
  }).spawn();
  const out = lines(listen.stdout);
  const err = lines(listen.stderr);
  try {
    await err.waitFor(/Forwarding .* from http:\/\/127\.0\.0\.1:\d+ \(emulator\) to /, "the subscription");
    match(err.text(), /using this project's emulator/);
    equal(got[0].kind, "handshake", "the Validation-Token handshake comes first");
    match(out.text(), /handshake {2}← 200/);

    const trigger = await runDeno([...TASK, `${ROOT}/scripts/trigger.ts`, "sms", "--text", "Forward me"], {
      cwd: dir.path,
      env: ON,
    });
    equal(trigger.code, 0, trigger.stderr);
    match(trigger.stdout, /^Inbound SMS \d+ from \+14155550123 to \+16505550101: "Forward me"/);
    await out.waitFor(/…\/message-store\/instant\?type=SMS {2}← 200/, "the instant SMS event delivered");
    const instant = got.find((g) => g.kind === "event" && JSON.parse(g.body).event.endsWith("/instant?type=SMS"))!;
    equal(JSON.parse(instant.body).body.subject, "Forward me", "RingCentral's body: the message itself");
    equal(instant.userAgent, "RingCentral-Webhook/8.3");

    answer = 500;
    const again = await runDeno([...TASK, `${ROOT}/scripts/trigger.ts`, "sms", "--text", "Refused"], {
      cwd: dir.path,
      env: ON,
    });
    equal(again.code, 0, again.stderr);
    await out.waitFor(/← 500 .*; again in 0\.5 s/, "a line reporting the receiver's 500");

    answer = 200;
    const fax = await runDeno([...TASK, `${ROOT}/scripts/trigger.ts`, "fax", "--pages", "3"], {
      cwd: dir.path,
      env: ON,
    });
    equal(fax.code, 0, fax.stderr);
    match(fax.stdout, /^Inbound fax \d+ from \+14155550123 to \+16505550190: 3 page\(s\)/);
  } finally {
    listen.kill("SIGTERM");
    equal((await listen.status).code, 0, err.text());
    await receiver.shutdown();
    await shared.close();
  }
});

Deno.test("deno task trigger: call only where the emulator has calls, said plainly; nothing running: how to start one", async () => {
  await using dir = await tempDir();
  const emulator = createEmulator();
  const shared = shareAsProjectEmulator(emulator, { dir: dir.path, by: "the test" })!;
  try {
    const controls = (await (await fetch(`${shared.project.url}/__emulator/controls`)).json()).controls as string[];
    const mms = await runDeno([...TASK, `${ROOT}/scripts/trigger.ts`, "mms"], { cwd: dir.path, env: ON });
    equal(mms.code, 0, mms.stderr);
    match(mms.stdout, /^Inbound MMS \d+ from \+14155550123 to \+16505550101: ring\.png/);
    equal(emulator.state.messages.at(-1)!.attachments[0].contentType, "image/png");
    const call = await runDeno([...TASK, `${ROOT}/scripts/trigger.ts`, "call"], { cwd: dir.path, env: ON });
    if (controls.includes("POST /__emulator/inbound-call")) {
      equal(call.code, 0, call.stderr);
      match(call.stdout, /A call from \+14155550123 rings/);
    } else {
      equal(call.code, 1);
      match(
        call.stderr,
        /cannot make a call arrive: it has no inbound-call control \(POST \/__emulator\/inbound-call\)/,
      );
      match(call.stderr, /deno task trigger sms/);
    }
    const post = await runDeno([...TASK, `${ROOT}/scripts/trigger.ts`, "post", "--from", "102", "--text", "Hi all"], {
      cwd: dir.path,
      env: ON,
    });
    equal(post.code, 0, post.stderr);
    match(post.stdout, /^Post \d+ by person 62264425102 in chat \d+: "Hi all"/);
    const posted = emulator.state.teamMessaging!.posts.at(-1)!;
    equal(posted.text, "Hi all");
    equal(emulator.state.teamMessaging!.chats.find((c) => c.id === posted.chatId)!.type, "Everyone");
    // The emulator's refusal, said plainly: what is wrong, no HTTP status or request id around it.
    const wrong = await runDeno([...TASK, `${ROOT}/scripts/trigger.ts`, "post", "--chat", "999"], {
      cwd: dir.path,
      env: ON,
    });
    equal(wrong.code, 1);
    match(wrong.stderr, /^The emulator refused it: chatId names no chat/m);
    ok(!/request id|400|parameterName/.test(wrong.stderr), wrong.stderr);
  } finally {
    await shared.close();
  }
  const none = await runDeno([...TASK, `${ROOT}/scripts/trigger.ts`, "sms"], { cwd: dir.path, env: ON });
  equal(none.code, 1);
  match(none.stderr, /this project's emulator is not running: there is no emulator to send this to/);
  const listen = await runDeno([...TASK, `${ROOT}/scripts/listen.ts`, "--forward-to", "http://127.0.0.1:9/x"], {
    cwd: dir.path,
    env: ON,
  });
  equal(listen.code, 1);
  match(listen.stderr, /Start the project's emulator in another terminal \(deno task emulator\)/);
  const bad = await runDeno([...TASK, `${ROOT}/scripts/trigger.ts`, "letter"], { cwd: dir.path, env: ON });
  equal(bad.code, 2);
  match(bad.stderr, /"letter" is not an event this task makes: sms, mms, fax, call or post/);
  const outside = await runDeno([...TASK, `${ROOT}/scripts/trigger.ts`, "mms", "--file", `${ROOT}/README.md`], {
    cwd: dir.path,
    env: ON,
  });
  equal(outside.code, 2);
  match(
    outside.stderr,
    /--file .*README\.md is outside this project's folder, the only one deno task trigger may read/,
  );
  const stray = await runDeno([...TASK, `${ROOT}/scripts/trigger.ts`, "sms", "--file", "x.png"], {
    cwd: dir.path,
    env: ON,
  });
  equal(stray.code, 2);
  match(stray.stderr, /--file is for mms and fax, not sms/);
  const missing = await runDeno([...TASK, `${ROOT}/scripts/trigger.ts`, "fax", "--file", "nope.pdf"], {
    cwd: dir.path,
    env: ON,
  });
  equal(missing.code, 2);
  match(missing.stderr, /--file nope\.pdf cannot be read \(.*\): give the path of a picture or a document/);
  const real = await runDeno([...TASK, `${ROOT}/scripts/trigger.ts`, "sms"], {
    cwd: dir.path,
    env: { ENVIRONMENT: "production", RC_CLIENT_ID: "id", RC_CLIENT_SECRET: "s", RC_JWT: "a.b.c" },
  });
  equal(real.code, 1);
  match(real.stderr, /RingCentral's own platform, which has no such control/);
});
