/**
 * Watch events: subscribe over WebSocket, show each event decoded as it
 * arrives (for an SMS: from, to, text, direction, status; for a call: who
 * calls whom and what happened), inject an inbound SMS or a call into the
 * built-in emulator from the same screen, and fetch the message behind the
 * last event.
 * @module
 */
import type { EventNotification, EventSubscription } from "../../subscribe.ts";
import { delay } from "../../async.ts";
import { Cancelled } from "../prompt.ts";
import type { Playground } from "../playground.ts";
import type { Step } from "../_steps.ts";
import { checkText } from "./sms.ts";
import { describeCallEvent, PRESENCE, TELEPHONY } from "./_call_events.ts";
import { whoAmI } from "./_call_watch.ts";

const STORE = "/restapi/v1.0/account/~/extension/~/message-store";
const INSTANT = `${STORE}/instant?type=SMS`;

/** One line for an event: what a learner wants to see of it. */
export function describeEvent(e: EventNotification, me?: { id?: string; extensionNumber?: string }): string {
  const call = describeCallEvent(e, me);
  if (call) return call;
  const b = e.body as {
    from?: { phoneNumber?: string };
    to?: { phoneNumber?: string }[];
    subject?: string;
    direction?: string;
    messageStatus?: string;
    changes?: { type?: string; newCount?: number; updatedCount?: number; newMessageIds?: number[] }[];
  };
  const time = e.timestamp?.slice(11, 19) ?? "";
  if (e.event.includes("/instant")) {
    const to = b.to?.map((t) => t.phoneNumber).join(", ") ?? "?";
    return `  ← ${time} SMS from ${b.from?.phoneNumber ?? "?"} to ${to}: "${b.subject ?? ""}" ` +
      `(${b.direction ?? "?"}, ${b.messageStatus ?? "?"})`;
  }
  if (b.changes) {
    const parts = b.changes.map((c) =>
      [
        c.newCount || !c.updatedCount
          ? `${c.newCount ?? 0} new ${c.type ?? "message"}${
            c.newMessageIds?.length ? ` (id ${c.newMessageIds.join(", ")})` : ""
          }`
          : "",
        c.updatedCount ? `${c.updatedCount} updated ${c.type ?? "message"} (a status or read change)` : "",
      ].filter(Boolean).join(", ")
    );
    return `  ← ${time} message store changed: ${parts.join("; ")}`;
  }
  return `  ← ${time} ${e.event}`;
}

/** The message id an event is about, if any. */
function messageIdOf(e: EventNotification): string | undefined {
  const b = e.body as { id?: unknown; changes?: { newMessageIds?: unknown[] }[] };
  const id = b.id ?? b.changes?.find((c) => c.newMessageIds?.length)?.newMessageIds?.[0];
  return id === undefined ? undefined : String(id);
}

