/**
 * The workshop's steps (docs/workshop.md) and their checks, for
 * `deno task exercise <step>`. A check looks at what happened: the requests
 * the emulator saw (every page of a list read, each message followed until
 * it reached a final status), what the emulator holds afterwards (the SMS
 * sent), and what the script printed. The expected answers come from the
 * check's own account, drawn from a seed (./world.ts), never from a list
 * written here: a copied output does not pass.
 * @module
 */
import type { EmulatorState, Extension, Message } from "../emulator/mod.ts";
import { covered, isFinal, type RequestLog } from "./seen.ts";
import type { WorldShape } from "./world.ts";

/** What a check sees: the script's exit code and output, the requests the emulator saw, its state afterwards. */
export interface Run {
  /** The script's exit code. */
  code: number;
  /** What it printed. */
  stdout: string;
  /** Its errors. */
  stderr: string;
  /** The emulator's state once the script has finished. */
  state: EmulatorState;
  /** The messages the script sent. */
  sent: Message[];
  /** Every request the script made, as the emulator saw it. */
  seen: RequestLog;
}

/** One step of the workshop. */
export interface Step {
  /** Its title, as in docs/workshop.md. */
  title: string;
  /** The check's account, drawn from a seed. */
  world: WorldShape;
  /** How many extensions a local run (`--run`) has: the seed account, grown. @default the seed's 25 */
  extensions?: number;
  /** What is missing, or nothing when the step is done. */
  check(run: Run): string[];
}

/** The recipient of step 3. */
const WORKSHOP_RECIPIENT = "+16505550199";

const EXTENSIONS = "/restapi/v1.0/account/~/extension";
const COMPANY_NUMBERS = "/restapi/v1.0/account/~/phone-number";

/** A check's usual account: more users than the default page of 100 holds. */
const USUAL: WorldShape = { extensions: [130, 240] };

/**
 * The account of a check that reads a whole list (steps 2 and 4–8): more enabled users, and more direct numbers,
 * than one page holds even at perPage's maximum of 1000, so a script that reads one page never passes.
 */
const LARGE: WorldShape = { extensions: [1050, 1200] };

const tooManyRequests = (run: Run) =>
  run.state.stats.statuses["429"] ? [`the script got ${run.state.stats.statuses["429"]} × 429: pace the requests`] : [];

const forbidden = (run: Run) =>
  run.state.stats.statuses["403"]
    ? [
      `the script got ${run.state.stats.statuses["403"]} × 403: one user cannot read another's numbers ` +
      "(CMN-419); the company list /restapi/v1.0/account/~/phone-number has them all",
    ]
    : [];

const norm = (l: string) => l.trim().replace(/\s+/g, " ");
const lines = (run: Run) => run.stdout.split("\n").map(norm).filter(Boolean);

const WORD_CHAR = /[\p{L}\p{N}]/u;

/** Whether `text` names `word` (a name, a number) whole, not inside a longer one. */
function mentions(text: string, word: string): boolean {
  for (let i = text.indexOf(word); i >= 0; i = text.indexOf(word, i + 1)) {
    const before = text[i - 1];
    const after = text[i + word.length];
    if (
      (before === undefined || (before !== "+" && !WORD_CHAR.test(before))) &&
      (after === undefined || !WORD_CHAR.test(after))
    ) {
      return true;
    }
  }
  return false;
}

/** A line a step expects, and the parts it is made of (the first is a number, printed once per record). */
interface Expected {
  line: string;
  parts: [string, ...string[]];
}

/**
 * Says which expected lines are not printed. A record printed in another
 * form (every part on one line, not as the goal writes it) is a format
 * problem, told apart from a record that is not printed at all.
 */
