/**
 * The shape of the code, checked on Deno's own module graph (`deno info
 * --json`): no cycle, no arrow from the library core to the emulator or the
 * playground (one dynamic import for the offline default), and a one-off
 * script with real credentials never reaches the emulator statically.
 */
import { deepEqual, equal, ok } from "node:assert/strict";
import { ROOT, runDeno } from "../_helpers.ts";

interface Edge {
  from: string;
  to: string;
  dynamic: boolean;
}

/** Every local module reachable from `roots`, and the edges between them (code and type imports). */
async function graph(roots: string[]): Promise<Edge[]> {
  const edges = new Map<string, Edge>();
  for (const root of roots) {
    const r = await runDeno(["info", "--json", root]);
    equal(r.code, 0, r.stderr);
    const info = JSON.parse(r.stdout) as {
      modules: {
        specifier: string;
        dependencies?: { code?: { specifier: string }; type?: { specifier: string }; isDynamic?: boolean }[];
      }[];
    };
    for (const m of info.modules) {
      if (!m.specifier.startsWith(`file://${ROOT}/`)) continue;
      for (const d of m.dependencies ?? []) {
        for (const target of [d.code?.specifier, d.type?.specifier]) {
          if (!target?.startsWith(`file://${ROOT}/`)) continue;
          const edge = { from: local(m.specifier), to: local(target), dynamic: !!d.isDynamic };
          edges.set(`${edge.from}>${edge.to}`, edge);
        }
      }
    }
  }
  return [...edges.values()];
}

function local(specifier: string): string {
  return specifier.slice(`file://${ROOT}/`.length);
}

const ROOTS = ["mod.ts", "repl.ts", "lib/emulator/mod.ts", "lib/emulator/cli.ts", "scripts/demo.ts"];

Deno.test("the import graph has no cycle", async () => {
  const edges = await graph(ROOTS);
  ok(edges.length > 40, `only ${edges.length} edges: the graph was not read`);
  const next = new Map<string, string[]>();
  for (const e of edges) next.set(e.from, [...(next.get(e.from) ?? []), e.to]);
  const state = new Map<string, "open" | "done">();
  const cycles: string[] = [];
  const visit = (node: string, path: string[]) => {
    if (state.get(node) === "done") return;
    if (state.get(node) === "open") {
      cycles.push([...path.slice(path.indexOf(node)), node].join(" → "));
      return;
    }
    state.set(node, "open");
    for (const to of next.get(node) ?? []) visit(to, [...path, node]);
    state.set(node, "done");
  };
  for (const node of next.keys()) visit(node, []);
  deepEqual(cycles, []);
});

Deno.test("the library core imports neither the emulator nor the playground (but one dynamic import)", async () => {
  const edges = await graph(ROOTS);
  const core = (path: string) => /^lib\/[^/]+\.ts$/.test(path);
  const crossing = edges.filter((e) => core(e.from) && /^lib\/(emulator|repl)\//.test(e.to));
  deepEqual(
    crossing.map((e) => `${e.from} → ${e.to}${e.dynamic ? " (dynamic)" : ""}`),
    ["lib/from_env.ts → lib/emulator/mod.ts (dynamic)"],
  );
});

Deno.test("a one-off script importing mod.ts reaches no emulator module without that dynamic import", async () => {
  const edges = (await graph(["mod.ts", "tests/fixtures/client_call.ts"])).filter((e) => !e.dynamic);
  const reached = new Set(["mod.ts", "tests/fixtures/client_call.ts"]);
  for (let grew = true; grew;) {
    grew = false;
    for (const e of edges) {
      if (reached.has(e.from) && !reached.has(e.to)) {
        reached.add(e.to);
        grew = true;
      }
    }
  }
  ok(reached.has("lib/client.ts") && reached.has("lib/transport.ts"));
  deepEqual([...reached].filter((m) => m.startsWith("lib/emulator/") || m.startsWith("lib/repl/")), []);
});

Deno.test("mod.ts is a narrow public API: at most 12 runtime exports, no display helper, no redaction", async () => {
  const exported = Object.keys(await import("../../mod.ts")).sort();
  ok(exported.length <= 12, `${exported.length} runtime exports: ${exported.join(", ")}`);
  ok(exported.includes("RingCentral") && exported.includes("ApiError"), exported.join(", "));
  deepEqual(exported.filter((e) => /^(table|timeline|barChart|errorCard|Display|redact|SecretSet)$/.test(e)), []);
  const display = Object.keys(await import("../../lib/display.ts")).sort();
  deepEqual(display, ["Display", "barChart", "errorCard", "image", "lines", "show", "table", "timeline"]);
});

/** What a program loads before it runs: the modules reached from `root` by static code imports. */
async function loadedAtStart(root: string): Promise<string[]> {
  const r = await runDeno(["info", "--json", root]);
  equal(r.code, 0, r.stderr);
  const info = JSON.parse(r.stdout) as {
    modules: { specifier: string; dependencies?: { code?: { specifier: string }; isDynamic?: boolean }[] }[];
  };
  const byName = new Map(info.modules.map((m) => [m.specifier, m]));
  const loaded = new Set<string>();
  const visit = (specifier: string) => {
    if (loaded.has(specifier)) return;
    loaded.add(specifier);
    for (const d of byName.get(specifier)?.dependencies ?? []) if (d.code && !d.isDynamic) visit(d.code.specifier);
  };
  visit(`file://${ROOT}/${root}`);
  return [...loaded].map((s) => (s.startsWith(`file://${ROOT}/`) ? local(s) : s));
}

Deno.test("the client loads no npm package and no catalog at run time: the spec reaches it as types only", async () => {
  const names = await loadedAtStart("mod.ts");
  ok(names.includes("lib/client.ts"));
  deepEqual(names.filter((s) => !s.startsWith("lib/") && s !== "mod.ts"), []); // no npm:, no jsr:, no https:
  deepEqual(names.filter((s) => s.startsWith("lib/api/")), []); // typed.ts and paths.d.ts are type imports
  const types = await graph(["mod.ts"]);
  ok(types.some((e) => e.from === "lib/client.ts" && e.to === "lib/api/typed.ts"), "the types are in the graph");
});

Deno.test("the emulator starts without the catalog: the first sampled request loads it", async () => {
  for (const root of ["lib/emulator/mod.ts", "lib/emulator/cli.ts"]) {
    const names = await loadedAtStart(root);
    ok(names.includes("lib/emulator/sampled.ts"), root);
    deepEqual(names.filter((s) => s.startsWith("lib/api/")), [], root);
  }
});

Deno.test("no npm package anywhere in the client's graph, the emulator it may load included", async () => {
  for (const root of ["mod.ts", "lib/emulator/mod.ts"]) {
    const r = await runDeno(["info", "--json", root]);
    equal(r.code, 0, r.stderr);
    const info = JSON.parse(r.stdout) as { modules: { specifier: string }[]; npmPackages?: object };
    ok(info.modules.some((m) => m.specifier.endsWith("lib/emulator/sampled.ts")), `${root}: the emulator is there`);
    // Deno's own node: modules are part of the runtime (the browser login reads a pasted line with node:readline).
    const outside = info.modules.map((m) => m.specifier).filter((s) =>
      !s.startsWith("file:") && !s.startsWith("node:")
    );
    deepEqual(outside, [], root);
  }
});
