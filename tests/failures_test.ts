/** How failed exchanges become RingCentralErrors: every body shape, redirects, unknown outcomes. */
import { equal, match } from "node:assert/strict";
import { errorFromResponse, isInvalidGrant, networkError, parseRetryAfter } from "../lib/failures.ts";

const SMS = "/restapi/v1.0/account/~/extension/~/sms";
const json = (body: unknown, status: number, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json", ...headers } });

Deno.test("errorFromResponse() reads RingCentral's three body shapes", async () => {
  const api = await errorFromResponse(
    json(
      {
        errorCode: "InvalidParameter",
        message: "top",
        errors: [{ errorCode: "CMN-101", message: "Parameter [to] value is invalid." }],
      },
      400,
      { RCRequestId: "req-1" },
    ),
    "POST",
    SMS,
  );
  equal(api.errorCode, "CMN-101");
  equal(api.requestId, "req-1");
  match(
    api.message,
    /^POST \/restapi\/v1\.0\/account\/~\/extension\/~\/sms failed: 400 CMN-101 Parameter \[to\] value is invalid\. \(request id req-1\)/,
  );
  const top = await errorFromResponse(json({ errorCode: "CMN-102", message: "Not found" }, 404), "GET", "/x");
  equal(top.errorCode, "CMN-102");
  const oauth = await errorFromResponse(
    json({
      error: "invalid_grant",
      error_description: "Token not found",
      errors: [{ errorCode: "OAU-213", message: "Token not found" }],
    }, 400),
    "POST",
    "/restapi/oauth/token",
  );
  equal(oauth.errorCode, "OAU-213");
  equal(isInvalidGrant(oauth), true);
});

Deno.test("errorFromResponse(): a proxy's page, a redirect, and a 5xx to a POST", async () => {
  const html = await errorFromResponse(
    new Response("<html>Bad gateway</html>", { status: 502, statusText: "Bad Gateway" }),
    "GET",
    "/x",
  );
  match(html.message, /502 Bad Gateway: HTML instead of JSON \(a proxy or gateway answered/);
  equal(html.outcomeUnknown, false, "a GET changes nothing");
  const redirect = await errorFromResponse(
    new Response(null, { status: 302, headers: { Location: "https://elsewhere.example/login" } }),
    "GET",
    "/x",
  );
  match(redirect.message, /Redirected to https:\/\/elsewhere\.example; the RingCentral API does not redirect/);
  const post = await errorFromResponse(new Response("<html>503</html>", { status: 503 }), "POST", SMS);
  equal(post.outcomeUnknown, true);
  match(post.hint!, /check the message store/);
  const own = await errorFromResponse(
    json({ errorCode: "CMN-211", message: "Service temporarily unavailable", errors: [] }, 503),
    "POST",
    SMS,
  );
  equal(own.outcomeUnknown, false, "RingCentral's own 503: certainly not processed");
});

Deno.test("networkError() and parseRetryAfter()", () => {
  const url = new URL(`https://platform.ringcentral.com${SMS}`);
  const timedOut = networkError({
    error: new DOMException("timed out", "TimeoutError"),
    method: "POST",
    url,
    timedOut: true,
    timeoutMs: 500,
    cancelled: false,
  });
  match(timedOut.message, /No answer within 500 ms; the outcome is unknown/);
  const cancelled = networkError({
    error: new Error("aborted"),
    method: "GET",
    url,
    timedOut: false,
    timeoutMs: 500,
    cancelled: true,
  });
  match(cancelled.message, /failed: Cancelled$/);
  equal(parseRetryAfter("1.5", 0), 1.5);
  equal(parseRetryAfter("soon", 0), undefined);
});
