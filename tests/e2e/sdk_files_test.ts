/**
 * RingCentral's official SDKs, unchanged, against `deno task emulator` (the
 * real program, in a subprocess) for files: `@ringcentral/sdk` (a FormData,
 * as its README builds one) and `@rc-ex/core` (its own multipart, with
 * `attachments`) send an MMS with a PNG and a fax with a PDF, and read the
 * attachments back byte for byte from their URIs on the media origin.
 */
import { deepEqual, equal, ok } from "node:assert/strict";
import { SDK } from "@ringcentral/sdk";
import RingCentralExtensible from "@rc-ex/core";
import { startEmulator } from "../_helpers.ts";

const ROOT = new URL("../../", import.meta.url);
const PNG = await Deno.readFile(new URL("lib/repl/samples/picture.png", ROOT));
const PDF = await Deno.readFile(new URL("lib/repl/samples/letter.pdf", ROOT));
const FROM = "+16505550101";
const TO = "+14155550123";

/** The emulator's clock, moved on. */
async function advance(url: string, seconds: number): Promise<void> {
  const r = await fetch(`${url}/__emulator/clock`, {
    method: "POST",
    body: JSON.stringify({ advanceSeconds: seconds }),
  });
  await r.body?.cancel();
  ok(r.ok);
}

type Attachment = { type: string; uri: string; contentType: string; size?: number };

Deno.test("@ringcentral/sdk sends an MMS with a PNG and a fax with a PDF, and reads both back byte for byte", async () => {
  await using emu = await startEmulator(["--port", "0", "--quiet"]);
  const env = emu.env;
  // The SDK's Node build brings node-fetch, which sends a web FormData as the text "[object FormData]" (in Node its
  // README uses the form-data package): in Deno, give it Deno's own fetch, as its options allow.
  const sdk = new SDK({
    server: env.RC_SERVER_URL,
    clientId: env.RC_CLIENT_ID,
    clientSecret: env.RC_CLIENT_SECRET,
    fetch: globalThis.fetch,
    Request: globalThis.Request,
    Response: globalThis.Response,
    Headers: globalThis.Headers,
  });
  const platform = sdk.platform();
  await platform.login({ jwt: env.RC_JWT });

  const mms = new FormData();
  const json = (body: unknown) => new Blob([JSON.stringify(body)], { type: "application/json" });
  mms.append(
    "json",
    json({ from: { phoneNumber: FROM }, to: [{ phoneNumber: TO }], text: "A picture" }),
    "request.json",
  );
  mms.append("attachment", new Blob([PNG], { type: "image/png" }), "picture.png");
  const sent = await (await platform.post("/restapi/v1.0/account/~/extension/~/mms", mms)).json();
  const picture = sent.attachments.find((a: Attachment) => a.type === "MmsAttachment") as Attachment;
  equal(picture.contentType, "image/png");
  ok(!picture.uri.startsWith(env.RC_SERVER_URL), "the picture is on the media origin");
  const back = await platform.get(picture.uri); // the SDK sends its token to the absolute URI
  equal(back.headers.get("content-type"), "image/png");
  deepEqual(new Uint8Array(await back.arrayBuffer()), PNG);

  const fax = new FormData();
  fax.append("json", json({ to: [{ phoneNumber: TO }], faxResolution: "High", coverIndex: 0 }), "request.json");
  fax.append("attachment", new Blob([PDF], { type: "application/pdf" }), "letter.pdf");
  const queued = await (await platform.post("/restapi/v1.0/account/~/extension/~/fax", fax)).json();
  deepEqual([queued.type, queued.messageStatus, queued.faxPageCount], ["Fax", "Queued", 2]);
  await advance(env.RC_SERVER_URL, 60);
  const done = await (await platform.get(`/restapi/v1.0/account/~/extension/~/message-store/${queued.id}`)).json();
  equal(done.messageStatus, "Sent");
  const document = await platform.get(done.attachments[0].uri);
  equal(document.headers.get("content-type"), "application/pdf");
  deepEqual(new Uint8Array(await document.arrayBuffer()), PDF);
  await platform.logout();
});

Deno.test("@rc-ex/core sends an MMS with a PNG and a fax with a PDF, and reads both back byte for byte", async () => {
  await using emu = await startEmulator(["--port", "0", "--quiet"]);
  const env = emu.env;
  const rc = new RingCentralExtensible({
    server: env.RC_SERVER_URL,
    clientId: env.RC_CLIENT_ID,
    clientSecret: env.RC_CLIENT_SECRET,
  });
  await rc.authorize({ jwt: env.RC_JWT });
  const ext = rc.restapi().account().extension();
  const bytes = async (uri: string) =>
    new Uint8Array((await rc.get(uri, undefined, { responseType: "arraybuffer" })).data as ArrayBuffer);

  const mms = await ext.mms().post({
    from: { phoneNumber: FROM },
    to: [{ phoneNumber: TO }],
    text: "A picture",
    attachments: [{ filename: "picture.png", contentType: "image/png", content: PNG }],
  });
  const picture = mms.attachments!.find((a) => a.type === "MmsAttachment")!;
  equal(picture.size, PNG.length);
  deepEqual(await bytes(picture.uri!), PNG);
  const byPath = await ext.messageStore(String(mms.id)).content(String(picture.id)).get(); // the path rc-ex builds
  deepEqual(new Uint8Array(byPath), PNG);

  const fax = await ext.fax().post({
    to: [{ phoneNumber: TO }],
    faxResolution: "Low",
    coverIndex: 1,
    coverPageText: "From @rc-ex/core",
    attachments: [{ filename: "letter.pdf", contentType: "application/pdf", content: PDF }],
  });
  deepEqual([fax.messageStatus, fax.faxPageCount, fax.coverPageText], ["Queued", 3, "From @rc-ex/core"]);
  deepEqual(await bytes(fax.attachments![0].uri!), PDF);
  const covers = await rc.restapi().dictionary().faxCoverPage().get();
  equal(covers.records![1].name, "Ancient");
  await rc.revoke();
});
