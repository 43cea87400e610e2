/**
 * RingCentral's Team Messaging quick start, as its guide writes it with
 * `@ringcentral/sdk` (log in with a JWT; list teams page by page with
 * `recordCount` and `pageToken`; create a team with members by email; post
 * to it), unchanged, against `deno task emulator` (the real program, in a
 * subprocess); and `@ringcentral/subscriptions` hearing a post another user
 * makes.
 */
import { deepEqual, equal, match } from "node:assert/strict";
import { SDK } from "@ringcentral/sdk";
import { Subscriptions } from "@ringcentral/subscriptions";
import { startEmulator } from "../_helpers.ts";

/** An in-memory Storage, so the SDK does not persist tokens in Deno's localStorage. */
class MemoryStorage {
  #items = new Map<string, string>();
  get length() {
    return this.#items.size;
  }
  key(i: number) {
    return [...this.#items.keys()][i] ?? null;
  }
  getItem(k: string) {
    return this.#items.get(k) ?? null;
  }
  setItem(k: string, v: string) {
    this.#items.set(k, String(v));
  }
  removeItem(k: string) {
    this.#items.delete(k);
  }
  clear() {
    this.#items.clear();
  }
}

Deno.test({
  name: "the Team Messaging quick start runs unchanged with @ringcentral/sdk against deno task emulator",
  sanitizeOps: false, // the subscriptions SDK leaves its own timers behind after revoke()
  sanitizeResources: false,
  fn: async () => {
    await using emu = await startEmulator(["--port", "0", "--quiet"]);
    const env = emu.env;
    const rcsdk = new SDK({
      server: env.RC_SERVER_URL,
      clientId: env.RC_CLIENT_ID,
      clientSecret: env.RC_CLIENT_SECRET,
      localStorage: new MemoryStorage(),
    });
    const platform = rcsdk.platform();
    const loggedIn = new Promise<void>((resolve) => platform.on(platform.events.loginSuccess, () => resolve()));
    await platform.login({ jwt: env.RC_JWT });
    await loggedIn;

    // List teams, as the guide's get_teams(page) does: 20 at a time, following nextPageToken.
    const listTeams = async () => {
      const names: string[] = [];
      let page = "";
      do {
        const opts: Record<string, unknown> = { recordCount: 2 };
        if (page !== "") opts.pageToken = page;
        const jsonObj = await (await platform.get("/team-messaging/v1/teams", opts)).json();
        for (const team of jsonObj.records) names.push(team.name);
        page = jsonObj.navigation?.nextPageToken ?? "";
      } while (page !== "");
      return names;
    };
    deepEqual(await listTeams(), ["Engineering", "Robot arm launch", "Lunch club"]);

    // Create a team, with two guests by email.
    const resp = await platform.post("/team-messaging/v1/teams", {
      public: true,
      name: "Node JS Team",
      members: [{ email: "member.1@gmail.com" }, { email: "member.2@gmail.com" }],
      description: "Let's chat about our Node JS projects.",
    });
    equal(resp.status, 201);
    const team = await resp.json();
    equal(team.name, "Node JS Team");
    match(team.id, /^\d+$/);
    deepEqual(await listTeams(), ["Engineering", "Robot arm launch", "Lunch club", "Node JS Team"]);

    // Subscribe to posts, then post to the team, and another user posts too.
    const subscriptions = new Subscriptions({ sdk: rcsdk });
    const subscription = subscriptions.createSubscription();
    const seen: { eventType: string; text: string; creatorId: string }[] = [];
    const two = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`only ${seen.length} of 2 post events within 5 s`)), 5000);
      subscription.on(subscription.events.notification, (event: { body: (typeof seen)[0] }) => {
        seen.push(event.body);
        if (seen.length === 2) {
          clearTimeout(timer);
          resolve();
        }
      });
    });
    const registered = await subscription.setEventFilters(["/team-messaging/v1/posts"]).register();
    const posted = await platform.post(`/team-messaging/v1/chats/${team.id}/posts`, { text: "Hello, Node JS Team" });
    equal(posted.status, 201);
    const other = await fetch(`${env.RC_SERVER_URL}/__emulator/inbound-post`, {
      method: "POST",
      body: JSON.stringify({ chatId: team.id, text: "Hi! (a guest)" }),
    });
    equal(other.status, 201);
    await other.body?.cancel();
    await two;
    deepEqual(seen.map((b) => [b.eventType, b.text]), [
      ["PostAdded", "Hello, Node JS Team"],
      ["PostAdded", "Hi! (a guest)"],
    ]);
    const posts = await (await platform.get(`/team-messaging/v1/chats/${team.id}/posts`)).json();
    deepEqual(posts.records.map((p: { text: string }) => p.text), ["Hi! (a guest)", "Hello, Node JS Team"]);
    await registered.revoke();
    await platform.logout();
  },
});
