/**
 * Team chat (Team Messaging): pick one of your chats (or make a team), read
 * it a page at a time, newest last as a chat shows it, post to it, and see
 * new posts arrive live over a WebSocket subscription to
 * `/team-messaging/v1/posts`; on an emulator, make another user post so
 * that something arrives.
 * @module
 */
import { delay } from "../../async.ts";
import type { EventNotification, EventSubscription } from "../../subscribe.ts";
import { fit } from "../output.ts";
import { Cancelled } from "../prompt.ts";
import type { Playground } from "../playground.ts";
import type { Step } from "../_steps.ts";

const TM = "/team-messaging/v1";
const POSTS_FILTER = `${TM}/posts`;
/** Posts shown at a time. */
const PAGE = 10;
/** The longest post RingCentral's apps take comfortably; the emulator's limit. */
const MAX_TEXT = 10_000;

/** A chat as `GET /team-messaging/v1/chats` lists it. */
export interface Chat {
  id: string;
  type: string;
  name?: string;
  public?: boolean;
  members?: { id: string }[];
}

/** A post as RingCentral returns it. */
export interface Post {
  id: string;
  groupId: string;
  type: string;
  text?: string;
  creatorId: string;
  addedPersonIds?: string[];
  creationTime: string;
}

/** `true`, or what is wrong with a post's text. */
export function checkPostText(value: string): true | string {
  if (!value.trim()) return "The post is empty: type something to say";
  if (value.length > MAX_TEXT) return `The post is ${value.length} characters; keep it under ${MAX_TEXT}`;
  return true;
}

/** People's names by person id, read once from the company's directory, then one by one for anyone else. */
class People {
  #names = new Map<string, string>();
  #s: Playground;
  constructor(s: Playground) {
    this.#s = s;
  }

  /** Reads the directory: the account's users (a person's id is their extension's). */
  async load(): Promise<void> {
    try {
      const users = await this.#s.call(
        "The company's people, for their names",
        "GET",
        "/restapi/v1.0/account/~/extension",
        {
          query: { type: ["User"], perPage: 1000 },
        },
      );
      for (const u of users.body.records as { id: number; name?: string }[]) {
        if (u.name) this.#names.set(String(u.id), u.name);
      }
    } catch (e) {
      if (e instanceof Cancelled) throw e;
      this.#s.out.print(`  (No names from the directory: ${(e as Error).message}; ids instead.)`);
    }
  }

  /** A name known already, or the id. */
  nameOf(id: string): string {
    return this.#names.get(id) ?? id;
  }

  /** Looks up those of `ids` not known yet (guests), each with `GET /team-messaging/v1/persons/{id}`. */
  async learn(ids: string[]): Promise<void> {
    for (const id of new Set(ids)) {
      if (this.#names.has(id)) continue;
      try {
        const p = await this.#s.call(`Who is ${id}`, "GET", `${TM}/persons/${id}`);
        const b = p.body as { firstName?: string; lastName?: string; email?: string };
        this.#names.set(id, [b.firstName, b.lastName].filter(Boolean).join(" ") || b.email || id);
      } catch (e) {
        if (e instanceof Cancelled) throw e;
        this.#names.set(id, id);
      }
    }
  }
}

/** A chat's name as its member `me` sees it: the team's, or the other people's. */
function chatLabel(c: Chat, me: string, people: People): string {
  const others = (c.members ?? []).map((m) => m.id).filter((id) => id !== me).map((id) => people.nameOf(id));
  switch (c.type) {
    case "Personal":
      return "Personal (notes to yourself)";
    case "Direct":
      return `Direct: ${others.join(", ") || "?"}`;
    case "Group":
      return `Group: ${others.join(", ")}`;
    case "Everyone":
      return `${c.name ?? "Everyone"} (everyone in the company)`;
    default:
      return `${c.name ?? c.id} (team${c.public ? ", public" : ""}, ${c.members?.length ?? "?"} members)`;
  }
}

/** A post as one line (the terminal wraps it): `    14:05  Bob Baker: text`, marked `←` (arrived) or `→` (yours). */
function postLine(p: Post, people: People, mark = " "): string {
  const time = p.creationTime.slice(11, 16);
  const who = people.nameOf(p.creatorId);
  const what = p.type === "PersonJoined"
    ? "joined the team"
    : p.type === "PersonsAdded"
    ? `added ${(p.addedPersonIds ?? []).map((id) => people.nameOf(id)).join(", ")}`
    : p.text ?? "";
  return `  ${mark} ${time}  ${who}: ${what.replace(/\s*\n\s*/g, " ⏎ ")}`;
}

/** The posts of a page, oldest first, with a line for each new day. */
function pageLines(posts: Post[], people: People): string[] {
  const lines: string[] = [];
  let day = "";
  for (const p of [...posts].reverse()) {
    const d = p.creationTime.slice(0, 10);
    if (d !== day) {
      day = d;
      const date = new Date(`${d}T12:00:00Z`).toUTCString().slice(0, 11);
      lines.push(`  ── ${date} (UTC) ──`);
    }
    lines.push(postLine(p, people));
  }
  return lines;
}

