/**
 * Small files of the user's project: whether something is in the way.
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
