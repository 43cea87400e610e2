/**
 * The account a workshop check runs on: drawn from a seed, so that each
 * check has data of its own (names, extension numbers, phone numbers, who
 * has no direct number, the departments and their managers) and a failure
 * can be reproduced with the same seed. It keeps the seed account's shape
 * (Acme Robotics, an admin whose numbers start with the main number, users,
 * special extensions, disabled and not yet activated users) and none of its
 * people, so a local run's output (the fixed seed) never passes a check.
 * @module
 */
import type { EmulatorState, Extension, PhoneNumber } from "../emulator/mod.ts";

/** What a check's account looks like. */
export interface WorldShape {
  /** How many extensions, drawn between the two (inclusive). */
  extensions: [number, number];
  /** Two enabled users share a name, one with a direct number and one without (step 6: compare ids). */
  namesake?: boolean;
}

/** The id of the admin, the user whose JWT the check writes (the emulator's `credentials.jwt`). */
const ADMIN_ID = 62264425000 + 101;

const FIRST = [
  "Aaron",
  "Abby",
  "Adele",
  "Ahmed",
  "Aiko",
  "Amara",
  "Andre",
  "Anya",
  "Arjun",
  "Beatriz",
  "Bruno",
  "Camila",
  "Chidi",
  "Clara",
  "Dario",
  "Delia",
  "Dmitri",
  "Elena",
  "Emeka",
  "Esme",
  "Farah",
  "Felix",
  "Greta",
  "Hana",
  "Hugo",
  "Ines",
  "Isaac",
  "Jamal",
  "Janek",
  "Jun",
  "Kai",
  "Kavya",
  "Lars",
  "Leila",
  "Lucia",
  "Malik",
  "Mara",
  "Mateo",
  "Mei",
  "Nadia",
  "Nikolai",
  "Noor",
  "Omar",
  "Oona",
  "Pablo",
  "Priya",
  "Quinn",
  "Rafael",
  "Rosa",
  "Sami",
  "Sofia",
  "Tariq",
  "Thea",
  "Tomas",
  "Uma",
  "Valentin",
  "Wanda",
  "Xavier",
  "Yara",
  "Zoltan",
];
// No last name of the seed account (Admin, Baker, Chen, …): a drawn name never equals a local run's.
const LAST = [
  "Abara",
  "Albescu",
  "Andersen",
  "Bakshi",
  "Barros",
  "Bianchi",
  "Castillo",
  "Cohen",
  "Dahl",
  "Dubois",
  "Eriksen",
  "Esposito",
  "Fischer",
  "Fontaine",
  "Gallo",
  "Gupta",
  "Haddad",
  "Hansen",
  "Horvat",
  "Iyer",
  "Jansen",
  "Jovanovic",
  "Kaur",
  "Kowalski",
  "Larsen",
  "Laurent",
  "Mahlangu",
  "Marino",
  "Moreau",
  "Nakamura",
  "Novak",
  "Obi",
  "Okafor",
  "Olsen",
  "Petrov",
  "Quispe",
  "Rahman",
  "Rossi",
  "Sato",
  "Schmidt",
  "Silva",
  "Sorensen",
  "Suzuki",
  "Tanaka",
  "Toure",
  "Ueda",
  "Varga",
  "Vogel",
  "Wagner",
  "Watanabe",
  "Weber",
  "Xu",
  "Yamamoto",
  "Yilmaz",
  "Zeller",
  "Zhou",
  "Acheampong",
  "Bergstrom",
  "Costa",
  "Duarte",
];
/** Departments: the manager's title (ends with "Manager") and the others' titles (none does). */
const DEPARTMENTS: [string, string, string[]][] = [
  ["Sales", "Sales Manager", ["Account Executive", "Sales Representative", "Sales Engineer"]],
  ["Support", "Support Manager", ["Support Engineer", "Support Specialist"]],
  ["Engineering", "Product Manager", ["Engineer", "Senior Engineer", "Designer", "QA Engineer"]],
  ["Finance", "Finance Manager", ["Accountant", "Financial Analyst"]],
  ["Operations", "Operations Manager", ["Recruiter", "Office Coordinator", "Logistics Planner"]],
  ["Marketing", "Marketing Manager", ["Marketing Lead", "Content Writer", "Brand Designer"]],
  ["Legal", "Legal Manager", ["Counsel", "Paralegal"]],
  ["Research", "Research Manager", ["Scientist", "Lab Technician"]],
  ["Facilities", "Facilities Manager", ["Technician", "Receptionist"]],
];
/** Extensions that are not users: name and type. */
const SPECIAL: [string, string][] = [
  ["Sales Line", "Department"],
  ["Support Line", "Department"],
  ["Billing", "Department"],
  ["Company Announcements", "Announcement"],
  ["Shared Voicemail", "Voicemail"],
  ["Main Menu", "IvrMenu"],
  ["After Hours Menu", "IvrMenu"],
  ["Park Location 1", "ParkLocation"],
  ["Fax Machine", "FaxUser"],
  ["Lobby Phone", "Limited"],
];
const AREAS = ["650", "415", "408", "510", "925", "707", "628", "669"];

