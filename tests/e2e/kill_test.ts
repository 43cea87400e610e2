/** The token cache survives a writer killed with SIGKILL at random moments. */
import { equal } from "node:assert/strict";
import { tempDir } from "../_helpers.ts";
import { killWriters } from "../fixtures/kill.ts";

Deno.test("FileTokenStore: a writer killed with SIGKILL never leaves a torn cache", async () => {
  await using dir = await tempDir();
  const { torn, intact } = await killWriters(dir.path, 25);
  equal(torn, 0);
  equal(intact, 25);
  const stat = await Deno.stat(`${dir.path}/tokens_sandbox.json`);
  equal(stat.mode! & 0o777, 0o600);
});
