/**
 * Team Messaging in the emulator: teams, chats, posts and people with state,
 * RingCentral's `recordCount` / `pageToken` paging, membership rules, the
 * app permission, the post and chat events over WebSocket and webhooks,
 * the inbound-post control, and a saved world that keeps it all. Every
 * answer is validated against the spec (serveEmulator / inProcess).
 */
import { deepEqual, equal, match, notEqual, ok } from "node:assert/strict";
import { ApiError, type EventNotification, RingCentral } from "../../mod.ts";
import { createEmulator, worldFromSnapshot, worldSnapshot } from "../../lib/emulator/mod.ts";
import { emulatorJwt, extensionIdOf } from "../../lib/emulator/seed.ts";
import { DEFAULT_PERMISSIONS } from "../../lib/emulator/permissions.ts";
import { inProcess, serveEmulator } from "../_helpers.ts";

const TM = "/team-messaging/v1";
type Rec = Record<string, unknown> & { id: string };

/** The body of a request that must fail, as the client's ApiError. */
async function failure(p: Promise<unknown>): Promise<ApiError> {
  const e = await p.then(() => undefined, (e) => e);
  ok(e instanceof ApiError, `expected an ApiError, got ${e}`);
  return e;
}

/** Events collected by an `onEvent` callback, awaitable by count (bounded: 5 s). */
function collector() {
  const events: EventNotification[] = [];
  return {
    events,
    onEvent: (e: EventNotification) => void events.push(e),
    async until(n: number) {
      for (let i = 0; events.length < n; i++) {
        if (i > 100) throw new Error(`only ${events.length} of ${n} events arrived within 5 s`);
        await new Promise((r) => setTimeout(r, 50));
      }
    },
  };
}

Deno.test("team messaging: the seeded chats, by type; the caller's person", async () => {
  await using emu = inProcess({ rateLimits: false });
  const rc = new RingCentral(emu.credentials);
  const all = await (await rc.get(`${TM}/chats`)).json();
  deepEqual(all.records.map((c) => c.type), ["Everyone", "Personal", "Team", "Team", "Direct", "Group"]);
  equal(all.records[0].name, "Acme Robotics");
  const teams = await (await rc.get(`${TM}/chats`, { type: ["Team"] })).json();
  deepEqual(teams.records.map((c) => c.name), ["Engineering", "Robot arm launch"]);
  const two = await (await rc.get(`${TM}/chats`, { type: ["Direct", "Personal"] })).json();
  deepEqual(two.records.map((c) => c.type), ["Personal", "Direct"]);
  const one = await (await rc.get(`${TM}/chats/${two.records[1].id}`)).json();
  deepEqual(one.members!.map((m) => m.id), [String(extensionIdOf(101)), String(extensionIdOf(102))]);
  const bad = await failure(rc.get(`${TM}/chats`, { type: ["Channel" as "Team"] }));
  deepEqual([bad.status, bad.errorCode], [400, "CMN-101"]);
  match(bad.message, /The types are Personal, Direct, Group, Team, Everyone/);
  const person = await (await rc.get(`${TM}/persons/~`)).json();
  deepEqual([person.id, person.firstName, person.lastName], [String(extensionIdOf(101)), "Alice", "Admin"]);
  const bob = await (await rc.get(`${TM}/persons/${extensionIdOf(102)}`)).json();
  equal(bob.email, "bob.baker@acme-robotics.example");
  equal((await failure(rc.get(`${TM}/persons/42`))).status, 404);
});

