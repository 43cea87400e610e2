/**
 * The playground session: banner, main menu, and the services flows use:
 * `call()` (spinner, Ctrl-C, recording, HTTP view), error display with the
 * likely fix, and saving recordings.
 * @module
 */
import type { Exchange, Query, RingCentral } from "../client.ts";
import { RingCentralError } from "../errors.ts";
import type { Output } from "./output.ts";
import { Cancelled, type Prompter } from "./prompt.ts";
import { recordAnswer, type Recorder, type RecordingContext, type Step } from "./recorder.ts";

/** A grant the playground can log in with. */
export type Grant = "jwt" | "password";

/** What the session needs from its surroundings. */
export interface SessionOptions {
  /** Asks the user. */
  prompter: Prompter;
  /** Shows things. */
  out: Output;
  /** Makes a client for a grant; `onExchange` must receive every exchange. */
  connect: (grant: Grant | undefined, onExchange: (x: Exchange) => void) => Promise<RingCentral>;
  /** The grants that have credentials. */
  grants: Grant[];
  /** `sandbox` or `production`: whose files hold the credentials. */
  environment: "sandbox" | "production";
  /** Whether the client runs the built-in emulator. */
  builtInEmulator: boolean;
  /** How to switch to real credentials, shown in the banner when on the built-in emulator. */
  switchHint?: string;
  /** Writes recordings; none means recording is off. */
  recorder?: Recorder;
  /** Registers a Ctrl-C handler for network waits; returns the function that removes it. */
  onInterrupt?: (handler: () => void) => () => void;
  /** How often a sent message is polled while following it, in ms. @default 1000 */
  pollMs?: number;
}

/** One answer a flow got through {@linkcode Session.call}. */
export interface CallResult {
  /** HTTP status. */
  status: number;
  // deno-lint-ignore no-explicit-any
  body: any;
  /** The step recorded for it (so later steps can use its answer). */
  step: Step;
}

/** A running playground session. */
export class Session {
  /** The prompter. */
  readonly prompter: Prompter;
  /** The output. */
  readonly out: Output;
  /** The current client. */
  rc!: RingCentral;
  /** The current grant. */
  grant?: Grant;
  /** Who is logged in, once known. */
  who?: { name: string; extensionNumber?: string };
  /** Print every exchange (redacted). */
  httpView = false;
  /** Exchanges seen since the last {@linkcode Session.takeExchanges}. */
  #exchanges: Exchange[] = [];
  #options: SessionOptions;

  private constructor(options: SessionOptions) {
    this.#options = options;
    this.prompter = options.prompter;
    this.out = options.out;
  }

  /** Connects with the first available grant. */
  static async start(options: SessionOptions): Promise<Session> {
    const session = new Session(options);
    await session.useGrant(options.grants[0]);
    return session;
  }

  /** The grants that have credentials. */
  get grants(): Grant[] {
    return this.#options.grants;
  }

  /** The recorder, if recording is on. */
  get recorder(): Recorder | undefined {
    return this.#options.recorder;
  }

  /** Where requests go, for recordings. */
  get context(): RecordingContext {
    return {
      target: this.rc.target,
      environment: this.#options.environment,
      server: this.rc.server,
      builtInEmulator: this.#options.builtInEmulator,
      grant: this.grant ?? "jwt",
    };
  }

  /** Switches to a client that logs in with `grant`. */
  async useGrant(grant: Grant | undefined): Promise<void> {
    if (this.rc && grant === this.grant) return;
    this.rc = await this.#options.connect(grant, (x) => this.#exchange(x));
    this.grant = grant;
  }

  #exchange(x: Exchange): void {
    this.#exchanges.push(x);
    if (this.#exchanges.length > 100) this.#exchanges.shift();
    if (this.httpView) this.printExchange(x);
  }

  /** The exchanges seen since the last call, oldest first. */
  takeExchanges(): Exchange[] {
    return this.#exchanges.splice(0);
  }

  /** Prints one exchange, secrets redacted (the client redacted them already). */
  printExchange(x: Exchange): void {
    const out = this.out;
    out.print(`  → ${x.method} ${x.path}`);
    for (const [k, v] of Object.entries(x.requestHeaders)) if (k !== "accept") out.print(`    ${k}: ${v}`);
    if (x.requestBody) out.print(`    ${x.requestBody}`);
    out.print(`  ← ${x.status} (${x.durationMs} ms)`);
    for (const k of ["content-type", "rcrequestid", "x-rate-limit-group", "x-rate-limit-remaining", "retry-after"]) {
      if (x.responseHeaders[k]) out.print(`    ${k}: ${x.responseHeaders[k]}`);
    }
    const body = x.responseBody.length > 2000
      ? `${x.responseBody.slice(0, 2000)}\n    … (${x.responseBody.length} bytes)`
      : x.responseBody;
    if (body) out.print(`    ${body.replace(/\n/g, "\n    ")}`);
  }

