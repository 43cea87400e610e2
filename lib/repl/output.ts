/**
 * Where the playground writes: {@linkcode TerminalOutput} for people (with a
 * spinner while waiting), {@linkcode BufferOutput} for tests.
 * @module
 */

/** The playground's output. */
export interface Output {
  /** Prints a line; a line wider than {@linkcode Output.columns} wraps at words. */
  print(line?: string): void;
  /** How many columns a line may take (the terminal's width; `Infinity` when not a terminal). */
  readonly columns: number;
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

/**
 * What the terminal prompter tells the output while a prompt shows, so that
 * a line printed meanwhile (a live event) never lands inside the prompt.
 */
export interface PromptArea {
  /** A prompt is on the screen; `stepAside` asks it to clear itself so that lines can print above it. */
  promptShown(stepAside: () => void): void;
  /** The prompt is gone (answered, or stepped aside): the lines held meanwhile print now. */
  promptGone(): void;
}

/**
 * How many columns `text` takes in a terminal: one per character, none for
 * a combining mark, two for wide ones (CJK, most emoji).
 *
 * @example
 * ```ts
 * import { displayWidth } from "./output.ts";
 * import { equal } from "node:assert/strict";
 * equal(displayWidth("← ok"), 4);
 * equal(displayWidth("日本"), 4);
 * ```
 */
export function displayWidth(text: string): number {
  let width = 0;
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    if (/\p{Mark}/u.test(ch) || code === 0x200d || (code >= 0xfe00 && code <= 0xfe0f)) continue;
    const wide = (code >= 0x1100 && code <= 0x115f) || (code >= 0x2e80 && code <= 0xa4cf) ||
      (code >= 0xac00 && code <= 0xd7a3) || (code >= 0xf900 && code <= 0xfaff) || (code >= 0xfe30 && code <= 0xfe4f) ||
      (code >= 0xff00 && code <= 0xff60) || (code >= 0xffe0 && code <= 0xffe6) ||
      (code >= 0x1f300 && code <= 0x1faff) ||
      (code >= 0x20000 && code <= 0x3fffd);
    width += wide ? 2 : 1;
  }
  return width;
}

/** `text` cut to `columns`, ending in `…` when it was cut. */
export function fit(text: string, columns: number): string {
  if (displayWidth(text) <= columns) return text;
  let out = "";
  for (const ch of text) {
    if (displayWidth(out + ch) > columns - 1) break;
    out += ch;
  }
  return `${out}…`;
}

/**
 * One line as it fits `columns`: wrapped at spaces, each following line
 * indented under the text (after a `label   ` column or a `← ` mark), a
 * word wider than the room left cut into pieces.
 *
 * @example
 * ```ts
 * import { wrapLine } from "./output.ts";
 * import { deepEqual } from "node:assert/strict";
 * deepEqual(wrapLine("  server      http://127.0.0.1:1234/a/long/path", 31), [
 *   "  server      http://127.0.0.1:",
 *   "              1234/a/long/path",
 * ]);
 * deepEqual(wrapLine("  ← an event with some words", 16), ["  ← an event", "    with some", "    words"]);
 * ```
 */
export function wrapLine(line: string, columns: number): string[] {
  if (!Number.isFinite(columns) || displayWidth(line) <= columns) return [line];
  const hanging = /^\s*(?:\S+ {2,}|[^\s\w"{}[\]] )?/.exec(line)![0];
  const indent = " ".repeat(Math.min(displayWidth(hanging), Math.floor(columns / 2)));
  const lines: string[] = [];
  let current = "";
  for (const word of line.slice(hanging.length).split(/(?<= )/)) {
    const start = lines.length ? indent : hanging;
    if (current && displayWidth(start + current + word.trimEnd()) > columns) {
      lines.push((start + current).trimEnd());
      current = "";
    }
    let rest = word;
    for (;;) {
      const room = columns - displayWidth((lines.length ? indent : hanging) + current);
      if (displayWidth(rest.trimEnd()) <= room) break;
      let piece = "";
      for (const ch of rest) {
        if (displayWidth(piece + ch) > room) break;
        piece += ch;
      }
      if (!piece) break;
      lines.push((lines.length ? indent : hanging) + current + piece);
      current = "";
      rest = rest.slice(piece.length);
    }
    current += rest;
  }
  if (current.trim()) lines.push(((lines.length ? indent : hanging) + current).trimEnd());
  return lines;
}

/**
 * The terminal's width, read afresh (it may be resized); `Infinity` when
 * stdout is not a terminal (a pipe, a file: nothing to wrap for).
 *
 * @example
 * ```ts
 * import { terminalColumns } from "./output.ts";
 * import { ok } from "node:assert/strict";
 * ok(terminalColumns() >= 1);
 * ```
 */
export function terminalColumns(): number {
  try {
    return Deno.stdout.isTerminal() ? Deno.consoleSize().columns || 80 : Infinity;
  } catch {
    return 80;
  }
}

/** Writes to the terminal; spins only when stdout is a terminal. */
export class TerminalOutput implements Output, PromptArea {
  #encoder = new TextEncoder();
  #tty = Deno.stdout.isTerminal();
  /** The spinner's label while one spins: printed lines go above it, never on its line. */
  #spinning?: string;
  #frame = 0;
  /** Set while a prompt shows: lines printed meanwhile are held, and the prompt asked to step aside. */
  #prompt?: { stepAside: () => void; held: string[] };

  #write(text: string): void {
    Deno.stdout.writeSync(this.#encoder.encode(text));
  }

  #draw(): void {
    if (this.#spinning !== undefined) {
      this.#write(`\r\x1b[2K${FRAMES[this.#frame++ % FRAMES.length]} ${this.#spinning}`);
    }
  }

  /** The terminal's width, read afresh (it may be resized); `Infinity` when stdout is not a terminal. */
  get columns(): number {
    return terminalColumns();
  }

  /**
   * Prints a line (above the spinner, when one spins, or the prompt, when
   * one shows), without control characters, wrapped to the terminal's width.
   */
  print(line = ""): void {
    if (this.#prompt) {
      this.#prompt.held.push(line);
      if (this.#prompt.held.length === 1) this.#prompt.stepAside();
      return;
    }
    if (this.#spinning !== undefined) this.#write("\r\x1b[2K");
    const columns = this.columns;
    const wrapped = printable(line).split("\n").flatMap((l) => wrapLine(l, columns));
    this.#write(`${wrapped.join("\n")}\n`);
    this.#draw();
  }

  /** A prompt shows: lines are held until it is gone. */
  promptShown(stepAside: () => void): void {
    this.#prompt = { stepAside, held: [] };
  }

  /** The prompt is gone: the lines held meanwhile print. */
  promptGone(): void {
    const held = this.#prompt?.held ?? [];
    this.#prompt = undefined;
    for (const line of held) this.print(line);
  }

  /** Shows a spinner with `label` until `work` settles; the spinner's line is cleared either way. */
  async wait<T>(label: string, work: Promise<T>): Promise<T> {
    if (!this.#tty) return await work;
    const outer = this.#spinning;
    this.#spinning = fit(printable(label), this.columns - 2);
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
  /** The width lines wrap at, as a terminal of that width would. @default Infinity */
  readonly columns: number;
  /** A buffer; give `columns` to see the screens as a terminal that wide shows them. */
  constructor(options: { columns?: number } = {}) {
    this.columns = options.columns ?? Infinity;
  }
  /** Prints a line, without control characters, wrapped, as the terminal does. */
  print(line = ""): void {
    this.lines.push(...printable(line).split("\n").flatMap((l) => wrapLine(l, this.columns)));
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
