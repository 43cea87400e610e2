/**
 * MMS and fax in the emulator: multipart in the shapes clients send, files
 * stored and served back byte for byte on the media origin, the fax
 * lifecycle and its pages, cover pages, inbound MMS and fax through the
 * control API, events, the message-sync API, deletion, and a saved world
 * that keeps it all.
 */
import { deepEqual, equal, match, ok } from "node:assert/strict";
import { ApiError, RingCentral, withFiles } from "../../mod.ts";
import { textPdf } from "../../lib/emulator/_pdf.ts";
import { createEmulator, worldFromSnapshot, worldSnapshot } from "../../lib/emulator/mod.ts";
import { advance, serveEmulator } from "../_helpers.ts";

const EXT = "/restapi/v1.0/account/~/extension/~";
const SENDER = "+16505550101";
const PNG = new Uint8Array([137, 80, 78, 71, 13, 10, 26, 10, 0, 0, 0, 13, 73, 72, 68, 82, 255, 0, 128]);

async function failure(p: Promise<unknown>): Promise<ApiError> {
  const e = await p.then(() => undefined, (e) => e);
  ok(e instanceof ApiError, `expected an ApiError, got ${e}`);
  return e;
}

/** A raw multipart body with the given boundary and parts. */
function multipart(boundary: string, parts: { headers: string[]; body: string | Uint8Array }[]): Uint8Array {
  const enc = new TextEncoder();
  const chunks: Uint8Array[] = [];
  for (const p of parts) {
    chunks.push(enc.encode(`--${boundary}\r\n${p.headers.join("\r\n")}\r\n\r\n`));
    chunks.push(typeof p.body === "string" ? enc.encode(p.body) : p.body);
    chunks.push(enc.encode("\r\n"));
  }
  chunks.push(enc.encode(`--${boundary}--\r\n`));
  const all = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of chunks) all.set(c, (at += c.length) - c.length);
  return all;
}

Deno.test("an MMS's picture is served back byte for byte on the media origin, with its type, to the token only", async () => {
  await using s = serveEmulator({ rateLimits: false });
  const rc = new RingCentral(s.credentials);
  const sent = await (await rc.post(
    `${EXT}/mms`,
    withFiles({ from: { phoneNumber: SENDER }, to: [{ phoneNumber: "+14155550123" }], text: "Look" }, [
      new File([PNG], "dot.png", { type: "image/png" }),
    ]),
  )).json();
  equal(sent.messageStatus, "Queued");
  const picture = sent.attachments!.find((a) => a.type === "MmsAttachment")!;
  deepEqual([picture.contentType, picture.size, picture.fileName], ["image/png", PNG.length, "dot.png"]);
  ok(picture.uri!.startsWith(`${s.mediaUrl}/restapi/v1.0/account/`), `on the media origin: ${picture.uri}`);
  const response = await rc.request("GET", picture.uri!);
  equal(response.headers.get("content-type"), "image/png");
  deepEqual(new Uint8Array(await response.arrayBuffer()), PNG);
  const anonymous = await fetch(picture.uri!);
  await anonymous.body?.cancel();
  equal(anonymous.status, 401, "the media origin wants the token, as for recordings");
  const saved = await rc.request("GET", `${picture.uri}?contentDisposition=Attachment`);
  equal(saved.headers.get("content-disposition"), 'attachment; filename="dot.png"');
  await advance(s.url, 10);
  const read = await (await rc.get(`${EXT}/message-store/${sent.id}`)).json();
  equal(read.messageStatus, "Delivered", "an MMS lives as an SMS does");
});

