/** The client's buffered responses behave as any Response does. */
import { deepEqual, equal, ok, rejects, throws } from "node:assert/strict";
import { buffered } from "../lib/_buffered.ts";

async function response(body: string, init: ResponseInit = {}) {
  const raw = new Response(body, { headers: { "Content-Type": "application/json" }, ...init });
  return buffered(raw, await raw.bytes());
}

Deno.test("buffered(): every body method reads the bytes once, then says the body is used", async () => {
  for (const read of ["json", "text", "arrayBuffer", "bytes", "blob"] as const) {
    const r = await response('{"a":[1,2]}');
    ok(r instanceof Response);
    equal(r.bodyUsed, false);
    const value = await r[read]();
    if (read === "json") deepEqual(value, { a: [1, 2] });
    if (read === "text") equal(value, '{"a":[1,2]}');
    if (read === "blob") equal((value as Blob).type, "application/json");
    equal(r.bodyUsed, true, read);
    await rejects(r.text(), TypeError);
  }
});

Deno.test("buffered(): status, headers and a readable body stream are the fetched response's", async () => {
  const r = await response("hello", { status: 201, statusText: "Created" });
  equal(r.status, 201);
  equal(r.statusText, "Created");
  equal(r.ok, true);
  equal(r.headers.get("content-type"), "application/json");
  equal(r.body, r.body, "the same stream each time");
  equal(await new Response(r.body).text(), "hello");
  equal(r.bodyUsed, true);
});

Deno.test("buffered(): clone() before reading gives an independent copy; after, it throws", async () => {
  const r = await response('{"n":1}');
  const copy = r.clone();
  deepEqual(await r.json(), { n: 1 });
  deepEqual(await copy.json(), { n: 1 });
  throws(() => r.clone(), TypeError);
});

Deno.test("buffered(): a response without a body has a null body", async () => {
  const raw = new Response(null, { status: 204 });
  const r = buffered(raw, await raw.bytes());
  equal(r.body, null);
  equal(await r.text(), "");
});
