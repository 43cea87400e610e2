import { equal, match, ok, rejects } from "node:assert/strict";
import { createEmulator } from "../../lib/emulator/mod.ts";
import { seedState } from "../../lib/emulator/seed.ts";
import { parseFault, takeFault } from "../../lib/emulator/faults.ts";
import { authedGet as get, login, serveEmulator, stats } from "../_helpers.ts";

const ME = "/restapi/v1.0/account/~/extension/~";

async function postJson(url: string, path: string, body: unknown) {
  const r = await fetch(`${url}${path}`, { method: "POST", body: JSON.stringify(body) });
  return { status: r.status, body: await r.json() };
}

Deno.test("emulator clock: POST /__emulator/clock moves tokens and windows", async () => {
  await using s = serveEmulator({ accessTtl: 100 });
  const token = await login(s.url, s.credentials.jwt);
  const before = await (await fetch(`${s.url}/__emulator/clock`)).json();
  const moved = await postJson(s.url, "/__emulator/clock", { advanceSeconds: 101 });
  equal(moved.status, 200);
  equal(moved.body.offsetSeconds, 101);
  ok(Date.parse(moved.body.now) - Date.parse(before.now) >= 101_000);
  equal((await get(s.url, token)).body.errors[0].errorCode, "OAU-128");
  const bad = await postJson(s.url, "/__emulator/clock", { advanceSeconds: -5 });
  equal(bad.status, 400);
  equal(bad.body.message, 'Send {"advanceSeconds": n} with 0 ≤ n ≤ 315360000 (ten years)');
});

Deno.test("emulator faults: status, body and Retry-After, for the given number of requests", async () => {
  await using s = serveEmulator();
  const token = await login(s.url, s.credentials.jwt);
  const queued = await postJson(s.url, "/__emulator/faults", { path: ME, status: 503, retryAfter: 7, times: 2 });
  equal(queued.status, 201);
  for (let i = 0; i < 2; i++) {
    const r = await get(s.url, token);
    equal(r.status, 503);
    equal(r.headers.get("retry-after"), "7");
    match(r.headers.get("rcrequestid")!, /^[0-9a-f-]{36}$/);
  }
  equal((await get(s.url, token)).status, 200);
  await postJson(s.url, "/__emulator/faults", { path: ME, method: "POST", status: 500 });
  equal((await get(s.url, token)).status, 200, "a fault for POST leaves GET alone");
  await postJson(s.url, "/__emulator/faults", { path: ME, status: 502, body: "<html>Bad Gateway</html>" });
  const html = await fetch(`${s.url}${ME}`, { method: "POST", headers: { Authorization: `Bearer ${token}` } });
  equal(html.status, 500, "the POST fault is next in line");
  await html.body?.cancel();
  const gateway = await fetch(`${s.url}${ME}`, { headers: { Authorization: `Bearer ${token}` } });
  equal(gateway.status, 502);
  equal(gateway.headers.get("content-type"), "text/html");
  equal(await gateway.text(), "<html>Bad Gateway</html>");
});

Deno.test("emulator faults: a delay, and an invalid fault explained", async () => {
  await using s = serveEmulator();
  const token = await login(s.url, s.credentials.jwt);
  await postJson(s.url, "/__emulator/faults", { path: ME, delayMs: [150, 200] });
  const late = await fetch(`${s.url}${ME}`, {
    headers: { Authorization: `Bearer ${token}` },
    signal: AbortSignal.timeout(20),
  })
    .then(() => "answered", (e) => e.name);
  equal(late, "TimeoutError", "the answer waits for the delay: a 20 ms time limit runs out first");
  await postJson(s.url, "/__emulator/faults", { path: ME, delayMs: 10 });
  equal((await get(s.url, token)).status, 200, "after the delay the request is answered");
  const bad = await postJson(s.url, "/__emulator/faults", { path: ME, drop: "sometimes" });
  equal(bad.status, 400);
  equal(bad.body.message, 'Invalid fault: drop must be "before" or "after"');
  const none = await postJson(s.url, "/__emulator/faults", { path: ME });
  equal(none.body.message, "Invalid fault: give at least one of status, delayMs or drop");
});

