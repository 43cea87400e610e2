import { deepEqual, equal, match, ok } from "node:assert/strict";
import { advance, login, serveEmulator } from "../_helpers.ts";

const INSTANT = "/restapi/v1.0/account/~/extension/~/message-store/instant?type=SMS";
type Frame = [Record<string, unknown>, Record<string, unknown>?];

/** A raw WebSocket client to the emulator's gateway, reading frames in order. */
async function connect(url: string, token: string) {
  const r = await fetch(`${url}/restapi/oauth/wstoken`, {
    method: "POST",
    headers: { Authorization: `Bearer ${token}` },
  });
  equal(r.status, 200);
  const grant = await r.json();
  const socket = new WebSocket(`${grant.uri}?access_token=${grant.ws_access_token}`);
  const frames: Frame[] = [];
  const waiters: (() => void)[] = [];
  const closed = new Promise<CloseEvent>((resolve) => socket.onclose = resolve);
  socket.onmessage = (e) => {
    frames.push(JSON.parse(e.data));
    waiters.splice(0).forEach((w) => w());
  };
  await new Promise((resolve, reject) => (socket.onopen = resolve, socket.onerror = reject));
  return {
    grant,
    socket,
    closed,
    /** The next frame that `matches`, waiting up to 3 s. */
    async next(matches: (f: Frame) => boolean = () => true): Promise<Frame> {
      const deadline = Date.now() + 3000;
      for (;;) {
        const i = frames.findIndex(matches);
        if (i >= 0) return frames.splice(i, 1)[0];
        if (Date.now() > deadline) throw new Error(`no such frame; have ${JSON.stringify(frames)}`);
        await new Promise<void>((resolve) => {
          const t = setTimeout(resolve, 100);
          waiters.push(() => (clearTimeout(t), resolve()));
        });
      }
    },
    send: (frame: unknown[]) => socket.send(JSON.stringify(frame)),
    async [Symbol.asyncDispose]() {
      socket.close();
      await closed;
    },
  };
}

Deno.test("emulator WebSocket: wstoken, ConnectionDetails, a subscription over the socket, and its events", async (t) => {
  await using s = serveEmulator({ rateLimits: false });
  const token = await login(s.url, s.credentials.jwt);
  await using ws = await connect(s.url, token);
  equal(ws.grant.expires_in, 60);
  match(ws.grant.uri, /^ws:\/\/127\.0\.0\.1:\d+\/ws$/);
  match(ws.grant.ws_access_token, /^[A-Za-z0-9_-]+$/, "URL-safe, as the SDKs put it in the URL unencoded");

  const [details, info] = await ws.next();
  equal(details.type, "ConnectionDetails");
  match(String((details.wsc as { token: string }).token), /\w+/);
  equal(info!.recoveryBufferSize, 100);
  equal(info!.idleTimeout, 1800);

  let subscriptionId = "";
  await t.step("a ClientRequest is answered with the same type and messageId", async () => {
    const messageId = "a+b/c==1";
    ws.send([{ type: "ClientRequest", messageId, method: "POST", path: "/restapi/v1.0/subscription", headers: {} }, {
      eventFilters: [INSTANT],
      deliveryMode: { transportType: "WebSocket" },
    }]);
    const [meta, body] = await ws.next((f) => f[0].messageId === messageId);
    equal(meta.type, "ClientRequest");
    equal(meta.status, 200, JSON.stringify(body));
    equal(body!.status, "Active");
    deepEqual(body!.deliveryMode, { transportType: "WebSocket", encryption: false });
    subscriptionId = String(body!.id);
  });

  await t.step("an inbound SMS arrives as a ServerNotification for the subscription", async () => {
    const r = await fetch(`${s.url}/__emulator/inbound-sms`, {
      method: "POST",
      headers: { Authorization: `Bearer ${token}` },
      body: JSON.stringify({ from: "+14155550123", text: "over the socket" }),
    });
    const { id } = await r.json();
    const [meta, event] = await ws.next((f) => f[0].type === "ServerNotification");
    equal(event!.subscriptionId, subscriptionId);
    match(String(event!.event), /\/message-store\/instant\?type=SMS$/);
    const message = event!.body as { id: number; subject: string };
    equal(String(message.id), String(id));
    equal(message.subject, "over the socket");
    ok((meta.wsc as { sequence: number }).sequence > 1);
  });

  await t.step("a Heartbeat is echoed", async () => {
    ws.send([{ type: "Heartbeat", messageId: "hb-1" }]);
    const [meta] = await ws.next((f) => f[0].type === "Heartbeat");
    equal(meta.messageId, "hb-1");
  });

  await t.step("a frame that is not one is explained, and the connection lives on", async () => {
    ws.send(["not a frame"] as unknown[]);
    const [error, body] = await ws.next((f) => f[0].type === "Error");
    equal(error.status, 400);
    match(String(body!.message), /JSON array \[meta, body\]/);
    ws.send([{ type: "ClientRequest", messageId: "bad", method: "G E T", path: "/restapi/v1.0/subscription" }]);
    const [meta, explained] = await ws.next((f) => f[0].messageId === "bad");
    equal(meta.status, 400);
    match(String(explained!.message), /could not be run/);
  });

  await t.step("REST over the socket, and one subscription per connection", async () => {
    ws.send([{ type: "ClientRequest", messageId: "m2", method: "GET", path: "/restapi/v1.0/account/~/extension/~" }]);
    const [meta, body] = await ws.next((f) => f[0].messageId === "m2");
    equal(meta.status, 200);
    equal(body!.extensionNumber, "101");
    ws.send([{ type: "ClientRequest", messageId: "m3", method: "POST", path: "/restapi/v1.0/subscription" }, {
      eventFilters: [INSTANT],
      deliveryMode: { transportType: "WebSocket" },
    }]);
    const [again, error] = await ws.next((f) => f[0].messageId === "m3");
    equal(again.status, 400);
    equal((error!.errors as { errorCode: string }[])[0].errorCode, "SUB-527");
  });
});

