/**
 * Waits on the emulator's clock, not the wall's: a webhook delivery tried
 * again "after 0.5 s" waits until emulated time says so, so that a test (or
 * a learner on `POST /__emulator/clock`) moves it on at once, and a fixed
 * clock holds it. The emulator wakes the waits whenever its clock may have
 * moved (each request, each move of the clock, its timer).
 * @module
 */
import type { EmulatorState } from "./state.ts";

/** The clock of one emulator and what waits on it. */
interface Waits {
  now: () => number;
  sleepers: { due: number; wake: () => void }[];
}

const clocks = new WeakMap<EmulatorState, Waits>();

/** Gives `state` the clock `now` (emulated ms), keeping whatever already waits on it. */
export function attachClock(state: EmulatorState, now: () => number, from?: EmulatorState): EmulatorState {
  clocks.set(state, from && clocks.get(from) || { now, sleepers: [] });
  return state;
}

/**
 * Resolves once the emulator's clock reaches `due` (emulated ms); at once when
 * it already has, or when `state` has no clock (a bare state in a unit test).
 */
function sleepUntil(state: EmulatorState, due: number): Promise<void> {
  const waits = clocks.get(state);
  if (!waits || waits.now() >= due) return Promise.resolve();
  // When emulated time runs with the wall's, a timer looks again when it should be due; a clock that is
  // held (a test's) moves only by a request, which wakes the waits itself.
  const look = setTimeout(() => wakeDue(state), Math.min(due - waits.now(), 60_000));
  Deno.unrefTimer(look); // a pending retry never keeps a program alive
  return new Promise((wake) => waits.sleepers.push({ due, wake: () => (clearTimeout(look), wake()) }));
}

/** Resolves after `ms` of the emulator's clock (at once when `state` has none). */
export function sleep(state: EmulatorState, ms: number): Promise<void> {
  const waits = clocks.get(state);
  return waits ? sleepUntil(state, waits.now() + ms) : Promise.resolve();
}

/** Wakes what is due on the clock of `state`; answers when the next wait falls due, if any. */
export function wakeDue(state: EmulatorState): number | undefined {
  const waits = clocks.get(state);
  if (!waits) return undefined;
  const now = waits.now();
  const due = waits.sleepers.filter((s) => s.due <= now);
  waits.sleepers = waits.sleepers.filter((s) => s.due > now);
  for (const s of due) s.wake();
  return waits.sleepers.length ? Math.min(...waits.sleepers.map((s) => s.due)) : undefined;
}
