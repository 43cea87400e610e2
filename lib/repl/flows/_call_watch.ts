/**
 * What the call flows share: the user's telephony-session and presence
 * events shown live as lines while a flow runs (a recorded subscription),
 * the latest status of a party, and a move of the emulator's clock.
 * @module
 */
import type { EventNotification, EventSubscription } from "../../subscribe.ts";
import { delay } from "../../async.ts";
import type { Playground } from "../playground.ts";
import type { Step } from "../_steps.ts";
import { describeCallEvent, type EventParty, PRESENCE, type SessionEventBody, TELEPHONY } from "./_call_events.ts";

/** The user's own extension: its id (from the token) and short number (once known). */
export async function whoAmI(s: Playground): Promise<{ id?: string; extensionNumber?: string }> {
  const status = await s.rc.tokenStatus();
  // The session learns who is logged in from this answer (not a step of the flow: it is not recorded).
  if (!s.who) await s.rc.get("/restapi/v1.0/account/~/extension/~").then((r) => r.body?.cancel(), () => {});
  return { id: status?.ownerId, extensionNumber: s.who?.extensionNumber };
}

/** A live view of the user's call events. */
export interface CallWatch {
  /** Every event so far. */
  events: EventNotification[];
  /** The latest event of party `partyId`, if any came. */
  party(partyId: string): EventParty | undefined;
  /** Waits (at most `seconds`) until `done()` holds, with a spinner that says `label`. */
  until(label: string, done: () => boolean, seconds?: number): Promise<boolean>;
  /** Ends the subscription and records how many events came. */
  close(): Promise<void>;
}

/** Subscribes to the user's telephony sessions and presence; each event prints as a line as it arrives. */
export async function watchCalls(s: Playground): Promise<CallWatch> {
  await s.rc.authenticate();
  const me = await whoAmI(s);
  const events: EventNotification[] = [];
  const filters = [TELEPHONY, PRESENCE];
  const sub: EventSubscription = await s.waitFor(
    "Subscribing to your call events",
    () =>
      s.rc.subscribe(filters, (e) => {
        events.push(e);
        const line = describeCallEvent(e, me);
        if (line) s.out.print(line);
      }, { onError: (e) => s.out.print(`  ! ${e.message}`) }),
  );
  const subscribed: Step = s.record({
    kind: "subscribe",
    label: "Subscribe to your call events",
    eventFilters: filters,
  });
  s.out.print("  Events show here as they happen (telephony sessions and your presence).");
  return {
    events,
    party(partyId) {
      for (let i = events.length - 1; i >= 0; i--) {
        const found = (events[i].body as SessionEventBody).parties?.find((p) => p.id === partyId);
        if (found) return found;
      }
      return undefined;
    },
    async until(label, done, seconds = 5) {
      if (done()) return true;
      return await s.waitFor(label, async (signal) => {
        for (let waited = 0; waited < seconds * 1000 && !done(); waited += 50) await delay(50, signal);
        return done();
      });
    },
    async close() {
      await sub.close();
      s.record({ kind: "events", label: "Call events received", subscription: subscribed, count: events.length });
      s.out.print(`  Stopped watching: ${events.length} event${events.length === 1 ? "" : "s"}.`);
    },
  };
}

/** Moves the emulator's clock on `seconds` (recorded, so a replay moves it too). */
export async function skipAhead(s: Playground, seconds: number): Promise<void> {
  const moved = await s.call(`Move the emulator's clock ${seconds} s on`, "POST", "/__emulator/clock", {
    body: { advanceSeconds: seconds },
  });
  s.out.print(`  The emulator's clock is now ${String(moved.body.now).slice(11, 19)}.`);
}
