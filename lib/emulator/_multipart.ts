/**
 * Multipart bodies (`multipart/form-data`, `multipart/mixed`) split into
 * parts, for MMS and SMS with attachments.
 * @module
 */

/** One part of a multipart body. */
export interface Part {
  /**
   * Its headers, by lower-case name, as sent (UTF-8 text: a file name need
   * not be Latin-1, so these are not a `Headers`, which would refuse it).
   */
  headers: Record<string, string>;
  /** Its bytes. */
  body: Uint8Array;
}

function indexOf(haystack: Uint8Array, needle: Uint8Array, from: number): number {
  outer: for (let i = from; i <= haystack.length - needle.length; i++) {
    for (let j = 0; j < needle.length; j++) if (haystack[i + j] !== needle[j]) continue outer;
    return i;
  }
  return -1;
}

/** Splits a `multipart/form-data` or `multipart/mixed` body into parts. */
function parseMultipart(body: Uint8Array, boundary: string): Part[] {
  const delimiter = new TextEncoder().encode(`--${boundary}`);
  const parts: Part[] = [];
  let pos = indexOf(body, delimiter, 0);
  while (pos >= 0) {
    let start = pos + delimiter.length;
    if (body[start] === 45 && body[start + 1] === 45) break; // closing "--"
    if (body[start] === 13) start += 2;
    else if (body[start] === 10) start += 1;
    const next = indexOf(body, delimiter, start);
    if (next < 0) break;
    let end = next;
    if (body[end - 1] === 10) end--;
    if (body[end - 1] === 13) end--;
    const chunk = body.subarray(start, end);
    const crlf = indexOf(chunk, new Uint8Array([13, 10, 13, 10]), 0);
    const lf = crlf < 0 ? indexOf(chunk, new Uint8Array([10, 10]), 0) : -1;
    const split = crlf >= 0 ? crlf : lf;
    const headerText = new TextDecoder().decode(split >= 0 ? chunk.subarray(0, split) : new Uint8Array());
    const headers: Record<string, string> = {};
    for (const line of headerText.split(/\r?\n/)) {
      const colon = line.indexOf(":");
      if (colon <= 0) continue;
      const name = line.slice(0, colon).trim().toLowerCase();
      const value = line.slice(colon + 1).trim();
      headers[name] = name in headers ? `${headers[name]}, ${value}` : value;
    }
    parts.push({ headers, body: split >= 0 ? chunk.subarray(split + (crlf >= 0 ? 4 : 2)) : chunk });
    pos = next;
  }
  return parts;
}

/** A message request's JSON and its files. */
export interface MessageBody {
  /** The JSON part (or the JSON body, or the form's text fields). */
  json: Record<string, unknown>;
  /** The files, in order. */
  files: Part[];
}

/**
 * The parameters of a `Content-Disposition` value (`form-data; name="a";
 * filename="b.png"`), by lower-case name: quoted strings (a backslash
 * escapes `"` and `\`, else is itself, as in a Windows path), and `filename*=UTF-8''…` (RFC 5987) decoded and taking
 * precedence over `filename`. In a quoted `filename`, `%22`, `%0D` and
 * `%0A` are read back as `"`, CR and LF, as the web's FormData writes them.
 *
 * @example
 * ```ts
 * import { parseDisposition } from "./_multipart.ts";
 * import { deepEqual } from "node:assert/strict";
 * deepEqual(parseDisposition(`form-data; name="attachment"; filename="a;b.png"`), {
 *   type: "form-data",
 *   name: "attachment",
 *   filename: "a;b.png",
 * });
 * deepEqual(parseDisposition(`attachment; filename="x.pdf"; filename*=UTF-8''%D0%A1%D1%87%D1%91%D1%82.pdf`).filename, "Счёт.pdf");
 * ```
 */