Deno.test("team messaging: a team made with members by id and email, a guest; listed with page tokens", async () => {
  await using emu = inProcess({ rateLimits: false });
  const rc = new RingCentral(emu.credentials);
  const made = await rc.post(`${TM}/teams`, {
    name: "Rockets",
    public: false,
    description: "To the moon",
    members: [{ id: String(extensionIdOf(103)) }, { email: "Bob.Baker@acme-robotics.example" }, {
      email: "guest@example.org",
    }],
  });
  equal(made.status, 201);
  const team = await made.json();
  deepEqual([team.type, team.name, team.public, team.status], ["Team", "Rockets", false, "Active"]);
  const chat = await (await rc.get(`${TM}/chats/${team.id}`)).json();
  const guest = emu.emulator.state.teamMessaging!.guests[0];
  equal(guest.email, "guest@example.org");
  deepEqual(chat.members!.map((m) => m.id), [
    String(extensionIdOf(101)),
    String(extensionIdOf(103)),
    String(extensionIdOf(102)),
    guest.id,
  ]);
  equal((await (await rc.get(`${TM}/persons/${guest.id}`)).json()).email, "guest@example.org");
  // Alice sees her two teams, the public one she may join, and the new one: two by two.
  const names: string[] = [];
  let pageToken: string | undefined;
  let pages = 0;
  do {
    const page = await (await rc.get(`${TM}/teams`, { recordCount: 2, ...(pageToken ? { pageToken } : {}) })).json();
    names.push(...page.records.map((t) => t.name ?? ""));
    pageToken = page.navigation?.nextPageToken;
    if (pages++) ok(page.navigation?.prevPageToken, "a later page links back");
  } while (pageToken);
  deepEqual(names, ["Engineering", "Robot arm launch", "Lunch club", "Rockets"]);
  equal(pages, 2);
  const noName = await failure(rc.post(`${TM}/teams`, { name: " " }));
  deepEqual([noName.status, noName.errorCode], [400, "CMN-101"]);
  const stranger = await failure(rc.post(`${TM}/teams`, { name: "X", members: [{ id: "12345" }] }));
  match(stranger.message, /Person \[12345\] is not in this account/);
  const token = await failure(rc.get(`${TM}/teams`, { pageToken: "nonsense!" }));
  deepEqual([token.status, token.errorCode], [400, "CMN-101"]);
  const count = await failure(rc.get(`${TM}/teams`, { recordCount: 251 }));
  equal(count.status, 400);
});

Deno.test("team messaging: posts newest first, paged; a new post does not shift the next page", async () => {
  let clock = Date.parse("2026-03-02T10:00:00Z");
  await using emu = inProcess({ rateLimits: false, now: () => clock });
  const rc = new RingCentral(emu.credentials);
  const team = await (await rc.post(`${TM}/teams`, { name: "Paging" })).json();
  for (let i = 1; i <= 5; i++) {
    clock += 1000;
    await rc.post(`${TM}/chats/${team.id}/posts`, { text: `post ${i}` });
  }
  const first = await (await rc.get(`${TM}/chats/${team.id}/posts`, { recordCount: 2 })).json();
  deepEqual(first.records.map((p) => p.text), ["post 5", "post 4"]);
  equal(first.records[0].groupId, team.id);
  equal(first.records[0].creatorId, String(extensionIdOf(101)));
  equal(first.records[0].creationTime, "2026-03-02T10:00:05.000Z");
  await rc.post(`${TM}/chats/${team.id}/posts`, { text: "post 6" }); // arrives while paging
  const second = await (await rc.get(`${TM}/chats/${team.id}/posts`, {
    recordCount: 2,
    pageToken: first.navigation!.nextPageToken,
  })).json();
  deepEqual(second.records.map((p) => p.text), ["post 3", "post 2"]);
  const third = await (await rc.get(`${TM}/chats/${team.id}/posts`, {
    recordCount: 2,
    pageToken: second.navigation!.nextPageToken,
  })).json();
  deepEqual(third.records.map((p) => p.text), ["post 1"]);
  equal(third.navigation!.nextPageToken, undefined);
});

