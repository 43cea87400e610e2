import { deepEqual, equal, match, ok, rejects, throws } from "node:assert/strict";
import { ConfigError, type ConfigSources, loadConfig, parseConfig } from "../mod.ts";
import { tempDir } from "./_helpers.ts";

const SANDBOX = "https://platform.devtest.ringcentral.com";
const creds = "RC_CLIENT_ID=id\nRC_CLIENT_SECRET=secret\n";

function errorOf(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (e) {
    if (e instanceof ConfigError) return e;
    throw e;
  }
  throw new Error("expected a ConfigError");
}

Deno.test("parseConfig() reads a JWT configuration and derives the token file", () => {
  const c = parseConfig({ files: { ".env": "ENVIRONMENT=sandbox", ".env-sandbox": `${creds}RC_JWT=a.b.c` } });
  deepEqual(c, {
    environment: "sandbox",
    file: ".env-sandbox",
    server: SANDBOX,
    clientId: "id",
    clientSecret: "secret",
    credentials: { jwt: "a.b.c" },
    tokenFile: "tokens_sandbox.json",
    warnings: [
      "Warning: RC_CLIENT_SECRET, RC_JWT are in .env-sandbox, a file this project tracks in git: `git commit -a` would publish them. Move them to .env-sandbox.local (git-ignored), or export them as environment variables",
    ],
  });
});

Deno.test("parseConfig() reads password credentials, with and without extension", () => {
  const files = {
    ".env": "ENVIRONMENT=production",
    ".env-production":
      `RC_SERVER_URL=https://platform.ringcentral.com/\n${creds}RC_USERNAME=+16505550100\nRC_PASSWORD='p w'\nRC_EXTENSION=101`,
  };
  const c = parseConfig({ files });
  equal(c.server, "https://platform.ringcentral.com");
  deepEqual(c.credentials, { username: "+16505550100", password: "p w", extension: "101" });
  equal(c.tokenFile, "tokens_production.json");
  const noExt = parseConfig({ files: { ".env-sandbox": `${creds}RC_USERNAME=u\nRC_PASSWORD=p` } });
  deepEqual(noExt.credentials, { username: "u", password: "p" });
});

Deno.test("parseConfig() lets environment variables override the files", () => {
  const c = parseConfig({
    files: { ".env": "ENVIRONMENT=production", ".env-sandbox": `${creds}RC_JWT=a.b.c` },
    env: { ENVIRONMENT: "sandbox", RC_SERVER_URL: "http://127.0.0.1:9999", RC_JWT: "x.y.z" },
  });
  equal(c.environment, "sandbox");
  equal(c.server, "http://127.0.0.1:9999");
  deepEqual(c.credentials, { jwt: "x.y.z" });
});

Deno.test("parseConfig() without credentials selects the emulator (no clientId) and defaults", () => {
  const c = parseConfig({ files: {} });
  equal(c.environment, "sandbox");
  equal(c.clientId, undefined);
  equal(c.credentials, undefined);
  equal(c.server, SANDBOX);
});

