import { deepEqual, equal, match, ok } from "node:assert/strict";
import { RingCentral } from "../../mod.ts";
import { ACCOUNT_ID, extensionIdOf } from "../../lib/emulator/seed.ts";
import { serveEmulator } from "../_helpers.ts";

const ACCOUNT = "/restapi/v1.0/account/~";
const EXT = `${ACCOUNT}/extension`;

async function json(rc: RingCentral, path: string, query?: Record<string, string | number | string[]>) {
  return await (await rc.get(path, query)).json();
}

Deno.test("emulator account read: numeric ids and absolute uris", async () => {
  await using s = serveEmulator();
  const rc = new RingCentral(s.credentials);
  const account = await json(rc, ACCOUNT);
  equal(account.id, ACCOUNT_ID);
  equal(account.uri, `${s.url}/restapi/v1.0/account/${ACCOUNT_ID}`);
  equal(account.mainNumber, "+16505550100");
  equal(account.status, "Confirmed");
  deepEqual(account.operator, {
    uri: `${account.uri}/extension/${extensionIdOf(101)}`,
    id: extensionIdOf(101),
    extensionNumber: "101",
  });
  const wrong = await rc.get("/restapi/v1.0/account/123").catch((e) => e);
  deepEqual([wrong.status, wrong.errorCode], [404, "CMN-102"]);
});

Deno.test("emulator extension list: paging and navigation as RingCentral returns them", async (t) => {
  await using s = serveEmulator();
  const rc = new RingCentral(s.credentials);
  await t.step("middle page has every link", async () => {
    const page = await json(rc, EXT, { page: 2, perPage: 10 });
    deepEqual(page.paging, { page: 2, totalPages: 3, perPage: 10, totalElements: 25, pageStart: 10, pageEnd: 19 });
    deepEqual(Object.keys(page.navigation), ["firstPage", "nextPage", "previousPage", "lastPage"]);
    equal(page.uri, `${s.url}/restapi/v1.0/account/${ACCOUNT_ID}/extension?page=2&perPage=10`);
    equal(page.navigation.nextPage.uri, `${s.url}/restapi/v1.0/account/${ACCOUNT_ID}/extension?page=3&perPage=10`);
    equal(page.records.length, 10);
    const keys = Object.keys(page.records[0]).slice(0, 9);
    deepEqual(keys, [
      "uri",
      "id",
      "extensionNumber",
      "contact",
      "name",
      "type",
      "status",
      "permissions",
      "profileImage",
    ]);
  });
  await t.step("a single page has only firstPage and lastPage", async () => {
    const page = await json(rc, EXT, { perPage: 100 });
    deepEqual(Object.keys(page.navigation), ["firstPage", "lastPage"]);
    deepEqual(page.paging, { page: 1, totalPages: 1, perPage: 100, totalElements: 25, pageStart: 0, pageEnd: 24 });
  });
  await t.step("perPage above 1000 is a CMN-101", async () => {
    const e = await rc.get(EXT, { perPage: 1001 }).catch((e) => e);
    deepEqual([e.status, e.errorCode, e.detail], [400, "CMN-101", "Parameter [perPage] value is invalid."]);
  });
  await t.step("type and status filters take repeated values", async () => {
    const users = await json(rc, EXT, { type: "User", status: ["Disabled", "NotActivated"] });
    deepEqual(users.records.map((r: { name: string }) => r.name), ["Olga Ortiz", "Pete Park"]);
    const specials = await json(rc, EXT, { type: ["IvrMenu", "ParkLocation"] });
    deepEqual(specials.records.map((r: { type: string }) => r.type), ["IvrMenu", "ParkLocation"]);
    const byNumber = await json(rc, EXT, { extensionNumber: "202" });
    equal(byNumber.records[0].name, "Support");
  });
});

Deno.test("emulator --extensions N grows the account for paging", async () => {
  await using s = serveEmulator({ extensions: 2500 });
  const rc = new RingCentral(s.credentials);
  const page = await json(rc, EXT, { perPage: 1000, page: 3 });
  deepEqual(page.paging, {
    page: 3,
    totalPages: 3,
    perPage: 1000,
    totalElements: 2500,
    pageStart: 2000,
    pageEnd: 2499,
  });
  let n = 0;
  const ids = new Set();
  for await (const e of rc.paginate<{ id: number }>(EXT, { perPage: 1000 })) {
    ids.add(e.id);
    n++;
  }
  equal(n, 2500);
  equal(ids.size, 2500);
});

Deno.test("emulator extension read: serviceFeatures only on one's own extension", async () => {
  await using s = serveEmulator();
  const rc = new RingCentral(s.credentials);
  const me = await json(rc, `${EXT}/~`);
  equal(me.id, extensionIdOf(101));
  equal(me.contact.email, "alice.admin@acme-robotics.example");
  ok(me.serviceFeatures.some((f: { featureName: string; enabled: boolean }) => f.featureName === "SMS" && f.enabled));
  equal(me.account.id, String(ACCOUNT_ID));
  const other = await json(rc, `${EXT}/${extensionIdOf(102)}`);
  equal(other.name, "Bob Baker");
  equal(other.serviceFeatures, undefined);
  const missing = await rc.get(`${EXT}/1`).catch((e) => e);
  deepEqual([missing.status, missing.errorCode, missing.detail], [
    404,
    "CMN-102",
    "Resource for parameter [extensionId] is not found",
  ]);
});

