/**
 * Calls in the emulator, on its clock: an injected inbound call and a
 * RingOut move through RingCentral's statuses, one telephony-session event
 * per party change, in order, with the presence events they cause; call
 * control on a live session; every answer validated against the spec (a
 * served emulator), every event against the spec's event schemas.
 */
import { deepEqual, equal, match, ok } from "node:assert/strict";
import { type ApiError, type EventNotification, RingCentral } from "../../mod.ts";
import { loadSchemas } from "../../lib/api/catalog.ts";
import { SchemaValidator } from "../../scripts/spec/validator.ts";
import { emulatorJwt, extensionIdOf } from "../../lib/emulator/seed.ts";
import { advance, serveEmulator } from "../_helpers.ts";

const ME = "/restapi/v1.0/account/~/extension/~";
const SESSIONS = "/restapi/v1.0/account/~/telephony/sessions";
const TELEPHONY = `${ME}/telephony/sessions`;
const PRESENCE = `${ME}/presence?detailedTelephonyState=true`;
const { schemas } = await loadSchemas();
const validator = new SchemaValidator(schemas);
const sessionEvent = validator.compile({ $ref: "#/components/schemas/TelephonySessionsEventBody" });
const presenceEvent = validator.compile({ $ref: "#/components/schemas/DetailedExtensionPresenceEventBody" });
/** An emulator whose clock moves only when told (`advance()`): a call never moves on by itself mid-test. */
const frozen = () => {
  const t0 = Date.now();
  return serveEmulator({ now: () => t0 });
};

/** Events as they arrive, and a bounded wait for the `n`th. */
function collector() {
  const events: EventNotification[] = [];
  let wake = () => {};
  return {
    events,
    onEvent: (e: EventNotification) => {
      events.push(e);
      wake();
    },
    async until(n: number, what = `${n} events`) {
      const deadline = Date.now() + 5000;
      while (events.length < n) {
        if (Date.now() > deadline) throw new Error(`waited 5 s for ${what}; got ${events.length}`);
        await new Promise<void>((r) => {
          const t = setTimeout(r, 100);
          wake = () => (clearTimeout(t), r());
        });
      }
    },
  };
}

type SessionBody = {
  sequence: number;
  telephonySessionId: string;
  parties: { id: string; direction: string; status: { code: string; reason?: string }; missedCall: boolean }[];
};
type PresenceBody = { telephonyStatus: string; sequence: number; activeCalls: { terminationType?: string }[] };

/** `code party-number` of each telephony event, e.g. `Proceeding 2`. */
function steps(events: EventNotification[]): string[] {
  return events.filter((e) => e.event.includes("/telephony/sessions")).map((e) => {
    const p = (e.body as SessionBody).parties[0];
    return `${p.status.code} ${p.id.split("-").at(-1)}${p.status.reason ? ` ${p.status.reason}` : ""}`;
  });
}

function presences(events: EventNotification[]): string[] {
  return events.filter((e) => e.event.includes("/presence")).map((e) => (e.body as PresenceBody).telephonyStatus);
}

