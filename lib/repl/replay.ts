/**
 * The runtime of recorded scripts (scripts/recorded/*.ts): runs each step,
 * prints what came back, and with `--check` compares status and shape with
 * the recording. {@linkcode Replay.run} returns the exit code; the script
 * sets it.
 * @module
 */
import { ApiError, RingCentralError } from "../errors.ts";
import { delay } from "../async.ts";
import { parseJsonOrText } from "../bytes.ts";
import { followMessage } from "../follow.ts";
import { type Shape, shapeDifferences, shapeOf } from "./shape.ts";

/** What {@linkcode Replay.events} reads: a subscription, as `rc.subscribe()` gives. */
export interface EventSource extends AsyncIterable<{ event: string }> {
  /** Ends the subscription. */
  close(): Promise<void>;
}

/** What a recording kept of one answer. */
export interface Recorded {
  /** HTTP status. */
  status: number;
  /** Key fields, for the reader. */
  keys?: Record<string, unknown>;
  /** The body's shape, checked by `--check`. */
  shape?: Shape;
  /** For a step that changes data: what it sends, such as `POST /restapi/v1.0/account/~/extension/~/sms`. */
  request?: string;
}

/** The result of one replayed step. */
export interface StepResult {
  /** HTTP status (0 without an answer). */
  status: number;
  // deno-lint-ignore no-explicit-any
  body: any;
}

/** Options of {@linkcode Replay}. */
export interface ReplayOptions {
  /** Compare each answer with the recording (`--check`). @default false */
  check?: boolean;
  /** Where lines go. @default console.log */
  print?: (line: string) => void;
  /** How long {@linkcode Replay.follow} polls between reads, in ms. @default 1000 */
  pollMs?: number;
  /** Send what changes data without asking (`--yes`). @default false */
  yes?: boolean;
  /** List what would be sent, and send nothing (`--dry-run`). @default false */
  dryRun?: boolean;
  /**
   * Asks the user a yes/no question; `undefined` when nobody can answer
   * (standard input is not a terminal). @default `confirm()` on a terminal
   */
  ask?: (question: string) => boolean | undefined;
}

/**
 * The options a recorded script's command-line flags ask for: `--check`,
 * `--yes`, `--dry-run`. A recorded script passes its own arguments:
 * `new Replay(recorded(), replayFlags(Deno.args))`.
 *
 * @example
 * ```ts
 * import { replayFlags } from "./replay.ts";
 * import { deepEqual } from "node:assert/strict";
 * deepEqual(replayFlags(["--check"]), { check: true, yes: false, dryRun: false });
 * ```
 */
export function replayFlags(args: readonly string[]): Pick<ReplayOptions, "check" | "yes" | "dryRun"> {
  return { check: args.includes("--check"), yes: args.includes("--yes"), dryRun: args.includes("--dry-run") };
}

/** Thrown by a step that cannot go on (its message is already printed). */
class Stop extends Error {}

/**
 * Runs the steps of a recorded script.
 *
 * @example Replay one call against the built-in emulator
 * ```ts
 * import { Replay } from "./replay.ts";
 * import { RingCentral } from "../../mod.ts";
 * import { equal } from "node:assert/strict";
 * const lines: string[] = [];
 * const replay = new Replay({ 1: { status: 200, shape: { id: "number" } } }, { check: true, print: (l) => lines.push(l) });
 * const code = await replay.run(() => RingCentral.fromEnv({ useEmulator: true }), async (rc) => {
 *   await replay.step(1, "Who am I", () => rc.get("/restapi/v1.0/account/~/extension/~"));
 * });
 * equal(code, 0);
 * equal(lines.at(-1), "check: every answer matches the recording (status and shape)");
 * ```
 */
export class Replay {
  #check: boolean;
  #recorded: Record<number, Recorded>;
  #differences: string[] = [];
  #print: (line: string) => void;
  #pollMs: number;
  #yes: boolean;
  #dryRun: boolean;
  #ask: (question: string) => boolean | undefined;

  /**
   * A replay of `recorded`, as `options` say. Without options at all (a
   * script recorded before scripts passed {@linkcode replayFlags}), the
   * flags are the process's arguments, as they always were for such scripts.
   */
  constructor(recorded: Record<number, Recorded>, options?: ReplayOptions) {
    options ??= replayFlags(Deno.args);
    this.#recorded = recorded;
    this.#check = options.check ?? false;
    this.#print = options.print ?? ((l: string) => console.log(l));
    this.#pollMs = options.pollMs ?? 1000;
    this.#yes = options.yes ?? false;
    this.#dryRun = options.dryRun ?? false;
    this.#ask = options.ask ?? ((q) => Deno.stdin.isTerminal() ? confirm(q) : undefined);
  }

