import { CONFIG_KEYS } from "../../lib/config.ts";
import { deepEqual, equal, match, ok } from "node:assert/strict";
import { RingCentral } from "../../mod.ts";

import { JWT, ROOT, runDeno, startEmulator, stats, tempDir } from "../_helpers.ts";

Deno.test("deno task emulator --port 0 prints working .env lines first", async () => {
  await using emu = await startEmulator(["--port", "0", "--access-ttl", "5", "--quiet"]);
  deepEqual(
    emu.lines.map((l) => l.split("=")[0]),
    CONFIG_KEYS.filter((k) => k !== "RC_REDIRECT_URI" && k !== "RC_SHARED_EMULATOR"),
    "every key of a JWT or password login, in the files' order",
  );
  match(emu.env.RC_SERVER_URL, /^http:\/\/127\.0\.0\.1:\d+$/);
  ok(!emu.env.RC_SERVER_URL.endsWith(":0"));
  await using dir = await tempDir();

  // JWT, through environment variables as a user would export them.
  const jwtClient = await RingCentral.fromEnv({ dir: dir.path, env: { ...emu.env, RC_USERNAME: "", RC_PASSWORD: "" } });
  equal(jwtClient.grant, "jwt");
  equal((await (await jwtClient.get("/restapi/v1.0/account/~/extension/~")).json()).extensionNumber, "101");

  // Password, in another folder (its own cache).
  await using dir2 = await tempDir();
  const pwClient = await RingCentral.fromEnv({ dir: dir2.path, env: { ...emu.env, RC_JWT: "" } });
  equal(pwClient.grant, "password");
  equal((await pwClient.get("/restapi/v1.0/account/~")).status, 200);

  // --access-ttl 5: after 6 emulated seconds the JWT client refreshes.
  const r = await fetch(`${emu.env.RC_SERVER_URL}/__emulator/clock`, {
    method: "POST",
    body: JSON.stringify({ advanceSeconds: 6 }),
  });
  equal(r.status, 200);
  await r.body?.cancel();
  await jwtClient.get("/restapi/v1.0/account/~/extension/~");
  const s = await stats(emu.env.RC_SERVER_URL);
  deepEqual(s.grants[JWT], { ok: 1, failed: 0 });
  deepEqual(s.grants.password, { ok: 1, failed: 0 });
  deepEqual(s.grants.refresh_token, { ok: 1, failed: 0 });
  ok(s.requests >= 5);
});

Deno.test("emulator command line: a bad flag exits 2 with usage, no stack trace", async () => {
  const r = await runDeno(["run", "--allow-net=127.0.0.1", "lib/emulator/cli.ts", "--port", "abc"]);
  equal(r.code, 2);
  match(r.stderr, /^emulator: --port must be a whole number ≥ 0 \(got "abc"\)/);
  match(r.stderr, /Usage: deno task emulator/);
  equal(/\bat .*\.ts:\d+/.test(r.stderr), false);
});

Deno.test("deno task demo lists extensions and sends an SMS against the built-in emulator", async () => {
  await using dir = await tempDir();
  const r = await runDeno(["run", "-A", `${ROOT}/scripts/demo.ts`], { cwd: dir.path, clearEnv: true });
  equal(r.code, 0, r.stderr);
  match(r.stderr, /No credentials in \.env-sandbox: using the built-in RingCentral emulator/);
  match(r.stdout, /^101\s+Alice Admin\s+User$/m);
  match(r.stdout, /^201\s+Sales\s+Department$/m);
  match(r.stdout, /^25 extensions$/m);
  match(r.stdout, /^SMS \d+ from \+16505550101 to \+16505550199: Queued$/m);
  match(r.stdout, /→ Delivered$/m, "followed until delivered");
});

Deno.test("deno task demo to a number the emulator fails (+15550001234) exits 1 and says the message was not delivered", async () => {
  await using dir = await tempDir();
  const r = await runDeno(["run", "-A", `${ROOT}/scripts/demo.ts`, "+15550001234"], { cwd: dir.path, clearEnv: true });
  equal(r.code, 1, r.stdout + r.stderr);
  match(r.stdout, /^SMS \d+ from \+16505550101 to \+15550001234: Queued$/m);
  match(r.stderr, /not delivered: SendingFailed/);
  ok(!/→ Delivered/.test(r.stdout), r.stdout);
  equal(/\bat .*\.ts:\d+/.test(r.stderr), false, "no stack trace");
});

Deno.test("the demo rejects a recipient that is not E.164", async () => {
  await using dir = await tempDir();
  const r = await runDeno(["run", "-A", `${ROOT}/scripts/demo.ts`, "12345"], { cwd: dir.path, clearEnv: true });
  equal(r.code, 2);
  match(r.stderr, /"12345" is not a phone number in E\.164 form, such as \+16505550123/);
});

Deno.test("the demo reports a configuration error in one line", async () => {
  await using dir = await tempDir();
  await Deno.writeTextFile(`${dir.path}/.env`, "ENVIRONMENT=prod\n");
  const r = await runDeno(["run", "-A", `${ROOT}/scripts/demo.ts`], { cwd: dir.path, clearEnv: true });
  equal(r.code, 1);
  equal(r.stderr.trim(), 'ENVIRONMENT in .env is "prod": use sandbox or production');
});

Deno.test("the playground says it needs a terminal instead of hanging; the demo has --help", async () => {
  const repl = await runDeno(["run", "-A", `${ROOT}/repl.ts`, "--env", "emulator"]);
  equal(repl.code, 2);
  match(repl.stderr, /The playground asks questions, so it needs a terminal/);
  const help = await runDeno(["run", "-A", `${ROOT}/scripts/demo.ts`, "--help"]);
  equal(help.code, 0);
  match(help.stdout, /^Usage: deno task demo \[\+1RECIPIENT\]/);
  const bad = await runDeno(["run", "-A", `${ROOT}/scripts/demo.ts`, "--bogus"]);
  equal(bad.code, 2);
  match(bad.stderr, /^Unknown option --bogus/);
});
