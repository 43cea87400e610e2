/**
 * The emulator's call log: the seeded history (a few hundred calls over
 * four weeks, some missed, some recorded, `calls` / `--calls` to grow it),
 * RingCentral's 24-hour default, filters, views, paging, read by id, the
 * company's log for admins, sync (FSync, then ISync), the Heavy group, and
 * recordings served on the media origin; every answer validated against
 * the spec.
 */
import { deepEqual, equal, match, ok } from "node:assert/strict";
import { type ApiError, downloadContent, RingCentral } from "../../mod.ts";
import { emulatorJwt, extensionIdOf } from "../../lib/emulator/seed.ts";
import {
  advance,
  authedGet,
  inProcess,
  login,
  serveEmulator,
  startEmulator,
  stats,
  tempDir,
  virtualTime,
} from "../_helpers.ts";

const ME = "/restapi/v1.0/account/~/extension/~";
const COMPANY = "/restapi/v1.0/account/~/call-log";
const MONTH_AGO = () => new Date(Date.now() - 30 * 86_400_000).toISOString();

Deno.test("the seeded history: a few hundred calls over four weeks, the last day's by default, newest first", async () => {
  await using emu = inProcess({ rateLimits: false });
  const rc = new RingCentral(emu.credentials);
  const all = [];
  for await (const r of rc.paginate(COMPANY, { dateFrom: MONTH_AGO(), perPage: 100 })) all.push(r);
  ok(all.length >= 300 && all.length <= 450, `${all.length} records`);
  const results = new Set(all.map((r) => r.result));
  for (const r of ["Accepted", "Missed", "Call connected"]) ok(results.has(r), r);
  ok(all.filter((r) => (r as { recording?: unknown }).recording).length >= 40);
  const days = new Set(all.map((r) => String(r.startTime).slice(0, 10)));
  ok(days.size >= 18, `${days.size} days`);
  const lastDay = await (await rc.get(COMPANY)).json();
  ok(lastDay.records.length >= 10 && lastDay.records.length < 60, `${lastDay.records.length} in the last day`);
  const dayAgo = Date.now() - 24 * 3600_000 - 60_000;
  ok(lastDay.records.every((r) => Date.parse(r.startTime) >= dayAgo));
  const times = lastDay.records.map((r) => Date.parse(r.startTime));
  deepEqual(times, [...times].sort((a, b) => b - a));
  match(lastDay.navigation.firstPage!.uri!, /dateFrom=/); // the default window, kept across pages
  // The same history every time, relative to the start.
  const again = inProcess({ rateLimits: false });
  const other = new RingCentral(again.credentials);
  const first = await (await other.get(COMPANY, { dateFrom: MONTH_AGO(), perPage: 5 })).json();
  deepEqual(first.records.map((r) => r.id), all.slice(0, 5).map((r) => r.id));
  await again.close();
});

