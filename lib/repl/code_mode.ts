/**
 * The code mode of the playground: Deno's own REPL with a ready,
 * authenticated `rc` and a few helpers for the guided flows' tasks. Every
 * call through `rc` is recorded as it happens (so a crash or Ctrl-D loses
 * nothing) into one replayable script, secrets left out.
 *
 *     deno task repl
 * @module
 */
import { RingCentral } from "../client.ts";
import { parseJsonOrText } from "../bytes.ts";
import { findOperations } from "../api/mod.ts";
import { matchOperation } from "../api/match.ts";
import { followMessage } from "../follow.ts";
import { MemoryTokenStore } from "../token_store.ts";
import { type Grant, setupFromEnv } from "../from_env.ts";
import type { Exchange } from "../transport.ts";
import { terminalColumns, wrapLine } from "./output.ts";
import { dependentPath, recordAnswer, Recorder, type RecordingContext, type Step } from "./recorder.ts";

const ME = "/restapi/v1.0/account/~/extension/~";

/** What `deno task repl` puts in the REPL's scope. */
export interface CodeMode {
  /** The client, logged in. */
  rc: RingCentral;
  /** Every extension of the account (all pages). */
  extensions(query?: Record<string, string | string[]>): Promise<Record<string, unknown>[]>;
  /** Your phone numbers; `sms` = only those that can send SMS. */
  myNumbers(sms?: boolean): Promise<{ phoneNumber: string; usageType: string; features?: string[] }[]>;
  /** Sends an SMS from your first SmsSender number (or `from`); returns the message. */
  sendSms(to: string, text: string, from?: string): Promise<Record<string, unknown>>;
  /** Reads a message until its status is final (Delivered, SendingFailed, …); returns it. */
  follow(messageId: string | number, timeoutMs?: number): Promise<Record<string, unknown>>;
  /** Prints the operations of RingCentral's API that match the words (`api("call log")`), best first. */
  api(words: string, limit?: number): void;
  /** Prints the one-screen help. */
  help(): void;
  /** Where the session's calls are recorded. */
  recording?: string;
  /** Settles when every call so far is written to the recording. */
  saved(): Promise<void>;
}

/** Options of {@linkcode startCodeMode}. */
export interface CodeModeOptions {
  /** Use the built-in emulator whatever is configured. @default false */
  emulator?: boolean;
  /** Folder of the recording; none = no recording. @default "scripts/recorded" */
  recordDir?: string | null;
  /** Where lines go. @default console.log */
  print?: (line: string) => void;
  /** How often `follow()` reads the message, in ms. @default 1000 */
  pollMs?: number;
  /** Log in with this grant (the playground's own). @default the first configured (JWT) */
  grant?: Grant;
  /**
   * The server is the playground's built-in emulator, served for this
   * REPL: the recording replays on a fresh built-in emulator, as the
   * playground's own recordings do. @default false
   */
  builtInWorld?: boolean;
  /**
   * Show the error of a call nobody awaited (`rc.get(…)` without `await`)
   * with its message, where Deno's REPL would print `Uncaught undefined`.
   * For the REPL only: it handles every unhandled rejection of the process.
   * @default false
   */
  reportUnawaited?: boolean;
}

/**
 * Prints the error of a promise nobody awaited, whole, with what to do:
 * Deno's REPL loses the message of some (it prints `Uncaught undefined`).
 */
function reportUnawaited(print: (line: string) => void): void {
  globalThis.addEventListener("unhandledrejection", (event) => {
    event.preventDefault();
    const e = event.reason;
    const said = e instanceof Error ? `${e.name}: ${e.message}` : Deno.inspect(e);
    print(`Uncaught (in promise) ${said}`);
    print("  (a call that was not awaited failed: put `await` before it to get its answer, or its error, on its line)");
  });
}

/** What code mode offers: each line of code and what it does. */
const HELP_LINES: [string, string][] = [
  ['await (await rc.get("/restapi/v1.0/account/~/extension/~")).json()', "any call: get post put patch delete"],
  ['for await (const e of rc.paginate("/restapi/v1.0/account/~/extension")) console.log(e.name)', "every page"],
  ['await extensions({ type: "User" })', "every extension, all pages"],
  ["await myNumbers(true)", "your numbers that can send SMS"],
  ['const m = await sendSms("+16505550199", "Hi")', "then  await follow(m.id)"],
  ['api("call log")', "the API's operations that match, with what each needs"],
  ["help()", "this screen"],
];

