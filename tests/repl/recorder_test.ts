/**
 * Recordings of a whole playground session with credentials in .env files:
 * they type-check, replay with the permission flags written in them against
 * a fresh emulator, --check catches a difference, and no secret is anywhere.
 */
import { equal, match, ok } from "node:assert/strict";
import { extensionIdOf } from "../../lib/emulator/seed.ts";
import { replayArgs } from "../../lib/repl/flows/recordings.ts";
import { recordAnswer, Recorder } from "../../lib/repl/recorder.ts";
import { recordings, replSession } from "./_repl.ts";
import { runDeno, serveEmulator, tempDir } from "../_helpers.ts";

const SECRET = "CANARY-app-secret-5e5e";
const PASSWORD = "CANARY-user-password-7a7a";
const b64 = (o: unknown) => btoa(JSON.stringify(o)).replace(/=+$/, "").replace(/\+/g, "-").replace(/\//g, "_");
const JWT = [
  b64({ alg: "HS256" }),
  b64({ sub: String(extensionIdOf(101)), iss: "ringcentral-emulator", jti: "CANARY" }),
  "Q0FOQVJZ",
].join(".");

function canaryEmulator() {
  const start = Date.now();
  const served = serveEmulator({ rateLimits: false, now: () => start + (Date.now() - start) * 100 });
  served.emulator.state.apps[0].clientSecret = SECRET;
  served.emulator.state.userPassword = PASSWORD;
  return served;
}

async function writeEnv(dir: string, url: string) {
  await Deno.writeTextFile(`${dir}/.env`, "ENVIRONMENT=sandbox\n");
  await Deno.writeTextFile(
    `${dir}/.env-sandbox`,
    [
      `RC_SERVER_URL=${url}`,
      "RC_CLIENT_ID=emulator-client-id",
      `RC_CLIENT_SECRET=${SECRET}`,
      `RC_JWT=${JWT}`,
      "RC_USERNAME=+16505550100",
      `RC_PASSWORD=${PASSWORD}`,
      "RC_EXTENSION=101",
      "",
    ].join("\n"),
  );
}

Deno.test("recordings replay with their own permission flags, check, and hold no secret", async (t) => {
  await using dir = await tempDir();
  const tokens = new Set<string>();
  {
    await using first = canaryEmulator();
    await writeEnv(dir.path, first.url);
    const { out, run } = await replSession([
      "auth",
      "jwt",
      "auth",
      "password",
      true,
      "extensions",
      [],
      [],
      true,
      "10",
      "sms",
      "+16505550101",
      "+16505550199",
      "Recorded hello",
      true,
      "custom",
      "GET",
      "/restapi/v1.0/account/~/extension/~/message-store",
      "perPage=5",
      "token",
      "refresh",
      "logout",
      "save",
      "quit",
    ], { dir: dir.path, env: {} });
    await run();
    for (const token of first.emulator.state.tokens.keys()) tokens.add(token);
    ok(tokens.size >= 4);
    const files = recordings(dir.path);
    equal(files.length, 8, files.join("\n"));

    await t.step("no secret in the terminal output, the recordings, or any file written", async () => {
      const written: string[] = [out.text];
      for (const entry of Deno.readDirSync(dir.path)) {
        if (entry.isFile && !/^tokens_sandbox\.json/.test(entry.name) && !entry.name.startsWith(".env")) {
          written.push(await Deno.readTextFile(`${dir.path}/${entry.name}`));
        }
      }
      for (const f of files) written.push(await Deno.readTextFile(f));
      const all = written.join("\n");
      for (const secret of [SECRET, PASSWORD, JWT, ...tokens]) {
        equal(all.includes(secret), false, `leaked: ${secret.slice(0, 12)}…`);
      }
      match(all, /\[REDACTED\]/);
    });
  }

  const files = recordings(dir.path);
  await t.step("every recording type-checks", async () => {
    const r = await runDeno(["check", ...files]);
    equal(r.code, 0, r.stderr);
  });

  await t.step("headers name the least-privilege deno run command", async () => {
    const text = await Deno.readTextFile(files[0]);
    match(
      text,
      /\/\/ {3}deno run --allow-net=127\.0\.0\.1 --allow-read=\.env,\.env-sandbox,\.env-sandbox\.local,tokens_sandbox\.json,tokens_sandbox\.json\.tmp,tokens_sandbox\.json\.lock --allow-write=tokens_sandbox\.json,tokens_sandbox\.json\.tmp,tokens_sandbox\.json\.lock --allow-env=ENVIRONMENT,RC_SERVER_URL,RC_CLIENT_ID,RC_CLIENT_SECRET,RC_JWT,RC_USERNAME,RC_PASSWORD,RC_EXTENSION,RC_REDIRECT_URI,RC_SHARED_EMULATOR,RC_NO_BROWSER,RC_PROJECT_EMULATOR \S+\.ts\n/,
    );
    match(text, /^import \{ RingCentral \} from "(\.\.\/)+.*mod\.ts";$/m);
  });

  await using fresh = canaryEmulator();
  await writeEnv(dir.path, fresh.url);

  await t.step("a recording that changes data refuses to send without --yes, and --dry-run sends nothing", async () => {
    const sms = files.find((f) => f.includes("send-sms"))!;
    const text = await Deno.readTextFile(sms);
    match(
      text,
      /It changes data for real on http:\/\/127\.0\.0\.1:\d+ \(it sends what the session sent\)\. A replay asks/,
    );
    const refused = await runDeno(replayArgs(text)!, { cwd: dir.path, clearEnv: true });
    equal(refused.code, 2);
    match(
      refused.stdout,
      /This replay changes data on http:\/\/127\.0\.0\.1:\d+:\n {2}2\. POST \/restapi\/v1\.0\/account\/~\/extension\/~\/sms\n/,
    );
    match(refused.stdout, /Not sent: run it again with --yes to send it, or --dry-run to list what it would send\./);
    const dry = await runDeno([...replayArgs(text)!, "--dry-run"], { cwd: dir.path, clearEnv: true });
    equal(dry.code, 0);
    match(
      dry.stdout,
      /Dry run: nothing is sent\. The steps that change data:\n {2}2\. POST \/restapi\/v1\.0\/account\/~\/extension\/~\/sms/,
    );
    equal(fresh.emulator.state.stats.messages, 0, "no SMS went out");
    equal(fresh.emulator.state.stats.requests, 0, "nothing was sent at all");
  });

  for (const file of files) {
    await t.step(`replays: ${file.split("/").pop()}`, async () => {
      const args = replayArgs(await Deno.readTextFile(file))!;
      ok(args.some((a) => a.startsWith("--allow-net=")));
      const r = await runDeno([...args, "--check", "--yes"], { cwd: dir.path, clearEnv: true });
      equal(r.code, 0, `${r.stdout}\n${r.stderr}`);
      match(r.stdout, /check: every answer matches the recording/);
    });
  }

  await t.step("--check exits 1 on a difference in status or shape", async () => {
    const sms = files.find((f) => f.includes("send-sms"))!;
    const broken = `${dir.path}/recorded/zz_broken.ts`;
    const text = await Deno.readTextFile(sms);
    await Deno.writeTextFile(
      broken,
      text.replace('messageStatus: "string"', 'messageStatus: "number"').replace("status: 200", "status: 201"),
    );
    const r = await runDeno([...replayArgs(text)!.slice(0, -1), broken, "--check", "--yes"], {
      cwd: dir.path,
      clearEnv: true,
    });
    equal(r.code, 1);
    match(
      r.stdout,
      /check: \d+ difference\(s\) from the recording:\n {2}step 1 \(Your phone numbers\): status 201 became 200/,
    );
  });

  await t.step("a replay without its permission flags is refused, not silently widened", async () => {
    const r = await runDeno(["run", files[0]], { cwd: dir.path, clearEnv: true });
    ok(r.code !== 0);
    match(
      r.stdout,
      /^Cannot start: (Cannot read \.env: )?(Requires (read|env|net) access|Cannot read the environment variable ENVIRONMENT: run with --allow-env=)/m,
    );
    equal(/\n\s+at /.test(r.stdout + r.stderr), false, "no stack trace");
  });
});

Deno.test("Recorder writes secret-named fields of queries and bodies redacted, by structure", async () => {
  await using dir = await tempDir();
  const recorder = new Recorder({ dir: dir.path });
  const path = await recorder.write("custom request", [{
    kind: "request",
    label: "POST /restapi/v1.0/x?access_token=tok-abcdef",
    method: "POST",
    path: "/restapi/v1.0/x?access_token=tok-abcdef",
    query: { client_secret: "cs-abcdef", perPage: 5 },
    body: { user: { password: "pw-abcdef" }, jwt: "eyJ.eyJ.sig-abcdef", currency: { code: "USD" } },
    result: recordAnswer(200, { id: 1, name: "ok" }),
  }], {
    target: "emulator",
    environment: "sandbox",
    server: "http://emulator.local",
    builtInEmulator: true,
    grant: "jwt",
  });
  const script = await Deno.readTextFile(path!);
  for (const secret of ["tok-abcdef", "cs-abcdef", "pw-abcdef", "sig-abcdef"]) ok(!script.includes(secret), secret);
  match(script, /password: "\[REDACTED\]"/);
  match(script, /code: "USD"/, "an ordinary code stays");
  match(script, /perPage: 5/);
});