Deno.test("filters, views and paging of a user's call log", async () => {
  await using emu = inProcess({ rateLimits: false });
  const rc = new RingCentral(emu.credentials);
  const q = { dateFrom: MONTH_AGO() };
  const all = await (await rc.get(`${ME}/call-log`, { ...q, perPage: "max" as unknown as number })).json();
  ok(all.records.every((r) => r.extension?.id === extensionIdOf(101)));
  equal(all.paging.perPage, 1000);
  const inbound = await (await rc.get(`${ME}/call-log`, { ...q, direction: ["Inbound"], perPage: 1000 })).json();
  ok(inbound.records.length > 0 && inbound.records.every((r) => r.direction === "Inbound"));
  const recorded = await (await rc.get(`${ME}/call-log`, { ...q, recordingType: "All", perPage: 1000 })).json();
  ok(recorded.records.length > 0 && recorded.records.every((r) => r.recording?.contentUri));
  const fax = await (await rc.get(`${ME}/call-log`, { ...q, type: ["Fax"] })).json();
  equal(fax.records.length, 0);
  const simple = all.records[0];
  equal(simple.legs, undefined);
  const detailed = await (await rc.get(`${ME}/call-log`, { ...q, view: "Detailed", perPage: 1 })).json();
  ok(detailed.records[0].legs!.length >= 1);
  equal(detailed.records[0].legs![0].master, true);
  const page2 = await (await rc.get(`${ME}/call-log`, { ...q, perPage: 3, page: 2 })).json();
  deepEqual(page2.records.map((r) => r.id), all.records.slice(3, 6).map((r) => r.id));
  // RingCentral's call log pages without totals ("may be omitted for performance"): navigation says what is next.
  deepEqual(page2.paging, { page: 2, perPage: 3, pageStart: 3, pageEnd: 5 });
  deepEqual(Object.keys(page2.navigation), ["firstPage", "nextPage", "previousPage"]);
  const lastPage = Math.ceil(all.records.length / 3);
  const last = await (await rc.get(`${ME}/call-log`, { ...q, perPage: 3, page: lastPage })).json();
  deepEqual(Object.keys(last.navigation), ["firstPage", "previousPage"]);
  equal(last.paging.pageEnd, all.records.length - 1);
  const active = await (await rc.get(`${ME}/active-calls`)).json();
  deepEqual([Object.keys(active.paging), Object.keys(active.navigation)], [["page", "perPage"], ["firstPage"]]);
  const one = await (await rc.get(`${ME}/call-log/${simple.id}`)).json();
  equal(one.id, simple.id);
  const several = await rc.request("GET", `${ME}/call-log/${simple.id},nope`);
  equal(several.status, 207);
  deepEqual((await several.json()).map((p: { status: number }) => p.status), [200, 404]);
  const bad: ApiError = await rc.get(`${ME}/call-log`, { view: "Everything" as "Simple" }).catch((e) => e);
  deepEqual([bad.status, bad.errorCode, (bad.body as { parameterName: string }).parameterName], [
    400,
    "CMN-101",
    "view",
  ]);
  const badDate: ApiError = await rc.get(`${ME}/call-log`, { dateFrom: "yesterday" }).catch((e) => e);
  equal(badDate.status, 400);
});

Deno.test("the company's call log is an admin's; others read their own only", async () => {
  await using emu = inProcess({ rateLimits: false });
  const bob = new RingCentral({ ...emu.credentials, jwt: emulatorJwt(extensionIdOf(102)) });
  const e: ApiError = await bob.get(COMPANY).catch((e) => e);
  deepEqual([e.status, e.errorCode], [403, "CMN-408"]);
  const others: ApiError = await bob.get(`/restapi/v1.0/account/~/extension/${extensionIdOf(101)}/call-log`)
    .catch((e) => e);
  equal(others.status, 403);
  equal((await bob.get(`${ME}/call-log`)).status, 200);
  const admin = new RingCentral(emu.credentials);
  const bobs = await (await admin.get(`/restapi/v1.0/account/~/extension/${extensionIdOf(102)}/call-log`, {
    dateFrom: MONTH_AGO(),
  })).json();
  ok(bobs.records.length > 0 && bobs.records.every((r) => r.extension?.id === extensionIdOf(102)));
});

