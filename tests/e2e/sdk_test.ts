/**
 * RingCentral's official SDKs, unchanged, against `deno task emulator`
 * (the real program, in a subprocess) over loopback.
 */
import { deepEqual, equal, ok } from "node:assert/strict";
import { SDK } from "@ringcentral/sdk";
import RingCentralExtensible from "@rc-ex/core";
import { startEmulator } from "../_helpers.ts";

const SEED_EXTENSIONS = 25;

/** An in-memory Storage, so the SDK does not persist tokens in Deno's localStorage. */
class MemoryStorage {
  #items = new Map<string, string>();
  get length() {
    return this.#items.size;
  }
  key(i: number) {
    return [...this.#items.keys()][i] ?? null;
  }
  getItem(k: string) {
    return this.#items.get(k) ?? null;
  }
  setItem(k: string, v: string) {
    this.#items.set(k, String(v));
  }
  removeItem(k: string) {
    this.#items.delete(k);
  }
  clear() {
    this.#items.clear();
  }
}

Deno.test("@ringcentral/sdk works against deno task emulator unchanged", async (t) => {
  await using emu = await startEmulator(["--port", "0", "--quiet"]);
  const env = emu.env;
  const sdk = new SDK({
    server: env.RC_SERVER_URL,
    clientId: env.RC_CLIENT_ID,
    clientSecret: env.RC_CLIENT_SECRET,
    localStorage: new MemoryStorage(),
  });
  const platform = sdk.platform();
  const json = async (path: string) => await (await platform.get(path)).json();

  await t.step("password login", async () => {
    await platform.login({ username: env.RC_USERNAME, extension: env.RC_EXTENSION, password: env.RC_PASSWORD });
    equal((await json("/restapi/v1.0/account/~/extension/~")).extensionNumber, "101");
  });
  await t.step("JWT login and the current extension", async () => {
    await platform.login({ jwt: env.RC_JWT });
    const me = await json("/restapi/v1.0/account/~/extension/~");
    equal(me.name, "Alice Admin");
  });
  await t.step("all extensions across pages via navigation.nextPage", async () => {
    let url: string | undefined = "/restapi/v1.0/account/~/extension?perPage=10";
    const ids = new Set<number>();
    let pages = 0;
    while (url) {
      const page = await json(url);
      for (const r of page.records) ids.add(r.id);
      url = page.navigation.nextPage?.uri;
      pages++;
    }
    equal(pages, 3);
    equal(ids.size, SEED_EXTENSIONS);
  });
  let messageId = 0;
  await t.step("SmsSender number, send an SMS, read it back", async () => {
    const numbers = await json("/restapi/v1.0/account/~/extension/~/phone-number");
    const from = numbers.records.find((n: { features: string[] }) => n.features.includes("SmsSender")).phoneNumber;
    const sent = await (await platform.post("/restapi/v1.0/account/~/extension/~/sms", {
      from: { phoneNumber: from },
      to: [{ phoneNumber: "+16505550199" }],
      text: "Hello from @ringcentral/sdk",
    })).json();
    equal(sent.messageStatus, "Queued");
    messageId = sent.id;
    const back = await json(`/restapi/v1.0/account/~/extension/~/message-store/${messageId}`);
    equal(back.subject, "Hello from @ringcentral/sdk");
  });
  await t.step("refresh, logout, and the revoked token gets 401", async () => {
    const before = (await platform.auth().data()).access_token;
    await platform.refresh();
    const after = (await platform.auth().data()).access_token;
    ok(after && after !== before);
    await platform.logout();
    const r = await fetch(`${env.RC_SERVER_URL}/restapi/v1.0/account/~/extension/~`, {
      headers: { Authorization: `Bearer ${after}` },
    });
    equal(r.status, 401);
    equal((await r.json()).errors[0].errorCode, "OAU-213");
  });
});

Deno.test("@rc-ex/core works against deno task emulator unchanged", async (t) => {
  await using emu = await startEmulator(["--port", "0", "--quiet"]);
  const env = emu.env;
  const rc = new RingCentralExtensible({
    server: env.RC_SERVER_URL,
    clientId: env.RC_CLIENT_ID,
    clientSecret: env.RC_CLIENT_SECRET,
  });
  const ext = () => rc.restapi().account().extension();

  await t.step("password login (through getToken: authorize() no longer offers the retired grant)", async () => {
    await rc.getToken(
      {
        grant_type: "password",
        username: env.RC_USERNAME,
        extension: env.RC_EXTENSION,
        password: env.RC_PASSWORD,
      } as unknown as Parameters<typeof rc.getToken>[0],
    );
    equal((await ext().get()).extensionNumber, "101");
  });
  await t.step("JWT login and the current extension", async () => {
    await rc.authorize({ jwt: env.RC_JWT });
    equal((await ext().get()).name, "Alice Admin");
  });
  await t.step("all extensions across pages via navigation.nextPage", async () => {
    const ids = new Set<number>();
    let page = 1;
    for (;;) {
      const list = await rc.restapi().account().extension().list({ perPage: 10, page });
      for (const r of list.records ?? []) ids.add(r.id!);
      const next = list.navigation?.nextPage?.uri;
      if (!next) break;
      page = Number(new URL(next).searchParams.get("page"));
    }
    equal(ids.size, SEED_EXTENSIONS);
  });
  await t.step("SmsSender number, send an SMS (multipart), read it back", async () => {
    const numbers = await ext().phoneNumber().get();
    const from = numbers.records!.find((n) => n.features?.includes("SmsSender"))!.phoneNumber!;
    const sent = await ext().sms().post({
      from: { phoneNumber: from },
      to: [{ phoneNumber: "+16505550199" }],
      text: "Hello from @rc-ex/core",
    });
    equal(sent.messageStatus, "Queued");
    const back = await ext().messageStore(String(sent.id)).get();
    equal(back.subject, "Hello from @rc-ex/core");
  });
  await t.step("refresh, revoke, and the revoked token gets 401", async () => {
    const before = rc.token!.access_token;
    await rc.refresh();
    const after = rc.token!.access_token!;
    ok(after !== before);
    await rc.revoke();
    const r = await fetch(`${env.RC_SERVER_URL}/restapi/v1.0/account/~/extension/~`, {
      headers: { Authorization: `Bearer ${after}` },
    });
    equal(r.status, 401);
    deepEqual((await r.json()).errors.map((e: { errorCode: string }) => e.errorCode), ["OAU-213"]);
  });
});