Deno.test("team messaging: edit and delete your own post; another's is refused", async () => {
  await using emu = inProcess({ rateLimits: false });
  const rc = new RingCentral(emu.credentials);
  const bob = new RingCentral({ ...emu.credentials, jwt: emulatorJwt(extensionIdOf(102)) });
  const direct = (await (await rc.get(`${TM}/chats`, { type: ["Direct"] })).json()).records[0];
  const mine = await (await rc.post(`${TM}/chats/${direct.id}/posts`, { text: "Lunch?" })).json();
  const edited = await (await rc.patch(`${TM}/chats/${direct.id}/posts/${mine.id}`, { text: "Lunch at 1?" })).json();
  equal(edited.text, "Lunch at 1?");
  equal((await (await rc.get(`${TM}/chats/${direct.id}/posts/${mine.id}`)).json()).text, "Lunch at 1?");
  const refused = await failure(bob.patch(`${TM}/chats/${direct.id}/posts/${mine.id}`, { text: "no" }));
  deepEqual([refused.status, refused.detail], [403, "Only the author of a post may edit it"]);
  equal((await failure(bob.delete(`${TM}/chats/${direct.id}/posts/${mine.id}`))).status, 403);
  equal((await rc.delete(`${TM}/chats/${direct.id}/posts/${mine.id}`)).status, 204);
  equal((await failure(rc.get(`${TM}/chats/${direct.id}/posts/${mine.id}`))).status, 404);
  const empty = await failure(rc.post(`${TM}/chats/${direct.id}/posts`, { text: "" }));
  match(empty.message, /A post needs text/);
});

Deno.test("team messaging: membership rules, join and leave, add members; a private team is invisible", async () => {
  await using emu = inProcess({ rateLimits: false });
  const rc = new RingCentral(emu.credentials);
  const ivy = new RingCentral({ ...emu.credentials, jwt: emulatorJwt(extensionIdOf(109)) });
  const teams = (await (await rc.get(`${TM}/teams`)).json()).records as Rec[];
  const lunch = teams.find((t) => t.name === "Lunch club")!;
  const engineering = teams.find((t) => t.name === "Engineering")!;
  const outsider = await failure(rc.post(`${TM}/chats/${lunch.id}/posts`, { text: "Pizza?" }));
  equal(outsider.status, 403);
  match(outsider.message, new RegExp(`You are not a member of chat \\[${lunch.id}\\]: join the team first`));
  equal((await failure(rc.get(`${TM}/chats/${lunch.id}/posts`))).status, 403);
  equal((await rc.post(`${TM}/teams/${lunch.id}/join`)).status, 204);
  const joined = (await (await rc.get(`${TM}/chats/${lunch.id}/posts`)).json()).records[0];
  deepEqual([joined.type, joined.creatorId], ["PersonJoined", String(extensionIdOf(101))]);
  equal((await rc.post(`${TM}/chats/${lunch.id}/posts`, { text: "Pizza?" })).status, 201);
  equal((await rc.post(`${TM}/teams/${lunch.id}/leave`)).status, 204);
  equal((await failure(rc.post(`${TM}/chats/${lunch.id}/posts`, { text: "again" }))).status, 403);
  // Ivy is in no private team: Engineering is not hers to see, nor to join.
  equal((await failure(ivy.get(`${TM}/chats/${engineering.id}`))).status, 404);
  equal((await failure(ivy.post(`${TM}/teams/${engineering.id}/join`))).status, 404);
  equal(
    (await rc.post(`${TM}/teams/${engineering.id}/add`, { members: [{ id: String(extensionIdOf(109)) }] })).status,
    204,
  );
  equal((await (await ivy.get(`${TM}/teams/${engineering.id}`)).json()).name, "Engineering");
  const added = (await (await ivy.get(`${TM}/chats/${engineering.id}/posts`)).json()).records[0];
  deepEqual([added.type, added.addedPersonIds], ["PersonsAdded", [String(extensionIdOf(109))]]);
  const renamed = await (await rc.patch(`${TM}/teams/${engineering.id}`, { name: "R&D" })).json();
  equal(renamed.name, "R&D");
  equal((await rc.delete(`${TM}/teams/${engineering.id}`)).status, 204);
  equal((await failure(rc.get(`${TM}/teams/${engineering.id}`))).status, 404);
});

Deno.test("team messaging: an app without the TeamMessaging permission gets RingCentral's 403", async () => {
  await using emu = serveEmulator({ permissions: DEFAULT_PERMISSIONS.filter((p) => p !== "TeamMessaging") });
  const rc = new RingCentral(emu.credentials);
  const e = await failure(rc.get(`${TM}/chats`));
  deepEqual([e.status, e.errorCode], [403, "CMN-401"]);
  const sub = await failure(rc.subscribe([`${TM}/posts`]));
  deepEqual([sub.status, sub.errorCode], [403, "CMN-401"]);
});

