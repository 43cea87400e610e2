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

type Flow = { name: string; does: string; run: (s: Playground) => Promise<void> };

const SEND_FILES: Flow = {
  name: "Send an MMS or fax",
  does: "sends your files as the multipart body this operation needs",
  run: async (s) => (await import("./files.ts")).sendFiles(s),
};

const TEAM_CHAT: Flow = {
  name: "Team chat",
  does: "picks or makes a team, posts to it and shows its posts live",
  run: async (s) => (await import("./team_chat.ts")).teamChat(s),
};

/** The playground's flows that do an operation step by step, with what they add. */
const FLOWS: Record<string, Flow> = {
  createSMSMessage: {
    name: "Send SMS",
    does: "picks one of your SmsSender numbers and follows the message until it is delivered",
    run: async (s) => (await import("./sms.ts")).sendSms(s),
  },
  createMMS: SEND_FILES,
  createFaxMessage: SEND_FILES,
  createRingOutCall: {
    name: "Place a call (RingOut)",
    does: "rings your phone, then the callee, and follows the call's status",
    run: async (s) => (await import("./ringout.ts")).placeCall(s),
  },
  createSubscription: {
    name: "Watch events",
    does: "subscribes over a WebSocket to the events you pick and shows them as they come (a WebHook " +
      "needs a server of yours at deliveryMode.address that answers RingCentral's validation request)",
    run: async (s) => (await import("./watch.ts")).watchEvents(s),
  },
  createGlipPost: TEAM_CHAT,
  createGlipTeamNew: TEAM_CHAT,
};

/** What the session knows that a body may need: numbers, an extension id, an email, an event filter. */
interface Known {
  /** Your number that can send SMS (a `from`). */
  from?: string;
  /** A number to send to or call (a `to`). */
  to: string;
  /** An extension id of the account. */
  extensionId?: string;
}

/** Your first SmsSender number: one this session saw, or read from the API (not recorded). */
async function smsNumber(s: Playground): Promise<string | undefined> {
  const seen = s.known("phoneNumber")[0];
  if (seen) return seen;
  try {
    const r = await s.rc.request("GET", "/restapi/v1.0/account/~/extension/~/phone-number", {
      query: { perPage: "100" },
    });
    const page = await r.json() as { records?: { phoneNumber?: string; features?: string[] }[] };
    return page.records?.find((n) => n.features?.includes("SmsSender"))?.phoneNumber;
  } catch {
    return undefined; // the user fills it in
  }
}

/** A schema with `$ref` followed and `allOf` merged: its properties and required ones. */
function flatten(schema: Schema, schemas: Record<string, Schema>): Schema {
  const s = resolve(schema, schemas);
  if (!Array.isArray(s.allOf)) return s;
  const parts = (s.allOf as Schema[]).map((part) => flatten(part, schemas));
  return {
    ...s,
    properties: Object.assign({}, ...parts.map((p) => p.properties ?? {}), s.properties ?? {}),
    required: [...parts.flatMap((p) => p.required ?? []), ...s.required ?? []],
  };
}

/** Marks a placeholder that is left out (an optional field the spec's sample filled with `"string"`). */
const DROP = Symbol("drop");

/**
 * The spec's sample with what the session knows put in, by field name and
 * place: `from.phoneNumber` your SMS number, `to[].phoneNumber` a number in
 * E.164, `text` a line of text, an email, an extension id, a real event
 * filter; an optional field the sample filled with the placeholder
 * `"string"` is left out (a required one stays, for the user to edit).
 */
