/**
 * A workshop room's emulator (`deno task emulator:room`): one emulator the
 * whole room shares over the local network. Its control API needs the
 * instructor's key (`X-Emulator-Key`); each attendee joins as a user of
 * their own (`/__emulator/room`), so that their messages, their faults and
 * their webhooks are theirs.
 * @module
 */
import type { Ctx } from "./_context.ts";
import { apiError, invalidParameter, json } from "./_http.ts";
import type { Route } from "./_router.ts";
import { bearerSession } from "./oauth.ts";
import { KEY_HEADER } from "./room_key.ts";
import { EMULATOR_CLIENT_ID, EMULATOR_CLIENT_SECRET, emulatorJwt, extensionIdOf } from "./seed.ts";
import type { EmulatorState } from "./state.ts";

export { KEY_HEADER };

/** The most attendees a room takes. */
const MAX_ATTENDEES = 500;

/**
 * In a room, who may use a control: the instructor (with the key) any;
 * an attendee (with their own Bearer token) those marked `attendee`, for
 * themselves; anyone those marked `anyone` (joining). Outside a room, any.
 */
export function roomGate(ctx: Ctx, route: Route<Ctx>): void {
  const room = ctx.options.room;
  if (!room) return;
  if (ctx.request.headers.get(KEY_HEADER) === room.key) return;
  if (route.roomAccess === "anyone") return;
  const session = bearerSession(ctx);
  if (route.roomAccess === "attendee" && session) {
    ctx.session = session;
    return;
  }
  throw apiError(403, {
    errorCode: "CMN-419",
    message: `In a workshop room, this control needs the instructor's key (${KEY_HEADER})` +
      (route.roomAccess === "attendee" ? ", or your own Bearer token for yourself" : ""),
  });
}

/** Whether the control is used by an attendee for themselves (not the instructor, not outside a room). */
export function attendeeOf(ctx: Ctx): number | undefined {
  const room = ctx.options.room;
  if (!room || ctx.request.headers.get(KEY_HEADER) === room.key) return undefined;
  return ctx.session?.extensionId;
}

/** Adds a user for an attendee: a name, an extension number, a number that can send SMS. */
function addAttendee(state: EmulatorState, name: string, now: number) {
  const taken = new Set(state.extensions.map((e) => e.extensionNumber));
  let n = 201;
  while (taken.has(String(n))) n++;
  const id = extensionIdOf(n);
  const [first, ...rest] = name.split(/\s+/);
  state.extensions.push({
    id,
    extensionNumber: String(n),
    name,
    type: "User",
    status: "Enabled",
    firstName: first,
    lastName: rest.join(" ") || undefined,
    jobTitle: "Workshop Attendee",
    department: "Workshop",
    admin: false,
    creationTime: new Date(now).toISOString(),
  });
  const phoneNumber = `+1650555${String(2000 + n).padStart(4, "0")}`;
  const numberId = 7_000_000 + n;
  state.phoneNumbers.push({
    id: numberId,
    phoneNumber,
    extensionId: id,
    paymentType: "Local",
    location: "San Mateo, CA",
    type: "VoiceFax",
    usageType: "DirectNumber",
    features: ["SmsSender", "CallerId", "MmsSender"],
    primary: true,
  });
  return { id, extensionNumber: String(n), phoneNumber };
}