/** A small seeded generator (mulberry32): the same seed draws the same account. */
function generator(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1));
  const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)];
  const shuffle = <T>(list: readonly T[]): T[] => {
    const out = [...list];
    for (let i = out.length - 1; i > 0; i--) {
      const j = Math.floor(next() * (i + 1));
      [out[i], out[j]] = [out[j], out[i]];
    }
    return out;
  };
  return { int, pick, shuffle };
}

/**
 * A seed for a check: a whole number from 1 to 999999.
 *
 * @example
 * ```ts
 * import { randomSeed } from "./world.ts";
 * import { ok } from "node:assert/strict";
 * const seed = randomSeed();
 * ok(Number.isInteger(seed) && seed >= 1 && seed <= 999_999);
 * ```
 */
export function randomSeed(): number {
  return 1 + Math.floor(Math.random() * 999_999);
}

/**
 * The account drawn from `seed` in the given shape, on top of the
 * emulator's seed state (its apps, sessions and counters are kept): the
 * emulator calls it at its start and at every reset (`EmulatorOptions.world`).
 *
 * @example Two seeds, two companies; the same seed, the same one
 * ```ts
 * import { createEmulator } from "../emulator/mod.ts";
 * import { drawWorld } from "./world.ts";
 * import { equal, notEqual } from "node:assert/strict";
 * const shape = { extensions: [120, 140] as [number, number] };
 * const a = createEmulator({ world: drawWorld(7, shape) }).state;
 * const b = createEmulator({ world: drawWorld(8, shape) }).state;
 * const again = createEmulator({ world: drawWorld(7, shape) }).state;
 * notEqual(a.extensions[0].name, b.extensions[0].name);
 * equal(a.extensions[0].name, again.extensions[0].name);
 * equal(a.extensions[0].admin, true);
 * ```
 */
