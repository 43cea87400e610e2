/**
 * Team Messaging in the emulator (`/team-messaging/v1/`): teams (create,
 * list, read, rename, delete, join, leave, add and remove members), chats
 * (list by type, read), conversations (open a Direct or Group chat by its
 * members, list, read), the Everyone chat (read, rename), posts (create, list newest first, read, edit,
 * delete), people (`persons/~` is the caller), RingCentral's `recordCount` /
 * `pageToken` paging, and the events `/team-messaging/v1/posts` and
 * `/team-messaging/v1/chats`. The control `POST /__emulator/inbound-post`
 * makes another user post. The state is team_state.ts's.
 * @module
 */
import type { Ctx } from "./_context.ts";
import { apiError, baseHeaders, type HttpError, invalidParameter, json, type JsonBody } from "./_http.ts";
import { notFound } from "./_lookup.ts";
import type { Params, Route } from "./_router.ts";
import { attendeeOf } from "./room.ts";
import type { ChatState, EmulatorState, Extension, PostState, TeamMessagingState } from "./state.ts";
import { publish } from "./subscriptions.ts";
import { CHAT_FILTERS, people, POST_FILTERS, teamMessagingOf } from "./team_state.ts";
import { publish as tell } from "./world/activity.ts";

const TM = "/team-messaging/v1";
/** The chat types, as the spec names them. */
const CHAT_TYPES = ["Personal", "Direct", "Group", "Team", "Everyone"] as const;
/** The longest post the emulator keeps, in UTF-16 units. */
const MAX_POST_TEXT = 10_000;
/** What a post event's `body.type` calls each chat type (the guide's names). */
const EVENT_CHAT_TYPES: Record<ChatState["type"], string> = {
  Everyone: "Everyone",
  Team: "Team",
  Group: "Group",
  Direct: "PrivateChat",
  Personal: "PersonalChat",
};

const iso = (t: number) => new Date(t).toISOString();

// ---------------------------------------------------------------- records

/** A chat as `GET /team-messaging/v1/chats` lists it. */
function chatRecord(c: ChatState): JsonBody {
  return {
    id: c.id,
    type: c.type,
    ...(c.type === "Team" ? { public: !!c.public } : {}),
    ...(c.name !== undefined ? { name: c.name } : {}),
    ...(c.description !== undefined ? { description: c.description } : {}),
    status: c.status,
    creationTime: iso(c.created),
    lastModifiedTime: iso(c.modified),
    members: c.members.map((id) => ({ id })),
  };
}

/** A team as `GET /team-messaging/v1/teams` lists it. */
function teamRecord(c: ChatState): JsonBody {
  return {
    id: c.id,
    type: "Team",
    public: !!c.public,
    name: c.name ?? "",
    ...(c.description !== undefined ? { description: c.description } : {}),
    status: c.status,
    creationTime: iso(c.created),
    lastModifiedTime: iso(c.modified),
  };
}

/** Mentions in a post's text: RingCentral's `![:Person](id)` and `![:Team](id)` markup. */
function mentionsOf(state: EmulatorState, tm: TeamMessagingState, text: string) {
  const mentions: { id: string; type: string; name: string }[] = [];
  for (const [, type, id] of text.matchAll(/!\[:(Person|Team)\]\((\d+)\)/g)) {
    const name = type === "Person"
      ? state.extensions.find((e) => String(e.id) === id)?.name ?? tm.guests.find((g) => g.id === id)?.email
      : tm.chats.find((c) => c.id === id)?.name;
    if (name !== undefined) mentions.push({ id, type, name });
  }
  return mentions;
}

/** A post as RingCentral returns it. */
function postRecord(state: EmulatorState, tm: TeamMessagingState, p: PostState): Record<string, unknown> {
  return {
    id: p.id,
    groupId: p.chatId,
    type: p.type,
    ...(p.text !== undefined ? { text: p.text } : {}),
    creatorId: p.creatorId,
    ...(p.addedPersonIds ? { addedPersonIds: p.addedPersonIds } : {}),
    creationTime: iso(p.created),
    lastModifiedTime: iso(p.modified),
    attachments: [],
    mentions: p.text ? mentionsOf(state, tm, p.text) : [],
  };
}

// ---------------------------------------------------------------- lookups

/** The caller's person id (their extension's id). */
function me(ctx: Ctx): string {
  return String(ctx.session!.extensionId);
}

