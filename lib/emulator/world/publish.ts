/**
 * Announcing a served emulator as the project's: `.emulator/emulator.json`
 * in the project's folder (git-ignored, readable by its owner only) says
 * where it listens, and the emulator answers the identity check with the
 * record's nonce, so that a tool can tell it from a program that took the
 * port after it. One project, one emulator: a live one is not replaced; a
 * record whose emulator is gone is.
 * @module
 */
import { isLoopbackHost } from "../../hosts.ts";
import {
  IDENTITY_PATH,
  identityProof,
  PROJECT_EMULATOR_FILE,
  type ProjectEmulator,
  type ProjectEmulatorRecord,
  readRecord,
  removeIfUnchanged,
  verifyRecord,
} from "../../project_emulator.ts";
import type { Emulator } from "../emulator.ts";
import { serve } from "../serve.ts";

/** A request handler, as `Deno.serve` takes it. */
type Handler = (request: Request, info?: Deno.ServeHandlerInfo) => Response | Promise<Response>;

/** Whether this process may write the project's record (asked without a prompt). */
export function mayPublish(dir = "."): boolean {
  const folder = `${dir}/${PROJECT_EMULATOR_FILE.split("/")[0]}`;
  return ["read", "write"].every((name) =>
    Deno.permissions.querySync({ name: name as "read" | "write", path: folder }).state === "granted"
  );
}

/**
 * The project's emulator running now, if any (a record whose emulator is
 * gone is removed): before serving another one.
 */
export async function runningProjectEmulator(dir = "."): Promise<ProjectEmulator | undefined> {
  const { record } = readRecord(dir);
  if (!record) return undefined;
  if (await verifyRecord(record) === true) {
    const { nonce: _, format: _f, version: _v, ...running } = record;
    return running;
  }
  removeIfUnchanged(`${dir}/${PROJECT_EMULATOR_FILE}`, record);
  return undefined;
}

/** A project emulator being announced: its identity check, and how to take the record back. */
export interface Announcement {
  /** Answers the identity check (`GET /__emulator/identity?challenge=…`) before `handle` sees the request. */
  wrap(handle: Handler): Handler;
  /** Writes the record once the address is known; false when another emulator's record got there first. */
  publish(url: string): boolean;
  /** Removes the record (if it is still this one's). */
  withdraw(): void;
  /** The record's path. */
  path: string;
}

/** The emulator's public built-in credentials, as the record names them for the tools that find it. */
function loginOf(
  emulator: Pick<Emulator, "credentials" | "passwordCredentials" | "browserCredentials">,
): ProjectEmulatorRecord["login"] {
  const { clientId, clientSecret, jwt } = emulator.credentials;
  const { username, password, extension } = emulator.passwordCredentials;
  return {
    clientId,
    clientSecret,
    jwt,
    username,
    password,
    extension,
    publicClientId: emulator.browserCredentials.clientId,
  };
}