  /** The banner: environment, server, auth state. */
  async banner(): Promise<string[]> {
    const o = this.#options;
    const where = o.builtInEmulator
      ? "built-in emulator (offline)"
      : this.rc.target === "emulator"
      ? `emulator (${o.environment} settings)`
      : o.environment;
    const lines = [`RingCentral playground · ${where}`, `  server      ${this.rc.server}`];
    if (o.builtInEmulator && o.switchHint) lines.push(`  ${o.switchHint}`);
    lines.push(`  auth        ${await this.authLine()}`);
    if (o.recorder) lines.push(`  recordings  ${o.recorder.dir}/`);
    return lines;
  }

  /** Who is logged in and how long the tokens last. */
  async authLine(): Promise<string> {
    const status = await this.rc.tokenStatus();
    if (!status || status.accessSeconds <= 0 && (status.refreshSeconds ?? 0) <= 0) {
      return `not logged in (${this.grant ?? "no"} credentials)`;
    }
    const who = this.who
      ? `${this.who.name}${this.who.extensionNumber ? ` (ext ${this.who.extensionNumber})` : ""}`
      : `extension id ${status.ownerId}`;
    const access = status.accessSeconds > 0
      ? `access token ${duration(status.accessSeconds)} left`
      : "access token expired";
    const refresh = status.refreshSeconds !== undefined ? `, refresh token ${duration(status.refreshSeconds)}` : "";
    return `${who} via ${this.grant === "password" ? "password" : "JWT"}, ${access}${refresh}`;
  }

  /**
   * Sends one request with a spinner; Ctrl-C cancels it. The exchange is
   * recorded in `steps` (and the session). API errors come back as results
   * (and are shown) when `expectErrors`; otherwise they are thrown.
   */
  async call(
    steps: Step[],
    label: string,
    method: string,
    path: string,
    { query, body, notes }: { query?: Query; body?: unknown; notes?: string[] } = {},
  ): Promise<CallResult> {
    let status: number;
    let parsed: unknown;
    let error: RingCentralError | undefined;
    try {
      const response = await this.#interruptible(
        label,
        (signal) => this.rc.request(method, path, { query, body, signal }),
      );
      status = response.status;
      const text = await response.text();
      parsed = text ? safeJson(text) : undefined;
    } catch (e) {
      if (!(e instanceof RingCentralError) || e.status === 0) throw e;
      error = e;
      status = e.status;
      parsed = e.body;
    }
    const step = this.record(steps, {
      kind: "request",
      label,
      method,
      path,
      query,
      body,
      result: recordAnswer(status, parsed),
      notes,
    });
    if (error) throw error;
    return { status, body: parsed, step };
  }

  /** Runs a client action (authenticate, refresh, logout) with a spinner and Ctrl-C, and records it. */
  async act(steps: Step[], kind: "authenticate" | "refresh" | "logout", label: string, action: () => Promise<void>) {
    await this.#interruptible(label, () => action());
    this.record(steps, { kind, label });
  }

  /** Adds a step to a flow's steps and to the session's recording. */
  record(steps: Step[], step: Step): Step {
    this.#options.recorder?.add(step);
    steps.push(step);
    return step;
  }

  /** How often a sent message is polled, in ms. */
  get pollMs(): number {
    return this.#options.pollMs ?? 1000;
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

  /** Writes a flow's steps as a script and says where. */
  async save(title: string, steps: Step[]): Promise<void> {
    const recorder = this.#options.recorder;
    if (!recorder || steps.length === 0) return;
    const path = await recorder.write(title, steps, this.context);
    if (path) this.out.print(`  recorded: ${path}`);
  }

  /** Shows an error: code, message, request id, and the likely fix. Never a stack trace. */
  showError(e: unknown): void {
    if (e instanceof Cancelled) {
      this.out.print("  Cancelled.");
      return;
    }
    if (e instanceof RingCentralError) {
      this.out.print(
        `  ✗ ${[e.status || "", e.errorCode ?? ""].filter(Boolean).join(" ")} ${e.detail}`.replace(/ {2,}/g, " "),
      );
      if (e.requestId) this.out.print(`    request id ${e.requestId}`);
      if (e.hint) this.out.print(`    → ${e.hint}`);
      return;
    }
    this.out.print(`  ✗ ${(e as Error)?.message ?? String(e)}`);
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** `3725` → `1h 02m`; `59` → `59s`. */
export function duration(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  if (s >= 86400) return `${Math.floor(s / 86400)}d ${Math.floor((s % 86400) / 3600)}h`;
  if (s >= 3600) return `${Math.floor(s / 3600)}h ${String(Math.floor((s % 3600) / 60)).padStart(2, "0")}m`;
  if (s >= 60) return `${Math.floor(s / 60)}m ${String(s % 60).padStart(2, "0")}s`;
  return `${s}s`;
}
