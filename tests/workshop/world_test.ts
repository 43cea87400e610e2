/**
 * The accounts the workshop's checks draw: the same seed gives the same
 * account, and every seed gives one each check can hold to (paging needed,
 * a few people without a direct number in two departments at least, each
 * with a manager who has one; step 6's two people with one name), and none
 * of the seed account's people, so that a local run's output never passes.
 */
import { deepEqual, equal, notDeepEqual, ok } from "node:assert/strict";
import { createEmulator, type EmulatorState } from "../../lib/emulator/mod.ts";
import { STEPS } from "../../lib/workshop/steps.ts";
import { drawWorld, type WorldShape } from "../../lib/workshop/world.ts";

const draw = (seed: number, shape: WorldShape): EmulatorState =>
  createEmulator({ world: drawWorld(seed, shape) }).state;
const seedNames = new Set(createEmulator().state.extensions.map((e) => e.name));

function holds(s: EmulatorState, shape: WorldShape, seed: number): void {
  const at = `seed ${seed}`;
  const total = s.extensions.length;
  ok(total >= shape.extensions[0] && total <= shape.extensions[1], at);
  const admin = s.extensions[0];
  equal(admin.admin, true, at);
  equal(admin.id, 62264425101, `${at}: the admin is the user of the emulator's JWT`);
  equal(s.phoneNumbers[0].usageType, "MainCompanyNumber", `${at}: the admin's first number cannot send SMS`);
  equal(new Set(s.extensions.map((e) => e.id)).size, total, `${at}: ids are unique`);
  equal(new Set(s.extensions.map((e) => e.extensionNumber)).size, total, `${at}: numbers are unique`);
  equal(new Set(s.phoneNumbers.map((p) => p.phoneNumber)).size, s.phoneNumbers.length, at);
  const users = s.extensions.filter((e) => e.type === "User" && e.status === "Enabled");
  ok(users.length > 100, `${at}: the default page of 100 does not hold every user`);
  ok(s.extensions.some((e) => e.type !== "User") && s.extensions.some((e) => e.status !== "Enabled"), at);
  const direct = new Map(s.phoneNumbers.filter((p) => p.usageType === "DirectNumber").map((p) => [p.extensionId, p]));
  ok(direct.size > 100, `${at}: the company's direct numbers take more than one default page`);
  const without = users.filter((u) => !direct.has(u.id));
  ok(without.length >= 4 && without.length <= 8, at);
  ok(new Set(without.map((u) => u.department)).size >= 2, `${at}: step 8 sends to two managers at least`);
  for (const u of without) {
    const managers = users.filter((m) => m.department === u.department && m.jobTitle?.endsWith("Manager"));
    equal(managers.length, 1, `${at}: ${u.name}'s department has one manager`);
    ok(direct.has(managers[0].id), `${at}: the manager has a direct number to receive the SMS`);
  }
  const names = users.map((u) => u.name);
  const repeated = names.filter((n, i) => names.indexOf(n) !== i);
  if (shape.namesake) {
    equal(repeated.length, 1, at);
    const pair = users.filter((u) => u.name === repeated[0]);
    ok(pair.some((u) => direct.has(u.id)) && pair.some((u) => !direct.has(u.id)), `${at}: one of them has a number`);
  } else {
    deepEqual(repeated, [], `${at}: no two users share a name`);
  }
  ok(!s.extensions.some((e) => e.type === "User" && seedNames.has(e.name)), `${at}: nobody of the seed account`);
}

Deno.test("workshop world: every seed draws an account each check can hold to", () => {
  for (let seed = 1; seed <= 150; seed++) {
    for (const n of ["1", "6"]) holds(draw(seed, STEPS[n].world), STEPS[n].world, seed);
  }
  for (let seed = 1; seed <= 10; seed++) {
    const s = draw(seed, STEPS["2"].world);
    holds(s, STEPS["2"].world, seed);
    ok(s.extensions.length > 1000, "more than perPage's maximum: one page cannot hold them");
  }
});

Deno.test("workshop world: the same seed, the same account (and after a reset); another seed, another", () => {
  const shape = STEPS["8"].world;
  const emulator = createEmulator({ world: drawWorld(99, shape) });
  const first = structuredClone(emulator.state.extensions);
  deepEqual(draw(99, shape).extensions, first);
  emulator.reset();
  deepEqual(emulator.state.extensions, first);
  notDeepEqual(draw(100, shape).extensions.map((e) => e.name), first.map((e) => e.name));
});
