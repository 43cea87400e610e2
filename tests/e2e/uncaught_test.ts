/**
 * One-off scripts as users write them, with no try/catch: what reaches the
 * terminal is the message, with its hint, the user's own line, and no frame
 * from inside the library.
 * And scripts run with fewer permissions than the client would like.
 */
import { deepEqual, doesNotMatch, equal, match } from "node:assert/strict";
import { ROOT, runDeno, serveEmulator, tempDir } from "../_helpers.ts";

async function script(dir: string, body: string): Promise<string> {
  const path = `${dir}/one_off.ts`;
  await Deno.writeTextFile(path, `import { RingCentral } from "${ROOT}/mod.ts";\n${body}\n`);
  return path;
}

/** The frames an uncaught error printed. */
function frames(stderr: string): string[] {
  return stderr.split("\n").filter((l) => /^\s+at /.test(l));
}

Deno.test("trust: an uncaught API error prints its message, its hint and the user's own line, no library frame", async () => {
  await using dir = await tempDir();
  const path = await script(
    dir.path,
    `const rc = await RingCentral.fromEnv({ onNotice: () => {} });\n` +
      `async function lookUp() {\n` +
      `  await rc.get("/restapi/v1.0/account/~/extension/~/message-store/12345");\n` +
      `}\n` +
      `await lookUp();`,
  );
  const r = await runDeno(["run", "-A", path], { cwd: dir.path, clearEnv: true });
  equal(r.code, 1);
  match(
    r.stderr,
    /error: Uncaught \(in promise\) ApiError: GET \/restapi\/v1\.0\/account\/~\/extension\/~\/message-store\/12345 failed: 404 CMN-102 Resource for parameter \[messageId\] is not found \(request id [\w-]+\)\. Nothing exists at that id/,
  );
  const at = frames(r.stderr);
  deepEqual(
    at.map((l) => l.trim().replace(/file:\/\/\S+\//, "")),
    ["at async lookUp (one_off.ts:4:3)", "at async one_off.ts:6:1"],
    "the user's own lines, innermost first",
  );
  doesNotMatch(r.stderr, /\/lib\/|\/mod\.ts/, "no frame from inside the library");
});

Deno.test("trust: an uncaught configuration error prints as its message and the user's line", async () => {
  await using dir = await tempDir();
  await Deno.writeTextFile(`${dir.path}/.env`, "ENVIRONMENT=production\n");
  const path = await script(dir.path, `await RingCentral.fromEnv();`);
  const r = await runDeno(["run", "-A", path], { cwd: dir.path, clearEnv: true });
  equal(r.code, 1);
  match(
    r.stderr,
    /Uncaught \(in promise\) ConfigError: ENVIRONMENT is production \(in \.env\) but \.env-production has no credentials/,
  );
  deepEqual(frames(r.stderr).map((l) => l.trim().replace(/file:\/\/\S+\//, "")), ["at async one_off.ts:2:1"]);
});

Deno.test("trust: the library changes no process-wide setting to print errors so", async () => {
  for await (const entry of Deno.readDir(`${ROOT}/lib`)) {
    if (!entry.name.endsWith(".ts")) continue;
    const text = await Deno.readTextFile(`${ROOT}/lib/${entry.name}`);
    doesNotMatch(text, /stackTraceLimit\s*=|prepareStackTrace\s*=/, entry.name);
    doesNotMatch(
      text,
      /Deno\.addSignalListener|Deno\.args/,
      `${entry.name}: no signal listener, no Deno.args in the core`,
    );
  }
});

Deno.test("trust: without --allow-write the call succeeds, with one warning that names the flags", async () => {
  await using s = serveEmulator({ rateLimits: false });
  await using dir = await tempDir();
  const path = await script(
    dir.path,
    `const rc = await RingCentral.fromEnv();\n` +
      `for (let i = 0; i < 3; i++) console.log((await rc.get("/restapi/v1.0/account/~/extension/~")).status);`,
  );
  const env = { ...s.env, RC_USERNAME: "", RC_PASSWORD: "" };
  const r = await runDeno(["run", "--allow-net=127.0.0.1", `--allow-read=${dir.path}`, "--allow-env", path], {
    cwd: dir.path,
    env,
  });
  equal(r.code, 0, r.stderr);
  equal(r.stdout, "200\n200\n200\n");
  const warnings = r.stderr.trim().split("\n").filter((l) => l.startsWith("Warning:"));
  match(
    warnings.join("\n"),
    /--allow-write=tokens_sandbox\.json,tokens_sandbox\.json\.tmp,tokens_sandbox\.json\.lock|--allow-write=\.\/tokens_sandbox\.json/,
  );
  equal(new Set(warnings).size, warnings.length, "no warning repeats");
  doesNotMatch(r.stderr, /NotCapable|Uncaught/);
});

Deno.test("trust: without --allow-net for the server, the error says which flag, not 'check your network'", async () => {
  await using s = serveEmulator({ rateLimits: false });
  await using dir = await tempDir();
  const path = await script(dir.path, `const rc = await RingCentral.fromEnv();\nawait rc.authenticate();`);
  const env = { ...s.env, RC_USERNAME: "", RC_PASSWORD: "" };
  const r = await runDeno(["run", "--allow-net=example.com", "-R", "-W", "--allow-env", "--no-prompt", path], {
    cwd: dir.path,
    env,
  });
  equal(r.code, 1);
  match(
    r.stderr,
    /POST \/restapi\/oauth\/token failed: Deno may not connect to 127\.0\.0\.1:\d+\. Run the script with --allow-net=127\.0\.0\.1/,
  );
  doesNotMatch(r.stderr, /network/);
});

Deno.test("trust 17: usage mistakes are one clear TypeError naming the argument, printed from the user's line", async (t) => {
  const cases: [string, string, RegExp][] = [
    ["a path without its /", `await rc.get("restapi/v1.0/account/~");`, /TypeError: The path must start with "\/"/],
    [
      "an absolute URL of another origin",
      `await rc.get("https://evil.example/restapi/v1.0/account/~");`,
      /TypeError: Refusing to send credentials to https:\/\/evil\.example/,
    ],
    [
      "subscribe with a string",
      `await rc.subscribe("a string" as never);`,
      /TypeError: subscribe\(\) takes a list of event filters/,
    ],
    [
      "a BigInt in a body",
      `await rc.post("/restapi/v1.0/account/~/extension/~/sms", { n: 1n });`,
      /TypeError: The body of POST \/restapi\/v1\.0\/account\/~\/extension\/~\/sms cannot be sent as JSON: Do not know how to serialize a BigInt/,
    ],
    [
      "an invalid header value",
      `await rc.get("/restapi/v1.0/account/~", undefined, { headers: { "X-Note": "a\\nb" } });`,
      /TypeError: The value of the header "X-Note" cannot be sent: it has a line break/,
    ],
    [
      "an invalid header name",
      `await rc.get("/restapi/v1.0/account/~", undefined, { headers: { "Accept Language": "en" } });`,
      /TypeError: The header name "Accept Language" cannot be sent/,
    ],
    [
      "a negative timeoutMs",
      `await rc.get("/restapi/v1.0/account/~", undefined, { timeoutMs: -5 });`,
      /TypeError: timeoutMs must be a positive number of milliseconds, such as 30_000 for 30 s \(got -5\)/,
    ],
    [
      "a timeoutMs as text",
      `await rc.get("/restapi/v1.0/account/~", undefined, { timeoutMs: "5s" as never });`,
      /TypeError: timeoutMs must be a positive number of milliseconds, such as 30_000 for 30 s \(got "5s", a string\)/,
    ],
    [
      "a client timeoutMs as text",
      `new RingCentral({ server: "https://platform.ringcentral.com", clientId: "id", timeoutMs: "5s" as never });`,
      /TypeError: the client's timeoutMs must be a positive number of milliseconds/,
    ],
    [
      "a server without its scheme",
      `new RingCentral({ server: "platform.ringcentral.com", clientId: "id" });`,
      /TypeError: RingCentral: server must be a URL with its scheme, such as https:\/\/platform\.ringcentral\.com \(got "platform\.ringcentral\.com"\)/,
    ],
    [
      "withFiles with a path instead of a file",
      `(await import("${ROOT}/mod.ts")).withFiles({ to: [] }, ["/some/path.png"] as never);`,
      /TypeError: withFiles\(\): file 1 is a string \("\/some\/path\.png"\), not its bytes/,
    ],
    [
      "downloadContent from another origin",
      `await (await import("${ROOT}/mod.ts")).downloadContent(rc, "https://evil.example.com/x", "x.bin");`,
      /TypeError: Refusing to send credentials to https:\/\/evil\.example\.com/,
    ],
  ];
  for (const [name, line, message] of cases) {
    await t.step(name, async () => {
      await using dir = await tempDir();
      const path = await script(dir.path, `const rc = await RingCentral.fromEnv({ onNotice: () => {} });\n${line}`);
      const r = await runDeno(["run", "-A", path], { cwd: dir.path, clearEnv: true });
      equal(r.code, 1);
      match(r.stderr, message);
      const at = frames(r.stderr).map((l) => l.trim().replace(/file:\/\/\S+\//, ""));
      equal(at.length, 1, at.join("\n"));
      match(at[0], /^at (async )?one_off\.ts:3:\d+$/, "the user's own line, and no library frame");
    });
  }
});

Deno.test("trust 17: settings and subscription mistakes print their message from the user's line, no library frame", async (t) => {
  const cases: [string, string, RegExp][] = [
    [
      "loadConfig() with a wrong ENVIRONMENT",
      `await (await import("${ROOT}/mod.ts")).loadConfig({ dir: ".", env: { ENVIRONMENT: "bogus" } });`,
      /ConfigError: ENVIRONMENT in the ENVIRONMENT variable is "bogus": use sandbox or production/,
    ],
    [
      "parseConfig() with a wrong ENVIRONMENT",
      `(await import("${ROOT}/mod.ts")).parseConfig({ files: { ".env": "ENVIRONMENT=bogus" } });`,
      /ConfigError: ENVIRONMENT in \.env is "bogus": use sandbox or production/,
    ],
    [
      "subscribe with a string for onEvent",
      `await rc.subscribe(["/restapi/v1.0/account/~/extension/~/message-store"], "cb" as never);`,
      /TypeError: subscribe\(filters, onEvent, options\): onEvent must be a function .*; got a string/,
    ],
  ];
  for (const [name, line, message] of cases) {
    await t.step(name, async () => {
      await using dir = await tempDir();
      const path = await script(dir.path, `const rc = await RingCentral.fromEnv({ onNotice: () => {} });\n${line}`);
      const r = await runDeno(["run", "-A", path], { cwd: dir.path, clearEnv: true });
      equal(r.code, 1);
      match(r.stderr, message);
      const at = frames(r.stderr).map((l) => l.trim().replace(/file:\/\/\S+\//, ""));
      equal(at.length, 1, r.stderr);
      match(at[0], /^at (async )?one_off\.ts:3:\d+$/, "the user's own line, and no library frame");
    });
  }
});
