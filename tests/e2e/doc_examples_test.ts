/**
 * Every export of every entry point in deno.json has JSDoc with a runnable
 * example (`deno task test` runs them with `--doc`), and `deno task ok` and
 * CI lint the docs of exactly those entry points.
 */
import { deepEqual, ok } from "node:assert/strict";
import { ROOT, runDeno } from "../_helpers.ts";

const config = JSON.parse(await Deno.readTextFile(`${ROOT}/deno.json`));
const entries = Object.values(config.exports as Record<string, string>).map((p) => p.replace(/^\.\//, ""));

interface DocNode {
  symbols?: { name: string; declarations: { kind: string; jsDoc?: { tags?: { kind: string }[] } }[] }[];
}

for (const entry of entries) {
  Deno.test(`${entry}: every export has a JSDoc example`, async () => {
    const r = await runDeno(["doc", "--json", entry]);
    ok(r.code === 0, r.stderr);
    const nodes: Record<string, DocNode> = JSON.parse(r.stdout).nodes;
    const symbols = Object.values(nodes).flatMap((n) => n.symbols ?? []);
    ok(symbols.length > 3, `${symbols.length} exports: the docs were read`);
    const without = symbols
      .filter((s) => !s.declarations.some((d) => d.jsDoc?.tags?.some((t) => t.kind === "example")))
      .map((s) => `${s.declarations[0]?.kind} ${s.name}`);
    deepEqual(without, []);
  });
}

Deno.test("deno task ok and CI lint the docs of every entry point deno.json exports", async () => {
  const linted = (text: string) => text.match(/doc --lint ([^"&\n]+)/)![1].trim().split(/\s+/).sort();
  deepEqual(linted(config.tasks.ok), [...entries].sort());
  deepEqual(linted(await Deno.readTextFile(`${ROOT}/.ci/run`)), [...entries].sort());
});