Deno.test("an injected inbound call rings, is answered, talks, ends: its events in order, then the call log", async () => {
  await using s = frozen();
  const rc = new RingCentral(s.credentials);
  const seen = collector();
  await using _sub = await rc.subscribe([TELEPHONY, PRESENCE], seen.onEvent);
  const injected = await (await rc.request("POST", "/__emulator/inbound-call", {
    body: { from: "+14155550123", answerAfterSeconds: 3, durationSeconds: 30, record: true },
  })).json();
  match(injected.telephonySessionId, /^s-[0-9a-f]{32}$/);
  equal(injected.to, "+16505550101"); // the Bearer user's direct number
  await seen.until(4, "the ringing");
  deepEqual(steps(seen.events), ["Setup 1", "Setup 2", "Proceeding 2"]);
  deepEqual(presences(seen.events), ["Ringing"]);
  const session = await (await rc.get(`${SESSIONS}/${injected.telephonySessionId}`)).json();
  deepEqual(session.parties?.map((p) => p.status?.code), ["Setup", "Proceeding"]);
  await advance(s.url, 3);
  await seen.until(7, "the answer");
  await advance(s.url, 30);
  await seen.until(10, "the end");
  deepEqual(steps(seen.events), [
    "Setup 1",
    "Setup 2",
    "Proceeding 2",
    "Answered 2",
    "Answered 1",
    "Disconnected 2",
    "Disconnected 1",
  ]);
  deepEqual(presences(seen.events), ["Ringing", "CallConnected", "NoCall"]);
  const telephony = seen.events.filter((e) => e.event.includes("/telephony/")).map((e) => e.body as SessionBody);
  deepEqual(telephony.map((b) => b.sequence), [1, 2, 3, 4, 5, 6, 7]);
  for (const body of telephony) deepEqual(sessionEvent(body), []);
  const presence = seen.events.filter((e) => e.event.includes("/presence")).map((e) => e.body as PresenceBody);
  for (const body of presence) deepEqual(presenceEvent(body), []);
  equal(presence.at(-1)!.activeCalls[0].terminationType, "final");
  deepEqual(presence.map((b) => b.sequence), [1, 2, 3]);

  const log =
    await (await rc.get(`${ME}/call-log`, { view: "Detailed", telephonySessionId: injected.telephonySessionId }))
      .json();
  equal(log.records.length, 1);
  const [record] = log.records;
  deepEqual([record.direction, record.result, record.from?.phoneNumber, record.duration], [
    "Inbound",
    "Accepted",
    "+14155550123",
    33,
  ]);
  equal(record.recording?.type, "Automatic");
  equal(record.legs?.[0].legType, "Accept");
  const recording = await (await rc.get(`/restapi/v1.0/account/~/recording/${record.recording!.id}`)).json();
  deepEqual([recording.duration, recording.contentType], [30, "audio/wav"]);
  equal(recording.contentUri, `${s.mediaUrl}/restapi/v1.0/account/809646016/recording/${record.recording!.id}/content`);
});

Deno.test("a call nobody answers is missed after 30 s; a rejected one ends at once; both are in the call log", async () => {
  await using s = frozen();
  const rc = new RingCentral(s.credentials);
  const seen = collector();
  await using _sub = await rc.subscribe([`${TELEPHONY}?direction=Inbound`], seen.onEvent);
  const missed = await (await rc.request("POST", "/__emulator/inbound-call", { body: { from: "+14155550188" } }))
    .json();
  await advance(s.url, 29);
  await rc.get(`${SESSIONS}/${missed.telephonySessionId}`); // still ringing
  await advance(s.url, 1);
  await seen.until(3);
  deepEqual(steps(seen.events), ["Setup 2", "Proceeding 2", "Disconnected 2 NoAnswer"]); // inbound parties only
  equal((seen.events[2].body as SessionBody).parties[0].missedCall, true);
  const gone: ApiError = await rc.get(`${SESSIONS}/${missed.telephonySessionId}`).catch((e) => e);
  deepEqual([gone.status, gone.errorCode], [404, "CMN-102"]);

  const rejected = await (await rc.request("POST", "/__emulator/inbound-call", { body: { from: "+12125550147" } }))
    .json();
  const r = await rc.request("POST", `${SESSIONS}/${rejected.telephonySessionId}/parties/${rejected.partyId}/reject`);
  equal(r.status, 204);
  const log = await (await rc.get(`${ME}/call-log`, { direction: ["Inbound"], perPage: 2 })).json();
  deepEqual(log.records.map((x) => [x.from?.phoneNumber, x.result]), [
    ["+12125550147", "Rejected"],
    ["+14155550188", "Missed"],
  ]);
});

