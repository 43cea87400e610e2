/**
 * The notebooks run headless on Deno's Jupyter kernel (Debian's nbclient),
 * top to bottom against the built-in emulator, as `deno task notebooks` runs
 * them; a cell that throws fails the run; the committed files carry no outputs.
 */
import { deepEqual, equal, match } from "node:assert/strict";
import { childEnv, ROOT, tempDir } from "../_helpers.ts";

const PYTHON = "/usr/bin/python3"; // Debian's, which sees Debian's Jupyter packages
const RUNNER = `${ROOT}/scripts/run_notebooks.py`;
const NOTEBOOKS = [...Deno.readDirSync(`${ROOT}/notebooks`)]
  .filter((e) => e.name.endsWith(".ipynb"))
  .map((e) => `notebooks/${e.name}`)
  .sort();

const runnable = (() => {
  try {
    return new Deno.Command(PYTHON, { args: ["-c", "import nbclient, ipykernel"], stdout: "null", stderr: "null" })
      .outputSync().success;
  } catch {
    return false;
  }
})();
if (!runnable) console.error("notebook runs ignored: apt-get install python3-nbclient python3-ipykernel");

/** Runs the runner on `paths` with Deno's kernelspec installed in a private data folder. */
async function runNotebooks(paths: string[], cwd = ROOT) {
  await using data = await tempDir();
  const env = childEnv({ XDG_DATA_HOME: data.path });
  const install = await new Deno.Command(Deno.execPath(), {
    args: ["jupyter", "--install", "--force"],
    env,
    clearEnv: true,
  })
    .output();
  equal(install.code, 0, new TextDecoder().decode(install.stderr));
  const out = await new Deno.Command(PYTHON, { args: [RUNNER, ...paths], cwd, env, clearEnv: true, stdin: "null" })
    .output();
  return { code: out.code, stdout: new TextDecoder().decode(out.stdout) };
}

Deno.test("the committed notebooks carry no outputs", async () => {
  equal(NOTEBOOKS.length >= 3, true, NOTEBOOKS.join());
  for (const path of NOTEBOOKS) {
    const nb = JSON.parse(await Deno.readTextFile(`${ROOT}/${path}`));
    equal(nb.metadata.kernelspec.name, "deno", path);
    for (const cell of nb.cells.filter((c: { cell_type: string }) => c.cell_type === "code")) {
      deepEqual(cell.outputs, [], `${path}: a cell has outputs`);
      equal(cell.execution_count, null, path);
    }
  }
});

Deno.test({ name: "every notebook runs top to bottom on Deno's kernel", ignore: !runnable }, async () => {
  const r = await runNotebooks(NOTEBOOKS);
  equal(r.code, 0, r.stdout);
  for (const path of NOTEBOOKS) {
    match(r.stdout, new RegExp(`notebooks: ok ${path.replace(".", "\\.")}: \\d+ code cells`));
  }
});

Deno.test({ name: "a notebook whose cell throws fails the run, naming the error", ignore: !runnable }, async () => {
  await using dir = await tempDir();
  const nb = {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: { kernelspec: { name: "deno", display_name: "Deno", language: "typescript" } },
    cells: [
      { cell_type: "code", id: "a", metadata: {}, execution_count: null, outputs: [], source: "console.log(1 + 1);" },
      {
        cell_type: "code",
        id: "b",
        metadata: {},
        execution_count: null,
        outputs: [],
        source: 'throw new Error("boom");',
      },
    ],
  };
  await Deno.writeTextFile(`${dir.path}/broken.ipynb`, JSON.stringify(nb));
  const r = await runNotebooks(["broken.ipynb"], dir.path);
  equal(r.code, 1, r.stdout);
  match(r.stdout, /notebooks: FAILED broken\.ipynb: .*boom/);
});

Deno.test({ name: "a cell that shows nothing fails the run, unless tagged no-output", ignore: !runnable }, async () => {
  await using dir = await tempDir();
  const cell = (id: string, source: string, tags?: string[]) => ({
    cell_type: "code",
    id,
    metadata: tags ? { tags } : {},
    execution_count: null,
    outputs: [],
    source,
  });
  const nb = (cells: unknown[]) =>
    JSON.stringify({
      nbformat: 4,
      nbformat_minor: 5,
      metadata: { kernelspec: { name: "deno", display_name: "Deno", language: "typescript" } },
      cells,
    });
  // The cell that shows ends with show(), as the notebooks' cells do: a bare `1 + 1` can be
  // dropped by the kernel (it may report idle before its last output), which made this flaky.
  const shows = `import { show } from "${new URL("../../lib/display.ts", import.meta.url)}";\nawait show(1 + 1);`;
  await Deno.writeTextFile(`${dir.path}/silent.ipynb`, nb([cell("a", shows), cell("b", "const x = 2;")]));
  await Deno.writeTextFile(
    `${dir.path}/tagged.ipynb`,
    nb([cell("a", shows), cell("b", "const x = 2;", ["no-output"])]),
  );
  const r = await runNotebooks(["silent.ipynb", "tagged.ipynb"], dir.path);
  equal(r.code, 1, r.stdout);
  match(r.stdout, /notebooks: FAILED silent\.ipynb: cell 1 showed nothing \(const x = 2;/);
  match(r.stdout, /notebooks: ok tagged\.ipynb/);
});

Deno.test("every code cell of the notebooks ends by showing its result with show(…), which Jupyter cannot lose", async () => {
  for (const path of NOTEBOOKS) {
    const nb = JSON.parse(await Deno.readTextFile(`${ROOT}/${path}`));
    nb.cells.forEach((c: { cell_type: string; source: string[]; metadata: { tags?: string[] } }, i: number) => {
      if (c.cell_type !== "code" || c.metadata.tags?.includes("no-output")) return;
      const source = c.source.join("");
      match(source, /await show\([\s\S]*\);?\s*$/, `${path}, cell ${i}: end it with await show(…)`);
    });
  }
});

Deno.test({
  name: "a cell whose show(…) output never arrived (only what it printed before) fails the run; show()'s own passes",
  ignore: !runnable,
}, async () => {
  await using dir = await tempDir();
  const cell = (id: string, source: string) => ({
    cell_type: "code",
    id,
    metadata: {},
    execution_count: null,
    outputs: [],
    source,
  });
  const nb = (cells: unknown[]) =>
    JSON.stringify({
      nbformat: 4,
      nbformat_minor: 5,
      metadata: { kernelspec: { name: "deno", display_name: "Deno", language: "typescript" } },
      cells,
    });
  const display = new URL("../../lib/display.ts", import.meta.url);
  // What Jupyter keeps of a cell whose show() output was lost: the text printed before it, nothing tagged.
  const lost = `import { lines } from "${display}";\nconst show = (...v: unknown[]) => void lines(...v);\n` +
    'console.log("before");\nawait show("the result");';
  const shown = `import { show } from "${display}";\nconsole.log("before");\nawait show("the result");`;
  await Deno.writeTextFile(`${dir.path}/lost.ipynb`, nb([cell("a", shown), cell("b", lost)]));
  await Deno.writeTextFile(`${dir.path}/shown.ipynb`, nb([cell("a", shown)]));
  const r = await runNotebooks(["lost.ipynb", "shown.ipynb"], dir.path);
  equal(r.code, 1, r.stdout);
  match(r.stdout, /notebooks: FAILED lost\.ipynb: cell 1 calls show\( but what it showed never arrived/);
  match(r.stdout, /notebooks: ok shown\.ipynb/);
});