Deno.test("team messaging: rc.subscribe hears a post by another user, edits and removals; chat events", async () => {
  await using s = serveEmulator({ rateLimits: false });
  const alice = new RingCentral(s.credentials);
  const bob = new RingCentral({ ...s.credentials, jwt: emulatorJwt(extensionIdOf(102)) });
  const posts = collector();
  const chats = collector();
  await using _posts = await alice.subscribe([`${TM}/posts`], posts.onEvent);
  await using _chats = await alice.subscribe([`${TM}/chats`], chats.onEvent);
  const direct = (await (await bob.get(`${TM}/chats`, { type: ["Direct"] })).json()).records[0];
  const sent = await (await bob.post(`${TM}/chats/${direct.id}/posts`, { text: "Hi Alice, from Bob" })).json();
  await posts.until(1);
  const [added] = posts.events;
  equal(added.event, `${TM}/posts`);
  deepEqual(
    [added.body.eventType, added.body.id, added.body.groupId, added.body.creatorId, added.body.text],
    ["PostAdded", sent.id, direct.id, String(extensionIdOf(102)), "Hi Alice, from Bob"],
  );
  await bob.patch(`${TM}/chats/${direct.id}/posts/${sent.id}`, { text: "Hi Alice!" });
  await bob.delete(`${TM}/chats/${direct.id}/posts/${sent.id}`);
  await posts.until(3);
  deepEqual(posts.events.map((e) => e.body.eventType), ["PostAdded", "PostChanged", "PostRemoved"]);
  equal(posts.events[1].body.text, "Hi Alice!");
  // A post in a chat Alice is not in never reaches her.
  const lunch = ((await (await bob.get(`${TM}/teams`)).json()).records as Rec[]).find((t) => t.name === "Lunch club")!;
  await bob.post(`${TM}/teams/${lunch.id}/join`);
  await bob.post(`${TM}/chats/${lunch.id}/posts`, { text: "not for Alice" });
  // Bob makes a team with Alice in it: she hears she joined it.
  const team = await (await bob.post(`${TM}/teams`, { name: "Bob's", members: [{ id: String(extensionIdOf(101)) }] }))
    .json();
  await chats.until(1);
  deepEqual([chats.events[0].body.eventType, chats.events[0].body.id], ["GroupJoined", team.id]);
  deepEqual(chats.events[0].body.members, [String(extensionIdOf(102)), String(extensionIdOf(101))]);
  await alice.post(`${TM}/chats/${team.id}/posts`, { text: "thanks" });
  await posts.until(4);
  deepEqual(posts.events.map((e) => e.body.text).slice(3), ["thanks"]);
  notEqual(posts.events.at(-1)!.body.groupId, lunch.id);
});

Deno.test("team messaging: POST /__emulator/inbound-post makes another user post; listed in the controls", async () => {
  await using s = serveEmulator({ rateLimits: false });
  const rc = new RingCentral(s.credentials);
  const got = collector();
  await using _sub = await rc.subscribe([`${TM}/posts`], got.onEvent);
  const post = await (await rc.request("POST", "/__emulator/inbound-post", { body: { text: "Company picnic!" } }))
    .json();
  const everyone = (await (await rc.get(`${TM}/chats`, { type: ["Everyone"] })).json()).records[0];
  equal(post.groupId, everyone.id);
  notEqual(post.creatorId, String(extensionIdOf(101)), "someone other than the caller posted");
  await got.until(1);
  equal(got.events[0].body.text, "Company picnic!");
  const team = (await (await rc.get(`${TM}/teams`)).json()).records[0];
  const carol = await (await rc.request("POST", "/__emulator/inbound-post", {
    body: { chatId: team.id, text: "from Frank", from: "106" },
  })).json();
  equal(carol.creatorId, String(extensionIdOf(106)));
  const notIn = await failure(
    rc.request("POST", "/__emulator/inbound-post", { body: { chatId: team.id, text: "x", from: "104" } }),
  );
  match(notIn.message, /Dan Diaz is not a member of Engineering/);
  const noChat = await failure(rc.request("POST", "/__emulator/inbound-post", { body: { chatId: "1", text: "x" } }));
  match(noChat.message, /chatId names no chat/);
  const controls = await (await rc.request("GET", "/__emulator/controls")).json();
  ok(controls.controls.includes("POST /__emulator/inbound-post"));
  const unknown = await failure(rc.request("POST", "/__emulator/inbound-posts"));
  match(unknown.message, /POST \/__emulator\/inbound-post,/);
  const told = s.emulator.activity.recent().filter((e) => e.kind === "post").map((e) => e.text);
  ok(told.some((t) => /posted in Acme Robotics: Company picnic!/.test(t)), told.join("\n"));
  // The dashboard shows the posts as a table of their own (Team Messaging's state is an object of lists).
  const view = await (await fetch(`${s.url}/__emulator/ui/state`)).json();
  const posts = view.collections.find((c: { name: string }) => c.name === "teamMessaging.posts");
  ok(posts?.rows.some((r: string[]) => r.includes("Company picnic!")), JSON.stringify(posts));
});

