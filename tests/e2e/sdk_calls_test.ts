/**
 * RingCentral's official SDKs, unchanged, against `deno task emulator` (the
 * real program, in a subprocess) for calls: `@ringcentral/sdk` and
 * `@rc-ex/core` place a RingOut and follow it, read the call log and
 * download a recording by its URI (the absolute `contentUri` on the media
 * origin, and the path rc-ex builds on the platform); `@rc-ex/ws` receives
 * the telephony-session events of an injected inbound call, in order.
 */
import { deepEqual, equal, match, ok } from "node:assert/strict";
import { SDK } from "@ringcentral/sdk";
import RingCentralExtensible from "@rc-ex/core";
import WsModule from "@rc-ex/ws";
import { startEmulator } from "../_helpers.ts";

/** The package's types describe its default export as the module (CommonJS typings); at run time it is the class. */
const WebSocketExtension = WsModule as unknown as typeof WsModule.default;

const MONTH_AGO = () => new Date(Date.now() - 30 * 86_400_000).toISOString();

/** The emulator's control API. */
async function control(url: string, path: string, body: unknown): Promise<Record<string, string>> {
  const r = await fetch(`${url}/__emulator/${path}`, { method: "POST", body: JSON.stringify(body) });
  if (!r.ok) throw new Error(`${path}: ${r.status} ${await r.text()}`);
  return await r.json();
}

/** A call that is answered at once, talks 40 s and is recorded; it ends when the clock moves on. */
async function recordedCall(url: string): Promise<void> {
  await control(url, "inbound-call", {
    from: "+14155550123",
    answerAfterSeconds: 0,
    durationSeconds: 40,
    record: true,
  });
  await control(url, "clock", { advanceSeconds: 41 });
}

Deno.test("@ringcentral/sdk: a RingOut followed to Success, the call log, a recording downloaded by its contentUri", async () => {
  await using emu = await startEmulator(["--port", "0", "--quiet"]);
  const env = emu.env;
  const sdk = new SDK({ server: env.RC_SERVER_URL, clientId: env.RC_CLIENT_ID, clientSecret: env.RC_CLIENT_SECRET });
  const platform = sdk.platform();
  await platform.login({ jwt: env.RC_JWT });
  const placed = await (await platform.post("/restapi/v1.0/account/~/extension/~/ring-out", {
    from: { phoneNumber: "+16505550101" },
    to: { phoneNumber: "+14155550123" },
    playPrompt: false,
  })).json();
  equal(placed.status.callStatus, "InProgress");
  await control(env.RC_SERVER_URL, "clock", { advanceSeconds: 6 });
  const status = await (await platform.get(`/restapi/v1.0/account/~/extension/~/ring-out/${placed.id}`)).json();
  deepEqual(status.status, { callStatus: "Success", callerStatus: "Success", calleeStatus: "Success" });
  await control(env.RC_SERVER_URL, "clock", { advanceSeconds: 20 });

  await recordedCall(env.RC_SERVER_URL);
  const log = await (await platform.get("/restapi/v1.0/account/~/extension/~/call-log", { view: "Detailed" })).json();
  deepEqual(log.records.slice(0, 2).map((r: { result: string }) => r.result), ["Accepted", "Call connected"]);
  const company = await (await platform.get("/restapi/v1.0/account/~/call-log", { dateFrom: MONTH_AGO() })).json();
  equal(company.records.length, 100); // a full first page, and more (the call log has no totalElements)
  ok(company.navigation.nextPage?.uri);
  const { contentUri } = log.records[0].recording;
  match(contentUri, /^http:\/\/127\.0\.0\.1:\d+\/restapi\/v1\.0\/account\/\d+\/recording\/\d+\/content$/);
  ok(!contentUri.startsWith(env.RC_SERVER_URL), "the content is on the media origin");
  const response = await platform.get(contentUri); // the SDK sends its token to any absolute URL
  const bytes = new Uint8Array(await response.arrayBuffer());
  equal(response.headers.get("content-type"), "audio/wav");
  equal(Number(response.headers.get("content-length")), bytes.length);
  equal(new TextDecoder().decode(bytes.subarray(0, 4)), "RIFF");
  await platform.logout();
});

Deno.test("@rc-ex/core: the call log, and a recording by its contentUri and by the path the SDK builds", async () => {
  await using emu = await startEmulator(["--port", "0", "--quiet"]);
  const env = emu.env;
  const rc = new RingCentralExtensible({
    server: env.RC_SERVER_URL,
    clientId: env.RC_CLIENT_ID,
    clientSecret: env.RC_CLIENT_SECRET,
  });
  await rc.authorize({ jwt: env.RC_JWT });
  await recordedCall(env.RC_SERVER_URL);
  const log = await rc.restapi().account().extension().callLog().list({ recordingType: "All" });
  const recording = log.records![0].recording!;
  const byPath = await rc.restapi().account().recording(recording.id).content().get(); // to the platform origin
  const byUri = (await rc.get(recording.contentUri!, undefined, { responseType: "arraybuffer" })).data as ArrayBuffer;
  ok(byPath.byteLength > 44);
  equal(byUri.byteLength, byPath.byteLength);
  const meta = await rc.restapi().account().recording(recording.id).get();
  equal(meta.duration, 40);
  const sync = await rc.restapi().account().extension().callLogSync().get({ syncType: "FSync", recordCount: 2 });
  equal(sync.records!.length, 2);
  await rc.revoke();
});

Deno.test({
  name: "@rc-ex/ws receives the telephony-session events of an injected inbound call, in order",
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
    type Event = { body: { sequence: number; telephonySessionId: string; parties: { status: { code: string } }[] } };
    const events: Event[] = [];
    let arrived = () => {};
    await ws.subscribe(["/restapi/v1.0/account/~/extension/~/telephony/sessions"], (e) => {
      events.push(e as Event);
      arrived();
    });
    const until = async (n: number) => {
      const deadline = Date.now() + 5000;
      while (events.length < n) {
        if (Date.now() > deadline) throw new Error(`${events.length} of ${n} events in 5 s`);
        await new Promise<void>((r) => (arrived = r, setTimeout(r, 100)));
      }
    };
    const call = await control(env.RC_SERVER_URL, "inbound-call", {
      from: "+14155550123",
      answerAfterSeconds: 0,
      durationSeconds: 5,
    });
    await until(5);
    await control(env.RC_SERVER_URL, "clock", { advanceSeconds: 5 });
    await until(7);
    ok(events.every((e) => e.body.telephonySessionId === call.telephonySessionId));
    deepEqual(events.map((e) => e.body.sequence), [1, 2, 3, 4, 5, 6, 7]);
    deepEqual(events.map((e) => e.body.parties[0].status.code), [
      "Setup",
      "Setup",
      "Proceeding",
      "Answered",
      "Answered",
      "Disconnected",
      "Disconnected",
    ]);
    await ws.revoke();
    await rc.revoke();
  },
});
