/**
 * App permissions: the built-in apps have the ones docs/real-account.md
 * asks for; a call that needs another gets RingCentral's 403 CMN-401, with a
 * hint naming what to add in the Developer Console. `permissions` (and
 * `deno task emulator --permissions`) choose them.
 */
import { deepEqual, equal, match } from "node:assert/strict";
import { type ApiError, RingCentral } from "../../mod.ts";
import { DEFAULT_PERMISSIONS } from "../../lib/emulator/permissions.ts";
import { inProcess, runDeno, startEmulator } from "../_helpers.ts";

const EXT = "/restapi/v1.0/account/~/extension/~";

Deno.test("the built-in apps have the permissions docs/real-account.md asks for; others are a 403 CMN-401", async () => {
  await using emu = inProcess();
  const rc = new RingCentral(emu.credentials);
  deepEqual(emu.emulator.state.apps.map((a) => a.permissions), emu.emulator.state.apps.map(() => DEFAULT_PERMISSIONS));
  await rc.authenticate();
  const status = await rc.tokenStatus();
  equal(
    status?.scope,
    "ReadAccounts SMS Faxes ReadMessages EditMessages WebSocket ReadCallLog ReadCallRecording RingOut CallControl " +
      "ReadPresence EditPresence TeamMessaging",
  );
  equal((await rc.get(EXT)).status, 200);
  equal((await rc.get(`${EXT}/call-log`)).status, 200);
  const e: ApiError = await rc.get(`${EXT}/address-book/contact`).catch((e) => e);
  deepEqual([e.status, e.errorCode], [403, "CMN-401"]);
  equal(e.detail, "In order to call this API endpoint, application needs to have [ReadContacts] permission");
  equal((e.body as { permissionName: string }).permissionName, "ReadContacts");
  match(e.hint!, /add "Read Contacts" \(ReadContacts\) to the app's permissions in the RingCentral Developer Console/);
});

Deno.test("permissions choose what the apps may call, stateful routes included", async () => {
  await using emu = inProcess({ permissions: ["ReadAccounts", "ReadCallLog"] });
  const rc = new RingCentral(emu.credentials);
  equal((await rc.get(`${EXT}/call-log`)).status, 200);
  const sms: ApiError = await rc.post(`${EXT}/sms`, {
    from: { phoneNumber: "+16505550101" },
    to: [{ phoneNumber: "+16505550199" }],
    text: "Hi",
  }).catch((e) => e);
  deepEqual([sms.status, sms.errorCode, sms.detail], [
    403,
    "CMN-401",
    "In order to call this API endpoint, application needs to have [SMS] permission",
  ]);
  equal(emu.emulator.state.stats.messages, 0);
  // Events need the permission of their API: the message store's, ReadMessages.
  const sub: ApiError = await rc.post("/restapi/v1.0/subscription", {
    eventFilters: [`${EXT}/message-store`],
    deliveryMode: { transportType: "WebHook", address: "http://127.0.0.1:9/hook" },
  }).catch((e) => e);
  deepEqual([sub.status, sub.errorCode, (sub.body as { permissionName: string }).permissionName], [
    403,
    "CMN-401",
    "ReadMessages",
  ]);
  // Without WebSocket, the wstoken endpoint answers as RingCentral does there: SUB-528.
  const ws: ApiError = await rc.post("/restapi/oauth/wstoken").catch((e) => e);
  deepEqual([ws.status, ws.errorCode], [403, "SUB-528"]);
});

Deno.test("deno task emulator --permissions: names checked against the spec's, all of them with all", async () => {
  const bad = await runDeno(["run", "--allow-net=127.0.0.1", "lib/emulator/cli.ts", "--permissions", "ReadCallLogs"]);
  equal(bad.code, 2);
  match(bad.stderr, /--permissions: no operation of the spec needs ReadCallLogs; the spec's are .*ReadCallLog,/);
  await using emu = await startEmulator(["--port", "0", "--quiet", "--permissions", "ReadAccounts,ReadCallLog"]);
  const rc = new RingCentral({
    server: emu.env.RC_SERVER_URL,
    clientId: emu.env.RC_CLIENT_ID,
    clientSecret: emu.env.RC_CLIENT_SECRET,
    jwt: emu.env.RC_JWT,
  });
  equal((await rc.get(`${EXT}/call-log`)).status, 200);
  equal((await rc.tokenStatus())?.scope, "ReadAccounts ReadCallLog");
  const e: ApiError = await rc.get(`${EXT}/message-store`).catch((e) => e);
  deepEqual([e.status, e.errorCode], [403, "CMN-401"]);
  await using all = await startEmulator(["--port", "0", "--quiet", "--permissions", "all"]);
  const everything = new RingCentral({
    server: all.env.RC_SERVER_URL,
    clientId: all.env.RC_CLIENT_ID,
    clientSecret: all.env.RC_CLIENT_SECRET,
    jwt: all.env.RC_JWT,
  });
  equal((await everything.get("/team-messaging/v1/chats")).status, 200);
  match((await everything.tokenStatus())?.scope ?? "", /^A2PSMS AI Analytics CallControl .* WebSocket$/);
});