function fillSample(
  sample: unknown,
  schema: Schema | undefined,
  schemas: Record<string, Schema>,
  known: Known,
): unknown {
  const walk = (value: unknown, sch: Schema, key: string, path: string[]): unknown => {
    const s = flatten(sch, schemas);
    if (key === "eventFilters" && Array.isArray(value)) {
      return ["/restapi/v1.0/account/~/extension/~/message-store", "/restapi/v1.0/account/~/extension/~/presence"];
    }
    if (Array.isArray(value)) {
      return value.map((v) => walk(v, s.items ?? {}, key, path)).filter((v) => v !== DROP);
    }
    if (value && typeof value === "object") {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value)) {
        const filled = walk(v, s.properties?.[k] ?? {}, k, [...path, key]);
        if (filled !== DROP) out[k] = filled;
        else if (s.required?.includes(k)) out[k] = v;
      }
      return out;
    }
    if (typeof value !== "string") return value;
    const within = (name: string) => path.includes(name) || key === name;
    if (key === "phoneNumber") {
      const number = within("from") || within("callerId") ? known.from : known.to;
      if (number) return number;
    }
    if (/email/i.test(key) || s.format === "email") return "someone@example.com";
    if ((key === "extensionId" || (key === "id" && within("members"))) && known.extensionId) return known.extensionId;
    if ((key === "text" || key === "subject") && value === "string") return "Hello from Explore";
    if (key === "name" && value === "string") return "Made in Explore";
    if (value === "string" && !s.enum) return DROP;
    return value;
  };
  const filled = walk(sample, schema ?? {}, "", []);
  return filled === DROP ? sample : filled;
}

/** Asks for the JSON body, prefilled with the spec's sample and what the session knows. */
async function askBody(s: Playground, op: Operation, catalog: Catalog): Promise<unknown> {
  const body = op.requestBody;
  if (!body || !/json/.test(body.contentType)) return undefined; // a required other kind was refused before
  const sample = catalog.requests[op.operationId];
  const text = JSON.stringify(sample);
  const from = text?.includes('"phoneNumber"') ? await smsNumber(s) : undefined;
  const known: Known = {
    from,
    to: s.rc.target === "emulator" || !from ? "+16505550123" : from, // on a real account: text or call yourself
    extensionId: s.known("extensionId")[0],
  };
  const filled = sample === undefined ? undefined : fillSample(sample, body.schema, catalog.schemas, known);
  const answer = await s.prompter.input(
    "JSON body (Enter sends the spec's sample, with what this session knows filled in; edit it as you like)",
    {
      default: filled === undefined ? "" : JSON.stringify(filled),
      validate: (v) => {
        if (!v.trim()) return body.required ? "This operation needs a body" : true;
        try {
          JSON.parse(v);
          return true;
        } catch (e) {
          return `Not JSON: ${(e as Error).message}`;
        }
      },
    },
  );
  return answer.trim() ? JSON.parse(answer) : undefined;
}

/**
 * Before filling in: offers the playground's own flow for an operation that
 * has one, and stops at a required body Explore cannot fill in. True: go on.
 */
async function ready(s: Playground, op: Operation): Promise<boolean> {
  const flow = FLOWS[op.operationId];
  if (flow) {
    s.out.print(`  The playground's "${flow.name}" flow does this step by step: it ${flow.does}.`);
    if (await s.prompter.confirm(`Run "${flow.name}" instead?`, { default: false })) {
      await flow.run(s);
      return false;
    }
  }
  const body = op.requestBody;
  if (body && !/json/.test(body.contentType)) {
    if (body.required) {
      s.out.print(
        `  This operation needs a ${body.contentType} body, which Explore cannot fill in, so it is not sent` +
          (flow
            ? `: the "${flow.name}" flow sends one.`
            : ": send it from code (Write code: rc.request() with a FormData or URLSearchParams body)."),
      );
      return false;
    }
    s.out.print(`  Its body is ${body.contentType} (optional), which Explore cannot fill in: it is sent without one.`);
  }
  return true;
}

/** Runs the flow. */
export async function explore(s: Playground): Promise<void> {
  const catalog = await s.waitFor("Loading the API catalog", () => loadCatalog());
  const op = await pick(s, catalog);
  if (!op) return;
  describe(s, op, catalog, await granted(s, op));
  if (!await ready(s, op)) return;
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