function printedAll(run: Run, expected: Expected[], what: string, form: string, hint: string): string[] {
  const printed = lines(run);
  const exact = new Set(printed);
  const byToken = new Map<string, string[]>();
  for (const l of printed) {
    for (const t of new Set(l.split(/[^\p{L}\p{N}+]+/u))) byToken.set(t, [...byToken.get(t) ?? [], l]);
  }
  const misformed: [Expected, string][] = [];
  const absent: Expected[] = [];
  for (const e of expected) {
    if (exact.has(e.line)) continue;
    const other = (byToken.get(e.parts[0]) ?? []).find((l) => e.parts.every((p) => mentions(l, p)));
    if (other) misformed.push([e, other]);
    else absent.push(e);
  }
  const out: string[] = [];
  if (misformed.length) {
    const [[e, l]] = misformed;
    out.push(
      `${misformed.length} of ${expected.length} ${what} ${misformed.length === 1 ? "is" : "are"} printed in another ` +
        `form: "${l}" should read ` +
        `"${e.line}" (${form}, nothing else on the line)`,
    );
  }
  if (absent.length) {
    out.push(
      `${absent.length} of ${expected.length} ${what} ${absent.length === 1 ? "is" : "are"} not printed ` +
        `(the first missing: "${absent[0].line}"): ${hint}`,
    );
  }
  return out;
}

/** Says which lines are printed that should not be, naming the first. */
function printedWrongly(run: Run, unwanted: string[], why: string): string[] {
  const printed = new Set(lines(run));
  const wrong = unwanted.filter((l) => printed.has(l));
  return wrong.length
    ? [`"${wrong[0]}" is printed${wrong.length > 1 ? ` (and ${wrong.length - 1} more)` : ""}: ${why}`]
    : [];
}

/** Says which of `numbers`, not direct numbers, are printed. */
function others(run: Run, numbers: string[]): string[] {
  const wrong = numbers.filter((n) => mentions(run.stdout, n));
  return wrong.length
    ? [`${wrong.join(", ")} ${wrong.length > 1 ? "are" : "is"} printed: keep only the usageType "DirectNumber"`]
    : [];
}

/**
 * Whether the script read a list at `path` whole (every page, as the
 * emulator saw the requests); if not, what it read.
 */
function readWhole(run: Run, path: string, what: string): string[] {
  const lists = run.seen.lists(path);
  if (lists.size === 0) return [`the script never read ${what} (GET ${path})`];
  if (run.seen.complete(path)) return [];
  const [list, pages] = [...lists].sort(([, a], [, b]) => covered(b) - covered(a))[0];
  const total = pages.at(-1)!.total;
  const read = pages.length === 1 ? `one page of ${pages[0].perPage}` : `${pages.length} pages`;
  const why = pages.length === 1 ? "a page holds at most 1000 (perPage's maximum); " : "";
  return [
    `the script read ${covered(pages)} of the ${total} records of ${list} (${read}): ${why}` +
    "follow navigation.nextPage to the last page, e.g. with rc.paginate()",
  ];
}

/**
 * Whether each message was read back after it reached a final status (the
 * emulator saw the answer that said so); if not, what the script saw.
 */
function followed(run: Run, messages: Message[], finalWord: string): string[] {
  const notRead: Message[] = [];
  const early: [Message, string[]][] = [];
  for (const m of messages) {
    const statuses = run.seen.statusesOf(String(m.id));
    if (statuses.length === 0) notRead.push(m);
    else if (!statuses.some(isFinal)) early.push([m, statuses]);
  }
  const out: string[] = [];
  const path = (m: Message) => `/restapi/v1.0/account/~/extension/~/message-store/${m.id}`;
  const which = (list: Message[]) =>
    list.length === 1 ? `message ${list[0].id} was` : `${list.length} of ${messages.length} messages were`;
  const first = (list: Message[]) => list.length === 1 ? "" : `the first, ${list[0].id}: `;
  if (notRead.length) {
    out.push(
      `${which(notRead)} never read back (${first(notRead)}GET ${path(notRead[0])}): "${finalWord}" may be ` +
        "printed only once the message store says so",
    );
  }
  if (early.length) {
    const [, statuses] = early[0];
    out.push(
      `${which(early.map(([m]) => m))} read back only before ${early.length === 1 ? "it" : "they"} reached a final ` +
        `status (${first(early.map(([m]) => m))}` +
        `read ${statuses.length === 1 ? "once" : `${statuses.length} times`}, it said ` +
        `${[...new Set(statuses)].join(", then ")}): read it again, with a pause, until its messageStatus is ` +
        `final ("${finalWord}")`,
    );
  }
  return out;
}

