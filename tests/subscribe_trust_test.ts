/**
 * Trust, second round: a WebSocket gateway that misbehaves. Frames that are
 * not frames, a socket that stops answering heartbeats, the same event
 * three times, an answer without a subscription.
 */
import { deepEqual, equal, match, ok } from "node:assert/strict";
import { type EventNotification, RingCentral, RingCentralError } from "../mod.ts";

type Behaviour = {
  /** Frames sent after the subscription is made. */
  after?: unknown[];
  /** The answer body to the subscription request. */
  subscription?: unknown;
  /** Whether heartbeats are answered. */
  heartbeats?: boolean;
};

/** A gateway of the test's own: REST for the token and wstoken, a socket that behaves as told. */
function gateway(behave: (connection: number) => Behaviour) {
  let connections = 0;
  const server: Deno.HttpServer<Deno.NetAddr> = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen() {} },
    (request): Response => {
      const { pathname } = new URL(request.url);
      if (pathname === "/restapi/oauth/token") {
        return Response.json({ access_token: "t0k3n-gw", token_type: "bearer", expires_in: 3600 });
      }
      if (pathname === "/restapi/oauth/wstoken") {
        return Response.json({
          uri: `ws://127.0.0.1:${server.addr.port}/ws`,
          ws_access_token: "ws-t0k3n-value",
          expires_in: 600,
        });
      }
      const { socket, response } = Deno.upgradeWebSocket(request);
      const n = ++connections;
      const b = behave(n);
      const send = (frame: unknown) => socket.readyState === WebSocket.OPEN && socket.send(JSON.stringify(frame));
      socket.onopen = () =>
        send([{ type: "ConnectionDetails", messageId: "c", status: 200, wsc: { token: `wsc${n}`, sequence: 1 } }, {}]);
      socket.onmessage = (e) => {
        const [meta] = JSON.parse(String(e.data));
        if (meta.type === "Heartbeat") {
          if (b.heartbeats !== false) send([{ type: "Heartbeat", messageId: meta.messageId, status: 200 }]);
          return;
        }
        if (meta.method === "POST") {
          send([
            { type: "ClientRequest", messageId: meta.messageId, status: 200 },
            "subscription" in b ? b.subscription : { id: `sub${n}` },
          ]);
          for (const frame of b.after ?? []) send(frame);
        } else send([{ type: "ClientRequest", messageId: meta.messageId, status: 200 }, {}]);
      };
      return response;
    },
  );
  const options = {
    server: `http://127.0.0.1:${server.addr.port}`,
    clientId: "id",
    clientSecret: "secret-value",
    jwt: "a.b.c",
  };
  return { options, connections: () => connections, [Symbol.asyncDispose]: () => server.shutdown() };
}

const event = (uuid: string, subscriptionId = "sub1") => [
  { type: "ServerNotification", messageId: uuid, status: 200 },
  {
    uuid,
    event: "/restapi/v1.0/account/1/extension/2/message-store",
    timestamp: "2026-01-01T00:00:00Z",
    subscriptionId,
    ownerId: "2",
    body: { n: uuid },
  },
];

Deno.test("trust 9: frames that are not frames are reported and ignored; the subscription goes on", async () => {
  await using g = gateway(() => ({
    after: [null, {}, [null], [{ type: "ServerNotification" }, null], "text", event("e1")],
  }));
  const rc = new RingCentral(g.options);
  const errors: Error[] = [];
  const got = Promise.withResolvers<EventNotification>();
  await using _sub = await rc.subscribe(["/restapi/v1.0/account/~/extension/~/message-store"], got.resolve, {
    onError: (e) => errors.push(e),
  });
  equal((await got.promise).uuid, "e1", "the good event after the bad frames arrived");
  equal(errors.length, 5, errors.map((e) => e.message).join("\n"));
  ok(
    errors.every((e) => e instanceof RingCentralError && /Ignored a frame from the WebSocket gateway/.test(e.message)),
  );
});

