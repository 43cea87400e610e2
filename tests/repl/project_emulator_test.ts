/**
 * The playground on this project's emulator: its banner says whose it is
 * and where the dashboard is, its flows reach it, and its recordings replay
 * on a fresh built-in emulator (the same seed world), as the built-in
 * emulator's do.
 */
import { equal, match } from "node:assert/strict";
import { createEmulator } from "../../lib/emulator/mod.ts";
import { shareAsProjectEmulator } from "../../lib/emulator/world/publish.ts";
import { setupFromEnv } from "../../lib/from_env.ts";
import { BufferOutput } from "../../lib/repl/output.ts";
import { ScriptedPrompter } from "../../lib/repl/prompt.ts";
import { Playground } from "../../lib/repl/playground.ts";
import { tempDir } from "../_helpers.ts";

Deno.test("the playground on the project's emulator: banner, dashboard, a flow's call, recordings for a fresh built-in world", async () => {
  await using dir = await tempDir();
  const emulator = createEmulator();
  const shared = shareAsProjectEmulator(emulator, { dir: dir.path, by: "deno task emulator" })!;
  try {
    const out = new BufferOutput();
    const setup = await setupFromEnv({ dir: dir.path, env: {}, onNotice: (m) => out.print(m) });
    equal(setup.projectEmulator?.url, shared.project.url);
    const s = Playground.start({ prompter: new ScriptedPrompter([]), out, setup });
    const banner = (await s.banner()).join("\n");
    match(banner, /RingCentral playground · this project's emulator \(deno task emulator\)/);
    match(banner, new RegExp(`dashboard {3}${shared.project.url.replaceAll(".", "\\.")}/__emulator/ui`));
    match(banner, /switch {6}no credentials in \.env-sandbox/);
    const me = await (await s.rc.get("/restapi/v1.0/account/~/extension/~")).json();
    equal(me.name, "Alice Admin");
    equal(emulator.state.stats.requests, 2, "the login and the call reached the project's emulator");
    equal(s.context.builtInEmulator, true, "its recordings replay on a fresh built-in emulator");
  } finally {
    await shared.close();
  }
});
