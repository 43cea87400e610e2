import { deepEqual, equal } from "node:assert/strict";

import { parseArgs } from "../../lib/emulator/cli.ts";

Deno.test("emulator command line: flags are checked with clear messages", () => {
  deepEqual(parseArgs(["--port", "0", "--access-ttl=2", "--refresh-ttl", "4", "--rate-limits", "off"]), {
    port: 0,
    options: { accessTtl: 2, refreshTtl: 4, rateLimits: false },
    quiet: false,
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
