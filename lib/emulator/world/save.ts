/**
 * A saved world: the emulator's whole state as one JSON file (`world.json`),
 * and back. Saving walks the state generically, so a field a new area adds
 * to the state is saved with no code here: maps, sets, bytes, dates and
 * objects shared between two places (a token's session) are kept as tagged
 * JSON; what lives only while the process runs (open sockets, and what
 * holds functions) is left out. Loading checks the file against a fresh
 * emulator's state and says what does not fit; the emulated clock goes on
 * from where the world was saved.
 * @module
 */
import type { App, EmulatorState, OAuthSession } from "../state.ts";

/** The `format` field of a saved world. */
const WORLD_FORMAT = "rc-emulator-world";

/**
 * The version of the format this emulator writes, and the newest it reads. A change to what the seed gives
 * every world (the built-in apps' permissions, …) that a saved world would not pick up is a new version, with
 * an upgrade in `UPGRADES` from the one before. Version 2: the built-in apps' default permissions grew.
 */
export const WORLD_VERSION = 2;

/** The file a world is saved in, inside its folder. */
export const WORLD_FILE = "world.json";

/**
 * A saved world, as written to `world.json`.
 *
 * @example Snapshot an emulator, then load the snapshot into another
 * ```ts
 * import { createEmulator, type SavedWorld, worldFromSnapshot, worldSnapshot } from "../mod.ts";
 * import { equal } from "node:assert/strict";
 * const a = createEmulator();
 * a.advance(60);
 * const saved: SavedWorld = worldSnapshot(a.state, a.now());
 * const b = createEmulator();
 * b.restore(worldFromSnapshot(JSON.parse(JSON.stringify(saved)), b.state, Date.now()).state);
 * equal(Math.round(b.now() / 1000), Math.round(a.now() / 1000)); // the clock goes on from the saved time
 * ```
 */
export interface SavedWorld {
  /** Always {@linkcode WORLD_FORMAT}. */
  format: string;
  /** The format's version. */
  version: number;
  /** When it was saved (real time, ISO 8601), for people. */
  savedAt: string;
  /** The emulated time when it was saved (ms): the clock goes on from there. */
  now: number;
  /** The state, encoded. */
  state: unknown;
}

/**
 * A world that cannot be loaded: the message says what does not fit and what to do.
 *
 * @example
 * ```ts
 * import { createEmulator, WorldError, worldFromSnapshot } from "../mod.ts";
 * import { throws } from "node:assert/strict";
 * throws(() => worldFromSnapshot({}, createEmulator().state, Date.now()), WorldError);
 * ```
 */
export class WorldError extends Error {
  /** A world error with its message. */
  constructor(message: string) {
    super(message);
    this.name = "WorldError";
  }
}

// ---------------------------------------------------------------- encoding

