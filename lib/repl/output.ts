/**
 * Where the playground writes: {@linkcode TerminalOutput} for people (with a
 * spinner while waiting), {@linkcode BufferOutput} for tests.
 * @module
 */

/** The playground's output. */
export interface Output {
  /** Prints a line. */
  print(line?: string): void;
  /** Shows `label` with a spinner until `work` settles. */
  wait<T>(label: string, work: Promise<T>): Promise<T>;
}

const FRAMES = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];

/**
 * Text as it may reach a terminal: what a server sent can hold escape
 * sequences that clear the screen or fake instructions, so every control
 * character but the newline and the tab is shown as `�`.
 *
 * @example
 * ```ts
 * import { printable } from "./output.ts";
 * import { equal } from "node:assert/strict";
 * equal(printable("ok\u001b[2J\ttab\nnext"), "ok�[2J\ttab\nnext");
 * ```
 */
export function printable(text: string): string {
  // deno-lint-ignore no-control-regex
  return text.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, "\ufffd");
}

/** Writes to the terminal; spins only when stdout is a terminal. */
export class TerminalOutput implements Output {
  #encoder = new TextEncoder();
  #tty = Deno.stdout.isTerminal();
  /** The spinner's label while one spins: printed lines go above it, never on its line. */
  #spinning?: string;
  #frame = 0;

  #write(text: string): void {
    Deno.stdout.writeSync(this.#encoder.encode(text));
  }

  #draw(): void {
    if (this.#spinning !== undefined) {
      this.#write(`\r\x1b[2K${FRAMES[this.#frame++ % FRAMES.length]} ${this.#spinning}`);
    }
  }

  /** Prints a line (above the spinner, when one spins), without control characters. */
  print(line = ""): void {
    if (this.#spinning !== undefined) this.#write("\r\x1b[2K");
    this.#write(`${printable(line)}\n`);
    this.#draw();
  }

  /** Shows a spinner with `label` until `work` settles; the spinner's line is cleared either way. */
  async wait<T>(label: string, work: Promise<T>): Promise<T> {
    if (!this.#tty) return await work;
    const outer = this.#spinning;
    this.#spinning = printable(label);
    this.#draw();
    const id = setInterval(() => this.#draw(), 80);
    try {
      return await work;
    } finally {
      clearInterval(id);
      this.#spinning = outer;
      this.#write("\r\x1b[2K");
      this.#draw();
    }
  }
}

/**
 * Keeps every line in memory, for tests.
 *
 * @example
 * ```ts
 * import { BufferOutput } from "./output.ts";
 * import { deepEqual } from "node:assert/strict";
 * const out = new BufferOutput();
 * out.print("hello");
 * await out.wait("Working", Promise.resolve(1));
 * deepEqual(out.lines, ["hello", "… Working"]);
 * ```
 */
export class BufferOutput implements Output {
  /** Every line printed, spinners as `… label`. */
  readonly lines: string[] = [];
  /** Prints a line, without control characters, as the terminal does. */
  print(line = ""): void {
    this.lines.push(...printable(line).split("\n"));
  }
  /** Records the label and waits. */
  async wait<T>(label: string, work: Promise<T>): Promise<T> {
    this.lines.push(`… ${label}`);
    return await work;
  }
  /** Everything printed, as one text. */
  get text(): string {
    return this.lines.join("\n");
  }
}