/** The one-screen help, as wide as `columns`: code and its use side by side, or the use below when they do not fit. */
const HELP = (columns: number, recording?: string) =>
  [
    "RingCentral code mode: Deno's REPL with `rc` ready (Tab completes, Ctrl-D or close() ends).",
    "",
    ...HELP_LINES.flatMap(([code, use]) =>
      2 + Math.max(code.length, 40) + 2 + use.length <= columns
        ? [`  ${code.padEnd(40)}  ${use}`]
        : [`  ${code}`, `      ${use}`]
    ),
    "",
    recording
      ? `Every call is recorded as it happens in ${recording} (replay it with the command in its header).`
      : "Recording is off.",
  ].flatMap((line) => wrapLine(line, columns)).join("\n");

/**
 * Connects `rc` as the playground does (the built-in emulator when nothing is
 * configured), records its calls, and returns the REPL's scope.
 *
 * @example
 * ```ts
 * import { startCodeMode } from "./code_mode.ts";
 * import { equal } from "node:assert/strict";
 * const { rc, myNumbers } = await startCodeMode({ emulator: true, recordDir: null, print: () => {} });
 * equal(rc.target, "emulator");
 * equal((await myNumbers(true))[0].phoneNumber, "+16505550101");
 * ```
 */
export async function startCodeMode(options: CodeModeOptions = {}): Promise<CodeMode> {
  const print = options.print ?? ((line: string) => console.log(wrapLine(line, terminalColumns()).join("\n")));
  const recorder = options.recordDir === null
    ? undefined
    : new Recorder({ dir: options.recordDir ?? "scripts/recorded" });
  if (options.reportUnawaited) reportUnawaited((line) => console.error(wrapLine(line, terminalColumns()).join("\n")));
  const setup = await setupFromEnv({ useEmulator: options.emulator === true, onNotice: print });
  const recording = new CodeModeRecording(recorder);
  const sampled = sampleNotes(print);
  // The playground's built-in emulator lives only while this REPL runs: its tokens stay in memory, never in the
  // project's token cache file (which may hold the user's own account's tokens).
  const tokens = options.builtInWorld ? { tokenStore: new MemoryTokenStore() } : {};
  const rc = new RingCentral(
    setup.clientOptions(options.grant, {
      onExchange: (x) => {
        sampled(x);
        recording.exchange(x);
      },
      ...tokens,
    }),
  );
  recording.start(rc, {
    target: rc.target,
    environment: setup.environment,
    server: rc.server,
    builtInEmulator: setup.emulator !== undefined || setup.projectEmulator !== undefined ||
      options.builtInWorld === true,
    grant: rc.grant ?? "jwt",
  });
  await rc.authenticate();
  const scope: CodeMode = {
    rc,
    async extensions(query = {}) {
      const all: Record<string, unknown>[] = [];
      for await (const e of rc.paginate("/restapi/v1.0/account/~/extension", query)) all.push(e);
      return all;
    },
    async myNumbers(sms = false) {
      const page = await (await rc.get(`${ME}/phone-number`, { perPage: 1000 })).json();
      return (page.records as { phoneNumber: string; usageType: string; features?: string[] }[])
        .filter((n) => !sms || n.features?.includes("SmsSender"));
    },
    async sendSms(to, text, from) {
      const sender = from ?? (await scope.myNumbers(true))[0]?.phoneNumber;
      if (!sender) throw new Error("None of your numbers can send SMS (no SmsSender feature)");
      return await (await rc.post(`${ME}/sms`, { from: { phoneNumber: sender }, to: [{ phoneNumber: to }], text }))
        .json();
    },
    follow: (messageId, timeoutMs = 60_000) =>
      recording.follow(
        messageId,
        () =>
          followMessage(async () => await (await rc.get(`${ME}/message-store/${messageId}`)).json(), {
            pollMs: options.pollMs,
            timeoutMs,
          }).then((r) => r.message),
      ),
    api: (words, limit = 10) => {
      const found = findOperations(words);
      if (!found.length) return print(`No operation of the API matches "${words}".`);
      for (const op of found.slice(0, limit)) {
        print(`${op.method.padEnd(6)} ${op.path.replace(/\{(accountId|extensionId)\}/g, "~")}`);
        print(`       ${op.summary} · ${op.permission ?? "no permission"} · ${op.rateGroup ?? "-"}`);
        print(`       ${op.reference}`);
      }
      if (found.length > limit) print(`… ${found.length - limit} more: api("${words}", ${found.length})`);
    },
    help: () => print(HELP(options.print ? Infinity : terminalColumns(), recorder ? `${recorder.dir}/` : undefined)),
    get recording() {
      return recording.path;
    },
    saved: () => recording.saved(),
  };
  scope.help();
  return scope;
}