/** Whether `v` is a plain object (a record of the state, not an instance of a class). */
function isPlain(v: object): boolean {
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/** Whether `v` lives only while the process runs: a function, a socket or timer, an object with behaviour. */
function isLive(v: unknown): boolean {
  if (typeof v === "function" || typeof v === "symbol") return true;
  if (v === null || typeof v !== "object") return false;
  if (Array.isArray(v) || v instanceof Map || v instanceof Set || v instanceof Uint8Array || v instanceof Date) {
    return false;
  }
  return !isPlain(v) || Object.values(v).some((x) => typeof x === "function");
}

const TAGS = ["$ref", "$id", "$map", "$set", "$bytes", "$date", "$number", "$bigint", "$object"];

/** Counts how often each container is reached: one reached twice is shared (a token's session). */
function countReferences(v: unknown, seen: Map<object, number>): void {
  if (v === null || typeof v !== "object" || isLive(v)) return;
  const n = (seen.get(v) ?? 0) + 1;
  seen.set(v, n);
  if (n > 1) return;
  if (v instanceof Map) {
    for (const [k, x] of v) if (!isLive(x)) (countReferences(k, seen), countReferences(x, seen));
  } else if (v instanceof Set || Array.isArray(v)) {
    for (const x of v) countReferences(x, seen);
  } else if (!(v instanceof Uint8Array) && !(v instanceof Date)) {
    for (const x of Object.values(v)) countReferences(x, seen);
  }
}

/**
 * Encodes a value as plain JSON: maps, sets, bytes, dates and numbers JSON
 * cannot hold as tagged objects, shared containers as an `$id` and `$ref`s,
 * live values left out.
 */
export function encodeValue(value: unknown): unknown {
  const seen = new Map<object, number>();
  countReferences(value, seen);
  const ids = new Map<object, number>();
  const encode = (v: unknown): unknown => {
    if (typeof v === "number") return Number.isFinite(v) ? v : { $number: String(v) };
    if (typeof v === "bigint") return { $bigint: String(v) };
    if (v === null || typeof v !== "object") return v;
    const id = ids.get(v);
    if (id !== undefined) return { $ref: id };
    let shared: number | undefined;
    if ((seen.get(v) ?? 0) > 1) ids.set(v, shared = ids.size + 1);
    let out: unknown;
    if (v instanceof Map) {
      out = { $map: [...v].filter(([, x]) => !isLive(x)).map(([k, x]) => [encode(k), encode(x)]) };
    } else if (v instanceof Set) out = { $set: [...v].filter((x) => !isLive(x)).map(encode) };
    else if (v instanceof Uint8Array) out = { $bytes: v.toBase64() };
    else if (v instanceof Date) out = { $date: v.toISOString() };
    else if (Array.isArray(v)) out = v.map((x) => (isLive(x) ? null : encode(x)));
    else {
      const o: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v)) if (x !== undefined && !isLive(x)) o[k] = encode(x);
      out = Object.keys(o).some((k) => k.startsWith("$")) ? { $object: o } : o;
    }
    return shared === undefined ? out : { $id: shared, $value: out };
  };
  return encode(value);
}

/** Decodes what {@linkcode encodeValue} made; throws a {@linkcode WorldError} on a broken file. */
export function decodeValue(value: unknown): unknown {
  const ids = new Map<number, unknown>();
  const decode = (v: unknown): unknown => {
    if (v === null || typeof v !== "object") return v;
    if (Array.isArray(v)) return v.map(decode);
    const o = v as Record<string, unknown>;
    const tag = Object.keys(o).find((k) => TAGS.includes(k));
    if (tag === undefined) return decodeObject(o, {});
    if (tag === "$ref") {
      if (!ids.has(o.$ref as number)) {
        throw new WorldError(`the file refers to object ${o.$ref}, which it never defines`);
      }
      return ids.get(o.$ref as number);
    }
    if (tag === "$id") return decodeShared(o.$id as number, o.$value);
    return decodeTagged(tag, o[tag]);
  };
  const decodeObject = (o: Record<string, unknown>, into: Record<string, unknown>) => {
    for (const [k, x] of Object.entries(o)) into[k] = decode(x);
    return into;
  };
  const decodeTagged = (tag: string, inner: unknown, into?: unknown): unknown => {
    switch (tag) {
      case "$map": {
        const map = (into as Map<unknown, unknown> | undefined) ?? new Map();
        for (const [k, x] of inner as [unknown, unknown][]) map.set(decode(k), decode(x));
        return map;
      }
      case "$set": {
        const set = (into as Set<unknown> | undefined) ?? new Set();
        for (const x of inner as unknown[]) set.add(decode(x));
        return set;
      }
      case "$bytes":
        return Uint8Array.fromBase64(String(inner));
      case "$date":
        return new Date(String(inner));
      case "$number":
        return Number(inner); // Infinity, -Infinity, NaN
      case "$bigint":
        return BigInt(String(inner));
      case "$object":
        return decodeObject(inner as Record<string, unknown>, (into as Record<string, unknown>) ?? {});
    }
    throw new WorldError(`unknown tag ${tag}`);
  };
  // A shared container is registered before its contents are decoded, so that it may contain itself.
  const decodeShared = (id: number, inner: unknown): unknown => {
    if (Array.isArray(inner)) {
      const list: unknown[] = [];
      ids.set(id, list);
      for (const x of inner) list.push(decode(x));
      return list;
    }
    if (inner !== null && typeof inner === "object") {
      const o = inner as Record<string, unknown>;
      const tag = Object.keys(o).find((k) => TAGS.includes(k));
      const container = tag === "$map" ? new Map() : tag === "$set" ? new Set() : tag ? undefined : {};
      if (container === undefined && tag !== "$object") {
        const value = decode(inner);
        ids.set(id, value);
        return value;
      }
      const target = container ?? {};
      ids.set(id, target);
      return tag ? decodeTagged(tag, o[tag], target) : decodeObject(o, target as Record<string, unknown>);
    }
    ids.set(id, inner);
    return inner;
  };
  return decode(value);
}