Deno.test("parseConfig() reports every configuration error with key and file", async (t) => {
  const cases: [string, Parameters<typeof parseConfig>[0], string, string][] = [
    [
      "unknown ENVIRONMENT in .env",
      { files: { ".env": "ENVIRONMENT=prod" } },
      "ENVIRONMENT",
      'ENVIRONMENT in .env is "prod": use sandbox or production',
    ],
    [
      "unknown ENVIRONMENT variable",
      { files: {}, env: { ENVIRONMENT: "staging" } },
      "ENVIRONMENT",
      'ENVIRONMENT in the ENVIRONMENT variable is "staging": use sandbox or production',
    ],
    [
      "malformed URL",
      { files: { ".env-sandbox": `RC_SERVER_URL=platform.ringcentral\n${creds}RC_JWT=a.b.c` } },
      "RC_SERVER_URL",
      `RC_SERVER_URL in .env-sandbox is not a URL (a URL starts with https://). Use ${SANDBOX}`,
    ],
    [
      "plain http to a remote host",
      {
        files: {
          ".env": "ENVIRONMENT=production",
          ".env-production": `RC_SERVER_URL=http://platform.ringcentral.com\n${creds}RC_JWT=a.b.c`,
        },
      },
      "RC_SERVER_URL",
      'RC_SERVER_URL in .env-production must use https (got "http://platform.ringcentral.com"); plain http only to this machine or a private network address: a local emulator at 127.0.0.1. Use https://platform.ringcentral.com',
    ],
    [
      "URL with a query",
      { files: { ".env-sandbox": `RC_SERVER_URL=${SANDBOX}?x=1\n${creds}RC_JWT=a.b.c` } },
      "RC_SERVER_URL",
      `RC_SERVER_URL in .env-sandbox must be a bare server URL (remove the query). Use ${SANDBOX}`,
    ],
    [
      "client secret without client id",
      { files: { ".env-sandbox": "RC_CLIENT_SECRET=s\nRC_JWT=a.b.c" } },
      "RC_CLIENT_ID",
      "RC_CLIENT_ID is empty in .env-sandbox: copy your app's Client ID from the RingCentral Developer Console",
    ],
    [
      "client id without secret",
      { files: { ".env-sandbox": "RC_CLIENT_ID=id\nRC_JWT=a.b.c" } },
      "RC_CLIENT_SECRET",
      "RC_CLIENT_SECRET is empty in .env-sandbox: copy your app's Client Secret from the RingCentral Developer Console",
    ],
    [
      "app credentials but no user credentials",
      { files: { ".env-sandbox": creds } },
      "RC_JWT",
      "RC_JWT is empty in .env-sandbox: set RC_JWT (recommended), RC_USERNAME and RC_PASSWORD, or RC_REDIRECT_URI to log in with a browser",
    ],
    [
      "password without username",
      { files: { ".env-sandbox": `${creds}RC_PASSWORD=p` } },
      "RC_USERNAME",
      "RC_USERNAME is empty in .env-sandbox: set the login (phone number or email) that goes with RC_PASSWORD",
    ],
    [
      "username without password",
      { files: { ".env-sandbox": `${creds}RC_USERNAME=u` } },
      "RC_PASSWORD",
      "RC_PASSWORD is empty in .env-sandbox: set the password of RC_USERNAME, or use RC_JWT instead",
    ],
    [
      "a JWT that is not one",
      { files: { ".env-sandbox": `${creds}RC_JWT=not-a-jwt` } },
      "RC_JWT",
      "RC_JWT in .env-sandbox is not a JWT (a JWT is one line of three parts separated by dots): create one under Credentials in the RingCentral Developer Console",
    ],
    [
      "RC_SHARED_EMULATOR with RingCentral's own server",
      {
        files: {
          ".env-sandbox": `RC_SERVER_URL=${SANDBOX}\nRC_SHARED_EMULATOR=yes\n${creds}RC_JWT=a.b.c`,
        },
      },
      "RC_SHARED_EMULATOR",
      "RC_SHARED_EMULATOR is set in .env-sandbox but RC_SERVER_URL is RingCentral's own server: remove RC_SHARED_EMULATOR",
    ],
    [
      "RC_SHARED_EMULATOR other than yes",
      {
        files: { ".env-sandbox": `RC_SERVER_URL=http://10.0.0.5:8787\nRC_SHARED_EMULATOR=true\n${creds}RC_JWT=a.b.c` },
      },
      "RC_SHARED_EMULATOR",
      'RC_SHARED_EMULATOR in .env-sandbox must be yes or absent (got "true")',
    ],
    [
      "RC_SHARED_EMULATOR without a server",
      { files: { ".env-sandbox": `RC_SHARED_EMULATOR=yes\n${creds}RC_JWT=a.b.c` } },
      "RC_SERVER_URL",
      "RC_SHARED_EMULATOR is set in .env-sandbox without RC_SERVER_URL: add the server line the room's emulator printed",
    ],
    [
      "a line that is not KEY=value",
      { files: { ".env-sandbox": "RC_CLIENT_ID=id\nthis is wrong\n" } },
      "",
      "Cannot parse .env-sandbox: line 2 is not KEY=value: each line must be KEY=value, a # comment or empty, and a value must stay on one line (a JWT too)",
    ],
  ];
  for (const [name, input, key, message] of cases) {
    await t.step(name, () => {
      const e = errorOf(() => parseConfig(input));
      equal(e.message, message);
      if (key) equal(e.key, key);
    });
  }
});

