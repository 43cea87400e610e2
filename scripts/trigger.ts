/**
 * `deno task trigger sms|mms|fax|call|post`: makes something arrive at the
 * emulator, for a script, a webhook handler (`deno task listen`) or the
 * dashboard to see: an inbound SMS, an MMS with a picture, a fax, an inbound
 * call where the emulator has calls, or a Team Messaging post by another
 * user. Emulators only: RingCentral's own platform has no such control.
 * @module
 */
import { ApiError, RingCentral } from "../mod.ts";
import { parseTaskFlags } from "../lib/cli_args.ts";
import { contentTypeOf } from "../lib/multipart.ts";

const USAGE = `Usage: deno task trigger sms|mms|fax|call [--from +1…] [--to +1…] [--text "…"] [--file PATH] [--pages N]
       deno task trigger post [--chat ID] [--from 102] [--text "…"]

Injects an event into the emulator your tools use (this project's emulator, or the one your .env
files name): an inbound SMS, an MMS, a fax, an inbound call (on an emulator that has calls), or a
Team Messaging post by another user.

  --from +1…     the sender or caller (default +14155550123); for a post, the user who posts (an
                 extension number such as 102, or an email; default: another member of the chat)
  --to +1…       one of the account's numbers (default: your own number that takes SMS, your fax
                 number for a fax, or your direct number for a call)
  --chat ID      the chat a post goes to (default: the company's Everyone chat)
  --text "…"     the SMS's or post's text (default "Hello from deno task trigger")
  --file PATH    the MMS's picture or the fax's document (default: a small PNG of a ring; for a fax, a
                 PDF the emulator makes)
  --pages N      the pages of the fax the emulator makes, without --file (default 1)`;

/** The picture `trigger mms` sends without --file: a 16×16 PNG of an orange ring (in the code: nothing to read). */
const RING_PNG =
  "iVBORw0KGgoAAAANSUhEUgAAABAAAAAQCAIAAACQkWg2AAABZUlEQVR4nHzSoc6YIQyFYS5/F4SoQCAQCASiAoFAIBAVFfj3NyP7siVLqsp5TA/BL+644Qff+MInPnDFO97wihc84wkXgl3MMcMOtrGFTWxginWsYRUrWMYSJoRzOc4xzuFszoJf4TuncgoncxJHCPuynW3s83f0OzuzE1sI67KcZX/Sa7IGS1md1T77xBLCvExnPjAXczIHU5md2Zj1PSWmEMZl+O/V2IzFmIzBUEZnNEZllBcQgl70Ad3oQic6UEU72tCKPqBC6Jf+QN/0RZ/0QVd6pzd6pT/QhdAu7YG2aYs2aYOmtE5rtEp7oAmhXuoDdVMXdVIHVamd2qiV+kAVQrkUp7wrlUWZlEFRSqc0yrtSSRQh5Et28qeHPMmDrORO/vSQE1kI6ZKcZKT/Np0yKZGEIBdxxJCDbOSfvyQVKUhGEiKEeIlONOIhbuIiTuIgKrETG7ESCzETE1H4AQAA//8DAPZnW68sUY9rAAAAAElFTkSuQmCC";

/** Where the lines go. */
export interface TriggerIo {
  /** What happened (stdout). */
  out: (line: string) => void;
  /** Everything else (stderr). */
  err: (line: string) => void;
}