// ---------------------------------------------------------------- snapshot and restore

/** Parts of the state that end with the process: said when a world is loaded. */
function dropTransient(state: EmulatorState, notes: string[]): void {
  state.gateway = new Map(); // open WebSocket connections
  let ended = 0;
  for (const [id, s] of state.subscriptions) {
    if (s.transport === "WebSocket") {
      state.subscriptions.delete(id); // a WebSocket subscription lives with its connection, as on RingCentral
      ended++;
    }
  }
  if (ended) notes.push(`${ended} WebSocket subscription(s) ended with their connections (clients subscribe again)`);
}

/**
 * The world to save: the whole state, encoded, and the emulated time.
 *
 * @example
 * ```ts
 * import { createEmulator, worldSnapshot } from "../mod.ts";
 * import { equal } from "node:assert/strict";
 * const emulator = createEmulator();
 * const saved = worldSnapshot(emulator.state, emulator.now());
 * equal(saved.format, "rc-emulator-world");
 * equal(typeof JSON.stringify(saved), "string");
 * ```
 */
export function worldSnapshot(state: EmulatorState, now: number): SavedWorld {
  return {
    format: WORLD_FORMAT,
    version: WORLD_VERSION,
    savedAt: new Date().toISOString(),
    now,
    state: encodeValue(state),
  };
}

type Kind = "map" | "set" | "list" | "bytes" | "date" | "object" | "number" | "string" | "boolean" | "nothing";

function kindOf(v: unknown): Kind {
  if (v === null || v === undefined) return "nothing";
  if (v instanceof Map) return "map";
  if (v instanceof Set) return "set";
  if (Array.isArray(v)) return "list";
  if (v instanceof Uint8Array) return "bytes";
  if (v instanceof Date) return "date";
  return typeof v === "object" ? "object" : typeof v as Kind;
}

const ARTICLE: Record<Kind, string> = {
  map: "a map",
  set: "a set",
  list: "a list",
  bytes: "bytes",
  date: "a date",
  object: "an object",
  number: "a number",
  string: "a string",
  boolean: "true or false",
  nothing: "nothing",
};

/** A copy of a fresh value, so that the loaded state shares nothing with the fresh one. */
function copy<T>(value: T): T {
  try {
    return structuredClone(value);
  } catch {
    return value; // something live (never in a fresh state's plain fields)
  }
}

/** The items of a list or map. */
function itemsOf(v: unknown): unknown[] {
  return v instanceof Map ? [...v.values()] : Array.isArray(v) ? v : [];
}

/** The keys every item of `items` has (with a value): what this version needs of each. */
function requiredKeys(items: unknown[]): string[] {
  const objects = items.filter((i): i is Record<string, unknown> => kindOf(i) === "object");
  if (!objects.length) return [];
  return Object.keys(objects[0]).filter((k) => objects.every((o) => o[k] !== undefined));
}

/**
 * Checks a decoded state against `fresh` (a new emulator's): a field this
 * version has and the world lacks is taken from `fresh` (said in `notes`);
 * a field of another kind, or an item without a field every fresh item has,
 * is a problem.
 */
