/**
 * The dashboard's model and routes: live over server-sent events, what each
 * panel shows (messages on the emulated clock, sessions and rotations, rate
 * budgets, deliveries and retries, the requests of each client, the rest of
 * the state), this machine only, the instructor's key in a room, the world
 * to download, and a server that stops with a dashboard open.
 */
import { deepEqual, equal, match, ok } from "node:assert/strict";
import { RingCentral } from "../../mod.ts";
import { createEmulator, worldFromSnapshot, worldSnapshot } from "../../lib/emulator/mod.ts";
import { dashboardView } from "../../lib/emulator/world/view.ts";
import { serveEmulator } from "../_helpers.ts";

const SMS = { from: { phoneNumber: "+16505550101" }, to: [{ phoneNumber: "+16505550199" }], text: "Hi" };
const OPTIONS = { sendSeconds: 2, deliverSeconds: 3, rateWindow: 60, rateLimits: true };

/** Reads server-sent events from `url` until `until` accepts a view (bounded: it says what it waited for). */
async function nextView(
  reader: ReadableStreamDefaultReader<string>,
  until: (view: Record<string, unknown>) => boolean,
  what: string,
): Promise<Record<string, unknown>> {
  let buffer = "";
  const deadline = AbortSignal.timeout(10_000);
  while (!deadline.aborted) {
    const { value, done } = await Promise.race([
      reader.read(),
      new Promise<never>((_, reject) =>
        deadline.addEventListener("abort", () => reject(new Error(`no view with ${what} in 10 s`)))
      ),
    ]);
    if (done) throw new Error(`the stream ended before a view with ${what}`);
    buffer += value;
    for (let end = buffer.indexOf("\n\n"); end >= 0; end = buffer.indexOf("\n\n")) {
      const frame = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const data = /^data: (.*)$/m.exec(frame)?.[1];
      if (frame.startsWith("event: view") && data && until(JSON.parse(data))) return JSON.parse(data);
    }
  }
  throw new Error(`no view with ${what} in 10 s`);
}

Deno.test("dashboard: live over server-sent events; an inbound SMS reaches an open stream at once", async () => {
  await using s = serveEmulator();
  const response = await fetch(`${s.url}/__emulator/ui/events`);
  equal(response.headers.get("content-type"), "text/event-stream");
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  try {
    const first = await nextView(reader, () => true, "anything");
    equal(first.company, "Acme Robotics");
    const injected = await (await fetch(`${s.url}/__emulator/inbound-sms`, {
      method: "POST",
      body: JSON.stringify({ from: "+14155550123", text: "Live" }),
    })).json();
    const view = await nextView(
      reader,
      (v) => (v.messages as { id: number }[]).some((m) => m.id === injected.id),
      `message ${injected.id}`,
    );
    const row = (view.messages as Record<string, unknown>[]).find((m) => m.id === injected.id)!;
    equal(row.status, "Received");
    equal(row.text, "Live");
  } finally {
    await reader.cancel();
  }
});

Deno.test("dashboard: a server with a dashboard open still stops", async () => {
  const s = serveEmulator();
  const response = await fetch(`${s.url}/__emulator/ui/events`);
  const reader = response.body!.getReader();
  await reader.read(); // the stream is open
  await s.close(); // would wait for ever if the stream were not ended
  const { done } = await reader.read().then((r) => r.done ? r : reader.read());
  ok(done !== undefined);
});

