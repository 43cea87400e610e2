/**
 * Saved worlds: the whole state to JSON and back, generically (a field a
 * new area adds is saved with no code), shared objects kept shared, what
 * ends with the process left out, and a world that does not fit refused
 * with what does not fit.
 */
import { deepEqual, equal, match, ok, throws } from "node:assert/strict";
import { RingCentral } from "../../mod.ts";
import { createEmulator, loadWorld, saveWorld, worldFromSnapshot, worldSnapshot } from "../../lib/emulator/mod.ts";
import { decodeValue, encodeValue } from "../../lib/emulator/world/save.ts";
import { tempDir } from "../_helpers.ts";

/** A JSON round trip, as a file would make it. */
const throughJson = <T>(v: T): T => JSON.parse(JSON.stringify(v));

Deno.test("encodeValue/decodeValue keep maps, sets, bytes, dates, odd numbers and shared objects, and drop live ones", () => {
  const shared = { id: "s1", n: 1 };
  const value = {
    map: new Map<string, unknown>([["a", shared], ["b", { session: shared }]]),
    set: new Set([1, 2]),
    bytes: new Uint8Array([0, 1, 254, 255]),
    date: new Date("2024-01-02T03:04:05.000Z"),
    odd: [Infinity, -Infinity],
    big: 12345678901234567890n,
    dollar: { $map: "not a tag" },
    live: { notify() {} },
    socket: new WebSocketStream_(),
    kept: "yes",
  };
  const back = decodeValue(throughJson(encodeValue(value))) as typeof value;
  const a = back.map.get("a") as { id: string };
  const b = back.map.get("b") as { session: unknown };
  equal(a.id, "s1");
  equal(b.session, a, "one object, reached from two places, is still one object");
  deepEqual([...back.set], [1, 2]);
  deepEqual([...back.bytes], [0, 1, 254, 255]);
  equal(back.date.toISOString(), "2024-01-02T03:04:05.000Z");
  deepEqual(back.odd, [Infinity, -Infinity]);
  equal(back.big, 12345678901234567890n);
  deepEqual(back.dollar, { $map: "not a tag" }, "a field that looks like a tag is escaped");
  equal("live" in back, false, "an object with behaviour is not saved");
  equal("socket" in back, false, "an instance of a class is not saved");
  equal(back.kept, "yes");
});

/** Stands for a socket: an instance of a class, which lives only while the process runs. */
class WebSocketStream_ {
  url = "ws://x";
}

Deno.test("a saved world loads whole: messages with their MMS bytes, sessions and tokens, subscriptions, the clock", async () => {
  let clock = Date.now();
  const a = createEmulator({ now: () => clock });
  const rc = new RingCentral({ ...a.credentials, fetch: a.fetch });
  const form = new FormData();
  form.append(
    "json",
    new Blob([JSON.stringify({ from: { phoneNumber: "+16505550101" }, to: [{ phoneNumber: "+16505550199" }] })], {
      type: "application/json",
    }),
  );
  form.append("attachment", new Blob([new Uint8Array([1, 2, 3])], { type: "image/png" }), "a.png");
  const sent = await (await rc.request("POST", "/restapi/v1.0/account/~/extension/~/mms", { body: form })).json();
  a.advance(10); // delivered; the access token still has most of its hour
  const savedAt = a.now();
  const saved = throughJson(worldSnapshot(a.state, savedAt));

  clock += 7 * 86_400_000; // a week later, the world is loaded again
  const b = createEmulator({ now: () => clock });
  const { state, notes } = worldFromSnapshot(saved, b.state, clock);
  b.restore(state);
  deepEqual(notes, []);
  equal(b.now(), savedAt, "the emulated clock goes on from the saved time, not the week it was off");
  const m = b.state.messages.find((x) => x.id === sent.id)!;
  deepEqual([...m.attachments[0].data], [1, 2, 3]);
  const [token, record] = [...b.state.tokens].find(([, t]) => t.kind === "access")!;
  equal(record.session, b.state.sessions.get(record.session.id), "a token's session is the session, not a copy");
  const read = await b.fetch(`http://emulator.local/restapi/v1.0/account/~/extension/~/message-store/${sent.id}`, {
    headers: { Authorization: `Bearer ${token}` },
  });
  equal(read.status, 200, "the token issued before the save still works");
  equal((await read.json()).messageStatus, "Delivered");
});

Deno.test("a field a new area adds to the state is saved and loaded with no code of its own", () => {
  const a = createEmulator();
  const state = a.state as unknown as Record<string, unknown>;
  state.calls = [{ id: "s-1", parties: [{ id: "p-1", status: "Answered" }] }];
  state.presence = { "101": { dndStatus: "TakeAllCalls" } };
  const b = createEmulator();
  const fresh = b.state as unknown as Record<string, unknown>;
  fresh.calls = [];
  fresh.presence = {};
  const { state: loaded } = worldFromSnapshot(throughJson(worldSnapshot(a.state, a.now())), b.state, Date.now());
  deepEqual((loaded as unknown as Record<string, unknown>).calls, state.calls);
  deepEqual((loaded as unknown as Record<string, unknown>).presence, state.presence);
});