Deno.test("call control: answer, hold, unhold, transfer to another extension, hang up; a wrong state is 409 TAS-102", async () => {
  await using s = frozen();
  const rc = new RingCentral(s.credentials);
  const seen = collector();
  await using _sub = await rc.subscribe([SESSIONS], seen.onEvent); // the account's: every party
  const call = await (await rc.request("POST", "/__emulator/inbound-call", { body: { from: "+14155550123" } })).json();
  const party = `${SESSIONS}/${call.telephonySessionId}/parties/${call.partyId}`;
  const post = (path: string, body?: unknown) => rc.request("POST", path, { body });
  const early: ApiError = await post(`${party}/hold`).catch((e) => e);
  deepEqual([early.status, early.errorCode], [409, "TAS-102"]);
  match(early.detail!, /is Proceeding; hold needs it Answered/);
  equal((await (await post(`${party}/answer`, {})).json()).status?.code, "Answered");
  equal((await (await post(`${party}/hold`, {})).json()).status?.code, "Hold");
  const presence = await (await rc.get(`${ME}/presence`)).json();
  deepEqual([presence.telephonyStatus, presence.presenceStatus], ["OnHold", "Busy"]);
  equal((await (await post(`${party}/unhold`)).json()).status?.code, "Answered");
  const again: ApiError = await post(`${party}/answer`, {}).catch((e) => e);
  equal(again.status, 409);
  const moved = await (await post(`${party}/transfer`, { extensionNumber: "102" })).json();
  deepEqual([moved.status?.code, moved.status?.reason], ["Disconnected", "BlindTransfer"]);
  const session = await (await rc.get(`${SESSIONS}/${call.telephonySessionId}`)).json();
  const bob = session.parties!.at(-1)!;
  deepEqual([bob.extensionId, bob.status?.code], [String(extensionIdOf(102)), "Proceeding"]);
  await advance(s.url, 3); // Bob answers
  const bobs = new RingCentral({ ...s.credentials, jwt: emulatorJwt(extensionIdOf(102)) });
  equal((await (await bobs.get(`${ME}/presence`)).json()).telephonyStatus, "CallConnected");
  const active = await (await bobs.get(`${ME}/active-calls`)).json();
  deepEqual(active.records.map((r) => [r.result, r.from?.phoneNumber]), [["In Progress", "+14155550123"]]);
  equal((await rc.delete(`${SESSIONS}/${call.telephonySessionId}`)).status, 204);
  await seen.until(13);
  deepEqual(steps(seen.events), [
    "Setup 1",
    "Setup 2",
    "Proceeding 2",
    "Answered 2",
    "Answered 1",
    "Hold 2",
    "Answered 2",
    "Disconnected 2 BlindTransfer",
    "Setup 3",
    "Proceeding 3",
    "Answered 3",
    "Disconnected 3",
    "Disconnected 1",
  ]);
  const mine = await (await rc.get(`${ME}/call-log`, { view: "Detailed", perPage: 1 })).json();
  deepEqual(mine.records[0].legs?.map((l) => l.legType), ["Accept", "TransferCall"]);
  const his = await (await bobs.get(`${ME}/call-log`, { perPage: 1 })).json();
  deepEqual([his.records[0].result, his.records[0].telephonySessionId], ["Accepted", call.telephonySessionId]);
  const unknown: ApiError = await post(`${SESSIONS}/s-nope/parties/p-nope-2/answer`).catch((e) => e);
  deepEqual([unknown.status, unknown.errorCode], [404, "CMN-102"]);
});

Deno.test("a recording stops when its party transfers the call away: its length is that party's talk", async () => {
  await using s = frozen();
  const rc = new RingCentral(s.credentials);
  const call = await (await rc.request("POST", "/__emulator/inbound-call", {
    body: { from: "+14155550123", answerAfterSeconds: 3, record: true },
  })).json();
  await advance(s.url, 3); // Alice answers: the recording starts
  await advance(s.url, 9);
  const party = `${SESSIONS}/${call.telephonySessionId}/parties/${call.partyId}`;
  const left = await (await rc.request("POST", `${party}/transfer`, { body: { extensionNumber: "102" } })).json();
  deepEqual(left.recordings, [{ id: left.recordings![0].id, active: false }]);
  await advance(s.url, 3 + 60); // Bob answers, talks 60 s, the caller hangs up
  const [record] = (await (await rc.get(`${ME}/call-log`, { telephonySessionId: call.telephonySessionId })).json())
    .records;
  equal(record.duration, 12); // rang 3 s, talked 9 s
  const recording = await (await rc.get(`/restapi/v1.0/account/~/recording/${record.recording!.id}`)).json();
  equal(recording.duration, 9, "Alice's 9 s of talk, not the whole call");
  const content = await (await rc.get(recording.contentUri)).bytes();
  equal(content.length - 44, 9 * 8000);
});