/**
 * Says once per operation that the emulator answered it with the spec's
 * sample (`X-Emulator-Sample`), not with its state: what such a call sends
 * changes nothing, and its answer is the same made-up record every time.
 */
function sampleNotes(print: (line: string) => void): (x: Exchange) => void {
  const said = new Set<string>();
  return (x) => {
    if (x.responseHeaders["x-emulator-sample"] !== "true" || x.willRetry) return;
    const pathname = x.path.split("?")[0];
    const op = matchOperation(x.method, pathname)?.operation;
    const key = op?.operationId ?? `${x.method} ${pathname}`;
    if (said.has(key)) return;
    said.add(key);
    print(
      `(${x.method} ${pathname}${op ? `, ${op.operationId}` : ""}: the emulator answers it with the spec's sample, ` +
        "not from its state; X-Emulator-Sample: true)",
    );
  };
}

/**
 * Code mode's one recording: each exchange the client reports becomes a step,
 * written as it happens (before the answer reaches the caller: `deno repl`
 * does not fire `unload` on Ctrl-D); a followed message is one step.
 */
class CodeModeRecording {
  path?: string;
  #recorder?: Recorder;
  #rc?: RingCentral;
  #context?: RecordingContext;
  #steps: Step[] = [];
  #createdBy = new Map<string, Step>();
  /** The paths of the messages being followed, with how many follows read each: their reads are not steps. */
  #followed = new Map<string, number>();
  #saving: Promise<unknown> = Promise.resolve();

  constructor(recorder: Recorder | undefined) {
    this.#recorder = recorder;
  }

  start(rc: RingCentral, context: RecordingContext): void {
    this.#rc = rc;
    this.#context = context;
  }

  /** One exchange: a step, unless it is a token call, a try the client repeats, or a read of a followed message. */
  exchange(x: Exchange): void {
    const [pathname, search = ""] = x.path.split("?");
    if (x.path.startsWith("/restapi/oauth/") || x.willRetry) return;
    if (x.method === "GET" && this.#followed.has(pathname)) return;
    const query: Record<string, string | string[]> = {};
    for (const [k, v] of new URLSearchParams(search)) {
      const had = query[k];
      query[k] = had === undefined ? v : [...(Array.isArray(had) ? had : [had]), v];
    }
    const answer = parseJsonOrText(x.responseBody);
    const step: Step = {
      kind: "request",
      label: `${x.method} ${pathname}`,
      method: x.method,
      path: dependentPath(pathname, this.#createdBy), // an id this session created is taken from its answer on replay
      query: search ? query : undefined,
      body: x.requestBody === undefined ? undefined : parseJsonOrText(x.requestBody),
      result: recordAnswer(x.status, answer),
    };
    this.#steps.push(step);
    const id = (answer as { id?: unknown } | undefined)?.id;
    if (x.method === "POST" && x.status < 300 && id !== undefined) this.#createdBy.set(String(id), step);
    this.#save();
  }

  /** Follows a message with `read`, recording it as one step. */
  async follow(messageId: string | number, read: () => Promise<Record<string, unknown>>) {
    const followed = `${ME}/message-store/${messageId}`;
    this.#followed.set(followed, (this.#followed.get(followed) ?? 0) + 1);
    try {
      const message = await read();
      this.#steps.push({
        kind: "follow",
        label: `Follow message ${messageId} until it is delivered or fails`,
        path: dependentPath(`${ME}/message-store/${messageId}`, this.#createdBy),
        result: recordAnswer(200, message),
      });
      await this.#save();
      return message;
    } finally {
      const left = this.#followed.get(followed)! - 1;
      if (left) this.#followed.set(followed, left);
      else this.#followed.delete(followed);
    }
  }

  /** Settles when every step so far is written. */
  saved(): Promise<void> {
    return this.#saving.then(() => undefined);
  }

  #save(): Promise<unknown> {
    const recorder = this.#recorder;
    if (!recorder || !this.#rc || !this.#context || !this.#steps.length) return this.#saving;
    this.path ??= recorder.pathFor("code mode");
    const rc = this.#rc;
    // One write after the other: two at once may finish out of order, the older list of steps last.
    const write = () => recorder.write("code mode", this.#steps, this.#context!, (text) => rc.redact(text), this.path);
    return this.#saving = this.#saving.then(write, write);
  }
}