Deno.test("a fax: multipart/form-data and multipart/mixed, pages from the PDF and the cover page, Queued then Sent", async (t) => {
  await using s = serveEmulator({ rateLimits: false });
  const rc = new RingCentral(s.credentials);
  const pdf = textPdf([["one"], ["two"], ["three"]]);
  let faxId = 0;
  await t.step("form-data: a 3-page PDF and a cover page make 4 pages", async () => {
    const fax = await (await rc.post(
      `${EXT}/fax`,
      withFiles({ to: [{ phoneNumber: "+14155550123" }], faxResolution: "High", coverIndex: 2, coverPageText: "Hi" }, [
        new File([pdf], "letter.pdf", { type: "application/pdf" }),
      ]),
    )).json();
    faxId = fax.id!;
    deepEqual(
      [fax.type, fax.messageStatus, fax.faxPageCount, fax.faxResolution, fax.coverIndex, fax.coverPageText],
      ["Fax", "Queued", 4, "High", 2, "Hi"],
    );
    equal(fax.from!.phoneNumber, "+16505550190", "from the user's fax number");
    equal(fax.attachments![0].type, "RenderedDocument");
  });
  await t.step("it is Sent once its pages have gone out on the emulated clock", async () => {
    await advance(s.url, 20);
    equal((await (await rc.get(`${EXT}/message-store/${faxId}`)).json()).messageStatus, "Queued");
    await advance(s.url, 40);
    const sent = await (await rc.get(`${EXT}/message-store/${faxId}`)).json();
    equal(sent.messageStatus, "Sent");
    equal(sent.to![0].messageStatus, "Sent");
  });
  await t.step("multipart/mixed as the guide writes it: JSON first, then a text file (1 page), no cover", async () => {
    const body = multipart("Boundary_1_14413901_1361871080888", [
      { headers: ["Content-Type: application/json"], body: JSON.stringify({ to: [{ phoneNumber: "+14155550123" }] }) },
      { headers: ["Content-Type: text/plain", 'Content-Disposition: attachment; filename="note.txt"'], body: "Hi" },
    ]);
    const fax = await (await rc.request("POST", `${EXT}/fax`, {
      body,
      headers: { "Content-Type": "multipart/mixed; boundary=Boundary_1_14413901_1361871080888" },
    })).json();
    deepEqual([fax.faxPageCount, fax.coverIndex, fax.faxResolution], [1, 0, "Low"]);
    equal(fax.attachments[0].type, "SourceDocument");
    const text = await (await rc.request("GET", fax.attachments[0].uri)).text();
    equal(text, "Hi");
  });
  await t.step("a form of fields (to, coverPageText) and a file, as some SDKs send it", async () => {
    const form = new FormData();
    form.append("to", "+14155550123");
    form.append("coverPageText", "From a form");
    form.append("attachment", new File([pdf], "a.pdf", { type: "application/pdf" }));
    const fax = await (await rc.post(`${EXT}/fax`, form)).json();
    deepEqual([fax.to![0].phoneNumber, fax.coverPageText, fax.faxPageCount], ["+14155550123", "From a form", 3]);
  });
  await t.step("a failing number ends SendingFailed with its faxErrorCode", async () => {
    const fax = await (await rc.post(
      `${EXT}/fax`,
      withFiles({ to: [{ phoneNumber: "+15550001234" }] }, [new File([pdf], "a.pdf", { type: "application/pdf" })]),
    )).json();
    await advance(s.url, 60);
    const failed = await (await rc.get(`${EXT}/message-store/${fax.id}`)).json();
    equal(failed.messageStatus, "SendingFailed");
    equal(failed.to![0].faxErrorCode, "InvalidNumber");
  });
  await t.step("sendTime later: Queued until then", async () => {
    const at = new Date(Date.now() + 3600_000 * 5).toISOString();
    const fax = await (await rc.post(
      `${EXT}/fax`,
      withFiles({ to: [{ phoneNumber: "+14155550123" }], sendTime: at }, [new Blob(["x"], { type: "text/plain" })]),
    )).json();
    await advance(s.url, 3600);
    equal((await (await rc.get(`${EXT}/message-store/${fax.id}`)).json()).messageStatus, "Queued");
  });
  await t.step("bad requests: no document, a bad resolution, an unknown cover page, a bad number", async () => {
    const file = new Blob(["x"], { type: "text/plain" });
    const cases: [Record<string, unknown>, Blob[], string][] = [
      [{ to: [{ phoneNumber: "+14155550123" }] }, [], "attachment"],
      [{ to: [{ phoneNumber: "+14155550123" }], faxResolution: "Ultra" }, [file], "faxResolution"],
      [{ to: [{ phoneNumber: "+14155550123" }], coverIndex: 99 }, [file], "coverIndex"],
      [{ to: [{ phoneNumber: "555" }] }, [file], "to.phoneNumber"],
      [{}, [file], "to"],
    ];
    for (const [json, files, parameter] of cases) {
      const e = await failure(rc.post(`${EXT}/fax`, withFiles(json, files)));
      deepEqual([e.status, e.errorCode, (e.body as { parameterName?: string }).parameterName], [
        400,
        "CMN-101",
        parameter,
      ]);
    }
  });
  await t.step("the cover pages, paged as the spec has them", async () => {
    const pages = await (await rc.get("/restapi/v1.0/dictionary/fax-cover-page")).json();
    deepEqual(pages.records!.slice(0, 3).map((p) => p.name), ["None", "Ancient", "Birthday"]);
    equal(pages.paging!.totalElements, pages.records!.length);
  });
});