const line = (e: Extension): Expected => ({
  line: `${e.extensionNumber} ${e.name}`,
  parts: [e.extensionNumber!, e.name],
});

const enabledUsers = (s: EmulatorState) => s.extensions.filter((e) => e.type === "User" && e.status === "Enabled");

const directNumberOf = (s: EmulatorState, e: Extension) =>
  s.phoneNumbers.find((p) => p.extensionId === e.id && p.usageType === "DirectNumber");

const withoutDirectNumber = (s: EmulatorState) => enabledUsers(s).filter((e) => !directNumberOf(s, e));

const isManager = (e: Extension) => e.jobTitle?.endsWith("Manager") ?? false;

/** The user whose job title ends with "Manager" in `e`'s department. */
const managerOf = (s: EmulatorState, e: Extension) =>
  enabledUsers(s).find((m) => m.department === e.department && isManager(m));

/** Each manager with the people of their department who have no direct number. */
function teams(s: EmulatorState): Map<Extension, Extension[]> {
  const byManager = new Map<Extension, Extension[]>();
  for (const e of withoutDirectNumber(s)) {
    const manager = managerOf(s, e);
    if (manager) byManager.set(manager, [...(byManager.get(manager) ?? []), e]);
  }
  return byManager;
}

/** Users of `s` who share their name with another enabled user. */
function namesakes(s: EmulatorState, users: Extension[]): string[] {
  const all = enabledUsers(s);
  return users.flatMap((u) => {
    const twin = all.find((o) => o.id !== u.id && o.name === u.name);
    return twin
      ? [
        `two users are called ${u.name} (${u.extensionNumber}, without a direct number, and ${twin.extensionNumber}): ` +
        "compare ids (extension.id), not names",
      ]
      : [];
  });
}

