/**
 * What a running check shows, so that no minute passes in silence: in a
 * terminal, one status line redrawn every second (the time, the requests
 * the emulator saw, the last one, a rate-limit group the client waits on);
 * elsewhere, a plain line every 10 seconds and one when the client starts
 * waiting on a rate limit. The script's own `rate limit:` notices are
 * shown as they come. Also: what the script was doing, for a script that
 * ran out of time.
 * @module
 */
import { fit, wrapLine } from "../repl/output.ts";
import type { RequestLog, Seen } from "./seen.ts";

/** Where a status goes, and its clock. */
export interface StatusOptions {
  /** Whether it is a terminal (the status line is redrawn in place). */
  tty: boolean;
  /** Writes text as is. */
  write: (text: string) => void;
  /** Calls `fn` every `ms` until the returned function is called. @default setInterval */
  every?: (ms: number, fn: () => void) => () => void;
  /** The terminal's width. @default 80 */
  columns?: number;
}

/** `GET /path?query → 200`, short. */
function requestText(r: Seen): string {
  const target = r.target.length > 70 ? `${r.target.slice(0, 69)}…` : r.target;
  return `${r.method} ${target}${r.status === undefined ? " (waiting for its answer)" : ` → ${r.status}`}`;
}

/**
 * The rate-limit wait the log shows, in words, or nothing.
 *
 * @example
 * ```ts
 * import { holdText } from "./status.ts";
 * import { equal } from "node:assert/strict";
 * equal(
 *   holdText({ group: "Heavy", limit: 10, window: 60, freeInMs: 12_000 }),
 *   "the client holds requests back: the Heavy group allows 10 requests per 60 s (the next fits in 12 s)",
 * );
 * ```
 */
export function holdText(hold: ReturnType<RequestLog["holding"]>): string | undefined {
  if (!hold) return undefined;
  return `the client holds requests back: the ${hold.group} group allows ${hold.limit} requests per ${hold.window} s` +
    ` (the next fits in ${Math.max(0, Math.ceil(hold.freeInMs / 1000))} s)`;
}

/**
 * One status line for a running script.
 *
 * @example
 * ```ts
 * import { RequestLog } from "./seen.ts";
 * import { statusText } from "./status.ts";
 * import { equal } from "node:assert/strict";
 * let now = 0;
 * const log = new RequestLog(() => now);
 * now = 3_000;
 * equal(statusText("checking step 1", log), "checking step 1 · 3 s · no request yet");
 * ```
 */
export function statusText(label: string, log: RequestLog): string {
  const s = Math.floor(log.elapsed() / 1000);
  const last = log.last();
  if (!last) return `${label} · ${s} s · no request yet`;
  const n = log.requests.length;
  // A group used up is news once the script has gone quiet for 2 s: the client is holding its next request back.
  const quiet = last.answeredAt !== undefined && log.elapsed() - last.answeredAt >= 2000;
  const hold = quiet ? holdText(log.holding()) : undefined;
  return `${label} · ${s} s · ${n} request${n > 1 ? "s" : ""} · ${hold ?? `last: ${requestText(last)}`}`;
}

/**
 * What a script that ran out of time was doing: its last request, a rate
 * limit the client waits on, a loop that asks the same thing without a
 * pause, or no request at all.
 *
 * @example
 * ```ts
 * import { RequestLog } from "./seen.ts";
 * import { doingText } from "./status.ts";
 * import { equal } from "node:assert/strict";
 * equal(doingText(new RequestLog()), "it made no request at all: is it waiting for something that never comes?");
 * ```
 */
