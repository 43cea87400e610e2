import { deepEqual, equal, match, ok, rejects } from "node:assert/strict";
import { FileTokenStore, parseConfig, RingCentral } from "../mod.ts";
import { setupFromEnv } from "../lib/from_env.ts";
import { createEmulator } from "../lib/emulator/mod.ts";
import { shareAsProjectEmulator } from "../lib/emulator/world/publish.ts";
import { JWT, ROOT, runDeno, serveEmulator, stats, tempDir } from "./_helpers.ts";

const EXT = "/restapi/v1.0/account/~/extension";

Deno.test("RingCentral.fromEnv() keeps tokens in tokens_<environment>.json across clients", async () => {
  await using served = serveEmulator();
  await using dir = await tempDir();
  const env = { ...served.env, RC_USERNAME: "", RC_PASSWORD: "" };
  const a = await RingCentral.fromEnv({ dir: dir.path, env });
  equal(a.target, "emulator");
  await a.authenticate();
  const saved = JSON.parse(await Deno.readTextFile(`${dir.path}/tokens_sandbox.json`));
  ok(typeof saved.timestamp === "number" && saved.tokens.access_token && saved.tokens.refresh_token);
  equal((await Deno.stat(`${dir.path}/tokens_sandbox.json`)).mode! & 0o777, 0o600);
  const b = await RingCentral.fromEnv({ dir: dir.path, env });
  await b.get(`${EXT}/~`);
  deepEqual((await stats(served.url)).grants[JWT], { ok: 1, failed: 0 }, "the second client reused the cache");
});

Deno.test("RingCentral.fromEnv() with no credentials uses the built-in emulator and says so once", async () => {
  await using dir = await tempDir();
  const notices: string[] = [];
  const rc = await RingCentral.fromEnv({ dir: dir.path, env: {}, onNotice: (m) => notices.push(m) });
  equal(rc.target, "emulator");
  ok(rc.emulator);
  deepEqual(notices, [
    "No credentials in .env-sandbox: using the built-in RingCentral emulator (offline). To use your RingCentral account, fill RC_CLIENT_ID, RC_CLIENT_SECRET and RC_JWT in .env-sandbox.local (git-ignored; RC_CLIENT_ID may stay in .env-sandbox).",
  ]);
  const me = await (await rc.get(`${EXT}/~`)).json();
  equal(me.name, "Alice Admin");
});

Deno.test("setupFromEnv() decides the target once: configured server, built-in emulator, or forced emulator", async (t) => {
  const production = {
    ENVIRONMENT: "production",
    RC_CLIENT_ID: "id",
    RC_CLIENT_SECRET: "secret",
    RC_JWT: "eyJ.eyJ.sig",
  };
  await t.step("real credentials: the configured server and a token file, no emulator", async () => {
    await using dir = await tempDir();
    const setup = await setupFromEnv({ dir: dir.path, env: production });
    equal(setup.emulator, undefined);
    deepEqual(setup.grants, ["jwt"]);
    const options = setup.clientOptions();
    equal(options.server, "https://platform.ringcentral.com");
    equal(options.target, "production");
    ok(options.tokenStore instanceof FileTokenStore);
    equal((options.tokenStore as FileTokenStore).path, `${dir.path}/tokens_production.json`);
  });
  await t.step("a configuration given is not read again", async () => {
    const config = parseConfig({ files: {}, env: production });
    const setup = await setupFromEnv({ dir: "/nonexistent", config });
    equal(setup.clientOptions().clientId, "id");
  });
  await t.step("no credentials: the built-in emulator, with a notice", async () => {
    const notices: string[] = [];
    const setup = await setupFromEnv({
      config: parseConfig({ files: {} }),
      projectEmulator: false, // a project emulator the developer runs is not this test's
      onNotice: (m) => notices.push(m),
    });
    ok(setup.emulator);
    equal(setup.target, "emulator");
    equal(setup.clientOptions().fetch, setup.emulator.fetch);
    match(notices[0], /No credentials in \.env-sandbox: using the built-in RingCentral emulator/);
  });
  await t.step("useEmulator: the built-in emulator whatever is configured, the password grant when asked", async () => {
    const setup = await setupFromEnv({
      config: parseConfig({ files: {}, env: production }),
      useEmulator: true,
      grant: "password",
    });
    ok(setup.emulator);
    equal(setup.forced, true);
    deepEqual(setup.grants, ["password", "jwt", "browser"]);
    equal(setup.clientOptions().username, setup.emulator.passwordCredentials.username);
  });
});