Deno.test("inbound MMS and fax through the control API, with their events", async (t) => {
  await using s = serveEmulator({ rateLimits: false });
  const rc = new RingCentral(s.credentials);
  const events: { body: { changes?: { type: string }[]; attachments?: unknown[] } }[] = [];
  await using _sub = await rc.subscribe(
    [`${EXT}/message-store?type=Fax`, `${EXT}/message-store/instant?type=SMS`],
    (e) => void events.push(e as (typeof events)[number]),
  );
  await t.step("inbound-sms with attachments is an MMS", async () => {
    const made = await (await rc.request("POST", "/__emulator/inbound-sms", {
      body: {
        from: "+14155550123",
        attachments: [{ contentType: "image/png", base64: PNG.toBase64(), fileName: "p.png" }],
      },
    })).json();
    const m = await (await rc.get(`${EXT}/message-store/${made.id}`)).json();
    const picture = m.attachments!.find((a) => a.type === "MmsAttachment")!;
    deepEqual(new Uint8Array(await (await rc.request("GET", picture.uri!)).arrayBuffer()), PNG);
    equal(m.direction, "Inbound");
  });
  await t.step("inbound-fax makes a PDF of its pages", async () => {
    const made = await (await rc.request("POST", "/__emulator/inbound-fax", {
      body: { from: "+14155550123", pages: 2 },
    })).json();
    equal(made.faxPageCount, 2);
    const fax = await (await rc.get(`${EXT}/message-store/${made.id}`)).json();
    deepEqual([fax.type, fax.messageStatus, fax.readStatus, fax.faxPageCount], ["Fax", "Received", "Unread", 2]);
    const doc = await rc.request("GET", fax.attachments![0].uri!);
    equal(doc.headers.get("content-type"), "application/pdf");
    match(await doc.text(), /^%PDF-1\.4[\s\S]*\/Count 2/);
  });
  await t.step("the dashboard's model shows what each message is", async () => {
    const view = await (await fetch(`${s.url}/__emulator/ui/state`)).json();
    deepEqual(view.messages.slice(0, 2).map((m: { kind: string; pages?: number }) => [m.kind, m.pages]), [
      ["Fax", 2],
      ["MMS", undefined],
    ]);
  });
  await t.step("bad input says what is wrong", async () => {
    const e = await failure(rc.request("POST", "/__emulator/inbound-fax", { body: { from: "+14155550123", page: 2 } }));
    match(e.message, /Unknown field page; the fields are from, to, pages, attachments/);
    const b = await failure(rc.request("POST", "/__emulator/inbound-sms", {
      body: { from: "+14155550123", attachments: [{ contentType: "image/png", base64: "***" }] },
    }));
    match(b.message, /base64 is not base64 text/);
    const controls = (await (await rc.request("GET", "/__emulator/controls")).json()).controls as string[];
    ok(controls.includes("POST /__emulator/inbound-fax"));
  });
  await t.step("the events: the instant MMS carries its attachments; the fax is a Fax change", async () => {
    const deadline = Date.now() + 5000;
    while (events.length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    const instant = events.find((e) => e.body.attachments);
    equal(instant?.body.attachments?.length, 2, "the text and the picture");
    deepEqual(events.find((e) => e.body.changes)?.body.changes?.map((c) => c.type), ["Fax"]);
  });
});

Deno.test("message sync: FSync, then ISync returns only what changed, deleted and purged included; DELETE by filter", async (t) => {
  await using s = serveEmulator({ rateLimits: false });
  const rc = new RingCentral(s.credentials);
  const sms = (text: string, to = "+14155550123") =>
    rc.post(`${EXT}/sms`, { from: { phoneNumber: SENDER }, to: [{ phoneNumber: to }], text }).then((r) => r.json());
  const a = await sms("first");
  const b = await sms("second");
  await advance(s.url, 10); // both delivered
  const full = await (await rc.get(`${EXT}/message-sync`, { syncType: "FSync" })).json();
  deepEqual(full.records.slice(0, 2).map((r) => r.id), [b.id, a.id], "newest first");
  equal(full.syncInfo.syncType, "FSync");
  let token = full.syncInfo.syncToken!;
  await t.step("nothing changed: an empty ISync", async () => {
    const none = await (await rc.get(`${EXT}/message-sync`, { syncType: "ISync", syncToken: token })).json();
    deepEqual(none.records, []);
    token = none.syncInfo.syncToken!;
  });
  await t.step("a new message, a read status, a deletion", async () => {
    await advance(s.url, 1);
    const c = await sms("third");
    await rc.delete(`${EXT}/message-store/${a.id}`);
    const changes = await (await rc.get(`${EXT}/message-sync`, { syncType: "ISync", syncToken: token })).json();
    deepEqual(
      changes.records.map((r) => [r.id, r.availability]).sort(),
      [[a.id, "Deleted"], [c.id, "Alive"]].sort(),
    );
    token = changes.syncInfo.syncToken!;
    const listed = await (await rc.get(`${EXT}/message-store`)).json();
    ok(!listed.records.some((r) => r.id === a.id), "a deleted message leaves the default list");
    const deleted = await (await rc.get(`${EXT}/message-store`, { availability: ["Deleted"] })).json();
    deepEqual(deleted.records.map((r) => r.id), [a.id]);
  });
  await t.step("a deleted message is a 404 by id; purge=true purges it: ISync says Purged", async () => {
    equal((await failure(rc.get(`${EXT}/message-store/${a.id}`))).status, 404);
    equal((await failure(rc.delete(`${EXT}/message-store/${a.id}`))).status, 404, "deleted already");
    await advance(s.url, 1);
    await rc.delete(`${EXT}/message-store/${a.id}`, { purge: true });
    const changes = await (await rc.get(`${EXT}/message-sync`, { syncType: "ISync", syncToken: token })).json();
    deepEqual(changes.records.map((r) => [r.id, r.availability]), [[a.id, "Purged"]]);
    const e = await failure(rc.get(`${EXT}/message-store/${a.id}`));
    equal(e.status, 404);
    token = changes.syncInfo.syncToken!;
  });
  await t.step("DELETE by conversation deletes its messages", async () => {
    await advance(s.url, 1);
    const other = await sms("elsewhere", "+14155550999");
    await rc.delete(`${EXT}/message-store`, { conversationId: [String(b.conversationId)] });
    const alive = await (await rc.get(`${EXT}/message-store`)).json();
    const ours = [a.id, b.id, other.id];
    deepEqual(alive.records.map((r) => r.id).filter((id) => ours.includes(id)), [other.id]);
    const changes = await (await rc.get(`${EXT}/message-sync`, { syncType: "ISync", syncToken: token })).json();
    ok(changes.records.some((r) => r.id === b.id && r.availability === "Deleted"));
  });
  await t.step("a bad token or type says what to do", async () => {
    const e = await failure(rc.get(`${EXT}/message-sync`, { syncType: "ISync", syncToken: "nonsense" }));
    match(e.message, /start again with FSync/);
    const t2 = await failure(rc.delete(`${EXT}/message-store`, { type: "Letter" as "SMS" }));
    equal(t2.status, 400);
  });
});

Deno.test("a saved world keeps faxes and MMS whole, bytes and all", async () => {
  const a = createEmulator();
  const rc = new RingCentral({ ...a.credentials, fetch: a.fetch });
  const pdf = textPdf([["page"]]);
  const fax = await (await rc.post(
    `${EXT}/fax`,
    withFiles({ to: [{ phoneNumber: "+14155550123" }], coverIndex: 1 }, [
      new File([pdf], "a.pdf", { type: "application/pdf" }),
    ]),
  )).json();
  await rc.request("POST", "/__emulator/inbound-sms", {
    body: { from: "+14155550123", attachments: [{ contentType: "image/png", base64: PNG.toBase64() }] },
  });
  const saved = JSON.parse(JSON.stringify(worldSnapshot(a.state, a.now())));
  const b = createEmulator();
  b.restore(worldFromSnapshot(saved, b.state, Date.now()).state);
  const restored = b.state.messages.find((m) => m.id === fax.id)!;
  deepEqual(restored.fax, a.state.messages.find((m) => m.id === fax.id)!.fax);
  deepEqual(restored.attachments[0].data, pdf);
  deepEqual(b.state.messages.at(-1)!.attachments[0].data, PNG);
});

Deno.test("file names of any script, with ; and quotes, are kept and served back in a safe Content-Disposition", async (t) => {
  await using s = serveEmulator({ rateLimits: false });
  const rc = new RingCentral(s.credentials);
  /** The file name a Content-Disposition gives, as a browser reads it (filename* first). */
  const nameIn = (header: string | null) => {
    const extended = /filename\*=UTF-8''([^;]+)/i.exec(header ?? "")?.[1];
    const quoted = /filename="((?:[^"\\]|\\.)*)"/.exec(header ?? "")?.[1];
    return extended ? decodeURIComponent(extended) : quoted?.replace(/\\(.)/g, "$1");
  };
  for (const name of ["写真.png", "café.png", 'a"b.png', "a;b.png", "back\\slash.png"]) {
    await t.step(`an MMS with ${name}`, async () => {
      const sent = await (await rc.post(
        `${EXT}/mms`,
        withFiles({ from: { phoneNumber: SENDER }, to: [{ phoneNumber: "+14155550123" }] }, [
          new File([PNG], name, { type: "image/png" }),
        ]),
      )).json();
      const picture = sent.attachments!.find((a) => a.type === "MmsAttachment")!;
      equal(picture.fileName, name);
      const saved = await rc.request("GET", `${picture.uri}?contentDisposition=Attachment`);
      deepEqual(new Uint8Array(await saved.arrayBuffer()), PNG);
      equal(nameIn(saved.headers.get("content-disposition")), name);
    });
  }
  await t.step("a fax with Счёт.pdf, and a name asked for with contentDispositionFilename", async () => {
    const pdf = textPdf([["Счёт"]]);
    const fax = await (await rc.post(
      `${EXT}/fax`,
      withFiles({ to: [{ phoneNumber: "+14155550123" }] }, [new File([pdf], "Счёт.pdf", { type: "application/pdf" })]),
    )).json();
    const doc = (await (await rc.get(`${EXT}/message-store/${fax.id}`)).json()).attachments![0];
    equal(doc.fileName, "Счёт.pdf");
    const inline = await rc.request("GET", `${doc.uri}?contentDisposition=Inline`);
    deepEqual(new Uint8Array(await inline.arrayBuffer()), pdf);
    const header = inline.headers.get("content-disposition")!;
    match(header, /^inline; filename="[\x20-\x7e]*"; filename\*=UTF-8''/, "an ASCII stand-in, then the name in UTF-8");
    equal(nameIn(header), "Счёт.pdf");
    const asked = await rc.request(
      "GET",
      `${doc.uri}?contentDisposition=Attachment&contentDispositionFilename=${
        encodeURIComponent("Rechnung März\r\n.pdf")
      }`,
    );
    await asked.body?.cancel();
    equal(nameIn(asked.headers.get("content-disposition")), "Rechnung März\r\n.pdf", "CR LF stay encoded, never raw");
  });
  await t.step("filename*= (RFC 5987) takes precedence over filename", async () => {
    const body = multipart("b1", [
      { headers: ["Content-Type: application/json"], body: JSON.stringify({ to: [{ phoneNumber: "+14155550123" }] }) },
      {
        headers: [
          "Content-Type: text/plain",
          `Content-Disposition: attachment; filename="fallback.txt"; filename*=UTF-8''%E5%86%99%E7%9C%9F.txt`,
        ],
        body: "Hi",
      },
    ]);
    const fax = await (await rc.request("POST", `${EXT}/fax`, {
      body,
      headers: { "Content-Type": "multipart/mixed; boundary=b1" },
    })).json();
    equal(fax.attachments[0].fileName, "写真.txt");
  });
});

