/**
 * Events forwarded to a webhook handler of your own, as RingCentral would
 * deliver them (`deno task listen --forward-to URL`): the `Validation-Token`
 * handshake first, then each event POSTed with RingCentral's body and
 * headers, tried again when the receiver fails, and one line per attempt
 * with the receiver's status. The events come from a WebSocket subscription,
 * so a handler is developed against a real account with no public address.
 * @module
 */
import { serverText } from "./failures.ts";
import type { EventNotification } from "./subscribe.ts";

/** What RingCentral's webhook deliveries carry besides the body (its guide shows them). */
export const WEBHOOK_HEADERS: Readonly<Record<string, string>> = {
  "Content-Type": "application/json; charset=UTF-8",
  Accept: "application/json",
  "User-Agent": "RingCentral-Webhook/8.3",
};

/** How long a receiver has to answer, in ms (RingCentral's limit). */
const ANSWER_MS = 3000;

/** The pauses before a failed delivery is tried again, in ms: as the emulator models RingCentral. */
export const RETRY_PAUSES_MS: readonly number[] = [500, 1000];

/** Failed deliveries in a row after which RingCentral blacklists a webhook subscription. */
export const FAILURES_TO_BLACKLIST = 3;

/** Options of {@linkcode Forwarder}. */
export interface ForwarderOptions {
  /** The receiver's URL. */
  to: string;
  /** Sent as `Verification-Token` with every event, as RingCentral does when a subscription sets one. */
  verificationToken?: string;
  /** Where the lines go. */
  print: (line: string) => void;
  /** @default globalThis.fetch */
  fetch?: typeof globalThis.fetch;
  /** Waits between tries. @default a real timer */
  sleep?: (ms: number) => Promise<void>;
  /** @default Date.now, for the lines' times */
  now?: () => number;
}

/** What one POST to the receiver gave: its status, or why there was none. */
interface Attempt {
  status: number;
  ok: boolean;
  why?: string;
  ms: number;
}

/**
 * Forwards events to a receiver as RingCentral's webhooks would.
 *
 * @example A receiver that echoes the handshake and takes an event
 * ```ts
 * import { Forwarder } from "./webhook_forward.ts";
 * import { equal } from "node:assert/strict";
 * const seen: string[] = [];
 * const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, (request) => {
 *   const token = request.headers.get("validation-token");
 *   seen.push(token ? "handshake" : "event");
 *   return new Response(null, { headers: token ? { "Validation-Token": token } : {} });
 * });
 * const lines: string[] = [];
 * const forwarder = new Forwarder({ to: `http://127.0.0.1:${server.addr.port}/hook`, print: (l) => lines.push(l) });
 * equal(await forwarder.handshake(), true);
 * await forwarder.deliver({ uuid: "1", event: "/restapi/v1.0/account/1/extension/2/message-store", timestamp: "", subscriptionId: "s", ownerId: "2", body: {} });
 * equal(seen.join(), "handshake,event");
 * await server.shutdown();
 * ```
 */
export class Forwarder {
  #options: ForwarderOptions;
  #failuresInARow = 0;
  #fetch: typeof globalThis.fetch;
  #sleep: (ms: number) => Promise<void>;
  #now: () => number;

  /** A forwarder to `options.to`. */
  constructor(options: ForwarderOptions) {
    this.#options = options;
    this.#fetch = options.fetch ?? globalThis.fetch;
    this.#sleep = options.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
    this.#now = options.now ?? Date.now;
  }

