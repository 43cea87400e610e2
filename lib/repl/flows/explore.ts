/**
 * Explore the API: find an operation of RingCentral's spec by words or by
 * area, read what it needs (permission, rate group, parameters with their
 * types and enums, the API reference), fill in its parameters from the
 * schema, send it, and see the answer; recorded like every flow. The
 * catalog is loaded when the flow starts, never with the playground.
 * @module
 */
import type { Operation, Parameter, Schema } from "../../api/catalog.ts";
import { permissionHint } from "../../_hints.ts";
import type { Query } from "../../transport.ts";
import { Cancelled, type Choice } from "../prompt.ts";
import type { Playground } from "../playground.ts";

type Catalog = typeof import("../../api/mod.ts") & {
  schemas: Record<string, Schema>;
  requests: Record<string, unknown>;
};

async function loadCatalog(): Promise<Catalog> {
  const api = await import("../../api/mod.ts");
  const { loadSchemas, loadSamples } = await import("../../api/catalog.ts");
  const [{ schemas }, { requests }] = await Promise.all([loadSchemas(), loadSamples()]);
  return { ...api, schemas, requests };
}

/** A schema with its `$ref` followed. */
function resolve(schema: Schema, schemas: Record<string, Schema>): Schema {
  return schema.$ref ? resolve(schemas[schema.$ref.split("/").pop()!] ?? {}, schemas) : schema;
}

/** A parameter's type in a few words: `integer`, `string (date-time)`, `one of Simple, Detailed`, `list of …`. */
function typeText(schema: Schema, schemas: Record<string, Schema>): string {
  const s = resolve(schema, schemas);
  if (s.type === "array") return `list of ${typeText(s.items ?? {}, schemas)}`;
  if (s.enum) return `one of ${s.enum.join(", ")}`;
  return `${s.type ?? "any"}${s.format ? ` (${s.format})` : ""}`;
}

/** Finds an operation: by words, or by section and area. Undefined goes back to the menu. */
async function pick(s: Playground, catalog: Catalog): Promise<Operation | undefined> {
  const how = await s.prompter.select("Explore RingCentral's API", [
    { name: "Search by words", value: "search", description: "Such as: call log, presence, send sms" },
    { name: "Browse by area", value: "browse", description: "The API reference's sections and areas" },
    { name: "Back", value: "" },
  ]);
  let list: Operation[];
  if (how === "search") {
    for (;;) {
      const words = await s.prompter.input("Words (or a path such as /restapi/v1.0/account/~/call-log)", {
        validate: (v) => !!v.trim() || "Type a word or two",
      });
      list = catalog.findOperations(words).slice(0, 30);
      if (list.length) break;
      s.out.print(
        `  No operation matches "${words.trim()}": try other words (call log, send sms, presence), a permission ` +
          "(ReadCallLog) or a path; Ctrl-C goes back.",
      );
    }
  } else if (how === "browse") {
    const sections = [...new Set(catalog.operations.map((o) => o.section ?? "Other"))];
    const section = await s.prompter.select("Section", sections.map((name) => ({ name, value: name })));
    const inSection = catalog.operations.filter((o) => (o.section ?? "Other") === section);
    const areas = [...new Set(inSection.map((o) => o.area))];
    const area = await s.prompter.select(
      "Area",
      areas.map((name) => ({ name: `${name} (${inSection.filter((o) => o.area === name).length})`, value: name })),
    );
    list = inSection.filter((o) => o.area === area);
  } else return undefined;
  return await s.prompter.select<Operation>(
    "Operation",
    list.map((o): Choice<Operation> => ({
      name: `${o.method.padEnd(6)} ${o.path}`,
      value: o,
      description: `${o.summary} (${o.operationId})`,
    })),
  );
}

/**
 * The app permissions the session's token carries, logging in first as the call would (at start-up there is no
 * token yet); undefined when there are no credentials or the login fails (the call then says why).
 */
async function granted(s: Playground, op: Operation): Promise<string[] | undefined> {
  if (!op.permission || !s.rc.grant) return undefined;
  await s.waitFor("Logging in to read your app's permissions", (signal) => s.rc.authenticate(signal)).catch(
    (e) => {
      if (e instanceof Cancelled) throw e;
    },
  );
  const scope = (await s.rc.tokenStatus().catch(() => undefined))?.scope;
  return scope ? scope.split(" ") : undefined;
}

/** Prints what the operation is and needs. */
function describe(s: Playground, op: Operation, catalog: Catalog, permissions: string[] | undefined): void {
  const out = s.out;
  out.print(`  ${op.method} ${op.path}`);
  out.print(`  ${op.summary}${op.deprecated ? " (deprecated)" : ""}`);
  out.print(`  area: ${op.area}${op.section ? ` (${op.section})` : ""}, operationId: ${op.operationId}`);
  out.print(`  app permission: ${op.permission ?? "none"}; rate-limit group: ${op.rateGroup ?? "none"}`);
  if (op.permission && permissions && !permissions.includes(op.permission)) {
    out.print(`  ⚠ Your app lacks ${op.permission}: this call will get 403 CMN-401.`);
    out.print(`    → ${permissionHint(op.permission)}`);
    if (s.rc.target === "emulator") {
      out.print(
        "    (offline: `deno task emulator --permissions all` serves an emulator whose apps have every permission)",
      );
    }
  }
  if (op.parameters.length) out.print("  parameters:");
  for (const p of sorted(op.parameters)) {
    const what = `${p.in}${p.required ? ", required" : ""}: ${typeText(p.schema, catalog.schemas)}`;
    out.print(`    ${p.name} (${what})${p.description ? ` — ${clip(p.description, 100)}` : ""}`);
  }
  if (op.requestBody) out.print(`  body: ${op.requestBody.contentType}${op.requestBody.required ? ", required" : ""}`);
  out.print(`  reference: ${op.reference}`);
}