/** Team Messaging's state, made on first use. */
function tmOf(ctx: Ctx): TeamMessagingState {
  return teamMessagingOf(ctx.state, ctx.now);
}

/** Whether `person` may see `chat`: a member, or anyone in the company for a public team. */
function canSee(chat: ChatState, person: string): boolean {
  return chat.members.includes(person) || (chat.type === "Team" && !!chat.public);
}

/** The chat the path names, when the caller may see it; RingCentral's 404 otherwise. */
function chatOf(ctx: Ctx, id: string, { teamOnly = false } = {}): ChatState {
  const chat = tmOf(ctx).chats.find((c) => c.id === id);
  if (!chat || !canSee(chat, me(ctx)) || (teamOnly && chat.type !== "Team")) throw notFound("chatId");
  return chat;
}

/** The 403 for an action in a chat the caller is not a member of. */
function notMember(chat: ChatState): HttpError {
  const how = chat.type === "Team" && chat.public ? `: join the team first (POST ${TM}/teams/${chat.id}/join)` : "";
  return apiError(403, { errorCode: "Forbidden", message: `You are not a member of chat [${chat.id}]${how}` });
}

/** The chat, which the caller must be a member of (to post, or to read its posts). */
function memberChatOf(ctx: Ctx, id: string): ChatState {
  const chat = chatOf(ctx, id);
  if (!chat.members.includes(me(ctx))) throw notMember(chat);
  return chat;
}

/** The post of the chat the path names. */
function postOf(ctx: Ctx, params: Params): { chat: ChatState; post: PostState } {
  const chat = memberChatOf(ctx, params.chatId);
  const post = tmOf(ctx).posts.find((p) => p.id === params.postId && p.chatId === chat.id);
  if (!post) throw notFound("postId");
  return { chat, post };
}

/** The JSON object body of a request, or RingCentral's 400 saying what to send. */
async function objectBody(ctx: Ctx, example: string): Promise<Record<string, unknown>> {
  const body = await ctx.json();
  if (!body || typeof body !== "object" || Array.isArray(body)) {
    throw invalidParameter("body", { message: `Request body must be a JSON object such as ${example}` });
  }
  return body as Record<string, unknown>;
}

// ---------------------------------------------------------------- paging

/** The `recordCount` of a list request: 1 to 250, 30 unless given. */
function recordCountOf(ctx: Ctx): number {
  const raw = ctx.url.searchParams.get("recordCount");
  if (raw === null) return 30;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > 250) {
    throw invalidParameter("recordCount", { value: raw, detail: " It is a whole number from 1 to 250." });
  }
  return n;
}

/** A page token: where a page starts in a list, opaque to clients. */
function token(position: number, length: number): string {
  return btoa(`${position}:${length}`).replace(/=+$/, "");
}

/**
 * One page of `records` (in their order) by `recordCount` and `pageToken`,
 * with `navigation.nextPageToken` and `prevPageToken` where there is a page
 * there. A token names a position and the list's length then, so that the
 * next page of a list that grew at its top since (posts arriving, newest
 * first) still goes on where the last one ended.
 */
function page<T>(
  ctx: Ctx,
  records: T[],
  { newestFirst = false } = {},
): { records: T[]; navigation: Record<string, string> } {
  const count = recordCountOf(ctx);
  const raw = ctx.url.searchParams.get("pageToken");
  let start = 0;
  if (raw !== null) {
    let decoded = "";
    try {
      decoded = atob(raw);
    } catch { /* not a token */ }
    const m = /^(\d+):(\d+)$/.exec(decoded);
    if (!m) {
      throw invalidParameter("pageToken", {
        value: raw,
        detail: " Use the navigation.nextPageToken or prevPageToken of a previous answer.",
      });
    }
    // Posts are newest first: what arrived since the token was made pushes its page further down.
    const grown = newestFirst ? Math.max(0, records.length - Number(m[2])) : 0;
    start = Number(m[1]) + grown;
  }
  const navigation: Record<string, string> = {};
  if (start + count < records.length) navigation.nextPageToken = token(start + count, records.length);
  if (start > 0) navigation.prevPageToken = token(Math.max(0, start - count), records.length);
  return { records: records.slice(start, start + count), navigation };
}

// ---------------------------------------------------------------- events