Deno.test("parseConfig(): RC_SHARED_EMULATOR=yes allows a workshop room's emulator over plain http", () => {
  const files = { ".env-sandbox": `RC_SERVER_URL=http://10.0.0.5:8787\nRC_SHARED_EMULATOR=yes\n${creds}RC_JWT=a.b.c` };
  const config = parseConfig({ files });
  equal(config.server, "http://10.0.0.5:8787");
  equal(config.sharedEmulator, true);
  const without = errorOf(() =>
    parseConfig({ files: { ".env-sandbox": files[".env-sandbox"].replace(/RC_SHARED.*\n/, "") } })
  );
  match(without.message, /must use https .* RC_SHARED_EMULATOR=yes/);
  equal(parseConfig({ files: { ".env-sandbox": `${creds}RC_JWT=a.b.c` } }).sharedEmulator, undefined);
});

Deno.test("parseConfig() never puts a secret value into an error", () => {
  const e = errorOf(() =>
    parseConfig({ files: { ".env-sandbox": "RC_CLIENT_SECRET=TopSecretValue123\nRC_PASSWORD=Hunter2Hunter2" } })
  );
  equal(/TopSecretValue123|Hunter2Hunter2/.test(e.message), false);
});

Deno.test("loadConfig() reads .env and the selected file from a folder", async () => {
  await using dir = await tempDir();
  await Deno.writeTextFile(`${dir.path}/.env`, "ENVIRONMENT=production\n");
  await Deno.writeTextFile(`${dir.path}/.env-production`, `${creds}RC_JWT=a.b.c\n`);
  await Deno.writeTextFile(`${dir.path}/.env-sandbox`, "RC_CLIENT_ID=wrong\n");
  const c = await loadConfig({ dir: dir.path, env: {} });
  equal(c.environment, "production");
  equal(c.clientId, "id");
  throws(() => parseConfig({ files: { ".env": "ENVIRONMENT=x" } }), ConfigError);
});

Deno.test("the committed .env templates select the emulator; asking for production without credentials is an error", async () => {
  const root = new URL("..", import.meta.url).pathname;
  const sandbox = await loadConfig({ dir: root, env: {} });
  equal(sandbox.clientId, undefined);
  equal(sandbox.server, SANDBOX);
  deepEqual(sandbox.warnings, []);
  await rejects(loadConfig({ dir: root, env: { ENVIRONMENT: "production" } }), {
    name: "ConfigError",
    message:
      "ENVIRONMENT is production (the ENVIRONMENT variable) but .env-production has no credentials: fill RC_CLIENT_ID, RC_CLIENT_SECRET and RC_JWT in .env-production.local (or .env-production), or set ENVIRONMENT=sandbox to use the built-in emulator",
  });
});

