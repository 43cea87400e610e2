/**
 * This project's emulator: the one `deno task emulator` (or the playground)
 * serves on loopback and announces in `.emulator/emulator.json`, so that
 * every tool started in the project's folder with nothing configured (the
 * playground, code mode, `RingCentral.fromEnv()` in scripts and notebooks)
 * uses the same one. Finding it reads that file only where the permission is
 * already granted (never a prompt), and checks that the address answers as
 * the emulator that wrote the file before anything is sent there.
 * @module
 */
import { isLoopbackHost } from "./hosts.ts";
import { notAPlainFile, readSmallTextSync } from "./files.ts";

/** The folder of the project's emulator (git-ignored), relative to the project's folder. */
export const PROJECT_FOLDER = ".emulator";

/** Where a project's emulator announces itself, relative to the project's folder. */
export const PROJECT_EMULATOR_FILE = `${PROJECT_FOLDER}/emulator.json`;

/** Where tools cache their tokens for the project's emulator, relative to the project's folder. */
export const PROJECT_TOKEN_FILE = `${PROJECT_FOLDER}/tokens.json`;

/** The variable that turns the project's emulator off for one process: `RC_PROJECT_EMULATOR=off`. */
export const PROJECT_EMULATOR_VARIABLE = "RC_PROJECT_EMULATOR";

/** The control that proves an emulator wrote the file: it answers a challenge with the file's nonce. */
export const IDENTITY_PATH = "/__emulator/identity";

/** How long the identity check waits for an answer, in ms. */
const IDENTITY_TIMEOUT_MS = 2000;

/**
 * The emulator's built-in credentials, public (they open only the emulator):
 * what a tool needs to log in to it without any configuration.
 */
export interface EmulatorLogin {
  /** The confidential app. */
  clientId: string;
  /** Its secret (public: the emulator's own). */
  clientSecret: string;
  /** The admin's JWT (extension 101). */
  jwt: string;
  /** The admin's login for the password grant. */
  username: string;
  /** The password of every emulated user. */
  password: string;
  /** The admin's extension number. */
  extension: string;
  /** The public app that logs in with a browser. */
  publicClientId: string;
}

/**
 * What `.emulator/emulator.json` holds: where the emulator listens, which
 * process serves it and since when, the nonce it proves itself with, and
 * its public built-in credentials. Nothing else: no secret of the user's.
 */
export interface ProjectEmulatorRecord {
  /** Always `rc-project-emulator`. */
  format: "rc-project-emulator";
  /** The record's version. */
  version: 1;
  /** Its address, `http://127.0.0.1:PORT`. */
  url: string;
  /** The process that serves it. */
  pid: number;
  /** When it started (ISO 8601). */
  started: string;
  /** Who started it, in words: `deno task emulator`, `the playground`. */
  by: string;
  /** A random value only the emulator and readers of this file know: the identity check's key. */
  nonce: string;
  /** Its built-in credentials. */
  login: EmulatorLogin;
}

/**
 * A running project emulator, checked.
 *
 * @example Found by a tool in the project's folder
 * ```ts
 * import type { ProjectEmulator } from "./project_emulator.ts";
 * const found: ProjectEmulator = {
 *   url: "http://127.0.0.1:8787",
 *   pid: 1234,
 *   started: "2025-01-01T00:00:00.000Z",
 *   by: "deno task emulator",
 *   login: {
 *     clientId: "emulator-client-id",
 *     clientSecret: "emulator-client-secret",
 *     jwt: "eyJ…",
 *     username: "+16505550100",
 *     password: "emulator-password",
 *     extension: "101",
 *     publicClientId: "emulator-public-id",
 *   },
 * };
 * ```
 */
export interface ProjectEmulator {
  /** Its address. */
  url: string;
  /** The process that serves it. */
  pid: number;
  /** When it started (ISO 8601). */
  started: string;
  /** Who started it. */
  by: string;
  /** Its built-in credentials. */
  login: EmulatorLogin;
}

/** What {@linkcode findProjectEmulator} found: the emulator, and/or something worth telling the user. */
export interface Discovery {
  /** The project's emulator, checked; absent when none runs (or it may not be used). */
  emulator?: ProjectEmulator;
  /** Why a file that is there was not used, when the user should know (one line). */
  note?: string;
}