Deno.test("the JSON part may come after the files; none at all says a JSON part is missing", async () => {
  await using s = serveEmulator({ rateLimits: false });
  const rc = new RingCentral(s.credentials);
  const message = { from: { phoneNumber: SENDER }, to: [{ phoneNumber: "+14155550123" }], text: "After" };
  const form = new FormData();
  form.append("attachment", new File([PNG], "x.png", { type: "image/png" }));
  form.append("json", new Blob([JSON.stringify(message)], { type: "application/json" }), "request.json");
  const sent = await (await rc.post(`${EXT}/mms`, form)).json();
  equal(sent.subject, "After");
  const picture = sent.attachments!.find((a) => a.type === "MmsAttachment")!;
  deepEqual([picture.fileName, picture.size], ["x.png", PNG.length]);
  const onlyFiles = new FormData();
  onlyFiles.append("attachment", new File([PNG], "x.png", { type: "image/png" }));
  const e = await failure(rc.post(`${EXT}/mms`, onlyFiles));
  deepEqual([e.status, e.errorCode], [400, "CMN-101"]);
  match(e.message, /A JSON part is missing: send the message as a part of type application\/json/);
  const broken = new FormData();
  broken.append("request.json", new Blob(["{nope"], { type: "application/json" }), "request.json");
  match((await failure(rc.post(`${EXT}/mms`, broken))).message, /The part "request.json" must be the JSON message/);
});

