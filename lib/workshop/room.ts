/**
 * Telling a workshop room how a check went: when the setup (the project's
 * `.env` files) points at a room's shared emulator (`RC_SHARED_EMULATOR=yes`), each
 * check is reported there with the attendee's own credentials, so that the
 * instructor sees each attendee's last check per step
 * (`GET /__emulator/room/progress`). Nothing is sent anywhere else.
 * @module
 */
import { RingCentral } from "../client.ts";
import type { Setup } from "../from_env.ts";
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
 * Reports a check to the room whose shared emulator `setup` names (the
 * caller's own: the playground's, `--env emulator` included, or the one
 * `deno task exercise` decides once from the `.env` files); returns a line
 * to show, or nothing when the setup names no room. A room that cannot be
 * reached is said, never thrown.
 *
 * @example No room: nothing is sent
 * ```ts
 * import { reportToRoom } from "./room.ts";
 * import { setupFromEnv } from "../from_env.ts";
 * import { equal } from "node:assert/strict";
 * const setup = await setupFromEnv({ useEmulator: true });
 * equal(await reportToRoom({ step: "1", done: true }, setup), undefined);
 * ```
 *
 * @example A room that cannot be reached is said
 * ```ts
 * import { reportToRoom } from "./room.ts";
 * import { setupFromEnv } from "../from_env.ts";
 * import { match } from "node:assert/strict";
 * const dir = await Deno.makeTempDir();
 * const closed = Deno.listen({ hostname: "127.0.0.1", port: 0 });
 * const url = `http://127.0.0.1:${(closed.addr as Deno.NetAddr).port}`;
 * closed.close(); // nothing listens there any more
 * await Deno.writeTextFile(`${dir}/.env`, "ENVIRONMENT=sandbox\n");
 * await Deno.writeTextFile(`${dir}/.env-sandbox`, `RC_SERVER_URL=${url}\nRC_SHARED_EMULATOR=yes\n`);
 * await Deno.writeTextFile(`${dir}/.env-sandbox.local`, "RC_CLIENT_ID=a\nRC_CLIENT_SECRET=b\nRC_JWT=c.d.e\n");
 * const setup = await setupFromEnv({ dir, env: {}, onNotice: () => {} });
 * const said = await reportToRoom({ step: "1", done: true }, setup);
 * match(said!, /^\(could not report this check to http:\/\/127\.0\.0\.1:\d+: /);
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function reportToRoom(report: Report, setup: Setup): Promise<string | undefined> {
  if (!setup.sharedEmulator) return undefined;
  try {
    // Its own tokens in memory, quick to give up: a report never holds the check's answer back for long.
    const rc = new RingCentral(
      setup.clientOptions(undefined, { tokenStore: new MemoryTokenStore(), timeoutMs: 5000, retries: 0 }),
    );
    const note = report.note?.split("\n")[0].slice(0, 200);
    await rc.request("POST", "/__emulator/room/progress", {
      body: { step: report.step, done: report.done, ...(note ? { note } : {}) },
    });
    return `(reported to the room at ${setup.server})`;
  } catch (e) {
    return `(could not report this check to ${setup.server}: ${(e as Error).message.split("\n")[0]})`;
  }
}