/** Runs the flow. */
export async function watchEvents(s: Playground): Promise<void> {
  const filter = await s.prompter.select("Watch which events?", [
    { name: "Instant SMS: each inbound SMS, with its text", value: INSTANT },
    { name: "Message store: new messages (by id: read them back) and status changes", value: STORE },
    { name: "Telephony sessions: your calls as they ring, connect and end", value: TELEPHONY },
    { name: "Presence: your telephony status and active calls", value: PRESENCE },
    { name: "Back", value: "" },
  ]);
  if (!filter) throw new Cancelled(true);
  const calls = filter === TELEPHONY || filter === PRESENCE;
  const me = calls ? (await s.rc.authenticate(), await whoAmI(s)) : undefined;
  const events: EventNotification[] = [];
  const sub: EventSubscription = await s.waitFor("Subscribing over WebSocket", () =>
    s.rc.subscribe([filter], (e) => {
      events.push(e);
      s.out.print(describeEvent(e, me));
    }, {
      onError: (e) => s.out.print(`  ! ${e.message}`),
      onReconnect: ({ resubscribed }) =>
        s.out.print(`  ! The connection was lost and is back (${resubscribed ? "subscribed again" : "recovered"})`),
    }));
  const subscribed: Step = s.record({ kind: "subscribe", label: "Subscribe to events", eventFilters: [filter] });
  s.out.print(`  ✓ Subscribed (${sub.id}) to ${filter}`);
  const emulated = s.rc.target === "emulator"; // built in or served: its control API takes inbound SMS and calls
  s.out.print(
    calls
      ? emulated
        ? "    Events show here as they arrive: simulate an incoming call below."
        : "    Events show here as they arrive: call one of your numbers."
      : emulated
      ? "    Events show here as they arrive: inject an inbound SMS below, or send an SMS to your own number."
      : "    Events show here as they arrive: text one of your numbers.",
  );
  const lastWithMessage = () => events.findLast((e) => messageIdOf(e) !== undefined);
  let previous: string | undefined;
  try {
    for (;;) {
      // Live: an event that arrives while this menu waits prints above it, and the menu is drawn again with the new count.
      const action = await s.prompter.select(
        () => `Watching (${events.length} event${events.length === 1 ? "" : "s"})`,
        () => {
          const last = lastWithMessage();
          return [
            ...(emulated && !calls ? [{ name: "Inject an inbound SMS (emulator)", value: "inject" }] : []),
            ...(emulated && calls
              ? [{ name: "Simulate an incoming call, answered after 2 s, 5 s long (emulator)", value: "call" }]
              : []),
            ...(last ? [{ name: `Fetch message ${messageIdOf(last)}, behind the last event`, value: "fetch" }] : []),
            { name: "List the events so far", value: "list" },
            { name: "Stop watching", value: "stop" },
          ];
        },
        { default: previous },
      );
      previous = action; // the cursor stays on what was picked
      const last = lastWithMessage();
      if (action === "stop") break;
      if (action === "inject") {
        const from = (await s.prompter.input("From (E.164)", { default: "+14155550123" })).trim();
        const text = await s.prompter.input("Text", { validate: checkText, default: "Hello, are you there?" });
        const before = events.length;
        const sent = await s.call("Inject an inbound SMS", "POST", "/__emulator/inbound-sms", { body: { from, text } });
        s.out.print(`  → delivered to ${sent.body.to} as message ${sent.body.id}`);
        await s.waitFor("Waiting for its event", async (signal) => {
          for (let i = 0; i < 40 && events.length === before; i++) await delay(50, signal);
        });
      } else if (action === "call") {
        const from = (await s.prompter.input("From (E.164)", { default: "+14155550123" })).trim();
        const before = events.length;
        const sent = await s.call("Simulate an incoming call", "POST", "/__emulator/inbound-call", {
          body: { from, answerAfterSeconds: 2, durationSeconds: 5 },
        });
        s.out.print(`  → a call to ${sent.body.to} (telephony session ${sent.body.telephonySessionId})`);
        await s.waitFor("Waiting for its first event", async (signal) => {
          for (let i = 0; i < 40 && events.length === before; i++) await delay(50, signal);
        });
      } else if (action === "list") {
        s.out.print(events.length ? events.map((e) => describeEvent(e, me)).join("\n") : "  No event yet.");
      } else if (action === "fetch" && last) {
        const m = await s.call("The message behind the event", "GET", `${STORE}/${messageIdOf(last)}`);
        s.out.print(
          `  ${m.body.direction} ${m.body.type} from ${m.body.from?.phoneNumber}: "${m.body.subject}" ` +
            `(${m.body.messageStatus}, ${m.body.readStatus})`,
        );
      }
    }
  } finally {
    await sub.close();
    s.record({ kind: "events", label: "Events received", subscription: subscribed, count: events.length });
    s.out.print(`  Stopped watching: ${events.length} event${events.length === 1 ? "" : "s"}; subscription deleted.`);
  }
}