Deno.test("emulator phone numbers: features, usageType filter, numbers that cannot send SMS", async () => {
  await using s = serveEmulator();
  const rc = new RingCentral(s.credentials);
  const list = await json(rc, `${EXT}/~/phone-number`);
  deepEqual(
    list.records.map((
      r: { phoneNumber: string; usageType: string; features: string[] },
    ) => [r.phoneNumber, r.usageType, r.features]),
    [
      ["+16505550100", "MainCompanyNumber", ["CallerId"]],
      ["+16505550190", "CompanyFaxNumber", []],
      ["+16505550101", "DirectNumber", ["SmsSender", "CallerId", "MmsSender"]],
      ["+18005550111", "AdditionalCompanyNumber", ["CallerId", "SmsSender", "A2PSmsSender"]],
    ],
  );
  ok(list.paging && list.navigation);
  equal(list.records[0].country.name, "United States");
  const direct = await json(rc, `${EXT}/~/phone-number`, { usageType: ["DirectNumber", "CompanyFaxNumber"] });
  equal(direct.records.length, 2);
});

Deno.test("emulator company phone numbers: every number with its extension, filters, paging, admins only", async (t) => {
  await using s = serveEmulator();
  const rc = new RingCentral(s.credentials);
  const all = await json(rc, `${ACCOUNT}/phone-number`);
  const state = s.emulator.state;
  equal(all.records.length, state.phoneNumbers.length);
  equal(all.paging.perPage, 100);
  await t.step("direct numbers name their extension; the main number names none", () => {
    const main = all.records.find((r: { usageType: string }) => r.usageType === "MainCompanyNumber");
    equal(main.phoneNumber, "+16505550100");
    equal(main.extension, undefined);
    equal(main.features, undefined); // the company list has no features: read them per extension
    const bob = all.records.find((r: { extension?: { extensionNumber: string } }) =>
      r.extension?.extensionNumber === "102"
    );
    deepEqual(bob.extension, {
      id: extensionIdOf(102),
      uri: `${s.url}/restapi/v1.0/account/${ACCOUNT_ID}/extension/${extensionIdOf(102)}`,
      extensionNumber: "102",
      name: "Bob Baker",
    });
    equal(bob.usageType, "DirectNumber");
  });
  await t.step("some enabled users have no direct number (the workshop finds them)", async () => {
    const direct = await json(rc, `${ACCOUNT}/phone-number`, { usageType: "DirectNumber" });
    const owners = new Set(
      direct.records.map((r: { extension: { extensionNumber: string } }) => r.extension.extensionNumber),
    );
    const users = state.extensions.filter((e) => e.type === "User" && e.status === "Enabled");
    const without = users.filter((e) => !owners.has(e.extensionNumber)).map((e) => e.extensionNumber);
    deepEqual(without, ["107", "108", "109", "110"]);
    const enabled = await json(rc, `${ACCOUNT}/phone-number`, { extensionStatus: "Disabled" });
    equal(enabled.records.length, 0);
  });
  await t.step("pages", async () => {
    const page = await json(rc, `${ACCOUNT}/phone-number`, { perPage: 5, page: 2 });
    deepEqual([page.records.length, page.paging.page, page.paging.totalElements], [5, 2, state.phoneNumbers.length]);
    match(page.navigation.nextPage.uri, /\/account\/809646016\/phone-number\?perPage=5&page=3$/);
  });
  await t.step("a user who is not an admin gets CMN-408", async () => {
    const bob = new RingCentral({
      ...s.passwordCredentials,
      username: "bob.baker@acme-robotics.example",
      extension: undefined,
    });
    const e = await bob.get(`${ACCOUNT}/phone-number`).catch((e) => e);
    deepEqual([e.status, e.errorCode], [403, "CMN-408"]);
    match(e.message, /ReadCompanyPhoneNumbers/);
  });
});

Deno.test("emulator users: contact.department and jobTitle (each department has one manager)", async () => {
  await using s = serveEmulator();
  const rc = new RingCentral(s.credentials);
  const users = await json(rc, EXT, { type: "User", status: "Enabled" });
  const managers = users.records
    .filter((u: { contact: { jobTitle: string } }) => u.contact.jobTitle.endsWith("Manager"))
    .map((u: { name: string; contact: { department: string } }) => `${u.contact.department}: ${u.name}`);
  deepEqual(managers, [
    "Operations: Alice Admin",
    "Sales: Carol Chen",
    "Support: Dan Diaz",
    "Engineering: Kira Kim",
    "Finance: Mona Miller",
  ]);
});

Deno.test("emulator unknown paths and methods: AGW-404 and 405, with RCRequestId", async () => {
  await using s = serveEmulator();
  const rc = new RingCentral(s.credentials);
  // @ts-expect-error a path in no operation is a type error too
  const e = await rc.get("/restapi/v1.0/nothing/here").catch((e) => e);
  deepEqual([e.status, e.errorCode], [404, "AGW-404"]);
  match(e.requestId, /^[0-9a-f-]{36}$/);
  const m = await rc.request("DELETE", ACCOUNT).catch((e) => e);
  equal(m.status, 405);
});
