/**
 * The token cache on disk: {@linkcode FileTokenStore}, a JSON file per
 * environment written atomically, with an OS lock that several processes
 * share around a refresh.
 * @module
 */
import { createMutex } from "./async.ts";
import { isStoredTokens, type StoredTokens, type TokenStore } from "./token_store.ts";

/**
 * Options of {@linkcode FileTokenStore}.
 *
 * @example Warnings collected instead of printed
 * ```ts
 * import { FileTokenStore, type FileTokenStoreOptions } from "../mod.ts";
 * import { equal, match } from "node:assert/strict";
 * const dir = await Deno.makeTempDir();
 * await Deno.writeTextFile(`${dir}/tokens.json`, "not json");
 * const warnings: string[] = [];
 * const options: FileTokenStoreOptions = { onWarning: (m) => warnings.push(m) };
 * equal(await new FileTokenStore(`${dir}/tokens.json`, options).load(), undefined);
 * match(warnings[0], /tokens\.json/);
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export interface FileTokenStoreOptions {
  /** Called with a warning (a corrupted cache, a cache that cannot be written). @default console.warn */
  onWarning?: (message: string) => void;
}

/** Warnings given in this process, by cache file and cause. */
const WARNED = new Set<string>();

/** What to do about a file operation that failed, in words. */
function fixFor(e: unknown, path: string): string {
  const text = String((e as Error)?.message ?? e);
  if (e instanceof Deno.errors.NotCapable) {
    return `run with --allow-read=${path} --allow-write=${path},${path}.tmp,${path}.lock`;
  }
  if (e instanceof Deno.errors.IsADirectory || /is a directory|os error 21/i.test(text)) {
    return "a folder is in the way of the cache (or its .tmp or .lock): remove or rename it";
  }
  if (/no space left|os error 28/i.test(text)) return "free some disk space";
  if (/read-only file system|os error 30/i.test(text)) return "run from a folder on a writable disk";
  if (e instanceof Deno.errors.PermissionDenied) return "make the folder and the cache writable for this user";
  return "check the folder and the cache file";
}

function reasonOf(e: unknown): string {
  return String((e as Error)?.message ?? e).replace(/,? (open|rename|remove|stat|chmod) '[^']*'$/, "");
}

