/**
 * Sending files: {@linkcode withFiles} makes the multipart body RingCentral
 * expects for an MMS or a fax (a JSON part, then one part per file), for
 * `rc.post(path, body)`. The body is a `FormData`: `fetch` writes its
 * boundary and `Content-Type`, and the client never sends a POST twice
 * unless the server said it did not carry it out (a 429, a refused
 * connection).
 * @module
 */
import { atCaller, usageError } from "./errors.ts";

/**
 * A file to send: a `File` (its name and type go with it), a `Blob`, or
 * bytes with a name and a media type.
 *
 * @example Three ways to give a file
 * ```ts
 * import type { FileLike } from "../mod.ts";
 * const files: FileLike[] = [
 *   new File(["%PDF-1.4 …"], "letter.pdf", { type: "application/pdf" }),
 *   new Blob(["Hello"], { type: "text/plain" }),
 *   { name: "dot.png", type: "image/png", bytes: new Uint8Array([137, 80, 78, 71]) },
 * ];
 * void files;
 * ```
 */
export type FileLike = Blob | { name: string; type?: string; bytes: Uint8Array };

/** Media types by file extension, for files given without one. */
const TYPES: Record<string, string> = {
  png: "image/png",
  jpg: "image/jpeg",
  jpeg: "image/jpeg",
  gif: "image/gif",
  bmp: "image/bmp",
  tif: "image/tiff",
  tiff: "image/tiff",
  webp: "image/webp",
  svg: "image/svg+xml",
  pdf: "application/pdf",
  txt: "text/plain",
  rtf: "application/rtf",
  doc: "application/msword",
  docx: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
  html: "text/html",
  vcf: "text/vcard",
  mp3: "audio/mpeg",
  wav: "audio/wav",
  mp4: "video/mp4",
  zip: "application/zip",
};

/**
 * The media type of a file, from its name's extension (`application/octet-stream` when unknown).
 *
 * @example
 * ```ts
 * import { contentTypeOf } from "./multipart.ts";
 * import { equal } from "node:assert/strict";
 * equal(contentTypeOf("photo.PNG"), "image/png");
 * equal(contentTypeOf("letter.pdf"), "application/pdf");
 * equal(contentTypeOf("data.bin"), "application/octet-stream");
 * ```
 */
export function contentTypeOf(name: string): string {
  return TYPES[/\.([a-z0-9]+)$/i.exec(name)?.[1].toLowerCase() ?? ""] ?? "application/octet-stream";
}

/**
 * A multipart body of `json` and `files`, as RingCentral takes an MMS
 * (`…/mms`) or a fax (`…/fax`): first a part named `request.json` of type
 * `application/json`, then each file as an `attachment` part with its name
 * and media type (from the file, else from its name's extension). Pass it
 * to `rc.post()`; do not set `Content-Type` yourself (`fetch` writes it,
 * with the boundary). To send a file from disk, read it first:
 * `new File([await Deno.readFile(path)], name, { type })`.
 *
 * @example Send an MMS with a picture to the emulator
 * ```ts
 * import { RingCentral, withFiles } from "../mod.ts";
 * import { createEmulator } from "./emulator/mod.ts";
 * import { equal } from "node:assert/strict";
 * const emulator = createEmulator();
 * const rc = new RingCentral({ ...emulator.credentials, fetch: emulator.fetch });
 * const dot = { name: "dot.png", type: "image/png", bytes: new Uint8Array([137, 80, 78, 71, 13, 10, 26, 10]) };
 * const sent = await (await rc.post("/restapi/v1.0/account/~/extension/~/mms", withFiles({
 *   from: { phoneNumber: "+16505550101" },
 *   to: [{ phoneNumber: "+16505550199" }],
 *   text: "A picture",
 * }, [dot]))).json();
 * const picture = sent.attachments!.find((a) => a.type === "MmsAttachment")!;
 * equal(picture.contentType, "image/png");
 * equal(picture.size, 8);
 * ```
 */
export function withFiles(json: Record<string, unknown>, files: FileLike[]): FormData {
  try {
    return multipart(json, files);
  } catch (e) {
    throw atCaller(e, withFiles); // a mistake shows from the caller's line, with no frame of this file
  }
}

function multipart(json: Record<string, unknown>, files: FileLike[]): FormData {
  if (!json || typeof json !== "object" || Array.isArray(json)) {
    throw usageError("withFiles(json, files) needs the message as an object, such as { to: [{ phoneNumber }] }");
  }
  if (!Array.isArray(files)) {
    throw usageError('withFiles(json, files) needs the files as an array, such as [new File([bytes], "a.png")]');
  }
  const form = new FormData();
  form.append("request.json", new Blob([JSON.stringify(json)], { type: "application/json" }), "request.json");
  files.forEach((file, i) => {
    if (file instanceof Blob) {
      const name = file instanceof File && file.name ? file.name : `attachment-${i + 1}`;
      const typed = file.type ? file : new Blob([file], { type: contentTypeOf(name) });
      form.append("attachment", typed, name);
      return;
    }
    const which = `withFiles(): file ${i + 1}`;
    if (typeof file === "string") {
      throw usageError(
        `${which} is a string (${JSON.stringify(file).slice(0, 60)}), not its bytes: read a file first, ` +
          `such as new File([await Deno.readFile(path)], "picture.png")`,
      );
    }
    if (!file || typeof file !== "object") {
      throw usageError(`${which} is ${file === null ? "null" : typeof file}: give a File, a Blob or { name, bytes }`);
    }
    if (typeof file.name !== "string" || !file.name) {
      throw usageError(`${which} has no name: give it one, such as { name: "picture.png", bytes }`);
    }
    if (!(file.bytes instanceof Uint8Array)) {
      throw usageError(
        `${which} (${file.name}) needs its bytes as a Uint8Array` +
          ((file.bytes as unknown) instanceof ArrayBuffer ? ": wrap the ArrayBuffer, new Uint8Array(buffer)" : ""),
      );
    }
    const bytes = new Uint8Array(file.bytes); // a copy with its own ArrayBuffer, as Blob wants
    form.append("attachment", new Blob([bytes], { type: file.type || contentTypeOf(file.name) }), file.name);
  });
  return form;
}
