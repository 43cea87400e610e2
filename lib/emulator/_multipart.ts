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
