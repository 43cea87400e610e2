/**
 * RingCentral's official event SDKs, `@rc-ex/ws` and
 * `@ringcentral/subscriptions`, unchanged, against `deno task emulator` (the
 * real program, in a subprocess) over loopback.
 */
import { equal, match } from "node:assert/strict";
import RingCentralExtensible from "@rc-ex/core";
import WsModule from "@rc-ex/ws";
import { SDK } from "@ringcentral/sdk";
import { Subscriptions } from "@ringcentral/subscriptions";
import { startEmulator } from "../_helpers.ts";

/** The package's types describe its default export as the module (CommonJS typings); at run time it is the class. */
const WebSocketExtension = WsModule as unknown as typeof WsModule.default;

const INSTANT = "/restapi/v1.0/account/~/extension/~/message-store/instant?type=SMS";

/** Resolves with the first value `register` hands to its callback, or rejects after 5 s. */
function firstEvent<T>(register: (callback: (value: T) => void) => void): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("no event within 5 s")), 5000);
    register((value) => {
      clearTimeout(timer);
      resolve(value);
    });
  });
}

async function inboundSms(url: string, text: string): Promise<number> {
  const r = await fetch(`${url}/__emulator/inbound-sms`, {
    method: "POST",
    body: JSON.stringify({ from: "+14155550123", text }),
  });
  return (await r.json()).id;
}

Deno.test({
  name: "@rc-ex/ws subscribes and receives an inbound SMS from deno task emulator, unchanged",
  sanitizeOps: false, // the SDK leaves its own timers behind after revoke()
  sanitizeResources: false,
  fn: async () => {
    await using emu = await startEmulator(["--port", "0", "--quiet"]);
    const env = emu.env;
    const rc = new RingCentralExtensible({
      server: env.RC_SERVER_URL,
      clientId: env.RC_CLIENT_ID,
      clientSecret: env.RC_CLIENT_SECRET,
    });
    await rc.authorize({ jwt: env.RC_JWT });
    const ws = new WebSocketExtension();
    await rc.installExtension(ws);
    const event = firstEvent<{ subscriptionId: string; body: { id: number; subject: string } }>(async (cb) => {
      const sub = await ws.subscribe([INSTANT], cb as (e: unknown) => void);
      match(sub.subscriptionInfo!.id!, /^[0-9a-f-]{36}$/);
      await inboundSms(env.RC_SERVER_URL, "to the official SDK");
    });
    const got = await event;
    equal(got.body.subject, "to the official SDK");
    await ws.revoke();
    await rc.revoke();
  },
});

Deno.test({
  name: "@ringcentral/subscriptions receives an inbound SMS from deno task emulator, unchanged",
  sanitizeOps: false,
  sanitizeResources: false,
  fn: async () => {
    await using emu = await startEmulator(["--port", "0", "--quiet"]);
    const env = emu.env;
    const sdk = new SDK({ server: env.RC_SERVER_URL, clientId: env.RC_CLIENT_ID, clientSecret: env.RC_CLIENT_SECRET });
    await sdk.platform().login({ jwt: env.RC_JWT });
    const subscriptions = new Subscriptions({ sdk });
    const subscription = subscriptions.createSubscription();
    let registered: Awaited<ReturnType<typeof subscription.register>> | undefined;
    const got = await firstEvent<{ body: { subject: string } }>(async (cb) => {
      subscription.on(subscription.events.notification, cb);
      registered = await subscription.setEventFilters([INSTANT]).register();
      await inboundSms(env.RC_SERVER_URL, "to the other SDK");
    });
    equal(got.body.subject, "to the other SDK");
    await registered?.revoke();
    await sdk.platform().logout();
  },
});
