/**
 * Telling a workshop room how a check went: when the project's `.env`
 * files point at a room's shared emulator (`RC_SHARED_EMULATOR=yes`), each
 * check is reported there with the attendee's own credentials, so that the
 * instructor sees each attendee's last check per step
 * (`GET /__emulator/room/progress`). Nothing is sent anywhere else.
 * @module
 */
import { RingCentral } from "../client.ts";
import { loadConfig } from "../config.ts";
import { MemoryTokenStore } from "../token_store.ts";

/** What is reported: the step, whether it passed, what was missing first. */
export interface Report {
  /** The step's number. */
  step: string;
  /** Whether the check passed. */
  done: boolean;
  /** What was missing first. */
  note?: string;
}

/**
 * Reports a check to the room whose shared emulator the `.env` files of
 * `dir` name; returns a line to show, or nothing when no room is
 * configured. A room that cannot be reached is said, never thrown.
 *
 * @example No room configured: nothing is sent
 * ```ts
 * import { reportToRoom } from "./room.ts";
 * import { equal } from "node:assert/strict";
 * const dir = await Deno.makeTempDir();
 * equal(await reportToRoom({ step: "1", done: true }, { dir, env: {} }), undefined);
 * await Deno.remove(dir, { recursive: true });
 * ```
 *
 * @example A room that cannot be reached is said
 * ```ts
 * import { reportToRoom } from "./room.ts";
 * import { match } from "node:assert/strict";
 * const dir = await Deno.makeTempDir();
 * const closed = Deno.listen({ hostname: "127.0.0.1", port: 0 });
 * const url = `http://127.0.0.1:${(closed.addr as Deno.NetAddr).port}`;
 * closed.close(); // nothing listens there any more
 * await Deno.writeTextFile(`${dir}/.env`, "ENVIRONMENT=sandbox\n");
 * await Deno.writeTextFile(`${dir}/.env-sandbox`, `RC_SERVER_URL=${url}\nRC_SHARED_EMULATOR=yes\n`);
 * await Deno.writeTextFile(`${dir}/.env-sandbox.local`, "RC_CLIENT_ID=a\nRC_CLIENT_SECRET=b\nRC_JWT=c.d.e\n");
 * const said = await reportToRoom({ step: "1", done: true }, { dir, env: {} });
 * match(said!, /^\(could not report this check to http:\/\/127\.0\.0\.1:\d+: /);
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function reportToRoom(
  report: Report,
  { dir, env }: { dir: string; env?: Record<string, string | undefined> },
): Promise<string | undefined> {
  let config;
  try {
    config = await loadConfig({ dir, env });
  } catch {
    return undefined; // a configuration that cannot be read names no room (the script's own run says what is wrong)
  }
  if (!config.sharedEmulator) return undefined;
  const server = config.server;
  try {
    const rc = await RingCentral.fromEnv({
      dir,
      config,
      onNotice: () => {},
      tokenStore: new MemoryTokenStore(),
      timeoutMs: 5000,
      retries: 0,
    });
    const note = report.note?.split("\n")[0].slice(0, 200);
    await rc.request("POST", "/__emulator/room/progress", {
      body: { step: report.step, done: report.done, ...(note ? { note } : {}) },
    });
    return `(reported to the room at ${server})`;
  } catch (e) {
    return `(could not report this check to ${server}: ${(e as Error).message.split("\n")[0]})`;
  }
}