  /**
   * Makes the client with `connect`, runs `steps` with it, and returns the
   * exit code: 0, or 1 when the client could not be made, a step could not
   * run, or (under `--check`) an answer differs from the recording. Every
   * problem is one printed line, never a stack trace.
   */
  async run<T>(connect: () => Promise<T>, steps: (client: T) => Promise<void>): Promise<number> {
    const changes = Object.entries(this.#recorded).filter(([, r]) => r.request).map(([n, r]) => `${n}. ${r.request}`);
    if (this.#dryRun) {
      this.#print(
        `Dry run: nothing is sent. ${changes.length ? "The steps that change data:" : "No step changes data."}`,
      );
      for (const change of changes) this.#print(`  ${change}`);
      return 0;
    }
    let client: T;
    try {
      client = await connect();
    } catch (e) {
      this.#print(`Cannot start: ${(e as Error)?.message ?? e}`);
      return 1;
    }
    const { emulator, server } = client as { emulator?: unknown; server?: string };
    // The built-in emulator starts fresh for every replay: nothing real changes there.
    if (changes.length && !emulator && !this.#yes) {
      const what = `This replay changes data on ${server ?? "the server"}:\n${changes.map((c) => `  ${c}`).join("\n")}`;
      const answer = this.#ask(`${what}\nSend it?`);
      if (answer === undefined) {
        this.#print(`${what}\nNot sent: run it again with --yes to send it, or --dry-run to list what it would send.`);
        return 2;
      }
      if (!answer) {
        this.#print("Not sent.");
        return 1;
      }
    }
    try {
      await steps(client);
    } catch (e) {
      if (!(e instanceof Stop)) this.#print(`The replay stopped: ${(e as Error)?.message ?? e}`);
      return 1;
    }
    return this.#finish();
  }

  /**
   * Runs step `n`: the call, then prints its status (and compares it under
   * `--check`). An API error is an answer like any other: it may be what was
   * recorded. Anything else (a missing permission) stops the replay.
   */
  async step(n: number, label: string, call: () => Promise<unknown>): Promise<StepResult> {
    let result: StepResult;
    try {
      const response = await call();
      result = response instanceof Response
        ? { status: response.status, body: parseJsonOrText(await response.text()) }
        : { status: 200, body: undefined };
    } catch (e) {
      if (!(e instanceof RingCentralError)) {
        this.#print(`${n}. ${label} failed: ${(e as Error)?.message ?? e}`);
        throw new Stop();
      }
      result = e instanceof ApiError ? { status: e.status, body: e.body } : { status: 0, body: undefined };
      this.#print(`   ${e.message}`);
    }
    this.#print(`${n}. ${label} → ${result.status}`);
    const expected = this.#recorded[n];
    if (this.#check && expected) {
      if (expected.status !== result.status) {
        this.#differences.push(`step ${n} (${label}): status ${expected.status} became ${result.status}`);
      } else if (expected.shape !== undefined) {
        const found = shapeDifferences(expected.shape, shapeOf(result.body));
        this.#differences.push(...found.map((d) => `step ${n} (${label}): ${d}`));
      }
    }
    return result;
  }

  /**
   * Polls `read` until the message's `messageStatus` is final (Delivered,
   * DeliveryFailed, SendingFailed, Received) or `timeoutMs` passes.
   */
  async follow(n: number, label: string, read: () => Promise<Response>, timeoutMs = 30_000): Promise<StepResult> {
    const { message } = await followMessage(async () => await (await read()).json(), {
      pollMs: this.#pollMs,
      timeoutMs,
    });
    return await this.step(n, `${label}: ${message.messageStatus}`, () => Promise.resolve(Response.json(message)));
  }

  /**
   * Step `n`: opens a subscription; {@linkcode Replay.events} later reads
   * the events it gathered meanwhile.
   */
  async subscribe<S extends EventSource>(n: number, label: string, open: () => Promise<S>): Promise<S> {
    try {
      const sub = await open();
      this.#print(`${n}. ${label} → subscribed`);
      return sub;
    } catch (e) {
      this.#print(`${n}. ${label} failed: ${(e as Error)?.message ?? e}`);
      throw new Stop();
    }
  }

  /**
   * Step `n`: waits (up to `timeoutMs`) for the `count` events that came
   * when recording, prints each, then closes the subscription. Under
   * `--check`, fewer events is a difference.
   */
  async events(n: number, label: string, sub: EventSource, count: number, timeoutMs = 30_000): Promise<number> {
    const events = sub[Symbol.asyncIterator]();
    const timeout = new AbortController();
    const timedOut = delay(timeoutMs, timeout.signal).then(() => undefined, () => undefined);
    let got = 0;
    try {
      while (got < count) {
        const next = await Promise.race([events.next(), timedOut]);
        if (!next || next.done) break;
        got++;
        this.#print(`   event: ${next.value.event}`);
      }
    } finally {
      timeout.abort();
      await sub.close();
    }
    this.#print(`${n}. ${label} → ${got} of ${count} event(s)`);
    if (this.#check && got < count) {
      this.#differences.push(
        `step ${n} (${label}): ${got} of the ${count} recorded event(s) arrived within ${timeoutMs / 1000} s`,
      );
    }
    return got;
  }

  /** Under `--check`, prints the differences; the exit code. */
  #finish(): number {
    if (!this.#check) return 0;
    if (this.#differences.length === 0) {
      this.#print("check: every answer matches the recording (status and shape)");
      return 0;
    }
    this.#print(`check: ${this.#differences.length} difference(s) from the recording:`);
    for (const d of this.#differences) this.#print(`  ${d}`);
    return 1;
  }
}
