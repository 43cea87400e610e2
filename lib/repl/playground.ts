/**
 * The playground session: its state (client, grant, who is logged in, the
 * HTTP view) and the services flows use: `call()` (spinner, Ctrl-C, the
 * step recorded), `act()`, `waitFor()`. {@linkcode Playground.run} opens a
 * recording around each flow and saves it when the flow returns, so a flow
 * never deals with recording.
 * @module
 */
import { RingCentral } from "../client.ts";
import { ApiError } from "../errors.ts";
import type { Grant, Setup } from "../from_env.ts";
import type { InProcessEmulator, RingCentralOptions } from "../options.ts";
import type { ProjectEmulator } from "../project_emulator.ts";
import { describeWait, type Exchange, type Query, WAIT_NOTICE_MS } from "../transport.ts";
import { parseJsonOrText } from "../bytes.ts";
import type { Output } from "./output.ts";
import { Cancelled, type Prompter } from "./prompt.ts";
import {
  dependentPath,
  type PathExpr,
  recordAnswer,
  type Recorder,
  type RecordingContext,
  type Step,
} from "./recorder.ts";
import { type RecordedFile, stepsOfPath } from "./_steps.ts";
import { withFiles } from "../multipart.ts";
import { authBrief, authLine, bannerLines, printExchange, showError, type Who } from "./_view.ts";

/** A grant the playground can log in with. */
export type { Grant };

/** What the playground needs from its surroundings. */
export interface PlaygroundOptions {
  /** Asks the user. */
  prompter: Prompter;
  /** Shows things. */
  out: Output;
  /** Where requests go and which grants can log in, decided once (`setupFromEnv()`). */
  setup: Setup;
  /** Options every client of the playground gets on top of the setup's (a browser login's I/O, retry timing). */
  clientOptions?: Partial<RingCentralOptions>;
  /** Writes recordings; none means recording is off. */
  recorder?: Recorder;
  /** Registers a Ctrl-C handler for network waits; returns the function that removes it. */
  onInterrupt?: (handler: () => void) => () => void;
  /** How often a sent message is polled while following it, in ms. @default 1000 */
  pollMs?: number;
  /** Where the workshop's files (`step<N>.ts`) are. @default the project's `workshop/` folder */
  workshopDir?: string;
}

/** One answer a flow got through {@linkcode Playground.call}. */
export interface CallResult {
  /** HTTP status. */
  status: number;
  // deno-lint-ignore no-explicit-any
  body: any;
  /** The step recorded for it (so later steps can use its answer). */
  step: Step;
  /** Whether the emulator answered with a sample from the spec (`X-Emulator-Sample`), not with its state. */
  sample: boolean;
}

/** A running playground session. */
export class Playground {
  /** The prompter. */
  readonly prompter: Prompter;
  /** The output. */
  readonly out: Output;
  /** The current client. */
  rc!: RingCentral;
  /** The current grant. */
  grant?: Grant;
  /** Who is logged in, once known. */
  who?: Who;
  /** Print every exchange (redacted). */
  httpView = false;
  /** The last API exchange (OAuth calls aside), for "as curl". */
  lastRequest?: Exchange;
  /** Exchanges seen since the last {@linkcode Playground.takeExchanges}. */
  #exchanges: Exchange[] = [];
  /** The steps of the flow that is running. */
  #steps: Step[] = [];
  /** Values the session has seen, by placeholder name (`messageId`, `extensionId`, `phoneNumber`), newest first. */
  #known = new Map<string, string[]>();
  /**
   * The step that created each object (a POST's answer `id`, or the `telephonySessionId` and `partyId` of a
   * call), and the field: a recording that uses the id records that step too.
   */
  #createdBy = new Map<string, Step | { step: Step; field: string }>();
  /** Steps that used an earlier step's answer in their path, by that step. */
  #followers = new Map<Step, Step[]>();
  /** Whether a flow is running (its exchanges are shown; the session's own look-ups are not). */
  #inFlow = false;
  /** Endpoints the running flow has shown in one line (with the HTTP view off). */
  #endpointsShown = new Set<string>();
  #options: PlaygroundOptions;

  private constructor(options: PlaygroundOptions) {
    this.#options = options;
    this.prompter = options.prompter;
    this.out = options.out;
  }

