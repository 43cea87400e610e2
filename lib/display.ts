/**
 * Rich display for notebooks: a table of records, a message's status
 * timeline, a bar chart, an image (an MMS picture), and an error card. Each renders as HTML in Jupyter (Deno's kernel
 * calls `[Symbol.for("Jupyter.display")]`) and as plain text under `deno run`
 * (`console.log` uses `[Symbol.for("Deno.customInspect")]`).
 * @module
 */

const JUPYTER = Symbol.for("Jupyter.display");
const INSPECT = Symbol.for("Deno.customInspect");

/**
 * Something that shows itself as HTML in Jupyter and as text elsewhere.
 *
 * @example Anything with an HTML and a text form
 * ```ts
 * import { Display } from "./display.ts";
 * import { equal } from "node:assert/strict";
 * const d = new Display("<b>42</b> calls", "42 calls");
 * equal(`${d}`, "42 calls"); // console.log(d) prints the text; Jupyter shows the HTML
 * const jupyter = Symbol.for("Jupyter.display"); // what Deno's kernel calls
 * const bundle = (d as unknown as Record<symbol, () => Record<string, string>>)[jupyter]();
 * equal(bundle["text/html"], "<b>42</b> calls");
 * ```
 */
export class Display {
  /** The HTML form. */
  readonly html: string;
  /** The plain-text form. */
  readonly text: string;
  /** More forms by media type (an image's `image/png`, base64), for Jupyter. */
  readonly more: Readonly<Record<string, string>>;

  /** A display of `html` and `text`, and of `more` forms (media type to content) where Jupyter shows them. */
  constructor(html: string, text: string, more: Record<string, string> = {}) {
    this.html = html;
    this.text = text;
    this.more = more;
  }

  /** The MIME bundle Deno's Jupyter kernel shows. */
  [JUPYTER](): Record<string, string> {
    return { ...this.more, "text/html": this.html, "text/plain": this.text };
  }

  /** What `console.log` prints. */
  [INSPECT](): string {
    return this.text;
  }

  /** The plain-text form. */
  toString(): string {
    return this.text;
  }
}

/**
 * Lines of text to show (with {@linkcode show}, or as a cell's value):
 * strings as they are, anything else as `Deno.inspect` shows it.
 *
 * @example
 * ```ts
 * import { lines } from "./display.ts";
 * import { equal } from "node:assert/strict";
 * equal(lines("emulator", 3, { a: 1 }).text, "emulator\n3\n{ a: 1 }");
 * ```
 */
export function lines(...values: unknown[]): Display {
  const text = values.map((v) => typeof v === "string" ? v : Deno.inspect(v, { colors: false, compact: true }))
    .join("\n");
  return new Display(`<pre>${esc(text)}</pre>`, text);
}

/** Whether this runs in Deno's Jupyter kernel (elsewhere, reading `Deno.jupyter` throws). */
function inJupyter(): boolean {
  try {
    return typeof (Deno as unknown as { jupyter?: { display?: unknown } }).jupyter?.display === "function";
  } catch {
    return false;
  }
}

/**
 * Shows a value in a notebook: `await show(table(…))` ends a cell better
 * than the bare value. Deno's kernel can report a cell done ("idle") before
 * its result or printed text reaches Jupyter, which then drops them: 1 or 2
 * cells in 40 on a busy machine. `show` displays the value, then lets the
 * kernel's output channel drain before the cell ends. One
 * {@linkcode Display} (or anything Jupyter can display, such as
 * `Deno.jupyter.html`) shows as it is; other values as {@linkcode lines}.
 * Under `deno run`, it prints the text.
 *
 * @example
 * ```ts
 * import { show, table } from "./display.ts";
 * await show(table([{ name: "Alice Admin" }])); // a table in Jupyter, text here
 * await show("two", "lines");
 * ```
 */
