/**
 * A running check is never silent: in a terminal its status line is
 * redrawn every second; elsewhere a plain line every 10 s and one when the
 * client starts waiting on a rate limit; the script's `rate limit:` notices
 * go above the status line. Driven by a clock the test moves.
 */
import { deepEqual, equal, match, ok } from "node:assert/strict";
import { RequestLog, type Seen } from "../../lib/workshop/seen.ts";
import { CheckStatus, doingText, statusText } from "../../lib/workshop/status.ts";

/** A log on a clock the test moves, and a way to add what the emulator saw. */
function fakeLog() {
  const clock = { now: 0 };
  const log = new RequestLog(() => clock.now);
  const add = (seen: Partial<Seen>) =>
    log.requests.push({ at: clock.now, method: "GET", target: "/x", path: "/x", answeredAt: clock.now, ...seen });
  return { clock, log, add };
}

const HEAVY = "/restapi/v1.0/account/~/phone-number";

Deno.test("check status: plain lines every 10 s, and one when the client starts waiting on a rate limit", () => {
  const { clock, log, add } = fakeLog();
  const out: string[] = [];
  let tick = () => {};
  const status = new CheckStatus("checking step 5", log, {
    tty: false,
    write: (t) => out.push(t),
    every: (ms, fn) => {
      equal(ms, 1000);
      tick = fn;
      return () => (tick = () => {});
    },
  });
  status.start();
  deepEqual(out, [], "nothing before there is something to say");
  for (let i = 1; i <= 10; i++) {
    add({
      method: "GET",
      target: HEAVY,
      path: HEAVY,
      status: 200,
      group: "Heavy",
      limit: 10,
      window: 60,
      remaining: 10 - i,
    });
    clock.now += 500;
    tick();
  }
  deepEqual(out, [], "5 s in: not yet");
  clock.now += 1500; // 2 s since the last answer, and the Heavy group is used up
  tick();
  deepEqual(out, [
    "  … the client holds requests back: the Heavy group allows 10 requests per 60 s (the next fits in 54 s)\n",
  ]);
  clock.now = 10_000;
  tick();
  match(out[1], /^ {2}… checking step 5 · 10 s · 10 requests · the client holds requests back: the Heavy group/);
  status.line(
    "rate limit: holding GET /restapi/v1.0/account/~/phone-number for 50 s (the Heavy group allows 10 requests per 60 s)",
  );
  match(out[2], /^ {2}rate limit: holding GET/);
  status.stop();
  tick();
  equal(out.length, 3, "nothing once stopped");
});

Deno.test("check status: in a terminal, one line redrawn in place, notices above it, cleared at the end", () => {
  const { clock, log, add } = fakeLog();
  let text = "";
  let tick = () => {};
  const status = new CheckStatus("checking step 1", log, {
    tty: true,
    columns: 60,
    write: (t) => (text += t),
    every: (_, fn) => (tick = fn, () => {}),
  });
  status.start();
  equal(text, "\r\x1b[2Kchecking step 1 · 0 s · no request yet");
  clock.now = 3000;
  add({ method: "GET", target: "/restapi/v1.0/account/~/extension/~", status: 200 });
  tick();
  const drawn = text.split("\r\x1b[2K").at(-1)!;
  ok(drawn.startsWith("checking step 1 · 3 s · 1 request · last: GET /restapi/v1."), drawn);
  ok(drawn.endsWith("…") && drawn.length === 59, "cut to the terminal's width, so it never wraps");
  status.line("rate limit: holding");
  ok(
    text.endsWith(`\r\x1b[2K  rate limit: holding\n\r\x1b[2K${drawn}`),
    "the notice goes above, the status is redrawn",
  );
  status.stop();
  ok(text.endsWith("\r\x1b[2K"), "the status line is cleared");
});

Deno.test("check status: what a script that ran out of time was doing", () => {
  const { clock, log, add } = fakeLog();
  equal(doingText(log), "it made no request at all: is it waiting for something that never comes?");
  const store = "/restapi/v1.0/account/~/extension/~/message-store/90000001";
  for (let i = 0; i < 30; i++) {
    clock.now += 100;
    add({ target: store, path: store, status: 200, group: "Light", limit: 50, window: 60, remaining: 40 });
  }
  match(
    doingText(log),
    /its last request was GET .*message-store\/90000001 → 200, at 3 s; it asked GET .* 30 times in its last 10 s: a loop without a pause\?/,
  );
  add({ method: "POST", target: "/restapi/v1.0/account/~/extension/~/sms", status: undefined, answeredAt: undefined });
  match(
    statusText("checking step 3", log),
    /31 requests · last: POST \/restapi\/v1\.0\/account\/~\/extension\/~\/sms \(waiting for its answer\)$/,
  );
});
