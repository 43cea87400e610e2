/**
 * Send SMS: pick a sender among the numbers with SmsSender, check the
 * recipient and the text as they are typed, confirm, send, then follow the
 * message until it is delivered or fails.
 * @module
 */
import { followMessage, isFinalStatus } from "../../follow.ts";
import { Cancelled } from "../prompt.ts";
import { recordAnswer } from "../recorder.ts";
import type { Playground } from "../playground.ts";

const ME = "/restapi/v1.0/account/~/extension/~";

/** `true`, or what is wrong with a recipient number. */
export function checkRecipient(value: string): true | string {
  const v = value.trim();
  if (!v) return "Enter the recipient's number, such as +16505550123";
  if (!v.startsWith("+")) return "Use E.164: a + and the country code, such as +16505550123";
  if (!/^\+[1-9]\d{7,14}$/.test(v)) {
    return "Use E.164: + then 8 to 15 digits, no spaces or dashes (such as +16505550123)";
  }
  return true;
}

/** `true`, or what is wrong with a text (1000 UTF-16 units at most). */
export function checkText(value: string): true | string {
  if (!value.trim()) return "The text is empty";
  if (value.length > 1000) return `The text is ${value.length} characters; SMS allow 1000 (emoji count as 2)`;
  return true;
}

/** Runs the flow. */
export async function sendSms(s: Playground): Promise<void> {
  const numbers = await s.call("Your phone numbers", "GET", `${ME}/phone-number`, { query: { perPage: 1000 } });
  const senders =
    (numbers.body.records as { phoneNumber: string; usageType: string; features?: string[]; location?: string }[])
      .filter((n) => n.features?.includes("SmsSender"));
  if (senders.length === 0) {
    s.out.print("  None of your numbers can send SMS (no number has the SmsSender feature).");
    return;
  }
  s.out.print(`  ${senders.length} of your ${numbers.body.records.length} numbers can send SMS (feature SmsSender).`);
  const from = await s.prompter.select("From", [
    ...senders.map((n) => ({
      name: `${n.phoneNumber}  ${n.usageType}${n.location ? `, ${n.location}` : ""}`,
      value: n.phoneNumber,
    })),
    { name: "Back", value: "" },
  ]);
  if (!from) throw new Cancelled(true); // Back: as Escape, nothing of the flow is kept
  const to = (await s.prompter.input("To (E.164, such as +16505550123)", { validate: checkRecipient })).trim();
  const text = await s.prompter.input("Text", { validate: checkText, hint: (v) => `(${v.length}/1000)` });
  const real = s.rc.target === "production";
  const question = real
    ? `This sends a REAL SMS from ${from} to ${to} on your production account. Send it?`
    : `Send "${text.length > 40 ? `${text.slice(0, 40)}…` : text}" from ${from} to ${to}?`;
  if (!(await s.prompter.confirm(question, { default: !real }))) {
    s.out.print("  Not sent.");
    return;
  }
  const sent = await s.call("Send the SMS", "POST", `${ME}/sms`, {
    body: { from: { phoneNumber: from }, to: [{ phoneNumber: to }], text },
  });
  s.out.print(`  ✓ Sent: message ${sent.body.id}, ${sent.body.messageStatus}`);
  let last = sent.body;
  try {
    last = (await s.waitFor(`Following message ${sent.body.id}`, (signal) =>
      followMessage(
        async (signal) => await (await s.rc.get(`${ME}/message-store/${sent.body.id}`, undefined, { signal })).json(),
        {
          pollMs: s.pollMs,
          signal,
          onChange: (message, previous) => {
            last = message;
            s.out.print(`    ${previous} → ${message.messageStatus}`);
          },
        },
      ))).message;
  } catch (e) {
    if (!(e instanceof Cancelled)) throw e;
    s.out.print(`  Stopped following; the message was ${last.messageStatus}.`);
  }
  const status = last.messageStatus as string;
  if (isFinalStatus(status)) {
    s.out.print(
      status === "Delivered"
        ? `  ✓ Delivered.`
        : `  ✗ ${status}${
          last.deliveryErrorCode ? ` (${last.deliveryErrorCode})` : ""
        }: the carrier did not deliver it.`,
    );
  }
  s.record({
    kind: "follow",
    label: "Follow the message until it is delivered or fails",
    path: { before: `${ME}/message-store/`, step: sent.step, field: "id" },
    result: recordAnswer(200, last),
  });
}
