/** How failed exchanges become errors of the family: every body shape, redirects, unknown outcomes. */
import { equal, match, ok } from "node:assert/strict";
import { ApiError, NetworkError, TimeoutError } from "../mod.ts";
import { apiErrorOf, isInvalidGrant, noAnswerError, parseRetryAfter, serverText } from "../lib/failures.ts";

const SMS = "/restapi/v1.0/account/~/extension/~/sms";
const json = (body: unknown, status: number, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json", ...headers } });
const at = (method: string, path: string) => ({
  method,
  url: new URL(`https://platform.ringcentral.com${path}`),
  now: 0,
});

Deno.test("apiErrorOf() reads RingCentral's three body shapes", async () => {
  const api = await apiErrorOf(
    json(
      {
        errorCode: "InvalidParameter",
        message: "top",
        errors: [{ errorCode: "CMN-101", message: "Parameter [to] value is invalid." }],
      },
      400,
      { RCRequestId: "req-1" },
    ),
    at("POST", SMS),
  );
  ok(api instanceof ApiError);
  equal(api.errorCode, "CMN-101");
  equal(api.requestId, "req-1");
  match(
    api.message,
    /^POST \/restapi\/v1\.0\/account\/~\/extension\/~\/sms failed: 400 CMN-101 Parameter \[to\] value is invalid\. \(request id req-1\)/,
  );
  const top = await apiErrorOf(json({ errorCode: "CMN-102", message: "Not found" }, 404), at("GET", "/x"));
  equal(top.errorCode, "CMN-102");
  const oauth = await apiErrorOf(
    json({
      error: "invalid_grant",
      error_description: "Token not found",
      errors: [{ errorCode: "OAU-213", message: "Token not found" }],
    }, 400),
    at("POST", "/restapi/oauth/token"),
  );
  equal(oauth.errorCode, "OAU-213");
  equal(isInvalidGrant(oauth), true);
});

Deno.test("apiErrorOf(): a proxy's page, a redirect, and a 5xx to a POST", async () => {
  const html = await apiErrorOf(
    new Response("<html>Bad gateway</html>", { status: 502, statusText: "Bad Gateway" }),
    at("GET", "/x"),
  );
  match(html.message, /502 Bad Gateway: HTML instead of JSON \(a proxy or gateway answered/);
  equal(html.outcome, undefined, "a GET changes nothing");
  const redirect = await apiErrorOf(
    new Response(null, { status: 302, headers: { Location: "https://elsewhere.example/login" } }),
    at("GET", "/x"),
  );
  match(redirect.message, /Redirected to https:\/\/elsewhere\.example; the RingCentral API does not redirect/);
  const post = await apiErrorOf(new Response("<html>503</html>", { status: 503 }), at("POST", SMS));
  equal(post.outcome, "unknown");
  match(post.hint!, /check the message store/);
  const own = await apiErrorOf(
    json({ errorCode: "CMN-211", message: "Service temporarily unavailable", errors: [] }, 503),
    at("POST", SMS),
  );
  equal(own.outcome, undefined, "RingCentral's own 503: certainly not processed");
});

Deno.test("noAnswerError(): a timeout is a TimeoutError, anything else a NetworkError; parseRetryAfter()", () => {
  const url = new URL(`https://platform.ringcentral.com${SMS}`);
  const timedOut = noAnswerError({
    error: new DOMException("timed out", "TimeoutError"),
    method: "POST",
    url,
    timedOut: true,
    timeoutMs: 500,
  });
  ok(timedOut instanceof TimeoutError);
  equal(timedOut.outcome, "unknown");
  match(timedOut.message, /No answer within 500 ms; the outcome is unknown/);
  const reset = noAnswerError({
    error: new TypeError("connection reset"),
    method: "GET",
    url,
    timedOut: false,
    timeoutMs: 1,
  });
  ok(reset instanceof NetworkError && !(reset instanceof TimeoutError));
  equal(reset.outcome, undefined, "a GET changes nothing");
  equal(parseRetryAfter("1.5", 0), 1.5);
  equal(parseRetryAfter("soon", 0), undefined);
});

Deno.test("serverText() keeps terminals whole: no control characters, a readable length", () => {
  equal(serverText("Bad\u001b[2J\u001b[Hthing\r\nhappened"), "Bad[2J[Hthing happened");
  const long = serverText("x".repeat(5_000_000));
  equal(long.length, 301);
});