Deno.test("team messaging: a webhook subscription hears posts", async () => {
  await using s = serveEmulator({ rateLimits: false });
  const received: Record<string, unknown>[] = [];
  let arrived: () => void = () => {};
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, async (req) => {
    const token = req.headers.get("validation-token");
    if (token) return new Response(null, { headers: { "Validation-Token": token } });
    received.push(await req.json());
    arrived();
    return new Response(null);
  });
  try {
    const rc = new RingCentral(s.credentials);
    await rc.post("/restapi/v1.0/subscription", {
      eventFilters: [`${TM}/posts`],
      deliveryMode: { transportType: "WebHook", address: `http://127.0.0.1:${server.addr.port}/hook` },
    });
    const delivered = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error("no webhook delivery within 5 s")), 5000);
      arrived = () => (clearTimeout(timer), resolve());
    });
    await rc.request("POST", "/__emulator/inbound-post", { body: { text: "to the webhook" } });
    await delivered;
    const [n] = received as { event: string; ownerId: string; body: Record<string, unknown> }[];
    deepEqual([n.event, n.ownerId, n.body.eventType, n.body.text], [
      `${TM}/posts`,
      String(extensionIdOf(101)),
      "PostAdded",
      "to the webhook",
    ]);
  } finally {
    await server.shutdown();
  }
});

Deno.test("team messaging: a saved world keeps teams, guests and posts; the clock goes on", async () => {
  const a = createEmulator({ rateLimits: false });
  const rc = new RingCentral({ ...a.credentials, fetch: a.fetch });
  const team = await (await rc.post(`${TM}/teams`, { name: "Saved", members: [{ email: "g@example.org" }] })).json();
  await rc.post(`${TM}/chats/${team.id}/posts`, { text: "kept" });
  const saved = JSON.parse(JSON.stringify(worldSnapshot(a.state, a.now())));
  const b = createEmulator({ rateLimits: false });
  b.restore(worldFromSnapshot(saved, b.state, Date.now()).state);
  const rb = new RingCentral({ ...b.credentials, fetch: b.fetch });
  const posts = await (await rb.get(`${TM}/chats/${team.id}/posts`)).json();
  deepEqual(posts.records.map((p) => p.text), ["kept"]);
  equal(b.state.teamMessaging!.guests[0].email, "g@example.org");
  const next = await (await rb.post(`${TM}/chats/${team.id}/posts`, { text: "after" })).json();
  ok(Number(next.id) > Number(posts.records[0].id), "ids go on from the saved ones");
  deepEqual(b.state.teamMessaging, JSON.parse(JSON.stringify(b.state.teamMessaging)), "plain JSON data");
});