/** Runs the flow. */
export async function teamChat(s: Playground): Promise<void> {
  const me = String((await s.call("Who you are in Team Messaging", "GET", `${TM}/persons/~`)).body.id);
  const people = new People(s);
  await people.load();
  for (;;) {
    const list = await s.call("Your chats", "GET", `${TM}/chats`, { query: { recordCount: 250 } });
    const chats = list.body.records as Chat[];
    await people.learn(
      chats.filter((c) => c.type === "Direct" || c.type === "Group")
        .flatMap((c) => (c.members ?? []).map((m) => m.id)),
    );
    s.out.print(
      `  ${chats.length} chat${chats.length === 1 ? "" : "s"}${
        list.body.navigation?.nextPageToken ? " (the first 250)" : ""
      }.`,
    );
    const picked = await s.prompter.select("Which chat?", [
      ...chats.map((c) => ({ name: fit(chatLabel(c, me, people), 74), value: c.id })),
      { name: "Make a new team", value: "new" },
      { name: "Back", value: "" },
    ]);
    if (!picked) throw new Cancelled(true);
    const chat = picked === "new" ? await makeTeam(s) : chats.find((c) => c.id === picked)!;
    if (!chat) continue;
    const label = chatLabel(chat, me, people);
    if (await openChat(s, chat, label, me, people) === "done") return;
  }
}

/** Makes a team: a name, public or private, people to add by email (or none). */
async function makeTeam(s: Playground): Promise<Chat | undefined> {
  const name = (await s.prompter.input("The team's name", {
    validate: (v) => v.trim() ? true : "A team needs a name, such as Rockets",
  })).trim();
  const isPublic = await s.prompter.confirm("Public (anyone in the company may find and join it)?", { default: true });
  const emails = (await s.prompter.input("Add people by email (comma-separated; empty: just you)", {
    default: "",
    validate: (v) =>
      v.split(",").map((e) => e.trim()).filter(Boolean).every((e) => /^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(e)) ||
      "Give email addresses such as bob.baker@acme-robotics.example, separated by commas",
  })).split(",").map((e) => e.trim()).filter(Boolean);
  const made = await s.call("Make the team", "POST", `${TM}/teams`, {
    body: { name, public: isPublic, ...(emails.length ? { members: emails.map((email) => ({ email })) } : {}) },
  });
  s.out.print(`  ✓ Team ${made.body.name} (${made.body.id}) made.`);
  return (await s.call("The new team's chat", "GET", `${TM}/chats/${made.body.id}`)).body as Chat;
}