Deno.test("call control on a ringing call: forward to a colleague, ignore; the actions not played are a clear 501", async () => {
  await using s = frozen();
  const rc = new RingCentral(s.credentials);
  const seen = collector();
  await using _sub = await rc.subscribe([SESSIONS], seen.onEvent);
  const post = (path: string, body?: unknown) => rc.request("POST", path, { body });
  const inject = async () =>
    await (await post("/__emulator/inbound-call", { from: "+14155550123", answerAfterSeconds: null })).json();

  // Forward: Alice's ringing party leaves unanswered; Bob's rings and answers; the caller is connected to Bob.
  const call = await inject();
  const party = `${SESSIONS}/${call.telephonySessionId}/parties/${call.partyId}`;
  const forwarded = await (await post(`${party}/forward`, { extensionNumber: "102" })).json();
  deepEqual([forwarded.status?.code, forwarded.status?.reason], ["Disconnected", "CallRedirected"]);
  equal(forwarded.id, call.partyId); // the party, not a sample's "string"
  const ringing = await (await rc.get(`${SESSIONS}/${call.telephonySessionId}`)).json();
  deepEqual(ringing.parties?.map((p) => [p.status?.code, p.extensionId]), [
    ["Setup", undefined],
    ["Disconnected", String(extensionIdOf(101))],
    ["Proceeding", String(extensionIdOf(102))],
  ]);
  await advance(s.url, 3); // Bob answers
  const talking = await (await rc.get(`${SESSIONS}/${call.telephonySessionId}`)).json();
  deepEqual(talking.parties?.map((p) => p.status?.code), ["Answered", "Disconnected", "Answered"]);
  const twice: ApiError = await post(`${party}/forward`, { phoneNumber: "+12125550147" }).catch((e) => e);
  deepEqual([twice.status, twice.errorCode], [409, "TAS-102"]);
  const bobParty = `${SESSIONS}/${call.telephonySessionId}/parties/${talking.parties![2].id}`;
  const answered: ApiError = await post(`${bobParty}/forward`, { phoneNumber: "+12125550147" }).catch((e) => e);
  deepEqual([answered.status, answered.errorCode], [409, "TAS-102"]);
  match(answered.detail!, /is Answered; forward needs it Setup or Proceeding/);
  const toVoicemail: ApiError = await post(`${bobParty}/forward`, { voicemail: "1" }).catch((e) => e);
  deepEqual([toVoicemail.status, toVoicemail.errorCode], [400, "CMN-101"]);
  match(toVoicemail.detail!, /forwards to a phoneNumber, an extensionNumber or an extensionId, not to voicemail/);
  equal((await rc.delete(`${SESSIONS}/${call.telephonySessionId}`)).status, 204);
  const mine = await (await rc.get(`${ME}/call-log`, { view: "Detailed", perPage: 1 })).json();
  deepEqual([mine.records[0].result, mine.records[0].legs?.map((l) => l.legType)], ["Accepted", [
    "Accept",
    "FollowMe",
  ]]);
  const bobs = new RingCentral({ ...s.credentials, jwt: emulatorJwt(extensionIdOf(102)) });
  equal((await (await bobs.get(`${ME}/call-log`, { perPage: 1 })).json()).records[0].result, "Accepted");

  // Ignore: the party stops ringing for Alice; nobody else rings, so the call is missed and ends.
  const other = await inject();
  const otherParty = `${SESSIONS}/${other.telephonySessionId}/parties/${other.partyId}`;
  const noDevice: ApiError = await post(`${otherParty}/ignore`, {}).catch((e) => e);
  deepEqual([noDevice.status, noDevice.errorCode], [400, "CMN-101"]);
  match(noDevice.detail!, /deviceId.*is required/);
  equal((await post(`${otherParty}/ignore`, { deviceId: "1" })).status, 204);
  const gone: ApiError = await rc.get(`${SESSIONS}/${other.telephonySessionId}`).catch((e) => e);
  equal(gone.status, 404);
  const missed = await (await rc.get(`${ME}/call-log`, { telephonySessionId: other.telephonySessionId })).json();
  deepEqual(missed.records.map((r) => r.result), ["Missed"]);
  await seen.until(15);
  const ignored = seen.events.map((e) => e.body as SessionBody)
    .filter((b) => b.telephonySessionId === other.telephonySessionId)
    .map((b) => [b.parties[0].status.code, b.parties[0].status.reason, b.parties[0].missedCall].join(" "));
  deepEqual(ignored.slice(-2), ["Disconnected NoAnswer true", "Disconnected  false"]);

  // The actions the emulator does not play: on a live session, a 501 that says what to use instead.
  const live = await inject();
  const liveParty = `${SESSIONS}/${live.telephonySessionId}/parties/${live.partyId}`;
  const cases: [string, unknown, RegExp][] = [
    [`${liveParty}/reply`, { replyWithText: "Busy" }, /reply .* use reject, forward or ignore/],
    [`${liveParty}/flip`, { callFlipId: "1" }, /flip .* use transfer/],
    [`${liveParty}/park`, undefined, /park .* use hold, or transfer/],
    [`${liveParty}/pickup`, { deviceId: "1" }, /pickup/],
    [`${liveParty}/bridge`, { telephonySessionId: "s-1", partyId: "p-1" }, /bridge/],
    [`${liveParty}/supervise`, { mode: "Listen", supervisedPartyId: "p", deviceId: "1" }, /supervise/],
    [`${SESSIONS}/${live.telephonySessionId}/supervise`, { mode: "Listen", supervisedPartyId: "p" }, /supervise/],
    [`${SESSIONS}/${live.telephonySessionId}/parties/bring-in`, { phoneNumber: "+12125550147" }, /bring-in/],
  ];
  for (const [path, body, message] of cases) {
    const e: ApiError = await post(path, body).catch((e) => e);
    deepEqual([e.status, e.errorCode], [501, "EMU-501"], path);
    match(e.detail!, message);
    match(e.detail!, /not emulated on a live session .*The emulator plays answer, hold, unhold, transfer, forward/);
  }
  const still = await (await rc.get(`${SESSIONS}/${live.telephonySessionId}`)).json();
  deepEqual(still.parties?.map((p) => p.status?.code), ["Setup", "Proceeding"]); // nothing changed
  // A session the emulator does not know: the spec's sample, as for any operation it does not emulate.
  const sampled = await post(`${SESSIONS}/s-unknown/parties/p-unknown-1/park`);
  deepEqual([sampled.status, sampled.headers.get("x-emulator-sample")], [201, "true"]);
  await sampled.body?.cancel();
});

