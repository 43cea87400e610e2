/**
 * Send an MMS or fax: pick files (the bundled samples, or a path), see the
 * upload part by part, send it, follow the message until its final status
 * (on an emulator, its clock can be moved on), and download its files; on
 * an emulator, make a fax or an MMS arrive and download what came.
 * @module
 */
import { downloadContent } from "../../media.ts";
import { askSavePath } from "./_save_as.ts";
import { contentTypeOf } from "../../multipart.ts";
import { followMessage, isFinalStatus } from "../../follow.ts";
import { Cancelled } from "../prompt.ts";
import { recordAnswer } from "../recorder.ts";
import type { Playground } from "../playground.ts";
import type { Step } from "../_steps.ts";
import { skipAhead } from "./_call_watch.ts";
import { checkRecipient, checkText } from "./sms.ts";

const ME = "/restapi/v1.0/account/~/extension/~";
/** RingCentral's limit for an MMS's files, all together. */
const MMS_BYTES = 1_500_000;
/** The most a fax's files may weigh here (the emulator reads at most 10 MB a request). */
const FAX_BYTES = 9_000_000;

/** The bundled sample files. */
export const SAMPLES = {
  picture: new URL("../samples/picture.png", import.meta.url),
  letter: new URL("../samples/letter.pdf", import.meta.url),
};

/** A file picked to send. */
interface Picked {
  name: string;
  type: string;
  bytes: Uint8Array;
  path: string;
}

/** An attachment of a message record. */
interface Attachment {
  id: number;
  uri: string;
  type: string;
  contentType: string;
  size?: number;
  fileName?: string;
}

/** A message record, as far as this flow reads it. */
interface Message {
  id: number;
  type: string;
  messageStatus: string;
  faxPageCount?: number;
  attachments?: Attachment[];
  to?: { faxErrorCode?: string }[];
  deliveryErrorCode?: string;
}

/** A path as the user would type it from here: relative to the current folder when inside it. */
function shown(path: string): string {
  const cwd = Deno.cwd();
  return path.startsWith(`${cwd}/`) ? path.slice(cwd.length + 1) : path;
}

/** Bytes in a few characters, in RingCentral's decimal units (its MMS limit is 1.5 MB, 1,500,000 bytes). */
function size(bytes: number): string {
  return bytes < 1000
    ? `${bytes} bytes`
    : bytes < 1000 * 1000
    ? `${(bytes / 1000).toFixed(1)} KB`
    : `${(bytes / 1000 / 1000).toFixed(1)} MB`;
}

/** `true`, or what is wrong with a path to send. */
function checkFilePath(value: string, limit: number): true | string {
  const path = value.trim();
  if (!path) return "Enter the path of a file, such as photo.png or ./letter.pdf";
  let info: Deno.FileInfo;
  try {
    info = Deno.statSync(path);
  } catch (e) {
    return e instanceof Deno.errors.NotFound
      ? `No file at ${path}: check the path (it is relative to ${Deno.cwd()})`
      : `Cannot read ${path}: ${(e as Error).message}`;
  }
  if (!info.isFile) return `${path} is not a file`;
  if (info.size > limit) return `${path} is ${size(info.size)}; at most ${size(limit)} can be sent here`;
  return true;
}

/** Asks for the files: a sample or a path, one or more. */
async function pickFiles(s: Playground, kind: "mms" | "fax"): Promise<Picked[]> {
  const limit = kind === "mms" ? MMS_BYTES : FAX_BYTES;
  const picked: Picked[] = [];
  for (;;) {
    const left = limit - picked.reduce((n, f) => n + f.bytes.length, 0);
    const which = await s.prompter.select(picked.length ? "Attach another file?" : "Attach which file?", [
      ...(picked.length ? [{ name: "No, that is all", value: "done" }] : []),
      { name: `The sample picture (${shown(SAMPLES.picture.pathname)})`, value: "picture" },
      { name: `The sample letter, a 2-page PDF (${shown(SAMPLES.letter.pathname)})`, value: "letter" },
      { name: "A file of yours (type its path)", value: "path" },
      ...(picked.length ? [] : [{ name: "Back", value: "" }]),
    ]);
    if (!which) throw new Cancelled(true);
    if (which === "done") return picked;
    const path = which === "path"
      ? (await s.prompter.input("Path of the file", { validate: (v) => checkFilePath(v, left) })).trim()
      : SAMPLES[which as keyof typeof SAMPLES].pathname;
    const bytes = await Deno.readFile(path);
    if (bytes.length > left) {
      s.out.print(`  ${shown(path)} is ${size(bytes.length)}: too much with the others (${size(left)} left).`);
      continue;
    }
    const name = path.split(/[\\/]/).at(-1)!;
    picked.push({ name, type: contentTypeOf(name), bytes, path: shown(path) });
    s.out.print(`  + ${name}: ${contentTypeOf(name)}, ${size(bytes.length)}`);
  }
}

