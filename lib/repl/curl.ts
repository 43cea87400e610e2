/**
 * Requests as `curl` commands, the way people share a request in a support
 * thread: every secret is a `$RC_…` environment variable reference, never a
 * value.
 * @module
 */
import type { Exchange } from "../transport.ts";
import { type PathExpr, pathWith, type RecordedFile, type Step } from "./_steps.ts";

/** Form fields and the variables that stand for their secret values. */
const SECRET_FORM: Record<string, string> = {
  assertion: "$RC_JWT",
  password: "$RC_PASSWORD",
  refresh_token: "$RC_REFRESH_TOKEN",
  client_secret: "$RC_CLIENT_SECRET",
  token: "$RC_ACCESS_TOKEN",
  access_token: "$RC_ACCESS_TOKEN",
  code: "$RC_AUTH_CODE",
  code_verifier: "$RC_CODE_VERIFIER",
};

/** `text` in single quotes for a POSIX shell; `\0NAME\0` in it becomes a `"$NAME"` reference. */
function quote(text: string): string {
  return text.split("\0").map((part, i) => i % 2 ? `"$${part}"` : `'${part.replaceAll("'", `'"'"'`)}'`)
    .filter((part) => part !== "''").join("") || "''";
}

function command(
  method: string,
  url: string,
  auth: string,
  body?: { json?: string; form?: URLSearchParams; files?: RecordedFile[] },
  { whole = false, saveAs }: { whole?: boolean; saveAs?: string } = {},
): string {
  // A contentUri is a whole URL (on the media host), not a path on the server.
  const where = whole || /^https?:\/\//.test(url) ? quote(url) : `"$RC_SERVER_URL"${quote(url)}`;
  const lines = [`curl -X ${method} ${where}`, `  ${auth}`];
  lines.push(saveAs ? `  -o ${quote(saveAs)}` : `  -H 'Accept: application/json'`);
  let stdin = "";
  if (body?.files) {
    // multipart/form-data: the JSON part first, read from the here-document below (so that a ";" in the text is
    // not taken for curl's field separator), then each file (curl writes the boundary and the Content-Type).
    lines.push(`  -F 'request.json=<-;type=application/json'`);
    for (const f of body.files) lines.push(`  -F ${quote(`attachment=@${f.path ?? f.name};type=${f.type}`)}`);
    stdin = ` <<'JSON'\n${body.json ?? "{}"}\nJSON`;
  } else if (body?.json !== undefined) {
    lines.push(`  -H 'Content-Type: application/json'`, `  --data ${quote(body.json)}`);
  }
  for (const [k, v] of body?.form ?? []) {
    lines.push(`  --data-urlencode ${k in SECRET_FORM ? `"${k}=${SECRET_FORM[k]}"` : quote(`${k}=${v}`)}`);
  }
  return lines.join(" \\\n") + stdin;
}

/**
 * One exchange (as the HTTP view shows it) as a `curl` command.
 *
 * @example
 * ```ts
 * import { curlFromExchange } from "./curl.ts";
 * import { match } from "node:assert/strict";
 * const curl = curlFromExchange({
 *   method: "GET", path: "/restapi/v1.0/account/~", requestHeaders: { authorization: "Bearer [REDACTED]" },
 *   status: 200, responseHeaders: {}, responseBody: "{}", durationMs: 1,
 * });
 * match(curl, /-H "Authorization: Bearer \$RC_ACCESS_TOKEN"/);
 * ```
 */
export function curlFromExchange(x: Exchange): string {
  const basic = /^basic/i.test(x.requestHeaders.authorization ?? "");
  const auth = basic ? `-u "$RC_CLIENT_ID:$RC_CLIENT_SECRET"` : `-H "Authorization: Bearer $RC_ACCESS_TOKEN"`;
  const type = x.requestHeaders["content-type"] ?? "";
  const body = x.requestBody === undefined
    ? undefined
    : /form-urlencoded/.test(type)
    ? { form: new URLSearchParams(x.requestBody) }
    : { json: x.requestBody };
  return command(x.method, x.path, auth, body);
}

/** The shell variable that stands for `field` of answer `n`: `R2_ID`, `R3_ATTACHMENTS_1_URI`. */
function variable(n: number | undefined, field: string): string {
  return `R${n}_${field.toUpperCase().replace(/[^A-Z0-9]+/g, "_").replace(/^_|_$/g, "")}`;
}

function pathText(path: PathExpr, numbers: Map<Step, number>): string {
  return pathWith(path, (step, field) => `\0${variable(numbers.get(step), field)}\0`);
}

/** The fields of earlier answers that `path` uses, other than an id (which its POST says how to set). */
function references(path: PathExpr): { step: Step; field: string }[] {
  if (typeof path === "string") return [];
  return [...(path.field === "id" ? [] : [{ step: path.step, field: path.field }]), ...references(path.after ?? "")];
}

/**
 * The requests of recorded steps as `curl` commands, one after another; an
 * id taken from an earlier answer is a `$R<n>_ID` variable to set first.
 * The header says how to set the server and a token; a session on the
 * built-in emulator (which curl cannot reach) says to start a served one.
 *
 * @example
 * ```ts
 * import { curlFromSteps } from "./curl.ts";
 * import { match } from "node:assert/strict";
 * const curl = curlFromSteps([], { builtInEmulator: true, server: "http://emulator.local" });
 * match(curl, /deno task emulator/);
 * match(curl, /export RC_ACCESS_TOKEN=\$\(deno task token\)/);
 * ```
 */
export function curlFromSteps(steps: Step[], where: { builtInEmulator: boolean; server: string }): string {
  const numbers = new Map(steps.map((s, i) => [s, i + 1]));
  const served = /^http:\/\/(127\.0\.0\.1|localhost)(:|\/|$)/.test(where.server);
  const out = where.builtInEmulator && !served
    ? [
      "# This session ran on the built-in emulator, inside the playground's process, where curl cannot reach.",
      "# Start this project's emulator, which curl can reach (deno task token finds it by itself), then:",
      "#   deno task emulator",
      "#   export RC_ACCESS_TOKEN=$(deno task token)",
      "#   export RC_SERVER_URL=http://127.0.0.1:8787",
    ]
    : where.builtInEmulator
    ? [
      `# This session ran on this project's emulator, at ${where.server} while it runs (deno task token finds it):`,
      "#   export RC_ACCESS_TOKEN=$(deno task token)",
      `#   export RC_SERVER_URL=${where.server}`,
    ]
    : [
      "# Set the server and an access token first (the token is a secret: keep it out of shared files):",
      `#   export RC_SERVER_URL=${where.server}`,
      "#   export RC_ACCESS_TOKEN=$(deno task token)",
    ];
  steps.forEach((step, i) => {
    const n = i + 1;
    if (step.kind === "request" || step.kind === "follow") {
      const method = step.kind === "request" ? step.method : "GET";
      const query = step.kind === "request" && step.query
        ? `?${new URLSearchParams(
          Object.entries(step.query).flatMap(([k, v]) =>
            v === undefined ? [] : (Array.isArray(v) ? v : [v]).map((x) => [k, String(x)])
          ),
        )}`
        : "";
      const files = step.kind === "request" ? step.files : undefined;
      const body = step.kind === "request" && (step.body !== undefined || files?.length)
        ? { json: step.body === undefined ? undefined : JSON.stringify(step.body), ...(files?.length ? { files } : {}) }
        : undefined;
      const whole = typeof step.path !== "string" && step.path.before === ""; // a URI taken whole from an answer
      const saveAs = step.kind === "request" ? step.saveAs : undefined;
      out.push(
        `# ${n}. ${step.label}`,
        ...(files ?? []).filter((f) => !f.path).map((f) =>
          `# ${f.name} is inline in the .ts recording (base64): save it as ${f.name} here first`
        ),
        ...references(step.path).map(({ step: from, field }) =>
          `# first: ${variable(numbers.get(from), field)}=<the "${field}" of answer ${numbers.get(from)}>`
        ),
        command(
          method,
          `${pathText(step.path, numbers)}${query}`,
          `-H "Authorization: Bearer $RC_ACCESS_TOKEN"`,
          body,
          { whole, saveAs },
        ),
      );
      if (step.kind === "request" && method === "POST") out.push(`# then: R${n}_ID=<the "id" of that answer>`);
    } else out.push(`# ${n}. ${step.label} (the client's own step: see the recording)`);
  });
  return out.join("\n") + "\n";
}