/** The steps, by number. */
export const STEPS: Record<string, Step> = {
  "1": {
    title: "who am I?",
    world: USUAL,
    check(run) {
      const me = run.state.extensions.find((e) => e.admin) ?? run.state.extensions[0];
      const named = mentions(run.stdout, me.name);
      const numbered = mentions(run.stdout, me.extensionNumber!);
      const asked = run.seen.requests.some((r) =>
        r.method === "GET" && r.path === `${EXTENSIONS}/~` && r.status === 200
      );
      return [
        ...(named ? [] : [`print the user's name (${me.name}): read ${EXTENSIONS}/~`]),
        ...(numbered ? [] : [`print the extension number (${me.extensionNumber}) too`]),
        ...(named && numbered && !asked
          ? [`the name is printed, but the script never asked who is logged in: GET ${EXTENSIONS}/~`]
          : []),
      ];
    },
  },
  "2": {
    title: "every extension",
    world: LARGE,
    extensions: 1100,
    check(run) {
      return [
        ...printedAll(
          run,
          run.state.extensions.map(line),
          "extensions",
          '"<extensionNumber> <name>"',
          "follow the pages, e.g. with rc.paginate()",
        ),
        ...readWhole(run, EXTENSIONS, "the extension list"),
        ...tooManyRequests(run),
      ];
    },
  },
  "3": {
    title: "send an SMS and see it delivered",
    world: USUAL,
    check(run) {
      const sent = run.sent.filter((m) => m.to.some((t) => t.phoneNumber === WORKSHOP_RECIPIENT));
      return [
        ...(sent.length === 0 ? [`send an SMS to ${WORKSHOP_RECIPIENT} (POST ${EXTENSIONS}/~/sms)`] : []),
        ...(sent.length > 1 ? [`${sent.length} SMS were sent: send it once`] : []),
        ...(sent.length && sent[0].text !== "Hello from the workshop" ? ['the text is "Hello from the workshop"'] : []),
        ...(sent.length ? followed(run, sent.slice(0, 1), "Delivered") : []),
        ...(/\bDelivered\b/.test(run.stdout) ? [] : [
          'read the message back until its messageStatus is "Delivered", and print it',
        ]),
        ...tooManyRequests(run),
      ];
    },
  },
  "4": {
    title: "only the people",
    world: LARGE,
    extensions: 230,
    check(run) {
      const users = enabledUsers(run.state);
      const others = run.state.extensions.filter((e) => !users.includes(e));
      return [
        ...printedAll(
          run,
          users.map(line),
          "enabled users",
          '"<extensionNumber> <name>"',
          `list ${EXTENSIONS} with every page`,
        ),
        ...printedWrongly(
          run,
          others.map((e) => line(e).line),
          "print only extensions whose type is User and whose status is Enabled (the query's type= and status=)",
        ),
        ...readWhole(run, EXTENSIONS, "the extension list"),
        ...tooManyRequests(run),
      ];
    },
  },
  "5": {
    title: "the company's numbers",
    world: LARGE,
    extensions: 230,
    check(run) {
      const s = run.state;
      const direct: Expected[] = enabledUsers(s).flatMap((e) => {
        const p = directNumberOf(s, e);
        return p ? [{ line: `${e.extensionNumber} ${p.phoneNumber}`, parts: [p.phoneNumber, e.extensionNumber!] }] : [];
      });
      return [
        ...printedAll(
          run,
          direct,
          "direct numbers",
          '"<extensionNumber> <phoneNumber>"',
          `read ${COMPANY_NUMBERS} and keep the records whose usageType is "DirectNumber"`,
        ),
        ...others(run, s.phoneNumbers.filter((p) => p.usageType !== "DirectNumber").map((p) => p.phoneNumber)),
        ...readWhole(run, COMPANY_NUMBERS, "the company's numbers"),
        ...forbidden(run),
        ...tooManyRequests(run),
      ];
    },
  },
  "6": {
    title: "who has no direct number?",
    // Two people share a name: only ids tell them apart.
    world: { ...LARGE, namesake: true },
    extensions: 230,
    check(run) {
      const s = run.state;
      const without = withoutDirectNumber(s);
      const missing = printedAll(
        run,
        without.map(line),
        "users without a direct number",
        '"<extensionNumber> <name>"',
        "compare the enabled users (step 4) with the owners of the direct numbers (step 5)",
      );
      const printed = new Set(lines(run));
      return [
        ...missing,
        ...(missing.length ? namesakes(s, without.filter((u) => !printed.has(line(u).line))) : []),
        ...printedWrongly(
          run,
          enabledUsers(s).filter((e) => !without.includes(e)).map((e) => line(e).line),
          "this user has a direct number",
        ),
        ...readWhole(run, EXTENSIONS, "the extension list"),
        ...readWhole(run, COMPANY_NUMBERS, "the company's numbers"),
        ...forbidden(run),
        ...tooManyRequests(run),
      ];
    },
  },
  "7": {
    title: "who is their manager?",
    world: LARGE,
    extensions: 230,
    check(run) {
      const s = run.state;
      const printed = lines(run);
      const without = withoutDirectNumber(s);
      const theirs = new Set(without.map((e) => managerOf(s, e)).filter((m) => m !== undefined));
      const managers = enabledUsers(s).filter(isManager);
      const out: string[] = [];
      const unpaired = without.filter((e) => {
        const manager = managerOf(s, e)!;
        return !printed.some((l) => mentions(l, e.name) && mentions(l, manager.name));
      });
      if (unpaired.length) {
        const [e] = unpaired;
        out.push(
          `${unpaired.length} of ${without.length} users without a direct number are not printed with their manager ` +
            `(the first: ${e.name}, whose manager is ${managerOf(s, e)!.name}): a manager is the user of the same ` +
            'contact.department whose contact.jobTitle ends with "Manager"',
        );
      }
      for (const e of without) {
        const l = printed.find((l) => mentions(l, e.name) && mentions(l, managerOf(s, e)!.name));
        const more = managers.filter((m) => m !== managerOf(s, e) && l && mentions(l, m.name));
        if (more.length) {
          out.push(
            `the line "${l}" names ${more.length > 1 ? "other managers" : "another manager"} too ` +
              `(${more.map((m) => m.name).join(", ")}): only the manager of ${e.name}'s department`,
          );
          break;
        }
      }
      const everyone = enabledUsers(s).filter((e) =>
        !without.includes(e) && !theirs.has(e) && printed.some((l) => mentions(l, e.name))
      );
      if (everyone.length) {
        const other = everyone.find((e) => !isManager(e));
        out.push(
          other
            ? `${other.name} is printed${everyone.length > 1 ? ` (and ${everyone.length - 1} more)` : ""}, but has ` +
              "a direct number: print only the users without one (step 6), each with their manager"
            : `the manager ${everyone[0].name} is printed${
              everyone.length > 1 ? ` (and ${everyone.length - 1} more)` : ""
            }, ` +
              "but nobody without a direct number reports to them: only the managers of the users of step 6",
        );
      }
      return [
        ...out,
        ...readWhole(run, EXTENSIONS, "the extension list"),
        ...readWhole(run, COMPANY_NUMBERS, "the company's numbers"),
        ...forbidden(run),
        ...tooManyRequests(run),
      ];
    },
  },
  "8": {
    title: "a summary SMS to each manager",
    world: LARGE,
    extensions: 230,
    check(run) {
      const s = run.state;
      const sent = run.sent;
      const byManager = teams(s);
      const missing: string[] = [];
      const toManagers: Message[] = [];
      for (const [manager, team] of byManager) {
        const to = directNumberOf(s, manager)?.phoneNumber;
        const theirs = sent.filter((m) => m.to.some((t) => t.phoneNumber === to));
        toManagers.push(...theirs.slice(0, 1));
        if (theirs.length === 0) missing.push(`send ${manager.name} an SMS at their direct number ${to}`);
        else if (theirs.length > 1) missing.push(`${theirs.length} SMS were sent to ${manager.name}: send one each`);
        else {
          const left = team.filter((e) => !mentions(theirs[0].text, e.name));
          if (left.length) {
            missing.push(`the SMS to ${manager.name} does not name ${left.map((e) => e.name).join(", ")}`);
          }
          const others = withoutDirectNumber(s).filter((e) => !team.includes(e) && mentions(theirs[0].text, e.name));
          if (others.length) {
            missing.push(
              `the SMS to ${manager.name} names ${others.map((e) => e.name).join(", ")}, who ` +
                `${others.length > 1 ? "are" : "is"} not in their team: one SMS per manager, about their own team`,
            );
          }
        }
      }
      const managersNumbers = [...byManager.keys()].map((m) => directNumberOf(s, m)?.phoneNumber);
      const others = sent.filter((m) => !m.to.some((t) => managersNumbers.includes(t.phoneNumber)));
      if (others.length) {
        missing.push(
          `${others.length} SMS went to someone else (${others[0].to[0]?.phoneNumber}): only to the managers`,
        );
      }
      missing.push(...followed(run, toManagers, "Delivered"));
      const printed = lines(run);
      const unreported = [...byManager.keys()].filter((m) =>
        !printed.some((l) => mentions(l, m.name) && /\bDelivered\b/.test(l))
      );
      if (unreported.length) {
        missing.push(
          `"${unreported[0].name}: Delivered" is not printed${
            unreported.length > 1 ? ` (nor for ${unreported.length - 1} more managers)` : ""
          }: read each SMS back from the message store until its messageStatus is Delivered, and print it`,
        );
      }
      return [
        ...missing,
        ...readWhole(run, EXTENSIONS, "the extension list"),
        ...readWhole(run, COMPANY_NUMBERS, "the company's numbers"),
        ...forbidden(run),
        ...tooManyRequests(run),
      ];
    },
  },
};
