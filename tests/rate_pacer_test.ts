/** RatePacer on a clock of its own: it learns groups from headers, fills a window, then waits; a 429 blocks the group. */
import { deepEqual, equal, ok } from "node:assert/strict";
import { RatePacer } from "../lib/rate_pacer.ts";

function clock() {
  let t = 1_000_000;
  const sleeps: number[] = [];
  return {
    now: () => t,
    sleep: (ms: number) => {
      sleeps.push(ms);
      t += ms;
      return Promise.resolve();
    },
    sleeps,
  };
}

const ROUTE = "GET /restapi/v1.0/account/123/extension/456";
const limits = (remaining: number) =>
  new Headers({
    "x-rate-limit-group": "light",
    "x-rate-limit-limit": "3",
    "x-rate-limit-window": "60",
    "x-rate-limit-remaining": String(remaining),
  });

Deno.test("RatePacer lets a window's worth through at once, then waits for the window", async () => {
  const c = clock();
  const pacer = new RatePacer(c);
  await pacer.acquire(ROUTE); // the probe: the group is not known yet
  pacer.observe(ROUTE, limits(2), 200);
  equal(pacer.groupOf("GET /restapi/v1.0/account/~/extension/~"), "light", "ids and ~ share a route");
  await pacer.acquire(ROUTE);
  await pacer.acquire(ROUTE);
  deepEqual(c.sleeps, [], "room in the window: no wait at all");
  await pacer.acquire(ROUTE); // the fourth in the window waits
  deepEqual(c.sleeps.length, 1);
  ok(c.sleeps[0] >= 60_000, `waited ${c.sleeps[0]} ms`);
});

Deno.test("RatePacer: a 429 blocks the group until Retry-After has passed", async () => {
  const c = clock();
  const pacer = new RatePacer(c);
  await pacer.acquire(ROUTE);
  equal(pacer.observe(ROUTE, limits(0), 429, 7), true);
  await pacer.acquire(ROUTE);
  equal(c.sleeps[0], 7000);
});

Deno.test("RatePacer: a route without rate-limit headers is never paced", async () => {
  const c = clock();
  const pacer = new RatePacer(c);
  await pacer.acquire("GET /restapi/oauth/authorize");
  pacer.observe("GET /restapi/oauth/authorize", new Headers(), 200);
  for (let i = 0; i < 100; i++) equal(await pacer.acquire("GET /restapi/oauth/authorize"), undefined, "no ticket");
  equal(c.sleeps.length, 0);
});

Deno.test("RatePacer: the first request of a route goes alone; a network error releases the others", async () => {
  const c = clock();
  const pacer = new RatePacer(c);
  await pacer.acquire(ROUTE);
  let second = false;
  const waiting = pacer.acquire(ROUTE).then(() => (second = true));
  await new Promise((r) => setTimeout(r, 0)); // every pending microtask has run
  equal(second, false, "waits for the probe's answer");
  pacer.release(ROUTE);
  await waiting;
  equal(second, true);
});

Deno.test("RatePacer: a request counts from when its answer came, so a slow answer never makes a window look empty", async () => {
  const c = clock();
  const pacer = new RatePacer(c);
  const one = new Headers({ "x-rate-limit-group": "heavy", "x-rate-limit-limit": "1", "x-rate-limit-window": "60" });
  await pacer.acquire(ROUTE);
  pacer.observe(ROUTE, one, 200);
  const start = c.now();
  const slow = await pacer.acquire(ROUTE);
  await c.sleep(30_000); // its answer arrives 30 s later: the server may have counted it then
  pacer.observe(ROUTE, one, 200, undefined, slow);
  await pacer.acquire(ROUTE);
  ok(c.now() - start >= 90_000, `waited for the slow answer's window: ${(c.now() - start) / 1000} s after it was sent`);
});