/** The post event (`PostAdded`, `PostChanged`, `PostRemoved`) to each subscribed member of the post's chat. */
function emitPost(ctx: Ctx, chat: ChatState, post: PostState, eventType: string): void {
  const tm = tmOf(ctx);
  const body = { ...postRecord(ctx.state, tm, post), eventType };
  publish(ctx.state, ctx.now, (filter, s) => {
    if (!POST_FILTERS.includes(filter) || !chat.members.includes(String(s.extensionId))) return undefined;
    return body;
  });
  if (eventType === "PostRemoved") return;
  const who = personName(ctx.state, tm, post.creatorId);
  const where = chatName(ctx.state, chat, post.creatorId);
  const text = post.text ?? post.type;
  tell(ctx.state, {
    kind: "post",
    text: `${who} ${eventType === "PostAdded" ? "posted" : "edited a post"} in ${where}: ${
      text.length > 60 ? `${text.slice(0, 59)}…` : text
    }`,
  });
}

/** A chat event (`GroupJoined`, `GroupLeft`, `GroupRenamed`, `GroupChanged`) to the subscribed `people`. */
function emitChat(ctx: Ctx, chat: ChatState, eventType: string, to: string[]): void {
  const body = {
    id: chat.id,
    name: chat.name ?? null,
    description: chat.description ?? null,
    type: EVENT_CHAT_TYPES[chat.type],
    status: chat.status,
    members: chat.members,
    isPublic: chat.type === "Team" ? !!chat.public : null,
    creationTime: iso(chat.created),
    lastModifiedTime: iso(chat.modified),
    eventType,
  };
  publish(ctx.state, ctx.now, (filter, s) => {
    if (!CHAT_FILTERS.includes(filter) || !to.includes(String(s.extensionId))) return undefined;
    return body;
  });
}

/** A person's name, for the activity feed. */
function personName(state: EmulatorState, tm: TeamMessagingState, id: string): string {
  return state.extensions.find((e) => String(e.id) === id)?.name ?? tm.guests.find((g) => g.id === id)?.email ?? id;
}

/** A chat's name as its members see it: the team's, or the other people's. */
function chatName(state: EmulatorState, chat: ChatState, viewer?: string): string {
  if (chat.name) return chat.name;
  if (chat.type === "Personal") return "Personal chat";
  const others = chat.members.filter((m) => m !== viewer)
    .map((m) => state.extensions.find((e) => String(e.id) === m)?.name ?? m);
  return others.join(", ") || chat.type;
}

// ---------------------------------------------------------------- posts

/** Adds a post to `chat` by `creatorId`, emits `PostAdded`; the chat's last change is now. */
function addPost(
  ctx: Ctx,
  chat: ChatState,
  creatorId: string,
  fields: Pick<PostState, "type" | "text" | "addedPersonIds">,
): PostState {
  const tm = tmOf(ctx);
  const post: PostState = {
    id: String(tm.nextId++),
    chatId: chat.id,
    creatorId,
    ...fields,
    created: ctx.now,
    modified: ctx.now,
  };
  tm.posts.push(post);
  chat.modified = ctx.now;
  emitPost(ctx, chat, post, "PostAdded");
  return post;
}

/** The text of a post request: a string of 1 to 10,000 characters. */
function postText(body: Record<string, unknown>): string {
  if (Array.isArray(body.attachments) && body.attachments.length) {
    throw invalidParameter("attachments", {
      message: 'The emulator keeps text posts only: send {"text": "…"} without attachments',
    });
  }
  if (typeof body.text !== "string" || !body.text.trim()) {
    throw invalidParameter("text", { message: 'A post needs text: send {"text": "Hello, team"}' });
  }
  if (body.text.length > MAX_POST_TEXT) {
    throw invalidParameter("text", {
      message: `Post text is ${body.text.length} characters; at most ${MAX_POST_TEXT} are allowed`,
    });
  }
  return body.text;
}

async function createPost(ctx: Ctx, params: Params): Promise<Response> {
  const chat = memberChatOf(ctx, params.chatId);
  const text = postText(await objectBody(ctx, '{"text": "Hello, team"}'));
  const post = addPost(ctx, chat, me(ctx), { type: "TextMessage", text });
  return json(postRecord(ctx.state, tmOf(ctx), post), 201);
}