Deno.test("RingOut: InProgress, the caller's leg, the callee's, Success, Finished; busy, unanswered; a cancel", async () => {
  await using s = frozen();
  const rc = new RingCentral(s.credentials);
  const seen = collector();
  await using _sub = await rc.subscribe([TELEPHONY], seen.onEvent);
  const RINGOUT = `${ME}/ring-out`;
  const placed = await (await rc.post(RINGOUT, {
    from: { phoneNumber: "+16505550101" },
    to: { phoneNumber: "+14155550123" },
    playPrompt: false,
  })).json();
  deepEqual(placed.status, { callStatus: "InProgress", callerStatus: "InProgress", calleeStatus: "InProgress" });
  const status = async () => (await (await rc.get(`${RINGOUT}/${placed.id}`)).json()).status;
  await advance(s.url, 3);
  deepEqual(await status(), { callStatus: "InProgress", callerStatus: "Success", calleeStatus: "InProgress" });
  await advance(s.url, 3);
  deepEqual(await status(), { callStatus: "Success", callerStatus: "Success", calleeStatus: "Success" });
  await advance(s.url, 20);
  deepEqual(await status(), { callStatus: "Success", callerStatus: "Finished", calleeStatus: "Finished" });
  await seen.until(6);
  deepEqual(steps(seen.events), [
    "Proceeding 1",
    "Answered 1",
    "Proceeding 2",
    "Answered 2",
    "Disconnected 2",
    "Disconnected 1",
  ]);
  equal((seen.events[0].body as { origin: { type: string } }).origin.type, "RingOut");
  const log = await (await rc.get(`${ME}/call-log`, { perPage: 1, view: "Detailed" })).json();
  deepEqual(
    [log.records[0].action, log.records[0].direction, log.records[0].result, log.records[0].to?.phoneNumber],
    ["RingOut Web", "Outbound", "Call connected", "+14155550123"],
  );
  deepEqual(log.records[0].legs?.map((l) => l.legType), ["RingOutWebToSubscriber", "RingOutWebToCaller"]);
  await advance(s.url, 61);
  const expired: ApiError = await rc.get(`${RINGOUT}/${placed.id}`).catch((e) => e);
  deepEqual([expired.status, expired.errorCode], [404, "CMN-102"]);

  const busy = await (await rc.post(RINGOUT, {
    from: { phoneNumber: "16505550101" },
    to: { phoneNumber: "+15550001234" },
  })).json();
  await advance(s.url, 5);
  deepEqual((await (await rc.get(`${RINGOUT}/${busy.id}`)).json()).status, {
    callStatus: "Busy",
    callerStatus: "Finished",
    calleeStatus: "Busy",
  });
  // A number starting +1555001 rings 30 s and nobody answers: NoAnswer, "No Answer" in the call log.
  const unanswered = await (await rc.post(RINGOUT, {
    from: { phoneNumber: "+16505550101" },
    to: { phoneNumber: "+15550011234" },
  })).json();
  await advance(s.url, 3 + 29);
  deepEqual((await (await rc.get(`${RINGOUT}/${unanswered.id}`)).json()).status, {
    callStatus: "InProgress",
    callerStatus: "Success",
    calleeStatus: "InProgress",
  });
  await advance(s.url, 1);
  deepEqual((await (await rc.get(`${RINGOUT}/${unanswered.id}`)).json()).status, {
    callStatus: "NoAnswer",
    callerStatus: "Finished",
    calleeStatus: "NoAnswer",
  });
  const noAnswer = await (await rc.get(`${ME}/call-log`, { perPage: 1 })).json();
  deepEqual([noAnswer.records[0].result, noAnswer.records[0].to?.phoneNumber], ["No Answer", "+15550011234"]);
  const cancelled = await (await rc.post(RINGOUT, {
    from: { phoneNumber: "+16505550101" },
    to: { phoneNumber: "+14155550123" },
  })).json();
  equal((await rc.delete(`${RINGOUT}/${cancelled.id}`)).status, 204);
  const after: ApiError = await rc.get(`${RINGOUT}/${cancelled.id}`).catch((e) => e);
  equal(after.status, 404);
  const results = await (await rc.get(`${ME}/call-log`, { perPage: 3 })).json();
  deepEqual(results.records.map((r) => r.result), ["Hang Up", "No Answer", "Busy"]);
  // The guide's older spelling works too.
  const old = await (await rc.request("POST", `${ME}/ringout`, {
    body: { from: { phoneNumber: "+16505550101" }, to: { phoneNumber: "102" } },
  })).json();
  equal((await (await rc.request("GET", `${ME}/ringout/${old.id}`)).json()).status.callStatus, "InProgress");
  const bad: ApiError = await rc.post(RINGOUT, { from: { phoneNumber: "nope" }, to: { phoneNumber: "+1" } })
    .catch((e) => e);
  deepEqual([bad.status, bad.errorCode, (bad.body as { parameterName: string }).parameterName], [
    400,
    "CMN-101",
    "from.phoneNumber",
  ]);
});