Deno.test("dashboard model: statuses on the emulated clock, sessions and rotations, rate budgets, clients, no token", async () => {
  let clock = Date.now();
  const emulator = createEmulator({ now: () => clock, refreshGrace: 0 });
  const rc = new RingCentral({ ...emulator.credentials, fetch: emulator.fetch, now: () => clock });
  const sent = await (await rc.post("/restapi/v1.0/account/~/extension/~/sms", SMS)).json();
  let view = dashboardView(emulator.activity, OPTIONS);
  equal(view.messages.find((m) => m.id === sent.id)!.status, "Queued");
  emulator.advance(5);
  view = dashboardView(emulator.activity, OPTIONS);
  equal(view.messages.find((m) => m.id === sent.id)!.status, "Delivered");

  clock += 3601_000; // the access token expires: the client refreshes, the session rotates
  await rc.get("/restapi/v1.0/account/~");
  view = dashboardView(emulator.activity, OPTIONS);
  equal(view.sessions.length, 1);
  equal(view.sessions[0].rotations, 1);
  equal(view.sessions[0].who, "Alice Admin (101) · Emulator App");
  ok(view.activity.some((e) => e.kind === "token" && /^JWT login: new session/.test(e.text)));
  ok(view.activity.some((e) => e.kind === "token" && /^tokens rotated/.test(e.text)));
  const light = view.rateLimits.find((r) => r.group === "Light")!;
  equal(light.remaining, 49, "one Light request in this window");
  equal(light.limit, 50);
  deepEqual(view.clients.map((c) => c.client).sort(), ["Alice Admin (101) · Emulator App", "Emulator App"]);
  const text = JSON.stringify(view);
  for (const token of emulator.state.tokens.keys()) ok(!text.includes(token), "no token in the dashboard's model");
});

Deno.test("dashboard model: a session's rotations are counted on the session, so a saved world keeps them", async () => {
  let clock = Date.now();
  const a = createEmulator({ now: () => clock, refreshGrace: 0 });
  const rc = new RingCentral({ ...a.credentials, fetch: a.fetch, now: () => clock });
  await (await rc.get("/restapi/v1.0/account/~")).body?.cancel(); // logs in
  for (let i = 0; i < 2; i++) {
    clock += 3601_000; // the access token expires: the client refreshes
    await (await rc.get("/restapi/v1.0/account/~")).body?.cancel();
  }
  equal(dashboardView(a.activity, OPTIONS).sessions[0].rotations, 2);
  const b = createEmulator({ now: () => clock });
  b.restore(worldFromSnapshot(JSON.parse(JSON.stringify(worldSnapshot(a.state, a.now()))), b.state, clock).state);
  equal(b.activity.recent().filter((e) => e.kind === "token").length, 0, "the new process's feed has no rotations");
  equal(dashboardView(b.activity, OPTIONS).sessions[0].rotations, 2, "after a restart on the same data");
});

Deno.test("dashboard model: a budget that refilled keeps its row one more window; with rate limits off, it says so", async () => {
  let clock = Date.now();
  const emulator = createEmulator({ now: () => clock });
  const rc = new RingCentral({ ...emulator.credentials, fetch: emulator.fetch, now: () => clock });
  await (await rc.get("/restapi/v1.0/account/~")).body?.cancel();
  const light = () => dashboardView(emulator.activity, OPTIONS).rateLimits.find((r) => r.group === "Light");
  equal(light()?.remaining, 49);
  clock += 61_000; // the window refilled
  equal(light()?.remaining, 50, "the refilled budget is still shown, full");
  equal(light()?.used, 0);
  clock += 60_000; // one more window: now it goes
  equal(light(), undefined);
  equal(dashboardView(emulator.activity, OPTIONS).rateLimitsOn, true);
  const off = dashboardView(emulator.activity, { ...OPTIONS, rateLimits: false });
  equal(off.rateLimitsOn, false, "the page says rate limits are off rather than an empty panel");
  deepEqual(off.rateLimits, []);
});

Deno.test("dashboard model: deliveries with their retries, faults, and every other part of the state as a table", async () => {
  await using s = serveEmulator();
  const received: number[] = [];
  const receiver = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, (request) => {
    const token = request.headers.get("validation-token");
    if (!token) received.push(Date.now());
    return new Response(null, { headers: token ? { "Validation-Token": token } : {} });
  });
  try {
    const rc = new RingCentral(s.credentials);
    await rc.post("/restapi/v1.0/subscription", {
      eventFilters: ["/restapi/v1.0/account/~/extension/~/message-store/instant?type=SMS"],
      deliveryMode: { transportType: "WebHook", address: `http://127.0.0.1:${receiver.addr.port}/hook` },
    });
    await rc.request("POST", "/__emulator/webhook-failures", { body: { times: 1 } });
    const delivered = Promise.withResolvers<void>();
    const stop = s.emulator.activity.listen((e) => e.kind === "delivery" && e.ok && delivered.resolve());
    await rc.request("POST", "/__emulator/inbound-sms", { body: { from: "+14155550123", text: "Hook" } });
    await Promise.race([
      delivered.promise,
      new Promise((_, reject) => setTimeout(() => reject(new Error("no delivery in 10 s")), 10_000)),
    ]);
    stop();
    await rc.request("POST", "/__emulator/faults", { body: { path: "/restapi/v1.0/account/~", status: 503 } });
    (s.emulator.state as unknown as Record<string, unknown>).widgets = [{ id: 7, status: "Spinning" }];
    const view = await (await fetch(`${s.url}/__emulator/ui/state`)).json();
    const tries = view.deliveries.map((d: { attempt: number; ok: boolean }) => `${d.attempt}:${d.ok}`);
    deepEqual(tries, ["2:true", "1:false"], "the forced failure, then the retry that went through");
    equal(view.subscriptions[0].status, "Active");
    equal(view.faults[0].status, 503);
    const widgets = view.collections.find((c: { name: string }) => c.name === "widgets");
    deepEqual(widgets.rows, [["0", "7", "Spinning"]]);
    ok(view.requests.some((r: { path: string; client?: string }) => r.path === "/restapi/v1.0/subscription"));
    equal(received.length, 1);
  } finally {
    await receiver.shutdown();
  }
});

