/**
 * Sending files: withFiles() builds the body RingCentral expects (the JSON
 * part, then the files with their names and types), rc.post() sends it as
 * multipart with fetch's boundary, and a multipart POST is never sent twice.
 */
import { deepEqual, equal, match, ok, throws } from "node:assert/strict";
import { NetworkError, RingCentral, withFiles } from "../mod.ts";
import { serveEmulator, stats } from "./_helpers.ts";

const MMS = "/restapi/v1.0/account/~/extension/~/mms";
const MESSAGE = { from: { phoneNumber: "+16505550101" }, to: [{ phoneNumber: "+16505550199" }], text: "Hi" };
const DOT = new Uint8Array([137, 80, 78, 71, 13, 10, 26, 10]);

Deno.test("withFiles: request.json first, then each file with its name and type", async () => {
  const form = withFiles(MESSAGE, [
    new File([DOT], "dot.png", { type: "image/png" }),
    { name: "letter.pdf", bytes: new TextEncoder().encode("%PDF-1.4") },
    new Blob(["hello"]),
  ]);
  const entries = [...form.entries()] as [string, File][];
  deepEqual(entries.map(([name, f]) => [name, f.name, f.type]), [
    ["request.json", "request.json", "application/json"],
    ["attachment", "dot.png", "image/png"],
    ["attachment", "letter.pdf", "application/pdf"],
    ["attachment", "attachment-3", "application/octet-stream"],
  ]);
  deepEqual(JSON.parse(await entries[0][1].text()), MESSAGE);
  deepEqual(new Uint8Array(await entries[1][1].arrayBuffer()), DOT);
});

