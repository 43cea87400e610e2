/** `deno task token` (issue 22, item 10): a token for curl, never shown on a terminal unasked. */
import { equal, match, ok } from "node:assert/strict";
import { main } from "../../scripts/token.ts";
import { ROOT, runDeno, serveEmulator, tempDir } from "../_helpers.ts";

const SCRIPT = `${ROOT}/scripts/token.ts`;
const PERMISSIONS = ["--allow-read=.", "--allow-write=.", "--allow-env", "--allow-net"];

Deno.test("deno task token: a captured stdout gets a token that works with curl's headers; stderr says it is a secret", async () => {
  await using s = serveEmulator();
  await using dir = await tempDir();
  const r = await runDeno(["run", ...PERMISSIONS, SCRIPT], { cwd: dir.path, env: s.env });
  equal(r.code, 0, r.stderr);
  const token = r.stdout.trim();
  ok(token.length > 10 && !token.includes("\n"), "the token alone, one line");
  ok(!r.stderr.includes(token), "the token is not on stderr");
  match(r.stderr, /It is a secret/);
  const me = await fetch(`${s.url}/restapi/v1.0/account/~/extension/~`, {
    headers: { Authorization: `Bearer ${token}` },
  });
  equal(me.status, 200);
  equal((await me.json()).extensionNumber, "101");
  // A second run takes the cached token: no second login.
  const again = await runDeno(["run", ...PERMISSIONS, SCRIPT], { cwd: dir.path, env: s.env });
  equal(again.stdout.trim(), token);
});

Deno.test("deno task token on a terminal prints no token unless --show; on the built-in emulator it says to serve one", async () => {
  await using s = serveEmulator();
  await using dir = await tempDir();
  const out: string[] = [];
  const err: string[] = [];
  const io = { out: (t: string) => out.push(t), err: (l: string) => err.push(l), outIsTerminal: true };
  const from = { dir: dir.path, env: s.env };
  equal(await main([], io, from), 1);
  equal(out.length, 0, "nothing on the terminal's stdout");
  match(err.join("\n"), /export RC_ACCESS_TOKEN=\$\(deno task token\)/);
  equal(await main(["--show"], io, from), 0);
  equal(out.length, 1);
  const builtIn = await runDeno(["run", ...PERMISSIONS, SCRIPT], { cwd: dir.path, clearEnv: true });
  equal(builtIn.code, 1);
  equal(builtIn.stdout, "");
  match(builtIn.stderr, /curl cannot reach it\. Start one it can reach with `deno task emulator`/);
});
