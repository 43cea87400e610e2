/**
 * The terminal {@linkcode Prompter}, built on `@inquirer/prompts`. Ctrl-C or
 * Escape in a prompt becomes {@linkcode Cancelled}: back to the menu.
 * @module
 */
import { checkbox, confirm, input, password, search, select } from "@inquirer/prompts";
import process from "node:process";
import { emitKeypressEvents } from "node:readline";
import { styleText } from "node:util";
import { fit, printable, type PromptArea, terminalColumns, wrapLine } from "./output.ts";
import { Cancelled, type Choice, type Live, live, type Prompter, type Validate } from "./prompt.ts";

/**
 * Choices whose names and descriptions (which may come from a server) hold
 * no control character and fit the terminal: a name is cut with `…`, a
 * description wrapped at words.
 */
function clean<T>(choices: Choice<T>[]): Choice<T>[] {
  const width = terminalColumns();
  return choices.map((c) => ({
    ...c,
    name: fit(printable(c.name), width - 3),
    ...(c.description ? { description: wrapLine(printable(c.description), width - 1).join("\n") } : {}),
  }));
}

/** A prompt's message, cut to leave room for the answer on its line. */
function title(message: string): string {
  return fit(printable(message), Math.max(terminalColumns() - 24, 20));
}

/** What inquirer reads of a prompt's context: `clearPromptOnDone` is read when the prompt ends. */
type Context = { signal: AbortSignal; clearPromptOnDone?: boolean };

/** Thrown inside {@linkcode cancellable} when the prompt stepped aside for lines printed meanwhile. */
const STEPPED_ASIDE = Symbol("stepped aside");

/** Prompts in the terminal with `@inquirer/prompts`. */
export class InquirerPrompter implements Prompter {
  #area?: PromptArea;

  /**
   * A prompter; with `area` (the playground's {@linkcode TerminalOutput}),
   * lines printed while a menu waits show above it and the menu is drawn
   * again below them, its cursor where it was; during other prompts they
   * show once the prompt is answered.
   */
  constructor(area?: PromptArea) {
    this.#area = area;
  }

  /** Runs a prompt that Escape aborts (inquirer reads keys through node:readline, which emits them). */
  async #cancellable<T>(prompt: (context: Context) => Promise<T>, canStepAside = false): Promise<T> {
    const escape = new AbortController();
    const aside = new AbortController();
    const context: Context = { signal: AbortSignal.any([escape.signal, aside.signal]) };
    const onKey = (_: unknown, key?: { name?: string }) => {
      if (key?.name === "escape") escape.abort();
    };
    emitKeypressEvents(process.stdin);
    process.stdin.on("keypress", onKey);
    this.#area?.promptShown(() => {
      if (!canStepAside) return; // a prompt being typed into is not redrawn: its lines wait for the answer
      context.clearPromptOnDone = true;
      aside.abort();
    });
    try {
      return await prompt(context);
    } catch (e) {
      if (e instanceof Error && (e.name === "ExitPromptError" || e.name === "AbortPromptError")) {
        if (aside.signal.aborted && !escape.signal.aborted) throw STEPPED_ASIDE;
        throw new Cancelled(escape.signal.aborted);
      }
      throw e;
    } finally {
      process.stdin.off("keypress", onKey);
      this.#area?.promptGone();
    }
  }

  /** One of `choices`; a live `message` or `choices` is read again each time the menu is drawn. */
  async select<T>(
    message: Live<string>,
    choices: Live<Choice<T>[]>,
    options: { default?: T } = {},
  ): Promise<T> {
    let cursor = options.default;
    for (;;) {
      const shown = clean(live(choices));
      try {
        return await this.#cancellable((c) =>
          select<T>({
            message: title(live(message)),
            choices: shown,
            default: cursor,
            pageSize: 12,
            loop: true,
            theme: {
              style: {
                // The highlighted line is the one under the cursor: remembered, so a redraw keeps it there.
                highlight: (text: string) => {
                  const under = shown.filter((choice) => text.endsWith(choice.name));
                  cursor = under.sort((a, b) => b.name.length - a.name.length)[0]?.value ?? cursor;
                  return styleText("cyan", text);
                },
              },
            },
          }, c), true);
      } catch (e) {
        if (e !== STEPPED_ASIDE) throw e;
      }
    }
  }

  /** Any of `choices`. */
  checkbox<T>(message: string, choices: Choice<T>[]): Promise<T[]> {
    return this.#cancellable((c) =>
      checkbox<T>({ message: title(message), choices: clean(choices), pageSize: 12, loop: true }, c)
    );
  }

  /** A validated line of text, with an optional live hint. */
  input(
    message: string,
    options: { default?: string; validate?: Validate; hint?: (value: string) => string } = {},
  ): Promise<string> {
    const { hint } = options;
    return this.#cancellable((c) =>
      input({
        message: title(message),
        default: options.default,
        validate: options.validate,
        transformer: hint
          ? (value: string, { isFinal }: { isFinal: boolean }) => isFinal ? value : `${value}  ${hint(value)}`
          : undefined,
      }, c)
    );
  }

  /** A line of text with suggestions; what was typed is always one of them. */
  search(message: string, suggest: (term: string) => string[], options: { validate?: Validate } = {}): Promise<string> {
    return this.#cancellable((c) =>
      search<string>({
        message: title(message),
        source: (term) => {
          const typed = (term ?? "").trim();
          const matches = suggest(typed).filter((s) => s !== typed);
          return [...(typed ? [typed] : []), ...matches].map((value) => ({ name: value, value }));
        },
        validate: options.validate,
        pageSize: 10,
      }, c)
    );
  }

  /** A masked secret. */
  password(message: string): Promise<string> {
    return this.#cancellable((c) => password({ message: title(message), mask: "•" }, c));
  }

  /** Yes or no. */
  confirm(message: string, options: { default?: boolean } = {}): Promise<boolean> {
    return this.#cancellable((c) => confirm({ message: title(message), default: options.default }, c));
  }
}
