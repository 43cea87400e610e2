import { deepEqual, equal, match, ok } from "node:assert/strict";
import { ApiError, RingCentral } from "../../mod.ts";
import { advance, serveEmulator } from "../_helpers.ts";

const EXT = "/restapi/v1.0/account/~/extension/~";
const SENDER = "+16505550101";
const TO = "+16505550199";

function sms(from: string, to: string | string[], text: string) {
  return { from: { phoneNumber: from }, to: [to].flat().map((phoneNumber) => ({ phoneNumber })), text };
}

async function failure(p: Promise<unknown>): Promise<ApiError> {
  const e = await p.then(() => undefined, (e) => e);
  ok(e instanceof ApiError, "expected an ApiError");
  return e;
}

Deno.test("emulator SMS validation answers with RingCentral's codes", async (t) => {
  await using s = serveEmulator({ rateLimits: false });
  const rc = new RingCentral(s.credentials);
  const cases: [string, unknown, number, string, string][] = [
    [
      "from not owned",
      sms("+14155550000", TO, "x"),
      400,
      "MSG-245",
      "Parameter [from] value [14155550000] is invalid [Cannot find the phone number which belongs to user]",
    ],
    [
      "owned number without SmsSender",
      sms("+16505550100", TO, "x"),
      403,
      "MSG-367",
      "from phone number does not support SMS",
    ],
    ["fax number", sms("+16505550190", TO, "x"), 403, "MSG-241", "Cannot send SMS from Fax number"],
    [
      "to an extension number",
      sms(SENDER, "102", "x"),
      400,
      "MSG-246",
      "Sending SMS from/to extension numbers is not available",
    ],
    [
      "from an extension number",
      sms("101", TO, "x"),
      400,
      "MSG-246",
      "Sending SMS from/to extension numbers is not available",
    ],
    ["to not E.164", sms(SENDER, "6505550199", "x"), 400, "CMN-101", "Parameter [to] value is invalid."],
    [
      "duplicate recipient",
      sms(SENDER, [TO, TO], "x"),
      400,
      "CMN-406",
      `Duplicate value for parameter to: ${TO} found in request`,
    ],
    ["empty text", sms(SENDER, TO, ""), 400, "CMN-101", "Parameter [text] value is invalid."],
    [
      "no recipients",
      { from: { phoneNumber: SENDER }, to: [], text: "x" },
      400,
      "CMN-101",
      "Parameter [to] value is invalid.",
    ],
    [
      "1001 UTF-16 units",
      sms(SENDER, TO, "a".repeat(1001)),
      400,
      "CMN-101",
      "Parameter [text] value is invalid. Text length is 1001; at most 1000 characters (UTF-16 units) are allowed.",
    ],
    [
      "501 emoji (2 units each)",
      sms(SENDER, TO, "😀".repeat(501)),
      400,
      "CMN-101",
      "Parameter [text] value is invalid. Text length is 1002; at most 1000 characters (UTF-16 units) are allowed.",
    ],
  ];
  for (const [name, body, status, code, message] of cases) {
    await t.step(name, async () => {
      const e = await failure(rc.request("POST", `${EXT}/sms`, { body }));
      deepEqual([e.status, e.errorCode, e.detail], [status, code, message]);
    });
  }
  await t.step("exactly 1000 units and 500 emoji pass", async () => {
    equal((await rc.post(`${EXT}/sms`, sms(SENDER, TO, "a".repeat(1000)))).status, 200);
    equal((await rc.post(`${EXT}/sms`, sms(SENDER, TO, "😀".repeat(500)))).status, 200);
  });
  await t.step("InvalidParameter is the top-level code of CMN-101", async () => {
    const e = await failure(rc.post(`${EXT}/sms`, sms(SENDER, "bad", "x")));
    equal((e.body as { errorCode: string }).errorCode, "InvalidParameter");
  });
});

Deno.test("emulator SMS lifecycle: Queued, then Sent and Delivered as emulated time passes", async () => {
  await using s = serveEmulator({ rateLimits: false });
  const rc = new RingCentral(s.credentials);
  const sent = await (await rc.post(`${EXT}/sms`, sms(SENDER, TO, "Hello"))).json();
  equal(sent.messageStatus, "Queued");
  equal(sent.type, "SMS");
  equal(sent.direction, "Outbound");
  equal(sent.subject, "Hello");
  match(sent.uri!, new RegExp(`/message-store/${sent.id}$`));
  equal(sent.conversation?.id, String(sent.conversationId));
  const read = async () => (await (await rc.get(`${EXT}/message-store/${sent.id}`)).json()).messageStatus;
  await advance(s.url, 2);
  equal(await read(), "Sent");
  await advance(s.url, 3);
  equal(await read(), "Delivered");
  const content = await rc.get(`${EXT}/message-store/${sent.id}/content/${sent.id}`);
  equal(await content.text(), "Hello");
});

Deno.test("emulator SMS to a failing number ends SendingFailed with deliveryErrorCode", async () => {
  await using s = serveEmulator({ rateLimits: false });
  const rc = new RingCentral(s.credentials);
  const sent = await (await rc.post(`${EXT}/sms`, sms(SENDER, "+15550001234", "fail please"))).json();
  await advance(s.url, 10);
  const m = await (await rc.get(`${EXT}/message-store/${sent.id}`)).json();
  equal(m.messageStatus, "SendingFailed");
  equal(m.deliveryErrorCode, "SMS-CAR-411");
});