/**
 * Prepares the announcement of `emulator` as the project's, by `by` (`deno
 * task emulator`, `the playground`): wrap the served handler with it, then
 * publish the address once listening.
 *
 * @example
 * ```ts
 * import { announce } from "./publish.ts";
 * import { createEmulator } from "../mod.ts";
 * import { findProjectEmulator } from "../../project_emulator.ts";
 * import { equal } from "node:assert/strict";
 * const dir = await Deno.makeTempDir();
 * const emulator = createEmulator();
 * const announcement = announce(emulator, { dir, by: "an example" });
 * const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, announcement.wrap(emulator.handle));
 * announcement.publish(`http://127.0.0.1:${server.addr.port}`);
 * const { emulator: found } = await findProjectEmulator(dir, { env: {} });
 * equal(found?.by, "an example");
 * announcement.withdraw();
 * await server.shutdown();
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export function announce(
  emulator: Pick<Emulator, "credentials" | "passwordCredentials" | "browserCredentials">,
  { dir = ".", by }: { dir?: string; by: string },
): Announcement {
  const nonce = crypto.randomUUID() + crypto.randomUUID();
  const started = new Date().toISOString();
  const path = `${dir}/${PROJECT_EMULATOR_FILE}`;
  let record: ProjectEmulatorRecord | undefined;
  return {
    path,
    wrap: (handle) => async (request, info) => {
      const url = new URL(request.url);
      if (url.pathname !== IDENTITY_PATH) return await handle(request, info);
      const host = request.headers.get("host") ?? "";
      const challenge = url.searchParams.get("challenge") ?? "";
      if (!isLoopbackHost(new URL(`http://${host || "localhost"}`).hostname) || !/^[\w-]{8,200}$/.test(challenge)) {
        return Response.json({ errorCode: "CMN-101", message: "Send ?challenge=… from this machine" }, {
          status: 400,
        });
      }
      return Response.json({ proof: await identityProof(nonce, challenge), pid: Deno.pid, started, by });
    },
    publish(url) {
      record = {
        format: "rc-project-emulator",
        version: 1,
        url,
        pid: Deno.pid,
        started,
        by,
        nonce,
        login: loginOf(emulator),
      };
      const folder = path.slice(0, path.lastIndexOf("/"));
      Deno.mkdirSync(folder, { recursive: true, mode: 0o700 });
      try {
        // Ignored by git wherever the project is: nothing in it belongs in a commit.
        Deno.writeTextFileSync(`${folder}/.gitignore`, "*\n", { createNew: true });
      } catch (e) {
        if (!(e instanceof Deno.errors.AlreadyExists)) throw e;
      }
      const tmp = `${path}.${Deno.pid}.tmp`;
      Deno.writeTextFileSync(tmp, JSON.stringify(record, null, 2) + "\n", { mode: 0o600 });
      try {
        Deno.chmodSync(tmp, 0o600); // whatever the umask
      } catch { /* a system without modes */ }
      try {
        Deno.linkSync(tmp, path); // fails when a record is there: one emulator per project
        return true;
      } catch (e) {
        if (e instanceof Deno.errors.AlreadyExists) return false;
        throw e;
      } finally {
        Deno.removeSync(tmp);
      }
    },
    withdraw() {
      if (record) removeIfUnchanged(path, record);
      record = undefined;
    },
  };
}

/** A built-in emulator served as the project's, while its process runs. */
export interface SharedEmulator {
  /** What the project's tools find. */
  project: ProjectEmulator;
  /** Stops serving it and takes the record back. */
  close(): Promise<void>;
  /** Takes the record back at once (a process about to exit). */
  withdraw(): void;
}

/**
 * Serves an in-process emulator on a free loopback port and announces it as
 * the project's, for the other tools started in `dir` while this process
 * runs (the playground does, when it runs on its built-in emulator and none
 * is running). Nothing when the permission to write the record is missing
 * or another emulator announced itself first.
 */
export function shareAsProjectEmulator(
  emulator: Emulator,
  { dir = ".", by }: { dir?: string; by: string },
): SharedEmulator | undefined {
  if (!mayPublish(dir)) return undefined;
  const announcement = announce(emulator, { dir, by });
  // serve(): the same server as deno task emulator's (and whatever it serves beside the API).
  const served = serve({
    emulator,
    port: 0,
    wrap: (handle) => async (r, info) => await announcement.wrap(handle)(r, info),
  });
  let published = false;
  try {
    published = announcement.publish(served.url);
  } catch { /* a folder in the way, a full disk: not shared */ }
  if (!published) {
    void served.close();
    return undefined;
  }
  return {
    project: {
      url: served.url,
      pid: Deno.pid,
      started: new Date().toISOString(),
      by,
      login: loginOf(emulator),
    },
    withdraw: () => announcement.withdraw(),
    async close() {
      announcement.withdraw();
      await served.close(); // ends the dashboards' live streams first
    },
  };
}
