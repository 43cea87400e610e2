/**
 * The token cache on disk: {@linkcode FileTokenStore}, a JSON file per
 * environment, written through a temporary file created new (so never
 * through a link someone planted), read with a bound, with an OS lock that
 * several processes share around a refresh, and a wait for that lock that
 * says who holds it and gives up.
 * @module
 */
import { createMutex, delay } from "./async.ts";
import { ConfigError } from "./errors.ts";
import { serverText } from "./failures.ts";
import { notAPlainFile, readSmallTextSync } from "./files.ts";
import { isStoredTokens, type StoredTokens, type TokenStore } from "./token_store.ts";

/** The largest token cache read, in bytes: a cache holds a few KB; anything larger is not one. */
const MAX_CACHE_BYTES = 64 * 1024;

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
  /** Called with a warning (a corrupted cache, a cache that cannot be written, a long wait). @default console.warn */
  onWarning?: (message: string) => void;
  /** After how long a wait for the lock a warning says who holds it, in ms. @default 2000 */
  lockNoticeMs?: number;
  /** How long to wait for the lock before giving up with an error that says how to clear it, in ms. @default 60000 */
  lockTimeoutMs?: number;
}

/** Warnings given in this process, by cache file and cause. */
const WARNED = new Set<string>();

/** What to do about a file operation that failed, in words. */
function fixFor(e: unknown, path: string): string {
  const text = String((e as Error)?.message ?? e);
  if (e instanceof Deno.errors.NotCapable) {
    return `run with --allow-read=${path},${path}.lock --allow-write=${path},${path}.tmp,${path}.lock`;
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
  return String((e as Error)?.message ?? e).replace(/,? (open|rename|remove|stat|lstat|chmod) '[^']*'$/, "");
}

/** Who holds the lock, as the holder writes it into the lock file. */
interface Holder {
  pid: number;
  since: string;
  doing: string;
}

/**
 * Keeps tokens in a JSON file (mode 0600), written through `<path>.tmp`,
 * created new each time (a file or link already there is removed, never
 * followed), then renamed over the cache. {@linkcode FileTokenStore.lock}
 * takes an OS file lock on `<path>.lock`, so several processes sharing the
 * file refresh one at a time. When the file cannot be read or written (a
 * folder, a link or a FIFO in the way, a full or read-only disk, no
 * permission) it says once what to fix and keeps the tokens in memory for
 * the run: a login is never lost to the cache.
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
  #lockNoticeMs: number;
  #lockTimeoutMs: number;
  #mutex = createMutex();
  #writes = createMutex();
  /** The tokens of this run when the file cannot hold them. */
  #memory?: StoredTokens;

  /** A store at `path`. */
  constructor(
    path: string,
    { onWarning = (m) => console.warn(m), lockNoticeMs = 2_000, lockTimeoutMs = 60_000 }: FileTokenStoreOptions = {},
  ) {
    this.path = path;
    this.#onWarning = onWarning;
    this.#lockNoticeMs = lockNoticeMs;
    this.#lockTimeoutMs = lockTimeoutMs;
  }

  /** Says `message` once per process and cache file, however often (and by however many stores) the cause recurs. */
  #warn(key: string, message: string): void {
    const id = `${this.path}\0${key}`;
    if (WARNED.has(id)) return;
    WARNED.add(id);
    this.#onWarning(message);
  }

  /** Warns that `path` (the cache or its lock) is not a plain file, so it is neither read nor written. */
  #refuse(path: string, problem: string): void {
    this.#warn(
      `refuse ${path}`,
      `Warning: ${path} ${problem}, where the token cache expects a plain file: it is neither read nor written ` +
        `through, and the tokens are kept in memory for this run. To fix: remove ${path}`,
    );
  }

  /** The cache's problem, if its path holds something other than a plain file (or nothing). */
  #cacheProblem(): string | undefined {
    try {
      return notAPlainFile(Deno.lstatSync(this.path));
    } catch {
      return undefined; // missing (or unreadable: reading says so)
    }
  }

  /**
   * Reads the file, at most {@linkcode MAX_CACHE_BYTES}; a missing file is
   * `undefined`; a corrupted, oversized or unreadable one, or a link, FIFO
   * or device in its place, a warning and `undefined`. A cache readable by
   * others gets mode 0600.
   */
  async load(): Promise<StoredTokens | undefined> {
    if (this.#memory) return structuredClone(this.#memory);
    let read;
    try {
      read = readSmallTextSync(this.path, MAX_CACHE_BYTES);
    } catch (e) {
      this.#warn(
        `read ${reasonOf(e)}`,
        `Warning: cannot read the token cache ${this.path} (${reasonOf(e)}); logging in again. To fix: ${
          fixFor(e, this.path)
        }`,
      );
      return undefined;
    }
    if ("missing" in read) return undefined;
    if ("problem" in read) {
      if (/larger than/.test(read.problem)) {
        this.#warn(
          "size",
          `Warning: the token cache ${this.path} is corrupted: it ${read.problem} (the token cache limit); ` +
            "it will be replaced after a fresh login",
        );
      } else this.#refuse(this.path, read.problem);
      return undefined;
    }
    let data: unknown;
    try {
      data = JSON.parse(read.text);
    } catch {
      data = undefined;
    }
    if (!isStoredTokens(data)) {
      this.#warn(
        `corrupt ${read.text}`,
        `Warning: the token cache ${this.path} is corrupted (${read.text.length} bytes); it will be replaced after a fresh login`,
      );
      return undefined;
    }
    await this.#private();
    return data;
  }

  /** Makes a cache that others can read private (mode 0600), saying so once. */
  async #private(): Promise<void> {
    try {
      const mode = Deno.lstatSync(this.path).mode;
      if (mode === null || (mode & 0o077) === 0) return;
      await Deno.chmod(this.path, 0o600); // a plain file (checked as it was read): chmod follows no link here
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
   * Writes `<path>.tmp`, created new with mode 0600 (whatever is at that
   * name first, a stale file or a planted link, is removed, never followed;
   * a link that appears meanwhile makes the creation fail), and renames it
   * over the cache. The temporary name is fixed so that `--allow-write` can
   * name it: saves run under {@linkcode FileTokenStore.lock} across
   * processes and one at a time within one. When writing fails, the tokens
   * stay in memory for this run and a warning says what to fix.
   */
  save(data: StoredTokens): Promise<void> {
    return this.#writes(async () => {
      const tmp = `${this.path}.tmp`;
      const problem = this.#cacheProblem();
      if (problem) {
        this.#memory = structuredClone(data);
        return this.#refuse(this.path, problem);
      }
      try {
        await this.#removeStale(tmp);
        const file = await Deno.open(tmp, { createNew: true, write: true, mode: 0o600 });
        try {
          await file.write(new TextEncoder().encode(JSON.stringify(data, null, 2) + "\n"));
        } finally {
          file.close();
        }
        await Deno.rename(tmp, this.path);
        this.#memory = undefined;
      } catch (e) {
        this.#memory = structuredClone(data);
        this.#warn(
          `write ${reasonOf(e)}`,
          `Warning: cannot write the token cache ${this.path} (${reasonOf(e)}): the tokens are kept in memory ` +
            `for this run only, and the next run logs in again. To fix: ${fixFor(e, this.path)}`,
        );
      }
    });
  }

  /** Removes what is at the temporary name: a stale file of a crashed run, or a link (removed, not followed). */
  async #removeStale(tmp: string): Promise<void> {
    let info: Deno.FileInfo;
    try {
      info = await Deno.lstat(tmp);
    } catch {
      return; // nothing there
    }
    if (info.isDirectory) throw new Deno.errors.IsADirectory(`${tmp} is a directory`);
    if (info.isSymlink) {
      this.#warn(
        `tmp link ${tmp}`,
        `Warning: ${tmp} was a symbolic link, where the token cache writes its temporary file: it was removed, not followed`,
      );
    }
    await Deno.remove(tmp);
  }

  /** Removes the cache file (and forgets tokens kept in memory). */
  async clear(): Promise<void> {
    this.#memory = undefined;
    if (this.#cacheProblem()) return; // not ours to remove
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
   * within this process); the holder writes who it is and what it does into
   * the lock file. A wait longer than `lockNoticeMs` says who holds the lock;
   * one longer than `lockTimeoutMs` gives up with a {@linkcode ConfigError}
   * that says how to clear it. When the lock file cannot be used (a link or
   * something else in its place, no permission), `fn` runs under the
   * in-process order alone, and a warning says so.
   */
  lock<T>(fn: () => Promise<T>, doing = "refreshing the token"): Promise<T> {
    return this.#mutex(async () => {
      const lockPath = `${this.path}.lock`;
      let file: Deno.FsFile;
      try {
        const opened = await openLockFile(lockPath);
        if ("problem" in opened) {
          this.#refuse(lockPath, opened.problem);
          return await fn();
        }
        file = opened.file;
      } catch (e) {
        this.#warn(
          `lock ${reasonOf(e)}`,
          `Warning: cannot lock ${lockPath} (${reasonOf(e)}): other processes sharing the cache may ` +
            `refresh at the same time. To fix: ${fixFor(e, this.path)}`,
        );
        return await fn();
      }
      const locked = file.lock(true);
      if (!await this.#acquired(locked, lockPath)) {
        // Still waiting for the OS: the file is let go when that wait ends (or with the process).
        locked.finally(() => file.close()).catch(() => undefined);
        throw this.#gaveUp(lockPath);
      }
      try {
        await this.#announce(file, doing);
        return await fn();
      } finally {
        file.close(); // closing releases the lock
      }
    });
  }

  /** Waits for the OS lock: says who holds it after a while; false when the limit passed first. */
  async #acquired(locked: Promise<void>, lockPath: string): Promise<boolean> {
    const stop = new AbortController();
    const notice = delay(this.#lockNoticeMs, stop.signal).then(() => {
      this.#onWarning(
        `Waiting for ${this.#holderText(lockPath)}, which holds ${lockPath}: this script goes on when it is done ` +
          `(at most ${this.#lockTimeoutMs / 1000} s)`,
      );
    }, () => undefined);
    const limit = delay(this.#lockTimeoutMs, stop.signal).then(() => false, () => false);
    try {
      return await Promise.race([locked.then(() => true), limit]);
    } finally {
      stop.abort();
      await notice;
    }
  }

  /** The error of a lock wait that ran out: who holds it, and how to clear it. */
  #gaveUp(lockPath: string): ConfigError {
    const holder = this.#holder(lockPath);
    return new ConfigError(
      `The token cache ${this.path} is locked by ${this.#holderText(lockPath)}: gave up after ${
        this.#lockTimeoutMs / 1000
      } s (the lock wait limit)`,
      {
        key: lockPath,
        file: lockPath,
        hint: holder
          ? `If process ${holder.pid} is stopped or hung, end it (kill ${holder.pid}) or let it finish; if no such process runs, delete ${lockPath}`
          : `Find the process that uses the cache and end it; if none runs, delete ${lockPath}`,
      },
    );
  }

  /** Writes who holds the lock into it, for those who wait. */
  async #announce(file: Deno.FsFile, doing: string): Promise<void> {
    const holder: Holder = { pid: Deno.pid, since: new Date().toISOString(), doing };
    try {
      await file.truncate(0);
      await file.write(new TextEncoder().encode(JSON.stringify(holder)));
    } catch { /* the lock holds all the same; waiters just cannot say who */ }
  }

  #holder(lockPath: string): Holder | undefined {
    try {
      const read = readSmallTextSync(lockPath, 1024);
      const holder = "text" in read ? JSON.parse(read.text) : undefined;
      return Number.isSafeInteger(holder?.pid) && holder.pid > 0 ? holder : undefined;
    } catch {
      return undefined;
    }
  }

  #holderText(lockPath: string): string {
    const holder = this.#holder(lockPath);
    if (!holder) return "another process";
    // The lock file is anyone's to write: what it says is printed as text from outside.
    const since = serverText(String(holder.since)).slice(11, 19);
    return `process ${holder.pid} (${serverText(String(holder.doing)).slice(0, 60)} since ${since} UTC)`;
  }
}