Deno.test("presence: set by PUT (an event), read by anyone in the account; checked values", async () => {
  await using s = frozen();
  const rc = new RingCentral(s.credentials);
  const seen = collector();
  await using _sub = await rc.subscribe([`${ME}/presence`], seen.onEvent);
  const set = await (await rc.request("PUT", `${ME}/presence`, {
    body: { userStatus: "Busy", dndStatus: "DoNotAcceptAnyCalls", message: "In a meeting" },
  })).json();
  deepEqual([set.userStatus, set.presenceStatus, set.message], ["Busy", "Busy", "In a meeting"]);
  await seen.until(1);
  const body = seen.events[0].body as { userStatus: string; extensionId: string; activeCalls?: unknown };
  deepEqual([body.userStatus, body.extensionId, body.activeCalls], ["Busy", String(extensionIdOf(101)), undefined]);
  const bobs = new RingCentral({ ...s.credentials, jwt: emulatorJwt(extensionIdOf(102)) });
  const alice = await (await bobs.get(`/restapi/v1.0/account/~/extension/${extensionIdOf(101)}/presence`)).json();
  equal(alice.dndStatus, "DoNotAcceptAnyCalls");
  const notHers: ApiError = await bobs.request(
    "PUT",
    `/restapi/v1.0/account/~/extension/${extensionIdOf(101)}/presence`,
    {
      body: { userStatus: "Available" },
    },
  ).catch((e) => e);
  equal(notHers.status, 403);
  const bad: ApiError = await rc.request("PUT", `${ME}/presence`, { body: { userStatus: "Asleep" } }).catch((e) => e);
  deepEqual([bad.status, bad.errorCode], [400, "CMN-101"]);
  const dept = await (await rc.get(`/restapi/v1.0/account/~/extension/${extensionIdOf(201)}/presence`)).json();
  equal(dept.presenceStatus, "Offline");
});