Deno.test("trust: configuration errors never echo a secret, whatever the mistake", async (t) => {
  const SECRET = "S3cr3t-Value-9f8e7d";
  const JWT = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIxMjMifQ.c2lnbmF0dXJl";
  const cases: [string, ConfigSources, RegExp][] = [
    [
      "a stray secret on its own line",
      { files: { ".env-sandbox": `${creds}RC_JWT=a.b.c\n${SECRET}\n` } },
      /line 4 is not KEY=value: each line must be KEY=value/,
    ],
    [
      "KEY: value with a colon",
      { files: { ".env-sandbox": `RC_CLIENT_ID=id\nRC_CLIENT_SECRET: ${SECRET}\n` } },
      /line 2 is not KEY=value: it looks like "RC_CLIENT_SECRET: value"; use = instead of :/,
    ],
    ["a JWT wrapped onto two lines", {
      files: { ".env-sandbox": `${creds}RC_JWT=${JWT.slice(0, 30)}\n${JWT.slice(30)}\n` },
    }, /line 4 is not KEY=value: .*a value must stay on one line \(a JWT too\)/],
    ["a password inside the server URL (http)", {
      files: { ".env-sandbox": `RC_SERVER_URL=http://user:${SECRET}@example.com\n${creds}RC_JWT=a.b.c` },
    }, /must not hold a user name or password \(remove what stands between \/\/ and @\)/],
    ["a password inside the server URL (https)", {
      files: { ".env-sandbox": `RC_SERVER_URL=https://user:${SECRET}@platform.ringcentral.com\n${creds}RC_JWT=a.b.c` },
    }, /must not hold a user name or password/],
    ["a secret pasted as the server URL", {
      files: { ".env-sandbox": `RC_SERVER_URL=${SECRET}\n${creds}RC_JWT=a.b.c` },
    }, /is not a URL/],
    ["a secret in a query of the server URL", {
      files: {
        ".env-sandbox": `RC_SERVER_URL=https://platform.ringcentral.com/?token=${SECRET}\n${creds}RC_JWT=a.b.c`,
      },
    }, /remove the query/],
  ];
  for (const [name, input, message] of cases) {
    await t.step(name, () => {
      const e = errorOf(() => parseConfig(input));
      match(e.message, message);
      for (const part of [SECRET, JWT.slice(0, 30), JWT.slice(30)]) {
        ok(!e.message.includes(part), `${name}: ${e.message}`);
      }
    });
  }
});

Deno.test("trust: settings that ask for a real platform never fall back to the emulator", async (t) => {
  await t.step("ENVIRONMENT=production in .env with no .env-production", () => {
    const e = errorOf(() => parseConfig({ files: { ".env": "ENVIRONMENT=production" } }));
    match(e.message, /^ENVIRONMENT is production \(in \.env\) but \.env-production has no credentials/);
  });
  await t.step("a server of one's own with no credentials", () => {
    const e = errorOf(() => parseConfig({ files: { ".env-sandbox": "RC_SERVER_URL=http://127.0.0.1:8787" } }));
    match(e.message, /names http:\/\/127\.0\.0\.1:8787 but there are no credentials for it/);
  });
  await t.step("sandbox with the default server and no credentials is the offline default", () => {
    equal(
      parseConfig({ files: { ".env": "ENVIRONMENT=sandbox", ".env-sandbox": `RC_SERVER_URL=${SANDBOX}` } }).clientId,
      undefined,
    );
  });
});

Deno.test("trust: typos and unknown keys are warnings that name them; an empty variable is blamed on itself", () => {
  const typo = parseConfig({ files: { ".env": "ENVIROMENT=production\nenvironment=production\nMY_OWN=1" } });
  equal(typo.environment, "sandbox");
  deepEqual(typo.warnings, [
    "Warning: .env sets ENVIROMENT, which this client does not read (did you mean ENVIRONMENT?)",
    "Warning: .env sets environment, which this client does not read (did you mean ENVIRONMENT?)",
    "Warning: .env sets MY_OWN, which this client does not read",
  ]);
  const key = parseConfig({ files: { ".env-sandbox": `${creds}RC_JWT=a.b.c\nRC_CLIENTID=x` }, env: {} });
  ok(
    key.warnings.includes(
      "Warning: .env-sandbox sets RC_CLIENTID, which this client does not read (did you mean RC_CLIENT_ID?)",
    ),
  );
  const empty = errorOf(() =>
    parseConfig({ files: { ".env-sandbox": `${creds}RC_JWT=a.b.c` }, env: { RC_CLIENT_ID: "" } })
  );
  equal(
    empty.message,
    "RC_CLIENT_ID is empty in the RC_CLIENT_ID environment variable (set to an empty string, which overrides .env-sandbox): copy your app's Client ID from the RingCentral Developer Console",
  );
});