  /**
   * The handshake RingCentral makes before a webhook subscription exists: a
   * POST with a `Validation-Token` header, which the receiver must echo in a
   * 200 answer within 3 seconds, in under 1024 bytes. Prints what happened;
   * true when RingCentral would accept the receiver.
   */
  async handshake(): Promise<boolean> {
    const token = crypto.randomUUID();
    const { print, to } = this.#options;
    const started = this.#now();
    try {
      const r = await this.#fetch(to, {
        method: "POST",
        headers: { ...WEBHOOK_HEADERS, "Validation-Token": token },
        signal: AbortSignal.timeout(ANSWER_MS),
        redirect: "manual",
      });
      const size = (await r.arrayBuffer()).byteLength +
        [...r.headers].reduce((n, [k, v]) => n + k.length + v.length + 4, 0);
      const echoed = r.headers.get("validation-token") === token;
      const problem = r.status !== 200
        ? `answered ${r.status}, not 200`
        : !echoed
        ? "did not echo the Validation-Token header in its answer"
        : size > 1024
        ? `answered ${size} bytes, more than 1024`
        : undefined;
      const ms = this.#now() - started;
      if (problem) {
        print(
          `${this.#time()}  handshake  ← ${r.status}  ${to}: the receiver ${problem} (RingCentral refuses it: SUB-525)`,
        );
        return false;
      }
      print(`${this.#time()}  handshake  ← 200  ${to}: the Validation-Token came back (${ms} ms)`);
      return true;
    } catch (e) {
      print(
        `${this.#time()}  handshake  ← no answer  ${to}: ${describe(e as Error)} (RingCentral refuses it: SUB-525)`,
      );
      return false;
    }
  }

  /**
   * POSTs one event, tried again after each pause of {@linkcode RETRY_PAUSES_MS}
   * while the receiver fails (an answer other than 2xx, or none within 3 s);
   * prints one line per try. Resolves to whether it was delivered.
   */
  async deliver(event: EventNotification): Promise<boolean> {
    const body = JSON.stringify(event);
    const what = shortEvent(event.event);
    for (let attempt = 1; attempt <= 1 + RETRY_PAUSES_MS.length; attempt++) {
      if (attempt > 1) await this.#sleep(RETRY_PAUSES_MS[attempt - 2]);
      const result = await this.#post(body);
      const tried = attempt > 1 ? ` (try ${attempt} of ${1 + RETRY_PAUSES_MS.length})` : "";
      const status = result.status ? String(result.status) : "no answer";
      const retry = !result.ok && attempt <= RETRY_PAUSES_MS.length
        ? `; again in ${RETRY_PAUSES_MS[attempt - 1] / 1000} s`
        : "";
      this.#options.print(
        `${this.#time()}  ${what}  ← ${status}  ${result.ms} ms${tried}${result.why ? `: ${result.why}` : ""}${retry}`,
      );
      if (result.ok) {
        this.#failuresInARow = 0;
        return true;
      }
    }
    this.#failuresInARow++;
    const blacklist = this.#failuresInARow >= FAILURES_TO_BLACKLIST
      ? ` RingCentral would blacklist this subscription now (${this.#failuresInARow} failed deliveries in a row): ` +
        "fix the receiver; forwarding goes on here."
      : "";
    this.#options.print(`${this.#time()}  ${what}  not delivered: every try failed.${blacklist}`);
    return false;
  }

  async #post(body: string): Promise<Attempt> {
    const started = this.#now();
    try {
      const r = await this.#fetch(this.#options.to, {
        method: "POST",
        headers: {
          ...WEBHOOK_HEADERS,
          ...(this.#options.verificationToken ? { "Verification-Token": this.#options.verificationToken } : {}),
        },
        body,
        signal: AbortSignal.timeout(ANSWER_MS),
        redirect: "manual",
      });
      await r.body?.cancel();
      return { status: r.status, ok: r.status >= 200 && r.status < 300, ms: this.#now() - started };
    } catch (e) {
      return { status: 0, ok: false, why: describe(e as Error), ms: this.#now() - started };
    }
  }

  #time(): string {
    return new Date(this.#now()).toISOString().slice(11, 19);
  }
}

/** Why a POST got no answer, in words. */
function describe(e: Error): string {
  if (e.name === "TimeoutError") return `no answer within ${ANSWER_MS / 1000} s`;
  const text = `${e.message} ${(e.cause as Error | undefined)?.message ?? ""}`;
  if (/refused/i.test(text)) return "connection refused: is the receiver running?";
  return serverText(String((e.cause as Error | undefined)?.message ?? e.message).split("\n")[0]);
}

/** An event filter without its account and extension ids: `…/message-store/instant?type=SMS`, safe to print. */
function shortEvent(event: string): string {
  return serverText(String(event)).replace(/^\/restapi\/v1\.0\/account\/[^/]+(\/extension\/[^/?]+)?/, "…");
}