Deno.test("emulator WebSocket: a bad token, a plain request, and a WebSocket subscription made over REST", async () => {
  await using s = serveEmulator({ rateLimits: false });
  const token = await login(s.url, s.credentials.jwt);
  const bad = await fetch(`${s.url}/ws?access_token=nope`);
  equal(bad.status, 401);
  match((await bad.json()).message, /get one from \/restapi\/oauth\/wstoken/);
  const grant = await (await fetch(`${s.url}/restapi/oauth/wstoken`, {
    method: "POST",
    headers: { Authorization: `Bearer ${token}` },
  })).json();
  const plain = await fetch(`${s.url}/ws?access_token=${grant.ws_access_token}`);
  equal(plain.status, 426);
  await plain.body?.cancel();
  const rest = await fetch(`${s.url}/restapi/v1.0/subscription`, {
    method: "POST",
    headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
    body: JSON.stringify({ eventFilters: [INSTANT], deliveryMode: { transportType: "WebSocket" } }),
  });
  equal(rest.status, 400);
  match((await rest.json()).message, /created over the WebSocket itself/);
  const noAuth = await fetch(`${s.url}/restapi/oauth/wstoken`, { method: "POST" });
  equal(noAuth.status, 401);
  await noAuth.body?.cancel();
});

Deno.test("emulator WebSocket: idle and absolute timeouts on the emulated clock; a Heartbeat counts as activity", async () => {
  await using s = serveEmulator({ rateLimits: false, accessTtl: 3600 });
  const token = await login(s.url, s.credentials.jwt);
  const idle = await connect(s.url, token);
  await idle.next((f) => f[0].type === "ConnectionDetails");
  await advance(s.url, 1700);
  idle.send([{ type: "Heartbeat", messageId: "still here" }]);
  await idle.next((f) => f[0].messageId === "still here");
  await advance(s.url, 1700);
  equal(idle.socket.readyState, WebSocket.OPEN, "the heartbeat 1700 s ago keeps it open");
  await advance(s.url, 101);
  const closed = await idle.closed;
  equal(closed.reason, "Idle timeout");

  const long = await connect(s.url, token);
  await long.next((f) => f[0].type === "ConnectionDetails");
  for (let elapsed = 0; elapsed < 86_400 - 1700; elapsed += 1700) {
    long.send([{ type: "Heartbeat", messageId: `hb${elapsed}` }]);
    await long.next((f) => f[0].messageId === `hb${elapsed}`);
    await advance(s.url, 1700);
  }
  equal(long.socket.readyState, WebSocket.OPEN);
  long.send([{ type: "Heartbeat", messageId: "last" }]);
  await long.next((f) => f[0].messageId === "last");
  await advance(s.url, 1700);
  equal((await long.closed).reason, "Absolute timeout");
});

Deno.test("trust 18: the control API is never served over the WebSocket gateway", async () => {
  await using s = serveEmulator({ rateLimits: false });
  const token = await login(s.url, s.credentials.jwt);
  const sent = await fetch(`${s.url}/restapi/v1.0/account/~/extension/~/sms`, {
    method: "POST",
    headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
    body: JSON.stringify({
      from: { phoneNumber: "+16505550101" },
      to: [{ phoneNumber: "+16505550199" }],
      text: "keep",
    }),
  });
  equal(sent.status, 200);
  await sent.body?.cancel();
  await using ws = await connect(s.url, token);
  await ws.next((f) => f[0].type === "ConnectionDetails");
  for (
    const [method, path] of [["POST", "/__emulator/reset"], ["POST", "/__emulator/faults"], [
      "GET",
      "/__emulator/stats",
    ]]
  ) {
    ws.send([{ type: "ClientRequest", messageId: path, method, path, headers: {} }, {}]);
    const [meta, body] = await ws.next((f) => f[0].messageId === path);
    equal(meta.status, 403, `${method} ${path}`);
    equal(body?.errorCode, "CMN-419");
  }
  equal(s.emulator.state.stats.messages, 1, "the emulator was not reset");
  equal(s.emulator.state.faults.length, 0);
});