Deno.test("dashboard model: calls, where the state has them, with their status", () => {
  const emulator = createEmulator();
  const e = emulator.state.extensions[0];
  (emulator.state as unknown as Record<string, unknown>).calls = [{
    id: "s-1",
    origin: "Call",
    created: emulator.now(),
    parties: [
      {
        id: "p-1",
        direction: "Outbound",
        status: "Answered",
        from: { phoneNumber: "+14155550123" },
        to: { phoneNumber: "+16505550101" },
      },
      {
        id: "p-2",
        extensionId: e.id,
        direction: "Inbound",
        status: "Proceeding",
        from: { phoneNumber: "+14155550123" },
        to: { phoneNumber: "+16505550101" },
      },
    ],
  }];
  const view = dashboardView(emulator.activity, OPTIONS);
  equal(view.calls![0].status, "Proceeding");
  equal(view.calls![0].from, "+14155550123");
  ok(!view.collections.some((c) => c.name === "calls"), "calls have a panel of their own");
});

Deno.test("dashboard routes: this machine only; a room's needs the instructor's key; the world to download; what it offers", async () => {
  const room = createEmulator({ room: { key: "k" } });
  const from = (hostname: string) =>
    ({ remoteAddr: { transport: "tcp", hostname, port: 5555 }, completed: Promise.resolve() }) as Deno.ServeHandlerInfo;
  const get = async (path: string, hostname = "127.0.0.1", emulator = room) => {
    const r = await emulator.handle(new Request(`http://127.0.0.1:8787${path}`), from(hostname));
    return { status: r.status, text: await r.text(), headers: r.headers };
  };
  const remote = await get("/__emulator/ui", "192.168.1.20");
  equal(remote.status, 403);
  match(remote.text, /answers only this machine/);
  const page = await get("/__emulator/ui");
  equal(page.status, 200, "the page itself holds no data");
  match(page.headers.get("content-security-policy")!, /script-src 'self'/);
  equal((await get("/__emulator/ui/state")).status, 403);
  match((await get("/__emulator/ui/state")).text, /needs the instructor's key/);
  equal((await get("/__emulator/ui/state?key=k")).status, 200);
  equal((await get("/__emulator/world")).status, 403);

  const plain = createEmulator();
  const world = await get("/__emulator/world", "127.0.0.1", plain);
  equal(world.status, 200);
  match(world.headers.get("content-disposition")!, /attachment; filename="world-.*\.json"/);
  ok(worldFromSnapshot(JSON.parse(world.text), createEmulator().state, Date.now()).state.messages.length);
  const save = await plain.handle(new Request("http://127.0.0.1/__emulator/save", { method: "POST" }));
  equal(save.status, 409);
  match(await save.text(), /started without --data DIR/);
  const controls = JSON.parse((await get("/__emulator/controls", "127.0.0.1", plain)).text).controls as string[];
  ok(controls.includes("POST /__emulator/inbound-sms"));
  ok(controls.includes("GET /__emulator/ui"));
  const view = JSON.parse((await get("/__emulator/ui/state", "127.0.0.1", plain)).text);
  equal(view.controls.inboundCall, controls.includes("POST /__emulator/inbound-call"));
});