Deno.test("trust: secrets belong in the git-ignored .local file; one in the tracked file is a loud warning", async () => {
  const local = parseConfig({
    files: { ".env-sandbox": "RC_CLIENT_ID=id\n", ".env-sandbox.local": "RC_CLIENT_SECRET=secret\nRC_JWT=a.b.c\n" },
  });
  deepEqual(local.credentials, { jwt: "a.b.c" });
  deepEqual(local.warnings, []);
  const tracked = parseConfig({ files: { ".env-sandbox": `${creds}RC_JWT=a.b.c` } });
  match(tracked.warnings[0], /RC_CLIENT_SECRET, RC_JWT are in \.env-sandbox, a file this project tracks in git/);
  const gitignore = await Deno.readTextFile(new URL("../.gitignore", import.meta.url));
  match(gitignore, /^\.env-\*\.local$/m);
  await using dir = await tempDir();
  await Deno.writeTextFile(`${dir.path}/.env-sandbox.local`, `${creds}RC_JWT=a.b.c\n`);
  equal((await loadConfig({ dir: dir.path, env: {} })).clientId, "id");
});

Deno.test("parseConfig(): RC_REDIRECT_URI without a JWT or password selects a browser login; no secret needed", async (t) => {
  await t.step("a public app: client id and redirect URI only", () => {
    const c = parseConfig({
      files: { ".env-sandbox": "RC_CLIENT_ID=public-id\nRC_REDIRECT_URI=http://127.0.0.1:53682/oauth2callback" },
    });
    deepEqual(c.credentials, { redirectUri: "http://127.0.0.1:53682/oauth2callback" });
    equal(c.clientSecret, undefined);
  });
  await t.step("a JWT wins over a redirect URI", () => {
    const c = parseConfig({
      files: { ".env-sandbox.local": `${creds}RC_JWT=a.b.c\nRC_REDIRECT_URI=http://localhost:53682/cb` },
    });
    deepEqual(c.credentials, { jwt: "a.b.c" });
  });
  for (
    const [uri, problem] of [
      ["https://example.com/cb", /must be http:\/\/127\.0\.0\.1 or http:\/\/localhost/],
      ["http://127.0.0.1/oauth2callback", /needs a port/],
      ["not a url", /is not a URL/],
      ["http://127.0.0.1:53682/cb?x=1", /must have no user, query or fragment/],
    ] as const
  ) {
    await t.step(`refused: ${uri}`, () => {
      const e = errorOf(() => parseConfig({ files: { ".env-sandbox": `RC_CLIENT_ID=id\nRC_REDIRECT_URI=${uri}` } }));
      equal(e.key, "RC_REDIRECT_URI");
      match(e.message, problem);
      match(e.message, /such as http:\/\/127\.0\.0\.1:53682\/oauth2callback, registered as a redirect URI of the app/);
    });
  }
});