function listPosts(ctx: Ctx, params: Params): JsonBody {
  const chat = memberChatOf(ctx, params.chatId);
  const tm = tmOf(ctx);
  const newestFirst = tm.posts.filter((p) => p.chatId === chat.id).reverse();
  const { records, navigation } = page(ctx, newestFirst, { newestFirst: true });
  return { records: records.map((p) => postRecord(ctx.state, tm, p)), navigation };
}

function readPost(ctx: Ctx, params: Params): JsonBody {
  return postRecord(ctx.state, tmOf(ctx), postOf(ctx, params).post);
}

/** The 403 for changing someone else's post. */
function notAuthor(what: string): HttpError {
  return apiError(403, { errorCode: "Forbidden", message: `Only the author of a post may ${what} it` });
}

async function editPost(ctx: Ctx, params: Params): Promise<JsonBody> {
  const { chat, post } = postOf(ctx, params);
  if (post.creatorId !== me(ctx)) throw notAuthor("edit");
  const text = postText(await objectBody(ctx, '{"text": "Hello again"}'));
  post.text = text;
  post.modified = ctx.now;
  emitPost(ctx, chat, post, "PostChanged");
  return postRecord(ctx.state, tmOf(ctx), post);
}

function deletePost(ctx: Ctx, params: Params): Response {
  const { chat, post } = postOf(ctx, params);
  if (post.creatorId !== me(ctx)) throw notAuthor("delete");
  const tm = tmOf(ctx);
  tm.posts.splice(tm.posts.indexOf(post), 1);
  emitPost(ctx, chat, post, "PostRemoved");
  return new Response(null, { status: 204, headers: baseHeaders() });
}

// ---------------------------------------------------------------- chats

function listChats(ctx: Ctx): JsonBody {
  const q = ctx.url.searchParams;
  const types = q.getAll("type").flatMap((t) => t.split(",")).map((t) => t.trim()).filter(Boolean);
  const unknown = types.find((t) => !(CHAT_TYPES as readonly string[]).includes(t));
  if (unknown) {
    throw invalidParameter("type", { value: unknown, detail: ` The types are ${CHAT_TYPES.join(", ")}.` });
  }
  const person = me(ctx);
  const mine = tmOf(ctx).chats.filter((c) =>
    c.members.includes(person) && c.status === "Active" && (!types.length || types.includes(c.type))
  );
  const { records, navigation } = page(ctx, mine);
  return { records: records.map(chatRecord), navigation };
}

// ---------------------------------------------------------------- conversations

/** A conversation (a Personal, Direct or Group chat) as `/team-messaging/v1/conversations` answers it. */
function conversationRecord(c: ChatState): JsonBody {
  return {
    id: c.id,
    type: c.type,
    creationTime: iso(c.created),
    lastModifiedTime: iso(c.modified),
    members: c.members.map((id) => ({ id })),
  };
}

const CONVERSATION_TYPES: ChatState["type"][] = ["Personal", "Direct", "Group"];

/** The conversation the path names, when the caller is in it; RingCentral's 404 otherwise (a team is not one). */
function conversationOf(ctx: Ctx, id: string): ChatState {
  const chat = chatOf(ctx, id);
  if (!CONVERSATION_TYPES.includes(chat.type) || !chat.members.includes(me(ctx))) throw notFound("chatId");
  return chat;
}

/** `GET …/conversations`: the caller's conversations, oldest first. */
function listConversations(ctx: Ctx): JsonBody {
  const person = me(ctx);
  const mine = tmOf(ctx).chats
    .filter((c) => CONVERSATION_TYPES.includes(c.type) && c.members.includes(person) && c.status === "Active")
    .sort((a, b) => a.created - b.created);
  const { records, navigation } = page(ctx, mine);
  return { records: records.map(conversationRecord), navigation };
}

/**
 * `POST …/conversations`: opens the conversation of the caller and `members`
 * (by id or email): the one they already have (200), else a new one (201,
 * with a `GroupJoined` chat event to them): Direct for two people, Group
 * for more, the caller's Personal chat for none but the caller.
 */