export function drawWorld(
  seed: number,
  shape: WorldShape,
): (base: EmulatorState) => EmulatorState {
  return (state) => {
    const { int, pick, shuffle } = generator(seed);
    const total = int(shape.extensions[0], shape.extensions[1]);
    const iso = state.account.creationTime;

    // Unique names (first × last), unique extension numbers in ascending order (the admin's is the first).
    const names = new Set<string>();
    const name = (): [string, string] => {
      for (;;) {
        const [f, l] = [pick(FIRST), pick(LAST)];
        if (!names.has(`${f} ${l}`)) {
          names.add(`${f} ${l}`);
          return [f, l];
        }
      }
    };
    const numbers = new Set<number>();
    while (numbers.size < total) numbers.add(int(100, Math.max(999, total * 4)));
    const extensionNumbers = [...numbers].sort((a, b) => a - b).map(String);

    const departments = shuffle(DEPARTMENTS).slice(0, int(4, 6));
    const specials = shuffle(SPECIAL).slice(0, Math.min(int(5, 9), Math.max(0, total - 30)));
    const inactive = int(2, 4);
    const slots = shuffle(extensionNumbers.slice(1).map((_, i) => i + 1)); // every position but the admin's
    const specialAt = new Map(slots.slice(0, specials.length).map((p, i) => [p, specials[i]]));
    const inactiveAt = new Set(slots.slice(specials.length, specials.length + inactive));

    const ids = new Set<number>([ADMIN_ID]);
    const newId = () => {
      for (;;) {
        const id = 62264426000 + int(1, 8_000_000);
        if (!ids.has(id)) return ids.add(id) && id;
      }
    };
    const extensions: Extension[] = extensionNumbers.map((n, i): Extension => {
      const special = specialAt.get(i);
      if (special) {
        return {
          id: newId(),
          extensionNumber: n,
          name: special[0],
          type: special[1],
          status: "Enabled",
          creationTime: iso,
        };
      }
      const [first, last] = name();
      const [department, , titles] = pick(departments);
      return {
        id: i === 0 ? ADMIN_ID : newId(),
        extensionNumber: n,
        name: `${first} ${last}`,
        type: "User",
        status: inactiveAt.has(i) ? pick(["Disabled", "NotActivated"]) : "Enabled",
        firstName: first,
        lastName: last,
        email: `${first}.${last}.${n}@acme-robotics.example`.toLowerCase(),
        jobTitle: i === 0 ? "IT Administrator" : pick(titles),
        department,
        admin: i === 0,
        creationTime: iso,
      };
    });

    // One manager per department, an enabled user other than the admin.
    const users = extensions.filter((e, i) => i > 0 && e.type === "User" && e.status === "Enabled");
    const managers = new Set<Extension>();
    for (const [department, title] of departments) {
      const manager = shuffle(users.filter((u) => !managers.has(u)))[0];
      manager.department = department;
      manager.jobTitle = title;
      managers.add(manager);
    }

    // Who has no direct number: a few users, not managers, of at least two departments.
    const candidates = shuffle(users.filter((u) => !managers.has(u)));
    const without: Extension[] = candidates.slice(0, int(4, 8));
    if (new Set(without.map((u) => u.department)).size < 2) {
      const other = candidates.find((u) => u.department !== without[0].department);
      if (other) without[without.length - 1] = other;
      else without[without.length - 1].department = departments.find(([d]) => d !== without[0].department)![0];
    }
    const withoutIds = new Set(without.map((u) => u.id));

    if (shape.namesake) {
      // Someone with a direct number is called like someone without one.
      const twin = candidates.find((u) => !withoutIds.has(u.id))!;
      const [model] = without;
      Object.assign(twin, { name: model.name, firstName: model.firstName, lastName: model.lastName });
      twin.email = `${model.firstName}.${model.lastName}.${twin.extensionNumber}@acme-robotics.example`.toLowerCase();
    }

    const phones = new Set<string>(["+16505550199"]);
    const phone = (prefix?: string) => {
      for (;;) {
        const p = prefix ? `+1${prefix}555${int(1000, 9999)}` : `+1${pick(AREAS)}555${int(1000, 9999)}`;
        if (!phones.has(p)) return phones.add(p) && p;
      }
    };
    let numberId = int(1000, 5000);
    const number = (
      extensionId: number,
      usageType: string,
      features: string[],
      phoneNumber: string,
      type = "VoiceFax",
    ): PhoneNumber => ({
      id: numberId++,
      phoneNumber,
      extensionId,
      paymentType: phoneNumber.startsWith("+18") ? "TollFree" : "Local",
      location: "San Mateo, CA",
      type,
      usageType,
      features,
      primary: usageType === "DirectNumber",
    });
    const sms = ["SmsSender", "CallerId", "MmsSender"];
    const main = phone();
    // The admin's list starts with numbers that cannot send SMS: pick by features, not by position.
    const phoneNumbers: PhoneNumber[] = [
      number(ADMIN_ID, "MainCompanyNumber", ["CallerId"], main),
      number(ADMIN_ID, "CompanyFaxNumber", [], phone(), "FaxOnly"),
      number(ADMIN_ID, "DirectNumber", sms, phone()),
      number(
        ADMIN_ID,
        "AdditionalCompanyNumber",
        ["CallerId", "SmsSender", "A2PSmsSender"],
        phone(pick(["800", "888"])),
      ),
    ];
    for (const u of users) {
      if (!withoutIds.has(u.id)) {
        phoneNumbers.push(number(u.id, "DirectNumber", int(0, 2) ? sms : ["CallerId"], phone()));
      }
    }

    return {
      ...state,
      account: { ...state.account, mainNumber: main },
      extensions,
      phoneNumbers,
      messages: [],
    };
  };
}
