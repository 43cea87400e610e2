/**
 * Trust 19: a workshop room's shared emulator. The control API needs the
 * instructor's key; each attendee joins as a user of their own, whose
 * messages and faults are theirs; webhooks go to the attendee's own machine
 * or are refused with the reason.
 */
import { deepEqual, equal, match, ok } from "node:assert/strict";
import { ApiError, MemoryTokenStore, RingCentral } from "../../mod.ts";
import { serveEmulator } from "../_helpers.ts";
import { basicAuth, JWT_GRANT } from "../../lib/grants.ts";
import { EMULATOR_PASSWORD, emulatorJwt, extensionIdOf, MAIN_NUMBER } from "../../lib/emulator/seed.ts";

const KEY = "instructor-key-for-tests";
const SMS = "/restapi/v1.0/account/~/extension/~/sms";

/** A room on loopback, and an attendee who joined it by name. */
async function join(url: string, name: string) {
  const r = await fetch(`${url}/__emulator/room/join`, {
    method: "POST",
    headers: { "Content-Type": "application/json", Accept: "application/json" },
    body: JSON.stringify({ name }),
  });
  equal(r.status, 201, await r.clone().text());
  const joined = await r.json();
  const rc = new RingCentral({
    server: url,
    clientId: "emulator-client-id",
    clientSecret: "emulator-client-secret",
    jwt: joined.jwt,
    tokenStore: new MemoryTokenStore(),
  });
  return { joined, rc };
}

Deno.test("trust 19: in a room, the control API needs the instructor's key", async () => {
  await using s = serveEmulator({ room: { key: KEY }, rateLimits: false });
  const before = s.emulator.state.stats.messages;
  const { rc } = await join(s.url, "Ada");
  await rc.post(SMS, {
    from: {
      phoneNumber: (await (await rc.get("/restapi/v1.0/account/~/extension/~/phone-number")).json()).records?.[0]
        .phoneNumber ?? "",
    },
    to: [{ phoneNumber: "+16505550199" }],
    text: "mine",
  });
  for (
    const [method, path] of [["POST", "/__emulator/reset"], ["POST", "/__emulator/clock"], ["GET", "/__emulator/stats"]]
  ) {
    const r = await fetch(`${s.url}${path}`, { method, body: method === "POST" ? "{}" : undefined });
    equal(r.status, 403, `${method} ${path}`);
    match((await r.json()).message, /needs the instructor's key \(X-Emulator-Key\)/);
  }
  equal(s.emulator.state.stats.messages, before + 1, "nobody reset the room");
  const keyed = await fetch(`${s.url}/__emulator/stats`, { headers: { "X-Emulator-Key": KEY } });
  equal(keyed.status, 200);
  await keyed.body?.cancel();
});

Deno.test("trust 19: each attendee is a user of their own; their messages and faults are theirs", async () => {
  await using s = serveEmulator({ room: { key: KEY }, rateLimits: false }, { validate: false });
  const ada = await join(s.url, "Ada Lovelace");
  const bob = await join(s.url, "Bob");
  const adaMe = await (await ada.rc.get("/restapi/v1.0/account/~/extension/~")).json();
  const bobMe = await (await bob.rc.get("/restapi/v1.0/account/~/extension/~")).json();
  equal(adaMe.name, "Ada Lovelace");
  ok(adaMe.id !== bobMe.id, "two users");
  const numberOf = async (rc: RingCentral) =>
    (await (await rc.get("/restapi/v1.0/account/~/extension/~/phone-number")).json()).records
      ?.find((n) => n.features?.includes("SmsSender"))?.phoneNumber ?? "";
  const adaNumber = await numberOf(ada.rc);
  // Ada queues a fault with her own token: it hits her SMS, never Bob's.
  const fault = await fetch(`${s.url}/__emulator/faults`, {
    method: "POST",
    headers: { Authorization: `Bearer ${(await ada.rc.tokenStore.load())!.tokens.access_token}` },
    body: JSON.stringify({ path: "/restapi/v1.0/account/~/extension/~/sms", method: "POST", status: 503, times: 5 }),
  });
  equal(fault.status, 201, await fault.clone().text());
  const bobSms = await bob.rc.post(SMS, {
    from: { phoneNumber: await numberOf(bob.rc) },
    to: [{ phoneNumber: "+16505550199" }],
    text: "hi",
  });
  equal(bobSms.status, 200, "Bob's SMS went out");
  const adaSms = await ada.rc.post(SMS, {
    from: { phoneNumber: adaNumber },
    to: [{ phoneNumber: "+16505550199" }],
    text: "hi",
  }, { timeoutMs: 1000 })
    .catch((e) => e);
  ok(adaSms instanceof ApiError && adaSms.status === 503, String(adaSms));
  // Bob cannot read Ada's messages.
  const adaMessage = s.emulator.state.messages.find((m) => m.extensionId === adaMe.id);
  const peek = await bob.rc.get(`/restapi/v1.0/account/~/extension/${adaMe.id}/message-store`).catch((e) => e);
  ok(peek instanceof ApiError && peek.status === 403, String(peek));
  deepEqual(adaMessage, undefined, "Ada's SMS failed on her own fault");
});

Deno.test("trust 19: in a room, a webhook goes to the attendee's own machine, or is refused with why", async () => {
  await using s = serveEmulator({ room: { key: KEY }, rateLimits: false });
  const { rc } = await join(s.url, "Ada");
  const refused = await rc.post("/restapi/v1.0/subscription", {
    eventFilters: ["/restapi/v1.0/account/~/extension/~/message-store"],
    deliveryMode: { transportType: "WebHook", address: "http://10.9.9.9:8080/hook" },
  }).catch((e) => e);
  ok(refused instanceof ApiError && refused.status === 400, String(refused));
  match(refused.detail, /In a room, webhooks go to your own machine \(127\.0\.0\.1\), not 10\.9\.9\.9/);
  ok(refused.errorCode !== "SUB-525", "not a misleading validation failure");
  const hooks: unknown[] = [];
  const receiver = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, async (request) => {
    const token = request.headers.get("validation-token");
    if (!token) hooks.push(await request.json());
    return new Response(null, { headers: token ? { "Validation-Token": token } : {} });
  });
  try {
    const made = await rc.post("/restapi/v1.0/subscription", {
      eventFilters: ["/restapi/v1.0/account/~/extension/~/message-store/instant?type=SMS"],
      deliveryMode: { transportType: "WebHook", address: `http://127.0.0.1:${receiver.addr.port}/hook` },
    });
    equal(made.status, 200, "the attendee's own machine (here, loopback) is reachable");
    await made.body?.cancel();
  } finally {
    await receiver.shutdown();
  }
});