/** Reads a chat, posts to it, and watches it live until the user leaves it. */
async function openChat(
  s: Playground,
  chat: Chat,
  label: string,
  me: string,
  people: People,
): Promise<"done" | "back"> {
  const path = `${TM}/chats/${chat.id}/posts`;
  const shown = new Set<string>();
  const first = await s.call(`The latest posts of ${fit(label, 40)}`, "GET", path, { query: { recordCount: PAGE } });
  let posts = first.body.records as Post[];
  let older: string | undefined = first.body.navigation?.nextPageToken;
  await people.learn(posts.flatMap((p) => [p.creatorId, ...(p.addedPersonIds ?? [])]));
  s.out.print(`  ${label}`);
  if (!posts.length) s.out.print("  No post yet: be the first.");
  for (const line of pageLines(posts, people)) s.out.print(line);
  posts.forEach((p) => shown.add(p.id));

  // Live: a post that arrives while the menu waits prints above it.
  let arrived = 0;
  const events: EventNotification[] = [];
  // The posts this session made (its own, and the emulator's on its behalf): a replay makes them again, so their
  // events are what it can expect; a post from elsewhere (another tool, a person) it cannot.
  const ours = new Set<string>();
  let mine: Post | undefined; // the user's last post here, which they may edit or delete
  let sub: EventSubscription | undefined;
  let subscribed: Step | undefined;
  try {
    sub = await s.waitFor("Subscribing to new posts over WebSocket", () =>
      s.rc.subscribe([POSTS_FILTER], (e) => {
        events.push(e);
        const p = e.body as unknown as Post & { eventType?: string };
        if (p.groupId !== chat.id) return;
        if (e.body.eventType === "PostChanged") return s.out.print(`${postLine(p, people, "✎")} (edited)`);
        if (e.body.eventType === "PostRemoved") return s.out.print(`  ✗ a post was deleted (${p.id})`);
        if (e.body.eventType !== "PostAdded" || shown.has(p.id)) return;
        shown.add(p.id);
        arrived++;
        s.out.print(postLine(p, people, "←"));
      }, { onError: (e) => s.out.print(`  ! ${e.message}`) }));
    subscribed = s.record({ kind: "subscribe", label: "Subscribe to new posts", eventFilters: [POSTS_FILTER] });
    s.out.print(`  ✓ Watching for new posts (subscription ${sub.id}): they show here as they arrive.`);
  } catch (e) {
    if (e instanceof Cancelled) throw e;
    s.out.print(`  (Not live: ${(e as Error).message}. Read it again to see new posts.)`);
  }

  const emulated = s.rc.target === "emulator";
  const member = (chat.members ?? []).some((m) => m.id === me);
  const others = (chat.members ?? []).some((m) => m.id !== me);
  let previous: string | undefined;
  try {
    for (;;) {
      const action = await s.prompter.select(
        () => `${fit(label, 40)} (${arrived} new)`,
        () => [
          ...(member ? [{ name: "Post a message", value: "post" }] : []),
          ...(mine
            ? [
              { name: "Edit your last post", value: "edit" },
              { name: "Delete your last post", value: "delete" },
            ]
            : []),
          ...(emulated && others ? [{ name: "Make someone else post (emulator)", value: "other" }] : []),
          ...(older ? [{ name: `Older posts (up to ${PAGE})`, value: "older" }] : []),
          { name: "Read it again from the latest", value: "again" },
          { name: "Back to your chats", value: "back" },
          { name: "Done", value: "done" },
        ],
        { default: previous },
      );
      previous = action;
      if (action === "back" || action === "done") return action;
      if (action === "post") {
        const text = await s.prompter.input("Your post", {
          validate: checkPostText,
          hint: (v) => (v.length > 200 ? `(${v.length})` : ""),
        });
        const sent = await s.call("Post it", "POST", path, { body: { text } });
        const p = sent.body as Post;
        ours.add(String(p.id));
        mine = p;
        if (!shown.has(p.id)) {
          shown.add(p.id);
          s.out.print(postLine(p, people, "→"));
        }
      } else if (action === "edit" && mine) {
        const text = await s.prompter.input("The new text", {
          default: mine.text ?? "",
          validate: checkPostText,
          hint: (v) => (v.length > 200 ? `(${v.length})` : ""),
        });
        const edited = await s.call("Edit the post", "PATCH", `${path}/${mine.id}`, { body: { text } });
        mine = edited.body as Post;
        if (!sub) s.out.print(`${postLine(mine, people, "✎")} (edited)`); // live, its event says so
      } else if (action === "delete" && mine) {
        if (!(await s.prompter.confirm(`Delete "${fit(mine.text ?? "", 50)}"?`, { default: false }))) continue;
        await s.call("Delete the post", "DELETE", `${path}/${mine.id}`);
        if (!sub) s.out.print(`  ✗ a post was deleted (${mine.id})`);
        mine = undefined;
      } else if (action === "other") {
        const text = await s.prompter.input("What they post", {
          default: "Hi! Did you see the demo?",
          validate: checkPostText,
        });
        const made = await s.call("Someone else posts (emulator)", "POST", "/__emulator/inbound-post", {
          body: { chatId: chat.id, text },
        });
        const id = String(made.body.id);
        ours.add(id);
        await people.learn([String(made.body.creatorId)]);
        if (sub) {
          await s.waitFor("Waiting for its event", async (signal) => {
            for (let i = 0; i < 40 && !shown.has(id); i++) await delay(50, signal);
          });
        }
        if (!shown.has(id)) {
          shown.add(id);
          s.out.print(postLine(made.body as Post, people, "←"));
        }
      } else if (action === "older" && older) {
        const page = await s.call("Older posts", "GET", path, { query: { recordCount: PAGE, pageToken: older } });
        posts = page.body.records as Post[];
        older = page.body.navigation?.nextPageToken;
        await people.learn(posts.flatMap((p) => [p.creatorId, ...(p.addedPersonIds ?? [])]));
        s.out.print("  (older)");
        for (const line of pageLines(posts, people)) s.out.print(line);
        posts.forEach((p) => shown.add(p.id));
        if (!older) s.out.print("  That is the first post of this chat.");
      } else if (action === "again") {
        const page = await s.call(`The latest posts`, "GET", path, { query: { recordCount: PAGE } });
        posts = page.body.records as Post[];
        older = page.body.navigation?.nextPageToken;
        await people.learn(posts.flatMap((p) => [p.creatorId, ...(p.addedPersonIds ?? [])]));
        for (const line of pageLines(posts, people)) s.out.print(line);
        if (!posts.length) s.out.print("  No post yet: be the first.");
        posts.forEach((p) => shown.add(p.id));
        arrived = 0; // read: the count of new posts starts again
      }
    }
  } finally {
    if (sub) {
      await sub.close();
      const caused = events.filter((e) => ours.has(String((e.body as { id?: unknown }).id))).length;
      s.record({ kind: "events", label: "Post events received", subscription: subscribed!, count: caused });
    }
  }
}
