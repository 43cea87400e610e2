/**
 * The built-in apps' permissions, as the docs and `deno task emulator --help`
 * list them, are exactly DEFAULT_PERMISSIONS: one list, said the same
 * everywhere.
 */
import { deepEqual, equal, ok } from "node:assert/strict";
import { DEFAULT_PERMISSIONS } from "../../lib/emulator/permissions.ts";
import { ROOT, runDeno } from "../_helpers.ts";

Deno.test("docs/emulator.md lists the built-in apps' permissions: exactly DEFAULT_PERMISSIONS", async () => {
  const docs = await Deno.readTextFile(`${ROOT}/docs/emulator.md`);
  const section = docs.split("## App permissions")[1] ?? "";
  const list = /built-in apps have the\s+ones .*? asks for: ([\s\S]*?)\. A token carries/.exec(section)?.[1];
  ok(list, "docs/emulator.md's App permissions section names the built-in apps' permissions");
  deepEqual([...list.matchAll(/`(\w+)`/g)].map((m) => m[1]), [...DEFAULT_PERMISSIONS]);
});

Deno.test("deno task emulator --help gives DEFAULT_PERMISSIONS as the default of --permissions", async () => {
  const r = await runDeno(["run", "lib/emulator/cli.ts", "--help"]);
  equal(r.code, 0, r.stderr);
  const text = /--permissions LIST[\s\S]*?asks for,\s+([\s\S]*?)\)\n/.exec(r.stdout)?.[1];
  ok(text, r.stdout);
  deepEqual(text.split(/,\s*/), [...DEFAULT_PERMISSIONS]);
});
