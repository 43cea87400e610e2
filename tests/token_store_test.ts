import { deepEqual, equal, match, ok } from "node:assert/strict";
import { FileTokenStore, RingCentral } from "../mod.ts";
import { serveEmulator, tempDir } from "./_helpers.ts";

const ME = "/restapi/v1.0/account/~/extension/~";

Deno.test("FileTokenStore writes atomically with mode 0600 and leaves no temp files", async () => {
  await using dir = await tempDir();
  const path = `${dir.path}/tokens_sandbox.json`;
  const store = new FileTokenStore(path);
  const data = (i: number) => ({
    tokens: { access_token: `token-${i}`.repeat(200), token_type: "bearer", expires_in: 3600 },
    timestamp: i,
  });
  // Readers racing many writers only ever see a whole file, and they really race: they see several versions.
  await store.save(data(0));
  let writing = true;
  const writers = (async () => {
    for (let i = 1; i <= 50; i++) await store.save(data(i));
    writing = false;
  })();
  const seen = new Set<string>();
  const readers = Array.from({ length: 4 }, async () => {
    while (writing) {
      const parsed = JSON.parse(await Deno.readTextFile(path)); // throws on a torn file
      seen.add(parsed.tokens.access_token.slice(0, 12));
    }
  });
  await Promise.all([writers, ...readers]);
  ok(seen.size >= 2, `the readers saw ${seen.size} version(s): they did not race the writers`);
  const stat = await Deno.stat(path);
  equal(stat.mode! & 0o777, 0o600);
  const loaded = await store.load();
  ok(loaded && /^token-\d+/.test(loaded.tokens.access_token));
  const files = [...Deno.readDirSync(dir.path)].map((e) => e.name);
  deepEqual(files, ["tokens_sandbox.json"]);
  await store.clear();
  equal(await store.load(), undefined);
});

Deno.test("trust: a cache file that cannot be written keeps the tokens in memory, warns once, and the call succeeds", async (t) => {
  await using s = serveEmulator({ rateLimits: false });
  const env = { ...s.env, RC_USERNAME: "", RC_PASSWORD: "" };
  for (
    const [name, inTheWay, fix] of [
      ["a folder where the cache should be", "tokens_sandbox.json", /is not a regular file \(a folder\)/],
      ["a folder where its .tmp should be", "tokens_sandbox.json.tmp", /a folder is in the way/],
      ["a folder where its .lock should be", "tokens_sandbox.json.lock", /is not a regular file \(a folder\)/],
    ] as const
  ) {
    await t.step(name, async () => {
      await using dir = await tempDir();
      await Deno.mkdir(`${dir.path}/${inTheWay}`);
      const notices: string[] = [];
      const rc = await RingCentral.fromEnv({ dir: dir.path, env, onNotice: (m) => notices.push(m) });
      equal((await rc.get(ME)).status, 200);
      equal((await rc.get(ME)).status, 200);
      ok(notices.length >= 1 && notices.length <= 2, notices.join("\n"));
      ok(notices.every((n) => n.startsWith("Warning: ")), notices.join("\n"));
      ok(notices.some((n) => fix.test(n)), notices.join("\n"));
      equal(new Set(notices).size, notices.length, "no warning is repeated");
    });
  }
});

Deno.test("trust: a cache without a valid token, server or app is a warning and a fresh login, never a crash", async (t) => {
  await using s = serveEmulator({ rateLimits: false });
  const env = { ...s.env, RC_USERNAME: "", RC_PASSWORD: "" };
  const good = { token_type: "bearer", expires_in: 3600, refresh_token: "r-ok", refresh_token_expires_in: 86400 };
  const cases: [string, unknown][] = [
    ["a newline in the access token", {
      tokens: { ...good, access_token: "zq1\nzq2" },
      timestamp: Date.now(),
      server: s.url,
      clientId: "emulator-client-id",
    }],
    ["a non-Latin-1 character", {
      tokens: { ...good, access_token: "tökén✓" },
      timestamp: Date.now(),
      server: s.url,
      clientId: "emulator-client-id",
    }],
    ["expires_in as a word", {
      tokens: { ...good, access_token: "zq-word", expires_in: "soon" },
      timestamp: Date.now(),
      server: s.url,
      clientId: "emulator-client-id",
    }],
  ];
  for (const [name, cache] of cases) {
    await t.step(name, async () => {
      await using dir = await tempDir();
      await Deno.writeTextFile(`${dir.path}/tokens_sandbox.json`, JSON.stringify(cache), { mode: 0o600 });
      const notices: string[] = [];
      const rc = await RingCentral.fromEnv({ dir: dir.path, env, onNotice: (m) => notices.push(m) });
      equal((await rc.get(ME)).status, 200);
      equal(notices.length, 1, notices.join("\n"));
      match(notices[0], /is corrupted .* it will be replaced after a fresh login/);
      // Tokens of letters that no temporary path (hex) holds, so the check cannot pass or fail by chance.
      const token = (cache as { tokens?: { access_token?: string } }).tokens?.access_token ?? "";
      ok(!token || !notices[0].includes(token.slice(0, 3)), "the token is not echoed");
    });
  }
  await t.step("a cache that names no server or app is not trusted", async () => {
    await using dir = await tempDir();
    const first = await RingCentral.fromEnv({ dir: dir.path, env });
    await first.authenticate();
    const file = `${dir.path}/tokens_sandbox.json`;
    const { tokens, timestamp } = JSON.parse(await Deno.readTextFile(file));
    await Deno.writeTextFile(file, JSON.stringify({ tokens: { ...tokens, access_token: "someone-elses" }, timestamp }));
    const rc = await RingCentral.fromEnv({ dir: dir.path, env });
    equal((await rc.get(ME)).status, 200);
    equal(JSON.parse(await Deno.readTextFile(file)).server, s.url, "logged in again and wrote its own cache");
  });
});

Deno.test("trust: a cache readable by others is made private, with one warning", async () => {
  await using s = serveEmulator({ rateLimits: false });
  await using dir = await tempDir();
  const env = { ...s.env, RC_USERNAME: "", RC_PASSWORD: "" };
  await (await RingCentral.fromEnv({ dir: dir.path, env })).authenticate();
  const file = `${dir.path}/tokens_sandbox.json`;
  await Deno.chmod(file, 0o644);
  const notices: string[] = [];
  const rc = await RingCentral.fromEnv({ dir: dir.path, env, onNotice: (m) => notices.push(m) });
  await rc.get(ME);
  await rc.get(ME);
  deepEqual(notices, [`Warning: the token cache ${file} was readable by other users (mode 644); it is now 0600`]);
  equal((await Deno.stat(file)).mode! & 0o777, 0o600);
});

Deno.test("trust: one corrupted cache is one warning, however many stores and reads in the run", async () => {
  await using dir = await tempDir();
  const path = `${dir.path}/tokens_sandbox.json`;
  await Deno.writeTextFile(path, "{broken");
  const warnings: string[] = [];
  const a = new FileTokenStore(path, { onWarning: (m) => warnings.push(m) });
  const b = new FileTokenStore(path, { onWarning: (m) => warnings.push(m) });
  for (const store of [a, b, a, b]) equal(await store.load(), undefined);
  equal(warnings.length, 1);
});