export async function show(...values: unknown[]): Promise<void> {
  const one = values.length === 1 ? values[0] : undefined;
  const displayable = one instanceof Display || (typeof one === "object" && one !== null && JUPYTER in one);
  const shown = displayable ? one as Display : lines(...values);
  if (!inJupyter()) return console.log(shown instanceof Display ? shown.text : shown);
  const jupyter = (Deno as unknown as {
    jupyter: { broadcast(type: string, content: Record<string, unknown>): Promise<void> };
  }).jupyter;
  // Deno.jupyter.display() takes no metadata: the same display_data, sent with a tag of show()'s own, so that a
  // runner (scripts/run_notebooks.py) can tell a cell whose show() output Jupyter lost from one that showed it.
  const bundle = await (shown as unknown as Record<symbol, () => unknown>)[JUPYTER]();
  await jupyter.broadcast("display_data", { data: bundle, metadata: { [SHOW_TAG]: true }, transient: {} });
  // The kernel's own heuristic waits 5 ms for its output channel; a busy machine needs longer. This makes a loss
  // rarer; the tag makes one that still happens seen.
  await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
}

/** How long {@linkcode show} lets the kernel's output channel drain before the cell ends. */
const SETTLE_MS = 50;

/** The metadata key of every output {@linkcode show} sends (`{ "rc_show": true }`). */
const SHOW_TAG = "rc_show";