async function openConversation(ctx: Ctx): Promise<Response> {
  const example = '{"members": [{"email": "bob.baker@acme-robotics.example"}]}';
  const body = await objectBody(ctx, example);
  if (!Array.isArray(body.members) || !body.members.length) {
    throw invalidParameter("members", { message: `A conversation needs its members: send ${example}` });
  }
  const caller = me(ctx);
  const members = [caller, ...membersOf(ctx, body.members).filter((m) => m !== caller)];
  const type: ChatState["type"] = members.length === 1 ? "Personal" : members.length === 2 ? "Direct" : "Group";
  const tm = tmOf(ctx);
  const same = (c: ChatState) =>
    c.type === type && c.status === "Active" && c.members.length === members.length &&
    members.every((m) => c.members.includes(m));
  const found = tm.chats.find(same);
  if (found) return json(conversationRecord(found), 200);
  const chat: ChatState = {
    id: String(tm.nextId++),
    type,
    status: "Active",
    members,
    creatorId: caller,
    created: ctx.now,
    modified: ctx.now,
  };
  tm.chats.push(chat);
  emitChat(ctx, chat, "GroupJoined", members);
  tell(ctx.state, {
    kind: "team",
    text: `${personName(ctx.state, tm, caller)} opened ${chatName(ctx.state, chat, caller)}`,
  });
  return json(conversationRecord(chat), 201);
}

// ---------------------------------------------------------------- the Everyone chat

/** The company's Everyone chat (every user is in it). */
function everyoneOf(ctx: Ctx): ChatState {
  const chat = tmOf(ctx).chats.find((c) => c.type === "Everyone");
  if (!chat) throw notFound("chatId");
  return chat;
}

function everyoneRecord(c: ChatState): JsonBody {
  return {
    id: c.id,
    type: "Everyone",
    name: c.name ?? "",
    ...(c.description !== undefined ? { description: c.description } : {}),
    creationTime: iso(c.created),
    lastModifiedTime: iso(c.modified),
  };
}

/** `PATCH …/everyone`: renames it or changes its description, with the chat event to its members. */
async function patchEveryone(ctx: Ctx): Promise<JsonBody> {
  const body = await objectBody(ctx, '{"name": "All of Acme", "description": "Company news"}');
  for (const field of ["name", "description"] as const) {
    if (body[field] !== undefined && typeof body[field] !== "string") {
      throw invalidParameter(field, { message: `${field} is text` });
    }
  }
  if (typeof body.name === "string" && !body.name.trim()) {
    throw invalidParameter("name", { message: 'The Everyone chat keeps a name: send {"name": "All of Acme"}' });
  }
  const chat = everyoneOf(ctx);
  const renamed = typeof body.name === "string" && body.name.trim() !== chat.name;
  if (typeof body.name === "string") chat.name = body.name.trim();
  if (typeof body.description === "string") chat.description = body.description;
  chat.modified = ctx.now;
  emitChat(ctx, chat, renamed ? "GroupRenamed" : "GroupChanged", chat.members);
  return everyoneRecord(chat);
}

// ---------------------------------------------------------------- teams

/** The members a request names by `id` or `email`: people of the account, or guests (made for a new email). */
function membersOf(ctx: Ctx, value: unknown): string[] {
  if (value === undefined) return [];
  const example = ' such as [{"id": "62264425202"}, {"email": "someone@example.com"}]';
  if (!Array.isArray(value)) throw invalidParameter("members", { message: `members is a list${example}` });
  const tm = tmOf(ctx);
  const users = people(ctx.state);
  const ids: string[] = [];
  for (const m of value as { id?: unknown; email?: unknown }[]) {
    let id: string | undefined;
    if (m && (typeof m.id === "string" || typeof m.id === "number")) {
      const wanted = String(m.id);
      id = users.find((u) => String(u.id) === wanted)?.id.toString() ?? tm.guests.find((g) => g.id === wanted)?.id;
      if (!id) {
        throw invalidParameter("members", {
          value: wanted,
          message: `Person [${wanted}] is not in this account: name members by a user's id or by email`,
        });
      }
    } else if (m && typeof m.email === "string" && /^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(m.email)) {
      const email = m.email.toLowerCase();
      id = users.find((u) => u.email?.toLowerCase() === email)?.id.toString() ??
        tm.guests.find((g) => g.email === email)?.id;
      if (!id) {
        id = String(tm.nextId++);
        tm.guests.push({ id, email, created: ctx.now });
      }
    } else {
      throw invalidParameter("members", { message: `Each member has an id or an email${example}` });
    }
    if (!ids.includes(id)) ids.push(id);
  }
  return ids;
}

