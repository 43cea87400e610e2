/**
 * The terminal {@linkcode Prompter}, built on `@inquirer/prompts`. Ctrl-C or
 * Escape in a prompt becomes {@linkcode Cancelled}: back to the menu.
 * @module
 */
import { checkbox, confirm, input, password, search, select } from "@inquirer/prompts";
import process from "node:process";
import { emitKeypressEvents } from "node:readline";
import { printable } from "./output.ts";
import { Cancelled, type Choice, type Prompter, type Validate } from "./prompt.ts";

/** Choices whose names and descriptions (which may come from a server) hold no control character. */
function clean<T>(choices: Choice<T>[]): Choice<T>[] {
  return choices.map((c) => ({
    ...c,
    name: printable(c.name),
    ...(c.description ? { description: printable(c.description) } : {}),
  }));
}

type Context = { signal: AbortSignal };

/** Runs a prompt that Escape aborts (inquirer reads keys through node:readline, which emits them). */
async function cancellable<T>(prompt: (context: Context) => Promise<T>): Promise<T> {
  const escape = new AbortController();
  const onKey = (_: unknown, key?: { name?: string }) => {
    if (key?.name === "escape") escape.abort();
  };
  emitKeypressEvents(process.stdin);
  process.stdin.on("keypress", onKey);
  try {
    return await prompt({ signal: escape.signal });
  } catch (e) {
    if (e instanceof Error && (e.name === "ExitPromptError" || e.name === "AbortPromptError")) {
      throw new Cancelled(escape.signal.aborted);
    }
    throw e;
  } finally {
    process.stdin.off("keypress", onKey);
  }
}

/** Prompts in the terminal with `@inquirer/prompts`. */
export class InquirerPrompter implements Prompter {
  /** One of `choices`. */
  select<T>(message: string, choices: Choice<T>[], options: { default?: T } = {}): Promise<T> {
    return cancellable((c) =>
      select<T>({
        message: printable(message),
        choices: clean(choices),
        default: options.default,
        pageSize: 12,
        loop: true,
      }, c)
    );
  }

  /** Any of `choices`. */
  checkbox<T>(message: string, choices: Choice<T>[]): Promise<T[]> {
    return cancellable((c) =>
      checkbox<T>({ message: printable(message), choices: clean(choices), pageSize: 12, loop: true }, c)
    );
  }

  /** A validated line of text, with an optional live hint. */
  input(
    message: string,
    options: { default?: string; validate?: Validate; hint?: (value: string) => string } = {},
  ): Promise<string> {
    const { hint } = options;
    return cancellable((c) =>
      input({
        message,
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
    return cancellable((c) =>
      search<string>({
        message,
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
    return cancellable((c) => password({ message, mask: "•" }, c));
  }

  /** Yes or no. */
  confirm(message: string, options: { default?: boolean } = {}): Promise<boolean> {
    return cancellable((c) => confirm({ message, default: options.default }, c));
  }
}
