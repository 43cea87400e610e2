/**
 * Faults the emulator can be told to inject (`POST /__emulator/faults`): a
 * status with a body, a delay, or a connection dropped before or after the
 * request is processed, for the next N requests to a path.
 * @module
 */
import { apiError, json } from "./_http.ts";
import type { EmulatorState, Fault } from "./state.ts";

/**
 * Thrown by the pipeline when a fault drops the connection.
 *
 * @example A connection dropped after the SMS went out
 * ```ts
 * import { RingCentral } from "../../mod.ts";
 * import { createEmulator } from "./mod.ts";
 * import { NetworkError } from "../../mod.ts";
 * import { equal, ok } from "node:assert/strict";
 * const emulator = createEmulator();
 * const rc = new RingCentral({ ...emulator.credentials, fetch: emulator.fetch });
 * await rc.request("POST", "/__emulator/faults", { body: { path: "/restapi/v1.0/account/~/extension/~/sms", method: "POST", drop: "after" } });
 * const e = await rc.post("/restapi/v1.0/account/~/extension/~/sms", {
 *   from: { phoneNumber: "+16505550101" },
 *   to: [{ phoneNumber: "+16505550199" }],
 *   text: "Hi",
 * }).catch((e) => e);
 * ok(e instanceof NetworkError && e.outcome === "unknown"); // the client cannot know: it does not send again
 * equal(emulator.state.stats.messages, 1);
 * ```
 */
export class DroppedConnection extends Error {
  /** Builds the error. */
  constructor(when: "before" | "after") {
    super(`Connection dropped by an emulator fault (${when} the request was processed)`);
    this.name = "DroppedConnection";
  }
}

/** Checks one fault description from `POST /__emulator/faults`. */
export function parseFault(input: unknown): Fault | string {
  if (!input || typeof input !== "object") {
    return 'A fault is a JSON object such as {"path": "/restapi/v1.0/account/~", "status": 503}';
  }
  const f = input as Record<string, unknown>;
  if (typeof f.path !== "string" || !f.path.startsWith("/")) return "path is required and must start with /";
  if (f.method !== undefined && typeof f.method !== "string") return "method must be a string such as GET";
  if (
    f.status !== undefined &&
    !(Number.isInteger(f.status) && (f.status as number) >= 100 && (f.status as number) <= 599)
  ) {
    return "status must be an HTTP status between 100 and 599";
  }
  if (f.retryAfter !== undefined && !(typeof f.retryAfter === "number" && f.retryAfter >= 0)) {
    return "retryAfter must be a number of seconds";
  }
  const d = f.delayMs;
  const okDelay = d === undefined || (typeof d === "number" && d >= 0) ||
    (Array.isArray(d) && d.length === 2 && d.every((x) => typeof x === "number" && x >= 0) && d[0] <= d[1]);
  if (!okDelay) return "delayMs must be a number of milliseconds or [min, max]";
  if (f.drop !== undefined && f.drop !== "before" && f.drop !== "after") return 'drop must be "before" or "after"';
  if (f.times !== undefined && !(Number.isInteger(f.times) && (f.times as number) >= 1)) {
    return "times must be a whole number ≥ 1";
  }
  if (f.status === undefined && f.delayMs === undefined && f.drop === undefined) {
    return "give at least one of status, delayMs or drop";
  }
  return {
    path: f.path,
    method: (f.method as string | undefined)?.toUpperCase(),
    status: f.status as number | undefined,
    body: f.body,
    retryAfter: f.retryAfter as number | undefined,
    delayMs: d as Fault["delayMs"],
    drop: f.drop as Fault["drop"],
    times: (f.times as number | undefined) ?? 1,
  };
}

/**
 * Takes the first queued fault for this method and path (and, for a fault
 * an attendee queued for themselves, this extension), counting down its `times`.
 */
export function takeFault(
  state: EmulatorState,
  method: string,
  path: string,
  extensionId?: number,
): Fault | undefined {
  const index = state.faults.findIndex((f) =>
    f.path === path && (!f.method || f.method === method) &&
    (f.extensionId === undefined || f.extensionId === extensionId)
  );
  if (index < 0) return undefined;
  const fault = state.faults[index];
  if (--fault.times <= 0) state.faults.splice(index, 1);
  return fault;
}

/** The answer of a fault with a status: its body, or RingCentral's usual body for that status. */
export function faultResponse(fault: Fault): Response {
  const status = fault.status!;
  const headers: Record<string, string> = {};
  if (fault.retryAfter !== undefined) headers["Retry-After"] = String(fault.retryAfter);
  if (fault.body !== undefined) {
    if (typeof fault.body === "string") {
      // A text body plays a proxy or gateway: no RingCentral headers.
      const type = /^\s*</.test(fault.body) ? "text/html" : "text/plain";
      return new Response(fault.body, { status, headers: { ...headers, "Content-Type": type } });
    }
    return json(fault.body, status, headers);
  }
  if (status === 429) {
    return apiError(429, { errorCode: "CMN-301", message: "Request rate exceeded" }, { headers }).response;
  }
  if (status === 503) {
    return apiError(503, { errorCode: "CMN-211", message: "Service temporarily unavailable" }, { headers }).response;
  }
  return apiError(status, { errorCode: "CMN-000", message: `Emulated fault ${status}` }, { headers }).response;
}
