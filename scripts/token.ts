/**
 * An access token for the configured target, for curl and the `.curl.sh`
 * exports of the playground:
 *
 *     export RC_ACCESS_TOKEN=$(deno task token)
 *
 * The token is a secret: it goes to stdout only when stdout is captured (a
 * pipe, `$(…)`, a file), never onto a terminal unless `--show` says so;
 * what it is for and how long it lasts go to stderr. It comes from the
 * token cache (refreshed or logged in as any script would). With nothing
 * configured it is a token of this project's emulator when one runs; the
 * built-in emulator lives inside each process, where curl cannot reach: for
 * it, this says to start the project's.
 * @module
 */
import { type FromEnvOptions, RingCentral } from "../mod.ts";
import { parseTaskFlags } from "../lib/cli_args.ts";

const USAGE = `Usage: deno task token [--show]

Prints an access token for the configured target (.env, .env-<environment>, .env-<environment>.local)
on stdout, for curl:  export RC_ACCESS_TOKEN=$(deno task token)

  --show   print it on the terminal too (it is a secret: not on a shared screen)`;

/** Where the lines of {@linkcode main} go; the token alone goes to `out`. */
export interface TokenIo {
  /** The token (stdout). */
  out: (text: string) => void;
  /** Everything else (stderr). */
  err: (line: string) => void;
  /** Whether stdout is a terminal, where a secret must not show unasked. */
  outIsTerminal: boolean;
}

/** Runs the task with the settings `from` gives (the files in the current folder by default); returns its exit code. */
export async function main(args: string[], io: TokenIo = defaultIo(), from: FromEnvOptions = {}): Promise<number> {
  const flags = parseTaskFlags(args, { show: { type: "boolean" } }, USAGE, io.err);
  if (typeof flags === "number") return flags;
  try {
    const rc = await RingCentral.fromEnv({ onNotice: io.err, ...from }); // notices (which server, why) on stderr
    if (rc.emulator) {
      io.err(
        "Nothing is configured and this project's emulator is not running, so scripts use a built-in emulator that " +
          "lives inside each process: curl cannot reach it. Start one it can reach with `deno task emulator` (in " +
          "another terminal: this project's tools, this task included, find it by themselves), and run this again.",
      );
      return 1;
    }
    if (io.outIsTerminal && !flags.show) {
      io.err(
        "An access token is a secret, so it is not printed on the terminal. Capture it:\n" +
          "  export RC_ACCESS_TOKEN=$(deno task token)\n" +
          "or add --show to print it here (not on a shared screen).",
      );
      return 1;
    }
    await rc.authenticate();
    const token = (await rc.tokenStore.load())?.tokens.access_token;
    const status = await rc.tokenStatus();
    if (!token || !status) throw new Error("The login gave no access token");
    io.out(`${token}\n`);
    io.err(
      `An access token for ${rc.server} (${rc.target}), valid ${Math.floor(status.accessSeconds / 60)} more ` +
        "minutes. It is a secret: keep it out of files you share and of screen shares.",
    );
    return 0;
  } catch (e) {
    io.err((e as Error)?.message ?? String(e)); // the library's errors say what is wrong and how to fix it
    return 1;
  }
}

function defaultIo(): TokenIo {
  const encoder = new TextEncoder();
  return {
    out: (text) => Deno.stdout.writeSync(encoder.encode(text)),
    err: (line) => console.error(line),
    outIsTerminal: Deno.stdout.isTerminal(),
  };
}

if (import.meta.main) Deno.exit(await main(Deno.args));
