import { deepEqual, equal, ok } from "node:assert/strict";
import { FileTokenStore } from "../mod.ts";
import { tempDir } from "./_helpers.ts";

Deno.test("FileTokenStore writes atomically with mode 0600 and leaves no temp files", async () => {
  await using dir = await tempDir();
  const path = `${dir.path}/tokens_sandbox.json`;
  const store = new FileTokenStore(path);
  const data = (i: number) => ({
    tokens: { access_token: `token-${i}`.repeat(200), token_type: "bearer", expires_in: 3600 },
    timestamp: i,
  });
  // Readers racing many writers only ever see a whole file.
  const writers = Array.from({ length: 50 }, (_, i) => store.save(data(i)));
  const readers = Array.from({ length: 50 }, async () => {
    const text = await Deno.readTextFile(path).catch(() => undefined);
    if (text !== undefined) {
      JSON.parse(text); // throws on a torn file
    }
  });
  await Promise.all([...writers, ...readers]);
  const stat = await Deno.stat(path);
  equal(stat.mode! & 0o777, 0o600);
  const loaded = await store.load();
  ok(loaded && /^token-\d+/.test(loaded.tokens.access_token));
  const files = [...Deno.readDirSync(dir.path)].map((e) => e.name);
  deepEqual(files, ["tokens_sandbox.json"]);
  await store.clear();
  equal(await store.load(), undefined);
});
