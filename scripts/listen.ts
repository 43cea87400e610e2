/**
 * `deno task listen --forward-to URL`: subscribes to events over WebSocket
 * (on this project's emulator, a served one, or your RingCentral account, as
 * configured) and POSTs each one to URL as RingCentral's webhooks would: the
 * `Validation-Token` handshake first, then the same body and headers, tried
 * again when the receiver fails, one line per try with the receiver's status.
 * A webhook handler is developed locally, with no public address.
 * @module
 */
import { RingCentral } from "../mod.ts";
import { parseTaskFlags } from "../lib/cli_args.ts";
import { Forwarder } from "../lib/webhook_forward.ts";
import type { EventNotification } from "../lib/subscribe.ts";

/** The filters forwarded unless `--filters` says otherwise: the logged-in user's SMS, and their message store. */
const DEFAULT_FILTERS = [
  "/restapi/v1.0/account/~/extension/~/message-store/instant?type=SMS",
  "/restapi/v1.0/account/~/extension/~/message-store",
];

const USAGE = `Usage: deno task listen --forward-to URL [--filters F1,F2] [--verification-token T]

Subscribes to events over WebSocket (this project's emulator when one runs and nothing is configured,
else the target your .env files name: a served emulator or your RingCentral account) and POSTs each
event to URL as RingCentral's webhooks would: the Validation-Token handshake first, then the event
with RingCentral's body and headers, tried again when the receiver fails. One line per try.

  --forward-to URL          your webhook handler, such as http://127.0.0.1:3000/hook
  --filters F1,F2           event filters (default: your instant SMS and your message store:
                            ${DEFAULT_FILTERS.join(",\n                            ")})
  --verification-token T    send it as Verification-Token with every event, as RingCentral does for a
                            subscription made with deliveryMode.verificationToken`;

/** Where the lines go. */
export interface ListenIo {
  /** One delivery line (stdout). */
  out: (line: string) => void;
  /** Everything else (stderr). */
  err: (line: string) => void;
}

/** Runs until `signal` aborts (Ctrl-C); returns the exit code. */
export async function main(
  args: string[],
  io: ListenIo = { out: console.log, err: console.error },
  signal: AbortSignal = interrupted(),
): Promise<number> {
  const flags = parseTaskFlags(
    args,
    {
      "forward-to": { type: "string" },
      filters: { type: "string" },
      "verification-token": { type: "string" },
    },
    USAGE,
    io.err,
  );
  if (typeof flags === "number") return flags;
  const to = flags["forward-to"] as string | undefined;
  if (!to) {
    io.err(`Give your webhook handler's address: --forward-to http://127.0.0.1:3000/hook\n\n${USAGE}`);
    return 2;
  }
  try {
    const url = new URL(to);
    if (!/^https?:$/.test(url.protocol)) throw new TypeError();
  } catch {
    io.err(`--forward-to must be an http(s) URL, such as http://127.0.0.1:3000/hook (got "${to}")`);
    return 2;
  }
  const filters = flags.filters === undefined
    ? DEFAULT_FILTERS
    : String(flags.filters).split(",").map((f) => f.trim()).filter(Boolean);
  if (!filters.length) {
    io.err("--filters needs at least one event filter, such as /restapi/v1.0/account/~/extension/~/message-store");
    return 2;
  }
  try {
    const rc = await RingCentral.fromEnv({ onNotice: io.err });
    if (rc.emulator) {
      io.err(
        "Nothing is configured and this project's emulator is not running, so this process would listen to a " +
          "built-in emulator of its own, which nothing else can send events to. Start the project's emulator in " +
          "another terminal (deno task emulator) and run this again; or configure your RingCentral account " +
          "(docs/real-account.md) to forward its events.",
      );
      return 1;
    }
    const forwarder = new Forwarder({
      to,
      print: io.out,
      ...(flags["verification-token"] ? { verificationToken: String(flags["verification-token"]) } : {}),
    });
    if (!await forwarder.handshake()) {
      io.err(
        `RingCentral would refuse ${to} as a webhook address: answer a POST that has a Validation-Token header ` +
          "with 200 and the same Validation-Token header, within 3 s, in under 1024 bytes. Fix it and run this again.",
      );
      return 1;
    }
    let queue = Promise.resolve(true);
    const forward = (event: EventNotification) => {
      queue = queue.then(() => forwarder.deliver(event)); // in order, one at a time, as they came
    };
    await using _subscription = await rc.subscribe(filters, forward, {
      signal,
      onReconnect: ({ resubscribed }) =>
        io.err(`(the connection was lost and is back${resubscribed ? ", with a new subscription" : ""})`),
      onError: (e) => io.err(`(${e.message})`),
    });
    io.err(
      `Forwarding ${filters.join(", ")} from ${rc.server} (${rc.target}) to ${to}. Ctrl-C stops.` +
        (rc.target === "emulator" ? " Send one: deno task trigger sms" : ""),
    );
    await new Promise<void>((resolve) => {
      if (signal.aborted) return resolve();
      signal.addEventListener("abort", () => resolve(), { once: true });
    });
    await queue;
    return 0;
  } catch (e) {
    io.err((e as Error)?.message ?? String(e));
    return 1;
  }
}

/** A signal that aborts on Ctrl-C or SIGTERM. */
function interrupted(): AbortSignal {
  const controller = new AbortController();
  const stop = () => controller.abort();
  Deno.addSignalListener("SIGINT", stop);
  Deno.addSignalListener("SIGTERM", stop);
  return controller.signal;
}

if (import.meta.main) Deno.exit(await main(Deno.args));