Deno.test("room progress: an attendee reports their checks with their token; only the instructor reads them", async () => {
  await using s = serveEmulator({ room: { key: KEY }, rateLimits: false });
  const ada = await join(s.url, "Ada Lovelace");
  const bob = await join(s.url, "Bob");
  const report = (rc: RingCentral, body: unknown) => rc.request("POST", "/__emulator/room/progress", { body });
  equal((await report(ada.rc, { step: "1", done: true })).status, 201);
  await report(ada.rc, { step: "2", done: false, note: "1090 of 1100 extensions are not printed\u001b[2J" });
  await report(ada.rc, { step: "2", done: false, note: "the script read 100 of the 1100 records" });
  const bad = await report(bob.rc, { step: "one", done: "yes" }).catch((e) => e);
  ok(bad instanceof ApiError && bad.status === 400, String(bad));
  match(bad.message, /Send \{"step": "3", "done": false/);

  const anonymous = await fetch(`${s.url}/__emulator/room/progress`, { method: "POST", body: "{}" });
  equal(anonymous.status, 403, "an attendee reports as themselves, with their token");
  await anonymous.body?.cancel();
  const peek = await fetch(`${s.url}/__emulator/room/progress`, {
    headers: { Authorization: `Bearer ${(await bob.rc.tokenStore.load())!.tokens.access_token}` },
  });
  equal(peek.status, 403, "attendees do not read each other's progress");
  await peek.body?.cancel();

  const keyed = { "X-Emulator-Key": KEY };
  const text = await (await fetch(`${s.url}/__emulator/room/progress`, { headers: keyed })).text();
  match(text, /# Each attendee's last check of each step .*; 2 attendees\./);
  match(
    text,
    /Ada Lovelace +\d+ {2}✓ ✗ · · · · · · +step 2 not yet, \d+ s ago: the script read 100 of the 1100 records\n/,
  );
  match(text, /Bob +\d+ {2}· · · · · · · · +none yet\n/);
  const json = await (await fetch(`${s.url}/__emulator/room/progress`, {
    headers: { ...keyed, Accept: "application/json" },
  })).json();
  deepEqual(json.attendees[0].steps["2"].checks, 2);
  equal(json.attendees[0].steps["1"].done, true);
  equal(json.attendees[0].steps["1"].note, undefined, "a passed check has nothing missing");

  await using plain = serveEmulator({ rateLimits: false });
  const notRoom = await fetch(`${plain.url}/__emulator/room/progress`);
  equal(notRoom.status, 404);
  match((await notRoom.json()).message, /not a workshop room's/);
});

Deno.test("trust 19: in a room, an attendee makes posts arrive only in chats they are in", async () => {
  await using s = serveEmulator({ room: { key: KEY }, rateLimits: false });
  const ada = await join(s.url, "Ada");
  const bob = await join(s.url, "Bob");
  const personal = async (rc: RingCentral) =>
    (await (await rc.get("/team-messaging/v1/chats", { type: ["Personal"] })).json()).records[0].id as string;
  const bobs = await personal(bob.rc);
  const refused = await ada.rc.request("POST", "/__emulator/inbound-post", { body: { chatId: bobs, text: "peek" } })
    .catch((e) => e);
  ok(refused instanceof ApiError && refused.status === 400, String(refused));
  match(refused.message, /In a workshop room, you make posts arrive only in chats you are a member of/);
  equal(
    s.emulator.state.teamMessaging!.posts.filter((p) => p.text === "peek").length,
    0,
    "nothing was posted in Bob's chat",
  );
  const everyone = (await (await ada.rc.get("/team-messaging/v1/chats", { type: ["Everyone"] })).json()).records[0];
  const made = await ada.rc.request("POST", "/__emulator/inbound-post", {
    body: { chatId: everyone.id, text: "hi all" },
  });
  equal(made.status, 201);
});

Deno.test("trust 19: in a room, nobody logs in as someone else: forged or seeded JWTs, the password grant, the user picker", async () => {
  await using s = serveEmulator({ room: { key: KEY }, rateLimits: false });
  const ada = await join(s.url, "Ada Lovelace");
  const bob = await join(s.url, "Bob");
  ok(ada.joined.jwt !== emulatorJwt(ada.joined.id), "the room signs its JWTs");
  const adaMe = await (await ada.rc.get("/restapi/v1.0/account/~/extension/~")).json();
  equal(adaMe.name, "Ada Lovelace", "an attendee's own JWT works");

  const tokenRequest = (form: Record<string, string>, headers: Record<string, string> = {}) =>
    fetch(`${s.url}/restapi/oauth/token`, {
      method: "POST",
      headers: { Authorization: basicAuth("emulator-client-id", "emulator-client-secret"), ...headers },
      body: new URLSearchParams(form),
    });
  const refused = async (r: Response, pattern: RegExp) => {
    equal(r.status, 400, `refused: ${r.status}`);
    const body = await r.json();
    match(body.error_description, pattern);
    match(body.error_description, /open \/__emulator\/room.*instructor's key \(X-Emulator-Key\)/);
  };
  // Bob forges Ada's JWT (the placeholder signature), or re-signs hers with a guessed secret.
  const forged = emulatorJwt(ada.joined.id);
  const tampered = bob.joined.jwt.split(".").with(1, ada.joined.jwt.split(".")[1]).join(".");
  for (const assertion of [forged, tampered, emulatorJwt(ada.joined.id, 0, "guess")]) {
    await refused(
      await tokenRequest({ grant_type: JWT_GRANT, assertion }),
      /Invalid JWT: this workshop room did not sign it/,
    );
  }
  // The seeded admin's well-known JWT, and the password grant with the public password and Ada's number.
  await refused(
    await tokenRequest({ grant_type: JWT_GRANT, assertion: emulatorJwt(extensionIdOf(101)) }),
    /did not sign it/,
  );
  await refused(
    await tokenRequest({ grant_type: "password", username: ada.joined.phoneNumber, password: EMULATOR_PASSWORD }),
    /In a workshop room, the password grant is refused/,
  );
  equal(s.emulator.state.stats.grants[JWT_GRANT].ok, 1, "only Ada's own login");
  // The sign-in page's user picker: closed.
  const picker = await fetch(
    `${s.url}/restapi/oauth/authorize?response_type=code&client_id=emulator-public-id&redirect_uri=${
      encodeURIComponent("http://127.0.0.1:5555/callback")
    }&user=${ada.joined.id}&decision=approve`,
    { redirect: "manual" },
  );
  equal(picker.status, 403);
  match((await picker.json()).error_description, /the sign-in page \(which lets you pick any user\) is closed/);

  // The instructor, with the key, may still use them all; and gets a signed JWT for any user.
  const keyed = { "X-Emulator-Key": KEY };
  const admin = await tokenRequest({ grant_type: JWT_GRANT, assertion: emulatorJwt(extensionIdOf(101)) }, keyed);
  equal(admin.status, 200);
  await admin.body?.cancel();
  const password = await tokenRequest(
    { grant_type: "password", username: ada.joined.phoneNumber, password: EMULATOR_PASSWORD },
    keyed,
  );
  equal(password.status, 200);
  await password.body?.cancel();
  const { jwt } = await (await fetch(`${s.url}/__emulator/room/jwt?extension=101`, { headers: keyed })).json();
  const signed = await tokenRequest({ grant_type: JWT_GRANT, assertion: jwt });
  equal(signed.status, 200, "a JWT the room signed for the instructor works without the key");
  await signed.body?.cancel();
  const noKey = await fetch(`${s.url}/__emulator/room/jwt?extension=101`);
  equal(noKey.status, 403, "only the instructor asks the room to sign a JWT");
  await noKey.body?.cancel();
});

Deno.test("trust 19: outside a room the seeded JWTs and the password grant work as before", async () => {
  await using s = serveEmulator({ rateLimits: false });
  for (
    const form of [
      { grant_type: JWT_GRANT, assertion: emulatorJwt(extensionIdOf(102)) },
      { grant_type: "password", username: MAIN_NUMBER, password: EMULATOR_PASSWORD, extension: "101" },
    ] as Record<string, string>[]
  ) {
    const r = await fetch(`${s.url}/restapi/oauth/token`, {
      method: "POST",
      headers: { Authorization: basicAuth("emulator-client-id", "emulator-client-secret") },
      body: new URLSearchParams(form),
    });
    equal(r.status, 200, form.grant_type);
    await r.body?.cancel();
  }
});