/** The upload, part by part, as it goes on the wire. */
function showUpload(s: Playground, json: unknown, files: Picked[]): void {
  const jsonBytes = new TextEncoder().encode(JSON.stringify(json)).length;
  s.out.print(`  The upload: multipart/form-data, ${files.length + 1} parts (fetch writes the boundary):`);
  s.out.print(`    1. request.json  application/json  ${size(jsonBytes)}`);
  const text = JSON.stringify(json);
  s.out.print(`       ${text.length > 70 ? `${text.slice(0, 69)}…` : text}`);
  files.forEach((f, i) => s.out.print(`    ${i + 2}. ${f.name}  ${f.type}  ${size(f.bytes.length)}`));
}

/** Runs the flow. */
export async function sendFiles(s: Playground): Promise<void> {
  const emulator = s.rc.target === "emulator";
  const what = await s.prompter.select("Send what?", [
    { name: "An MMS: a picture (and text) to a mobile number", value: "mms" },
    { name: "A fax: documents to a fax number, with a cover page", value: "fax" },
    ...(emulator ? [{ name: "Receive one: the emulator makes a fax or an MMS arrive", value: "receive" }] : []),
    { name: "Back", value: "" },
  ]);
  if (!what) throw new Cancelled(true);
  if (what === "receive") return await receive(s);
  const sent = what === "mms" ? await sendMms(s) : await sendFax(s);
  if (sent) await afterSending(s, sent);
}

/** A message as sent, and the step that sent it (a later step's path refers to its id). */
interface Sent {
  message: Message;
  step: Step;
}

/** Asks for an MMS, shows and sends it; `undefined` when the user does not send it. */
async function sendMms(s: Playground): Promise<Sent | undefined> {
  const numbers = await s.call("Your phone numbers", "GET", `${ME}/phone-number`, { query: { perPage: 1000 } });
  const senders = (numbers.body.records as { phoneNumber: string; usageType: string; features?: string[] }[])
    .filter((n) => n.features?.includes("MmsSender"));
  if (!senders.length) {
    s.out.print("  None of your numbers can send MMS (no number has the MmsSender feature).");
    return undefined;
  }
  const from = await s.prompter.select("From", [
    ...senders.map((n) => ({ name: `${n.phoneNumber}  ${n.usageType}`, value: n.phoneNumber })),
    { name: "Back", value: "" },
  ]);
  if (!from) throw new Cancelled(true);
  const to = (await s.prompter.input("To (E.164, such as +16505550123)", { validate: checkRecipient })).trim();
  const text = await s.prompter.input("Text (may be empty)", {
    validate: (v) => v === "" || checkText(v),
    hint: (v) => `(${v.length}/1000)`,
  });
  const files = await pickFiles(s, "mms");
  const json = { from: { phoneNumber: from }, to: [{ phoneNumber: to }], ...(text ? { text } : {}) };
  return await confirmAndSend(s, "MMS", `${ME}/mms`, json, files, `to ${to}`);
}