Deno.test("trust 9: an answer to the subscription request without a subscription is a clear error", async () => {
  await using g = gateway(() => ({ subscription: null }));
  const rc = new RingCentral(g.options);
  const e = await rc.subscribe(["/restapi/v1.0/account/~/extension/~/message-store"]).catch((e) => e);
  ok(e instanceof RingCentralError, String(e));
  match(e.message, /The gateway's answer to POST \/restapi\/v1\.0\/subscription holds no subscription id/);
});

Deno.test("trust 10: a socket that stops answering heartbeats is noticed, reconnected and reported", async () => {
  await using g = gateway((n) => ({ heartbeats: n > 1, after: n > 1 ? [event("after", `sub${n}`)] : [] }));
  const rc = new RingCentral(g.options);
  const errors: Error[] = [];
  const reconnected = Promise.withResolvers<{ attempt: number; resubscribed: boolean }>();
  const got = Promise.withResolvers<EventNotification>();
  await using _sub = await rc.subscribe(["/restapi/v1.0/account/~/extension/~/message-store"], got.resolve, {
    heartbeatSeconds: 0.02,
    onError: (e) => errors.push(e),
    onReconnect: reconnected.resolve,
  });
  await reconnected.promise;
  equal((await got.promise).uuid, "after", "events flow on the new socket");
  equal(g.connections(), 2);
  ok(errors.some((e) => /No answer to 3 heartbeats/.test(e.message)), errors.map((e) => e.message).join("\n"));
});

Deno.test("trust 11: an event the gateway sends three times (the same uuid) is delivered once", async () => {
  await using g = gateway(() => ({ after: [event("dup"), event("dup"), event("dup"), event("last")] }));
  const rc = new RingCentral(g.options);
  const seen: string[] = [];
  const last = Promise.withResolvers<void>();
  await using _sub = await rc.subscribe(["/restapi/v1.0/account/~/extension/~/message-store"], (e) => {
    seen.push(e.uuid);
    if (e.uuid === "last") last.resolve();
  });
  await last.promise;
  deepEqual(seen, ["dup", "last"]);
});

Deno.test("a gateway that takes each ws_access_token once: the second subscription asks for a token of its own", async () => {
  let issued = 0;
  const used = new Set<string>();
  const server: Deno.HttpServer<Deno.NetAddr> = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen() {} },
    (request): Response => {
      const url = new URL(request.url);
      if (url.pathname === "/restapi/oauth/token") {
        return Response.json({ access_token: "t0k3n-gw", token_type: "bearer", expires_in: 3600 });
      }
      if (url.pathname === "/restapi/oauth/wstoken") {
        return Response.json({
          uri: `ws://127.0.0.1:${server.addr.port}/ws`,
          ws_access_token: `ws-once-${++issued}`,
          expires_in: 600,
        });
      }
      const token = url.searchParams.get("access_token") ?? "";
      if (used.has(token)) return new Response("token used", { status: 401 });
      used.add(token);
      const { socket, response } = Deno.upgradeWebSocket(request);
      const send = (frame: unknown) => socket.readyState === WebSocket.OPEN && socket.send(JSON.stringify(frame));
      socket.onopen = () => send([{ type: "ConnectionDetails", messageId: "c", status: 200, wsc: { token: "w" } }, {}]);
      socket.onmessage = (e) => {
        const [meta] = JSON.parse(String(e.data));
        if (meta.method === "POST") {
          send([{ type: "ClientRequest", messageId: meta.messageId, status: 200 }, { id: token }]);
        } else send([{ type: "ClientRequest", messageId: meta.messageId, status: 200 }, {}]);
      };
      return response;
    },
  );
  try {
    const rc = new RingCentral({
      server: `http://127.0.0.1:${server.addr.port}`,
      clientId: "id",
      clientSecret: "secret-value",
      jwt: "a.b.c",
    });
    const errors: Error[] = [];
    await using first = await rc.subscribe(["/restapi/v1.0/account/~/extension/~/message-store"], undefined, {
      onError: (e) => errors.push(e),
    });
    await using second = await rc.subscribe(["/restapi/v1.0/account/~/extension/~/message-store"], undefined, {
      onError: (e) => errors.push(e),
    });
    equal(first.id, "ws-once-1");
    equal(second.id, "ws-once-2", "the refused shared token was followed by a fresh one");
    equal(issued, 2);
    equal(errors.length, 0, errors.map((e) => e.message).join("\n"));
  } finally {
    await server.shutdown();
  }
});
