/**
 * A RingCentral-compatible server as a `Request → Response` function:
 * usable in-process as a client's `fetch`, or served on loopback with
 * {@linkcode serve} (`deno task emulator` runs `cli.ts`). It has a seed
 * account, RingCentral's OAuth, rate limits and error bodies, SMS and calls
 * (RingOut, call control, presence, the call log, recordings on a media
 * origin), Team Messaging (teams, chats, posts and their events), and a
 * control API under `/__emulator/` (faults, the clock, inbound SMS, calls and
 * posts, a reset).
 *
 * @example
 * ```ts
 * import { createEmulator } from "./mod.ts";
 * import { equal } from "node:assert/strict";
 * const emulator = createEmulator();
 * const response = await emulator.fetch("http://emulator.local/restapi/v1.0/account/~");
 * equal(response.status, 401); // no token yet
 * ```
 * @module
 */
export { createEmulator, type Emulator, type EmulatorCredentials, type EmulatorOptions } from "./emulator.ts";
export { serve, type ServedEmulator, type ServeOptions } from "./serve.ts";
export { Activity, type ActivityEvent, type ActivityInput } from "./world/activity.ts";
export { loadWorld, type SavedWorld, saveWorld, WorldError, worldFromSnapshot, worldSnapshot } from "./world/save.ts";
export type {
  Account,
  App,
  Call,
  CallEnd,
  CallLogEntry,
  CallLogLeg,
  CallLogParty,
  CallPartyState,
  CallStep,
  ChatState,
  EmulatorState,
  Extension,
  Fault,
  FaxDetails,
  GatewayConnection,
  GuestPerson,
  Message,
  OAuthSession,
  Party,
  PhoneNumber,
  PostState,
  PresenceState,
  RingOutState,
  SocketLink,
  Stats,
  StepProgress,
  StoredAttachment,
  Subscription,
  TeamMessagingState,
  TokenRecord,
} from "./state.ts";
