/**
 * `deno task exercise <step>`: each reference solution (tests/workshop/)
 * passes; each starter (workshop/starters/), which does not do the step yet,
 * fails saying what is missing.
 */
import { equal, match } from "node:assert/strict";
import { ROOT, runDeno, tempDir } from "../_helpers.ts";

/** `deno task exercise …` in the project at `root`, with the task's own permissions from deno.json. */
const TASK: string[] = JSON.parse(await Deno.readTextFile(`${ROOT}/deno.json`)).tasks.exercise.split(/\s+/).slice(1);
const exercise = (args: string[], root = ROOT) =>
  runDeno([...TASK.map((a) => a === "scripts/exercise.ts" ? `${root}/${a}` : a), ...args], { cwd: root });

const MISSING: Record<string, RegExp> = {
  "1": /print the user's name \(Alice Admin\)/,
  "2": /220 of 230 extensions .* are not printed .* follow the pages/,
  "3": /send an SMS to \+16505550199/,
  "4": /"115 Olga Ortiz" is printed .* print only extensions whose type is User and whose status is Enabled/,
  "5": /9 of 10 direct numbers .* are not printed[\s\S]*\+16505550100, \+16505550190, \+18005550111 are printed/,
  "6": /4 of 4 users without a direct number .* not printed \(the first missing: "107 Grace Green"\)/,
  "7":
    /4 users without a direct number are not printed with their manager \(the first: Grace Green, whose manager is Kira Kim\)/,
  "8": /send Kira Kim an SMS at their direct number \+16505550111[\s\S]*"Delivered" is printed 0 times for 3 SMS/,
};

for (const n of Object.keys(MISSING)) {
  Deno.test(`workshop step ${n}: the reference solution passes, the starter is told what is missing`, async () => {
    const done = await exercise([n, "--file", `${ROOT}/tests/workshop/step${n}.ts`]);
    equal(done.code, 0, done.stdout + done.stderr);
    match(done.stdout, new RegExp(`✓ step ${n} .* is done\\.`));
    const start = await exercise([n, "--file", `${ROOT}/workshop/starters/step${n}.ts`]);
    equal(start.code, 1, start.stdout + start.stderr);
    match(start.stdout, new RegExp(`✗ step ${n} .* is not done yet:`));
    match(start.stdout, MISSING[n]);
  });
}

const ATTEMPTS: [string, string, RegExp][] = [
  ["2", "step2_one_page.ts", /130 of 230 extensions .* are not printed/],
  ["8", "step8_one_sms_to_all.ts", /the SMS to Kira Kim names Ivy Ito, Jon Jones, who are not in their team/],
];

for (const [n, file, missing] of ATTEMPTS) {
  Deno.test(`workshop step ${n}: an attempt that misses the goal (${file}) is told why`, async () => {
    const r = await exercise([n, "--file", `${ROOT}/tests/workshop/attempts/${file}`]);
    equal(r.code, 1, r.stdout + r.stderr);
    match(r.stdout, missing);
  });
}

Deno.test("workshop: a script that crashes is reported with its error; an unknown step lists the steps", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(`${dir}/crash.ts`, 'throw new Error("oops");\n');
    const r = await exercise(["1", "--file", `${dir}/crash.ts`]);
    equal(r.code, 1);
    match(r.stdout, /the script stopped with exit code 1:[\s\S]*oops/);
    const unknown = await exercise(["99"]);
    equal(unknown.code, 2);
    match(unknown.stdout, /Steps: 1 \(who am I\?\), 2 \(every extension\), .* 8 \(a summary SMS to each manager\)/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("workshop: the first run creates the step from its starter, a check follows, --reset puts the starter back", async () => {
  // A copy of what a clone has, so the attendee's own workshop/ folder is left alone.
  await using dir = await tempDir();
  for (const f of ["lib", "mod.ts", "deno.json", "deno.lock", "scripts", "workshop"]) {
    await new Deno.Command("cp", { args: ["-r", `${ROOT}/${f}`, `${dir.path}/${f}`] }).output();
  }
  for await (const f of Deno.readDir(`${dir.path}/workshop`)) {
    if (f.isFile) await Deno.remove(`${dir.path}/workshop/${f.name}`); // a fresh clone has no attendee file
  }
  const run = (...args: string[]) => exercise(args, dir.path);
  const mine = `${dir.path}/workshop/step1.ts`;
  const starter = await Deno.readTextFile(`${ROOT}/workshop/starters/step1.ts`);

  const created = await run("1");
  equal(created.code, 1);
  match(created.stdout, /workshop\/step1\.ts is created from its starter: edit it, then run deno task exercise 1/);
  equal(await Deno.readTextFile(mine), starter);

  const notYet = await run("1");
  equal(notYet.code, 1);
  match(notYet.stdout, /✗ step 1 .*\n[\s\S]*add --reset to start the step over/);

  await Deno.copyFile(`${ROOT}/tests/workshop/step1.ts`, mine);
  equal((await run("1")).code, 0);

  const reset = await run("1", "--reset");
  equal(reset.code, 0);
  match(reset.stdout, /workshop\/step1\.ts is the starter again/);
  equal(await Deno.readTextFile(mine), starter);
});