async function createTeam(ctx: Ctx): Promise<Response> {
  const body = await objectBody(ctx, '{"name": "Rockets", "public": true, "members": [{"email": "…"}]}');
  if (typeof body.name !== "string" || !body.name.trim()) {
    throw invalidParameter("name", { message: 'A team needs a name: send {"name": "Rockets"}' });
  }
  if (body.public !== undefined && typeof body.public !== "boolean") {
    throw invalidParameter("public", { value: String(body.public), detail: " It is true or false." });
  }
  if (body.description !== undefined && typeof body.description !== "string") {
    throw invalidParameter("description", { message: "description is text" });
  }
  const creator = me(ctx);
  const members = [creator, ...membersOf(ctx, body.members).filter((m) => m !== creator)];
  const tm = tmOf(ctx);
  const team: ChatState = {
    id: String(tm.nextId++),
    type: "Team",
    name: body.name.trim(),
    ...(body.description !== undefined ? { description: body.description as string } : {}),
    public: body.public === true,
    status: "Active",
    members,
    creatorId: creator,
    created: ctx.now,
    modified: ctx.now,
  };
  tm.chats.push(team);
  emitChat(ctx, team, "GroupJoined", members);
  tell(ctx.state, {
    kind: "team",
    text: `${personName(ctx.state, tm, creator)} made the team ${team.name} (${members.length} members)`,
  });
  return json(teamRecord(team), 201);
}

function listTeams(ctx: Ctx): JsonBody {
  const person = me(ctx);
  const teams = tmOf(ctx).chats.filter((c) => c.type === "Team" && canSee(c, person));
  const { records, navigation } = page(ctx, teams);
  return { records: records.map(teamRecord), navigation };
}

async function patchTeam(ctx: Ctx, params: Params): Promise<JsonBody> {
  const team = chatOf(ctx, params.chatId, { teamOnly: true });
  if (!team.members.includes(me(ctx))) throw notMember(team);
  const body = await objectBody(ctx, '{"name": "New name", "description": "…", "public": false}');
  const renamed = body.name !== undefined && body.name !== team.name;
  if (body.name !== undefined && (typeof body.name !== "string" || !body.name.trim())) {
    throw invalidParameter("name", { message: "A team's name is non-empty text" });
  }
  if (body.public !== undefined && typeof body.public !== "boolean") {
    throw invalidParameter("public", { value: String(body.public), detail: " It is true or false." });
  }
  if (body.description !== undefined && typeof body.description !== "string") {
    throw invalidParameter("description", { message: "description is text" });
  }
  if (typeof body.name === "string") team.name = body.name.trim();
  if (typeof body.description === "string") team.description = body.description;
  if (typeof body.public === "boolean") team.public = body.public;
  team.modified = ctx.now;
  emitChat(ctx, team, renamed ? "GroupRenamed" : "GroupChanged", team.members);
  return teamRecord(team);
}

function deleteTeam(ctx: Ctx, params: Params): Response {
  const team = chatOf(ctx, params.chatId, { teamOnly: true });
  if (!team.members.includes(me(ctx))) throw notMember(team);
  const tm = tmOf(ctx);
  tm.chats.splice(tm.chats.indexOf(team), 1);
  tm.posts = tm.posts.filter((p) => p.chatId !== team.id);
  emitChat(ctx, { ...team, status: "Archived" }, "GroupLeft", team.members);
  return new Response(null, { status: 204, headers: baseHeaders() });
}

const NO_CONTENT = () => new Response(null, { status: 204, headers: baseHeaders() });

function joinTeam(ctx: Ctx, params: Params): Response {
  const team = chatOf(ctx, params.chatId, { teamOnly: true });
  const person = me(ctx);
  if (team.members.includes(person)) return NO_CONTENT();
  team.members.push(person);
  addPost(ctx, team, person, { type: "PersonJoined" });
  emitChat(ctx, team, "GroupJoined", [person]);
  return NO_CONTENT();
}

function leaveTeam(ctx: Ctx, params: Params): Response {
  const team = chatOf(ctx, params.chatId, { teamOnly: true });
  const person = me(ctx);
  if (!team.members.includes(person)) throw notMember(team);
  team.members.splice(team.members.indexOf(person), 1);
  team.modified = ctx.now;
  emitChat(ctx, team, "GroupLeft", [person]);
  return NO_CONTENT();
}

