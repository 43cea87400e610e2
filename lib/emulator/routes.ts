/**
 * The emulator's one route table, in matching order: its controls, then
 * RingCentral's OAuth, account, messaging (SMS, MMS, fax, sync), call, presence and Team Messaging endpoints.
 * @module
 */
import { accountRoutes } from "./account.ts";
import { callRoutes } from "./call_routes.ts";
import { authorizeRoutes } from "./authorize.ts";
import type { Ctx } from "./_context.ts";
import { controlRoutes } from "./control.ts";
import { faxRoutes } from "./fax.ts";
import { messageRoutes } from "./messages.ts";
import { teamMessagingRoutes } from "./team_messaging.ts";
import { messageSyncRoutes } from "./message_sync.ts";
import { oauthRoutes } from "./oauth.ts";

import { roomRoutes } from "./room.ts";
import { progressRoutes } from "./room_progress.ts";
import { subscriptionRoutes } from "./subscriptions.ts";
import { websocketRoutes } from "./websocket.ts";
import { dashboardRoutes } from "./world/dashboard.ts";
import type { Route } from "./_router.ts";

/** Every route the emulator answers, with its rate-limit group. */
export const ROUTES: Route<Ctx>[] = [
  ...controlRoutes,
  ...dashboardRoutes,
  ...roomRoutes,
  ...progressRoutes,
  ...oauthRoutes,
  ...authorizeRoutes,
  ...accountRoutes,
  ...messageRoutes,
  ...messageSyncRoutes,
  ...faxRoutes,
  ...callRoutes,
  ...teamMessagingRoutes,
  ...subscriptionRoutes,
  ...websocketRoutes,
];
