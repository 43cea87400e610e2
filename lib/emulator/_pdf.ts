/**
 * Just enough PDF for faxes: how many pages a document has, and a small
 * valid PDF of text pages (an inbound fax's document).
 * @module
 */

/**
 * The pages of a PDF, counted by its `/Type /Page` objects (at least 1); `undefined` when it is no PDF.
 *
 * @example
 * ```ts
 * import { pdfPageCount, textPdf } from "./_pdf.ts";
 * import { equal } from "node:assert/strict";
 * equal(pdfPageCount(textPdf([["one"], ["two"], ["three"]])), 3);
 * equal(pdfPageCount(new TextEncoder().encode("hello")), undefined);
 * ```
 */
export function pdfPageCount(bytes: Uint8Array): number | undefined {
  const text = new TextDecoder("latin1").decode(bytes);
  if (!text.startsWith("%PDF-")) return undefined;
  return Math.max(1, text.match(/\/Type\s*\/Page(?![a-zA-Z])/g)?.length ?? 0);
}

/**
 * A PDF of letter-size pages, each with its lines of text (ASCII) in Helvetica.
 *
 * @example
 * ```ts
 * import { textPdf } from "./_pdf.ts";
 * import { equal } from "node:assert/strict";
 * const pdf = new TextDecoder().decode(textPdf([["Hello"]]));
 * equal(pdf.startsWith("%PDF-1.4"), true);
 * equal(pdf.trimEnd().endsWith("%%EOF"), true);
 * ```
 */
export function textPdf(pages: string[][]): Uint8Array<ArrayBuffer> {
  const objects: string[] = [];
  const pageIds = pages.map((_, i) => 4 + i * 2);
  objects[1] = "<< /Type /Catalog /Pages 2 0 R >>";
  objects[2] = `<< /Type /Pages /Kids [${pageIds.map((id) => `${id} 0 R`).join(" ")}] /Count ${pages.length} >>`;
  objects[3] = "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>";
  pages.forEach((lines, i) => {
    const escape = (s: string) => s.replace(/[^\x20-\x7e]/g, "?").replace(/([\\()])/g, "\\$1");
    const stream = ["BT", "/F1 14 Tf", "72 720 Td", "18 TL", ...lines.map((l) => `(${escape(l)}) '`), "ET"].join("\n");
    objects[4 + i * 2] =
      `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 3 0 R >> >> /Contents ${
        5 + i * 2
      } 0 R >>`;
    objects[5 + i * 2] = `<< /Length ${stream.length} >>\nstream\n${stream}\nendstream`;
  });
  let out = "%PDF-1.4\n";
  const offsets: number[] = [];
  for (let id = 1; id < objects.length; id++) {
    offsets[id] = out.length;
    out += `${id} 0 obj\n${objects[id]}\nendobj\n`;
  }
  const xref = out.length;
  out += `xref\n0 ${objects.length}\n0000000000 65535 f \n`;
  for (let id = 1; id < objects.length; id++) out += `${String(offsets[id]).padStart(10, "0")} 00000 n \n`;
  out += `trailer\n<< /Size ${objects.length} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return new TextEncoder().encode(out);
}