async function addMembers(ctx: Ctx, params: Params): Promise<Response> {
  const team = chatOf(ctx, params.chatId, { teamOnly: true });
  const person = me(ctx);
  if (!team.members.includes(person)) throw notMember(team);
  const body = await objectBody(ctx, '{"members": [{"email": "someone@example.com"}]}');
  if (!Array.isArray(body.members) || !body.members.length) {
    throw invalidParameter("members", { message: 'Send {"members": [{"id": "…"}, {"email": "…"}]}' });
  }
  const added = membersOf(ctx, body.members).filter((m) => !team.members.includes(m));
  if (!added.length) return NO_CONTENT();
  team.members.push(...added);
  addPost(ctx, team, person, { type: "PersonsAdded", addedPersonIds: added });
  emitChat(ctx, team, "GroupJoined", added);
  return NO_CONTENT();
}

async function removeMembers(ctx: Ctx, params: Params): Promise<Response> {
  const team = chatOf(ctx, params.chatId, { teamOnly: true });
  if (!team.members.includes(me(ctx))) throw notMember(team);
  const body = await objectBody(ctx, '{"members": [{"id": "…"}]}');
  if (!Array.isArray(body.members) || !body.members.length) {
    throw invalidParameter("members", { message: 'Send {"members": [{"id": "…"}]}' });
  }
  const removed = (body.members as { id?: unknown }[])
    .map((m) => String(m?.id ?? ""))
    .filter((id) => team.members.includes(id));
  if (!removed.length) return NO_CONTENT();
  team.members = team.members.filter((m) => !removed.includes(m));
  team.modified = ctx.now;
  emitChat(ctx, team, "GroupLeft", removed);
  return NO_CONTENT();
}

// ---------------------------------------------------------------- people

/** A person as Team Messaging describes them: a user of the account, or a guest. */
function personRecord(ctx: Ctx, id: string): JsonBody {
  const tm = tmOf(ctx);
  const user: Extension | undefined = people(ctx.state).find((e) => String(e.id) === id);
  if (user) {
    return {
      id,
      ...(user.firstName ? { firstName: user.firstName } : {}),
      ...(user.lastName ? { lastName: user.lastName } : {}),
      ...(user.email ? { email: user.email } : {}),
      companyId: String(ctx.state.account.id),
      creationTime: user.creationTime,
      lastModifiedTime: user.creationTime,
    };
  }
  const guest = tm.guests.find((g) => g.id === id);
  if (!guest) throw notFound("personId");
  return { id, email: guest.email, creationTime: iso(guest.created), lastModifiedTime: iso(guest.created) };
}

// ---------------------------------------------------------------- control

/**
 * `POST /__emulator/inbound-post` `{"chatId": "…", "text": "…", "from": "102"}`:
 * another user posts. `chatId` defaults to the Everyone chat; `from` (an
 * extension number, a person id or an email) to a member of the chat other
 * than the caller (the user whose Bearer token the request carries, else the
 * account's first user). Answers the post, with 201.
 */
