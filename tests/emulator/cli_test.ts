import { deepEqual, equal, match, ok } from "node:assert/strict";

import { parseArgs } from "../../lib/emulator/cli.ts";
import { MemoryTokenStore, RingCentral } from "../../mod.ts";
import { ROOT, runDeno, startEmulator, tempDir } from "../_helpers.ts";

Deno.test("emulator command line: flags are checked with clear messages", () => {
  deepEqual(parseArgs(["--port", "0", "--access-ttl=2", "--refresh-ttl", "4", "--rate-limits", "off"]), {
    port: 0,
    anyPort: true,
    options: { accessTtl: 2, refreshTtl: 4, rateLimits: false },
    quiet: false,
    room: false,
    reset: false,
    private: false,
  });
  deepEqual(
    (({ data, reset }) => ({ data, reset }))(
      parseArgs(["--data", "worlds/demo/", "--reset"]) as { data: string; reset: boolean },
    ),
    { data: "worlds/demo", reset: true },
  );
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
  match(message(["--reset"]), /--reset starts a saved world over: use it with --data DIR/);
  match(message(["--data", " "]), /--data needs a folder/);
  deepEqual((parseArgs(["--auto-approve"]) as { options: unknown }).options, { autoApprove: true });
  deepEqual((parseArgs(["--no-websocket"]) as { options: unknown }).options, { webSocketPermission: false });
});

Deno.test("emulator --room: every interface, any host name; attendees join as users of their own; the key stays with the instructor", async () => {
  const parsed = parseArgs(["--room"]) as { options: { rateLimits: boolean; room?: { key: string } }; room: boolean };
  equal(parsed.room, true);
  equal(parsed.options.rateLimits, false);
  match(parsed.options.room!.key, /^[0-9a-f]{32}$/, "a fresh key each start");
  equal(
    (parseArgs(["--room", "--rate-limits", "on"]) as { options: { rateLimits: boolean } }).options.rateLimits,
    true,
  );

  await using room = await startEmulator(["--room", "--port", "0", "--quiet"], [
    "--allow-net",
    "--allow-sys=networkInterfaces",
  ]);
  const server = new URL(room.env.RC_SERVER_URL);
  ok(!/^(127\.|localhost$)/.test(server.hostname), `a network address, not loopback: ${server}`);
  ok(
    !room.lines.some((l) => /RC_EMULATOR_KEY|RC_JWT|RC_PASSWORD/.test(l)),
    "the attendees' lines hold no key and no JWT",
  );
  await using dir = await tempDir();
  // As an attendee sets it up: the server in .env-sandbox, then a user of their own in the git-ignored .local file.
  const [serverLine, shared] = room.lines;
  equal(shared, "RC_SHARED_EMULATOR=yes");
  await Deno.writeTextFile(`${dir.path}/.env`, "ENVIRONMENT=sandbox\n");
  await Deno.writeTextFile(`${dir.path}/.env-sandbox`, `${serverLine}\n${shared}\n`);
  const names = ["Ada", "Bob", "Carmen"];
  const attendees = [];
  for (const name of names) {
    const joined = await fetch(`${room.env.RC_SERVER_URL}/__emulator/room/join`, {
      method: "POST",
      body: new URLSearchParams({ name }),
    });
    equal(joined.status, 201);
    const lines = (await joined.text()).split("\n").filter((l) => l.startsWith("RC_"));
    await Deno.writeTextFile(`${dir.path}/.env-sandbox.local`, `${lines.join("\n")}\n`);
    attendees.push(await RingCentral.fromEnv({ dir: dir.path, env: {}, tokenStore: new MemoryTokenStore() }));
  }
  for (const [i, rc] of attendees.entries()) {
    equal(rc.target, "emulator");
    const me = await (await rc.get("/restapi/v1.0/account/~/extension/~")).json();
    equal(me.name, names[i]);
  }
  const reset = await fetch(`${room.env.RC_SERVER_URL}/__emulator/reset`, { method: "POST" });
  equal(reset.status, 403, "no attendee can reset the room");
  await reset.body?.cancel();
});

Deno.test("emulator --room without the permission to listen on every interface says which task to run", async () => {
  const r = await runDeno(["run", "--allow-net=127.0.0.1", `${ROOT}/lib/emulator/cli.ts`, "--room", "--port", "0"]);
  equal(r.code, 1);
  equal(
    r.stderr.trim(),
    "emulator: a room's emulator listens on every interface and delivers webhooks to attendees needs --allow-net: run it as deno task emulator:room",
  );
});
