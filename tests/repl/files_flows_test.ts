/**
 * The playground's "Send an MMS or fax" flow through the injected prompt
 * interface, on the built-in emulator: an MMS with the sample picture
 * followed until delivered and its picture downloaded byte for byte; a fax
 * of the sample letter with a cover page, sent on the emulator's clock; an
 * inbound fax downloaded. Each flow is recorded as a script that replays
 * with `--check`, and says how it carries its files.
 */
import { deepEqual, equal, match, ok } from "node:assert/strict";
import { curlFromSteps } from "../../lib/repl/curl.ts";
import { SAMPLES } from "../../lib/repl/flows/files.ts";
import { INLINE_FILE_BYTES } from "../../lib/repl/playground.ts";
import { login, ROOT, serveEmulator, tempDir } from "../_helpers.ts";
import { recordings, replays, replSession } from "./_repl.ts";

Deno.test("playground: an MMS with the sample picture, followed until delivered, its picture downloaded", async () => {
  await using dir = await tempDir();
  const saved = `${dir.path}/back.png`;
  const { out, run, prompter } = await replSession([
    "files",
    "mms",
    "+16505550101",
    "+14155550123",
    "Look at this",
    "path",
    `${dir.path}/missing.png`, // refused: no such file
    SAMPLES.picture.pathname,
    "done",
    true,
    "skip", // the emulator's clock 10 s on: delivered
    "download",
    saved,
    "done",
    "quit",
  ], { dir: dir.path });
  await run();
  equal(prompter.remaining, 0);
  match(prompter.rejected.join("\n"), /No file at .*missing\.png: check the path/);
  match(out.text, /The upload: multipart\/form-data, 2 parts/);
  match(out.text, /1\. request\.json {2}application\/json/);
  match(out.text, /2\. picture\.png {2}image\/png {2}6\.0 KB/);
  match(out.text, /✓ Sent: message \d+, Queued/);
  match(out.text, /Queued → Delivered/);
  match(out.text, /✓ Saved .*back\.png\n\s+\d+ bytes of image\/png from http:\/\/media\.emulator\.local/);
  deepEqual(await Deno.readFile(saved), await Deno.readFile(SAMPLES.picture));
  const [file] = recordings(dir.path).filter((f) => f.includes("send-an-mms-or-fax"));
  const script = await Deno.readTextFile(file);
  match(script, /import \{ RingCentral, withFiles \} from/);
  match(script, /picture\.png \(image\/png, \d+ bytes\) is read from its path, .*picture\.png, as the session sent it/);
  match(script, /--allow-read=.*lib\/repl\/samples\/picture\.png/);
  match(script, /rc\.post\(\s*"\/restapi\/v1\.0\/account\/~\/extension\/~\/mms",\s*withFiles\(/);
  match(script, /built-in emulator \(offline; replays need no credentials, and only the files they send\)/);
  const curl = await Deno.readTextFile(file.replace(/\.ts$/, ".curl.sh"));
  match(curl, /-F 'attachment=@.*picture\.png;type=image\/png'/);
  await replays(file);
});

Deno.test("playground: a fax of the sample letter with a cover page, on the emulator's clock; a fax arrives", async () => {
  await using dir = await tempDir();
  await Deno.writeTextFile(`${dir.path}/in.pdf`, "mine, kept");
  const { out, run, prompter, emulator } = await replSession([
    "files",
    "fax",
    "+14155550123",
    "High",
    "Confidential (6)",
    "For your eyes",
    "letter",
    "done",
    true,
    "skip",
    "done",
    "files",
    "receive",
    "fax",
    `${dir.path}/in.pdf`, // exists: not replaced unless the user says so
    false,
    `${dir.path}/faxes/in.pdf`, // a folder that does not exist yet is made
    "quit",
  ], { dir: dir.path });
  await run();
  equal(prompter.remaining, 0);
  match(out.text, /2\. letter\.pdf {2}application\/pdf/);
  match(out.text, /✓ Sent: message \d+, Queued, 3 page\(s\) with the cover page/);
  match(out.text, /Queued → Sent/);
  match(out.text, /✓ Sent: the fax went out, 3 page\(s\)\./);
  const fax = emulator!.state.messages.find((m) => m.type === "Fax" && m.direction === "Outbound")!;
  deepEqual([fax.fax?.coverIndex, fax.fax?.coverPageText, fax.fax?.resolution], [6, "For your eyes", "High"]);
  match(out.text, /✓ A fax from \+14155550123 arrived at \+16505550190/);
  ok(prompter.asked.includes(`${dir.path}/in.pdf exists: replace it?`));
  equal(await Deno.readTextFile(`${dir.path}/in.pdf`), "mine, kept");
  match(new TextDecoder().decode(await Deno.readFile(`${dir.path}/faxes/in.pdf`)), /^%PDF-1\.4[\s\S]*\/Count 2/);
  const files = recordings(dir.path).filter((f) => f.includes("send-an-mms-or-fax"));
  equal(files.length, 2);
  // The letter is small (at most INLINE_FILE_BYTES): the recording carries it inline, so its replay reads no file.
  const letter = await Deno.readFile(SAMPLES.letter);
  ok(letter.length <= INLINE_FILE_BYTES, `the sample letter is ${letter.length} bytes`);
  const scripts = await Promise.all(files.map((f) => Deno.readTextFile(f)));
  const sent = scripts.find((s) => s.includes("withFiles("));
  ok(sent, "the fax sent is recorded with withFiles()");
  match(
    sent,
    new RegExp(`letter\\.pdf \\(application/pdf, ${letter.length} bytes\\) is carried inline, in base64: it is small`),
  );
  const inline = /Uint8Array\.fromBase64\(\s*"([A-Za-z0-9+/=]+)",?\s*\)/.exec(sent)?.[1];
  ok(inline, "the letter's bytes are in the script");
  deepEqual(Uint8Array.fromBase64(inline), letter, "byte for byte");
  ok(!sent.includes(SAMPLES.letter.pathname), "the script does not read the letter from its path");
  for (const file of files) await replays(file);
});

Deno.test("playground: an MMS flow's .curl.sh runs in bash as written: the JSON part whole (a ';' in it), the download saved", async () => {
  await using s = serveEmulator({ rateLimits: false });
  await using dir = await tempDir();
  const saved = `${dir.path}/back.png`;
  const { run } = await replSession([
    "files",
    "mms",
    "+16505550101",
    "+14155550123",
    "See you; bye",
    "picture",
    "done",
    true,
    "skip",
    "download",
    saved,
    "done",
    "quit",
  ], { dir: dir.path, env: s.env });
  await run();
  const [file] = recordings(dir.path).filter((f) => f.includes("send-an-mms-or-fax"));
  const curl = await Deno.readTextFile(file.replace(/\.ts$/, ".curl.sh"));
  // What the header and the comments ask the reader to set, set as they say.
  // On the project's emulator, the token comes first: deno task token finds the emulator with RC_SERVER_URL unset.
  match(
    curlFromSteps([], { builtInEmulator: true, server: "http://127.0.0.1:8787" }),
    /export RC_ACCESS_TOKEN=\$\(deno task token\)\n#\s+export RC_SERVER_URL=/,
  );
  const sent = s.emulator.state.messages.findLast((m) => m.direction === "Outbound")!;
  const vars: Record<string, string> = { RC_SERVER_URL: s.url, RC_ACCESS_TOKEN: await login(s.url, s.credentials.jwt) };
  for (const [, name] of curl.matchAll(/# then: (R\d+_ID)=/g)) vars[name] = String(sent.id);
  for (const [, name, field] of curl.matchAll(/# first: (R\d+_\w+)=<the "([^"]+)" of answer \d+>/g)) {
    const record = (await (await fetch(`${s.url}/restapi/v1.0/account/~/extension/~/message-store/${sent.id}`, {
      headers: { Authorization: `Bearer ${vars.RC_ACCESS_TOKEN}` },
    })).json()) as { attachments: { uri: string }[] };
    const index = Number(/attachments\[(\d+)\]\.uri/.exec(field)![1]);
    vars[name] = record.attachments[index].uri;
  }
  ok(Object.keys(vars).some((k) => /^R\d+_ATTACHMENTS_\d+_URI$/.test(k)), curl);
  await Deno.remove(saved);
  const before = s.emulator.state.messages.length;
  const r = await new Deno.Command("bash", {
    args: ["-c", curl],
    cwd: ROOT,
    env: vars,
    stdout: "piped",
    stderr: "piped",
  })
    .output();
  equal(r.code, 0, new TextDecoder().decode(r.stderr));
  const again = s.emulator.state.messages.slice(before).find((m) => m.direction === "Outbound")!;
  ok(again, "curl sent the MMS again");
  equal(again.text, "See you; bye");
  equal(again.attachments.length, 1);
  deepEqual(
    await Deno.readFile(saved),
    await Deno.readFile(SAMPLES.picture),
    "curl saved the picture where the flow did",
  );
});
