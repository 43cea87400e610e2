/**
 * The terminal {@linkcode Prompter}, built on `@inquirer/prompts`. Ctrl-C in
 * a prompt becomes {@linkcode Cancelled}.
 * @module
 */
import { checkbox, confirm, input, password, search, select } from "@inquirer/prompts";
import { Cancelled, type Choice, type Prompter, type Validate } from "./prompt.ts";

async function cancellable<T>(prompt: Promise<T>): Promise<T> {
  try {
    return await prompt;
  } catch (e) {
    if (e instanceof Error && (e.name === "ExitPromptError" || e.name === "AbortPromptError")) throw new Cancelled();
    throw e;
  }
}

/** Prompts in the terminal with `@inquirer/prompts`. */
export class InquirerPrompter implements Prompter {
  /** One of `choices`. */
  select<T>(message: string, choices: Choice<T>[], options: { default?: T } = {}): Promise<T> {
    return cancellable(select<T>({ message, choices, default: options.default, pageSize: 12, loop: false }));
  }

  /** Any of `choices`. */
  checkbox<T>(message: string, choices: Choice<T>[]): Promise<T[]> {
    return cancellable(checkbox<T>({ message, choices, pageSize: 12, loop: false }));
  }

  /** A validated line of text, with an optional live hint. */
  input(
    message: string,
    options: { default?: string; validate?: Validate; hint?: (value: string) => string } = {},
  ): Promise<string> {
    const { hint } = options;
    return cancellable(input({
      message,
      default: options.default,
      validate: options.validate,
      transformer: hint
        ? (value: string, { isFinal }: { isFinal: boolean }) => isFinal ? value : `${value}  ${hint(value)}`
        : undefined,
    }));
  }

  /** A line of text with suggestions; what was typed is always one of them. */
  search(message: string, suggest: (term: string) => string[], options: { validate?: Validate } = {}): Promise<string> {
    return cancellable(search<string>({
      message,
      source: (term) => {
        const typed = (term ?? "").trim();
        const matches = suggest(typed).filter((s) => s !== typed);
        return [...(typed ? [typed] : []), ...matches].map((value) => ({ name: value, value }));
      },
      validate: options.validate,
      pageSize: 10,
    }));
  }

  /** A masked secret. */
  password(message: string): Promise<string> {
    return cancellable(password({ message, mask: "•" }));
  }

  /** Yes or no. */
  confirm(message: string, options: { default?: boolean } = {}): Promise<boolean> {
    return cancellable(confirm({ message, default: options.default }));
  }
}
