/**
 * Team Messaging's state: chats (the company's Everyone chat, each user's
 * Personal chat, teams, direct and group conversations), their posts, and
 * the guests invited by email. Plain data, made from the account on the
 * first Team Messaging request (the same ids every time, so that a
 * recording replays), then changed through the API (team_messaging.ts).
 * @module
 */
import type { ChatState, EmulatorState, Extension, TeamMessagingState } from "./state.ts";

/** The event filters of Team Messaging posts the emulator emits (the second is the older Glip name). */
export const POST_FILTERS: readonly string[] = ["/team-messaging/v1/posts", "/restapi/v1.0/glip/posts"];

/** The chat event filters (`/team-messaging/v1/groups` is the guide's other name; the last the older Glip one). */
export const CHAT_FILTERS: readonly string[] = [
  "/team-messaging/v1/chats",
  "/team-messaging/v1/groups",
  "/restapi/v1.0/glip/groups",
];

/** The first id of Team Messaging objects: chats, posts and guests count up from here. */
const FIRST_ID = 1_000_000_001;

/** The seeded teams: name, whether public, description, members by extension number (the creator first). */
const TEAMS: [string, boolean, string, string[]][] = [
  ["Engineering", false, "Robots that build robots", ["106", "101", "107", "108", "111"]],
  ["Robot arm launch", true, "Everything about the launch of the R2 arm", ["111", "101", "102", "103", "106"]],
  ["Lunch club", true, "Where shall we eat today?", ["104", "105", "109", "112"]],
];

/** Seeded posts: chat (a team's name, `Everyone`, `Direct` with Bob, `Group`), author, text, minutes ago. */
const POSTS: [string, string, string, number][] = [
  ["Everyone", "114", "Welcome to Acme Robotics' Everyone chat: company news goes here.", 4 * 24 * 60],
  ["Everyone", "101", "The office is closed on Friday for the move to the new lab.", 2 * 24 * 60],
  ["Engineering", "106", "The gripper firmware 2.3 is on the test bench.", 3 * 24 * 60],
  ["Engineering", "107", "Torque tests pass at 40 Nm; 45 next.", 26 * 60],
  ["Engineering", "101", "Nice. Please log the results in the wiki.", 25 * 60],
  ["Robot arm launch", "111", "Launch date is set: the 14th. Demo script draft in the drive.", 2 * 24 * 60],
  ["Robot arm launch", "102", "Three customers asked for a demo slot already.", 5 * 60],
  ["Robot arm launch", "103", "Let's keep two slots for the trade press.", 4 * 60],
  ["Lunch club", "104", "Tacos at noon?", 90],
  ["Direct", "102", "Hi Alice, do you have a minute for the Q3 quotes?", 3 * 60],
  ["Direct", "101", "Sure, call me after 3.", 2 * 60 + 50],
  ["Group", "103", "Sales review moved to Thursday 10:00.", 6 * 60],
];

/** The enabled users of the account: the people of Team Messaging. */
export function people(state: EmulatorState): Extension[] {
  return state.extensions.filter((e) => e.type === "User" && e.status === "Enabled");
}

/**
 * Team Messaging's state, made from the account on first use: the company's
 * Everyone chat, a Personal chat for each user, three teams (Alice is in two;
 * Lunch club is public, to join), a direct chat with Bob, a group chat, and
 * a few days of posts.
 */
export function teamMessagingOf(state: EmulatorState, now: number): TeamMessagingState {
  if (state.teamMessaging) return state.teamMessaging;
  const tm: TeamMessagingState = { chats: [], posts: [], guests: [], nextId: FIRST_ID };
  const users = people(state);
  const idOf = (extensionNumber: string) => users.find((u) => u.extensionNumber === extensionNumber)?.id.toString();
  const alice = idOf("101") ?? String(users[0]?.id ?? "");
  const week = now - 7 * 86_400_000;
  const chat = (fields: Omit<ChatState, "id" | "status" | "created" | "modified">): ChatState => {
    const made: ChatState = { id: String(tm.nextId++), status: "Active", created: week, modified: week, ...fields };
    tm.chats.push(made);
    return made;
  };
  const everyone = chat({
    type: "Everyone",
    name: state.account.companyName,
    description: "Everyone in the company",
    members: users.map((u) => String(u.id)),
  });
  for (const u of users) chat({ type: "Personal", members: [String(u.id)] });
  const named: Record<string, ChatState> = { Everyone: everyone };
  for (const [name, isPublic, description, numbers] of TEAMS) {
    const members = numbers.map(idOf).filter((id): id is string => id !== undefined);
    if (members.length) {
      named[name] = chat({ type: "Team", name, public: isPublic, description, members, creatorId: members[0] });
    }
  }
  const bob = idOf("102");
  const carol = idOf("103");
  if (bob) named.Direct = chat({ type: "Direct", members: [alice, bob] });
  if (bob && carol) named.Group = chat({ type: "Group", members: [alice, bob, carol] });
  for (const [where, author, text, minutesAgo] of [...POSTS].sort((a, b) => b[3] - a[3])) {
    const creatorId = idOf(author);
    const target = named[where];
    if (!target || !creatorId || !target.members.includes(creatorId)) continue;
    const at = now - minutesAgo * 60_000;
    tm.posts.push({
      id: String(tm.nextId++),
      chatId: target.id,
      creatorId,
      type: "TextMessage",
      text,
      created: at,
      modified: at,
    });
  }
  state.teamMessaging = tm;
  return tm;
}
