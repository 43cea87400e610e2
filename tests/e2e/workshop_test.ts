/**
 * `deno task exercise <step>`: each reference solution (tests/workshop/)
 * passes; each starter (workshop/starters/), which does not do the step yet,
 * fails saying what is missing, with its output; each cheat
 * (tests/workshop/attempts/, a local run's output copied) fails its check;
 * a script that runs out of time is told what it was doing; `--run`,
 * `--seed`, `--reset` (the old file kept), the room's progress and the
 * pre-flight.
 */
import { deepEqual, equal, match, notEqual, ok } from "node:assert/strict";
import { childEnv, ROOT, runDeno, serveEmulator, tempDir } from "../_helpers.ts";
import { terminal } from "./_tmux.ts";
import { checkStep, runStep } from "../../lib/workshop/exercise.ts";
import { preflight } from "../../lib/workshop/preflight.ts";

/** `deno task exercise …` in the project at `root`, with the task's own permissions from deno.json. */
const TASK: string[] = JSON.parse(await Deno.readTextFile(`${ROOT}/deno.json`)).tasks.exercise.split(/\s+/).slice(1);
const exercise = (args: string[], root = ROOT, env: Record<string, string> = {}) =>
  runDeno([...TASK.map((a) => a === "scripts/exercise.ts" ? `${root}/${a}` : a), ...args], { cwd: root, env });

/** A drawn person's name. */
const NAME = String.raw`[A-Z][a-z]+ [A-Z][a-z]+`;
const re = (source: string) => new RegExp(source.replaceAll("NAME", NAME));

const MISSING: Record<string, RegExp> = {
  "1": re(String.raw`print the user's name \(NAME\)[\s\S]*the script made no request`),
  "2": re(
    String.raw`1\d{3} of 1\d{3} extensions are not printed .* follow the pages[\s\S]*` +
      String.raw`read 10 of the 1\d{3} records of /restapi/v1\.0/account/~/extension \(one page of 10\)`,
  ),
  "3": /send an SMS to \+16505550199/,
  "4": /".+" is printed .* print only extensions whose type is User and whose status is Enabled/,
  "5": /\d+ of \d+ direct numbers are not printed[\s\S]*\+1\d{10}, \+1\d{10}, \+18\d{9} are printed/,
  "6": /\d of \d users without a direct number are not printed/,
  "7": re(
    String
      .raw`\d of \d users without a direct number are not printed with their manager \(the first: NAME, whose manager is NAME\)`,
  ),
  "8": re(String.raw`send NAME an SMS at their direct number \+1\d{10}[\s\S]*"NAME: Delivered" is not printed`),
};

