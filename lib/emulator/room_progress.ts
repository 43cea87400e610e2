/**
 * A workshop room's progress: `deno task exercise <step>` on an attendee's
 * machine reports each check (the step, whether it passed, what was
 * missing first) to the room's emulator with the attendee's own token, so
 * the emulator knows who it is; the instructor, with the key, reads each
 * attendee's last check of each step as a table or as JSON.
 * @module
 */
import type { Ctx } from "./_context.ts";
import { apiError, invalidParameter, json } from "./_http.ts";
import type { Route } from "./_router.ts";
import { attendeeOf } from "./room.ts";
import type { Extension, StepProgress } from "./state.ts";

/** The longest note kept (what was missing first). */
const MAX_NOTE = 200;

/** `POST /__emulator/room/progress` `{"step": "3", "done": false, "note": "…"}`: an attendee's check. */
async function report(ctx: Ctx): Promise<Response> {
  const attendee = attendeeOf(ctx);
  if (attendee === undefined) {
    throw invalidParameter("progress", {
      message: "Progress is reported by an attendee, with their own Bearer token (deno task exercise does it)",
    });
  }
  const body = (await ctx.json() ?? {}) as { step?: unknown; done?: unknown; note?: unknown };
  if (typeof body.step !== "string" || !/^\d{1,2}$/.test(body.step) || typeof body.done !== "boolean") {
    throw invalidParameter("progress", { message: 'Send {"step": "3", "done": false, "note": "what is missing"}' });
  }
  if (body.note !== undefined && typeof body.note !== "string") {
    throw invalidParameter("note", { message: "note is a string" });
  }
  // deno-lint-ignore no-control-regex
  const note = body.note?.replace(/[\u0000-\u001f\u007f]+/g, " ").trim().slice(0, MAX_NOTE);
  const all = ctx.state.roomProgress ??= {};
  const mine = all[String(attendee)] ??= {};
  const checks = (mine[body.step]?.checks ?? 0) + 1;
  mine[body.step] = { done: body.done, at: ctx.now, ...(note && !body.done ? { note } : {}), checks };
  return json({ step: body.step, done: body.done, checks }, 201);
}

/** Each attendee who joined or reported, with their last check of each step. */
function rows(ctx: Ctx): { who: Extension; steps: Record<string, StepProgress> }[] {
  const progress = ctx.state.roomProgress ?? {};
  return ctx.state.extensions
    .filter((e) => e.department === "Workshop" || progress[String(e.id)])
    .map((who) => ({ who, steps: progress[String(who.id)] ?? {} }));
}

/** How long ago, for people: `12 s`, `3 min`, `2 h`. */
function ago(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  return s < 60 ? `${s} s` : s < 3600 ? `${Math.floor(s / 60)} min` : `${Math.floor(s / 3600)} h`;
}

/** `GET /__emulator/room/progress` (the instructor's key): a table, or JSON when asked for. */
function progress(ctx: Ctx): Response {
  const all = rows(ctx);
  if ((ctx.request.headers.get("accept") ?? "").includes("json")) {
    return json({
      attendees: all.map(({ who, steps }) => ({
        name: who.name,
        extensionNumber: who.extensionNumber,
        steps: Object.fromEntries(
          Object.entries(steps).map(([n, p]) => [n, { ...p, at: new Date(p.at).toISOString() }]),
        ),
      })),
    });
  }
  const numbers = [...new Set(["1", "2", "3", "4", "5", "6", "7", "8", ...all.flatMap((r) => Object.keys(r.steps))])]
    .sort((a, b) => Number(a) - Number(b));
  const width = Math.max(8, ...all.map((r) => r.who.name.length));
  const head = `${"attendee".padEnd(width)}  ext  ${numbers.map((n) => n.padEnd(2)).join("")} last check`;
  const lines = all.map(({ who, steps }) => {
    const marks = numbers.map((n) => (steps[n] ? (steps[n].done ? "✓" : "✗") : "·").padEnd(2)).join("");
    const [n, last] = Object.entries(steps).sort(([, a], [, b]) => b.at - a.at)[0] ?? [];
    const said = last
      ? `step ${n} ${last.done ? "done" : "not yet"}, ${ago(ctx.now - last.at)} ago` +
        (last.note ? `: ${last.note}` : "")
      : "none yet";
    return `${who.name.padEnd(width)}  ${(who.extensionNumber ?? "").padEnd(3)}  ${marks} ${said}`;
  });
  const text = [
    `# Each attendee's last check of each step (✓ done, ✗ not yet, · not checked); ${all.length} attendees.`,
    head,
    ...lines,
    "",
  ].join("\n");
  return new Response(text, { headers: { "Content-Type": "text/plain; charset=utf-8" } });
}

function notARoom(): never {
  throw apiError(404, {
    errorCode: "AGW-404",
    message: "This emulator is not a workshop room's: start one with deno task emulator:room",
  });
}

/** The progress routes: attendees report (their own token), the instructor reads (the key). */
export const progressRoutes: Route<Ctx>[] = [
  {
    method: "POST",
    pattern: "/__emulator/room/progress",
    control: true,
    auth: false,
    roomAccess: "attendee",
    handler: (ctx) => ctx.options.room ? report(ctx) : notARoom(),
  },
  {
    method: "GET",
    pattern: "/__emulator/room/progress",
    control: true,
    auth: false,
    handler: (ctx) => ctx.options.room ? progress(ctx) : notARoom(),
  },
];