/** Options of {@linkcode findProjectEmulator}. */
export interface FindOptions {
  /** Environment variables, when given instead of the process's (`RC_PROJECT_EMULATOR`). */
  env?: Record<string, string | undefined>;
  /** The fetch of the identity check. @default globalThis.fetch */
  fetch?: typeof globalThis.fetch;
}

/**
 * The proof an emulator gives for `challenge`: HMAC-SHA256 of the challenge
 * under the record's nonce, in hex. Only who knows the nonce can give it.
 *
 * @example
 * ```ts
 * import { identityProof } from "./project_emulator.ts";
 * import { equal, notEqual } from "node:assert/strict";
 * equal(await identityProof("nonce", "abc"), await identityProof("nonce", "abc"));
 * notEqual(await identityProof("nonce", "abc"), await identityProof("other", "abc"));
 * ```
 */
export async function identityProof(nonce: string, challenge: string): Promise<string> {
  const encoder = new TextEncoder();
  const key = await crypto.subtle.importKey("raw", encoder.encode(nonce), { name: "HMAC", hash: "SHA-256" }, false, [
    "sign",
  ]);
  const mac = new Uint8Array(await crypto.subtle.sign("HMAC", key, encoder.encode(challenge)));
  return [...mac].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/**
 * Whether the project's emulator is turned off for this process
 * (`RC_PROJECT_EMULATOR=off`, read only where the permission is granted).
 *
 * @example
 * ```ts
 * import { projectEmulatorOff } from "./project_emulator.ts";
 * import { equal } from "node:assert/strict";
 * equal(projectEmulatorOff({ RC_PROJECT_EMULATOR: "off" }), true);
 * equal(projectEmulatorOff({}), false);
 * ```
 */
export function projectEmulatorOff(env?: Record<string, string | undefined>): boolean {
  let value: string | undefined;
  if (env) value = env[PROJECT_EMULATOR_VARIABLE];
  else if (Deno.permissions.querySync({ name: "env", variable: PROJECT_EMULATOR_VARIABLE }).state === "granted") {
    value = Deno.env.get(PROJECT_EMULATOR_VARIABLE);
  }
  return value?.trim().toLowerCase() === "off";
}

/**
 * Parses a record; `undefined` when it is not one (a half-written file, an
 * address off this machine).
 *
 * @example
 * ```ts
 * import { parseRecord } from "./project_emulator.ts";
 * import { equal } from "node:assert/strict";
 * equal(parseRecord('{"format": "rc-project-emulator"}'), undefined);
 * equal(parseRecord("not json"), undefined);
 * ```
 */
export function parseRecord(text: string): ProjectEmulatorRecord | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  const r = value as Partial<ProjectEmulatorRecord> | null;
  if (!r || r.format !== "rc-project-emulator" || r.version !== 1) return undefined;
  if (typeof r.url !== "string" || typeof r.nonce !== "string" || typeof r.pid !== "number") return undefined;
  if (typeof r.started !== "string" || typeof r.by !== "string" || !r.login) return undefined;
  const login = r.login as unknown as Record<string, unknown>;
  const keys = ["clientId", "clientSecret", "jwt", "username", "password", "extension", "publicClientId"];
  if (!keys.every((k) => typeof login[k] === "string")) return undefined;
  try {
    const url = new URL(r.url);
    if (url.protocol !== "http:" || !isLoopbackHost(url.hostname) || url.pathname !== "/") return undefined;
  } catch {
    return undefined;
  }
  return r as ProjectEmulatorRecord;
}

/** Whether `state` of a permission is granted, asked without a prompt. */
function granted(descriptor: Deno.PermissionDescriptor): boolean {
  return Deno.permissions.querySync(descriptor).state === "granted";
}

/**
 * Reads the record in `dir`, where the permission allows: `undefined` when
 * there is none (or it may not be read); a `problem` when what is there is
 * not a record this tool trusts.
 */