Deno.test("emulator message store: 24 h dateFrom default, filters, paging, read by id", async (t) => {
  await using s = serveEmulator({ rateLimits: false });
  const rc = new RingCentral(s.credentials);
  for (let i = 0; i < 3; i++) await rc.post(`${EXT}/sms`, sms(SENDER, TO, `n${i}`));
  await t.step("default: the last 24 hours, newest first, availability and dateFrom in the uri", async () => {
    const list = await (await rc.get(`${EXT}/message-store`)).json();
    deepEqual(list.records.map((m) => m.subject), [
      "n2",
      "n1",
      "n0",
      "Yes! 10am at the office.",
      "Hi Alice, is the demo still on for Friday?",
    ]);
    match(list.uri!, /availability=Alive/);
    match(list.uri!, /dateFrom=\d{4}-\d\d-\d\dT/);
  });
  await t.step("an older dateFrom shows the 3-day-old message", async () => {
    const from = new Date(Date.now() - 7 * 86400_000).toISOString();
    const list = await (await rc.get(`${EXT}/message-store`, { dateFrom: from })).json();
    equal(list.records.length, 6);
  });
  await t.step("direction and readStatus filters, paging", async () => {
    const inbound = await (await rc.get(`${EXT}/message-store`, { direction: "Inbound" })).json();
    equal(inbound.records.length, 1);
    const page = await (await rc.get(`${EXT}/message-store`, { perPage: 2, page: 2 })).json();
    deepEqual(page.paging, { page: 2, totalPages: 3, perPage: 2, totalElements: 5, pageStart: 2, pageEnd: 3 });
  });
  await t.step("unknown id is a 404 CMN-102; several ids give a 207", async () => {
    const e = await failure(rc.get(`${EXT}/message-store/42`));
    deepEqual([e.status, e.errorCode, e.detail], [404, "CMN-102", "Resource for parameter [messageId] is not found"]);
    const r = await rc.request("GET", `${EXT}/message-store/5001,42`); // a batch: not in the spec's types
    equal(r.status, 207);
    equal(r.headers.get("content-type"), "application/vnd.ringcentral.multipart+json");
    deepEqual((await r.json()).map((p: { status: number }) => p.status), [200, 404]);
  });
});

function multipart(
  boundary: string,
  parts: { type: string; body: string | Uint8Array; name?: string; filename?: string }[],
) {
  const enc = new TextEncoder();
  const chunks: Uint8Array[] = [];
  for (const p of parts) {
    const disposition = p.name
      ? `Content-Disposition: form-data; name="${p.name}"${p.filename ? `; filename="${p.filename}"` : ""}\r\n`
      : "";
    chunks.push(enc.encode(`--${boundary}\r\n${disposition}Content-Type: ${p.type}\r\n\r\n`));
    chunks.push(typeof p.body === "string" ? enc.encode(p.body) : p.body);
    chunks.push(enc.encode("\r\n"));
  }
  chunks.push(enc.encode(`--${boundary}--\r\n`));
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

Deno.test("emulator MMS and multipart SMS: attachments, limits, media types", async (t) => {
  await using s = serveEmulator({ rateLimits: false });
  const rc = new RingCentral(s.credentials);
  const envelope = JSON.stringify(sms(SENDER, TO, "see picture"));
  const png = new Uint8Array([137, 80, 78, 71, 13, 10, 26, 10, 0, 1, 2, 3, 4]);
  await t.step("multipart/form-data with an image", async () => {
    const form = new FormData();
    form.append("json", new Blob([envelope], { type: "application/json" }), "request.json");
    form.append("attachment", new Blob([png], { type: "image/png" }), "filename.png");
    const m = await (await rc.post(`${EXT}/mms`, form)).json();
    const attachments = m.attachments!;
    equal(attachments.length, 2);
    deepEqual(
      {
        type: attachments[1].type,
        contentType: attachments[1].contentType,
        size: attachments[1].size,
        fileName: attachments[1].fileName,
      },
      { type: "MmsAttachment", contentType: "image/png", size: 13, fileName: "filename.png" },
    );
    const raw = new Uint8Array(await (await rc.request("GET", attachments[1].uri!)).arrayBuffer());
    deepEqual([...raw], [...png]);
  });
  await t.step("multipart/mixed plain SMS on /sms", async () => {
    const body = multipart("b0undary", [{ type: "application/json", body: envelope }]);
    const m = await (await rc.request("POST", `${EXT}/sms`, {
      body,
      headers: { "Content-Type": "multipart/mixed; boundary=b0undary" },
    })).json();
    equal(m.subject, "see picture");
    equal(m.attachments.length, 1);
  });
  await t.step("eleven attachments are refused", async () => {
    const form = new FormData();
    form.append("json", new Blob([envelope], { type: "application/json" }));
    for (let i = 0; i < 11; i++) form.append("attachment", new Blob([png], { type: "image/png" }), `${i}.png`);
    const e = await failure(rc.post(`${EXT}/mms`, form));
    deepEqual([e.status, e.errorCode], [400, "CMN-101"]);
  });
  await t.step("more than 1.5 MB in total is refused", async () => {
    const form = new FormData();
    form.append("json", new Blob([envelope], { type: "application/json" }));
    form.append("attachment", new Blob([new Uint8Array(1_500_001)], { type: "image/jpeg" }), "big.jpg");
    const e = await failure(rc.post(`${EXT}/mms`, form));
    deepEqual([e.status, e.errorCode], [400, "CMN-101"]);
  });
  await t.step("unsupported media is a 415 MSG-348", async () => {
    const form = new FormData();
    form.append("json", new Blob([envelope], { type: "application/json" }));
    form.append("attachment", new Blob(["MZ"], { type: "application/x-msdownload" }), "setup.exe");
    const e = await failure(rc.post(`${EXT}/mms`, form));
    deepEqual([e.status, e.errorCode], [415, "MSG-348"]);
  });
});