Deno.test("emulator faults: a dropped connection before or after processing an SMS", async (t) => {
  await using s = serveEmulator({}, { validate: false });
  const token = await login(s.url, s.credentials.jwt);
  const SMS = "/restapi/v1.0/account/~/extension/~/sms";
  const send = () =>
    fetch(`${s.url}${SMS}`, {
      method: "POST",
      headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
      body: JSON.stringify({ from: { phoneNumber: "+16505550101" }, to: [{ phoneNumber: "+16505550199" }], text: "x" }),
    }).then((r) => r.text());
  await t.step("before: the request fails and no SMS exists", async () => {
    await postJson(s.url, "/__emulator/faults", { path: SMS, drop: "before" });
    await rejects(send());
    equal((await stats(s.url)).messages, 0);
  });
  await t.step("after: the request fails but the SMS was sent", async () => {
    await postJson(s.url, "/__emulator/faults", { path: SMS, drop: "after" });
    await rejects(send());
    equal((await stats(s.url)).messages, 1);
  });
  await t.step("in-process fetch rejects like a network failure", async () => {
    const emulator = createEmulator();
    emulator.state.faults.push({ path: "/restapi/v1.0/account/~", drop: "before", times: 1 });
    await rejects(emulator.fetch("http://emulator.local/restapi/v1.0/account/~"), TypeError);
  });
});

Deno.test("emulator reset restores the seed state", async () => {
  await using s = serveEmulator();
  const token = await login(s.url, s.credentials.jwt);
  await fetch(`${s.url}${ME}/sms`, {
    method: "POST",
    headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
    body: JSON.stringify({ from: { phoneNumber: "+16505550101" }, to: [{ phoneNumber: "+16505550199" }], text: "x" }),
  }).then((r) => r.body?.cancel());
  equal((await stats(s.url)).messages, 1);
  const r = await postJson(s.url, "/__emulator/reset", {});
  equal(r.status, 200);
  const after = await stats(s.url);
  equal(after.messages, 0);
  equal(after.requests, 0);
  equal((await get(s.url, token)).status, 401, "sessions are gone too");
});

Deno.test("parseFault() explains each mistake; takeFault() applies a fault its number of times", () => {
  equal(parseFault(null), 'A fault is a JSON object such as {"path": "/restapi/v1.0/account/~", "status": 503}');
  equal(parseFault({ path: "x", status: 503 }), "path is required and must start with /");
  equal(parseFault({ path: "/a", status: 99 }), "status must be an HTTP status between 100 and 599");
  equal(parseFault({ path: "/a", delayMs: [5, 1] }), "delayMs must be a number of milliseconds or [min, max]");
  equal(parseFault({ path: "/a" }), "give at least one of status, delayMs or drop");
  const fault = parseFault({ path: "/a", method: "post", status: 503, times: 2 });
  ok(typeof fault === "object");
  equal(fault.method, "POST");
  const state = seedState({ now: 0 });
  state.faults.push(fault);
  equal(takeFault(state, "GET", "/a"), undefined, "another method");
  equal(takeFault(state, "POST", "/a")?.status, 503);
  equal(takeFault(state, "POST", "/a")?.status, 503);
  equal(takeFault(state, "POST", "/a"), undefined, "used up");
});

