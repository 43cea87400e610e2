/**
 * Multipart bodies (`multipart/form-data`, `multipart/mixed`) split into
 * parts, for MMS and SMS with attachments.
 * @module
 */

/** One part of a multipart body. */
export interface Part {
  /** Its headers. */
  headers: Headers;
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
export function parseMultipart(body: Uint8Array, boundary: string): Part[] {
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
    const headers = new Headers();
    for (const line of headerText.split(/\r?\n/)) {
      const colon = line.indexOf(":");
      if (colon > 0) headers.append(line.slice(0, colon).trim(), line.slice(colon + 1).trim());
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

/** A part's `name` and `filename`, from its `Content-Disposition`. */
function dispositionOf(part: Part): { name?: string; filename?: string } {
  const d = part.headers.get("content-disposition") ?? "";
  return {
    name: /\bname="?([^";]*)"?/i.exec(d)?.[1],
    filename: /\bfilename="?([^";]*)"?/i.exec(d)?.[1],
  };
}

/** A part's media type, without parameters. */
export function partType(part: Part): string {
  return (part.headers.get("content-type") ?? "").split(";")[0].trim().toLowerCase();
}

/** A part's file name, when it has one. */
export function partFileName(part: Part): string | undefined {
  return dispositionOf(part).filename || undefined;
}

/**
 * Reads a message request as RingCentral takes it: JSON, or multipart
 * (`multipart/form-data` or `multipart/mixed`) whose first part is the JSON
 * message (`request.json`, `application/json`) and the others its files,
 * or a form whose text fields (`to`, `faxResolution`, …; `to` repeatable)
 * are the message and whose file fields are the files. `bad(detail)` makes
 * the error for a body that is none of these.
 */
export function readMessageBody(type: string, bytes: Uint8Array, bad: (detail: string) => Error): MessageBody {
  const decode = (b: Uint8Array) => new TextDecoder().decode(b);
  if (!/^multipart\//i.test(type)) {
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
  const [first, ...rest] = parts;
  const looksJson = partType(first) === "application/json" || /^\s*\{/.test(decode(first.body.subarray(0, 64)));
  if (looksJson) {
    try {
      const json = JSON.parse(decode(first.body));
      if (!json || typeof json !== "object" || Array.isArray(json)) throw new TypeError();
      return { json, files: rest };
    } catch {
      throw bad(" The first part must be the JSON message (request.json, application/json).");
    }
  }
  // A form: text fields make the message, file fields are the files.
  const json: Record<string, unknown> = {};
  const files: Part[] = [];
  for (const part of parts) {
    const { name, filename } = dispositionOf(part);
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
  return { json, files };
}
