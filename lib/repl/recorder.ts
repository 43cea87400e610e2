/**
 * Turns what a playground flow did into a standalone, replayable script
 * under scripts/recorded/: the same calls through the client, credentials
 * read at run time, no secret, the least-privilege `deno run` command in
 * its header, and what came back for `--check`.
 * @module
 */
import type { Schema } from "../api/catalog.ts";
import { matchOperation } from "../api/match.ts";
import { ENV_VARIABLES, type Target } from "../config.ts";
import type { Query } from "../transport.ts";
import { redact, redactData, redactPath } from "../redact.ts";
import type { Recorded } from "./replay.ts";
import { type PathExpr, pathWith, type RecordedFile, type Step, stepsOfPath } from "./_steps.ts";
import { curlFromSteps } from "./curl.ts";
import { shapeOf } from "./shape.ts";

export type { PathExpr, RecordedFile, Step } from "./_steps.ts";

/** Where and how the session runs, for the script's header. */
export interface RecordingContext {
  /** `sandbox`, `production` or `emulator` (the built-in one). */
  target: Target;
  /** The environment whose files hold the credentials (sandbox or production). */
  environment: "sandbox" | "production";
  /** Server URL. */
  server: string;
  /** Whether the client is built-in (in-process) emulator. */
  builtInEmulator: boolean;
  /** The grant used. */
  grant: "jwt" | "password" | "browser";
}

/** Where the `curl` form of a recording is written: beside it, `.curl.sh` for `.ts`. */
export function curlPath(recording: string): string {
  return recording.replace(/\.ts$/, ".curl.sh");
}

/**
 * The least-privilege `deno run` flags that replay a recording of `context`; `reads` are the files it
 * sends that it reads from their paths.
 */
export function permissionFlags(
  context: RecordingContext,
  { events = false, reads = [] }: { events?: boolean; reads?: string[] } = {},
): string[] {
  const files = [...new Set(reads)];
  // Offline, a browser login still listens on loopback for the redirect, and events come over a socket served there.
  if (context.builtInEmulator) {
    return [
      ...(context.grant === "browser" || events ? ["--allow-net=127.0.0.1"] : []),
      ...(files.length ? [`--allow-read=${files.join(",")}`] : []),
    ];
  }
  const env = context.environment;
  const cache = `tokens_${env}.json`;
  const host = new URL(context.server).hostname;
  // RingCentral's WebSocket gateway is ws-api.* beside platform.*.
  const hosts = events && host.startsWith("platform.") ? [host, host.replace(/^platform\./, "ws-api.")] : [host];
  return [
    `--allow-net=${hosts.join(",")}`,
    `--allow-read=.env,.env-${env},.env-${env}.local,${cache},${cache}.tmp,${cache}.lock${
      files.map((f) => `,${f}`).join("")
    }`,
    `--allow-write=${cache},${cache}.tmp,${cache}.lock`,
    `--allow-env=${ENV_VARIABLES.join(",")}`,
  ];
}

/** What a recording keeps of an answer: status, a few key fields, and the shape. */
export function recordAnswer(status: number, body: unknown): Recorded {
  const keys: Record<string, unknown> = {};
  if (body && typeof body === "object" && !Array.isArray(body)) {
    const b = body as Record<string, unknown>;
    for (const k of ["id", "name", "extensionNumber", "messageStatus", "errorCode", "message"]) {
      if (b[k] !== undefined && typeof b[k] !== "object") keys[k] = b[k];
    }
    if (Array.isArray(b.records)) keys.records = b.records.length;
    const paging = b.paging as Record<string, unknown> | undefined;
    if (paging?.totalElements !== undefined) keys.totalElements = paging.totalElements;
  }
  return { status, keys, ...(body !== undefined ? { shape: shapeOf(body) } : {}) };
}

function literal(value: unknown): string {
  return JSON.stringify(value);
}

function code(value: unknown): string {
  // Object literals read better than JSON: unquoted identifier keys (deno fmt lays them out).
  return JSON.stringify(value).replace(/"([A-Za-z_$][\w$]*)":/g, "$1: ");
}

function slug(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "").slice(0, 40) || "session";
}

/** Options of {@linkcode Recorder}. */
export interface RecorderOptions {
  /** Folder for the scripts. @default "scripts/recorded" */
  dir?: string;
  /** Path of mod.ts. @default this project's */
  modulePath?: string;
  /** Clock. @default Date.now */
  now?: () => number;
}

