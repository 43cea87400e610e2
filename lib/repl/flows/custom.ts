/**
 * Custom request: any method and path (with completion of common
 * endpoints), a query and a JSON body.
 * @module
 */
import type { Query } from "../../transport.ts";
import { Cancelled } from "../prompt.ts";
import type { Playground } from "../playground.ts";

/** Common endpoints, offered as the path is typed. */
const ENDPOINTS = [
  "/restapi/v1.0/account/~",
  "/restapi/v1.0/account/~/extension",
  "/restapi/v1.0/account/~/extension/~",
  "/restapi/v1.0/account/~/extension/~/phone-number",
  "/restapi/v1.0/account/~/extension/~/sms",
  "/restapi/v1.0/account/~/extension/~/mms",
  "/restapi/v1.0/account/~/extension/~/message-store",
  "/restapi/v1.0/account/~/extension/~/message-store/{messageId}",
];

/** Endpoints that contain what was typed. */
export function suggestPaths(term: string): string[] {
  const t = term.toLowerCase();
  return ENDPOINTS.filter((e) => e.toLowerCase().includes(t));
}

/** Parses `a=1&type=User&type=Department` into a query (repeated keys become arrays). */
export function parseQuery(text: string): Query {
  const query: Record<string, string | string[]> = {};
  for (const [k, v] of new URLSearchParams(text.trim().replace(/^\?/, ""))) {
    const old = query[k];
    query[k] = old === undefined ? v : Array.isArray(old) ? [...old, v] : [old, v];
  }
  return query;
}

function checkPath(value: string): true | string {
  if (!value.startsWith("/")) return "Start the path with /, such as /restapi/v1.0/account/~";
  if (/\s/.test(value)) return "A path has no spaces";
  if (/\{[^}]*$|^[^{]*\}/.test(value)) return "A {placeholder} needs both braces";
  return true; // {placeholders} are filled in one by one next
}

/** The `{placeholders}` of a path template, in order. */
function placeholders(path: string): string[] {
  return [...path.matchAll(/\{([^}/]+)\}/g)].map((m) => m[1]);
}

/**
 * An example JSON body for the POST endpoints the playground knows, in the
 * shape of the API reference's request schema, with the session's values.
 */
function exampleBody(path: string, sender?: string): string {
  if (/\/(sms|mms)$/.test(path)) {
    return JSON.stringify({
      from: { phoneNumber: sender ?? "+16505550101" },
      to: [{ phoneNumber: "+16505550199" }],
      text: "Hello from the playground",
    });
  }
  if (/\/message-store\/[^/]+$/.test(path)) return JSON.stringify({ readStatus: "Read" });
  return "";
}

function checkJson(value: string): true | string {
  if (!value.trim()) return true;
  try {
    JSON.parse(value);
    return true;
  } catch (e) {
    return `Not JSON: ${(e as Error).message}`;
  }
}

/** Runs the flow. */
export async function customRequest(s: Playground): Promise<void> {
  const method = await s.prompter.select("Method", [
    ...["GET", "POST", "PUT", "PATCH", "DELETE"].map((m) => ({ name: m, value: m })),
    { name: "Back", value: "" },
  ]);
  if (!method) throw new Cancelled(true); // Back: as Escape
  let path = (await s.prompter.search("Path", suggestPaths, { validate: checkPath })).trim();
  for (const name of placeholders(path)) {
    const known = s.known(name);
    const value = (await s.prompter.input(
      `${name}${known.length ? ` (from this session: ${known.slice(0, 3).join(", ")})` : ""}`,
      {
        default: known[0],
        validate: (v) => (v.trim() && !/[/\s]/.test(v.trim())) || `Enter the ${name}: one path segment, no spaces`,
      },
    )).trim();
    path = path.replace(`{${name}}`, encodeURIComponent(value));
  }
  const queryText = await s.prompter.input("Query (such as perPage=10&type=User; empty for none)", {
    default: "",
    validate: (v) =>
      !v.trim() || /^[^=&]+=[^&]*(&[^=&]+=[^&]*)*$/.test(v.trim().replace(/^\?/, "")) ||
      "Use key=value pairs joined by &",
  });
  const query = queryText.trim() ? parseQuery(queryText) : undefined;
  let body: unknown;
  if (method !== "GET" && method !== "DELETE") {
    const example = method === "POST" || method === "PUT" || method === "PATCH"
      ? exampleBody(path, s.known("phoneNumber")[0])
      : "";
    const text = await s.prompter.input(
      example ? "JSON body (Enter keeps this example; empty it for none)" : "JSON body (empty for none)",
      { default: example, validate: checkJson },
    );
    body = text.trim() ? JSON.parse(text) : undefined;
  }
  if (method !== "GET" && s.rc.target === "production") {
    const ok = await s.prompter.confirm(`This ${method} changes your REAL production account. Send it?`, {
      default: false,
    });
    if (!ok) return void s.out.print("  Not sent.");
  }
  const r = await s.call(`${method} ${path}`, method, path, { query, body });
  s.out.print(`  ← ${r.status}${r.sample ? "  (a sample from the spec, not behaviour: X-Emulator-Sample)" : ""}`);
  if (r.body !== undefined) s.out.print(`  ${JSON.stringify(r.body, null, 2).replace(/\n/g, "\n  ")}`);
}
