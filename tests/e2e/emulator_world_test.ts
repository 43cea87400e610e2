/**
 * `deno task emulator` as this project's emulator: it announces itself
 * (one per project: a live one is not replaced, a dead one's record is),
 * prints the public line for `.env-sandbox` apart from the credentials for
 * `.env-sandbox.local` and the README's command, and with `--data DIR`
 * serves after a restart the same messages and tokens, the clock going on.
 */
import { deepEqual, equal, match, ok } from "node:assert/strict";
import { childEnv, login, ROOT, tempDir } from "../_helpers.ts";
import { PROJECT_EMULATOR_FILE } from "../../lib/project_emulator.ts";

const PERMISSIONS = ["--allow-net=127.0.0.1", "--allow-read=.", "--allow-write=."];

/** `deno task emulator`'s program in `cwd`, as the task runs it; resolves once it listens. */
async function emulator(cwd: string, args: string[] = []) {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", ...PERMISSIONS, `${ROOT}/lib/emulator/cli.ts`, "--port", "0", "--quiet", ...args],
    cwd,
    env: childEnv(),
    clearEnv: true,
    stdout: "piped",
    stderr: "piped",
    stdin: "null",
  }).spawn();
  const out = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  const err = child.stderr.pipeThrough(new TextDecoderStream()).getReader();
  let stdout = "";
  let stderr = "";
  const errors = (async () => {
    for (let r = await err.read(); !r.done; r = await err.read()) stderr += r.value;
  })();
  while (!/RC_EXTENSION=.*\n/.test(stdout)) {
    const { value, done } = await out.read();
    if (done) {
      await errors;
      const status = await child.status;
      return { code: status.code, stdout, stderr: () => stderr, url: "", stop: () => Promise.resolve(status.code) };
    }
    stdout += value;
  }
  const url = /^RC_SERVER_URL=(.*)$/m.exec(stdout)![1];
  // The lines on stderr come right after the ones on stdout.
  for (let i = 0; i < 100 && !/dashboard, live/.test(stderr); i++) await new Promise((r) => setTimeout(r, 20));
  return {
    code: undefined,
    stdout,
    stderr: () => stderr,
    url,
    async stop(signal: Deno.Signal = "SIGTERM") {
      child.kill(signal);
      const { code } = await child.status;
      await out.cancel().catch(() => {});
      await errors;
      return code;
    },
  };
}

async function json(url: string, init?: RequestInit) {
  const r = await fetch(url, init);
  return { status: r.status, body: await r.json() };
}

