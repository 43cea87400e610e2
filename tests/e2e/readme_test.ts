/**
 * The README and the docs work as written: every `deno task` they name
 * exists, the one-off script and its least-privilege command run exactly as
 * printed on a copy of the project, the real-account command is the one the
 * recordings use, and a missing permission is an error naming the flag.
 */
import { deepEqual, doesNotMatch, equal, match, ok } from "node:assert/strict";
import { permissionFlags } from "../../lib/repl/recorder.ts";
import { ROOT, runDeno, tempDir } from "../_helpers.ts";

const README = await Deno.readTextFile(`${ROOT}/README.md`);
const DOCS = [
  "README.md",
  "notebooks/README.md",
  ...[...Deno.readDirSync(`${ROOT}/docs`)].filter((f) => f.name.endsWith(".md")).map((f) => `docs/${f.name}`),
];

/** The fenced blocks of `markdown` in `language`, in order. */
function blocks(markdown: string, language: string): string[] {
  return [...markdown.matchAll(new RegExp("```" + language + "\\n([\\s\\S]*?)```", "g"))].map((m) => m[1]);
}

/** A shell command as its words, continuation lines joined. */
function words(command: string): string[] {
  return command.replace(/\\\n/g, " ").trim().split(/\s+/);
}

Deno.test("README: the two set-up commands are there, exactly, and every deno task the docs name exists", async () => {
  match(README, /```sh\nnpx -y deno@2 task start {4}# the playground\nnpx -y deno@2 task test {5}# the tests\n```/);
  const tasks = Object.keys(JSON.parse(await Deno.readTextFile(`${ROOT}/deno.json`)).tasks);
  let named = 0;
  for (const file of DOCS) {
    const text = await Deno.readTextFile(`${ROOT}/${file}`);
    for (const [, task] of text.matchAll(/deno(?:@2)? task ([\w:-]+)/g)) {
      ok(tasks.includes(task), `${file} names deno task ${task}, which deno.json does not have`);
      named++;
    }
  }
  ok(named > 20, `${named} task names checked`);
});

Deno.test("README: the one-off script runs exactly as written, with exactly the permissions it shows", async () => {
  const script = blocks(README, "ts").find((b) => b.includes("RingCentral.fromEnv()"))!;
  const [offline, real, npx] = blocks(README, "sh").filter((b) => b.includes("hello.ts"));
  ok(script && offline && real && npx, "the script and its three commands");
  deepEqual(words(npx), ["npx", "-y", "deno@2", ...words(offline).slice(1)], "the npx form is the same command");
  match(README, /Save this as `hello\.ts` in the project's folder/);

  // A fresh copy of what a clone has: the module, the .env templates, deno.json.
  await using dir = await tempDir();
  for (const f of ["mod.ts", "deno.json", "deno.lock", ".env", ".env-sandbox", ".env-production"]) {
    await Deno.copyFile(`${ROOT}/${f}`, `${dir.path}/${f}`);
  }
  await new Deno.Command("cp", { args: ["-r", `${ROOT}/lib`, `${dir.path}/lib`] }).output();
  await Deno.writeTextFile(`${dir.path}/hello.ts`, script);

  const [deno, ...args] = words(offline);
  equal(deno, "deno");
  const run = await runDeno(args, { cwd: dir.path, clearEnv: true });
  equal(run.code, 0, run.stderr);
  match(run.stdout, /^Hello, Alice Admin \(ext 101\)\n101 Alice Admin\n102 Bob Baker\n/);
  match(run.stderr, /using the built-in RingCentral emulator \(offline\)/);

  // The real-account command is the one the playground's recordings print for production.
  const flags = permissionFlags({
    target: "production",
    environment: "production",
    server: "https://platform.ringcentral.com",
    builtInEmulator: false,
    grant: "jwt",
  });
  deepEqual(words(real), ["deno", "run", ...flags, "hello.ts"]);

  // Fewer permissions: an error that names the flag, and no stack trace.
  const noEnv = await runDeno(args.filter((a) => !a.startsWith("--allow-env")), { cwd: dir.path, clearEnv: true });
  equal(noEnv.code, 1);
  match(
    noEnv.stderr,
    /ConfigError: Cannot read the environment variable ENVIRONMENT: run with --allow-env=ENVIRONMENT,/,
  );
  match(noEnv.stderr, /^\s+at async file:\/\/.*\/hello\.ts:3:\d+$/m, "the user's own line");
  doesNotMatch(noEnv.stderr, /^\s+at .*(\/lib\/|\/mod\.ts)/m, "no frame of the library");
  const noRead = await runDeno(args.filter((a) => !a.startsWith("--allow-read")), { cwd: dir.path, clearEnv: true });
  equal(noRead.code, 1);
  match(noRead.stderr, /ConfigError: Cannot read \.\/\.env: .*--allow-read/);
  doesNotMatch(noRead.stderr, /^\s+at .*(\/lib\/|\/mod\.ts)/m, "no frame of the library");
});

Deno.test("README and docs: every relative link reaches a file, and every #anchor a heading", async () => {
  const slug = (heading: string) => heading.trim().toLowerCase().replace(/[^\p{L}\p{N}\s-]/gu, "").replace(/\s/g, "-");
  let links = 0;
  for (const file of DOCS) {
    const text = await Deno.readTextFile(`${ROOT}/${file}`);
    const dir = file.includes("/") ? file.slice(0, file.lastIndexOf("/") + 1) : "";
    for (const [, target] of text.matchAll(/\]\(([^)\s]+)\)/g)) {
      if (/^[a-z]+:/.test(target)) continue; // http(s), mailto
      const [path, anchor] = target.split("#");
      const resolved = path ? new URL(path, `file://${ROOT}/${dir}`).pathname : `${ROOT}/${file}`;
      const exists = await Deno.stat(resolved).then(() => true, () => false);
      ok(exists, `${file} links to ${target}, which does not exist`);
      if (anchor && resolved.endsWith(".md")) {
        const headings = [...(await Deno.readTextFile(resolved)).matchAll(/^#+ (.*)$/gm)].map((m) => slug(m[1]));
        ok(headings.includes(anchor), `${file} links to ${target}: no such heading (${headings.join(", ")})`);
      }
      links++;
    }
  }
  ok(links > 20, `${links} links checked`);
});