function fit(saved: Record<string, unknown>, fresh: Record<string, unknown>, notes: string[]): string[] {
  const problems: string[] = [];
  for (const [key, value] of Object.entries(fresh)) {
    if (!(key in saved) || saved[key] === undefined) {
      saved[key] = copy(value);
      notes.push(`${key}: not in the saved world (made before this version had it), so it starts fresh`);
      continue;
    }
    const [was, is] = [kindOf(saved[key]), kindOf(value)];
    if (is === "nothing") continue;
    if (was !== is) {
      problems.push(`"${key}" is ${ARTICLE[was]} in the saved world, ${ARTICLE[is]} in this version`);
      continue;
    }
    if (is === "object") {
      for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
        const inSaved = saved[key] as Record<string, unknown>;
        if (inSaved[k] === undefined && v !== undefined) {
          inSaved[k] = copy(v);
          notes.push(`${key}.${k}: not in the saved world, so it starts fresh`);
        }
      }
    }
    if (is === "list" || is === "map") {
      const required = requiredKeys(itemsOf(value));
      const items = itemsOf(saved[key]);
      const missing: string[] = [];
      items.forEach((item, i) => {
        if (kindOf(item) !== "object") {
          if (required.length) missing.push(`item ${i} is ${ARTICLE[kindOf(item)]}`);
          return;
        }
        const lacks = required.filter((k) => (item as Record<string, unknown>)[k] === undefined);
        if (lacks.length) {
          const id = (item as Record<string, unknown>).id;
          missing.push(
            `item ${i}${id !== undefined ? ` (id ${id})` : ""} has no ${lacks.map((k) => `"${k}"`).join(", ")}`,
          );
        }
      });
      if (missing.length) {
        problems.push(
          `"${key}": ${missing.slice(0, 3).join("; ")}${missing.length > 3 ? `; and ${missing.length - 3} more` : ""}`,
        );
      }
    }
  }
  return problems;
}

/**
 * An upgrade of a decoded world's state from one version to the next, given a fresh emulator's state (this
 * version's seed); what it changed goes in `notes`, for the person loading the world.
 */
type Upgrade = (state: Record<string, unknown>, fresh: EmulatorState, notes: string[]) => void;

/** Upgrades of older formats, by the version they upgrade from. */
const UPGRADES: Record<number, Upgrade> = {
  // 1 -> 2: the built-in apps get this version's default permissions they lack (a world saved before
  // TeamMessaging, Faxes, … were defaults answered 403 CMN-401 to those calls), and so do their tokens.
  1: (state, fresh, notes) => {
    const apps = Array.isArray(state.apps) ? state.apps as Partial<App>[] : [];
    const upgraded: string[] = [];
    const granted = new Set<string>();
    const grants = new Map<string, string[]>();
    for (const app of apps) {
      const seeded = fresh.apps.find((a) => a.clientId === app.clientId);
      if (!seeded || !Array.isArray(app.permissions)) continue; // an app the user made: theirs as it is
      const lacking = seeded.permissions.filter((p) => !app.permissions!.includes(p));
      if (!lacking.length) continue;
      app.permissions.push(...lacking);
      grants.set(app.clientId!, lacking);
      upgraded.push(app.clientId!);
      lacking.forEach((p) => granted.add(p));
    }
    if (!upgraded.length) return;
    if (state.sessions instanceof Map) {
      for (const session of state.sessions.values() as Iterable<Partial<OAuthSession>>) {
        const lacking = grants.get(session.clientId ?? "");
        if (lacking && typeof session.scope === "string") {
          const scope = session.scope.split(" ");
          session.scope = [...scope, ...lacking.filter((p) => !scope.includes(p))].join(" ");
        }
      }
    }
    notes.push(
      `apps: ${upgraded.join(", ")} were granted ${[...granted].join(", ")} (this version's defaults; the world ` +
        `was saved before they had them), and so were the tokens they had issued`,
    );
  },
};

/**
 * The state of a saved world, checked against `fresh` (a new emulator's
 * state, for what the world lacks), with its clock set to go on from the
 * saved time at `realNow`. Throws a {@linkcode WorldError} that says what
 * does not fit.
 *
 * @example A world of another program is refused, with the reason
 * ```ts
 * import { createEmulator, worldFromSnapshot } from "../mod.ts";
 * import { throws } from "node:assert/strict";
 * const fresh = createEmulator().state;
 * throws(() => worldFromSnapshot({ hello: "world" }, fresh, Date.now()), /not a saved emulator world/);
 * ```
 */