/** Collects the steps of flows and writes them as scripts. */
export class Recorder {
  /** Folder of the scripts. */
  readonly dir: string;
  /** Every step of the session, for {@linkcode Recorder.saveSession}. */
  readonly session: Step[] = [];
  #modulePath: string;
  #now: () => number;

  /** A recorder writing to `dir`. */
  constructor({ dir = "scripts/recorded", modulePath, now = Date.now }: RecorderOptions = {}) {
    this.dir = dir;
    this.#modulePath = modulePath ?? new URL("../../mod.ts", import.meta.url).pathname;
    this.#now = now;
  }

  /** Keeps a step in the session (once: a step a later flow depended on is already there). */
  add(step: Step): Step {
    if (!this.session.includes(step)) this.session.push(step);
    return step;
  }

  /** A free path for a new recording named after `title` (a second one the same second gets `_2`, which sorts after). */
  pathFor(title: string): string {
    const stamp = new Date(this.#now()).toISOString().replace(/\.\d+Z$/, "Z").replace(/:/g, "-");
    let path = `${this.dir}/${stamp}_${slug(title)}.ts`;
    for (let i = 2; existsSync(path); i++) path = `${this.dir}/${stamp}_${slug(title)}_${i}.ts`;
    return path;
  }

  /**
   * Writes `steps` as one script (at `to`, to rewrite a recording that
   * grows), their data redacted first (by structure, then `redactText`,
   * such as the client's own `redact`); returns its path, or undefined when
   * there is nothing to write. The files are written before the first
   * `await`: a process that ends right after the call keeps them (only
   * their formatting waits).
   */
  async write(
    title: string,
    steps: Step[],
    context: RecordingContext,
    redactText: (text: string) => string = redact,
    to?: string,
  ): Promise<string | undefined> {
    if (steps.length === 0) return undefined;
    Deno.mkdirSync(this.dir, { recursive: true });
    const path = to ?? this.pathFor(title);
    const safe = redactSteps(steps, redactText);
    Deno.writeTextFileSync(path, this.render(title, safe, context, path, new Date(this.#now())));
    Deno.writeTextFileSync(curlPath(path), curlFromSteps(safe, context)); // the same requests, to share as curl
    await format(path);
    return path;
  }

  /** Writes every step of the session as one script. */
  saveSession(context: RecordingContext, redactText?: (text: string) => string): Promise<string | undefined> {
    return this.write("session", this.session, context, redactText);
  }

  /** The script's text; `steps` are rendered as they are (redact them first, see {@linkcode redactSteps}). */
  render(title: string, steps: Step[], context: RecordingContext, path: string, when: Date): string {
    const sendsFiles = steps.some((s) => s.kind === "request" && s.files?.length);
    const lines = [...header(title, steps, context, path, when), ...this.#imports(path, context, sendsFiles)];
    const names = new Map<Step, string>();
    const recorded: Record<number, Recorded> = {};
    steps.forEach((step, i) => {
      names.set(step, `r${i + 1}`);
      const { code, answer } = stepCode(step, i + 1, names);
      if (answer) recorded[i + 1] = answer;
      lines.push(...code, "");
    });
    const text = withoutUnusedNames(lines, steps, names);
    if (text.at(-1) === "") text.pop();
    text.push(
      "});",
      "",
      "/** What came back when this was recorded: status, key fields, and the shape `--check` compares. */",
      `function recorded(): ConstructorParameters<typeof Replay>[0] {`,
      `  return ${code(recorded)};`,
      "}",
      "",
    );
    return text.join("\n");
  }

  /** The script's imports and the opening of its replay, which logs in as the session did. */
  #imports(path: string, context: RecordingContext, sendsFiles = false): string[] {
    const modulePath = relativeImport(path, this.#modulePath);
    const replayPath = relativeImport(path, new URL("./replay.ts", import.meta.url).pathname);
    const fromEnv = context.builtInEmulator
      ? `{ useEmulator: true${context.grant === "jwt" ? "" : `, grant: "${context.grant}"`} }`
      : context.grant === "password"
      ? `{ grant: "password" }`
      : context.grant === "browser"
      ? `{ browser: { interactive: false } }` // a replay uses the cached tokens; it never waits for a browser
      : "";
    return [
      `import { RingCentral${sendsFiles ? ", withFiles" : ""} } from "${modulePath}";`,
      `import { Replay, replayFlags } from "${replayPath}";`,
      "",
      "const replay = new Replay(recorded(), replayFlags(Deno.args));",
      `Deno.exitCode = await replay.run(() => RingCentral.fromEnv(${fromEnv}), async (rc) => {`,
    ];
  }
}

/** The script's header: what it did, against what, and the commands that replay and check it. */
function header(title: string, steps: Step[], context: RecordingContext, path: string, when: Date): string[] {
  const flags = permissionFlags(context, { events: steps.some((s) => s.kind === "subscribe"), reads: readsOf(steps) });
  const command = ["deno run", ...flags, path].join(" ");
  const net = flags.some((f) => f.startsWith("--allow-net"));
  const reads = flags.some((f) => f.startsWith("--allow-read"));
  const where = context.builtInEmulator
    ? net || reads
      ? `the built-in emulator (offline; replays need no credentials, and only ${
        [net ? "a loopback socket" : "", reads ? "the files they send" : ""].filter(Boolean).join(" and ")
      })`
      : "the built-in emulator (offline; replays need no credentials and no permission)"
    : `${context.target === "emulator" ? "an emulator" : `RingCentral ${context.environment}`} at ${context.server}`;
  const sends = steps.some((s) => s.kind === "request" && s.method !== "GET");
  return [
    `// ${title}: ${steps.map((s) => s.label).join("; ")}.`,
    `// Recorded ${
      when.toISOString().replace("T", " ").replace(/\.\d+Z$/, " UTC")
    } by the RingCentral playground, against`,
    `// ${where}.`,
    "//",
    "// Replay it from the project folder:",
    `//   ${command}`,
    "// Compare each answer with the recorded one (exit code 1 on a difference in status or shape):",
    `//   ${command} --check`,
    "// With only Node.js (no deno on PATH), the same through npx:",
    `//   npx -y deno@2 ${command.replace(/^deno /, "")} --check`,
    ...(sends && !context.builtInEmulator
      ? [
        "//",
        `// It changes data for real on ${context.server} (it sends what the session sent). A replay asks`,
        "// first; --yes skips the question, and --dry-run lists what it would send and sends nothing.",
      ]
      : []),
    "//",
    context.builtInEmulator
      ? "// It uses the emulator's own credentials; this file holds no secret."
      : `// Credentials come from .env and .env-${context.environment} (or RC_* variables) at run time; this file holds no secret.`,
  ];
}

/** Step `n`'s lines in the script, and what its answer was when recorded (for `--check`). */
function stepCode(step: Step, n: number, names: Map<Step, string>): { code: string[]; answer?: Recorded } {
  const name = names.get(step)!;
  const label = literal(step.label);
  switch (step.kind) {
    case "authenticate":
    case "login":
    case "refresh":
      return { code: [`// ${n}. ${step.label}`, `await replay.step(${n}, ${label}, () => rc.${step.kind}());`] };
    case "logout":
      return {
        code: [`// ${n}. ${step.label}`, `await replay.step(${n}, ${label}, () => rc.logout());`],
        answer: { status: 200, request: "POST /restapi/oauth/revoke (ends the session)" },
      };
    case "request": {
      const keys = Object.entries(step.result.keys ?? {}).map(([k, v]) => `${k} ${literal(v)}`).join(", ");
      return {
        code: [
          `// ${n}. ${step.label}. Recorded answer: ${step.result.status}${keys ? `, ${keys}` : ""}`,
          ...(step.notes ?? []).map((note) => `//    ${note}`),
          ...filesNotes(step.files),
          step.files?.length
            ? `const ${name} = await replay.step(${n}, ${label}, async () => ${filesCall(step, names)});`
            : `const ${name} = await replay.step(${n}, ${label}, () => ${requestCall(step, names)});`,
        ],
        answer: step.method === "GET"
          ? step.result
          : { ...step.result, request: `${step.method} ${pathText(step.path)}` },
      };
    }
    case "follow":
      return {
        code: [
          `// ${n}. ${step.label}. Recorded: ${literal(step.result.keys?.messageStatus ?? step.result.status)}`,
          `const ${name} = await replay.follow(${n}, ${label}, () => rc.get(${pathCode(step.path, names)}));`,
        ],
        answer: step.result,
      };
    case "subscribe":
      return {
        code: [
          `// ${n}. ${step.label}: events arrive over a WebSocket, and wait in \`${name}\` until read`,
          `const ${name} = await replay.subscribe(${n}, ${label}, () => rc.subscribe(${code(step.eventFilters)}));`,
        ],
      };
    case "events":
      return {
        code: [
          `// ${n}. ${step.label}: ${step.count} arrived when recorded`,
          `await replay.events(${n}, ${label}, ${names.get(step.subscription)}, ${step.count});`,
        ],
      };
  }
}

/** The files a recording reads from their paths (its replay needs to read them). */
function readsOf(steps: Step[]): string[] {
  return steps.flatMap((s) => s.kind === "request" ? (s.files ?? []).flatMap((f) => f.path ? [f.path] : []) : []);
}

/** Comment lines saying, for each file a request sends, whether the recording reads it from its path or carries it. */
function filesNotes(files: RecordedFile[] | undefined): string[] {
  return (files ?? []).map((f) =>
    f.path
      ? `//    ${f.name} (${f.type}, ${f.size} bytes) is read from its path, ${f.path}, as the session sent it.`
      : `//    ${f.name} (${f.type}, ${f.size} bytes) is carried inline, in base64: it is small.`
  );
}

/** The call of a request that sends files: `withFiles(json, [files])`, each file read from its path or inline. */
function filesCall(step: Extract<Step, { kind: "request" }>, names: Map<Step, string>): string {
  const files = (step.files ?? []).map((f) => {
    const bytes = f.path ? `await Deno.readFile(${literal(f.path)})` : `Uint8Array.fromBase64(${literal(f.base64)})`;
    return `new File([${bytes}], ${literal(f.name)}, { type: ${literal(f.type)} })`;
  });
  const verb = step.method.toLowerCase();
  const body = `withFiles(${code(step.body ?? {})}, [${files.join(", ")}])`;
  return ["post", "put"].includes(verb) && typedCall({ ...step, body: undefined }, step.query) && !step.query
    ? `rc.${verb}(${pathCode(step.path, names)}, ${body})`
    : `rc.request(${literal(step.method)}, ${pathCode(step.path, names)}, { query: ${
      code(step.query)
    }, body: ${body} })`;
}

/**
 * The client call of a recorded request: the typed verb with its path, query and body when the spec has the
 * operation and knows every query parameter (values in the spec's types: `perPage: 5`, as sent), else
 * `rc.request()`, which takes anything; so that a recording always type-checks.
 */
function requestCall(step: Extract<Step, { kind: "request" }>, names: Map<Step, string>): string {
  const verb = step.method.toLowerCase();
  const path = pathCode(step.path, names);
  const query = step.query && Object.keys(step.query).length ? step.query : undefined;
  const typedQuery = typedCall(step, query);
  if (!typedQuery) {
    return `rc.request(${literal(step.method)}, ${path}, ${code({ query: step.query, body: step.body })})`;
  }
  const second = verb === "get" || verb === "delete"
    ? query ? `, ${code(typedQuery)}` : ""
    : query
    ? `, ${step.body === undefined ? "undefined" : code(step.body)}, { query: ${code(query)} }`
    : step.body !== undefined
    ? `, ${code(step.body)}`
    : "";
  return `rc.${verb}(${path}${second})`;
}

/**
 * The query in the spec's types when the request can be written with a typed verb (`{}` without a query), or
 * undefined: another method, a path in no operation, a query parameter the operation does not have, or a body
 * of a kind the operation does not take.
 */
function typedCall(step: Extract<Step, { kind: "request" }>, query: Query | undefined): Query | undefined {
  if (!["GET", "POST", "PUT", "PATCH", "DELETE"].includes(step.method)) return undefined;
  // A path that uses an earlier answer is a `string` to the types: any path is fine there.
  const path = pathWith(step.path, () => "1");
  const found = matchOperation(step.method, path.replace(/\?.*$/, ""));
  if (!found) return typeof step.path === "string" ? undefined : query ?? {};
  const json = found.operation.requestBody?.contentType.includes("json");
  if (step.body !== undefined && (!json || typeof step.body !== "object")) return undefined;
  const typed: Query = {};
  for (const [name, value] of Object.entries(query ?? {})) {
    const parameter = found.operation.parameters.find((p) => p.in === "query" && p.name === name);
    if (!parameter) return undefined;
    typed[name] = inSchemaType(value, parameter.schema.type === "array" ? parameter.schema.items : parameter.schema);
  }
  return typed;
}

/** A query value as the spec types it: numbers and booleans sent as text become numbers and booleans again. */
function inSchemaType(value: Query[string], schema: Schema | undefined): Query[string] {
  const one = (v: string | number | boolean) =>
    typeof v !== "string"
      ? v
      : (schema?.type === "integer" || schema?.type === "number") && v.trim() !== "" && Number.isFinite(Number(v))
      ? Number(v)
      : schema?.type === "boolean" && (v === "true" || v === "false")
      ? v === "true"
      : v;
  return Array.isArray(value) ? value.map((v) => one(v) as string | number) : value === undefined ? value : one(value);
}

/** The lines without `const rN =` where no later step uses step N's answer. */
function withoutUnusedNames(lines: string[], steps: Step[], names: Map<Step, string>): string[] {
  const used = new Set(
    steps.flatMap((s) =>
      "path" in s && typeof s.path !== "string"
        ? stepsOfPath(s.path).map((step) => names.get(step))
        : s.kind === "events"
        ? [names.get(s.subscription)]
        : []
    ),
  );
  return lines.map((line) => {
    const m = /^const (r\d+) = /.exec(line);
    return m && !used.has(m[1]) ? line.replace(/^const r\d+ = /, "") : line;
  });
}

/**
 * The path of a request as a recording writes it: each of its segments that
 * is an id an earlier step's answer created (`createdBy`: the step, and the
 * field of its answer, `id` unless said) is a reference to that answer, so
 * the recording replays where the ids are others.
 */
export function dependentPath(path: string, createdBy: Map<string, Step | { step: Step; field: string }>): PathExpr {
  const segments = path.split("/");
  for (let i = 1; i < segments.length; i++) {
    const creator = createdBy.get(segments[i]);
    if (!creator) continue;
    const { step, field } = "kind" in creator ? { step: creator, field: "id" } : creator;
    const after = segments.slice(i + 1).join("/");
    return {
      before: `${segments.slice(0, i).join("/")}/`,
      step,
      field,
      after: after ? dependentPath(`/${after}`, createdBy) : "",
    };
  }
  return path;
}

/**
 * Copies of `steps` with every secret removed from their data, by
 * structure: secret-named query parameters and JSON keys, and registered
 * secret values anywhere (references between steps are kept).
 */
function redactSteps(steps: Step[], redactText: (text: string) => string = redact): Step[] {
  const copies = new Map<Step, Step>();
  const data = <T>(value: T) => redactData(value, redactText);
  for (const step of steps) {
    const label = redactText(step.label);
    if (step.kind === "request") {
      copies.set(step, {
        ...step,
        label,
        query: step.query && data(step.query),
        body: data(step.body),
        notes: step.notes && data(step.notes),
        result: { ...step.result, keys: data(step.result.keys) },
      });
    } else if (step.kind === "follow") {
      copies.set(step, { ...step, label, result: { ...step.result, keys: data(step.result.keys) } });
    } else copies.set(step, { ...step, label });
  }
  for (const copy of copies.values()) {
    if (copy.kind === "events") copy.subscription = copies.get(copy.subscription) ?? copy.subscription;
    if ((copy.kind === "request" || copy.kind === "follow")) {
      const relink = (path: PathExpr): PathExpr =>
        typeof path === "string"
          ? redactPath(path, redactText)
          : { ...path, step: copies.get(path.step) ?? path.step, after: relink(path.after ?? "") };
      copy.path = relink(copy.path);
    }
  }
  return steps.map((s) => copies.get(s)!);
}

/** A path as a reader sees it, with `{field}` for a value taken from an earlier answer. */
function pathText(path: PathExpr): string {
  return pathWith(path, (_, field) => `{${field}}`);
}

function pathCode(path: PathExpr, names: Map<Step, string>): string {
  if (typeof path === "string") return literal(path);
  return `\`${pathWith(path, (step, field) => `\${${names.get(step)}.body.${field}}`)}\``;
}

function relativeImport(from: string, to: string): string {
  const a = absolute(from).split("/").slice(0, -1);
  const b = absolute(to).split("/");
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  const rel = [...a.slice(i).map(() => ".."), ...b.slice(i)].join("/");
  return rel.startsWith(".") ? rel : `./${rel}`;
}

function absolute(path: string): string {
  const full = path.startsWith("/") ? path : `${Deno.cwd()}/${path}`;
  const out: string[] = [];
  for (const part of full.split("/")) {
    if (part === "..") out.pop();
    else if (part !== "." && part !== "") out.push(part);
  }
  return `/${out.join("/")}`;
}

/** Lays the script out with `deno fmt` when Deno is at hand; a script that is not formatted still runs. */
function existsSync(path: string): boolean {
  try {
    Deno.lstatSync(path);
    return true;
  } catch {
    return false;
  }
}

async function format(path: string): Promise<void> {
  try {
    await new Deno.Command(Deno.execPath(), {
      args: ["fmt", "--no-config", "--line-width", "100", "--quiet", path],
      stdout: "null",
      stderr: "null",
    }).output();
  } catch {
    // no permission to run deno: leave it as written
  }
}
