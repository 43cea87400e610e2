/** Playground.run(): a recording around each flow, so that flows never deal with recording. */
import { deepEqual, equal, match, ok, rejects } from "node:assert/strict";
import { ApiError } from "../../mod.ts";
import { Cancelled } from "../../lib/repl/prompt.ts";
import type { Playground } from "../../lib/repl/playground.ts";
import { recordings, replSession } from "./_repl.ts";
import { tempDir } from "../_helpers.ts";

const ME = "/restapi/v1.0/account/~/extension/~";

Deno.test("Playground.run() writes one recording of the steps a flow took, and keeps them for the session", async () => {
  await using dir = await tempDir();
  const { session, recorder, out } = await replSession([], { dir: dir.path });
  await session.run("two calls", async (s: Playground) => {
    await s.call("Who am I", "GET", ME);
    await s.call("My numbers", "GET", `${ME}/phone-number`);
  });
  const [file] = recordings(dir.path);
  match(file, /_two-calls\.ts$/);
  match(out.text, /recorded: .*_two-calls\.ts/);
  deepEqual(recorder.session.map((s) => s.label), ["Who am I", "My numbers"]);
  const script = await Deno.readTextFile(file);
  match(script, /\/\/ 1\. Who am I\. Recorded answer: 200/);
  match(script, /\/\/ 2\. My numbers\. Recorded answer: 200/);
});

Deno.test("Playground.run(): a cancelled flow records nothing; a flow ending on an API error records it", async () => {
  await using dir = await tempDir();
  const { session, recorder } = await replSession([], { dir: dir.path });
  await rejects(
    session.run("cancelled", async (s) => {
      await s.call("Who am I", "GET", ME);
      throw new Cancelled();
    }),
    Cancelled,
  );
  equal(recordings(dir.path).length, 0);
  equal(recorder.session.length, 0, "nothing of a cancelled flow enters the session recording");
  await rejects(
    session.run("not found", (s) => s.call("A message", "GET", `${ME}/message-store/1`).then(() => {})),
    (e) => e instanceof ApiError && e.status === 404,
  );
  const [file] = recordings(dir.path);
  match(await Deno.readTextFile(file), /Recorded answer: 404, errorCode "CMN-102"/);
  equal(recorder.session.length, 1);
});

Deno.test("Playground.run() without a recorder runs the flow and writes nothing", async () => {
  await using dir = await tempDir();
  const { session } = await replSession([], { dir: dir.path, record: false });
  let ran = false;
  await session.run("anything", async (s) => {
    await s.call("Who am I", "GET", ME);
    ran = true;
  });
  ok(ran);
  equal(recordings(dir.path).length, 0);
});
