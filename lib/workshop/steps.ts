/**
 * The workshop's steps (docs/workshop.md) and their checks, for
 * `deno task exercise <step>`. A check reads what the script printed and the
 * emulator's state afterwards, and returns what is missing (nothing when the
 * step is done). The expected answers come from the state, never from a list
 * written here, so the checks hold for any seed.
 * @module
 */
import type { EmulatorOptions, EmulatorState, Extension, Message } from "../emulator/mod.ts";

/** What a check sees: the script's exit code and output, and the emulator's state afterwards. */
export interface Run {
  /** The script's exit code. */
  code: number;
  /** What it printed. */
  stdout: string;
  /** Its errors. */
  stderr: string;
  /** The emulator's state once the script has finished. */
  state: EmulatorState;
  /** The messages the script sent (the seed's own are left out). */
  sent: Message[];
}

/** One step of the workshop. */
export interface Step {
  /** Its title, as in docs/workshop.md. */
  title: string;
  /** How the check's emulator differs from the seed's (rate limits are always on). */
  emulator?: EmulatorOptions;
  /** What is missing, or nothing when the step is done. */
  check(run: Run): string[];
}

/** The recipient of step 3. */
const WORKSHOP_RECIPIENT = "+16505550199";

const tooManyRequests = (run: Run) =>
  run.state.stats.statuses["429"] ? [`the script got ${run.state.stats.statuses["429"]} × 429: pace the requests`] : [];

const forbidden = (run: Run) =>
  run.state.stats.statuses["403"]
    ? [
      `the script got ${run.state.stats.statuses["403"]} × 403: one user cannot read another's numbers ` +
      "(CMN-419); the company list /restapi/v1.0/account/~/phone-number has them all",
    ]
    : [];

const lines = (run: Run) => run.stdout.split("\n").map((l) => l.trim().replace(/\s+/g, " "));

const line = (e: Extension) => `${e.extensionNumber} ${e.name}`;

/** Says which of `expected` lines are not printed, naming the first. */
function notPrinted(run: Run, expected: string[], what: string, hint: string): string[] {
  const printed = new Set(lines(run));
  const missing = expected.filter((l) => !printed.has(l));
  return missing.length
    ? [`${missing.length} of ${expected.length} ${what} are not printed (the first missing: "${missing[0]}"): ${hint}`]
    : [];
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
  const wrong = numbers.filter((n) => run.stdout.includes(n));
  return wrong.length
    ? [`${wrong.join(", ")} ${wrong.length > 1 ? "are" : "is"} printed: keep only the usageType "DirectNumber"`]
    : [];
}

const enabledUsers = (s: EmulatorState) => s.extensions.filter((e) => e.type === "User" && e.status === "Enabled");

const directNumberOf = (s: EmulatorState, e: Extension) =>
  s.phoneNumbers.find((p) => p.extensionId === e.id && p.usageType === "DirectNumber");

const withoutDirectNumber = (s: EmulatorState) => enabledUsers(s).filter((e) => !directNumberOf(s, e));

/** The user whose job title ends with "Manager" in `e`'s department. */
const managerOf = (s: EmulatorState, e: Extension) =>
  enabledUsers(s).find((m) => m.department === e.department && m.jobTitle?.endsWith("Manager"));

/** Each manager with the people of their department who have no direct number. */
function teams(s: EmulatorState): Map<Extension, Extension[]> {
  const byManager = new Map<Extension, Extension[]>();
  for (const e of withoutDirectNumber(s)) {
    const manager = managerOf(s, e);
    if (manager) byManager.set(manager, [...(byManager.get(manager) ?? []), e]);
  }
  return byManager;
}