Deno.test("sync: FSync gives the newest records and a token; ISync with it gives what ended since", async () => {
  await using s = serveEmulator({ rateLimits: false });
  const rc = new RingCentral(s.credentials);
  const SYNC = `${ME}/call-log-sync`;
  const full = await (await rc.get(SYNC, { syncType: "FSync", recordCount: 5 })).json();
  equal(full.records.length, 5);
  equal(full.syncInfo.syncType, "FSync");
  const none = await (await rc.get(SYNC, { syncType: "ISync", syncToken: full.syncInfo.syncToken })).json();
  equal(none.records.length, 0);
  await rc.request("POST", "/__emulator/inbound-call", { body: { from: "+14155550123" } }); // missed in 30 s
  await advance(s.url, 31);
  const next = await (await rc.get(SYNC, { syncType: "ISync", syncToken: none.syncInfo.syncToken })).json();
  deepEqual(next.records.map((r) => [r.result, r.from?.phoneNumber]), [["Missed", "+14155550123"]]);
  const missedOnly = await (await rc.get(SYNC, { syncType: "FSync", statusGroup: ["Missed"], recordCount: 20 }))
    .json();
  ok(missedOnly.records.every((r) => r.result === "Missed"));
  const company = await (await rc.get("/restapi/v1.0/account/~/call-log-sync", { recordCount: 3 })).json();
  const wrong: ApiError = await rc.get(SYNC, { syncType: "ISync", syncToken: company.syncInfo.syncToken })
    .catch((e) => e);
  deepEqual([wrong.status, wrong.errorCode], [400, "CMN-101"]);
  const missing: ApiError = await rc.get(SYNC, { syncType: "ISync" }).catch((e) => e);
  equal(missing.status, 400);
});

Deno.test("the call log is in the Heavy group: the eleventh read in a window is a 429", async () => {
  let clock = Date.UTC(2026, 0, 5, 18);
  await using emu = inProcess({ now: () => clock });
  const rc = new RingCentral({ ...emu.credentials, now: () => clock, pacing: false, retries: 0 });
  for (let i = 0; i < 10; i++) {
    const r = await rc.get(`${ME}/call-log`);
    equal(r.headers.get("x-rate-limit-group"), "heavy");
  }
  const limited: ApiError = await rc.get(`${ME}/active-calls`).catch((e) => e);
  deepEqual([limited.status, limited.errorCode], [429, "CMN-301"]);
  clock += 61_000;
  equal((await rc.get(`${ME}/call-log`)).status, 200);
});

Deno.test("paginate() reads the whole company log of 3000+ calls under the Heavy limit: every record, no 429", async () => {
  const time = virtualTime();
  await using s = serveEmulator({ now: time.now, calls: 3000 });
  const waits: string[] = [];
  const rc = new RingCentral({
    ...s.credentials,
    now: time.now,
    sleep: time.sleep,
    fetch: time.fetch,
    onWait: (w) => waits.push(w.reason),
  });
  const MONTH = new Date(time.started - 30 * 86_400_000).toISOString();
  const ids: string[] = [];
  await time.drive((async () => {
    for await (const r of rc.paginate(COMPANY, { dateFrom: MONTH, perPage: 100 })) ids.push(String(r.id));
  })());
  ok(ids.length >= 3000, `${ids.length} records read`);
  equal(new Set(ids).size, ids.length, "no record read twice");
  const { statuses } = await stats(s.url);
  equal(statuses["429"], undefined, "no 429 at all");
  const pages = Math.ceil(ids.length / 100);
  const waited = (time.now() - time.started) / 1000;
  // 10 Heavy requests per 60 s window: the pages after the tenth waited for windows to roll.
  ok(waited >= Math.floor((pages - 1) / 10) * 60, `${pages} pages read in ${waited} s on the clock`);
  ok(waits.length > 0 && waits.every((r) => r === "rate-limit"), `the client held pages back: ${waits}`);
});