/**
 * Opens the lock file for writing, never truncating what it is not: a
 * missing one is created new (a link planted meanwhile makes that fail); an
 * existing one must be the very plain file `lstat` saw (not a link swapped
 * in between) with no other name (a hard link would let the holder's note
 * overwrite another file). Else the problem, in words.
 */
async function openLockFile(lockPath: string): Promise<{ file: Deno.FsFile } | { problem: string }> {
  for (let attempt = 1;; attempt++) {
    const seen = await Deno.lstat(lockPath).catch((e) => {
      if (e instanceof Deno.errors.NotFound) return undefined;
      throw e;
    });
    const problem = seen && notAPlainFile(seen);
    if (problem) return { problem };
    let file: Deno.FsFile;
    try {
      file = await Deno.open(lockPath, seen ? { write: true } : { createNew: true, write: true, mode: 0o600 });
    } catch (e) {
      // Another process created (or removed) it between the look and the open: look again, once.
      const raced = e instanceof Deno.errors.AlreadyExists || e instanceof Deno.errors.NotFound;
      if (raced && attempt === 1) continue;
      throw e;
    }
    const opened = await file.stat();
    const now = await Deno.lstat(lockPath).catch(() => undefined);
    const same = (info: Deno.FileInfo | undefined) => info?.dev === opened.dev && info?.ino === opened.ino;
    if (!now || now.isSymlink || !same(now) || (seen && !same(seen))) {
      file.close();
      return { problem: "was replaced (by a link or another file) while it was being opened" };
    }
    if ((opened.nlink ?? 1) !== 1) {
      file.close();
      return { problem: `has ${opened.nlink} hard links (writing it would change another file)` };
    }
    return { file };
  }
}