for (const n of Object.keys(MISSING)) {
  Deno.test(`workshop step ${n}: the reference solution passes, the starter is told what is missing`, async () => {
    const done = await exercise([n, "--file", `${ROOT}/tests/workshop/step${n}.ts`]);
    equal(done.code, 0, done.stdout + done.stderr);
    match(done.stdout, new RegExp(`✓ step ${n} .* is done \\(\\d+\\.\\d s, \\d+ requests, seed \\d+\\)\\.`));
    const start = await exercise([n, "--file", `${ROOT}/workshop/starters/step${n}.ts`]);
    equal(start.code, 1, start.stdout + start.stderr);
    match(start.stdout, new RegExp(`✗ step ${n} .* is not done yet`));
    match(start.stdout, MISSING[n]);
    match(start.stdout, /Your script printed \(|Your script printed nothing/, "the script's output is shown");
    match(start.stdout, new RegExp(`The same data again: deno task exercise ${n} --file .* --seed \\d+`));
    ok(!start.stdout.includes("Start over"), "--reset puts back workshop/step<N>.ts, not the file --file checks");
  });
}

/** Each cheat of the issue, and what its check says. */
const ATTEMPTS: [string, string, RegExp][] = [
  ["1", "step1_copied.ts", re(String.raw`print the user's name \(NAME\)[\s\S]*the script made no request`)],
  ["2", "step2_one_page.ts", /read 100 of the 1\d{3} records of .* \(one page of 100\)/],
  [
    "2",
    "step2_one_page_of_1000.ts",
    /read 1000 of the 1\d{3} records of .*extension \(one page of 1000\): a page holds at most 1000/,
  ],
  [
    "2",
    "step2_other_form.ts",
    re(String.raw`1\d{3} of 1\d{3} extensions are printed in another form: "NAME \(ext \d+\)" should read "\d+ NAME"`),
  ],
  [
    "4",
    "step4_one_page_of_1000.ts",
    /read 1\d{3} of the 1\d{3} records of .*extension\?.*status=Enabled.* \(one page of 1000\): a page holds at most 1000/,
  ],
  [
    "5",
    "step5_one_page_of_1000.ts",
    /read 1000 of the 1\d{3} records of .*phone-number.* \(one page of 1000\): a page holds at most 1000/,
  ],
  [
    "7",
    "step7_one_page_of_1000.ts",
    /read 1000 of the 1\d{3} records of .*extension.*\(one page of 1000\)[\s\S]*read 1000 of the 1\d{3} records of .*phone-number/,
  ],
  ["3", "step3_printed_delivered.ts", /message \d+ was never read back \(GET .*message-store\/\d+\)/],
  [
    "3",
    "step3_read_once.ts",
    /message \d+ was read back only before it reached a final status \(read once, it said Queued\)/,
  ],
  [
    "6",
    "step6_names.ts",
    re(String.raw`two users are called NAME \(\d+, without a direct number, and \d+\): compare ids`),
  ],
  ["7", "step7_everyone.ts", re(String.raw`NAME is printed \(and \d+ more\), but has a direct number`)],
  ["7", "step7_every_manager.ts", re(String.raw`the line "NAME → .*" names other managers too`)],
  ["8", "step8_one_sms_to_all.ts", re(String.raw`the SMS to NAME names .*, who (is|are) not in their team`)],
  ["8", "step8_printed_delivered.ts", /\d of \d messages were never read back/],
];

for (const [n, file, said] of ATTEMPTS) {
  Deno.test(`workshop step ${n}: a cheat (${file}) fails its check, told why`, async () => {
    const { missing, seed } = await checkStep(n, `${ROOT}/tests/workshop/attempts/${file}`);
    match(missing.join("\n"), said, `seed ${seed}: ${missing.join("\n")}`);
  });
}

Deno.test("workshop: a local run's output, copied into a script, passes no check (steps 1, 4, 5, 6, 7)", async () => {
  await using dir = await tempDir();
  const local = await runStep("1", `${ROOT}/tests/workshop/step1.ts`);
  equal(local.stdout, "Alice Admin (ext 101)\n", "a local run has the seed account");
  for (const n of ["1", "4", "5", "6", "7"]) {
    const { stdout, code } = n === "1" ? local : await runStep(n, `${ROOT}/tests/workshop/step${n}.ts`);
    equal(code, 0);
    const copied = `${dir.path}/copied${n}.ts`;
    await Deno.writeTextFile(copied, `console.log(${JSON.stringify(stdout.trimEnd())});\n`);
    const { missing, seed } = await checkStep(n, copied);
    ok(missing.length > 1, `step ${n}, seed ${seed}: ${missing.join("\n")}`);
    match(missing.at(-1)!, /the script made no request: each check runs on an account of its own \(seed \d+\)/);
  }
});

Deno.test("workshop: --seed checks on the same data again; another seed, other data", async () => {
  const starter = `${ROOT}/workshop/starters/step1.ts`;
  const [a, again, other] = await Promise.all([
    exercise(["1", "--file", starter, "--seed", "4242"]),
    exercise(["1", "--file", starter, "--seed", "4242"]),
    exercise(["1", "--file", starter, "--seed", "4243"]),
  ]);
  const said = (r: { stdout: string }) =>
    r.stdout.match(/print the user's name \((.+)\)[\s\S]*extension number \((\d+)\)/)?.slice(1);
  ok(said(a), a.stdout);
  deepEqual(said(again), said(a));
  notEqual(said(other)!.join(), said(a)!.join());
  match(a.stdout, /seed 4242/);
  const bad = await exercise(["1", "--seed", "soon"]);
  equal(bad.code, 2);
  match(bad.stdout, /--seed is the whole number a check printed/);
});

Deno.test("workshop: --run shows the script's output against the seed account, with no check", async () => {
  const r = await exercise(["1", "--run", "--file", `${ROOT}/tests/workshop/step1.ts`]);
  equal(r.code, 0, r.stdout + r.stderr);
  match(r.stdout, /Running .* against a fresh emulator \(the seed account.*\); no check\.\nAlice Admin \(ext 101\)\n/);
  match(r.stdout, /ended with exit code 0, in \d+\.\d s, 2 requests\. Check it: deno task exercise 1 --file/);
  ok(!r.stdout.includes("✓"), "no check");
});

Deno.test("workshop: a script that runs out of time is stopped, and told what it was doing", async () => {
  await using dir = await tempDir();
  const stuck = `${dir.path}/stuck.ts`;
  await Deno.writeTextFile(
    stuck,
    `import { RingCentral } from "@rc-playground/ringcentral";
const rc = await RingCentral.fromEnv();
await rc.get("/restapi/v1.0/account/~/extension/~");
await new Promise(() => setInterval(() => {}, 1000)); // waits for ever
`,
  );
  // The time limit ends once the emulator has answered its request (no test waits 60 s).
  const limit = new AbortController();
  const out = await checkStep("1", stuck, {
    limit: limit.signal,
    onActivity: (a) => {
      if (a.kind === "request" && a.seen.status === 200 && a.seen.path.endsWith("/extension/~")) limit.abort();
    },
  });
  equal(out.timedOut, true);
  match(
    out.missing[0],
    /^the script ran out of time: it was stopped after 90 s; its last request was GET \/restapi\/v1\.0\/account\/~\/extension\/~ → 200, at \d+ s$/,
  );
  ok(!out.missing.join("\n").includes("exit code 143"), "never a bare exit code");

  // Eleven Heavy requests at once: the client sends ten, and holds the eleventh back for the window.
  const heavy = `${dir.path}/heavy.ts`;
  await Deno.writeTextFile(
    heavy,
    `import { RingCentral } from "@rc-playground/ringcentral";
const rc = await RingCentral.fromEnv();
await Promise.all(Array.from({ length: 11 }, () => rc.get("/restapi/v1.0/account/~/phone-number")));
`,
  );
  const held = new AbortController();
  const paced = await checkStep("5", heavy, {
    limit: held.signal,
    onActivity: (a) => {
      if (a.kind === "request" && a.seen.remaining === 0) held.abort();
    },
  });
  match(
    paced.missing[0],
    /ran out of time.*its last request was GET \/restapi\/v1\.0\/account\/~\/phone-number → 200.*; then the client held its next Heavy request back \(the Heavy group allows 10 requests per 60 s\): read the company's numbers once/,
  );
});

/** A copy of what a clone has, so that the attendee's own workshop/ folder and .env files are left alone. */
async function clone(path: string): Promise<void> {
  for (const f of ["lib", "mod.ts", "deno.json", "deno.lock", "scripts", "workshop"]) {
    await new Deno.Command("cp", { args: ["-r", `${ROOT}/${f}`, `${path}/${f}`] }).output();
  }
  for await (const f of Deno.readDir(`${path}/workshop`)) {
    if (f.isFile) await Deno.remove(`${path}/workshop/${f.name}`); // a fresh clone has no attendee file
  }
}

Deno.test("workshop: the first run creates the step from its starter, a check follows, --reset keeps the old file", async () => {
  await using dir = await tempDir();
  await clone(dir.path);
  const run = (...args: string[]) => exercise(args, dir.path);
  const mine = `${dir.path}/workshop/step1.ts`;
  const starter = await Deno.readTextFile(`${ROOT}/workshop/starters/step1.ts`);

  const created = await run("1");
  equal(created.code, 1);
  match(created.stdout, /workshop\/step1\.ts is created from its starter: edit it, then run deno task exercise 1/);
  equal(await Deno.readTextFile(mine), starter);

  const notYet = await run("1");
  equal(notYet.code, 1);
  match(notYet.stdout, /✗ step 1 .*\n[\s\S]*Start over: {10}deno task exercise 1 --reset/);

  const solution = await Deno.readTextFile(`${ROOT}/tests/workshop/step1.ts`);
  await Deno.writeTextFile(mine, solution);
  equal((await run("1")).code, 0);

  const reset = await run("1", "--reset");
  equal(reset.code, 0);
  match(reset.stdout, /workshop\/step1\.ts is the starter again \(your file is kept as workshop\/step1\.ts\.bak\)/);
  equal(await Deno.readTextFile(mine), starter);
  equal(await Deno.readTextFile(`${mine}.bak`), solution, "nothing is lost");

  await Deno.writeTextFile(mine, "// my second try\n");
  match((await run("1", "--reset")).stdout, /kept as workshop\/step1\.ts\.bak2\)/);
  equal(await Deno.readTextFile(`${mine}.bak`), solution, "an older copy is not overwritten");
  equal(await Deno.readTextFile(`${mine}.bak2`), "// my second try\n");
  match((await run("1", "--reset")).stdout, /is the starter again: edit it/, "the starter itself is not kept");
});

Deno.test("workshop: in a room, each check is reported, and the instructor sees each attendee's last check per step", async () => {
  const key = "instructor-key-for-tests";
  await using room = serveEmulator({ room: { key }, rateLimits: false });
  await using dir = await tempDir();
  await clone(dir.path);
  const joined = await fetch(`${room.url}/__emulator/room/join`, {
    method: "POST",
    headers: { "Content-Type": "application/json", Accept: "application/json" },
    body: JSON.stringify({ name: "Ada Lovelace" }),
  });
  const { lines } = await joined.json();
  await Deno.writeTextFile(`${dir.path}/.env`, "ENVIRONMENT=sandbox\n");
  await Deno.writeTextFile(`${dir.path}/.env-sandbox`, `RC_SERVER_URL=${room.url}\nRC_SHARED_EMULATOR=yes\n`);
  await Deno.writeTextFile(`${dir.path}/.env-sandbox.local`, `${lines.join("\n")}\n`);
  await Deno.copyFile(`${ROOT}/tests/workshop/step1.ts`, `${dir.path}/workshop/step1.ts`);
  await Deno.copyFile(`${ROOT}/workshop/starters/step2.ts`, `${dir.path}/workshop/step2.ts`);

  const one = await exercise(["1"], dir.path);
  equal(one.code, 0, one.stdout + one.stderr);
  match(one.stdout, new RegExp(`\\(reported to the room at ${room.url}\\)`));
  const two = await exercise(["2"], dir.path);
  equal(two.code, 1);
  equal(room.emulator.state.stats.messages, 0, "the checks ran on their own emulators, not the room's");

  const refused = await fetch(`${room.url}/__emulator/room/progress`);
  equal(refused.status, 403, "the progress view needs the instructor's key");
  await refused.body?.cancel();
  const table = await (await fetch(`${room.url}/__emulator/room/progress`, { headers: { "X-Emulator-Key": key } }))
    .text();
  match(table, /attendee +ext {2}1 2 3 4 5 6 7 8 +last check/);
  match(
    table,
    /Ada Lovelace +\d+ {2}✓ ✗ · · · · · · +step 2 not yet, \d+ s ago: 1\d{3} of 1\d{3} extensions are not printed/,
  );
});

Deno.test("workshop: the pre-flight checks every reference solution here and against the room", async () => {
  const key = "instructor-key-for-tests";
  await using room = serveEmulator({ room: { key }, rateLimits: false });
  const r = await exercise(["--preflight", "--server", room.url], ROOT, { RC_EMULATOR_KEY: key });
  equal(r.code, 0, r.stdout + r.stderr);
  equal(r.stdout.match(/✓ step \d \(.*\) passes, in \d+\.\d s/g)?.length, 8, r.stdout);
  equal(r.stdout.match(/✓ step \d \(.*\) runs, in \d+\.\d s/g)?.length, 8, r.stdout);
  match(r.stdout, /✓ the room's page answers[\s\S]*✓ the instructor's key opens the progress view/);
  match(r.stdout, /Pre-flight passed\.\n$/);

  // A wrong key, and solutions that are not there: each said, and the pre-flight fails.
  await using empty = await tempDir();
  const lines: string[] = [];
  equal(await preflight({ server: room.url, key: "wrong", print: (l) => lines.push(l), solutions: empty.path }), false);
  match(lines.join("\n"), /✗ step 1 \(who am I\?\) fails[\s\S]*✗ the key is refused \(403\)[\s\S]*Pre-flight failed/);
});

Deno.test("workshop: a crash is reported with its error; the client's rate-limit notices show as they come; an unknown step lists the steps", async () => {
  await using dir = await tempDir();
  await Deno.writeTextFile(`${dir.path}/crash.ts`, 'throw new Error("oops");\n');
  const r = await exercise(["1", "--file", `${dir.path}/crash.ts`]);
  equal(r.code, 1);
  match(r.stdout, /the script stopped with exit code 1:[\s\S]*oops/);
  match(r.stdout, /and on stderr \(\d+ lines?\):\n.*│ error: Uncaught.*Error: oops/);
  // The client's notice that it holds a request back for a rate limit is shown as it comes, not only at the end.
  await Deno.writeTextFile(
    `${dir.path}/held.ts`,
    'console.error("rate limit: holding GET /restapi/v1.0/account/~/phone-number for 12 s (the Heavy group allows ' +
      '10 requests per 60 s)");\nconsole.error("other noise");\n',
  );
  const held = await exercise(["1", "--file", `${dir.path}/held.ts`]);
  match(
    held.stdout,
    /…\n {2}rate limit: holding GET \/restapi\/v1\.0\/account\/~\/phone-number for 12 s \(the Heavy group/,
  );
  ok(!/^ {2}other noise/m.test(held.stdout));
  const unknown = await exercise(["99"]);
  equal(unknown.code, 2);
  match(unknown.stdout, /Steps: 1 \(who am I\?\), 2 \(every extension\), .* 8 \(a summary SMS to each manager\)/);
});

Deno.test("workshop: docs/workshop.md tells every option of the task, and what the client does at a rate limit", async () => {
  const doc = await Deno.readTextFile(`${ROOT}/docs/workshop.md`);
  const usage = await exercise(["--help"]);
  for (const option of usage.stdout.match(/--[a-z]+/g) ?? []) ok(doc.includes(option), `${option} is in the doc`);
  ok(!/no 429/.test(doc), "the client paces itself: a check never promises a 429");
  ok(!doc.includes("Watch events while it runs"), "no demo that cannot work offline");
  match(doc, /rate limit: holding/);
  match(doc, /__emulator\/room\/progress/);
});

Deno.test("workshop: in an 80×24 terminal, every line of a failing and of a passing check fits (wrapped at spaces)", async () => {
  const env = Object.entries(childEnv({}, { minimal: true })).map(([k, v]) => `${k}='${v}'`).join(" ");
  const task = TASK.map((a) => a === "scripts/exercise.ts" ? `${ROOT}/${a}` : a).join(" ");
  const checks = [
    `5 --file ${ROOT}/workshop/starters/step5.ts --seed 4242`,
    `8 --file ${ROOT}/tests/workshop/step8.ts --seed 4242`,
  ];
  await using term = await terminal(
    `cd ${ROOT} && ${
      checks.map((c) => `env -i ${env} ${Deno.execPath()} ${task} ${c}; echo "EXITED $?"`).join("; ")
    }; ` +
      "sleep 600",
  );
  const screen = await term.waitFor(/EXITED \d+[\s\S]*EXITED \d+/, 60_000);
  match(screen, /✗ step 5 .* is not done yet[\s\S]*EXITED 1/);
  match(
    screen,
    /✓ step 8 \(a summary SMS to each manager\) is done \(\d+\.\d s, \d+ requests,\s+seed 4242\)\.\n/,
    "the seed and its number on one line",
  );
  // The scrollback joins the lines the terminal wrapped: a line longer than 80 is one that did not fit.
  const wide = await term.tooWide();
  deepEqual(wide, [], `every line fits 80 columns; these do not:\n${wide.join("\n")}`);
});
