/**
 * Small files of the user's project (settings, the token cache): read with
 * a bound, and never through something that is not a plain file (a link
 * planted in its place, a FIFO that would hang the read, a device).
 * @module
 */

/**
 * Whether something is at `path` (a dangling symlink counts: it is in the way).
 *
 * @example
 * ```ts
 * import { exists } from "./files.ts";
 * import { equal } from "node:assert/strict";
 * equal(await exists(import.meta.dirname!), true);
 * equal(await exists(`${import.meta.dirname}/no-such-file`), false);
 * ```
 */
export async function exists(path: string): Promise<boolean> {
  return await Deno.lstat(path).then(() => true, () => false);
}

/**
 * What is wrong with a path that should hold a plain file, from its `lstat`:
 * `undefined` for a regular file, else the words for what is there.
 *
 * @example
 * ```ts
 * import { notAPlainFile } from "./files.ts";
 * import { equal } from "node:assert/strict";
 * equal(notAPlainFile(Deno.lstatSync(import.meta.filename!)), undefined);
 * equal(notAPlainFile(Deno.lstatSync(import.meta.dirname!)), "is not a regular file (a folder)");
 * ```
 */
export function notAPlainFile(info: Deno.FileInfo): string | undefined {
  if (info.isSymlink) return "is a symbolic link";
  if (info.isFile) return undefined;
  const what = info.isDirectory
    ? "a folder"
    : info.isFifo
    ? "a FIFO"
    : info.isCharDevice || info.isBlockDevice
    ? "a device"
    : info.isSocket
    ? "a socket"
    : "not a file";
  return `is not a regular file (${what})`;
}

/** What {@linkcode readSmallTextSync} found. */
export type SmallText = { text: string } | { missing: true } | { problem: string };

/** Options of {@linkcode readSmallTextSync}. */
export interface SmallTextOptions {
  /**
   * Follow a symbolic link to a plain file (settings files: `.env -> ../shared.env`); a link to
   * anything else, or to nothing, is a problem. @default false: a link is a problem (the token cache)
   */
  follow?: boolean;
}

/**
 * Reads a small text file, at most `limit` bytes: a missing file is
 * `missing`; a link (unless `follow`), a FIFO, a device or a folder in its
 * place, a file replaced while it was opened, or a file larger than
 * `limit`, is a `problem` in words (never read further).
 *
 * @example
 * ```ts
 * import { readSmallTextSync } from "./files.ts";
 * import { deepEqual, equal } from "node:assert/strict";
 * const dir = Deno.makeTempDirSync();
 * Deno.writeTextFileSync(`${dir}/a`, "KEY=1\n");
 * deepEqual(readSmallTextSync(`${dir}/a`, 100), { text: "KEY=1\n" });
 * deepEqual(readSmallTextSync(`${dir}/b`, 100), { missing: true });
 * equal("problem" in readSmallTextSync(`${dir}/a`, 3), true);
 * Deno.removeSync(dir, { recursive: true });
 * ```
 */
export function readSmallTextSync(path: string, limit: number, { follow = false }: SmallTextOptions = {}): SmallText {
  let info: Deno.FileInfo;
  try {
    info = Deno.lstatSync(path);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return { missing: true };
    throw e;
  }
  if (follow && info.isSymlink) {
    try {
      info = Deno.statSync(path);
    } catch (e) {
      if (e instanceof Deno.errors.NotFound) return { problem: "is a link to a file that does not exist" };
      throw e;
    }
    const problem = notAPlainFile(info);
    if (problem) return { problem: `is a link to something that ${problem}` };
  }
  const problem = notAPlainFile(info);
  if (problem) return { problem };
  if (info.size > limit) return { problem: `is larger than ${limit} bytes` };
  const file = Deno.openSync(path, { read: true });
  try {
    const opened = file.statSync();
    if (opened.dev !== info.dev || opened.ino !== info.ino) {
      return { problem: "was replaced (by a link or another file) while it was being opened" };
    }
    const buffer = new Uint8Array(limit + 1);
    let size = 0;
    for (let n; size <= limit && (n = file.readSync(buffer.subarray(size))) !== null;) size += n;
    if (size > limit) return { problem: `is larger than ${limit} bytes` }; // it grew while being read
    return { text: new TextDecoder().decode(buffer.subarray(0, size)) };
  } finally {
    file.close();
  }
}
