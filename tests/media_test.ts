/**
 * The media host: the client sends its token to the media host paired with
 * its server (RingCentral's pairs, an emulator's media origin) and to no
 * other origin; `downloadContent()` saves what a content URI names.
 */
import { deepEqual, equal, match, ok, rejects } from "node:assert/strict";
import { downloadContent, type Exchange, RingCentral } from "../mod.ts";
import { mediaOriginOf } from "../lib/hosts.ts";
import { createEmulator } from "../lib/emulator/mod.ts";
import { tempDir } from "./_helpers.ts";

Deno.test("mediaOriginOf(): RingCentral's pairs, an emulator's next port or media. name, nothing for others", () => {
  equal(mediaOriginOf("https://platform.ringcentral.com"), "https://media.ringcentral.com");
  equal(mediaOriginOf("https://platform.devtest.ringcentral.com/"), "https://media.devtest.ringcentral.com");
  equal(mediaOriginOf("https://ringcentral.com"), undefined);
  equal(mediaOriginOf("http://127.0.0.1:8787"), undefined); // not an emulator: no guess
  equal(mediaOriginOf("http://127.0.0.1:8787", { emulator: true }), "http://127.0.0.1:8788");
  equal(mediaOriginOf("http://localhost:41000", { emulator: true }), "http://localhost:41001");
  equal(mediaOriginOf("http://192.168.1.20:8787", { emulator: true }), "http://192.168.1.20:8788");
  equal(mediaOriginOf("http://emulator.local", { emulator: true }), "http://media.emulator.local");
  equal(mediaOriginOf("https://api.example.com", { emulator: false }), undefined);
});

/** A client of "production" whose requests an emulator answers, every request's URL and token noted. */
function productionClient() {
  const emulator = createEmulator({ server: "https://platform.ringcentral.com" });
  const sent: { url: string; authorization: string | null }[] = [];
  const exchanges: Exchange[] = [];
  const rc = new RingCentral({
    ...emulator.credentials,
    fetch: (input, init) => {
      const request = new Request(input, init);
      sent.push({ url: request.url, authorization: request.headers.get("authorization") });
      return emulator.fetch(request);
    },
    onExchange: (x) => exchanges.push(x),
  });
  return { emulator, rc, sent, exchanges };
}

/** A recorded call's contentUri, as the call log gives it. */
async function recordedCall(rc: RingCentral, emulator: ReturnType<typeof createEmulator>): Promise<string> {
  await rc.request("POST", "/__emulator/inbound-call", {
    body: { from: "+14155550123", answerAfterSeconds: 1, durationSeconds: 5, record: true },
  });
  emulator.advance(10);
  const log = await (await rc.get("/restapi/v1.0/account/~/extension/~/call-log", { withRecording: true })).json();
  return log.records[0].recording!.contentUri;
}

Deno.test("the token goes to the paired media host, and never to another origin", async () => {
  const { emulator, rc, sent, exchanges } = productionClient();
  equal(rc.target, "production");
  equal(rc.mediaServer, "https://media.ringcentral.com");
  const contentUri = await recordedCall(rc, emulator);
  match(contentUri, /^https:\/\/media\.ringcentral\.com\/restapi\/v1\.0\/account\/\d+\/recording\/\d+\/content$/);
  const before = sent.length;
  const response = await rc.get(contentUri);
  equal(response.headers.get("content-type"), "audio/wav");
  equal(sent.length, before + 1);
  equal(new URL(sent.at(-1)!.url).origin, "https://media.ringcentral.com");
  match(sent.at(-1)!.authorization!, /^Bearer /);
  // A recording's bytes are not text: the exchange says what they are, it does not print them.
  match(exchanges.at(-1)!.responseBody, /^\[\d+ bytes of audio\/wav\]$/);
  for (
    const elsewhere of [
      "https://media.evil.example/x",
      "http://media.ringcentral.com/x",
      "https://media2.ringcentral.com/x",
    ]
  ) {
    await rejects(rc.get(elsewhere), (e: Error) => {
      match(
        e.message,
        /^Refusing to send credentials to .*: the client is for https:\/\/platform\.ringcentral\.com and its media host https:\/\/media\.ringcentral\.com$/,
      );
      return true;
    });
  }
  equal(sent.length, before + 1, "nothing was sent to another origin");
});

Deno.test("downloadContent(): to a file, with progress; nothing written when it fails", async () => {
  const { emulator, rc } = productionClient();
  const contentUri = await recordedCall(rc, emulator);
  await using dir = await tempDir();
  const progress: [number, number | undefined][] = [];
  const saved = await downloadContent(rc, contentUri, `${dir.path}/call.wav`, {
    onProgress: (received, total) => progress.push([received, total]),
  });
  equal(saved.contentType, "audio/wav");
  equal((await Deno.stat(`${dir.path}/call.wav`)).size, saved.bytes);
  deepEqual(progress.at(-1), [saved.bytes, saved.bytes]);
  ok(progress.every(([received], i) => i === 0 || received >= progress[i - 1][0]));
  // A relative path works too (as SDKs that build it send it to the server).
  const relative = new URL(contentUri).pathname;
  equal((await downloadContent(rc, relative, `${dir.path}/again.wav`)).bytes, saved.bytes);
  const missing = contentUri.replace(/recording\/\d+/, "recording/1");
  await rejects(downloadContent(rc, missing, `${dir.path}/none.wav`), /404 CMN-102/);
  await rejects(Deno.stat(`${dir.path}/none.wav`), Deno.errors.NotFound);
  await rejects(downloadContent(rc, contentUri, ""), /needs the path of the file to write/);
  await rejects(
    downloadContent(rc, contentUri, `${dir.path}/no/such/folder/call.wav`),
    /cannot write .*call\.wav: its folder does not exist: make it first/,
  );
  await rejects(downloadContent(rc, contentUri, dir.path), /cannot write .*: it is a folder/);
});
