/**
 * The emulator's control API under `/__emulator/`: statistics, the emulated
 * clock, queued faults and reset. Not part of RingCentral's API.
 * @module
 */
import type { Fault } from "./state.ts";
import type { Ctx } from "./context.ts";
import { json } from "./http.ts";

/** What the control API needs from the emulator beyond the request. */
export interface ControlHooks {
  /** Restores the seed state. */
  reset(): void;
}

function badRequest(message: string): Response {
  return json({ errorCode: "CMN-101", message, errors: [{ errorCode: "CMN-101", message }] }, 400);
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

/** Handles a `/__emulator/...` request. */
export async function control(ctx: Ctx, hooks: ControlHooks): Promise<Response> {
  const { state } = ctx;
  const route = `${ctx.request.method} ${ctx.url.pathname.replace(/\/+$/, "")}`;
  const body = async () => {
    try {
      return await ctx.request.json();
    } catch {
      return undefined;
    }
  };
  switch (route) {
    case "GET /__emulator/stats":
      return json({
        ...state.stats,
        sessions: [...state.sessions.values()].filter((s) => !s.revoked).length,
        now: new Date(ctx.now).toISOString(),
      });
    case "GET /__emulator/clock":
      return json({ now: new Date(ctx.now).toISOString(), offsetSeconds: state.clockOffset / 1000 });
    case "POST /__emulator/clock": {
      const b = await body();
      const s = b?.advanceSeconds;
      if (typeof s !== "number" || !Number.isFinite(s) || s < 0) {
        return badRequest('Send {"advanceSeconds": n} with n ≥ 0');
      }
      state.clockOffset += s * 1000;
      return json({ now: new Date(ctx.now + s * 1000).toISOString(), offsetSeconds: state.clockOffset / 1000 });
    }
    case "GET /__emulator/faults":
      return json({ faults: state.faults });
    case "POST /__emulator/faults": {
      const b = await body();
      const list = Array.isArray(b) ? b : [b];
      const faults: Fault[] = [];
      for (const item of list) {
        const f = parseFault(item);
        if (typeof f === "string") return badRequest(`Invalid fault: ${f}`);
        faults.push(f);
      }
      state.faults.push(...faults);
      return json({ queued: faults.length, faults: state.faults }, 201);
    }
    case "DELETE /__emulator/faults":
      state.faults.length = 0;
      return json({ faults: [] });
    case "POST /__emulator/reset":
      hooks.reset();
      return json({ reset: true });
    default:
      return json({
        errorCode: "AGW-404",
        message:
          "Unknown emulator control. Try GET /__emulator/stats, POST /__emulator/clock, POST /__emulator/faults or POST /__emulator/reset",
        errors: [],
      }, 404);
  }
}
