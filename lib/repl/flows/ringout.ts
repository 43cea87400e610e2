/**
 * Place a call (RingOut): pick the phone that rings first (one of yours) and
 * the number to call, place it, and follow its status (`callStatus`,
 * `callerStatus`, `calleeStatus`) and its telephony events live; cancel it
 * before it connects; on the emulator, move the clock on to see it end.
 * @module
 */
import { delay } from "../../async.ts";
import { Cancelled } from "../prompt.ts";
import { recordAnswer } from "../recorder.ts";
import type { Playground } from "../playground.ts";
import { skipAhead, watchCalls } from "./_call_watch.ts";

const ME = "/restapi/v1.0/account/~/extension/~";
const RINGOUT = `${ME}/ring-out`;

interface RingOutStatus {
  callStatus?: string;
  callerStatus?: string;
  calleeStatus?: string;
}

/** `true`, or what is wrong with a number to call (E.164, or an extension's short number). */
function checkCallee(value: string): true | string {
  const v = value.trim();
  if (!v) return "Enter the number to call, such as +14155550123, or an extension number such as 102";
  if (/^\d{1,5}$/.test(v) || /^\+[1-9]\d{7,14}$/.test(v)) return true;
  return "Use E.164 (a + and the country code, such as +14155550123) or an extension number (such as 102)";
}

/** The three statuses in one line. */
function statusLine(st: RingOutStatus | undefined): string {
  return `${st?.callStatus ?? "?"} (your phone ${st?.callerStatus ?? "?"}, the callee ${st?.calleeStatus ?? "?"})`;
}

/** Runs the flow. */
export async function placeCall(s: Playground): Promise<void> {
  const numbers = await s.call("Your phone numbers", "GET", `${ME}/phone-number`, { query: { perPage: 1000 } });
  // Your direct numbers first: the phone on your desk is the usual one to ring.
  const voice = (numbers.body.records as { phoneNumber: string; usageType: string; type?: string }[])
    .filter((n) => n.type !== "FaxOnly")
    .sort((a, b) => Number(b.usageType === "DirectNumber") - Number(a.usageType === "DirectNumber"));
  s.out.print("  RingOut rings your own phone first; when you answer, it calls the other number and connects you.");
  let from = await s.prompter.select("Ring which phone first (yours)?", [
    ...voice.map((n) => ({ name: `${n.phoneNumber}  ${n.usageType}`, value: n.phoneNumber })),
    { name: "Another phone of mine (type its number)", value: "other" },
    { name: "Back", value: "" },
  ]);
  if (!from) throw new Cancelled(true);
  if (from === "other") {
    from = (await s.prompter.input("Your phone (E.164, such as +16505550123)", {
      validate: (v) => /^\+[1-9]\d{7,14}$/.test(v.trim()) || "Use E.164: + and the country code, such as +16505550123",
    })).trim();
  }
  const to = (await s.prompter.input("Call (E.164, such as +14155550123, or an extension number)", {
    validate: checkCallee,
    default: "+14155550123",
  })).trim();
  const real = s.rc.target === "production";
  const question = real
    ? `This places a REAL call: ${from} rings first, then ${to}. Place it?`
    : `Ring ${from}, then call ${to}?`;
  if (!(await s.prompter.confirm(question, { default: !real }))) {
    s.out.print("  Not placed.");
    return;
  }
  const live = await watchCalls(s);
  try {
    const placed = await s.call("Place the RingOut", "POST", RINGOUT, {
      body: { from: { phoneNumber: from }, to: { phoneNumber: to }, playPrompt: false },
    });
    s.out.print(`  ✓ Placed: RingOut ${placed.body.id}, ${statusLine(placed.body.status)}`);
    const path = { before: `${RINGOUT}/`, step: placed.step, field: "id" };
    let status: RingOutStatus = placed.body.status;
    const read = async (signal?: AbortSignal) =>
      (await (await s.rc.get(`${RINGOUT}/${placed.body.id}`, undefined, { signal })).json()).status as RingOutStatus;
    const follow = async () => {
      try {
        await s.waitFor(`Following RingOut ${placed.body.id} (Ctrl-C stops following)`, async (signal) => {
          for (let i = 0; i < 600 && status.callStatus === "InProgress"; i++) {
            await delay(s.pollMs, signal);
            const next = await read(signal);
            if (statusLine(next) !== statusLine(status)) s.out.print(`    ${statusLine(status)} → ${statusLine(next)}`);
            status = next;
          }
        });
      } catch (e) {
        if (!(e instanceof Cancelled)) throw e;
        s.out.print(`  Stopped following; it was ${statusLine(status)}.`);
      }
      s.record({
        kind: "request",
        label: "Follow the RingOut's status",
        method: "GET",
        path,
        result: recordAnswer(200, { id: placed.body.id, status }),
      });
    };
    await follow();
    for (;;) {
      const connecting = status.callStatus === "InProgress";
      const action = await s.prompter.select(`RingOut ${placed.body.id}: ${statusLine(status)}`, [
        ...(connecting ? [{ name: "Keep following it", value: "follow" }] : []),
        ...(connecting ? [{ name: "Cancel it (DELETE the RingOut)", value: "cancel" }] : []),
        { name: "Read its status now", value: "status" },
        ...(s.rc.target === "emulator"
          ? [{ name: "Move the emulator's clock 30 s on (the call plays out)", value: "skip" }]
          : []),
        { name: "Done", value: "done" },
      ]);
      if (action === "done") break;
      if (action === "follow") await follow();
      else if (action === "cancel") {
        await s.call("Cancel the RingOut", "DELETE", `${RINGOUT}/${placed.body.id}`);
        s.out.print("  ✓ Cancelled: both phones stop ringing.");
        await live.until("Waiting for its events", () => false, 0.3);
        break;
      } else if (action === "status") {
        const read = await s.call("The RingOut's status", "GET", `${RINGOUT}/${placed.body.id}`);
        status = read.body.status;
        s.out.print(`  ${statusLine(status)}`);
      } else if (action === "skip") {
        const before = live.events.length;
        await skipAhead(s, 30);
        await live.until("Waiting for its events", () => live.events.length > before, 2);
      }
    }
    s.out.print("  Its record is in your call log once it ends: see Call history.");
  } finally {
    await live.close();
  }
}