Deno.test("trust: the served emulator answers only loopback Host names, and its controls refuse other origins", async (t) => {
  await using s = serveEmulator({}, { validate: false });
  const port = new URL(s.url).port;
  const raw = async (path: string, headers: Record<string, string>, method = "GET", body?: string) => {
    // fetch() sets Host from the URL; a socket lets the test say what a rebinding browser would.
    const conn = await Deno.connect({ hostname: "127.0.0.1", port: Number(port) });
    const lines = [`${method} ${path} HTTP/1.1`, ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`)];
    if (body !== undefined) lines.push(`Content-Length: ${new TextEncoder().encode(body).length}`);
    await conn.write(new TextEncoder().encode(`${lines.join("\r\n")}\r\nConnection: close\r\n\r\n${body ?? ""}`));
    const text = new TextDecoder().decode(await new Response(conn.readable).arrayBuffer());
    return Number(text.split(" ")[1]);
  };
  await t.step("a DNS-rebinding Host is refused", async () => {
    equal(await raw("/__emulator/stats", { Host: `attacker.example:${port}` }), 403);
    equal(await raw("/restapi/v1.0/account/~", { Host: `attacker.example:${port}` }), 403);
    equal(await raw("/__emulator/stats", { Host: `localhost:${port}` }), 200);
    equal(await raw("/__emulator/stats", { Host: `127.0.0.1:${port}` }), 200);
  });
  await t.step("a cross-site text/plain POST cannot queue a fault or reset", async () => {
    const evil = { Host: `127.0.0.1:${port}`, Origin: "https://evil.example", "Content-Type": "text/plain" };
    equal(await raw("/__emulator/reset", evil, "POST", "{}"), 403);
    equal(
      await raw(
        "/__emulator/faults",
        { ...evil, "Sec-Fetch-Site": "cross-site" },
        "POST",
        '{"path":"/x","status":500}',
      ),
      403,
    );
    equal(s.emulator.state.faults.length, 0);
    equal(await raw("/__emulator/stats", { Host: `127.0.0.1:${port}`, Origin: `http://127.0.0.1:${port}` }), 200);
  });
});

Deno.test("trust: the emulator's clock cannot be broken, and huge bodies are refused before they are read", async (t) => {
  await using s = serveEmulator({}, { validate: false });
  await t.step("advanceSeconds: 1e300 is refused and /stats still answers", async () => {
    const bad = await postJson(s.url, "/__emulator/clock", { advanceSeconds: 1e300 });
    equal(bad.status, 400);
    const st = await fetch(`${s.url}/__emulator/stats`);
    equal(st.status, 200);
    await st.body?.cancel();
  });
  await t.step("a 30 MB streamed SMS POST gets the 413 once 10 MB are read", async () => {
    const token = await login(s.url, s.credentials.jwt);
    let pulled = 0;
    const chunk = new Uint8Array(1024 * 1024).fill(32);
    const body = new ReadableStream({
      pull(c) {
        if (pulled >= 30) return c.close();
        pulled++;
        c.enqueue(chunk);
      },
    });
    const r = await fetch(`${s.url}/restapi/v1.0/account/~/extension/~/sms`, {
      method: "POST",
      headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
      body,
    });
    equal(r.status, 413);
    equal((await r.json()).errorCode, "CMN-114");
    ok(pulled < 30, `the emulator stopped reading after ${pulled} MB`);
  });
});

Deno.test("emulator: POST /__emulator/inbound-sms delivers an SMS into the message store, unread", async (t) => {
  await using s = serveEmulator({ rateLimits: false });
  const token = await login(s.url, s.credentials.jwt);
  await t.step("to the caller's own SMS number, by default", async () => {
    const r = await fetch(`${s.url}/__emulator/inbound-sms`, {
      method: "POST",
      headers: { Authorization: `Bearer ${token}` },
      body: JSON.stringify({ from: "+14155550123", text: "Are you there?" }),
    });
    equal(r.status, 201);
    const { id, to } = await r.json();
    equal(to, "+16505550101");
    const m = await get(s.url, token, `/restapi/v1.0/account/~/extension/~/message-store/${id}`);
    equal(m.status, 200);
    equal(m.body.direction, "Inbound");
    equal(m.body.readStatus, "Unread");
    equal(m.body.subject, "Are you there?");
    equal(m.body.messageStatus, "Received");
    const inbox = await get(
      s.url,
      token,
      "/restapi/v1.0/account/~/extension/~/message-store?direction=Inbound&readStatus=Unread",
    );
    ok(inbox.body.records.some((r: { id: number }) => r.id === id));
  });
  await t.step("bad input is explained", async () => {
    for (
      const [body, message] of [[{ text: "x" }, /from is an E\.164 number/], [
        { from: "+14155550123" },
        /text is 1 to 1000/,
      ], [{ from: "+14155550123", text: "x", to: "+19999999999" }, /to is none of the account's numbers/]] as const
    ) {
      const r = await fetch(`${s.url}/__emulator/inbound-sms`, { method: "POST", body: JSON.stringify(body) });
      equal(r.status, 400);
      match((await r.json()).message, message);
    }
  });
});
