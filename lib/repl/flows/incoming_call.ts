/**
 * Simulate an incoming call (an emulator): a call arrives from a number you
 * choose, and you control it from the screen with RingCentral's call
 * control API: answer, hold, unhold, transfer to a colleague, reject or
 * hang up, watching its telephony-session and presence events as they
 * happen; then its record in your call log.
 * @module
 */
import { Cancelled } from "../prompt.ts";
import type { Playground } from "../playground.ts";
import { checkRecipient } from "./sms.ts";
import { skipAhead, watchCalls } from "./_call_watch.ts";
import { statusWords } from "./_call_events.ts";

const ME = "/restapi/v1.0/account/~/extension/~";
const SESSIONS = "/restapi/v1.0/account/~/telephony/sessions";

type Action = "answer" | "reject" | "hold" | "unhold" | "transfer" | "hangup" | "skip" | "leave";

/** What can be done to a party in `status`. */
function actionsFor(status: string, emulator: boolean): { name: string; value: Action }[] {
  const skip = emulator ? [{ name: "Move the emulator's clock 10 s on", value: "skip" as const }] : [];
  switch (status) {
    case "Setup":
    case "Proceeding":
      return [
        { name: "Answer", value: "answer" },
        { name: "Reject (the caller goes to voicemail)", value: "reject" },
        ...skip,
        { name: "Let it ring (leave)", value: "leave" },
      ];
    case "Answered":
      return [
        { name: "Hold", value: "hold" },
        { name: "Transfer to a colleague", value: "transfer" },
        { name: "Hang up", value: "hangup" },
        ...skip,
        { name: "Leave it going", value: "leave" },
      ];
    case "Hold":
      return [
        { name: "Resume (unhold)", value: "unhold" },
        { name: "Transfer to a colleague", value: "transfer" },
        { name: "Hang up", value: "hangup" },
        ...skip,
        { name: "Leave it on hold", value: "leave" },
      ];
    default:
      return [];
  }
}

/** Runs the flow. */
export async function incomingCall(s: Playground): Promise<void> {
  if (s.rc.target !== "emulator") {
    s.out.print("  Only an emulator can simulate a call: on your account, call one of your numbers from a phone,");
    s.out.print("  and watch it with Watch events (telephony sessions).");
    return;
  }
  const from = (await s.prompter.input("Caller (E.164)", { default: "+14155550123", validate: checkRecipient })).trim();
  const record = await s.prompter.confirm("Record the call (an automatic recording)?", { default: false });
  const live = await watchCalls(s);
  try {
    const injected = await s.call("Simulate an incoming call", "POST", "/__emulator/inbound-call", {
      body: { from, ...(record ? { record: true } : {}) },
    });
    const { telephonySessionId, partyId } = injected.body as { telephonySessionId: string; partyId: string };
    s.out.print(`  ✓ A call from ${from} to ${injected.body.to} (telephony session ${telephonySessionId}).`);
    s.out.print("    It rings 30 s unless you answer: you are the callee, your party is " + partyId + ".");
    const party = `${SESSIONS}/${telephonySessionId}/parties/${partyId}`;
    let status = "Proceeding";
    await live.until("Waiting for it to ring", () => live.party(partyId)?.status?.code === "Proceeding");
    for (;;) {
      status = live.party(partyId)?.status?.code ?? status;
      const actions = actionsFor(status, true);
      if (!actions.length) break;
      const action = await s.prompter.select(`The call from ${from}: ${statusWords({ status: { code: status } })}`, [
        ...actions,
      ]);
      if (action === "leave") break;
      const before = live.events.length;
      if (action === "answer") await s.call("Answer", "POST", `${party}/answer`, { body: {} });
      else if (action === "reject") await s.call("Reject", "POST", `${party}/reject`);
      else if (action === "hold") await s.call("Hold", "POST", `${party}/hold`, { body: {} });
      else if (action === "unhold") await s.call("Resume", "POST", `${party}/unhold`);
      else if (action === "hangup") await s.call("Hang up", "DELETE", `${SESSIONS}/${telephonySessionId}`);
      else if (action === "skip") await skipAhead(s, 10);
      else if (action === "transfer") {
        const target = await colleague(s);
        if (!target) continue;
        await s.call(`Transfer to ${target}`, "POST", `${party}/transfer`, { body: { extensionNumber: target } });
      }
      // Waits for this party's change (a clock move: any event of this call), not just any event: another call's
      // events (on an account, or an injected call still going) arrive meanwhile.
      const was = status;
      const ofThisCall = () =>
        live.events.slice(before).some((e) =>
          (e.body as { telephonySessionId?: string }).telephonySessionId === telephonySessionId
        );
      await live.until(
        "Waiting for its events",
        action === "skip" ? ofThisCall : () => (live.party(partyId)?.status?.code ?? was) !== was,
        2,
      );
    }
    const last = live.party(partyId);
    if (last?.status?.code === "Disconnected" && last.status.reason === "BlindTransfer") {
      s.out.print("  Transferred: the call goes on without you; it is logged when it ends (see Call history).");
    } else if (last?.status?.code === "Disconnected") {
      const log = await s.call("The call in your call log", "GET", `${ME}/call-log`, {
        query: { perPage: 1, view: "Detailed" },
      });
      const r = log.body.records?.[0];
      if (r) {
        s.out.print(
          `  Logged: ${r.direction} from ${r.from?.phoneNumber ?? r.from?.name}, ${r.result}, ${r.duration} s` +
            `${r.recording ? `, recorded (${r.recording.id})` : ""}; ${r.legs?.length ?? 0} leg(s).`,
        );
      }
    } else s.out.print(`  The call goes on (${statusWords(last ?? { status: { code: status } })}).`);
  } finally {
    await live.close();
  }
}

/** A colleague to transfer to: their extension number, or `undefined` for Back. */
async function colleague(s: Playground): Promise<string | undefined> {
  const list = await s.call("Colleagues to transfer to", "GET", "/restapi/v1.0/account/~/extension", {
    query: { type: ["User"], status: ["Enabled"], perPage: 100 },
  });
  const me = s.who?.extensionNumber;
  const choices = (list.body.records as { extensionNumber?: string; name: string }[])
    .filter((e) => e.extensionNumber && e.extensionNumber !== me)
    .slice(0, 30)
    .map((e) => ({ name: `${e.extensionNumber}  ${e.name}`, value: e.extensionNumber! }));
  try {
    const picked = await s.prompter.select("Transfer to", [...choices, { name: "Back", value: "" }]);
    return picked || undefined;
  } catch (e) {
    if (e instanceof Cancelled && e.byEscape) return undefined;
    throw e;
  }
}