/** The steps, by number. */
export const STEPS: Record<string, Step> = {
  "1": {
    title: "who am I?",
    check(run) {
      const me = run.state.extensions[0];
      return [
        ...(run.stdout.includes(me.name)
          ? []
          : [`print the user's name (${me.name}): read /restapi/v1.0/account/~/extension/~`]),
        ...(new RegExp(`\\b${me.extensionNumber}\\b`).test(run.stdout) ? [] : ["print the extension number too"]),
      ];
    },
  },
  "2": {
    title: "every extension",
    // More extensions than two pages of the default 100 hold: a script that reads one page misses some.
    emulator: { extensions: 230 },
    check(run) {
      return [
        ...notPrinted(
          run,
          run.state.extensions.map(line),
          'extensions as "<extensionNumber> <name>"',
          "follow the pages, e.g. with rc.paginate()",
        ),
        ...tooManyRequests(run),
      ];
    },
  },
  "3": {
    title: "send an SMS and see it delivered",
    check(run) {
      const sent = run.sent.filter((m) => m.to.some((t) => t.phoneNumber === WORKSHOP_RECIPIENT));
      return [
        ...(sent.length === 0
          ? [`send an SMS to ${WORKSHOP_RECIPIENT} (POST /restapi/v1.0/account/~/extension/~/sms)`]
          : []),
        ...(sent.length > 1 ? [`${sent.length} SMS were sent: send it once`] : []),
        ...(sent.length && sent[0].text !== "Hello from the workshop" ? ['the text is "Hello from the workshop"'] : []),
        ...(/\bDelivered\b/.test(run.stdout) ? [] : [
          'read the message back until its messageStatus is "Delivered", and print it',
        ]),
        ...tooManyRequests(run),
      ];
    },
  },
  "4": {
    title: "only the people",
    check(run) {
      const users = enabledUsers(run.state);
      const others = run.state.extensions.filter((e) => !users.includes(e));
      return [
        ...notPrinted(
          run,
          users.map(line),
          'enabled users as "<extensionNumber> <name>"',
          "list /restapi/v1.0/account/~/extension with every page",
        ),
        ...printedWrongly(
          run,
          others.map(line),
          "print only extensions whose type is User and whose status is Enabled (the query's type= and status=)",
        ),
        ...tooManyRequests(run),
      ];
    },
  },
  "5": {
    title: "the company's numbers",
    check(run) {
      const s = run.state;
      const direct = enabledUsers(s).flatMap((e) => {
        const p = directNumberOf(s, e);
        return p ? [`${e.extensionNumber} ${p.phoneNumber}`] : [];
      });
      return [
        ...notPrinted(
          run,
          direct,
          'direct numbers as "<extensionNumber> <phoneNumber>"',
          'read /restapi/v1.0/account/~/phone-number and keep the records whose usageType is "DirectNumber"',
        ),
        ...others(run, s.phoneNumbers.filter((p) => p.usageType !== "DirectNumber").map((p) => p.phoneNumber)),
        ...forbidden(run),
        ...tooManyRequests(run),
      ];
    },
  },
  "6": {
    title: "who has no direct number?",
    check(run) {
      const s = run.state;
      const without = withoutDirectNumber(s);
      return [
        ...notPrinted(
          run,
          without.map(line),
          'users without a direct number as "<extensionNumber> <name>"',
          "compare the enabled users (step 4) with the owners of the direct numbers (step 5)",
        ),
        ...printedWrongly(
          run,
          enabledUsers(s).filter((e) => !without.includes(e)).map(line),
          "this user has a direct number",
        ),
        ...forbidden(run),
        ...tooManyRequests(run),
      ];
    },
  },
  "7": {
    title: "who is their manager?",
    check(run) {
      const s = run.state;
      const missing = withoutDirectNumber(s).filter((e) => {
        const manager = managerOf(s, e);
        return manager && !lines(run).some((l) => l.includes(e.name) && l.includes(manager.name));
      });
      return [
        ...(missing.length
          ? [
            `${missing.length} users without a direct number are not printed with their manager (the first: ` +
            `${missing[0].name}, whose manager is ${managerOf(s, missing[0])!.name}): a manager is the user of the ` +
            'same contact.department whose contact.jobTitle ends with "Manager"',
          ]
          : []),
        ...forbidden(run),
        ...tooManyRequests(run),
      ];
    },
  },
  "8": {
    title: "a summary SMS to each manager",
    check(run) {
      const s = run.state;
      const sent = run.sent;
      const byManager = teams(s);
      const missing: string[] = [];
      for (const [manager, team] of byManager) {
        const to = directNumberOf(s, manager)?.phoneNumber;
        const theirs = sent.filter((m) => m.to.some((t) => t.phoneNumber === to));
        if (theirs.length === 0) missing.push(`send ${manager.name} an SMS at their direct number ${to}`);
        else if (theirs.length > 1) missing.push(`${theirs.length} SMS were sent to ${manager.name}: send one each`);
        else {
          const left = team.filter((e) => !theirs[0].text.includes(e.name));
          if (left.length) {
            missing.push(`the SMS to ${manager.name} does not name ${left.map((e) => e.name).join(", ")}`);
          }
          const others = withoutDirectNumber(s).filter((e) => !team.includes(e) && theirs[0].text.includes(e.name));
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
      const delivered = run.stdout.match(/\bDelivered\b/g)?.length ?? 0;
      if (delivered < byManager.size) {
        missing.push(
          `"Delivered" is printed ${delivered} times for ${byManager.size} SMS: read each one back from the ` +
            "message store until its messageStatus is Delivered, and print it",
        );
      }
      return [...missing, ...forbidden(run), ...tooManyRequests(run)];
    },
  },
};
