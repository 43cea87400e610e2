/**
 * Issue #21's acceptance: `deno run` scripts against a served emulator
 * (`deno task emulator`, a subprocess): one places a RingOut, sees its
 * telephony-session events in order and the call in the call log; another
 * downloads a recording by its `contentUri` from the media origin, every
 * byte of its `Content-Length`. Each moves the emulator's clock instead of
 * waiting for the call to play out.
 */
import { equal, match, ok } from "node:assert/strict";
import { ROOT, runDeno, startEmulator, tempDir } from "../_helpers.ts";

const FLAGS = ["run", "--allow-net=127.0.0.1", "--allow-read=.", "--allow-write=.", "--allow-env"];

Deno.test("a deno run script places a RingOut, sees its events in order, then finds it in the call log", async () => {
  await using emu = await startEmulator(["--port", "0", "--quiet"]);
  await using dir = await tempDir();
  await Deno.writeTextFile(`${dir.path}/.env`, "ENVIRONMENT=sandbox\n");
  await Deno.writeTextFile(`${dir.path}/.env-sandbox`, emu.lines.join("\n") + "\n");
  await Deno.writeTextFile(
    `${dir.path}/ringout.ts`,
    `import { RingCentral } from "${ROOT}/mod.ts";
const rc = await RingCentral.fromEnv();
const sub = await rc.subscribe(["/restapi/v1.0/account/~/extension/~/telephony/sessions"]);
const placed = await (await rc.post("/restapi/v1.0/account/~/extension/~/ring-out", {
  from: { phoneNumber: "+16505550101" },
  to: { phoneNumber: "+14155550123" },
})).json();
console.log("placed", placed.status?.callStatus);
// Play the call out on the emulator's clock: both legs answer, they talk, they hang up.
await rc.request("POST", "/__emulator/clock", { body: { advanceSeconds: 30 } });
let n = 0;
for await (const event of sub) {
  const party = event.body.parties[0];
  console.log("event", event.body.sequence, party.ringOutRole ?? "", party.status.code);
  if (++n === 6) break;
}
await sub.close();
const status = await (await rc.get(\`/restapi/v1.0/account/~/extension/~/ring-out/\${placed.id}\`)).json();
console.log("status", status.status?.callStatus, status.status?.calleeStatus);
const log = await (await rc.get("/restapi/v1.0/account/~/extension/~/call-log", { perPage: 1 })).json();
const call = log.records[0];
console.log("logged", call.action, call.direction, call.to?.phoneNumber, call.result);
`,
  );
  const r = await runDeno([...FLAGS, "ringout.ts"], { cwd: dir.path });
  equal(r.code, 0, r.stderr);
  const events = r.stdout.split("\n").filter((l) => l.startsWith("event "));
  equal(
    events.map((l) => l.replace(/^event \d+ +/, "")).join(" | "),
    "Proceeding | Answered | Proceeding | Answered | Disconnected | Disconnected",
  );
  equal(events.map((l) => Number(l.split(" ")[1])).join(), "1,2,3,4,5,6");
  match(r.stdout, /^placed InProgress$/m);
  match(r.stdout, /^status Success Finished$/m);
  match(r.stdout, /^logged RingOut Web Outbound \+14155550123 Call connected$/m);
});

Deno.test("a deno run script downloads a recording by its contentUri from the media origin, its bytes whole", async () => {
  await using emu = await startEmulator(["--port", "0", "--quiet"]);
  await using dir = await tempDir();
  await Deno.writeTextFile(`${dir.path}/.env`, "ENVIRONMENT=sandbox\n");
  await Deno.writeTextFile(`${dir.path}/.env-sandbox`, emu.lines.join("\n") + "\n");
  await Deno.writeTextFile(
    `${dir.path}/download.ts`,
    `import { downloadContent, RingCentral } from "${ROOT}/mod.ts";
const rc = await RingCentral.fromEnv();
await rc.request("POST", "/__emulator/inbound-call", {
  body: { from: "+14155550123", answerAfterSeconds: 2, durationSeconds: 45, record: true },
});
await rc.request("POST", "/__emulator/clock", { body: { advanceSeconds: 50 } });
const log = await (await rc.get("/restapi/v1.0/account/~/extension/~/call-log", { withRecording: true })).json();
const { contentUri } = log.records[0].recording!;
console.log("server", rc.server);
console.log("contentUri", contentUri);
const saved = await downloadContent(rc, contentUri, "call.wav");
const length = (await rc.get(contentUri)).headers.get("content-length");
console.log("saved", saved.bytes, "of", length, saved.contentType);
`,
  );
  const r = await runDeno([...FLAGS, "download.ts"], { cwd: dir.path });
  equal(r.code, 0, r.stderr);
  const server = /^server (\S+)$/m.exec(r.stdout)![1];
  const contentUri = /^contentUri (\S+)$/m.exec(r.stdout)![1];
  const port = Number(new URL(server).port);
  equal(new URL(contentUri).origin, `http://127.0.0.1:${port + 1}`, "the media origin, beside the server");
  const [, bytes, length, type] = /^saved (\d+) of (\d+) (\S+)$/m.exec(r.stdout)!;
  equal(bytes, length);
  equal(type, "audio/wav");
  equal((await Deno.stat(`${dir.path}/call.wav`)).size, Number(bytes));
  ok(Number(bytes) === 44 + 45 * 8000, `${bytes} bytes: 45 s at 8 kHz`);
  ok(!/access_token|Bearer /.test(r.stdout + r.stderr));
});
