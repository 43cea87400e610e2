/**
 * The tutorial's demo: print the account's extensions, then send an SMS from
 * the first number whose features include `SmsSender`.
 *
 *     deno task demo [+1RECIPIENT]
 *
 * Against the built-in emulator (no credentials in .env-sandbox) the
 * recipient defaults to a test number. The message is followed until it is
 * delivered; the exit code is 1 when it is not.
 * @module
 */
import { RingCentral } from "../mod.ts";
import { followMessage } from "../lib/follow.ts";

interface Extension {
  name: string;
  extensionNumber?: string;
  type: string;
}

/** Prints each extension: name, number, type. */
export async function getAccountExtensions(rc: RingCentral, print = console.log): Promise<number> {
  let n = 0;
  for await (const e of rc.paginate<Extension>("/restapi/v1.0/account/~/extension", { perPage: 100 })) {
    print(`${(e.extensionNumber ?? "-").padEnd(6)} ${e.name.padEnd(28)} ${e.type}`);
    n++;
  }
  return n;
}

/** Sends `text` to `recipient` from the user's first SmsSender number; returns the message. */
export async function sendSms(rc: RingCentral, recipient: string, text: string): Promise<Record<string, unknown>> {
  const numbers = await (await rc.get("/restapi/v1.0/account/~/extension/~/phone-number", { perPage: 1000 })).json();
  const sender = numbers.records.find((r) => r.features?.includes("SmsSender"));
  if (!sender?.phoneNumber) {
    throw new Error("None of your phone numbers can send SMS (no number has the SmsSender feature)");
  }
  const response = await rc.post("/restapi/v1.0/account/~/extension/~/sms", {
    from: { phoneNumber: sender.phoneNumber },
    to: [{ phoneNumber: recipient }],
    text,
  });
  return await response.json();
}

const USAGE = `Usage: deno task demo [+1RECIPIENT]

Lists the account's extensions, then sends an SMS to RECIPIENT (E.164, such as +16505550123)
from your first number that can send SMS. On the built-in emulator the recipient defaults to
a test number.`;

/** Runs the demo; returns the exit code. */
export async function main(args: string[]): Promise<number> {
  if (args.includes("--help") || args.includes("-h")) {
    console.log(USAGE);
    return 0;
  }
  const flag = args.find((a) => a.startsWith("-") && !/^-?\d/.test(a.slice(1)));
  if (flag || args.length > 1) {
    console.error(`${flag ? `Unknown option ${flag}` : "Give one recipient"}\n\n${USAGE}`);
    return 2;
  }
  try {
    const rc = await RingCentral.fromEnv();
    // The emulator's test recipient (its module is loaded only when the target is an emulator).
    const recipient = args[0] ??
      (rc.target === "emulator" ? (await import("../lib/emulator/seed.ts")).TEST_RECIPIENT : undefined);
    if (!recipient) {
      console.error("Give the recipient's phone number: deno task demo +16505550123");
      return 2;
    }
    if (!/^\+[1-9]\d{7,14}$/.test(recipient)) {
      console.error(`"${recipient}" is not a phone number in E.164 form, such as +16505550123`);
      return 2;
    }
    console.log(`Extensions of the account (${rc.target}, ${rc.server}):`);
    const count = await getAccountExtensions(rc);
    console.log(`${count} extensions\n`);
    const message = await sendSms(rc, recipient, "Hello from the RingCentral Deno tutorial");
    const from = (message.from as { phoneNumber: string }).phoneNumber;
    console.log(`SMS ${message.id} from ${from} to ${recipient}: ${message.messageStatus}`);
    const at = `/restapi/v1.0/account/~/extension/~/message-store/${message.id}`;
    const { message: last, final } = await followMessage(async () => await (await rc.get(at)).json(), {
      onChange: (m, previous) => console.log(`  ${previous} → ${m.messageStatus}`),
    });
    if (last.messageStatus === "Delivered") return 0;
    console.error(
      final
        ? `The message was not delivered: ${last.messageStatus}${
          last.deliveryErrorCode ? ` (${last.deliveryErrorCode})` : ""
        }`
        : `The message is still ${last.messageStatus} after a minute: look it up later in the message store (${at})`,
    );
    return 1;
  } catch (e) {
    // RingCentralError and ConfigError say what is wrong and how to fix it: one line, no stack trace.
    console.error((e as Error)?.message ?? String(e));
    return 1;
  }
}

if (import.meta.main) Deno.exit(await main(Deno.args));
