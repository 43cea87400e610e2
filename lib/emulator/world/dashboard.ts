/**
 * The dashboard's routes: the page at `/__emulator/ui` (for this machine
 * only), its script and style, its model as JSON and live as server-sent
 * events, the saved world to download (`/__emulator/world`) and saved in
 * place (`POST /__emulator/save`), and the list of controls this emulator
 * has (`/__emulator/controls`), so that a page or a tool can tell what it
 * may offer. In a workshop room they need the instructor's key.
 * @module
 */
import { isLoopbackHost } from "../../hosts.ts";
import type { Ctx } from "../_context.ts";
import { controlRoutes } from "../control.ts";
import { apiError, json, type JsonBody } from "../_http.ts";
import { KEY_HEADER } from "../room.ts";
import type { Route } from "../_router.ts";
import { activityOf } from "./activity.ts";
import { DASHBOARD_CSS, DASHBOARD_HTML, DASHBOARD_SCRIPT } from "./page.ts";
import { worldSnapshot } from "./save.ts";
import { dashboardView } from "./view.ts";

const C = "/__emulator";

/** How often the live stream looks for changes that came with time alone (a message delivered), in ms. */
const TICK_MS = 1000;

/**
 * Only for this machine (the page may show every attendee's messages); in a
 * room, what holds data needs the instructor's key (as a header, or `?key=`
 * in the page's address, which the page passes on). The page's own files
 * hold no data.
 */
function gate(ctx: Ctx, { key: needsKey = true } = {}): void {
  if (ctx.remote !== undefined && !isLoopbackHost(ctx.remote) && ctx.remote !== "::1") {
    throw apiError(403, {
      errorCode: "CMN-419",
      message: "The emulator's dashboard answers only this machine: open it on the machine that runs the emulator",
    });
  }
  const room = ctx.options.room;
  if (!room || !needsKey) return;
  const key = ctx.request.headers.get(KEY_HEADER) ?? ctx.url.searchParams.get("key");
  if (key !== room.key) {
    throw apiError(403, {
      errorCode: "CMN-419",
      message: "In a workshop room, the dashboard needs the instructor's key: open the address the emulator printed " +
        "on stderr (…/__emulator/ui?key=…)",
    });
  }
}

/** The controls this emulator has, as `METHOD /path`. */
function controls(): string[] {
  return [...controlRoutes, ...dashboardRoutes].map((r) => `${r.method} ${r.pattern}`);
}

/** Whether this emulator can inject an inbound call (the calls area adds the control). */
function inboundCall(): boolean {
  return controlRoutes.some((r) => r.method === "POST" && r.pattern === `${C}/inbound-call`);
}

function view(ctx: Ctx) {
  const activity = activityOf(ctx.state);
  if (!activity) throw apiError(503, { errorCode: "CMN-503", message: "This emulator has no activity feed" });
  return { activity, model: () => dashboardView(activity, ctx.options, { inboundCall: inboundCall() }) };
}

const PAGE_HEADERS = {
  "Cache-Control": "no-store",
  "X-Content-Type-Options": "nosniff",
  "Referrer-Policy": "no-referrer",
  "Content-Security-Policy": "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; " +
    "img-src 'self' data:; form-action 'none'; frame-ancestors 'none'; base-uri 'none'",
};

function asset(type: string, body: string) {
  return (ctx: Ctx) => {
    gate(ctx, { key: false });
    return new Response(body, { headers: { "Content-Type": `${type}; charset=utf-8`, ...PAGE_HEADERS } });
  };
}

/** `GET /__emulator/ui/events`: the model at once, then again on every change (and each second if time changed it). */
function events(ctx: Ctx): Response {
  gate(ctx);
  const { activity, model } = view(ctx);
  const encoder = new TextEncoder();
  let stop = () => {};
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      let last = "";
      let pending: ReturnType<typeof setTimeout> | undefined;
      const send = () => {
        pending = undefined;
        const text = JSON.stringify(model());
        if (text === last) return;
        last = text;
        try {
          controller.enqueue(encoder.encode(`event: view\ndata: ${text}\n\n`));
        } catch {
          stop();
        }
      };
      const soon = () => {
        if (pending === undefined) pending = setTimeout(send, 20);
      };
      const unlisten = activity.listen(soon);
      const tick = setInterval(send, TICK_MS);
      Deno.unrefTimer(tick);
      const unregister = activity.onEndStreams(() => stop());
      stop = () => {
        clearInterval(tick);
        clearTimeout(pending);
        unlisten();
        unregister();
        stop = () => {};
        try {
          controller.close();
        } catch { /* closed by the client */ }
      };
      controller.enqueue(encoder.encode("retry: 1000\n\n"));
      send();
    },
    cancel() {
      stop();
    },
  });
  return new Response(body, {
    headers: { "Content-Type": "text/event-stream", "Cache-Control": "no-store", "X-Accel-Buffering": "no" },
  });
}

/** `GET /__emulator/world`: the whole world as a file, as `--data` saves it. */
function download(ctx: Ctx): Response {
  gate(ctx);
  const stamp = new Date(ctx.now).toISOString().slice(0, 19).replaceAll(":", "-");
  return new Response(JSON.stringify(worldSnapshot(ctx.state, ctx.now), null, 1) + "\n", {
    headers: {
      "Content-Type": "application/json; charset=utf-8",
      "Content-Disposition": `attachment; filename="world-${stamp}.json"`,
      "Cache-Control": "no-store",
    },
  });
}

/** `POST /__emulator/save`: saves the world where `--data` says. */
async function save(ctx: Ctx): Promise<JsonBody> {
  gate(ctx);
  if (!ctx.options.save) {
    throw apiError(409, {
      errorCode: "CMN-409",
      message: "This emulator was started without --data DIR, so it has nowhere to save: download the world " +
        "instead (GET /__emulator/world), or start it with deno task emulator --data DIR",
    });
  }
  const path = await ctx.options.save(ctx.state, ctx.now);
  activityOf(ctx.state)?.publish({ kind: "save", text: `the world was saved in ${path}` });
  return { saved: path, now: new Date(ctx.now).toISOString() };
}

/** The dashboard's routes. */
export const dashboardRoutes: Route<Ctx>[] = [
  {
    method: "GET",
    pattern: `${C}/ui`,
    control: true,
    auth: false,
    roomAccess: "anyone",
    handler: asset("text/html", DASHBOARD_HTML),
  },
  {
    method: "GET",
    pattern: `${C}/ui/app.js`,
    control: true,
    auth: false,
    roomAccess: "anyone",
    handler: asset("text/javascript", DASHBOARD_SCRIPT),
  },
  {
    method: "GET",
    pattern: `${C}/ui/app.css`,
    control: true,
    auth: false,
    roomAccess: "anyone",
    handler: asset("text/css", DASHBOARD_CSS),
  },
  {
    method: "GET",
    pattern: `${C}/ui/state`,
    control: true,
    auth: false,
    roomAccess: "anyone",
    handler: (ctx) => {
      gate(ctx);
      return view(ctx).model() as unknown as JsonBody;
    },
  },
  { method: "GET", pattern: `${C}/ui/events`, control: true, auth: false, roomAccess: "anyone", handler: events },
  { method: "GET", pattern: `${C}/world`, control: true, auth: false, roomAccess: "anyone", handler: download },
  { method: "POST", pattern: `${C}/save`, control: true, auth: false, roomAccess: "anyone", handler: save },
  {
    method: "GET",
    pattern: `${C}/controls`,
    control: true,
    auth: false,
    roomAccess: "anyone",
    handler: () => json({ controls: controls() }),
  },
];