/** Runs the task; returns the exit code. */
export async function main(args: string[], io: TriggerIo = { out: console.log, err: console.error }): Promise<number> {
  const [first, ...rest] = args;
  const kind = first?.startsWith("-") ? undefined : first;
  const flags = parseTaskFlags(
    kind ? rest : args,
    {
      from: { type: "string" },
      to: { type: "string" },
      text: { type: "string" },
      chat: { type: "string" },
      file: { type: "string" },
      pages: { type: "string" },
    },
    USAGE,
    io.err,
  );
  if (typeof flags === "number") return flags;
  if (kind !== "sms" && kind !== "mms" && kind !== "fax" && kind !== "call" && kind !== "post") {
    io.err(
      `${
        kind ? `"${kind}" is not an event this task makes` : "Say what arrives"
      }: sms, mms, fax, call or post\n\n${USAGE}`,
    );
    return 2;
  }
  // A flag that does nothing for this kind is a mistake to say, not to ignore.
  const applies: Record<string, string[]> = {
    file: ["mms", "fax"],
    pages: ["fax"],
    chat: ["post"],
    text: ["sms", "mms", "post"],
    to: ["sms", "mms", "fax", "call"],
  };
  for (const [flag, kinds] of Object.entries(applies)) {
    if (flags[flag] !== undefined && !kinds.includes(kind)) {
      const list = kinds.length > 1 ? `${kinds.slice(0, -1).join(", ")} and ${kinds.at(-1)}` : kinds[0];
      io.err(`--${flag} is for ${list}, not ${kind}\n\n${USAGE}`);
      return 2;
    }
  }
  const pages = flags.pages === undefined ? undefined : Number(flags.pages);
  if (pages !== undefined && (!Number.isInteger(pages) || pages < 1 || pages > 100)) {
    io.err(`--pages is a whole number from 1 to 100 (got "${flags.pages}")`);
    return 2;
  }
  let file: { contentType: string; base64: string; fileName: string } | undefined;
  const path = flags.file as string | undefined;
  if (kind === "mms" && !path) file = { contentType: "image/png", base64: RING_PNG, fileName: "ring.png" };
  if (path && (kind === "mms" || kind === "fax")) {
    try {
      const bytes = await Deno.readFile(path);
      const fileName = path.split(/[\\/]/).at(-1)!;
      file = { contentType: contentTypeOf(fileName), base64: bytes.toBase64(), fileName };
    } catch (e) {
      io.err(
        e instanceof Deno.errors.NotCapable
          ? `--file ${path} is outside this project's folder, the only one deno task trigger may read: copy the file ` +
            "into the project, or give a path inside it"
          : `--file ${path} cannot be read (${(e as Error).message}): give the path of a picture or a document`,
      );
      return 2;
    }
  }
  const from = (flags.from as string | undefined) ?? (kind === "post" ? "" : "+14155550123");
  if (kind !== "post" && !/^\+[1-9]\d{7,14}$/.test(from)) {
    io.err(`--from must be a phone number in E.164 form, such as +14155550123 (got "${from}")`);
    return 2;
  }
  const to = flags.to as string | undefined;
  try {
    const rc = await RingCentral.fromEnv({ onNotice: io.err });
    if (rc.emulator) {
      io.err(
        "Nothing is configured and this project's emulator is not running: there is no emulator to send this to " +
          "(a built-in one would live and die inside this process). Start the project's emulator in another " +
          "terminal (deno task emulator), then run this again.",
      );
      return 1;
    }
    if (rc.target !== "emulator") {
      io.err(
        `trigger makes events arrive at an emulator; ${rc.server} is RingCentral's own platform, which has no such ` +
          "control. Send an SMS or call your number from a phone instead.",
      );
      return 1;
    }
    if (kind === "call") return await call(rc, io, from, to);
    if (kind === "post") {
      const text = (flags.text as string | undefined) ?? "Hello from deno task trigger";
      return await post(rc, io, { from, text, chatId: flags.chat as string | undefined });
    }
    if (kind === "fax") {
      const fax = await (await rc.request("POST", "/__emulator/inbound-fax", {
        body: { from, ...(to ? { to } : {}), ...(pages ? { pages } : {}), ...(file ? { attachments: [file] } : {}) },
      })).json();
      io.out(`Inbound fax ${fax.id} from ${fax.from} to ${fax.to}: ${fax.faxPageCount} page(s) (at ${rc.server})`);
      return 0;
    }
    if (kind === "mms") {
      const text = (flags.text as string | undefined) ?? "";
      const mms = await (await rc.request("POST", "/__emulator/inbound-sms", {
        body: { from, ...(text ? { text } : {}), ...(to ? { to } : {}), attachments: [file] },
      })).json();
      io.out(`Inbound MMS ${mms.id} from ${mms.from} to ${mms.to}: ${file!.fileName} (at ${rc.server})`);
      return 0;
    }
    const text = (flags.text as string | undefined) ?? "Hello from deno task trigger";
    const sms = await (await rc.request("POST", "/__emulator/inbound-sms", {
      body: { from, text, ...(to ? { to } : {}) },
    })).json();
    io.out(`Inbound SMS ${sms.id} from ${sms.from} to ${sms.to}: "${text}" (at ${rc.server})`);
    return 0;
  } catch (e) {
    // The emulator's own refusal (a 400 of its control API) is said plainly: what was wrong, not the HTTP around it.
    const control = e instanceof ApiError && e.status === 400 && e.path?.startsWith("/__emulator/");
    io.err(
      control ? `The emulator refused it: ${(e as ApiError).detail}` : (e as Error)?.message ?? String(e),
    );
    return 1;
  }
}

/** An inbound call, where the emulator has the control for it (feature-detected, never guessed). */
async function call(rc: RingCentral, io: TriggerIo, from: string, to: string | undefined): Promise<number> {
  const controls = await rc.request("GET", "/__emulator/controls").then(
    async (r) => ((await r.json()).controls ?? []) as string[],
    () => [] as string[],
  );
  if (!controls.includes("POST /__emulator/inbound-call")) {
    io.err(
      `The emulator at ${rc.server} cannot make a call arrive: it has no inbound-call control ` +
        "(POST /__emulator/inbound-call), which comes with the emulator's calls. It can make an SMS arrive: " +
        "deno task trigger sms",
    );
    return 1;
  }
  const rang = await (await rc.request("POST", "/__emulator/inbound-call", {
    body: { from, ...(to ? { to } : {}) },
  })).json();
  io.out(
    `A call from ${from} rings ${
      rang.to ?? "your number"
    }: telephony session ${rang.telephonySessionId} (at ${rc.server})`,
  );
  return 0;
}

/** A Team Messaging post by another user (an emulator without Team Messaging says so). */
async function post(
  rc: RingCentral,
  io: TriggerIo,
  { from, text, chatId }: { from: string; text: string; chatId?: string },
): Promise<number> {
  const controls = await rc.request("GET", "/__emulator/controls").then(
    async (r) => ((await r.json()).controls ?? []) as string[],
    () => [] as string[],
  );
  if (!controls.includes("POST /__emulator/inbound-post")) {
    io.err(
      `The emulator at ${rc.server} cannot make a post arrive: it has no inbound-post control ` +
        "(POST /__emulator/inbound-post), which comes with the emulator's Team Messaging. Update it.",
    );
    return 1;
  }
  const made = await (await rc.request("POST", "/__emulator/inbound-post", {
    body: { text, ...(from ? { from } : {}), ...(chatId ? { chatId } : {}) },
  })).json();
  io.out(`Post ${made.id} by person ${made.creatorId} in chat ${made.groupId}: "${text}" (at ${rc.server})`);
  return 0;
}

if (import.meta.main) Deno.exit(await main(Deno.args));