Deno.test("loading an older world: what it lacks starts fresh and is said; what does not fit is refused, named", () => {
  const a = createEmulator();
  const old = throughJson(worldSnapshot(a.state, a.now())) as { state: Record<string, unknown> };
  delete old.state.webhookFailures; // a field added after this world was saved
  delete (old.state.stats as Record<string, unknown>).penalties;
  const { state, notes } = worldFromSnapshot(old, createEmulator().state, Date.now());
  equal(state.webhookFailures, 0);
  equal(state.stats.penalties, 0);
  match(notes.join("\n"), /webhookFailures: not in the saved world/);
  match(notes.join("\n"), /stats\.penalties: not in the saved world/);

  const wrongKind = throughJson(worldSnapshot(a.state, a.now())) as { state: Record<string, unknown> };
  wrongKind.state.messages = { "1": "x" };
  throws(
    () => worldFromSnapshot(wrongKind, createEmulator().state, Date.now()),
    /"messages" is an object in the saved world, a list in this version/,
  );
  const missing = throughJson(worldSnapshot(a.state, a.now())) as { state: { extensions: Record<string, unknown>[] } };
  delete missing.state.extensions[3].creationTime;
  throws(
    () => worldFromSnapshot(missing, createEmulator().state, Date.now()),
    /"extensions": item 3 \(id \d+\) has no "creationTime"/,
  );
  const newer = { ...throughJson(worldSnapshot(a.state, a.now())), version: 99 };
  throws(() => worldFromSnapshot(newer, createEmulator().state, Date.now()), /saved by a newer version.*format 99/);
});

Deno.test("a world saved by an older version (format 1, commit bc13559) loads, says what it upgraded, and works", async () => {
  const saved = JSON.parse(await Deno.readTextFile(new URL("../fixtures/world_v1.json", import.meta.url)));
  equal(saved.version, 1, "the fixture is a real format-1 world");
  const b = createEmulator();
  const { state, notes } = worldFromSnapshot(saved, b.state, Date.now());
  b.restore(state);
  match(
    notes.join("\n"),
    /apps: emulator-client-id, emulator-jwt-only-id, emulator-public-id were granted .*TeamMessaging.* \(this version's defaults; the world was saved before they had them\)/,
  );
  ok(b.state.messages.some((m) => m.text === "saved by bc13559"), "the SMS it held is there");
  equal(b.state.calls.length, 1, "and the inbound call");
  const rc = new RingCentral({ ...b.credentials, fetch: b.fetch });
  const chats = await rc.get("/team-messaging/v1/chats");
  equal(chats.status, 200, "Team Messaging answers: the built-in app has the permission");
  await chats.body?.cancel();
  // A token the old world issued gets the permissions too (a client's cached token keeps working).
  const [token] = [...b.state.tokens].find(([, t]) =>
    t.kind === "access" && t.session.clientId === "emulator-client-id"
  )!;
  ok(b.state.tokens.get(token)!.session.scope.split(" ").includes("TeamMessaging"));
});

Deno.test("WebSocket subscriptions and open connections end with the process; webhook subscriptions stay", async () => {
  const a = createEmulator();
  a.state.subscriptions.set("ws", {
    id: "ws",
    extensionId: a.state.extensions[0].id,
    clientId: "emulator-client-id",
    eventFilters: [],
    transport: "WebSocket",
    socket: { notify: () => true },
    status: "Active",
    created: a.now(),
    expires: a.now() + 60_000,
    failures: 0,
  });
  a.state.subscriptions.set("hook", {
    id: "hook",
    extensionId: a.state.extensions[0].id,
    clientId: "emulator-client-id",
    eventFilters: [],
    transport: "WebHook",
    address: "http://127.0.0.1:9/hook",
    status: "Active",
    created: a.now(),
    expires: a.now() + 60_000,
    failures: 0,
  });
  await using dir = await tempDir();
  await saveWorld(dir.path, a.state, a.now());
  const loaded = await loadWorld(dir.path, createEmulator().state);
  deepEqual([...loaded!.state.subscriptions.keys()], ["hook"]);
  match(loaded!.notes.join(), /1 WebSocket subscription\(s\) ended with their connections/);
  equal(loaded!.state.gateway.size, 0);
});

Deno.test("loadWorld: no file is no world; a broken file names itself and what is wrong", async () => {
  await using dir = await tempDir();
  equal(await loadWorld(dir.path, createEmulator().state), undefined);
  await Deno.writeTextFile(`${dir.path}/world.json`, "{ not json");
  await loadWorld(dir.path, createEmulator().state).then(
    () => ok(false, "loaded"),
    (e) => match(e.message, /Cannot load .*world\.json: it is not JSON/),
  );
  await Deno.writeTextFile(`${dir.path}/world.json`, JSON.stringify({ hello: 1 }));
  await loadWorld(dir.path, createEmulator().state).then(
    () => ok(false, "loaded"),
    (e) => match(e.message, /Cannot load .*world\.json: it is not a saved emulator world/),
  );
});