export function doingText(log: RequestLog): string {
  const last = log.last();
  if (!last) return "it made no request at all: is it waiting for something that never comes?";
  const parts = [`its last request was ${requestText(last)}, at ${Math.floor(last.at / 1000)} s`];
  const hold = log.holding();
  if (hold) {
    parts.push(
      `then the client held its next ${hold.group} request back (the ${hold.group} group allows ${hold.limit} ` +
        `requests per ${hold.window} s): ${
          hold.group === "Heavy"
            ? "read the company's numbers once, in pages of up to 1000 (perPage: 1000, usageType: " +
              '"DirectNumber"), not once per user'
            : "make fewer requests (one list with filters, not one request per record), or pause between two reads"
        }`,
    );
  }
  const recent = log.requests.filter((r) => r.at > log.elapsed() - 10_000 && r.path === last.path);
  if (!hold && recent.length >= 20) {
    parts.push(
      `it asked ${last.method} ${last.path} ${recent.length} times in its last 10 s: a loop without a pause? ` +
        "wait a second between two reads (await new Promise((r) => setTimeout(r, 1000)))",
    );
  }
  return parts.join("; ");
}

/**
 * Shows a running check: a status line redrawn in a terminal, plain lines
 * elsewhere.
 *
 * @example Plain lines, on a clock the example drives
 * ```ts
 * import { RequestLog } from "./seen.ts";
 * import { CheckStatus } from "./status.ts";
 * import { deepEqual } from "node:assert/strict";
 * let now = 0;
 * let tick = () => {};
 * const out: string[] = [];
 * const log = new RequestLog(() => now);
 * const status = new CheckStatus("checking step 1", log, {
 *   tty: false,
 *   write: (t) => out.push(t),
 *   every: (_, fn) => (tick = fn, () => {}),
 * });
 * status.start();
 * now = 10_000;
 * tick();
 * status.stop();
 * deepEqual(out, ["  … checking step 1 · 10 s · no request yet\n"]);
 * ```
 */
export class CheckStatus {
  #label: string;
  #log: RequestLog;
  #options: StatusOptions;
  #stop?: () => void;
  #drawn = false;
  #lastPlain = 0;
  #held?: string;

  /** A status for `label`, reading `log`. */
  constructor(label: string, log: RequestLog, options: StatusOptions) {
    this.#label = label;
    this.#log = log;
    this.#options = options;
  }

  /** Starts showing it. */
  start(): void {
    const every = this.#options.every ?? ((ms, fn) => {
      const id = setInterval(fn, ms);
      return () => clearInterval(id);
    });
    this.#stop = every(1000, () => this.#tick());
    if (this.#options.tty) this.#draw();
  }

  /** Prints a line of its own (a `rate limit:` notice), above the status line in a terminal. */
  line(text: string): void {
    this.#clear();
    const lines = this.#options.tty ? wrapLine(`  ${text}`, this.#options.columns ?? 80) : [`  ${text}`];
    this.#options.write(lines.map((l) => `${l}\n`).join(""));
    if (this.#options.tty) this.#draw();
  }

  /** Stops, and clears the status line. */
  stop(): void {
    this.#stop?.();
    this.#stop = undefined;
    this.#clear();
  }

  #tick(): void {
    if (this.#options.tty) return this.#draw();
    const hold = this.#log.holding();
    const held = hold && this.#log.elapsed() - (this.#log.last()?.answeredAt ?? 0) >= 2000 ? hold.group : undefined;
    if (held && held !== this.#held) this.#options.write(`  … ${holdText(hold)}\n`);
    this.#held = held;
    const s = Math.floor(this.#log.elapsed() / 10_000);
    if (s > this.#lastPlain) {
      this.#lastPlain = s;
      this.#options.write(`  … ${statusText(this.#label, this.#log)}\n`);
    }
  }

  #draw(): void {
    const text = statusText(this.#label, this.#log);
    const width = (this.#options.columns ?? 80) - 1;
    this.#options.write(`\r\x1b[2K${fit(text, width)}`);
    this.#drawn = true;
  }

  #clear(): void {
    if (this.#drawn) this.#options.write("\r\x1b[2K");
    this.#drawn = false;
  }
}