/** Asks for a fax, shows and sends it. */
async function sendFax(s: Playground): Promise<Sent | undefined> {
  const to = (await s.prompter.input("Fax to (E.164, such as +16505550123)", { validate: checkRecipient })).trim();
  const faxResolution = await s.prompter.select("Resolution", [
    { name: "Low (faster, the default)", value: "Low" },
    { name: "High", value: "High" },
  ]);
  const covers = await s.call("The cover pages", "GET", "/restapi/v1.0/dictionary/fax-cover-page");
  const coverIndex = Number(
    await s.prompter.select(
      "Cover page",
      (covers.body.records as { id: string; name: string }[]).map((c) => ({
        name: c.id === "0" ? "None" : `${c.name} (${c.id})`,
        value: c.id,
      })),
    ),
  );
  const coverPageText = coverIndex
    ? await s.prompter.input("Cover page text (may be empty)", {
      validate: (v) => v.length <= 1024 || `The text is ${v.length} characters; a cover page takes 1024`,
    })
    : "";
  const files = await pickFiles(s, "fax");
  const json = { to: [{ phoneNumber: to }], faxResolution, coverIndex, ...(coverPageText ? { coverPageText } : {}) };
  return await confirmAndSend(s, "fax", `${ME}/fax`, json, files, `to ${to}`);
}

/** Shows the upload, asks, sends; the message as sent. */
async function confirmAndSend(
  s: Playground,
  what: string,
  path: string,
  json: Record<string, unknown>,
  files: Picked[],
  where: string,
): Promise<Sent | undefined> {
  showUpload(s, json, files);
  const real = s.rc.target === "production";
  const question = real
    ? `This sends a REAL ${what} ${where} on your production account. Send it?`
    : `Send the ${what} ${where}?`;
  if (!(await s.prompter.confirm(question, { default: !real }))) {
    s.out.print("  Not sent.");
    return undefined;
  }
  const sent = await s.call(`Send the ${what}`, "POST", path, { body: json, files });
  const message = sent.body as Message;
  s.out.print(
    `  ✓ Sent: message ${message.id}, ${message.messageStatus}${
      message.faxPageCount
        ? `, ${message.faxPageCount} page(s)${
          (json as { coverIndex?: number }).coverIndex ? " with the cover page" : ""
        }`
        : ""
    }`,
  );
  return { message, step: sent.step };
}

/** Follows the message, then offers what comes next until Done. */
async function afterSending(s: Playground, { message: sent, step }: Sent): Promise<void> {
  const at = `${ME}/message-store/${sent.id}`;
  let last: Message = sent;
  let lastStep = step; // the step whose answer is `last`: a download takes the file's URI from it
  const follow = async () => {
    try {
      last = (await s.waitFor(`Following message ${sent.id} (Ctrl-C stops following)`, (signal) =>
        followMessage<Message>(async (signal) =>
          await (await s.rc.get(at, undefined, { signal })).json(), {
          pollMs: s.pollMs,
          signal,
          onChange: (message, previous) =>
            s.out.print(`    ${previous} → ${message.messageStatus}`),
        }))).message;
    } catch (e) {
      if (!(e instanceof Cancelled)) throw e;
      s.out.print(`  Stopped following; it was ${last.messageStatus}.`);
    }
    lastStep = s.record({
      kind: "follow",
      label: `Follow the ${sent.type === "Fax" ? "fax" : "MMS"} until it is ${
        sent.type === "Fax" ? "sent" : "delivered"
      } or fails`,
      path: { before: `${ME}/message-store/`, step, field: "id" },
      result: recordAnswer(200, last),
    });
    if (isFinalStatus(last.messageStatus, last.type)) s.out.print(`  ${finalLine(last)}`);
  };
  const emulator = s.rc.target === "emulator";
  const faxSeconds = 10 + (sent.faxPageCount ?? 1) * 10;
  for (;;) {
    const final = isFinalStatus(last.messageStatus, last.type);
    const action = await s.prompter.select(`Message ${sent.id}: ${last.messageStatus}`, [
      ...(final ? [] : [{ name: "Follow it live until its final status", value: "follow" }]),
      ...(!final && emulator
        ? [{
          name: `Move the emulator's clock ${sent.type === "Fax" ? faxSeconds : 10} s on, then read it`,
          value: "skip",
        }]
        : []),
      { name: "Download its files", value: "download" },
      { name: "Done", value: "done" },
    ]);
    if (action === "done") return;
    if (action === "follow") await follow();
    else if (action === "skip") {
      await skipAhead(s, sent.type === "Fax" ? faxSeconds : 10);
      const read = await s.call("Read the message", "GET", at);
      if (read.body.messageStatus !== last.messageStatus) {
        s.out.print(`    ${last.messageStatus} → ${read.body.messageStatus}`);
      }
      last = read.body as Message;
      lastStep = read.step;
      if (isFinalStatus(last.messageStatus, last.type)) s.out.print(`  ${finalLine(last)}`);
    } else await downloadFiles(s, last, lastStep);
  }
}

