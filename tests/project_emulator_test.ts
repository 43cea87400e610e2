/**
 * This project's emulator, found by every tool with nothing configured: in
 * its folder only, after it proved it wrote the record, never through a
 * record of another program or one whose emulator is gone, never with a
 * permission the script was not given.
 */
import { deepEqual, equal, match, ok } from "node:assert/strict";
import { RingCentral } from "../mod.ts";
import { createEmulator } from "../lib/emulator/mod.ts";
import { shareAsProjectEmulator } from "../lib/emulator/world/publish.ts";
import { findProjectEmulator, PROJECT_EMULATOR_FILE } from "../lib/project_emulator.ts";
import { ROOT, runDeno, tempDir } from "./_helpers.ts";

const SMS = {
  from: { phoneNumber: "+16505550101" },
  to: [{ phoneNumber: "+16505550199" }],
  text: "Seen by every tool",
};

Deno.test("fromEnv() with nothing configured uses the project's emulator, says so once, and sees its messages", async () => {
  await using dir = await tempDir();
  const emulator = createEmulator();
  const shared = shareAsProjectEmulator(emulator, { dir: dir.path, by: "a test" })!;
  try {
    ok(shared, "announced");
    const info = await Deno.stat(`${dir.path}/${PROJECT_EMULATOR_FILE}`);
    equal(info.mode! & 0o777, 0o600, "readable by its owner only");
    const notices: string[] = [];
    const a = await RingCentral.fromEnv({ dir: dir.path, env: {}, onNotice: (m) => notices.push(m) });
    equal(a.server, shared.project.url);
    equal(a.target, "emulator");
    equal(a.emulator, undefined, "no emulator of its own");
    const sent = await (await a.post("/restapi/v1.0/account/~/extension/~/sms", SMS)).json();
    match(notices.join("\n"), /using this project's emulator at http:\/\/127\.0\.0\.1:\d+ \(started by a test/);
    const b = await RingCentral.fromEnv({ dir: dir.path, env: {}, grant: "password", onNotice: () => {} });
    const read = await (await b.get(`/restapi/v1.0/account/~/extension/~/message-store/${sent.id}`)).json();
    equal(read.subject, "Seen by every tool", "another client reads the message the first one sent");
    equal(emulator.state.messages.at(-1)!.id, sent.id, "it is the emulator that was announced");
  } finally {
    await shared.close();
  }
  equal(await Deno.stat(`${dir.path}/${PROJECT_EMULATOR_FILE}`).then(() => true, () => false), false, "withdrawn");
});

Deno.test("the project's emulator is not used when turned off, when asked not to, or from another folder", async () => {
  await using dir = await tempDir();
  await using other = await tempDir();
  const shared = shareAsProjectEmulator(createEmulator(), { dir: dir.path, by: "a test" })!;
  try {
    const off = await RingCentral.fromEnv({ dir: dir.path, env: { RC_PROJECT_EMULATOR: "off" }, onNotice: () => {} });
    ok(off.emulator, "RC_PROJECT_EMULATOR=off: a built-in emulator");
    const no = await RingCentral.fromEnv({ dir: dir.path, env: {}, projectEmulator: false, onNotice: () => {} });
    ok(no.emulator, "projectEmulator: false: a built-in emulator");
    const elsewhere = await RingCentral.fromEnv({ dir: other.path, env: {}, onNotice: () => {} });
    ok(elsewhere.emulator, "another folder has no project emulator");
    const forced = await RingCentral.fromEnv({ dir: dir.path, useEmulator: true });
    ok(forced.emulator, "useEmulator: the built-in one");
  } finally {
    await shared.close();
  }
});

Deno.test("a record whose emulator is gone is cleaned; one another program answers for is never used", async () => {
  await using dir = await tempDir();
  const shared = shareAsProjectEmulator(createEmulator(), { dir: dir.path, by: "a test" })!;
  const path = `${dir.path}/${PROJECT_EMULATOR_FILE}`;
  const record = JSON.parse(await Deno.readTextFile(path));
  await shared.close();
  await Deno.writeTextFile(path, JSON.stringify(record), { mode: 0o600 }); // as a killed emulator leaves it
  deepEqual(await findProjectEmulator(dir.path, { env: {} }), {});
  equal(await Deno.stat(path).then(() => true, () => false), false, "the stale record is removed");

  // Another program on the port: it is asked for the proof, and nothing else.
  const seen: string[] = [];
  const impostor = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, (request) => {
    seen.push(`${request.method} ${new URL(request.url).pathname}`);
    return Response.json({ proof: "0".repeat(64) });
  });
  try {
    await Deno.writeTextFile(
      path,
      JSON.stringify({ ...record, url: `http://127.0.0.1:${impostor.addr.port}` }),
      { mode: 0o600 },
    );
    const notices: string[] = [];
    const rc = await RingCentral.fromEnv({ dir: dir.path, env: {}, onNotice: (m) => notices.push(m) });
    ok(rc.emulator, "a built-in emulator instead");
    await rc.get("/restapi/v1.0/account/~");
    deepEqual(seen, ["GET /__emulator/identity"], "no login, no request went to the other program");
  } finally {
    await impostor.shutdown();
  }
});