export async function inboundPost(ctx: Ctx): Promise<Response> {
  const example = 'Send {"chatId": "…", "text": "Hello", "from": "102"} (chatId defaults to the Everyone chat)';
  const input = await ctx.json();
  if (!input || typeof input !== "object" || Array.isArray(input)) {
    throw invalidParameter("inbound-post", { message: example });
  }
  const body = input as Record<string, unknown>;
  const bad = (message: string) => invalidParameter("inbound-post", { message: `${message}. ${example}` });
  const known = ["chatId", "text", "from"];
  const unknown = Object.keys(body).filter((k) => !known.includes(k));
  if (unknown.length) throw bad(`Unknown field ${unknown.join(", ")}; the fields are ${known.join(", ")}`);
  if (typeof body.text !== "string" || !body.text.trim() || body.text.length > MAX_POST_TEXT) {
    throw bad(`text is 1 to ${MAX_POST_TEXT} characters`);
  }
  const { state } = ctx;
  const tm = teamMessagingOf(state, ctx.now);
  const bearer = /^bearer\s+(\S+)$/i.exec(ctx.request.headers.get("authorization") ?? "")?.[1];
  const token = bearer ? state.tokens.get(bearer) : undefined;
  const caller = String(token?.kind === "access" ? token.session.extensionId : state.extensions[0].id);
  const chat = body.chatId === undefined
    ? tm.chats.find((c) => c.type === "Everyone")
    : tm.chats.find((c) => c.id === String(body.chatId));
  if (!chat) {
    throw bad(`chatId names no chat (GET ${TM}/chats lists yours)`);
  }
  const attendee = attendeeOf(ctx);
  if (attendee !== undefined && !chat.members.includes(String(attendee))) {
    throw bad("In a workshop room, you make posts arrive only in chats you are a member of");
  }
  let from: string | undefined;
  if (body.from !== undefined) {
    const wanted = String(body.from).toLowerCase();
    from = people(state).find((u) =>
      u.extensionNumber === wanted || String(u.id) === wanted || u.email?.toLowerCase() === wanted
    )?.id.toString() ?? tm.guests.find((g) =>
      g.id === wanted || g.email === wanted
    )?.id;
    if (!from) throw bad(`from is a user of the account (an extension number such as 102, an id or an email)`);
    if (!chat.members.includes(from)) {
      throw bad(`${personName(state, tm, from)} is not a member of ${chatName(state, chat)}`);
    }
  } else {
    const users = new Set(people(state).map((u) => String(u.id)));
    from = chat.members.find((m) => m !== caller && users.has(m)) ?? chat.members.find((m) => m !== caller) ??
      caller;
  }
  const post = addPost(ctx, chat, from, { type: "TextMessage", text: body.text });
  return json(postRecord(state, tm, post), 201);
}

// ---------------------------------------------------------------- routes

const light = { group: "Light" as const, permission: "TeamMessaging" };
const medium = { group: "Medium" as const, permission: "TeamMessaging" };
const TEAM = `${TM}/teams/:chatId`;
const POSTS = `${TM}/chats/:chatId/posts`;

/** The Team Messaging routes, each in the spec's rate-limit group, with its app permission. */
export const teamMessagingRoutes: Route<Ctx>[] = [
  { method: "GET", pattern: `${TM}/chats`, ...medium, handler: listChats },
  { method: "GET", pattern: `${TM}/chats/:chatId`, ...light, handler: (ctx, p) => chatRecord(chatOf(ctx, p.chatId)) },
  { method: "GET", pattern: POSTS, ...medium, handler: listPosts },
  { method: "POST", pattern: POSTS, ...medium, handler: createPost },
  { method: "GET", pattern: `${POSTS}/:postId`, ...light, handler: readPost },
  { method: "PATCH", pattern: `${POSTS}/:postId`, ...medium, handler: editPost },
  { method: "DELETE", pattern: `${POSTS}/:postId`, ...medium, handler: deletePost },
  { method: "GET", pattern: `${TM}/conversations`, ...medium, handler: listConversations },
  { method: "POST", pattern: `${TM}/conversations`, ...medium, handler: openConversation },
  {
    method: "GET",
    pattern: `${TM}/conversations/:chatId`,
    ...light,
    handler: (ctx, p) => conversationRecord(conversationOf(ctx, p.chatId)),
  },
  { method: "GET", pattern: `${TM}/everyone`, ...light, handler: (ctx) => everyoneRecord(everyoneOf(ctx)) },
  { method: "PATCH", pattern: `${TM}/everyone`, ...medium, handler: patchEveryone },
  { method: "GET", pattern: `${TM}/teams`, ...medium, handler: listTeams },
  { method: "POST", pattern: `${TM}/teams`, ...medium, handler: createTeam },
  {
    method: "GET",
    pattern: TEAM,
    ...light,
    handler: (ctx, p) => teamRecord(chatOf(ctx, p.chatId, { teamOnly: true })),
  },
  { method: "PATCH", pattern: TEAM, ...medium, handler: patchTeam },
  { method: "DELETE", pattern: TEAM, ...medium, handler: deleteTeam },
  { method: "POST", pattern: `${TEAM}/join`, ...medium, handler: joinTeam },
  { method: "POST", pattern: `${TEAM}/leave`, ...medium, handler: leaveTeam },
  { method: "POST", pattern: `${TEAM}/add`, ...medium, handler: addMembers },
  { method: "POST", pattern: `${TEAM}/remove`, ...medium, handler: removeMembers },
  {
    method: "GET",
    pattern: `${TM}/persons/:personId`,
    ...light,
    handler: (ctx, p) => personRecord(ctx, p.personId === "~" ? me(ctx) : p.personId),
  },
];