/**
 * Keeps tokens in a JSON file (mode 0600), written atomically through a
 * temporary file and a rename. {@linkcode FileTokenStore.lock} takes an OS
 * file lock on `<path>.lock`, so several processes sharing the file refresh
 * one at a time. When the file cannot be read or written (a folder in the
 * way, a full or read-only disk, no permission) it says once what to fix and
 * keeps the tokens in memory for the run: a login is never lost to the cache.
 *
 * @example
 * ```ts
 * import { FileTokenStore } from "./file_token_store.ts";
 * import { equal } from "node:assert/strict";
 * const dir = await Deno.makeTempDir();
 * const store = new FileTokenStore(`${dir}/tokens_sandbox.json`);
 * await store.save({ tokens: { access_token: "a", token_type: "bearer", expires_in: 60 }, timestamp: 1 });
 * equal((await Deno.stat(`${dir}/tokens_sandbox.json`)).mode! & 0o777, 0o600);
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export class FileTokenStore implements TokenStore {
  /** The cache file. */
  readonly path: string;
  #onWarning: (message: string) => void;
  #mutex = createMutex();
  #writes = createMutex();
  /** The tokens of this run when the file cannot hold them. */
  #memory?: StoredTokens;

  /** A store at `path`. */
  constructor(path: string, { onWarning = (m) => console.warn(m) }: FileTokenStoreOptions = {}) {
    this.path = path;
    this.#onWarning = onWarning;
  }

  /** Says `message` once per process and cache file, however often (and by however many stores) the cause recurs. */
  #warn(key: string, message: string): void {
    const id = `${this.path}\0${key}`;
    if (WARNED.has(id)) return;
    WARNED.add(id);
    this.#onWarning(message);
  }

  /**
   * Reads the file; a missing file is `undefined`, a corrupted or unreadable
   * one a warning and `undefined`. A cache readable by others gets mode 0600.
   */
  async load(): Promise<StoredTokens | undefined> {
    if (this.#memory) return structuredClone(this.#memory);
    let text: string;
    try {
      text = Deno.readTextFileSync(this.path); // a small file: cheaper read at once than through an async op
    } catch (e) {
      if (e instanceof Deno.errors.NotFound) return undefined;
      this.#warn(
        `read ${reasonOf(e)}`,
        `Warning: cannot read the token cache ${this.path} (${reasonOf(e)}); logging in again. To fix: ${
          fixFor(e, this.path)
        }`,
      );
      return undefined;
    }
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch {
      data = undefined;
    }
    if (!isStoredTokens(data)) {
      this.#warn(
        `corrupt ${text}`,
        `Warning: the token cache ${this.path} is corrupted (${text.length} bytes); it will be replaced after a fresh login`,
      );
      return undefined;
    }
    await this.#private();
    return data;
  }

  /** Makes a cache that others can read private (mode 0600), saying so once. */
  async #private(): Promise<void> {
    try {
      const mode = Deno.statSync(this.path).mode;
      if (mode === null || (mode & 0o077) === 0) return;
      await Deno.chmod(this.path, 0o600);
      this.#warn(
        "mode",
        `Warning: the token cache ${this.path} was readable by other users (mode ${
          (mode & 0o777).toString(8)
        }); it is now 0600`,
      );
    } catch (e) {
      this.#warn(
        "mode",
        `Warning: the token cache ${this.path} may be readable by other users and its mode cannot be changed (${
          reasonOf(e)
        }): run chmod 600 ${this.path}`,
      );
    }
  }

  /**
   * Writes `<path>.tmp` with mode 0600 and renames it over the cache. The
   * temporary name is fixed (so `--allow-write` can name it): the client
   * saves only under {@linkcode FileTokenStore.lock}, and saves within one
   * process run one at a time. When writing fails, the tokens stay in memory
   * for this run and a warning says what to fix.
   */
  save(data: StoredTokens): Promise<void> {
    return this.#writes(async () => {
      const tmp = `${this.path}.tmp`;
      try {
        await Deno.writeTextFile(tmp, JSON.stringify(data, null, 2) + "\n", { mode: 0o600 });
        await Deno.chmod(tmp, 0o600); // an older temporary file may have had other bits
        await Deno.rename(tmp, this.path);
        this.#memory = undefined;
      } catch (e) {
        await Deno.remove(tmp).catch(() => {});
        this.#memory = structuredClone(data);
        this.#warn(
          `write ${reasonOf(e)}`,
          `Warning: cannot write the token cache ${this.path} (${reasonOf(e)}): the tokens are kept in memory ` +
            `for this run only, and the next run logs in again. To fix: ${fixFor(e, this.path)}`,
        );
      }
    });
  }

  /** Removes the cache file (and forgets tokens kept in memory). */
  async clear(): Promise<void> {
    this.#memory = undefined;
    await Deno.remove(this.path).catch((e) => {
      if (e instanceof Deno.errors.NotFound) return;
      this.#warn(
        `clear ${reasonOf(e)}`,
        `Warning: cannot remove the token cache ${this.path} (${reasonOf(e)}). To fix: ${fixFor(e, this.path)}`,
      );
    });
  }

  /**
   * Runs `fn` under an exclusive OS lock on `<path>.lock` (and in order
   * within this process). When the lock file cannot be opened, `fn` runs
   * under the in-process order alone, and a warning says so.
   */
  lock<T>(fn: () => Promise<T>): Promise<T> {
    return this.#mutex(async () => {
      let file: Deno.FsFile;
      try {
        file = await Deno.open(`${this.path}.lock`, { create: true, write: true, mode: 0o600 });
      } catch (e) {
        this.#warn(
          `lock ${reasonOf(e)}`,
          `Warning: cannot lock ${this.path}.lock (${reasonOf(e)}): other processes sharing the cache may ` +
            `refresh at the same time. To fix: ${fixFor(e, this.path)}`,
        );
        return await fn();
      }
      try {
        await file.lock(true);
        return await fn();
      } finally {
        file.close(); // closing releases the lock
      }
    });
  }
}