export function worldFromSnapshot(
  input: unknown,
  fresh: EmulatorState,
  realNow: number,
): { state: EmulatorState; notes: string[] } {
  const world = input as SavedWorld;
  if (!world || typeof world !== "object" || world.format !== WORLD_FORMAT) {
    throw new WorldError(`it is not a saved emulator world (no "format": "${WORLD_FORMAT}")`);
  }
  if (typeof world.version !== "number" || world.version > WORLD_VERSION) {
    throw new WorldError(
      `it was saved by a newer version of the emulator (format ${world.version}; this one reads up to ` +
        `${WORLD_VERSION}): update this project, or start over with --reset`,
    );
  }
  if (typeof world.now !== "number" || !Number.isFinite(world.now)) {
    throw new WorldError(`it has no emulated time ("now")`);
  }
  const state = decodeValue(world.state);
  if (kindOf(state) !== "object") throw new WorldError(`its "state" is ${ARTICLE[kindOf(state)]}, not an object`);
  const notes: string[] = [];
  for (let v = world.version; v < WORLD_VERSION; v++) {
    const upgrade = UPGRADES[v];
    if (!upgrade) throw new WorldError(`format ${v} cannot be upgraded to ${WORLD_VERSION}: start over with --reset`);
    upgrade(state as Record<string, unknown>, fresh, notes);
  }
  const problems = fit(state as Record<string, unknown>, fresh as unknown as Record<string, unknown>, notes);
  if (problems.length) {
    throw new WorldError(`it does not fit this version of the emulator:\n  - ${problems.join("\n  - ")}`);
  }
  const restored = state as EmulatorState;
  dropTransient(restored, notes);
  restored.clockOffset = world.now - realNow; // the emulated clock goes on from the saved time
  return { state: restored, notes };
}

/**
 * Saves the world in `dir/world.json` (written whole, then renamed into
 * place, so a crash never leaves half a world); returns the file's path.
 *
 * @example
 * ```ts
 * import { createEmulator, loadWorld, saveWorld } from "../mod.ts";
 * import { equal } from "node:assert/strict";
 * const dir = await Deno.makeTempDir();
 * const a = createEmulator();
 * a.state.userPassword = "changed";
 * await saveWorld(dir, a.state, a.now());
 * const b = createEmulator();
 * const loaded = await loadWorld(dir, b.state);
 * b.restore(loaded!.state);
 * equal(b.state.userPassword, "changed");
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function saveWorld(dir: string, state: EmulatorState, now: number): Promise<string> {
  const path = `${dir}/${WORLD_FILE}`;
  await Deno.mkdir(dir, { recursive: true });
  const text = JSON.stringify(worldSnapshot(state, now), null, 1) + "\n";
  const tmp = `${path}.tmp`;
  await Deno.writeTextFile(tmp, text);
  await Deno.rename(tmp, path);
  return path;
}

/**
 * Loads the world saved in `dir/world.json`: `undefined` when there is
 * none; a {@linkcode WorldError} naming the file and what does not fit.
 *
 * @example Nothing saved yet
 * ```ts
 * import { createEmulator, loadWorld } from "../mod.ts";
 * import { equal } from "node:assert/strict";
 * const dir = await Deno.makeTempDir();
 * equal(await loadWorld(dir, createEmulator().state), undefined);
 * await Deno.remove(dir);
 * ```
 */
export async function loadWorld(
  dir: string,
  fresh: EmulatorState,
  realNow: number = Date.now(),
): Promise<{ state: EmulatorState; notes: string[]; path: string } | undefined> {
  const path = `${dir}/${WORLD_FILE}`;
  let text: string;
  try {
    text = await Deno.readTextFile(path);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return undefined;
    if (e instanceof Deno.errors.NotCapable || e instanceof Deno.errors.PermissionDenied) throw e; // names the flag
    throw new WorldError(`Cannot read ${path}: ${(e as Error).message}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    throw new WorldError(`Cannot load ${path}: it is not JSON (${(e as Error).message})`);
  }
  try {
    return { ...worldFromSnapshot(parsed, fresh, realNow), path };
  } catch (e) {
    if (e instanceof WorldError) throw new WorldError(`Cannot load ${path}: ${e.message}`);
    throw new WorldError(`Cannot load ${path}: it is not a world this emulator wrote (${(e as Error).message})`);
  }
}