Deno.test("a recording's content: a WAV of its length on the media origin (and the platform's), its bytes whole", async () => {
  await using s = serveEmulator({ rateLimits: false });
  const rc = new RingCentral(s.credentials);
  equal(rc.mediaServer, s.mediaUrl);
  const log = await (await rc.get(COMPANY, { dateFrom: MONTH_AGO(), withRecording: true, perPage: 1 })).json();
  const { recording } = log.records[0];
  const meta = await (await rc.get(`/restapi/v1.0/account/~/recording/${recording!.id}`)).json();
  ok(meta.contentUri.startsWith(`${s.mediaUrl}/restapi/v1.0/account/`));
  const content = await rc.get(meta.contentUri);
  const bytes = await content.bytes();
  equal(content.headers.get("content-type"), "audio/wav");
  equal(Number(content.headers.get("content-length")), bytes.length);
  equal(new TextDecoder().decode(bytes.subarray(8, 12)), "WAVE");
  const rate = new DataView(bytes.buffer).getUint32(28, true); // bytes per second
  equal((bytes.length - 44) / rate, meta.duration);
  // The platform origin serves it too (SDKs that build the path send it there); a token in the query works.
  const token = await login(s.url, s.credentials.jwt);
  const plain = await fetch(`${s.url}/restapi/v1.0/account/~/recording/${recording!.id}/content?access_token=${token}`);
  equal(plain.status, 200);
  equal((await plain.bytes()).length, bytes.length);
  const attachment = await fetch(`${meta.contentUri}?contentDisposition=Attachment`, {
    headers: { Authorization: `Bearer ${token}` },
  });
  await attachment.body?.cancel();
  equal(attachment.headers.get("content-disposition"), `attachment; filename="recording-${recording!.id}.wav"`);
  // The media origin serves content, nothing else; without a token, nothing.
  equal((await authedGet(s.mediaUrl, token, "/restapi/v1.0/account/~")).status, 404);
  const anonymous = await fetch(meta.contentUri);
  await anonymous.body?.cancel();
  equal(anonymous.status, 401);
  await using dir = await tempDir();
  const progress: number[] = [];
  const saved = await downloadContent(rc, recording!.contentUri, `${dir.path}/call.wav`, {
    onProgress: (received) => progress.push(received),
  });
  deepEqual([saved.bytes, saved.contentType], [bytes.length, "audio/wav"]);
  equal(progress.at(-1), bytes.length);
  deepEqual(await Deno.readFile(`${dir.path}/call.wav`), bytes);
});

Deno.test("calls: N grows the seeded history (createEmulator and deno task emulator --calls)", async () => {
  await using emu = inProcess({ rateLimits: false, calls: 20 });
  const rc = new RingCentral(emu.credentials);
  const count = async (r: RingCentral) => {
    let n = 0;
    for await (const _ of r.paginate(COMPANY, { dateFrom: MONTH_AGO(), perPage: 1000 })) n++;
    return n;
  };
  const few = await count(rc);
  ok(few >= 20 && few < 30, `${few}`);
  await using served = await startEmulator(["--port", "0", "--quiet", "--calls", "2000", "--rate-limits", "off"]);
  const big = new RingCentral({
    server: served.env.RC_SERVER_URL,
    clientId: served.env.RC_CLIENT_ID,
    clientSecret: served.env.RC_CLIENT_SECRET,
    jwt: served.env.RC_JWT,
  });
  const many = await count(big);
  ok(many >= 2000, `${many}`);
});

Deno.test("sync on a held clock: a call that ends in the same millisecond as the sync is in the next ISync", async () => {
  const clock = Date.UTC(2026, 0, 5, 18);
  await using emu = inProcess({ now: () => clock, rateLimits: false });
  const rc = new RingCentral(emu.credentials);
  const SYNC = `${ME}/call-log-sync`;
  const call = await (await rc.request("POST", "/__emulator/inbound-call", { body: { from: "+14155550123" } })).json();
  const full = await (await rc.get(SYNC, { syncType: "FSync", recordCount: 5 })).json();
  await rc.delete(`/restapi/v1.0/account/~/telephony/sessions/${call.telephonySessionId}`); // ends now, same ms
  const next = await (await rc.get(SYNC, { syncType: "ISync", syncToken: full.syncInfo.syncToken })).json();
  deepEqual(next.records.map((r) => r.telephonySessionId), [call.telephonySessionId]);
  const again = await (await rc.get(SYNC, { syncType: "ISync", syncToken: next.syncInfo.syncToken })).json();
  deepEqual(again.records, [], "and only once");
});