Deno.test("webhooks hear a call's telephony events in the order they happened", async () => {
  await using s = frozen();
  const rc = new RingCentral(s.credentials);
  const received: { body: SessionBody }[] = [];
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, async (req) => {
    const token = req.headers.get("validation-token");
    if (token) return new Response(null, { headers: { "Validation-Token": token } });
    received.push(await req.json());
    await new Promise((r) => setTimeout(r, Math.random() * 5)); // answers that take uneven times
    return new Response(null);
  });
  try {
    await rc.post("/restapi/v1.0/subscription", {
      eventFilters: [TELEPHONY],
      deliveryMode: { transportType: "WebHook", address: `http://127.0.0.1:${server.addr.port}/hook` },
    });
    await rc.request("POST", "/__emulator/inbound-call", {
      body: { from: "+14155550123", answerAfterSeconds: 0, durationSeconds: 1 },
    });
    await advance(s.url, 1);
    const deadline = Date.now() + 5000;
    while (received.length < 7 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    deepEqual(received.map((n) => n.body.sequence), [1, 2, 3, 4, 5, 6, 7]);
  } finally {
    await server.shutdown();
  }
});

Deno.test("the control API checks what it is sent, and says how to fix it", async () => {
  await using s = frozen();
  const rc = new RingCentral(s.credentials);
  const cases: [unknown, RegExp][] = [
    [{}, /from is the caller's E\.164 number/],
    [{ from: "+14155550123", to: "+19995550000" }, /to is one of the account's numbers/],
    [{ from: "+14155550123", answerAfterSeconds: -1 }, /answerAfterSeconds is a number of seconds from 0 to 3600/],
    [{ from: "+14155550123", record: "yes" }, /record is true or false/],
    [{ from: "+14155550123", answerAfter: 3 }, /Unknown field answerAfter/],
    // Nobody calls themselves: to defaults to the token's user's number; another of the same extension's too.
    [{ from: "+16505550101" }, /both numbers of Alice Admin \(\+16505550101\): an extension does not call itself/],
    [{ from: "+16505550102", to: "+16505550102" }, /both numbers of Bob Baker/],
    [{ from: "+18005550111" }, /both numbers of Alice Admin \(\+18005550111 and \+16505550101\)/],
  ];
  for (const [body, message] of cases) {
    const e: ApiError = await rc.request("POST", "/__emulator/inbound-call", { body }).catch((e) => e);
    equal(e.status, 400, JSON.stringify(body));
    match(e.detail!, message);
  }
  const ok201 = await rc.request("POST", "/__emulator/inbound-call", {
    body: { from: "+14155550123", to: "+16505550102", answerAfterSeconds: null },
  });
  equal(ok201.status, 201);
  ok((await ok201.json()).partyId.endsWith("-2"));
});