/** The local modules a `deno run` of `script` evaluated, from V8's coverage (`DENO_COVERAGE_DIR`). */
async function evaluatedModules(script: string, cwd: string, env: Record<string, string>): Promise<string[]> {
  const coverage = await Deno.makeTempDir({ prefix: "rc-cov-" });
  try {
    const r = await runDeno(["run", "-A", script], { cwd, env: { ...env, DENO_COVERAGE_DIR: coverage } });
    equal(r.code, 0, r.stderr);
    const urls: string[] = [];
    for await (const entry of Deno.readDir(coverage)) {
      const { url } = JSON.parse(await Deno.readTextFile(`${coverage}/${entry.name}`));
      if (url.startsWith(`file://${ROOT}/`)) urls.push(url.slice(`file://${ROOT}/`.length));
    }
    return urls.sort();
  } finally {
    await Deno.remove(coverage, { recursive: true });
  }
}

Deno.test("a one-off script with real credentials never evaluates the emulator's modules", async () => {
  await using served = serveEmulator();
  await using dir = await tempDir();
  const script = `${dir.path}/one_off.ts`;
  await Deno.writeTextFile(
    script,
    `import { RingCentral } from "${ROOT}/mod.ts";\n` +
      `const rc = await RingCentral.fromEnv();\n` +
      `await (await rc.get("/restapi/v1.0/account/~/extension/~")).json();\n`,
  );
  const real = await evaluatedModules(script, dir.path, { ...served.env, RC_USERNAME: "", RC_PASSWORD: "" });
  ok(real.includes("lib/client.ts") && real.includes("lib/transport.ts"), real.join(", "));
  deepEqual(real.filter((m) => m.startsWith("lib/emulator/")), []);
  // The same script with no credentials runs the built-in emulator: the check sees its modules.
  const offline = await evaluatedModules(script, dir.path, {});
  ok(offline.includes("lib/emulator/emulator.ts"), offline.join(", "));
});

Deno.test("trust: the client warns, once per process, when the tracked .env-sandbox holds a secret", async () => {
  await using served = serveEmulator();
  await using dir = await tempDir();
  const lines = Object.entries(served.env).filter(([k]) => !/USERNAME|PASSWORD|EXTENSION/.test(k)).map(([k, v]) =>
    `${k}=${v}`
  );
  await Deno.writeTextFile(`${dir.path}/.env-sandbox`, lines.join("\n"));
  const notices: string[] = [];
  for (let i = 0; i < 2; i++) await RingCentral.fromEnv({ dir: dir.path, env: {}, onNotice: (m) => notices.push(m) });
  deepEqual(notices, [
    "Warning: RC_CLIENT_SECRET, RC_JWT are in .env-sandbox, a file this project tracks in git: `git commit -a` would publish them. Move them to .env-sandbox.local (git-ignored), or export them as environment variables",
  ]);
});

Deno.test("RC_SERVER_URL naming this project's running emulator, with no credentials, uses it (said once); any other server without credentials is still an error", async () => {
  await using dir = await tempDir();
  const shared = shareAsProjectEmulator(createEmulator(), { dir: dir.path, by: "a test" })!;
  try {
    const url = shared.project.url;
    const notices: string[] = [];
    const onNotice = (m: string) => notices.push(m);
    // As after `export RC_SERVER_URL=<the project's emulator>` (the playground's .curl.sh), with or without a "/".
    for (const named of [url, `${url}/`]) {
      const rc = await RingCentral.fromEnv({ dir: dir.path, env: { RC_SERVER_URL: named }, onNotice });
      equal(rc.server, url);
      equal(rc.target, "emulator");
      equal(rc.emulator, undefined, "the project's emulator, not one of this process's own");
      equal((await rc.get("/restapi/v1.0/account/~/extension/~")).status, 200);
    }
    match(
      notices.join("\n"),
      /RC_SERVER_URL names this project's emulator \(http:\/\/127\.0\.0\.1:\d+, started by a test/,
    );
    // The same in a .env file.
    await Deno.writeTextFile(`${dir.path}/.env-sandbox`, `RC_SERVER_URL=${url}\n`);
    equal((await RingCentral.fromEnv({ dir: dir.path, env: {}, onNotice })).server, url);
    await Deno.remove(`${dir.path}/.env-sandbox`);

    // Another address, the project's emulator turned off, production: the error as before.
    const closed = Deno.listen({ hostname: "127.0.0.1", port: 0 });
    const other = `http://127.0.0.1:${(closed.addr as Deno.NetAddr).port}`;
    closed.close();
    for (
      const env of [
        { RC_SERVER_URL: other },
        { RC_SERVER_URL: url, RC_PROJECT_EMULATOR: "off" },
        { RC_SERVER_URL: url, ENVIRONMENT: "production" },
      ]
    ) {
      await rejects(
        () => RingCentral.fromEnv({ dir: dir.path, env, onNotice }),
        /(names http:\/\/127\.0\.0\.1:\d+ but there are no credentials for it|ENVIRONMENT is production)/,
        JSON.stringify(env),
      );
    }
    await rejects(
      () => RingCentral.fromEnv({ dir: dir.path, env: { RC_SERVER_URL: url }, projectEmulator: false, onNotice }),
      /there are no credentials for it/,
    );
  } finally {
    await shared.close();
  }
});