export function parseDisposition(value: string): { type: string; name?: string; filename?: string } {
  const semicolon = value.indexOf(";");
  const type = (semicolon < 0 ? value : value.slice(0, semicolon)).trim().toLowerCase();
  const params: Record<string, string> = {};
  let i = semicolon < 0 ? value.length : semicolon + 1;
  while (i < value.length) {
    while (value[i] === " " || value[i] === "\t" || value[i] === ";") i++;
    const eq = value.indexOf("=", i);
    if (eq < 0) break;
    const key = value.slice(i, eq).trim().toLowerCase();
    i = eq + 1;
    while (value[i] === " " || value[i] === "\t") i++;
    let v = "";
    if (value[i] === '"') {
      for (i++; i < value.length && value[i] !== '"'; i++) {
        v += value[i] === "\\" && /["\\]/.test(value[i + 1] ?? "") ? value[++i] : value[i];
      }
      i++; // the closing quote
      if (key === "filename") v = v.replace(/%22/g, '"').replace(/%0D/g, "\r").replace(/%0A/g, "\n");
    } else {
      const end = value.indexOf(";", i);
      v = value.slice(i, end < 0 ? value.length : end).trim();
      i = end < 0 ? value.length : end;
    }
    if (key && !(key in params)) params[key] = v;
  }
  const extended = extendedValue(params["filename*"]);
  const filename = extended ?? params.filename;
  return {
    type,
    ...(params.name !== undefined ? { name: params.name } : {}),
    ...(filename !== undefined ? { filename } : {}),
  };
}

/** An RFC 5987 value (`UTF-8''%E5%86%99.png`) decoded, or undefined when it is not one. */
function extendedValue(value: string | undefined): string | undefined {
  const m = value === undefined ? null : /^([\w!#$%&+^`{}~-]+)'[^']*'(.*)$/.exec(value);
  if (!m) return undefined;
  const bytes: number[] = [];
  for (let i = 0; i < m[2].length; i++) {
    if (m[2][i] === "%" && /^[0-9a-f]{2}$/i.test(m[2].slice(i + 1, i + 3))) {
      bytes.push(parseInt(m[2].slice(i + 1, i + 3), 16));
      i += 2;
    } else bytes.push(m[2].charCodeAt(i) & 0xff);
  }
  const charset = m[1].toLowerCase();
  try {
    return new TextDecoder(charset === "iso-8859-1" ? "latin1" : charset, { fatal: true }).decode(
      new Uint8Array(bytes),
    );
  } catch {
    return undefined;
  }
}

/**
 * A `Content-Disposition` header value for a file name of any script: a
 * plain quoted `filename` when the name is printable ASCII, else an ASCII
 * stand-in and `filename*=UTF-8''…` (RFC 6266), which browsers and HTTP
 * clients read, so the header stays a valid ByteString.
 *
 * @example
 * ```ts
 * import { contentDisposition } from "./_multipart.ts";
 * import { equal } from "node:assert/strict";
 * equal(contentDisposition("attachment", "dot.png"), 'attachment; filename="dot.png"');
 * equal(contentDisposition("inline", "写真.png"), `inline; filename="__.png"; filename*=UTF-8''%E5%86%99%E7%9C%9F.png`);
 * ```
 */
export function contentDisposition(disposition: string, fileName: string): string {
  const quoted = (s: string) => `"${s.replace(/[\\"]/g, "\\$&")}"`;
  if (/^[\x20-\x7e]*$/.test(fileName)) return `${disposition}; filename=${quoted(fileName)}`;
  const ascii = fileName.replace(/[^\x20-\x7e]/gu, "_");
  const encoded = encodeURIComponent(fileName).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `${disposition}; filename=${quoted(ascii)}; filename*=UTF-8''${encoded}`;
}

/** A part's media type, without parameters. */
export function partType(part: Part): string {
  return (part.headers["content-type"] ?? "").split(";")[0].trim().toLowerCase();
}

/** A part's file name, when it has one. */
export function partFileName(part: Part): string | undefined {
  return parseDisposition(part.headers["content-disposition"] ?? "").filename || undefined;
}

/** Whether a part is the JSON message: of type `application/json`, or named `json` or `request.json`. */
function isJsonPart(part: Part): boolean {
  const { name, filename } = parseDisposition(part.headers["content-disposition"] ?? "");
  return partType(part) === "application/json" || name === "json" || name === "request.json" ||
    filename === "request.json";
}

/**
 * Reads a message request as RingCentral takes it: JSON, or multipart
 * (`multipart/form-data` or `multipart/mixed`) with a JSON message part
 * (`request.json`, `application/json`; first, as the guide writes it, or
 * anywhere) and the others its files, or a form whose text fields (`to`,
 * `faxResolution`, …; `to` repeatable) are the message and whose file
 * fields are the files. `bad(detail)` makes the error for a body that is
 * none of these.
 */
export function readMessageBody(type: string, bytes: Uint8Array, bad: (detail: string) => Error): MessageBody {
  const decode = (b: Uint8Array) => new TextDecoder().decode(b);
  if (!/^multipart\//i.test(type)) {
    const text = decode(bytes.subarray(0, 64));
    if (/^\[object \w*\]/.test(text)) {
      throw bad(
        ` The body is the text "${text.slice(0, text.indexOf("]") + 1)}": the HTTP client turned a FormData into text` +
          " instead of sending it as multipart/form-data. With @ringcentral/sdk in Deno, give the SDK Deno's own fetch:" +
          " new SDK({ …, fetch: globalThis.fetch, Request, Response, Headers }) (its Node build's node-fetch does not" +
          " know the web's FormData).",
      );
    }
    try {
      const json = JSON.parse(decode(bytes));
      if (!json || typeof json !== "object" || Array.isArray(json)) throw new TypeError();
      return { json, files: [] };
    } catch {
      throw bad(" Send JSON, or multipart with the JSON message first and then the files.");
    }
  }
  const boundary = /boundary="?([^";]+)"?/i.exec(type)?.[1];
  const parts = boundary ? parseMultipart(bytes, boundary) : [];
  if (!parts.length) throw bad(" Expected a JSON part followed by attachments.");
  // The JSON message: a part that says it is one, else a first part, not a file, that reads as JSON.
  const jsonPart = parts.find(isJsonPart) ??
    (!partFileName(parts[0]) && /^\s*\{/.test(decode(parts[0].body.subarray(0, 64))) ? parts[0] : undefined);
  if (jsonPart) {
    const which = parseDisposition(jsonPart.headers["content-disposition"] ?? "").name ?? "application/json";
    try {
      const json = JSON.parse(decode(jsonPart.body));
      if (!json || typeof json !== "object" || Array.isArray(json)) throw new TypeError();
      return { json, files: parts.filter((p) => p !== jsonPart) };
    } catch {
      throw bad(
        ` The part ${
          JSON.stringify(which)
        } must be the JSON message as an object, such as {"to": [{"phoneNumber": "+14155550123"}]}.`,
      );
    }
  }
  // A form: text fields make the message, file fields are the files.
  const json: Record<string, unknown> = {};
  const files: Part[] = [];
  for (const part of parts) {
    const { name, filename } = parseDisposition(part.headers["content-disposition"] ?? "");
    const type = partType(part);
    if (filename !== undefined || (type && type !== "text/plain")) {
      files.push(part);
      continue;
    }
    if (!name) continue;
    const value = decode(part.body);
    if (name === "to") {
      const list = (json.to ??= []) as unknown[];
      list.push({ phoneNumber: value });
    } else if (name === "from") json.from = { phoneNumber: value };
    else if (name === "coverIndex") json.coverIndex = /^-?\d+$/.test(value) ? Number(value) : value;
    else json[name] = value;
  }
  if (!Object.keys(json).length) {
    throw bad(
      " A JSON part is missing: send the message as a part of type application/json (named request.json), with the" +
        " files as the other parts.",
    );
  }
  return { json, files };
}
