/**
 * Issue #13's acceptance: a `deno run` script using `rc.subscribe` against a
 * served emulator (`deno task emulator`, a subprocess) receives the event of
 * a `POST /__emulator/inbound-sms`.
 */
import { equal, match, ok } from "node:assert/strict";
import { ROOT, runDeno, startEmulator, tempDir } from "../_helpers.ts";

Deno.test("a deno run script with rc.subscribe receives an inbound SMS from deno task emulator", async () => {
  await using emu = await startEmulator(["--port", "0", "--quiet"]);
  await using dir = await tempDir();
  await Deno.writeTextFile(`${dir.path}/.env`, "ENVIRONMENT=sandbox\n");
  await Deno.writeTextFile(`${dir.path}/.env-sandbox`, emu.lines.join("\n") + "\n");
  await Deno.writeTextFile(
    `${dir.path}/watch.ts`,
    `import { RingCentral } from "${ROOT}/mod.ts";
const rc = await RingCentral.fromEnv();
const sub = await rc.subscribe(["/restapi/v1.0/account/~/extension/~/message-store/instant?type=SMS"]);
const started = performance.now();
await fetch(rc.server + "/__emulator/inbound-sms", {
  method: "POST",
  body: JSON.stringify({ from: "+14155550123", text: "hello from the emulator" }),
});
for await (const event of sub) {
  console.log(event.body.subject, "in", Math.round(performance.now() - started), "ms");
  break;
}
await sub.close();
`,
  );
  const r = await runDeno(
    ["run", "--allow-net=127.0.0.1", "--allow-read", "--allow-write", "--allow-env", "watch.ts"],
    {
      cwd: dir.path,
    },
  );
  equal(r.code, 0, r.stderr);
  match(r.stdout, /^hello from the emulator in \d+ ms$/m);
  ok(!/ws-[0-9a-f]{32}|access_token=/.test(r.stdout + r.stderr), "no ws token in the output");
});