/** What a final status means, in a line. */
function finalLine(m: Message): string {
  if (m.messageStatus === "Delivered") return "✓ Delivered.";
  if (m.messageStatus === "Sent") {
    return `✓ Sent: the fax went out${m.faxPageCount ? `, ${m.faxPageCount} page(s)` : ""}.`;
  }
  if (m.messageStatus === "Received") return "✓ Received.";
  const code = m.to?.[0]?.faxErrorCode ?? m.deliveryErrorCode;
  return `✗ ${m.messageStatus}${code ? ` (${code})` : ""}: it did not go through.`;
}

/**
 * Downloads the files of a message (its text aside), each to a file the user names; `source` is the step whose
 * answer is `m`: a recording takes each file's URI from that answer, so that its replay downloads its own.
 */
async function downloadFiles(s: Playground, m: Message, source: Step): Promise<void> {
  const all = m.attachments ?? [];
  const files = all.filter((a) => a.type !== "Text");
  if (!files.length) {
    s.out.print("  It has no file to download.");
    return;
  }
  for (const a of files) {
    const extension = /\/(png|jpeg|gif|pdf|plain|tiff)/.exec(a.contentType)?.[1]?.replace("plain", "txt")
      .replace("jpeg", "jpg") ?? "bin";
    const path = await askSavePath(
      s,
      `Save ${a.fileName ?? `attachment ${a.id}`} (${a.contentType}) as`,
      `${m.type === "Fax" ? "fax" : "mms"}-${m.id}-${a.id}.${extension}`,
    );
    const saved = await s.waitFor(
      `Downloading attachment ${a.id}`,
      (signal) => downloadContent(s.rc, a.uri, path, { signal }),
    );
    s.record({
      kind: "request",
      label: `Download ${a.fileName ?? `attachment ${a.id}`}`,
      method: "GET",
      path: { before: "", step: source, field: `attachments[${all.indexOf(a)}].uri` },
      result: recordAnswer(200, undefined),
      notes: [`The playground saved it as ${path} (downloadContent() does that in a script).`],
      saveAs: path,
    });
    s.out.print(`  ✓ Saved ${path}`);
    s.out.print(`    ${saved.bytes} bytes of ${saved.contentType} from ${new URL(a.uri).origin}.`);
  }
}

/** On an emulator: a fax or an MMS arrives (the control API), then its files are downloaded. */
async function receive(s: Playground): Promise<void> {
  const kind = await s.prompter.select("What arrives?", [
    { name: "A fax of 2 pages (POST /__emulator/inbound-fax)", value: "fax" },
    { name: "An MMS with the sample picture (inbound-sms with attachments)", value: "mms" },
  ]);
  const from = "+14155550123";
  const made = kind === "fax"
    ? await s.call("A fax arrives", "POST", "/__emulator/inbound-fax", { body: { from, pages: 2 } })
    : await s.call("An MMS arrives", "POST", "/__emulator/inbound-sms", {
      body: {
        from,
        text: "A picture for you",
        attachments: [{
          contentType: "image/png",
          fileName: "picture.png",
          base64: (await Deno.readFile(SAMPLES.picture)).toBase64(),
        }],
      },
    });
  s.out.print(
    `  ✓ ${kind === "fax" ? "A fax" : "An MMS"} from ${from} arrived at ${made.body.to}: message ${made.body.id}.`,
  );
  const read = await s.call("Read it from the message store", "GET", `${ME}/message-store/${made.body.id}`);
  const m = read.body as Message;
  for (const a of m.attachments ?? []) {
    s.out.print(`    ${a.type}  ${a.contentType}${a.size === undefined ? "" : `  ${a.size} bytes`}`);
  }
  await downloadFiles(s, m, read.step);
}
