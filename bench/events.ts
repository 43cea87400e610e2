/**
 * Group 7, events: how long an inbound SMS takes to reach a subscriber,
 * from sending `POST /__emulator/inbound-sms` to the event in hand, over
 * loopback against `deno task emulator` in its own process: this client's
 * `rc.subscribe`, the official `@rc-ex/ws`, and a webhook. Median and
 * worst of 50 events each. Goal (issue #13): within a second.
 * @module
 */
import RingCentralExtensible from "@rc-ex/core";
import WsModule from "@rc-ex/ws";
import { RingCentral } from "../mod.ts";
import { emulatorProcess, type Figure, median } from "./_harness.ts";

const GROUP = "7. events (inbound SMS → subscriber)";
const INSTANT = "/restapi/v1.0/account/~/extension/~/message-store/instant?type=SMS";
const EVENTS = 50;
/** The package's types describe its default export as the module; at run time it is the class. */
const WebSocketExtension = WsModule as unknown as typeof WsModule.default;

type Subscribe = (url: string, env: Record<string, string>, onEvent: () => void) => Promise<() => Promise<void>>;

const SUBSCRIBERS: [string, Subscribe][] = [
  ["this client, rc.subscribe", async (_url, env, onEvent) => {
    const rc = new RingCentral({
      server: env.RC_SERVER_URL,
      clientId: env.RC_CLIENT_ID,
      clientSecret: env.RC_CLIENT_SECRET,
      jwt: env.RC_JWT,
    });
    const sub = await rc.subscribe([INSTANT], onEvent);
    return () => sub.close();
  }],
  ["@rc-ex/ws", async (_url, env, onEvent) => {
    const rc = new RingCentralExtensible({
      server: env.RC_SERVER_URL,
      clientId: env.RC_CLIENT_ID,
      clientSecret: env.RC_CLIENT_SECRET,
    });
    await rc.authorize({ jwt: env.RC_JWT });
    const ws = new WebSocketExtension();
    await rc.installExtension(ws);
    await ws.subscribe([INSTANT], onEvent);
    return () => ws.revoke();
  }],
  ["webhook (Deno.serve)", async (_url, env, onEvent) => {
    const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, async (req) => {
      const token = req.headers.get("validation-token");
      if (token) return new Response(null, { headers: { "Validation-Token": token } });
      await req.body?.cancel();
      onEvent();
      return new Response(null);
    });
    const rc = new RingCentral({
      server: env.RC_SERVER_URL,
      clientId: env.RC_CLIENT_ID,
      clientSecret: env.RC_CLIENT_SECRET,
      jwt: env.RC_JWT,
    });
    await rc.post("/restapi/v1.0/subscription", {
      eventFilters: [INSTANT],
      deliveryMode: { transportType: "WebHook", address: `http://127.0.0.1:${server.addr.port}/hook` },
    });
    return () => server.shutdown();
  }],
];

/** Latencies (ms) of `EVENTS` inbound SMS, one at a time, for one subscriber. */
async function latencies(subscribe: Subscribe): Promise<number[]> {
  await using emu = await emulatorProcess(["--rate-limits", "off"]);
  let arrived: (() => void) | undefined;
  const stop = await subscribe(emu.url, emu.env, () => arrived?.());
  const times: number[] = [];
  try {
    for (let i = 0; i < EVENTS; i++) {
      const event = new Promise<void>((resolve) => (arrived = resolve));
      const t0 = performance.now();
      await fetch(`${emu.url}/__emulator/inbound-sms`, {
        method: "POST",
        body: JSON.stringify({ from: "+14155550123", text: `event ${i}` }),
      }).then((r) => r.body?.cancel());
      await event;
      times.push(performance.now() - t0);
    }
  } finally {
    await stop();
  }
  return times;
}

/** Group 7's figures. */
export async function events(): Promise<Figure[]> {
  const figures: Figure[] = [];
  for (const [name, subscribe] of SUBSCRIBERS) {
    const times = await latencies(subscribe);
    const worst = Math.max(...times);
    figures.push(
      { group: GROUP, name: `${name}: median`, value: Number(median(times).toFixed(2)), unit: "ms" },
      {
        group: GROUP,
        name: `${name}: worst of ${EVENTS}`,
        value: Number(worst.toFixed(2)),
        unit: "ms",
        goal: "< 1000 ms",
        met: worst < 1000,
      },
    );
  }
  return figures;
}
