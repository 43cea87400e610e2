/**
 * The media host: the client sends its token to the media host paired with
 * its server (RingCentral's pairs, an emulator's media origin) and to no
 * other origin; `downloadContent()` saves what a content URI names.
 */
import { deepEqual, equal, match, ok, rejects } from "node:assert/strict";
import { downloadContent, type Exchange, NetworkError, RingCentral, RingCentralError } from "../mod.ts";
import { progressPrinter } from "../lib/media.ts";
import { mediaOriginOf } from "../lib/hosts.ts";
import { createEmulator } from "../lib/emulator/mod.ts";
import { advance, serveEmulator, tempDir } from "./_helpers.ts";

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

/** The names in a folder: what a download left there. */
async function namesIn(dir: string): Promise<string[]> {
  const names: string[] = [];
  for await (const entry of Deno.readDir(dir)) names.push(entry.name);
  return names.sort();
}

Deno.test("downloadContent() streams to a temporary file within its own maxBytes, and leaves nothing when it fails", async (t) => {
  await using s = serveEmulator({ rateLimits: false });
  /** What the test does to the next content answer: drop its length, or break it midway. */
  let mangle: "chunked" | "break once" | undefined;
  let contentFetches = 0;
  const setup = new RingCentral(s.credentials);
  await setup.request("POST", "/__emulator/inbound-call", {
    body: { from: "+14155550123", answerAfterSeconds: 1, durationSeconds: 5, record: true },
  });
  await advance(s.url, 10);
  const log = await (await setup.get("/restapi/v1.0/account/~/extension/~/call-log", { withRecording: true })).json();
  const contentUri: string = log.records[0].recording!.contentUri;
  const rc = new RingCentral({
    ...s.credentials,
    tokenStore: setup.tokenStore, // logged in already: no answer here but the content's
    maxResponseBytes: 100, // far below a recording: a download does not read the body into memory
    retryDelayMs: 1,
    fetch: async (input, init) => {
      const response = await fetch(input, init);
      if (!new URL(String(input)).pathname.endsWith("/content")) return response;
      contentFetches++;
      if (!mangle || !response.body) return response;
      const headers = new Headers(response.headers);
      headers.delete("content-length");
      const broken = mangle === "break once";
      if (broken) mangle = undefined;
      const reader = response.body.getReader();
      let sent = 0;
      const body = new ReadableStream<Uint8Array>({
        async pull(c) {
          const { done, value } = await reader.read();
          if (done) return c.close();
          if (broken) {
            c.enqueue(value.subarray(0, 1000));
            return c.error(new TypeError("connection reset by peer"));
          }
          for (let i = 0; i < value.length; i += 1000) c.enqueue(value.subarray(i, i + 1000)); // many small chunks
          sent += value.length;
        },
        cancel: () => reader.cancel(),
      });
      return new Response(body, { status: response.status, headers });
    },
  });
  await using dir = await tempDir();
  const path = `${dir.path}/call.wav`;
  let size = 0;
  await t.step("larger than the client's maxResponseBytes: written whole, no temporary file left", async () => {
    const saved = await downloadContent(rc, contentUri, path);
    size = saved.bytes;
    ok(size > 100, `${size} bytes`);
    equal((await Deno.stat(path)).size, size);
    deepEqual(await namesIn(dir.path), ["call.wav"]);
  });
  await t.step("over maxBytes by Content-Length: an error that names the limit; the old file stays", async () => {
    await Deno.writeTextFile(`${dir.path}/old.wav`, "the old file");
    const e = await downloadContent(rc, contentUri, `${dir.path}/old.wav`, { maxBytes: 100 }).catch((e) => e);
    ok(e instanceof RingCentralError, String(e));
    match(
      e.message,
      /^GET \/restapi\/v1\.0\/account\/\d+\/recording\/\d+\/content failed: The content is larger than 100 bytes \(the maxBytes limit of downloadContent\(\)\)\. Nothing was written\. If you expect a file this large, raise it/,
    );
    equal(await Deno.readTextFile(`${dir.path}/old.wav`), "the old file");
    deepEqual(await namesIn(dir.path), ["call.wav", "old.wav"], "no partial file");
  });
  await t.step("over maxBytes without a length: stopped as it passes the limit", async () => {
    mangle = "chunked";
    const e = await downloadContent(rc, contentUri, `${dir.path}/chunked.wav`, { maxBytes: 5000 }).catch((e) => e);
    mangle = undefined;
    match(String(e), /larger than 5000 bytes/);
    deepEqual(await namesIn(dir.path), ["call.wav", "old.wav"], "no partial file");
  });
  await t.step("a body that breaks midway is retried from the start: the file is whole", async () => {
    mangle = "break once";
    const before = contentFetches;
    const saved = await downloadContent(rc, contentUri, `${dir.path}/again.wav`);
    equal(contentFetches - before, 2, "the first answer broke; the retry went through");
    equal(saved.bytes, size);
    deepEqual(await Deno.readFile(`${dir.path}/again.wav`), await Deno.readFile(path));
  });
  await t.step("a body that breaks on every try: a NetworkError, and no file", async () => {
    const never = new RingCentral({
      ...s.credentials,
      tokenStore: setup.tokenStore,
      retries: 0,
      fetch: async (input, init) => {
        const response = await fetch(input, init);
        if (!new URL(String(input)).pathname.endsWith("/content")) return response;
        await response.body?.cancel();
        const body = new ReadableStream<Uint8Array>({
          start(c) {
            c.enqueue(new Uint8Array(10));
            c.error(new TypeError("connection reset by peer"));
          },
        });
        return new Response(body, { status: 200, headers: { "content-type": "audio/wav" } });
      },
    });
    const e = await downloadContent(never, contentUri, `${dir.path}/broken.wav`).catch((e) => e);
    ok(e instanceof NetworkError, String(e));
    deepEqual(await namesIn(dir.path), ["again.wav", "call.wav", "old.wav"], "no partial file");
  });
});

Deno.test("the download progress line is written when its text changes, at most every 100 ms", () => {
  let t = 0;
  const written: string[] = [];
  const printer = progressPrinter("call.wav", (text) => written.push(text), () => t);
  const total = 7 * 1024 * 1024;
  for (let received = 0; received <= total; received += 65_536, t += 1) printer.update(received, total); // 113 updates in 113 ms
  printer.end(total, total);
  deepEqual(written, [
    "\r  call.wav: 0.0 of 7.0 MB (0%)",
    "\r  call.wav: 6.3 of 7.0 MB (89%)",
    "\r  call.wav: 7.0 of 7.0 MB (100%)\n",
  ]);
  written.length = 0;
  const slow = progressPrinter("call.wav", (text) => written.push(text), () => t);
  for (let i = 0; i < 5; i++, t += 1000) slow.update(2 * 1024 * 1024, undefined); // a stall: the same text
  slow.end(2 * 1024 * 1024, undefined);
  deepEqual(written, ["\r  call.wav: 2.0 MB", "\n"]);
  written.length = 0;
  const small = progressPrinter("note.txt", (text) => written.push(text), () => t);
  small.update(10, 1000);
  small.end(1000, 1000);
  deepEqual(written, [], "a small download shows nothing");
});
