/**
 * Command-line flags for the emulator and the playground, parsed by Node's
 * `util.parseArgs` (which Deno ships), with errors that say what is wrong.
 * @module
 */
import { parseArgs } from "node:util";

/** What each flag takes. */
export type FlagSpec = Record<string, { type: "string" | "boolean"; short?: string }>;

/**
 * Parses `args` strictly: unknown flags and missing values throw an `Error`
 * whose message names the flag.
 *
 * @example
 * ```ts
 * import { parseFlags } from "./cli_args.ts";
 * import { deepEqual, throws } from "node:assert/strict";
 * deepEqual(parseFlags(["--port", "0", "--quiet"], { port: { type: "string" }, quiet: { type: "boolean" } }), {
 *   port: "0",
 *   quiet: true,
 * });
 * throws(() => parseFlags(["--bogus"], {}), { message: "Unknown option --bogus" });
 * throws(() => parseFlags(["--pages", "-3"], { pages: { type: "string" } }), /--pages needs a value: .* --pages=-1/);
 * ```
 */
export function parseFlags(args: string[], spec: FlagSpec): Record<string, string | boolean | undefined> {
  try {
    return { ...parseArgs({ args, options: spec, strict: true, allowPositionals: false }).values };
  } catch (e) {
    const error = e as Error & { code?: string };
    const flag = /'(-{1,2}[\w-]+)/.exec(error.message)?.[1] ?? "";
    if (error.code === "ERR_PARSE_ARGS_UNKNOWN_OPTION") throw new Error(`Unknown option ${flag}`);
    if (error.code === "ERR_PARSE_ARGS_INVALID_OPTION_VALUE") {
      if (/ambiguous/.test(error.message)) {
        throw new Error(`${flag} needs a value: one that starts with "-" goes after "=", as in ${flag}=-1`);
      }
      throw new Error(/argument missing/.test(error.message) ? `${flag} needs a value` : `${flag} takes no value`);
    }
    if (error.code === "ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL") {
      throw new Error(`Unexpected argument ${/'([^']*)'/.exec(error.message)?.[1] ?? ""}: options start with --`);
    }
    throw error;
  }
}

/**
 * {@linkcode parseFlags} for a `deno task` script, with `--help` (`-h`)
 * added: answers the flags, or the exit code once it has said why there are
 * none: a wrong flag, its message and the usage (2); `--help`, the usage (0).
 *
 * @example
 * ```ts
 * import { parseTaskFlags } from "./cli_args.ts";
 * import { deepEqual, equal } from "node:assert/strict";
 * const said: string[] = [];
 * const spec = { show: { type: "boolean" as const } };
 * deepEqual(parseTaskFlags(["--show"], spec, "Usage: …", (t) => said.push(t)), { show: true });
 * equal(parseTaskFlags(["--shw"], spec, "Usage: …", (t) => said.push(t)), 2);
 * equal(parseTaskFlags(["-h"], spec, "Usage: …", (t) => said.push(t)), 0);
 * deepEqual(said, ["Unknown option --shw\n\nUsage: …", "Usage: …"]);
 * ```
 */
export function parseTaskFlags(
  args: string[],
  spec: FlagSpec,
  usage: string,
  err: (text: string) => void,
): Record<string, string | boolean | undefined> | number {
  let flags;
  try {
    flags = parseFlags(args, { ...spec, help: { type: "boolean", short: "h" } });
  } catch (e) {
    err(`${(e as Error).message}\n\n${usage}`);
    return 2;
  }
  if (!flags.help) return flags;
  err(usage);
  return 0;
}
