/**
 * The playground's prompt interface: what flows ask of the user. The
 * terminal implementation is {@linkcode InquirerPrompter} (lib/repl/inquirer.ts);
 * tests and examples use {@linkcode ScriptedPrompter}.
 * @module
 */

/** One choice of a select or checkbox prompt. */
export interface Choice<T> {
  /** What the user sees. */
  name: string;
  /** What the flow gets. */
  value: T;
  /** A line of help under the list. */
  description?: string;
}

/** A value, or a function that gives it afresh each time a prompt is drawn (a counter in a menu's title). */
export type Live<T> = T | (() => T);

/**
 * The value of a {@linkcode Live} now.
 *
 * @example
 * ```ts
 * import { live } from "./prompt.ts";
 * import { equal } from "node:assert/strict";
 * let events = 0;
 * const title = () => `Watching (${events} events)`;
 * events++;
 * equal(live(title), "Watching (1 events)");
 * equal(live("Pick one"), "Pick one");
 * ```
 */
export function live<T>(value: Live<T>): T {
  return typeof value === "function" ? (value as () => T)() : value;
}

/** A validator: `true`, or the message that says what is wrong. */
export type Validate = (value: string) => true | string;

/** What flows ask of the user. Every method throws {@linkcode Cancelled} on Ctrl-C. */
export interface Prompter {
  /** One of `choices`; live ones are read again when the prompt is redrawn (events printed above it). */
  select<T>(message: Live<string>, choices: Live<Choice<T>[]>, options?: { default?: T }): Promise<T>;
  /** Any of `choices`. */
  checkbox<T>(message: string, choices: Choice<T>[]): Promise<T[]>;
  /** A line of text, validated. `hint` shows beside the text as it is typed (such as a counter). */
  input(
    message: string,
    options?: { default?: string; validate?: Validate; hint?: (value: string) => string },
  ): Promise<string>;
  /** A line of text with suggestions as the user types (such as API paths). */
  search(message: string, suggest: (term: string) => string[], options?: { validate?: Validate }): Promise<string>;
  /** A secret, masked as it is typed. */
  password(message: string): Promise<string>;
  /** Yes or no. */
  confirm(message: string, options?: { default?: boolean }): Promise<boolean>;
}

/** Thrown by prompts and steps the user cancelled (Ctrl-C, or Escape in a prompt). */
export class Cancelled extends Error {
  /** Whether Escape did it (go back one step) rather than Ctrl-C. */
  readonly byEscape: boolean;
  /** Builds the error. */
  constructor(byEscape = false) {
    super("Cancelled");
    this.name = "Cancelled";
    this.byEscape = byEscape;
  }
}

/** The answer that stands for Ctrl-C in a {@linkcode ScriptedPrompter}. */
export const CTRL_C: unique symbol = Symbol("Ctrl-C");
/** The answer that stands for Escape in a {@linkcode ScriptedPrompter}. */
export const ESCAPE: unique symbol = Symbol("Escape");

/** An answer of a {@linkcode ScriptedPrompter}: a value, or {@linkcode CTRL_C}. */
export type Answer = string | boolean | number | unknown[] | typeof CTRL_C | typeof ESCAPE | { value: unknown };

/**
 * A prompter that answers from a list, for tests and examples. Inputs go
 * through the prompt's validator: an answer it rejects is recorded in
 * {@linkcode ScriptedPrompter.rejected} and the next answer is taken, as a
 * user would type again. Select answers may be the choice's name or value.
 *
 * @example
 * ```ts
 * import { ScriptedPrompter } from "./prompt.ts";
 * import { deepEqual, equal } from "node:assert/strict";
 * const p = new ScriptedPrompter(["12345", "+16505550199"]);
 * const to = await p.input("To", { validate: (v) => /^\+\d+$/.test(v) || "Use E.164" });
 * equal(to, "+16505550199");
 * deepEqual(p.rejected, ["To: Use E.164"]);
 * ```
 */
export class ScriptedPrompter implements Prompter {
  /** Messages of the prompts asked, in order. */
  readonly asked: string[] = [];
  /** Validation messages of rejected answers (`prompt: message`). */
  readonly rejected: string[] = [];
  #answers: Answer[];

  /** A prompter that gives `answers` in order. */
  constructor(answers: Answer[]) {
    this.#answers = [...answers];
  }

  /** How many answers are left. */
  get remaining(): number {
    return this.#answers.length;
  }

  #next(message: string): unknown {
    this.asked.push(message);
    if (this.#answers.length === 0) throw new Error(`No scripted answer left for "${message}"`);
    const answer = this.#answers.shift();
    if (answer === CTRL_C) throw new Cancelled();
    if (answer === ESCAPE) throw new Cancelled(true);
    return answer !== null && typeof answer === "object" && "value" in answer ? answer.value : answer;
  }

  /** Answers with a choice, found by value or by name. */
  select<T>(liveMessage: Live<string>, liveChoices: Live<Choice<T>[]>): Promise<T> {
    try {
      const message = live(liveMessage);
      const choices = live(liveChoices);
      const answer = this.#next(message);
      const choice = choices.find((c) => c.value === answer) ?? choices.find((c) => c.name === answer) ??
        choices.find((c) => typeof answer === "string" && c.name.startsWith(answer));
      if (!choice) {
        throw new Error(
          `"${String(answer)}" is not a choice of "${message}": ${choices.map((c) => c.name).join(", ")}`,
        );
      }
      return Promise.resolve(choice.value);
    } catch (e) {
      return Promise.reject(e);
    }
  }

  /** Answers with the choices named or valued in an array answer. */
  checkbox<T>(message: string, choices: Choice<T>[]): Promise<T[]> {
    try {
      const answer = this.#next(message) as unknown[];
      return Promise.resolve(
        choices.filter((c) => answer.includes(c.value) || answer.includes(c.name)).map((c) => c.value),
      );
    } catch (e) {
      return Promise.reject(e);
    }
  }

  /** Answers with text that the validator accepts. */
  async input(
    message: string,
    options: { default?: string; validate?: Validate; hint?: (value: string) => string } = {},
  ): Promise<string> {
    for (;;) {
      const raw = String(this.#next(message));
      const value = raw === "" && options.default !== undefined ? options.default : raw;
      const verdict = options.validate?.(value) ?? true;
      if (verdict === true) return await Promise.resolve(value);
      this.rejected.push(`${message}: ${verdict}`);
    }
  }

  /** Answers like `input`. */
  search(
    message: string,
    _suggest: (term: string) => string[],
    options: { validate?: Validate } = {},
  ): Promise<string> {
    return this.input(message, options);
  }

  /** Answers with text. */
  password(message: string): Promise<string> {
    try {
      return Promise.resolve(String(this.#next(message)));
    } catch (e) {
      return Promise.reject(e);
    }
  }

  /** Answers yes or no. */
  confirm(message: string, options: { default?: boolean } = {}): Promise<boolean> {
    try {
      const answer = this.#next(message);
      return Promise.resolve(answer === "" ? options.default ?? false : Boolean(answer));
    } catch (e) {
      return Promise.reject(e);
    }
  }
}