Deno.test("trust 13: production never goes over plain http, and a room's emulator only on a private network, with a warning", async (t) => {
  const jwt = "RC_CLIENT_ID=id\nRC_CLIENT_SECRET=s\nRC_JWT=a.b.c\n";
  await t.step("RC_SHARED_EMULATOR never applies to production", () => {
    const e = (() => {
      try {
        return parseConfig({
          files: { ".env-production": `RC_SERVER_URL=http://10.9.9.9:8787\nRC_SHARED_EMULATOR=yes\n${jwt}` },
          env: { ENVIRONMENT: "production" },
        });
      } catch (e) {
        return e;
      }
    })();
    ok(e instanceof ConfigError, String(e));
    match((e as Error).message, /RC_SHARED_EMULATOR is for a workshop room's emulator: it never applies to production/);
  });
  await t.step("a public address over plain http is refused, even as a shared emulator", () => {
    for (const server of ["http://8.8.8.8:8787", "http://emulator.example.com:8787"]) {
      const e = (() => {
        try {
          return parseConfig({ files: { ".env-sandbox": `RC_SERVER_URL=${server}\nRC_SHARED_EMULATOR=yes\n${jwt}` } });
        } catch (e) {
          return e;
        }
      })();
      ok(e instanceof ConfigError, `${server}: ${e}`);
      match((e as Error).message, /plain http only to this machine or a private network address/);
    }
  });
  await t.step("a private address is allowed as a shared emulator, with a warning that names it", () => {
    const config = parseConfig({
      files: { ".env-sandbox": `RC_SERVER_URL=http://192.168.1.20:8787\nRC_SHARED_EMULATOR=yes\n${jwt}` },
    });
    ok(
      config.warnings.some((w) => /RC_SERVER_URL is plain http to 192\.168\.1\.20 .* unencrypted/.test(w)),
      config.warnings.join("\n"),
    );
  });
});

Deno.test("trust 2: a settings file may be a link to a plain file (.env -> ../shared.env); a link to anything else is refused, saying so once", async (t) => {
  await using dir = await tempDir();
  const project = `${dir.path}/project`;
  await Deno.mkdir(project);
  await Deno.writeTextFile(`${dir.path}/shared.env`, "ENVIRONMENT=production\n");
  await Deno.writeTextFile(`${dir.path}/shared-production`, `${creds}RC_JWT=a.b.c\n`);
  await t.step("links to plain files are followed", async () => {
    await Deno.symlink("../shared.env", `${project}/.env`);
    await Deno.symlink(`${dir.path}/shared-production`, `${project}/.env-production`);
    const c = await loadConfig({ dir: project, env: {} });
    equal(c.environment, "production");
    equal(c.clientId, "id");
  });
  await t.step("a link to a folder, a link to nothing", async () => {
    await Deno.remove(`${project}/.env-production`);
    await Deno.symlink(dir.path, `${project}/.env-production`);
    const folder = await loadConfig({ dir: project, env: {} }).catch((e) => e);
    ok(folder instanceof ConfigError, String(folder));
    match(folder.message, /\.env-production is a link to something that is not a regular file \(a folder\)/);
    await Deno.remove(`${project}/.env-production`);
    await Deno.symlink(`${dir.path}/gone`, `${project}/.env-production`);
    const dangling = await loadConfig({ dir: project, env: {} }).catch((e) => e);
    ok(dangling instanceof ConfigError, String(dangling));
    match(dangling.message, /\.env-production is a link to a file that does not exist/);
    for (const e of [folder, dangling]) {
      equal(e.message.split(`${project}/.env-production`).length, 2, `the path once: ${e.message}`);
      equal(e.message.split("KEY=value").length, 2, `the fix once: ${e.message}`);
    }
  });
  await t.step("a plain file too large is refused, saying the limit once", async () => {
    await Deno.remove(`${project}/.env-production`);
    await Deno.writeTextFile(`${project}/.env-production`, "#".repeat(70_000));
    const e = await loadConfig({ dir: project, env: {} }).catch((e) => e);
    ok(e instanceof ConfigError, String(e));
    match(e.message, /is larger than 65536 bytes \(the settings file limit\)/);
    equal(e.message.split(`${project}/.env-production`).length, 2, `the path once: ${e.message}`);
  });
});