  /** Connects with the first available grant. */
  static start(options: PlaygroundOptions): Playground {
    const playground = new Playground(options);
    playground.useGrant(options.setup.grants[0]);
    return playground;
  }

  /** The grants that have credentials, the default first. */
  get grants(): Grant[] {
    return this.#options.setup.grants;
  }

  /** Where the workshop's files are, when not the project's `workshop/` folder. */
  get workshopDir(): string | undefined {
    return this.#options.workshopDir;
  }

  /** The recorder, if recording is on. */
  get recorder(): Recorder | undefined {
    return this.#options.recorder;
  }

  /** Values seen in this session for a placeholder such as `messageId`, newest first. */
  known(name: string): string[] {
    return this.#known.get(name) ?? [];
  }

  #learn(name: string, value: unknown): void {
    if (value === undefined || value === null || typeof value === "object") return;
    const list = this.#known.get(name) ?? [];
    this.#known.set(name, [String(value), ...list.filter((v) => v !== String(value))].slice(0, 10));
  }

  /** What an answer tells about ids a later request may use. */
  #learnFrom(method: string, path: string, body: unknown): void {
    const b = body as {
      id?: unknown;
      from?: { phoneNumber?: unknown };
      records?: { id?: unknown; phoneNumber?: unknown; features?: string[] }[];
    };
    if (!b || typeof b !== "object") return;
    if (/\/(sms|mms)$|\/message-store(\/|$)/.test(path)) {
      if (b.id !== undefined) this.#learn("messageId", b.id);
      for (const r of b.records?.slice(0, 5).reverse() ?? []) this.#learn("messageId", r.id);
    }
    if (/\/extension$/.test(path)) {
      for (const r of b.records?.slice(0, 5).reverse() ?? []) this.#learn("extensionId", r.id);
    }
    if (/\/phone-number$/.test(path)) {
      for (const r of [...b.records ?? []].reverse()) {
        if (r.features?.includes("SmsSender")) this.#learn("phoneNumber", r.phoneNumber);
      }
    }
    if (/\/(sms|mms)$/.test(path) && method === "POST") this.#learn("phoneNumber", b.from?.phoneNumber); // the sender used
  }

  /**
   * The path of a request as a recording writes it: an id that an earlier
   * flow's POST created becomes a reference to that step's answer, and that
   * step joins this flow's recording, so that the recording stands alone.
   */
  #dependent(path: string): PathExpr {
    const expr = dependentPath(path, this.#createdBy);
    // The creator and what followed it (a sent SMS followed to Delivered), so the object is as it was.
    for (const creator of stepsOfPath(expr)) {
      for (const step of [creator, ...this.#followers.get(creator) ?? []]) {
        if (!this.#steps.includes(step)) this.#steps.push(step);
      }
    }
    return expr;
  }

  /** Where requests go, for recordings. */
  get context(): RecordingContext {
    return {
      target: this.rc.target,
      environment: this.#options.setup.environment,
      // Served for the project's other tools (curl, deno task token), the emulator is at its address, not in-process.
      server: this.projectEmulator?.url ?? this.rc.server,
      // The project's emulator is the built-in world too: its recordings replay on a fresh built-in emulator.
      builtInEmulator: this.builtInEmulator || this.projectEmulator !== undefined,
      grant: this.grant ?? "jwt",
    };
  }

  /** Where requests go and how to log in, as decided at the start (`--env emulator` included). */
  get setup(): Setup {
    return this.#options.setup;
  }

  /** The built-in emulator the playground runs on, if it does. */
  get emulator(): InProcessEmulator | undefined {
    return this.#options.setup.emulator;
  }

  /**
   * This project's emulator, when the playground runs on it: one `deno task emulator` serves, or its own
   * built-in one, served for the project's other tools while the playground runs.
   */
  get projectEmulator(): ProjectEmulator | undefined {
    return this.#options.setup.projectEmulator;
  }

  /** Whether the playground runs on the built-in emulator (which takes injected events). */
  get builtInEmulator(): boolean {
    return this.#options.setup.emulator !== undefined;
  }

  /** How often a sent message is polled, in ms. */
  get pollMs(): number {
    return this.#options.pollMs ?? 1000;
  }

  /** Switches to a client that logs in with `grant`. */
  useGrant(grant: Grant | undefined): void {
    if (this.rc && grant === this.grant) return;
    const { setup, clientOptions = {} } = this.#options;
    this.rc = new RingCentral(setup.clientOptions(grant, {
      onWait: (wait) => {
        // Said above the spinner, so that a long wait is never a silent one.
        if (wait.ms >= WAIT_NOTICE_MS) this.out.print(`  ${describeWait(wait)}`);
      },
      ...clientOptions,
      onExchange: (x) => this.#exchange(x),
    }));
    this.grant = grant;
  }

  #exchange(x: Exchange): void {
    this.#exchanges.push(x);
    if (this.#inFlow && !x.path.startsWith("/restapi/oauth/")) this.lastRequest = x;
    if (this.#exchanges.length > 100) this.#exchanges.shift();
    if (x.method === "GET" && x.path === "/restapi/v1.0/account/~/extension/~" && x.status === 200) {
      const me = parseJsonOrText(x.responseBody) as { name?: string; extensionNumber?: string } | undefined;
      if (me?.name) this.who = { name: me.name, extensionNumber: me.extensionNumber }; // whoever logged in, by any flow
    }
    if (!this.#inFlow) return; // the session's own look-ups (who is logged in) are not the user's requests
    if (this.httpView) return printExchange(this.out, x);
    // With the view off, one line per endpoint a flow calls links the menu to the API (OAuth calls are shown in words).
    const endpoint = `${x.method} ${x.path.replace(/\?.*$/, "")}`;
    if (x.path.startsWith("/restapi/oauth/") || this.#endpointsShown.has(endpoint)) return;
    this.#endpointsShown.add(endpoint);
    this.out.print(`  → ${x.method} ${x.path} ← ${x.status || "no answer"} (${x.durationMs} ms)`);
  }

  /** The exchanges seen since the last call, oldest first. */
  takeExchanges(): Exchange[] {
    return this.#exchanges.splice(0);
  }

  /** Prints one exchange, secrets redacted. */
  printExchange(x: Exchange): void {
    printExchange(this.out, x);
  }

  /** Shows an error with its likely fix. */
  showError(e: unknown): void {
    showError(this.out, e);
  }

  /** The banner: environment, server, auth state. */
  async banner(): Promise<string[]> {
    const { setup } = this.#options;
    const switchHint = setup.forced
      ? "mode        --env emulator: the built-in emulator, whatever is configured"
      : `switch      no credentials in ${setup.file}: fill RC_CLIENT_ID, RC_CLIENT_SECRET and RC_JWT in ${setup.file}.local to use your account`;
    const project = this.projectEmulator;
    return bannerLines({
      where: this.builtInEmulator
        ? project ? "built-in emulator, the project's while this runs" : "built-in emulator (offline)"
        : project
        ? `this project's emulator (${project.by})`
        : this.rc.target === "emulator"
        ? `emulator (${setup.environment} settings)`
        : setup.environment,
      server: this.rc.server,
      switchHint: this.builtInEmulator || project ? switchHint : undefined,
      dashboard: project ? `${project.url}/__emulator/ui` : undefined,
      auth: await this.authLine(),
      recordings: this.#options.recorder?.dir,
    });
  }

  /** Who is logged in and how long the tokens last; `brief`: short enough for the menu's title. */
  async authLine({ brief = false } = {}): Promise<string> {
    const status = await this.rc.tokenStatus();
    if (status && !this.who && status.accessSeconds > 0) {
      // Logged in by another way (a replay, an earlier run): ask once who that is, so the name shows, not an id.
      await this.rc.get("/restapi/v1.0/account/~/extension/~").then((r) => r.body?.cancel(), () => {});
    }
    return brief ? authBrief(status, this.who) : authLine(status, this.grant, this.who);
  }

  /**
   * Runs a flow inside its own recording: the steps it takes are written as
   * one script named after `title` when it returns, or when it ends on an
   * API error (that answer is part of what it shows). A cancelled flow
   * records nothing.
   */
  async run(title: string, flow: (s: Playground) => Promise<void>): Promise<void> {
    const steps: Step[] = [];
    this.#steps = steps;
    this.#endpointsShown.clear();
    this.#inFlow = true;
    let cancelled = false;
    try {
      await flow(this);
    } catch (e) {
      cancelled = e instanceof Cancelled;
      throw e;
    } finally {
      this.#inFlow = false;
      this.#steps = [];
      const recorder = this.#options.recorder;
      if (recorder && steps.length && !cancelled) {
        for (const step of steps) recorder.add(step);
        const path = await recorder.write(title, steps, this.context, (text) => this.rc.redact(text));
        if (path) this.out.print(`  recorded: ${path}`);
      }
    }
  }

  /**
   * Sends one request with a spinner; Ctrl-C cancels it. The exchange is
   * recorded as a step of the running flow. API errors are shown by the
   * caller; they are recorded, then thrown.
   */
  async call(
    label: string,
    method: string,
    path: string,
    { query, body, notes, files }: {
      query?: Query;
      body?: unknown;
      notes?: string[];
      /** Files sent with `body` as its JSON part, multipart (an MMS, a fax); `path` is where each was read. */
      files?: { name: string; type: string; bytes: Uint8Array; path?: string }[];
    } = {},
  ): Promise<CallResult> {
    let status: number;
    let parsed: unknown;
    let error: ApiError | undefined;
    let sample = false;
    const sent = files ? withFiles((body ?? {}) as Record<string, unknown>, files) : body;
    try {
      const response = await this.#interruptible(
        label,
        (signal) => this.rc.request(method, path, { query, body: sent, signal }),
      );
      status = response.status;
      sample = response.headers.get("x-emulator-sample") === "true";
      parsed = parseJsonOrText(await response.text());
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
      error = e;
      status = e.status;
      parsed = e.body;
    }
    const step = this.record({
      kind: "request",
      label,
      method,
      path: this.#dependent(path),
      query,
      body,
      ...(files ? { files: files.map(recordedFile) } : {}),
      result: recordAnswer(status, parsed),
      notes,
    });
    this.#learnFrom(method, path.replace(/\?.*$/, ""), parsed);
    const id = (parsed as { id?: unknown } | undefined)?.id;
    if (method === "POST" && status < 300 && id !== undefined && typeof id !== "object") {
      this.#createdBy.set(String(id), step);
    }
    for (const field of ["telephonySessionId", "partyId"]) {
      const value = (parsed as Record<string, unknown> | undefined)?.[field];
      if (method === "POST" && status < 300 && typeof value === "string") this.#createdBy.set(value, { step, field });
    }
    if (error) throw error;
    return { status, body: parsed, step, sample };
  }

  /** Runs a client action (authenticate, refresh, logout) with a spinner and Ctrl-C, and records it. */
  async act(
    kind: "authenticate" | "login" | "refresh" | "logout",
    label: string,
    action: () => Promise<void>,
  ): Promise<void> {
    await this.#interruptible(label, () => action());
    this.record({ kind, label });
  }

  /** Adds a step to the running flow's recording. */
  record(step: Step): Step {
    this.#steps.push(step);
    if ("path" in step) {
      for (const creator of stepsOfPath(step.path)) {
        this.#followers.set(creator, [...this.#followers.get(creator) ?? [], step]);
      }
    }
    return step;
  }

  /** Runs `work` with a spinner; Ctrl-C aborts its signal and throws {@linkcode Cancelled}. */
  waitFor<T>(label: string, work: (signal: AbortSignal) => Promise<T>): Promise<T> {
    return this.#interruptible(label, work);
  }

  async #interruptible<T>(label: string, work: (signal: AbortSignal) => Promise<T>): Promise<T> {
    const controller = new AbortController();
    const off = this.#options.onInterrupt?.(() => controller.abort()) ?? (() => {});
    try {
      return await this.out.wait(label, work(controller.signal));
    } catch (e) {
      if (controller.signal.aborted) throw new Cancelled();
      throw e;
    } finally {
      off();
    }
  }
}

/** Files up to this size are carried inline (base64) by a recording; larger ones by their path. */
export const INLINE_FILE_BYTES = 2048;

/** How a recording keeps a file it sent: inline when small or when it has no path, else by its path. */
function recordedFile(f: { name: string; type: string; bytes: Uint8Array; path?: string }): RecordedFile {
  const inline = !f.path || f.bytes.length <= INLINE_FILE_BYTES;
  return {
    name: f.name,
    type: f.type,
    size: f.bytes.length,
    ...(inline ? { base64: f.bytes.toBase64() } : { path: f.path }),
  };
}