Deno.test("withFiles: bad input says what it wants", () => {
  throws(() => withFiles([] as unknown as Record<string, unknown>, []), /needs the message as an object/);
  throws(() => withFiles(MESSAGE, "a.png" as unknown as []), /needs the files as an array/);
  throws(
    () => withFiles(MESSAGE, [{ name: "a.png", bytes: "no" } as unknown as Blob]),
    /file 1 \(a\.png\) needs its bytes as a Uint8Array/,
  );
  throws(
    () => withFiles(MESSAGE, [{ name: "a.png", bytes: new ArrayBuffer(1) } as unknown as Blob]),
    /wrap the ArrayBuffer, new Uint8Array\(buffer\)/,
  );
  // The classic mistake: a path where the bytes go.
  throws(
    () => withFiles(MESSAGE, ["lib/repl/samples/picture.png" as unknown as Blob]),
    /file 1 is a string \("lib\/repl\/samples\/picture\.png"\), not its bytes: read a file first, such as new File\(\[await Deno\.readFile\(path\)\]/,
  );
  throws(() => withFiles(MESSAGE, [{ bytes: DOT } as unknown as Blob]), /file 1 has no name: give it one/);
  throws(
    () => withFiles(MESSAGE, [7 as unknown as Blob]),
    /file 1 is number: give a File, a Blob or \{ name, bytes \}/,
  );
});

Deno.test("rc.post sends a FormData as multipart/form-data with fetch's boundary, never a JSON type", async () => {
  await using s = serveEmulator();
  const seen: string[] = [];
  const rc = new RingCentral({
    ...s.credentials,
    fetch: (input, init) => {
      const url = String(input instanceof Request ? input.url : input);
      if (url.endsWith("/mms")) seen.push(new Headers(init?.headers).get("content-type") ?? "(none)");
      return fetch(input, init);
    },
  });
  const sent = await (await rc.post(MMS, withFiles(MESSAGE, [{ name: "dot.png", bytes: DOT }]))).json();
  equal(sent.attachments!.length, 2);
  equal(seen.length, 1);
  ok(seen[0] === "(none)" || /^multipart\/form-data; boundary=/.test(seen[0]), `no JSON type set by hand: ${seen[0]}`);
});

Deno.test("a multipart POST whose answer is lost is not sent again; one the server refused (429) is", async (t) => {
  await t.step("a dropped connection after the server took it: one MMS, an error that says check", async () => {
    await using s = serveEmulator({}, { validate: false });
    const rc = new RingCentral({ ...s.credentials, retryDelayMs: 1 });
    await rc.authenticate();
    await fetch(`${s.url}/__emulator/faults`, {
      method: "POST",
      body: JSON.stringify({ path: MMS, drop: "after" }),
    }).then((r) => r.body?.cancel());
    const e = await rc.post(MMS, withFiles(MESSAGE, [{ name: "dot.png", bytes: DOT }])).catch((e) => e);
    ok(e instanceof NetworkError);
    match(e.message, /the outcome is unknown/);
    equal((await stats(s.url)).messages, 1, "carried out once, never twice");
    equal((await stats(s.url)).requests, 2, "the login and one MMS request");
  });
  await t.step("RingCentral's own 503 (it did not carry it out) is sent again: one MMS", async () => {
    await using s = serveEmulator({}, { validate: false });
    const rc = new RingCentral({ ...s.credentials, retryDelayMs: 1 });
    await rc.authenticate();
    await fetch(`${s.url}/__emulator/faults`, {
      method: "POST",
      body: JSON.stringify({ path: MMS, status: 503 }),
    }).then((r) => r.body?.cancel());
    const sent = await (await rc.post(MMS, withFiles(MESSAGE, [{ name: "dot.png", bytes: DOT }]))).json();
    equal(sent.attachments![1].size, DOT.length);
    equal((await stats(s.url)).messages, 1);
    equal((await stats(s.url)).requests, 3, "the login, the refused MMS, the MMS");
  });
  await t.step("a 429 (not carried out) is sent again, whole: the FormData is read anew", async () => {
    await using s = serveEmulator({}, { validate: false });
    const rc = new RingCentral({ ...s.credentials, retryDelayMs: 1 });
    await rc.authenticate();
    await fetch(`${s.url}/__emulator/faults`, {
      method: "POST",
      body: JSON.stringify({ path: MMS, status: 429, retryAfter: 0 }),
    }).then((r) => r.body?.cancel());
    const sent = await (await rc.post(MMS, withFiles(MESSAGE, [{ name: "dot.png", bytes: DOT }]))).json();
    equal(sent.attachments![1].size, DOT.length);
    equal((await stats(s.url)).messages, 1);
  });
});

Deno.test("a JSON body holding a file is refused, naming withFiles(): the file never silently vanishes", async (t) => {
  await using s = serveEmulator();
  const rc = new RingCentral(s.credentials);
  const photo = new File([DOT], "dot.png", { type: "image/png" });
  const cases: [string, Record<string, unknown>, RegExp][] = [
    ["a File in an array", { ...MESSAGE, attachments: [photo] }, /attachments\[0\] is a File \(dot\.png\)/],
    ["a Blob at the top level", { ...MESSAGE, attachment: new Blob([DOT]) }, /attachment is a Blob/],
    [
      "bytes in an object in an array",
      { ...MESSAGE, attachments: [{ bytes: DOT }] },
      /attachments\[0\]\.bytes is binary data \(Uint8Array\)/,
    ],
  ];
  for (const [name, body, where] of cases) {
    await t.step(name, async () => {
      const e = await (rc.post as (p: string, b: unknown) => Promise<Response>)(MMS, body).catch((e) => e);
      ok(e instanceof TypeError, String(e));
      match(e.message, where);
      match(
        e.message,
        /which JSON cannot carry \(it would be sent as \{\} and the file lost\)\. Send files with withFiles\(json, files\): rc\.post\(path, withFiles\(\{ from, to, text \}, \[file\]\)\)$/,
      );
    });
  }
  await t.step("plain JSON still goes, a Date included", async () => {
    const sms = "/restapi/v1.0/account/~/extension/~/sms";
    equal((await rc.post(sms, { ...MESSAGE, when: new Date(0) } as typeof MESSAGE)).status, 200);
  });
  equal((await stats(s.url)).messages, 1, "only the plain SMS was sent");
});