Deno.test("deno task emulator: the .env lines split as they belong, the README's command, the dashboard's address", async () => {
  await using dir = await tempDir();
  const e = await emulator(dir.path);
  try {
    const lines = e.stdout.trim().split("\n");
    const sandbox = lines.indexOf(lines.find((l) => l.includes("in .env-sandbox"))!);
    const local = lines.indexOf(lines.find((l) => l.includes(".env-sandbox.local"))!);
    deepEqual(lines.slice(sandbox + 1, local).map((l) => l.split("=")[0]), ["RC_SERVER_URL"]);
    deepEqual(
      lines.slice(local + 1).map((l) => l.split("=")[0]),
      ["RC_CLIENT_ID", "RC_CLIENT_SECRET", "RC_JWT", "RC_USERNAME", "RC_PASSWORD", "RC_EXTENSION"],
    );
    match(lines[0], /This project's tools find this emulator by themselves: nothing to paste/);
    const readme = await Deno.readTextFile(`${ROOT}/README.md`);
    const command = /# A script against it, with the README's permissions: (.*)$/m.exec(e.stderr())![1];
    const offline = /```sh\n(deno run --allow-read=\.env[^`]*?hello\.ts)\n```/.exec(readme)![1].replace(/\\\n\s*/g, "");
    equal(command, offline, "the emulator prints the README's command");
    match(e.stderr(), new RegExp(`dashboard, live: ${e.url.replaceAll(".", "\\.")}/__emulator/ui`));
    const record = JSON.parse(await Deno.readTextFile(`${dir.path}/${PROJECT_EMULATOR_FILE}`));
    equal(record.url, e.url);
    equal(record.by, "deno task emulator");
    equal(await Deno.readTextFile(`${dir.path}/.emulator/.gitignore`), "*\n");
  } finally {
    await e.stop();
  }
  equal(
    await Deno.stat(`${dir.path}/${PROJECT_EMULATOR_FILE}`).then(() => true, () => false),
    false,
    "withdrawn on exit",
  );
});

Deno.test("deno task emulator: one per project; a record left by a killed one is replaced", async () => {
  await using dir = await tempDir();
  const first = await emulator(dir.path);
  const second = await emulator(dir.path);
  equal(second.code, 1);
  match(
    second.stderr(),
    /this project's emulator already runs at http:\/\/127\.0\.0\.1:\d+ \(started by deno task emulator/,
  );
  match(second.stderr(), /--private/);
  const privately = await emulator(dir.path, ["--private"]);
  ok(privately.url, "--private serves beside it");
  match(privately.stderr(), /--private: this project's tools do not see it/);
  await privately.stop();
  await first.stop("SIGKILL"); // no chance to withdraw its record
  ok(await Deno.stat(`${dir.path}/${PROJECT_EMULATOR_FILE}`), "the record is left behind");
  const third = await emulator(dir.path);
  try {
    ok(third.url);
    equal(JSON.parse(await Deno.readTextFile(`${dir.path}/${PROJECT_EMULATOR_FILE}`)).url, third.url);
  } finally {
    await third.stop();
  }
});

Deno.test("deno task emulator --data: stopped and started again, the same messages and tokens, the clock going on", async () => {
  await using dir = await tempDir();
  const a = await emulator(dir.path, ["--data", "world"]);
  match(a.stderr(), /No saved world in world yet/);
  const token = await login(a.url, /^RC_JWT=(.*)$/m.exec(a.stdout)![1]);
  const auth = { Authorization: `Bearer ${token}` };
  const sent = await json(`${a.url}/restapi/v1.0/account/~/extension/~/sms`, {
    method: "POST",
    headers: { ...auth, "Content-Type": "application/json" },
    body: JSON.stringify({
      from: { phoneNumber: "+16505550101" },
      to: [{ phoneNumber: "+16505550199" }],
      text: "Kept",
    }),
  });
  equal(sent.status, 200);
  await fetch(`${a.url}/__emulator/clock`, { method: "POST", body: JSON.stringify({ advanceSeconds: 600 }) })
    .then((r) => r.body?.cancel());
  const before = (await json(`${a.url}/__emulator/clock`)).body.now;
  equal(await a.stop(), 0);
  match(a.stderr(), /The world is saved in world\/world\.json/);
  const saved = JSON.parse(await Deno.readTextFile(`${dir.path}/world/world.json`));
  equal(saved.format, "rc-emulator-world");

  const b = await emulator(dir.path, ["--data", "world"]);
  try {
    match(b.stderr(), /The world saved in world\/world\.json is loaded: \d+ messages, 1 sessions/);
    const read = await json(`${b.url}/restapi/v1.0/account/~/extension/~/message-store/${sent.body.id}`, {
      headers: auth,
    });
    equal(read.status, 200, "the token issued before the restart still works");
    equal(read.body.subject, "Kept");
    equal(read.body.messageStatus, "Delivered");
    const after = Date.parse((await json(`${b.url}/__emulator/clock`)).body.now);
    ok(
      after >= Date.parse(before) && after - Date.parse(before) < 60_000,
      "the emulated clock goes on from where it was",
    );
    const saveNow = await json(`${b.url}/__emulator/save`, { method: "POST" });
    equal(saveNow.body.saved, "world/world.json");
  } finally {
    await b.stop();
  }

  const c = await emulator(dir.path, ["--data", "world", "--reset"]);
  try {
    match(c.stderr(), /--reset: a fresh world \(the old one is kept as world\/world\.json\.bak\)/);
    const gone = await json(`${c.url}/restapi/v1.0/account/~/extension/~/message-store/${sent.body.id}`, {
      headers: auth,
    });
    equal(gone.status, 401, "a fresh world knows no token");
  } finally {
    await c.stop();
  }
  ok(await Deno.stat(`${dir.path}/world/world.json.bak`));

  await Deno.writeTextFile(`${dir.path}/world/world.json`, JSON.stringify({ format: "rc-emulator-world", version: 7 }));
  const d = await emulator(dir.path, ["--data", "world"]);
  equal(d.code, 1);
  match(d.stderr(), /Cannot load world\/world\.json: it was saved by a newer version of the emulator \(format 7/);
});

Deno.test("deno task emulator --data: restarted, it listens on the port it had, so a script's cached token still works", async () => {
  await using dir = await tempDir();
  const a = await emulator(dir.path, ["--data", "world"]); // --port 0: any free port, the first time
  const credentials = Object.fromEntries(
    a.stdout.split("\n").filter((l) => /^RC_[A-Z_]+=/.test(l)).map((l) => l.split(/=(.*)/s, 2) as [string, string]),
  );
  const script = () =>
    new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", `${ROOT}/tests/fixtures/client_call.ts`],
      cwd: dir.path,
      env: childEnv({ ENVIRONMENT: "sandbox", ...credentials }),
      clearEnv: true,
    }).output();
  let ran = await script();
  equal(new TextDecoder().decode(ran.stdout).trim(), "200", new TextDecoder().decode(ran.stderr));
  equal(await a.stop(), 0);
  equal(
    JSON.parse(await Deno.readTextFile(`${dir.path}/world/server.json`)).port,
    Number(new URL(a.url).port),
    "the port is kept in the world's folder",
  );

  const b = await emulator(dir.path, ["--data", "world"]);
  try {
    equal(b.url, a.url, "the same port as last time");
    ran = await script();
    equal(new TextDecoder().decode(ran.stdout).trim(), "200", new TextDecoder().decode(ran.stderr));
    const stats = (await json(`${b.url}/__emulator/stats`)).body;
    equal(stats.grants["urn:ietf:params:oauth:grant-type:jwt-bearer"].ok, 1, "no second login: the cached token works");
  } finally {
    await b.stop();
  }

  // Its port taken by another program: a new one, said.
  const taken = Deno.listen({ hostname: "127.0.0.1", port: Number(new URL(a.url).port) });
  try {
    const c = await emulator(dir.path, ["--data", "world"]);
    try {
      ok(c.url && c.url !== a.url, "another port");
      match(
        c.stderr(),
        new RegExp(`port ${new URL(a.url).port} \\(this world's last\\) is in use: listening on another`),
      );
    } finally {
      await c.stop();
    }
  } finally {
    taken.close();
  }
});