export function readRecord(dir: string): { record?: ProjectEmulatorRecord; problem?: string } {
  const path = `${dir}/${PROJECT_EMULATOR_FILE}`;
  if (!granted({ name: "read", path })) return {};
  let read;
  try {
    read = readSmallTextSync(path, 16 * 1024);
  } catch (e) {
    return { problem: `${path} cannot be read (${(e as Error).message})` };
  }
  if ("missing" in read) return {};
  if ("problem" in read) return { problem: `${path} ${read.problem}` };
  try {
    const info = Deno.lstatSync(path);
    const other = notAPlainFile(info);
    if (other) return { problem: `${path} ${other}` };
    if (info.mode !== null && (info.mode & 0o022) !== 0) {
      return { problem: `${path} can be written by others (mode ${(info.mode & 0o777).toString(8)}): not trusted` };
    }
  } catch { /* read a moment ago: gone since, treated as read */ }
  const record = parseRecord(read.text);
  return record ? { record } : { problem: `${path} is not an emulator's record` };
}

/**
 * Asks the emulator at `record.url` to prove that it wrote the record (an
 * HMAC of a fresh challenge under the record's nonce): `true` when it did,
 * else what went wrong in words.
 */
export async function verifyRecord(
  record: ProjectEmulatorRecord,
  fetchFn: typeof globalThis.fetch = globalThis.fetch,
): Promise<true | string> {
  const challenge = crypto.randomUUID();
  let answer: { proof?: unknown; pid?: unknown };
  try {
    const response = await fetchFn(`${record.url}${IDENTITY_PATH}?challenge=${challenge}`, {
      signal: AbortSignal.timeout(IDENTITY_TIMEOUT_MS),
      redirect: "manual",
    });
    if (!response.ok) {
      await response.body?.cancel();
      return `${record.url} answered ${response.status}: another program has the port`;
    }
    answer = await response.json();
  } catch (e) {
    const error = e as Error;
    if (error.name === "TimeoutError") return `${record.url} did not answer in ${IDENTITY_TIMEOUT_MS / 1000} s`;
    return `nothing answers at ${record.url}`;
  }
  if (answer?.proof !== await identityProof(record.nonce, challenge)) {
    return `${record.url} is not the emulator that wrote the record (another program has the port)`;
  }
  return true;
}

/**
 * Looks for this project's emulator in `dir`: reads `.emulator/emulator.json`
 * (only with the permission to read it already granted), checks that the
 * address is on this machine and may be reached, and that the emulator
 * there proves it wrote the file. A file whose emulator is gone is removed
 * (with the permission to) and is no emulator. Never throws.
 *
 * @example Nothing in a fresh folder
 * ```ts
 * import { findProjectEmulator } from "./project_emulator.ts";
 * import { deepEqual } from "node:assert/strict";
 * const dir = await Deno.makeTempDir();
 * deepEqual(await findProjectEmulator(dir, { env: {} }), {});
 * await Deno.remove(dir);
 * ```
 */
export async function findProjectEmulator(dir: string, options: FindOptions = {}): Promise<Discovery> {
  if (projectEmulatorOff(options.env)) return {};
  const { record, problem } = readRecord(dir);
  if (!record) return problem ? { note: `This project's emulator record was not used: ${problem}.` } : {};
  const url = new URL(record.url);
  if (!granted({ name: "net", host: url.host })) {
    return {
      note: `This project's emulator runs at ${record.url}, but this program may not connect to it ` +
        `(run it with --allow-net=127.0.0.1): it uses a built-in emulator of its own.`,
    };
  }
  const verified = await verifyRecord(record, options.fetch);
  if (verified !== true) {
    const path = `${dir}/${PROJECT_EMULATOR_FILE}`;
    const removed = granted({ name: "write", path }) && removeIfUnchanged(path, record);
    return removed ? {} : { note: `This project's emulator record names an emulator that is gone (${verified}).` };
  }
  const { nonce: _, format: _f, version: _v, ...found } = record;
  return { emulator: found };
}

/** Removes the record at `path` if it is still `record` (not one a new emulator wrote meanwhile). */
export function removeIfUnchanged(path: string, record: ProjectEmulatorRecord): boolean {
  try {
    const now = parseRecord(Deno.readTextFileSync(path));
    if (now && now.nonce !== record.nonce) return false;
    Deno.removeSync(path);
    return true;
  } catch {
    return false;
  }
}