Deno.test("a FormData sent as the text [object FormData] (node-fetch) gets an answer that says how to fix it", async () => {
  await using s = serveEmulator({ rateLimits: false });
  const rc = new RingCentral(s.credentials);
  for (const path of [`${EXT}/mms`, `${EXT}/fax`]) {
    const e = await failure(rc.request("POST", path, {
      body: "[object FormData]",
      headers: { "Content-Type": "text/plain;charset=UTF-8" },
    }));
    deepEqual([e.status, e.errorCode], [400, "CMN-101"]);
    match(e.message, /the HTTP client turned a FormData into text/);
    match(e.message, /fetch: globalThis\.fetch, Request, Response, Headers/);
  }
});

Deno.test("message sync on a held clock: changes in the same millisecond as a sync, and pages of one, are never lost", async (t) => {
  let clock = Date.parse("2026-01-01T00:00:00Z");
  await using s = serveEmulator({ rateLimits: false, now: () => clock });
  const rc = new RingCentral({ ...s.credentials, now: () => clock });
  const inbound = async (text: string) => {
    const r = await rc.request("POST", "/__emulator/inbound-sms", { body: { from: "+14155550777", text } });
    return (await r.json()).id as number;
  };
  const isync = async (syncToken: string, recordCount?: number) =>
    (await rc.get(`${EXT}/message-sync`, { syncType: "ISync", syncToken, ...(recordCount ? { recordCount } : {}) }))
      .json();
  /** Every change after `token`, one ISync of `recordCount` after another, with the last token. */
  const drain = async (token: string, recordCount: number) => {
    const seen: [number, string][] = [];
    for (let i = 0; i < 20; i++) {
      const page = await isync(token, recordCount);
      token = page.syncInfo.syncToken!;
      if (!page.records.length) return { seen, token };
      seen.push(...page.records.map((r) => [r.id!, r.availability!] as [number, string]));
    }
    throw new Error(`20 ISyncs and changes still coming: ${JSON.stringify(seen)}`);
  };
  clock += 100_000;
  const full = await (await rc.get(`${EXT}/message-sync`, { syncType: "FSync" })).json();
  let token = full.syncInfo.syncToken!;
  await t.step("an SMS that arrives in the same millisecond as the FSync is in the next ISync", async () => {
    const id = await inbound("same ms");
    const next = await isync(token);
    deepEqual(next.records.map((r) => r.id), [id]);
    token = next.syncInfo.syncToken!;
    deepEqual((await isync(token)).records, [], "and only once");
  });
  await t.step("a read mark in the same millisecond as the ISync that gave the message", async () => {
    const id = await inbound("then read");
    const first = await isync(token);
    deepEqual(first.records.map((r) => [r.id, r.readStatus]), [[id, "Unread"]]);
    await rc.put(`${EXT}/message-store/${id}`, { readStatus: "Read" });
    const second = await isync(first.syncInfo.syncToken!);
    deepEqual(second.records.map((r) => [r.id, r.readStatus]), [[id, "Read"]]);
    token = second.syncInfo.syncToken!;
  });
  await t.step("two changes at one time, read with recordCount=1: both, in order", async () => {
    clock += 1000;
    const a = await inbound("A");
    const b = await inbound("B");
    clock += 1000;
    const { seen, token: after } = await drain(token, 1);
    deepEqual(seen, [[a, "Alive"], [b, "Alive"]]);
    token = after;
  });
  await t.step("a DELETE by filter deletes many at one time; paged ISyncs give every deletion", async () => {
    clock += 1000;
    const ids = [await inbound("1"), await inbound("2"), await inbound("3")];
    const { token: current } = await drain(token, 250);
    const conversation = (await (await rc.get(`${EXT}/message-store/${ids[0]}`)).json()).conversationId!;
    clock += 1000;
    await rc.delete(`${EXT}/message-store`, { conversationId: [String(conversation)] });
    const { seen } = await drain(current, 2);
    const deleted = seen.filter(([, availability]) => availability === "Deleted").map(([id]) => id);
    ok(ids.every((id) => deleted.includes(id)), `every deletion: ${JSON.stringify(seen)}`);
    equal(new Set(seen.map(([id]) => id)).size, seen.length, "each once");
  });
});

