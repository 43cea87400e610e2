import { deepEqual, equal, ok } from "node:assert/strict";

import { parseArgs } from "../../lib/emulator/cli.ts";
import { MemoryTokenStore, RingCentral } from "../../mod.ts";
import { ROOT, runDeno, startEmulator, stats, tempDir } from "../_helpers.ts";

Deno.test("emulator command line: flags are checked with clear messages", () => {
  deepEqual(parseArgs(["--port", "0", "--access-ttl=2", "--refresh-ttl", "4", "--rate-limits", "off"]), {
    port: 0,
    options: { accessTtl: 2, refreshTtl: 4, rateLimits: false },
    quiet: false,
    room: false,
  });
  const message = (args: string[]) => {
    try {
      parseArgs(args);
    } catch (e) {
      return (e as Error).message;
    }
    return "no error";
  };
  equal(message(["--port", "x"]), '--port must be a whole number ≥ 0 (got "x")');
  equal(message(["--access-ttl", "0"]), '--access-ttl must be a number ≥ 1 (got "0")');
  equal(message(["--rate-limits", "maybe"]), '--rate-limits must be on or off (got "maybe")');
  equal(message(["--bogus"]), "Unknown option --bogus");
  equal(message(["--port"]), "--port needs a value");
  deepEqual((parseArgs(["--auto-approve"]) as { options: unknown }).options, { autoApprove: true });
  deepEqual((parseArgs(["--no-websocket"]) as { options: unknown }).options, { webSocketPermission: false });
});

Deno.test("emulator --room: every interface, any host name, no session limit; attendees connect with the printed lines", async () => {
  deepEqual(parseArgs(["--room"]), {
    port: 8787,
    options: { rateLimits: false, sessionLimit: Infinity, anyHost: true },
    quiet: false,
    room: true,
  });
  equal(
    (parseArgs(["--room", "--rate-limits", "on"]) as { options: { rateLimits: boolean } }).options.rateLimits,
    true,
  );

  await using room = await startEmulator(["--room", "--port", "0", "--quiet"], [
    "--allow-net=0.0.0.0",
    "--allow-sys=networkInterfaces",
  ]);
  const server = new URL(room.env.RC_SERVER_URL);
  ok(!/^(127\.|localhost$)/.test(server.hostname), `a network address, not loopback: ${server}`);
  await using dir = await tempDir();
  // As an attendee sets it up: the server in .env-sandbox, the credentials in the git-ignored .local file.
  const [serverLine, shared, ...credentials] = room.lines;
  equal(shared, "RC_SHARED_EMULATOR=yes");
  await Deno.writeTextFile(`${dir.path}/.env`, "ENVIRONMENT=sandbox\n");
  await Deno.writeTextFile(`${dir.path}/.env-sandbox`, `${serverLine}\n${shared}\n`);
  await Deno.writeTextFile(`${dir.path}/.env-sandbox.local`, `${credentials.join("\n")}\n`);
  const attendees = await Promise.all(
    Array.from(
      { length: 7 },
      () => RingCentral.fromEnv({ dir: dir.path, env: {}, tokenStore: new MemoryTokenStore() }),
    ),
  );
  // Seven sessions of one user and one app: none is pushed out (the platform keeps five).
  for (const rc of attendees) await rc.login();
  for (const rc of attendees) {
    equal(rc.target, "emulator");
    const me = await (await rc.get("/restapi/v1.0/account/~/extension/~")).json();
    equal(me.name, "Alice Admin");
  }
  const { grants, statuses } = await stats(room.env.RC_SERVER_URL);
  equal(grants["urn:ietf:params:oauth:grant-type:jwt-bearer"].ok, 7, "no session was revoked and logged in again");
  equal(statuses["401"], undefined);
});

Deno.test("emulator --room without the permission to listen on every interface says which task to run", async () => {
  const r = await runDeno(["run", "--allow-net=127.0.0.1", `${ROOT}/lib/emulator/cli.ts`, "--room", "--port", "0"]);
  equal(r.code, 1);
  equal(
    r.stderr.trim(),
    "emulator: listening on every interface needs --allow-net=0.0.0.0: run it as deno task emulator:room",
  );
});