/** `POST /__emulator/room/join` `{"name": "Ada"}`: a user of your own, and the lines for `.env-sandbox.local`. */
async function join(ctx: Ctx): Promise<Response> {
  const type = ctx.request.headers.get("content-type") ?? "";
  const input = type.includes("json")
    ? (await ctx.json() as { name?: unknown } | undefined)?.name
    : (await ctx.form()).get("name");
  const name = typeof input === "string" ? input.trim().replace(/\s+/g, " ") : "";
  // deno-lint-ignore no-control-regex
  if (!name || name.length > 60 || /[\u0000-\u001f<>]/.test(name)) {
    throw invalidParameter("name", { message: 'Send your name, 1 to 60 characters: {"name": "Ada Lovelace"}' });
  }
  const attendees = ctx.state.extensions.filter((e) => e.department === "Workshop").length;
  if (attendees >= MAX_ATTENDEES) {
    throw apiError(409, { errorCode: "CMN-409", message: `The room is full (${MAX_ATTENDEES} attendees)` });
  }
  const user = addAttendee(ctx.state, name, ctx.now);
  const jwt = emulatorJwt(user.id, Math.floor(ctx.now / 1000), ctx.options.room!.secret); // signed: only theirs
  const lines = [
    `RC_CLIENT_ID=${EMULATOR_CLIENT_ID}`,
    `RC_CLIENT_SECRET=${EMULATOR_CLIENT_SECRET}`,
    `RC_JWT=${jwt}`,
  ];
  if (!(ctx.request.headers.get("accept") ?? "").includes("json")) {
    const text = [
      `# ${name}: extension ${user.extensionNumber}, number ${user.phoneNumber}. Put these lines in .env-sandbox.local:`,
      ...lines,
      "",
    ].join("\n");
    return new Response(text, { status: 201, headers: { "Content-Type": "text/plain; charset=utf-8" } });
  }
  return json({ name, ...user, jwt, lines }, 201);
}

/**
 * `GET /__emulator/room/jwt?extension=101` (instructor's key): a JWT the room signed for any user of the
 * account, such as the admin's for the pre-flight's reference solutions.
 */
function signedJwt(ctx: Ctx): Response {
  const number = ctx.url.searchParams.get("extension") ?? "101";
  const user = ctx.state.extensions.find((e) => e.extensionNumber === number);
  if (!user) throw invalidParameter("extension", { message: `No extension ${number}: ask ?extension=101` });
  const jwt = emulatorJwt(user.id, Math.floor(ctx.now / 1000), ctx.options.room!.secret);
  return json({ extensionId: user.id, extensionNumber: number, jwt });
}

/** `GET /__emulator/room`: a page where an attendee picks a name and gets their lines. */
function page(): Response {
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Join the room</title>
<style>body{font:16px system-ui,sans-serif;max-width:36rem;margin:3rem auto}input,button{font:inherit}
pre{background:#f4f4f4;padding:1em;white-space:pre-wrap;word-break:break-all}</style></head><body>
<h1>Join the workshop room</h1>
<p>Pick your name: you get a user of your own, and the lines to put in <code>.env-sandbox.local</code>.</p>
<form id="f"><input name="name" required maxlength="60" placeholder="Your name" autofocus> <button>Join</button></form>
<pre id="out" hidden></pre>
<script>
document.getElementById("f").onsubmit = async (e) => {
  e.preventDefault();
  const r = await fetch("room/join", { method: "POST", body: new URLSearchParams(new FormData(e.target)) });
  const out = document.getElementById("out");
  out.hidden = false;
  out.textContent = await r.text();
};
</script></body></html>`;
  return new Response(html, { headers: { "Content-Type": "text/html; charset=utf-8" } });
}

/** The room's routes: the page and joining (answered only in a room). */
export const roomRoutes: Route<Ctx>[] = [
  {
    method: "GET",
    pattern: "/__emulator/room",
    control: true,
    auth: false,
    roomAccess: "anyone",
    handler: (ctx) => ctx.options.room ? page() : notARoom(),
  },
  {
    method: "POST",
    pattern: "/__emulator/room/join",
    control: true,
    auth: false,
    roomAccess: "anyone",
    handler: (ctx) => ctx.options.room ? join(ctx) : notARoom(),
  },
  {
    method: "GET",
    pattern: "/__emulator/room/jwt",
    control: true,
    auth: false,
    handler: (ctx) => ctx.options.room ? signedJwt(ctx) : notARoom(),
  },
];

function notARoom(): never {
  throw apiError(404, {
    errorCode: "AGW-404",
    message: "This emulator is not a workshop room's: start one with deno task emulator:room",
  });
}