Deno.test("the Fax Message Event (…/fax?direction=Inbound) brings an inbound fax, over a WebSocket and to a webhook", async (t) => {
  await using s = serveEmulator({ rateLimits: false });
  const rc = new RingCentral(s.credentials);
  const FILTER = `${EXT}/fax?direction=Inbound`;
  type Event = { event?: string; body: { id?: number; type?: string; direction?: string; attachments?: unknown[] } };
  /** Events as they come, and a bounded wait for the first that matches. */
  const inbox = () => {
    const events: Event[] = [];
    const waiters: (() => void)[] = [];
    return {
      events,
      push(e: Event) {
        events.push(e);
        waiters.splice(0).forEach((w) => w());
      },
      async first(test: (e: Event) => boolean, what: string): Promise<Event> {
        const deadline = Date.now() + 5000;
        while (!events.some(test)) {
          if (Date.now() > deadline) throw new Error(`no ${what} within 5 s; got ${JSON.stringify(events)}`);
          await new Promise<void>((resolve) => {
            const timer = setTimeout(resolve, 200);
            waiters.push(() => (clearTimeout(timer), resolve()));
          });
        }
        return events.find(test)!;
      },
    };
  };
  const ws = inbox();
  await using _sub = await rc.subscribe([FILTER, `${EXT}/message-store/instant?type=SMS`], (e) => ws.push(e as Event));
  const hooked = inbox();
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, async (req) => {
    const token = req.headers.get("validation-token");
    if (token) return new Response(null, { headers: { "Validation-Token": token } });
    hooked.push(await req.json());
    return new Response(null);
  });
  await using _server = { [Symbol.asyncDispose]: () => server.shutdown() };
  const created = await (await rc.post("/restapi/v1.0/subscription", {
    eventFilters: [FILTER],
    deliveryMode: { transportType: "WebHook", address: `http://127.0.0.1:${server.addr.port}/hook` },
  })).json();
  match(created.eventFilters![0], /^\/restapi\/v1\.0\/account\/\d+\/extension\/\d+\/fax\?direction=Inbound$/);
  await t.step("a sent fax and an inbound SMS are not inbound faxes", async () => {
    await rc.post(`${EXT}/fax`, withFiles({ to: [{ phoneNumber: "+14155550123" }] }, [new Blob(["x"])]));
    await rc.request("POST", "/__emulator/inbound-sms", { body: { from: "+14155550123", text: "not a fax" } });
    await ws.first((e) => e.body.type === "SMS", "instant SMS event"); // the events come in order: none before it
    ok(!ws.events.some((e) => e.body.type === "Fax"), JSON.stringify(ws.events));
  });
  await t.step("an inbound fax: the message itself, with its document, on both", async () => {
    const made = await (await rc.request("POST", "/__emulator/inbound-fax", { body: { from: "+14155550123" } }))
      .json();
    for (const [where, box] of [["WebSocket", ws], ["webhook", hooked]] as const) {
      const e = await box.first((e) => e.body.type === "Fax", `fax event on the ${where}`);
      deepEqual([e.body.id, e.body.direction, e.body.attachments?.length], [made.id, "Inbound", 1], where);
      match(e.event!, /\/fax\?direction=Inbound$/);
    }
    ok(hooked.events.every((e) => e.body.type === "Fax"), "the webhook heard only the fax");
  });
  await t.step("other directions are refused, saying which filters work", async () => {
    const e = await failure(rc.post("/restapi/v1.0/subscription", {
      eventFilters: [`${EXT}/fax?direction=Outbound`],
      deliveryMode: { transportType: "WebHook", address: `http://127.0.0.1:${server.addr.port}/hook` },
    }));
    deepEqual([e.status, e.errorCode], [400, "CMN-101"]);
    match(e.message, /…\/extension\/~\/fax\?direction=Inbound/);
  });
});