Deno.test("a record others may write is not trusted", async () => {
  await using dir = await tempDir();
  const shared = shareAsProjectEmulator(createEmulator(), { dir: dir.path, by: "a test" })!;
  try {
    await Deno.chmod(`${dir.path}/${PROJECT_EMULATOR_FILE}`, 0o666);
    const found = await findProjectEmulator(dir.path, { env: {} });
    equal(found.emulator, undefined);
    match(found.note!, /can be written by others \(mode 666\): not trusted/);
  } finally {
    await shared.close();
  }
});

/** The README's script, reading the message store. */
const SCRIPT = `import { RingCentral } from "${ROOT}/mod.ts";
const rc = await RingCentral.fromEnv();
const page = await (await rc.get("/restapi/v1.0/account/~/extension/~/message-store", { perPage: 5 })).json();
console.log(page.records.map((m) => m.subject).join("\\n"));
`;
const ENV = "--allow-env=ENVIRONMENT,RC_SERVER_URL,RC_CLIENT_ID,RC_CLIENT_SECRET,RC_JWT,RC_USERNAME,RC_PASSWORD," +
  "RC_EXTENSION,RC_REDIRECT_URI,RC_SHARED_EMULATOR,RC_NO_BROWSER,RC_PROJECT_EMULATOR";

Deno.test("a deno run script in the project's folder sees the project's emulator, with the README's permissions only", async () => {
  await using dir = await tempDir();
  await Deno.writeTextFile(`${dir.path}/hello.ts`, SCRIPT);
  const emulator = createEmulator();
  const shared = shareAsProjectEmulator(emulator, { dir: dir.path, by: "a test" })!;
  try {
    const rc = new RingCentral({ ...emulator.credentials, fetch: emulator.fetch });
    await rc.post("/restapi/v1.0/account/~/extension/~/sms", SMS);
    const readme = [
      "run",
      "--allow-read=.env,.env-sandbox,.env-sandbox.local,.emulator",
      "--allow-write=.emulator",
      "--allow-net=127.0.0.1",
      ENV,
      "hello.ts",
    ];
    const on = { RC_PROJECT_EMULATOR: "" }; // the tests' default is off
    const run = await runDeno(readme, { cwd: dir.path, clearEnv: true, env: on });
    equal(run.code, 0, run.stderr);
    match(run.stdout, /^Seen by every tool$/m);
    match(run.stderr, /using this project's emulator/);
    // The next run reuses the cached token, as a script on a real account does: no second login (the Auth group
    // allows five a minute, and a sixth run would wait).
    const logins = () => emulator.state.stats.grants["urn:ietf:params:oauth:grant-type:jwt-bearer"]?.ok ?? 0;
    const before = logins();
    const again = await runDeno(readme, { cwd: dir.path, clearEnv: true, env: on });
    equal(again.code, 0, again.stderr);
    match(again.stdout, /^Seen by every tool$/m);
    equal(logins(), before, "the second run logged in again");
    equal((await Deno.stat(`${dir.path}/.emulator/tokens.json`)).mode! & 0o777, 0o600);

    // The old list (no read of the record): a built-in emulator, no prompt, no error.
    const old = await runDeno(
      ["run", "--allow-read=.env,.env-sandbox,.env-sandbox.local", ENV, "hello.ts"],
      { cwd: dir.path, clearEnv: true, env: on },
    );
    equal(old.code, 0, old.stderr);
    match(old.stderr, /using the built-in RingCentral emulator/);
    ok(!old.stdout.includes("Seen by every tool"));
    // The record may be read but not the network: it says why it uses its own.
    const noNet = await runDeno(
      ["run", `--allow-read=.env,.env-sandbox,.env-sandbox.local,${PROJECT_EMULATOR_FILE}`, ENV, "hello.ts"],
      { cwd: dir.path, clearEnv: true, env: on },
    );
    equal(noNet.code, 0, noNet.stderr);
    match(
      noNet.stderr,
      /runs at http:\/\/127\.0\.0\.1:\d+, but this program may not connect to it \(run it with --allow-net=127\.0\.0\.1\)/,
    );
  } finally {
    await shared.close();
  }
});