/** `text` on one line, at most `max` characters, cut after a whole word (`…` says it goes on). */
function clip(text: string, max: number): string {
  const line = text.replace(/\s+/g, " ").trim();
  if (line.length <= max) return line;
  const cut = line.slice(0, max + 1).replace(/\s+\S*$/, "").replace(/[\s,;:(]+$/, "");
  return `${cut || line.slice(0, max)}…`;
}

/** Path parameters first, then the required ones, then the rest, each in the spec's order. */
function sorted(parameters: Parameter[]): Parameter[] {
  const rank = (p: Parameter) => (p.in === "path" ? 0 : p.required ? 1 : 2);
  return [...parameters].filter((p) => p.in === "path" || p.in === "query").sort((a, b) => rank(a) - rank(b));
}

/** Asks for one parameter's value from its schema: enums as choices, the rest as text checked against the type. */
async function askValue(s: Playground, p: Parameter, catalog: Catalog): Promise<string | string[]> {
  const schema = resolve(p.schema, catalog.schemas);
  const label = `${p.name} (${typeText(p.schema, catalog.schemas)})`;
  const item = schema.type === "array" ? resolve(schema.items ?? {}, catalog.schemas) : undefined;
  if (item?.enum) {
    const values = await s.prompter.checkbox(label, item.enum.map((v) => ({ name: String(v), value: String(v) })));
    return values;
  }
  if (schema.enum) {
    return await s.prompter.select(label, schema.enum.map((v) => ({ name: String(v), value: String(v) })));
  }
  const known = p.name === "accountId" || p.name === "extensionId" ? ["~"] : s.known(p.name);
  const type = item?.type ?? schema.type;
  const text = await s.prompter.input(label, {
    default: known[0] ?? (schema.default !== undefined ? String(schema.default) : undefined),
    validate: (v) => {
      const t = v.trim();
      if (!t) return p.required ? `${p.name} is required` : true;
      if (p.in === "path" && /[/\s]/.test(t)) return "One path segment, no spaces";
      if ((type === "integer" || type === "number") && !t.split(",").every((x) => Number.isFinite(Number(x)))) {
        return `${p.name} is a number`;
      }
      if (type === "boolean" && !/^(true|false)$/.test(t)) return "true or false";
      return true;
    },
  });
  return item ? text.split(",").map((x) => x.trim()).filter(Boolean) : text.trim();
}

/** Fills the path and the query: path parameters, required ones, then the optional ones the user picks. */
async function fill(s: Playground, op: Operation, catalog: Catalog): Promise<{ path: string; query?: Query }> {
  let path = op.path;
  const query: Record<string, string | string[]> = {};
  const parameters = sorted(op.parameters);
  const optional = parameters.filter((p) => p.in === "query" && !p.required);
  const chosen = optional.length
    ? await s.prompter.checkbox(
      "Optional query parameters to set (none is fine)",
      optional.map((p) => ({ name: `${p.name} (${typeText(p.schema, catalog.schemas)})`, value: p.name })),
    )
    : [];
  for (const p of parameters.filter((p) => p.in === "path" || p.required || chosen.includes(p.name))) {
    const value = await askValue(s, p, catalog);
    if (p.in === "path") path = path.replace(`{${p.name}}`, encodeURIComponent(String(value)));
    else if (value.length) query[p.name] = value;
  }
  return { path, query: Object.keys(query).length ? query : undefined };
}

/** Asks for the JSON body, prefilled with the spec's example or a generated sample. */
async function askBody(s: Playground, op: Operation, catalog: Catalog): Promise<unknown> {
  const body = op.requestBody;
  if (!body) return undefined;
  if (!/json/.test(body.contentType)) {
    s.out.print(`  This operation takes ${body.contentType}, which Explore cannot fill in: it is sent without one.`);
    return undefined;
  }
  const sample = catalog.requests[op.operationId];
  const text = await s.prompter.input("JSON body (Enter sends the sample from the spec; edit it as you like)", {
    default: sample === undefined ? "" : JSON.stringify(sample),
    validate: (v) => {
      if (!v.trim()) return body.required ? "This operation needs a body" : true;
      try {
        JSON.parse(v);
        return true;
      } catch (e) {
        return `Not JSON: ${(e as Error).message}`;
      }
    },
  });
  return text.trim() ? JSON.parse(text) : undefined;
}

/** Runs the flow. */
export async function explore(s: Playground): Promise<void> {
  const catalog = await s.waitFor("Loading the API catalog", () => loadCatalog());
  const op = await pick(s, catalog);
  if (!op) return;
  describe(s, op, catalog, await granted(s, op));
  if (!await s.prompter.confirm("Fill it in and send it?", { default: true })) return;
  const { path, query } = await fill(s, op, catalog);
  const body = await askBody(s, op, catalog);
  if (op.method !== "GET" && s.rc.target === "production") {
    const ok = await s.prompter.confirm(`This ${op.method} changes your REAL production account. Send it?`, {
      default: false,
    });
    if (!ok) return void s.out.print("  Not sent.");
  }
  const r = await s.call(`${op.method} ${path}`, op.method, path, {
    query,
    body,
    notes: [`${op.operationId}: ${op.summary}`, op.reference],
  });
  s.out.print(`  ← ${r.status}${r.sample ? "  (a sample from the spec, not behaviour: X-Emulator-Sample)" : ""}`);
  if (r.body !== undefined && r.body !== "") {
    const text = JSON.stringify(r.body, null, 2);
    s.out.print(
      `  ${
        (text.length > 4000 ? `${text.slice(0, 4000)}\n… (${text.length} characters)` : text).replace(/\n/g, "\n  ")
      }`,
    );
  }
}