/** HTML-escapes `value` shown as text. */
function esc(value: unknown): string {
  return String(value ?? "").replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** A cell's text: strings as they are, objects as compact JSON. */
function cell(value: unknown): string {
  if (value === undefined || value === null) return "";
  return typeof value === "object" ? JSON.stringify(value) : String(value);
}

/**
 * A table of `records` (such as a page's `records`): the given `columns`, or
 * the keys of the first record; at most `limit` rows, with a count of the
 * rest. Dotted columns reach into objects (`contact.email`).
 *
 * @example
 * ```ts
 * import { table } from "./display.ts";
 * import { match } from "node:assert/strict";
 * const t = table([{ extensionNumber: "101", name: "Alice <Admin>" }, { extensionNumber: "102", name: "Bob" }], undefined, { limit: 1 });
 * match(t.html, /Alice &#60;Admin&#62;/);
 * match(t.text, /… and 1 more \(2 in all\)/);
 * ```
 */
export function table(
  records: readonly Record<string, unknown>[],
  columns?: string[],
  { limit = 20 }: { limit?: number } = {},
): Display {
  if (!Array.isArray(records)) throw new TypeError("table() takes a list of records, such as page.records");
  const cols = columns ?? Object.keys(records[0] ?? {}).filter((k) => k !== "uri");
  const pick = (r: Record<string, unknown>, col: string) =>
    col.split(".").reduce<unknown>((v, k) => (v as Record<string, unknown> | undefined)?.[k], r);
  const shown = records.slice(0, limit).map((r) => cols.map((c) => cell(pick(r, c))));
  const rest = records.length - shown.length;
  const more = rest > 0 ? `… and ${rest} more (${records.length} in all)` : `${records.length} in all`;
  const html = `<table><thead><tr>${cols.map((c) => `<th>${esc(c)}</th>`).join("")}</tr></thead><tbody>` +
    shown.map((row) => `<tr>${row.map((v) => `<td>${esc(v)}</td>`).join("")}</tr>`).join("") +
    `</tbody></table><p><small>${esc(more)}</small></p>`;
  const widths = cols.map((c, i) => Math.min(40, Math.max(c.length, ...shown.map((r) => r[i].length))));
  const line = (cells: string[]) =>
    cells.map((v, i) => (v.length > widths[i] ? `${v.slice(0, widths[i] - 1)}…` : v.padEnd(widths[i]))).join("  ")
      .trimEnd();
  const text = [line(cols), line(widths.map((w) => "─".repeat(w))), ...shown.map(line), more].join("\n");
  return new Display(html, text);
}

/**
 * A message's status over time, as a row of steps: what following
 * `messageStatus` in the message store saw.
 *
 * @example
 * ```ts
 * import { timeline } from "./display.ts";
 * import { equal } from "node:assert/strict";
 * const t = timeline([{ at: new Date("2026-01-01T10:00:00Z"), status: "Queued" }, { at: new Date("2026-01-01T10:00:05Z"), status: "Delivered" }]);
 * equal(t.text, "Queued (10:00:00) → Delivered (+5 s)");
 * ```
 */
export function timeline(steps: readonly { at: Date; status: string }[]): Display {
  const first = steps[0]?.at.getTime() ?? 0;
  const when = (at: Date, i: number) =>
    i === 0 ? at.toISOString().slice(11, 19) : `+${Math.round((at.getTime() - first) / 1000)} s`;
  const color = (s: string) =>
    /Failed|Error/.test(s) ? "#b00020" : /Delivered|Received|Sent/.test(s) ? "#1b7f3b" : "#555";
  const html = `<div style="display:flex;gap:.5em;align-items:center;flex-wrap:wrap">` +
    steps.map((s, i) =>
      `<span style="border:1px solid ${color(s.status)};color:${
        color(s.status)
      };border-radius:1em;padding:.1em .7em">` +
      `${esc(s.status)} <small>${esc(when(s.at, i))}</small></span>`
    ).join("→") + `</div>`;
  const text = steps.map((s, i) => `${s.status} (${when(s.at, i)})`).join(" → ");
  return new Display(html, text);
}

/**
 * A bar chart of `bars` (such as calls per day): an SVG in Jupyter, rows of
 * `█` in a terminal. `title` heads it.
 *
 * @example
 * ```ts
 * import { barChart } from "./display.ts";
 * import { equal, match } from "node:assert/strict";
 * const chart = barChart([{ label: "Mon", value: 4 }, { label: "Tue", value: 2 }], { title: "Calls per day" });
 * match(chart.html, /^<svg /);
 * equal(chart.text, "Calls per day\nMon  ████████████████████████████████████████ 4\nTue  ████████████████████ 2");
 * ```
 */
export function barChart(
  bars: readonly { label: string; value: number }[],
  { title = "", width = 40 }: { title?: string; width?: number } = {},
): Display {
  const max = Math.max(1, ...bars.map((b) => b.value));
  const labelWidth = Math.max(0, ...bars.map((b) => b.label.length));
  const text = [
    ...(title ? [title] : []),
    ...bars.map((b) => `${b.label.padEnd(labelWidth)}  ${"█".repeat(Math.round((b.value / max) * width))} ${b.value}`),
  ].join("\n");
  const barWidth = 22;
  const height = 160;
  const top = title ? 24 : 8;
  const svgWidth = Math.max(200, bars.length * barWidth + 20);
  const columns = bars.map((b, i) => {
    const h = Math.round((b.value / max) * height);
    const x = 10 + i * barWidth;
    const y = top + height - h;
    return `<rect x="${x}" y="${y}" width="${barWidth - 4}" height="${h}" fill="#0073ae"><title>${esc(b.label)}: ${
      esc(b.value)
    }</title></rect>` +
      `<text x="${x + (barWidth - 4) / 2}" y="${y - 3}" font-size="9" text-anchor="middle">${esc(b.value)}</text>` +
      `<text x="${x + (barWidth - 4) / 2}" y="${top + height + 12}" font-size="9" text-anchor="end" ` +
      `transform="rotate(-45 ${x + (barWidth - 4) / 2} ${top + height + 12})">${esc(b.label)}</text>`;
  }).join("");
  const html = `<svg xmlns="http://www.w3.org/2000/svg" width="${svgWidth}" height="${top + height + 50}" ` +
    `font-family="sans-serif">${
      title ? `<text x="10" y="16" font-size="13" font-weight="bold">${esc(title)}</text>` : ""
    }${columns}</svg>`;
  return new Display(html, text);
}

/**
 * An error as a card: status and code, the server's message, the fix, the
 * request id; for an error without an answer, what is known of the outcome.
 * Any error shows: one of this library's shows all it knows.
 *
 * @example
 * ```ts
 * import { errorCard } from "./display.ts";
 * import { ApiError } from "../mod.ts";
 * import { match } from "node:assert/strict";
 * const e = new ApiError({ status: 404, errorCode: "CMN-102", message: "Not found", method: "GET", path: "/restapi/v1.0/account/~" });
 * match(errorCard(e).text, /^GET \/restapi\/v1\.0\/account\/~ → 404 CMN-102/);
 * ```
 */
export function errorCard(error: unknown): Display {
  const e = (error ?? {}) as Partial<Record<string, unknown>> & { message?: string; name?: string };
  const status = typeof e.status === "number" ? e.status : undefined;
  const request = e.method ? `${e.method} ${e.path ?? ""} → ` : "";
  const head = `${request}${status ?? e.name ?? "Error"}${e.errorCode ? ` ${e.errorCode}` : ""}`;
  const rows: [string, unknown][] = [
    ["message", e.detail ?? e.message ?? String(error)],
    ["fix", e.hint],
    ["request id", e.requestId],
    ["retry after", e.retryAfter === undefined ? undefined : `${e.retryAfter} s`],
    [
      "outcome",
      e.outcome === "unknown" ? "unknown: it may have been carried out; check before sending again" : undefined,
    ],
    ["setting", e.key ? `${e.key}${e.file ? ` in ${e.file}` : ""}` : undefined],
  ];
  const shown = rows.filter(([, v]) => v !== undefined && v !== "") as [string, string][];
  const html = `<div style="border-left:4px solid #b00020;padding:.4em .8em;margin:.3em 0">` +
    `<div><b>${esc(head)}</b></div>` +
    shown.map(([k, v]) => `<div><small>${esc(k)}</small> ${esc(v)}</div>`).join("") + `</div>`;
  const text = [head, ...shown.map(([k, v]) => `  ${k}: ${v}`)].join("\n");
  return new Display(html, text);
}

/** The width and height of a PNG, from its header; undefined for anything else. */
function pngSize(bytes: Uint8Array): { width: number; height: number } | undefined {
  const signature = [137, 80, 78, 71, 13, 10, 26, 10];
  if (bytes.length < 24 || signature.some((b, i) => bytes[i] !== b)) return undefined;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return { width: view.getUint32(16), height: view.getUint32(20) };
}

/**
 * An image (an MMS picture, downloaded bytes) shown inline in Jupyter: its
 * bytes go in the MIME bundle as base64 under their media type (`image/png`,
 * `image/jpeg`, `image/gif`), with an `<img>` for HTML; under `deno run` a
 * line says what it is.
 *
 * @example
 * ```ts
 * import { image } from "./display.ts";
 * import { equal, match } from "node:assert/strict";
 * const png = new Uint8Array([137, 80, 78, 71, 13, 10, 26, 10, 0, 0, 0, 13, 73, 72, 68, 82, 0, 0, 0, 64, 0, 0, 0, 32]);
 * const d = image(png, { alt: "a dot" });
 * equal(d.text, "[image/png, 24 bytes, 64×32: a dot]");
 * equal(d.more["image/png"], png.toBase64());
 * match(d.html, /^<img src="data:image\/png;base64,/);
 * ```
 */
export function image(
  bytes: Uint8Array,
  { type = "image/png", alt = "", width }: { type?: string; alt?: string; width?: number } = {},
): Display {
  if (!(bytes instanceof Uint8Array)) throw new TypeError("image(bytes) needs the picture's bytes, a Uint8Array");
  const base64 = bytes.toBase64();
  const size = type === "image/png" ? pngSize(bytes) : undefined;
  const text = `[${type}, ${bytes.length} bytes${size ? `, ${size.width}×${size.height}` : ""}${
    alt ? `: ${alt}` : ""
  }]`;
  const html = `<img src="data:${esc(type)};base64,${base64}" alt="${esc(alt)}"${
    width ? ` width="${Math.round(width)}"` : ""
  } style="image-rendering: pixelated">`;
  return new Display(html, text, { [type]: base64 });
}
