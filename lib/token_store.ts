/**
 * Where tokens live between calls and between processes:
 * {@linkcode FileTokenStore} for real use, {@linkcode MemoryTokenStore} for tests
 * and the built-in emulator.
 * @module
 */

/** The token endpoint's answer, as RingCentral sends it. */
export interface TokenResponse {
  /** Bearer token for API calls. */
  access_token: string;
  /** Always `bearer`. */
  token_type: string;
  /** Seconds the access token lives. */
  expires_in: number;
  /** Single-use token that gets a new access token. */
  refresh_token?: string;
  /** Seconds the refresh token lives. */
  refresh_token_expires_in?: number;
  /** Space-separated permissions. */
  scope?: string;
  /** Extension id of the user. */
  owner_id?: string;
  /** Endpoint id. */
  endpoint_id?: string;
  /** OAuth session id. */
  session_id?: string;
}

/** What a store keeps: the tokens, when they were obtained, and for whom. */
export interface StoredTokens {
  /** The token response. */
  tokens: TokenResponse;
  /** When the tokens were obtained, in milliseconds since the epoch. */
  timestamp: number;
  /** Server the tokens belong to; tokens of another server are ignored. */
  server?: string;
  /** App the tokens belong to; tokens of another app are ignored. */
  clientId?: string;
}

/** Storage for tokens, with a lock held around refresh and login. */
export interface TokenStore {
  /** The stored tokens, or `undefined` when there are none (or they are unreadable). */
  load(): Promise<StoredTokens | undefined>;
  /** Replaces the stored tokens. */
  save(data: StoredTokens): Promise<void>;
  /** Forgets the stored tokens. */
  clear(): Promise<void>;
  /** Runs `fn` while no other holder of the same store (in any process) runs theirs. */
  lock<T>(fn: () => Promise<T>): Promise<T>;
}

/** A promise-chain mutex: callers run one after another, in order. */
function createMutex(): <T>(fn: () => Promise<T>) => Promise<T> {
  let tail: Promise<unknown> = Promise.resolve();
  return <T>(fn: () => Promise<T>) => {
    const run = tail.then(fn, fn);
    tail = run.catch(() => {});
    return run;
  };
}

/**
 * Keeps tokens in memory: for tests, and for the in-process emulator whose
 * tokens die with the process anyway.
 *
 * @example
 * ```ts
 * import { MemoryTokenStore } from "./token_store.ts";
 * import { equal } from "node:assert/strict";
 * const store = new MemoryTokenStore();
 * await store.save({ tokens: { access_token: "a", token_type: "bearer", expires_in: 60 }, timestamp: 0 });
 * equal((await store.load())?.tokens.access_token, "a");
 * ```
 */
export class MemoryTokenStore implements TokenStore {
  #data?: StoredTokens;
  #mutex = createMutex();
  /** Returns a copy of the stored tokens. */
  load(): Promise<StoredTokens | undefined> {
    return Promise.resolve(this.#data && structuredClone(this.#data));
  }
  /** Stores a copy of `data`. */
  save(data: StoredTokens): Promise<void> {
    this.#data = structuredClone(data);
    return Promise.resolve();
  }
  /** Forgets the tokens. */
  clear(): Promise<void> {
    this.#data = undefined;
    return Promise.resolve();
  }
  /** Runs `fn` exclusively within this process. */
  lock<T>(fn: () => Promise<T>): Promise<T> {
    return this.#mutex(fn);
  }
}

/** Options of {@linkcode FileTokenStore}. */
export interface FileTokenStoreOptions {
  /** Called with a warning, e.g. for a corrupted cache file. @default console.warn */
  onWarning?: (message: string) => void;
}

/**
 * Keeps tokens in a JSON file (mode 0600), written atomically through a
 * temporary file and a rename. {@linkcode FileTokenStore.lock} takes an OS
 * file lock on `<path>.lock`, so several processes sharing the file refresh
 * one at a time.
 *
 * @example
 * ```ts
 * import { FileTokenStore } from "./token_store.ts";
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
  #warnedAbout?: string;

  /** A store at `path`. */
  constructor(path: string, { onWarning = (m) => console.warn(m) }: FileTokenStoreOptions = {}) {
    this.path = path;
    this.#onWarning = onWarning;
  }

  /** Reads the file; a missing file is `undefined`, a corrupted one a warning and `undefined`. */
  async load(): Promise<StoredTokens | undefined> {
    let text: string;
    try {
      text = await Deno.readTextFile(this.path);
    } catch (e) {
      if (e instanceof Deno.errors.NotFound) return undefined;
      this.#onWarning(`Warning: cannot read the token cache ${this.path} (${(e as Error).message}); logging in again`);
      return undefined;
    }
    try {
      const data = JSON.parse(text);
      const t = data?.tokens;
      if (
        typeof data?.timestamp === "number" && typeof t?.access_token === "string" &&
        typeof t?.expires_in === "number"
      ) return data as StoredTokens;
    } catch {
      // reported below
    }
    if (this.#warnedAbout !== text) { // once per broken content, however often it is read
      this.#warnedAbout = text;
      this.#onWarning(
        `Warning: the token cache ${this.path} is corrupted (${text.length} bytes); it will be replaced after a fresh login`,
      );
    }
    return undefined;
  }

  /**
   * Writes `<path>.tmp` with mode 0600 and renames it over the cache. The
   * temporary name is fixed (so `--allow-write` can name it): the client
   * saves only under {@linkcode FileTokenStore.lock}, and saves within one
   * process run one at a time.
   */
  save(data: StoredTokens): Promise<void> {
    return this.#writes(async () => {
      const tmp = `${this.path}.tmp`;
      try {
        await Deno.writeTextFile(tmp, JSON.stringify(data, null, 2) + "\n", { mode: 0o600 });
        await Deno.chmod(tmp, 0o600); // an older temporary file may have had other bits
        await Deno.rename(tmp, this.path);
      } catch (e) {
        await Deno.remove(tmp).catch(() => {});
        throw e;
      }
    });
  }

  /** Removes the cache file. */
  async clear(): Promise<void> {
    await Deno.remove(this.path).catch((e) => {
      if (!(e instanceof Deno.errors.NotFound)) throw e;
    });
  }

  /** Runs `fn` under an exclusive OS lock on `<path>.lock` (and in order within this process). */
  lock<T>(fn: () => Promise<T>): Promise<T> {
    return this.#mutex(async () => {
      const file = await Deno.open(`${this.path}.lock`, { create: true, write: true, mode: 0o600 });
      try {
        await file.lock(true);
        return await fn();
      } finally {
        file.close(); // closing releases the lock
      }
    });
  }
}
