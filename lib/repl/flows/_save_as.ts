/**
 * Where a download goes: a name in `downloads/` (git-ignored) unless the
 * user gives another path; a file that exists is replaced only when the
 * user says so; a missing folder is made.
 * @module
 */
import type { Playground } from "../playground.ts";

/** The folder downloads go to by default, relative to the project's folder. */
const DOWNLOADS = "downloads";

/** Asks where to save `name`; answers a path that is safe to write. */
export async function askSavePath(s: Playground, question: string, name: string): Promise<string> {
  for (;;) {
    const path = (await s.prompter.input(question, {
      default: `${DOWNLOADS}/${name}`,
      validate: (v) => v.trim() ? true : `Enter a file name, such as ${name}`,
    })).trim();
    const found = await Deno.stat(path).catch(() => undefined);
    if (found?.isDirectory) {
      s.out.print(`  ${path} is a folder: give the name of a file in it, such as ${path}/${name}.`);
      continue;
    }
    if (found && !(await s.prompter.confirm(`${path} exists: replace it?`, { default: false }))) continue;
    const folder = path.includes("/") ? path.slice(0, path.lastIndexOf("/")) : "";
    if (folder) await Deno.mkdir(folder, { recursive: true });
    return path;
  }
}