Deno.test("team messaging: conversations open (or find) a Direct or Group chat by its members; read by id, listed", async (t) => {
  await using s = serveEmulator({ rateLimits: false });
  const alice = new RingCentral(s.credentials);
  const dave = new RingCentral({ ...s.credentials, jwt: emulatorJwt(extensionIdOf(104)) });
  const chats = collector();
  await using _chats = await dave.subscribe([`${TM}/chats`], chats.onEvent);
  const ids = (...n: number[]) => n.map((x) => String(extensionIdOf(x)));
  await t.step("the Direct chat Alice has with Bob is found again: 200, the seeded chat", async () => {
    const seeded = (await (await alice.get(`${TM}/chats`, { type: ["Direct"] })).json()).records[0];
    const r = await alice.post(`${TM}/conversations`, { members: [{ email: "bob.baker@acme-robotics.example" }] });
    equal(r.status, 200);
    const found = await r.json();
    deepEqual([found.id, found.type], [seeded.id, "Direct"]);
  });
  let group = "";
  await t.step("a new Group chat: 201, a chat event to its members, and posts go to it", async () => {
    const r = await alice.post(`${TM}/conversations`, { members: [{ id: ids(104)[0] }, { id: ids(102)[0] }] });
    equal(r.status, 201);
    const made = await r.json();
    deepEqual([made.type, made.members!.map((m) => m.id)], ["Group", ids(101, 104, 102)]);
    group = made.id!;
    await chats.until(1);
    deepEqual([chats.events[0].body.eventType, chats.events[0].body.id], ["GroupJoined", group]);
    const again = await dave.post(`${TM}/conversations`, { members: [{ id: ids(102)[0] }, { id: ids(101)[0] }] });
    equal(again.status, 200, "the same three people, in any order, asked by any of them");
    equal((await again.json()).id, group);
    const post = await (await dave.post(`${TM}/chats/${group}/posts`, { text: "Hello, group" })).json();
    equal(post.groupId, group);
    const read = await (await alice.get(`${TM}/conversations/${group}`)).json();
    deepEqual([read.id, read.type, read.members!.length], [group, "Group", 3]);
  });
  await t.step("the caller alone is their Personal chat; the list is oldest first", async () => {
    const personal = await (await alice.post(`${TM}/conversations`, { members: [{ id: ids(101)[0] }] })).json();
    equal(personal.type, "Personal");
    const list = await (await alice.get(`${TM}/conversations`)).json();
    const types = list.records.map((c) => c.type);
    deepEqual(types, ["Personal", "Direct", "Group", "Group"]);
    equal(list.records.at(-1)!.id, group);
  });
  await t.step("bad requests, a team or someone else's chat by id: what is wrong", async () => {
    const none = await failure(alice.post(`${TM}/conversations`, { members: [] }));
    deepEqual([none.status, none.errorCode], [400, "CMN-101"]);
    match(none.message, /A conversation needs its members: send \{"members"/);
    const stranger = await failure(alice.post(`${TM}/conversations`, { members: [{ id: "42" }] }));
    match(stranger.message, /Person \[42\] is not in this account/);
    const team = (await (await alice.get(`${TM}/teams`)).json()).records![0];
    equal((await failure(alice.get(`${TM}/conversations/${team.id}`))).status, 404, "a team is not a conversation");
    const bobs = (await (await dave.get(`${TM}/chats`, { type: ["Personal"] })).json()).records[0];
    equal((await failure(alice.get(`${TM}/conversations/${bobs.id}`))).status, 404);
  });
});

Deno.test("team messaging: /everyone is the company's Everyone chat: read it, rename it (with its event)", async () => {
  await using s = serveEmulator({ rateLimits: false });
  const alice = new RingCentral(s.credentials);
  const chats = collector();
  await using _chats = await alice.subscribe([`${TM}/chats`], chats.onEvent);
  const listed = (await (await alice.get(`${TM}/chats`, { type: ["Everyone"] })).json()).records[0];
  const everyone = await (await alice.get(`${TM}/everyone`)).json();
  deepEqual([everyone.id, everyone.type, everyone.name], [listed.id, "Everyone", "Acme Robotics"]);
  const renamed = await (await alice.patch(`${TM}/everyone`, { name: "All of Acme", description: "News" })).json();
  deepEqual([renamed.id, renamed.name, renamed.description], [listed.id, "All of Acme", "News"]);
  equal((await (await alice.get(`${TM}/chats/${listed.id}`)).json()).name, "All of Acme");
  await chats.until(1);
  deepEqual([chats.events[0].body.eventType, chats.events[0].body.name], ["GroupRenamed", "All of Acme"]);
  const bad = await failure(alice.patch(`${TM}/everyone`, { name: 5 as unknown as string }));
  deepEqual([bad.status, bad.errorCode], [400, "CMN-101"]);
  match(bad.message, /name is text/);
});
