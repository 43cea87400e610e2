/**
 * Response helpers of the emulator: RingCentral's pretty-printed JSON,
 * its error bodies and headers, and a small regex router.
 * @module
 */

/**
 * Serializes like RingCentral's Jackson pretty printer: `"key" : value`,
 * two-space indent, arrays of objects opened as `[ {`. Hand-rolled string
 * building: this runs on every response.
 */
export function jackson(value: unknown, indent = ""): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value) ?? "null";
  if (Array.isArray(value)) {
    if (value.length === 0) return "[ ]";
    let objects = true;
    for (const v of value) {
      if (v === null || typeof v !== "object" || Array.isArray(v)) {
        objects = false;
        break;
      }
    }
    const inner = objects ? indent : indent + "  ";
    let out = "[ ";
    for (let i = 0; i < value.length; i++) out += (i ? ", " : "") + jackson(value[i], inner);
    return out + " ]";
  }
  const inner = indent + "  ";
  let out = "";
  for (const key in value as Record<string, unknown>) {
    const v = (value as Record<string, unknown>)[key];
    if (v === undefined) continue;
    out += (out ? ",\n" : "{\n") + inner + JSON.stringify(key) + " : " + jackson(v, inner);
  }
  return out ? out + "\n" + indent + "}" : "{ }";
}

/** Headers every emulator response carries (a plain object: cheaper than `Headers` on the hot path). */
export function baseHeaders(extra: Record<string, string> = {}): Record<string, string> {
  return { RCRequestId: crypto.randomUUID(), "Content-Language": "en-US", ...extra };
}

/** A JSON response in RingCentral's style. */
export function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return jsonText(jackson(body), status, headers);
}

/** A response for an already serialized JSON body (one header literal: this is the hot path). */
export function jsonText(text: string, status = 200, headers?: Record<string, string>): Response {
  const all: Record<string, string> = {
    RCRequestId: crypto.randomUUID(),
    "Content-Language": "en-US",
    "Content-Type": "application/json; charset=UTF-8",
  };
  if (headers) { for (const k in headers) all[k] = headers[k]; }
  return new Response(text, { status, headers: all });
}

/** One item of a RingCentral `errors` array. */
export interface ApiErrorItem {
  /** Code such as `CMN-101`. */
  errorCode: string;
  /** Human-readable message. */
  message: string;
  /** Parameter at fault. */
  parameterName?: string;
  /** Its value. */
  parameterValue?: string;
}

/**
 * A platform API error body: the first error repeated at top level (with a
 * symbolic top-level code where RingCentral uses one).
 */
export function apiError(
  status: number,
  item: ApiErrorItem,
  { topCode, headers }: { topCode?: string; headers?: Record<string, string> } = {},
): Response {
  const body: Record<string, unknown> = {
    errorCode: topCode ?? item.errorCode,
    message: item.message,
    errors: [item],
  };
  if (item.parameterName) body.parameterName = item.parameterName;
  return json(body, status, headers);
}

/** An OAuth error body (`error`, `errors`, `error_description`), status 400 unless given. */
export function oauthError(
  error: string,
  errorCode: string,
  message: string,
  { status = 400, parameters, headers }: {
    status?: number;
    parameters?: { parameterName: string; parameterValue: string }[];
    headers?: Record<string, string>;
  } = {},
): Response {
  const item: Record<string, unknown> = { errorCode, message };
  if (parameters) item.parameters = parameters;
  return json({ error, errors: [item], error_description: message }, status, headers);
}

/** A JSON object a handler returns for a 200 answer; the router serializes (and may cache) it. */
export type JsonBody = Record<string, unknown> | unknown[];

/** A request's path parameters. */
export type Params = Record<string, string>;

/** One route: method, a pattern like `/restapi/v1.0/account/:accountId`, a handler and a rate group. */
export interface Route<C> {
  /** HTTP method. */
  method: string;
  /** Path pattern with `:name` segments. */
  pattern: string;
  /** RingCentral rate-limit group (`x-throttling-group`), or none for emulator controls. */
  group?: "Light" | "Medium" | "Heavy" | "Auth";
  /** Whether the route needs a Bearer token. @default true */
  auth?: boolean;
  /** Whether a 200 answer depends only on state, user, origin and URL, so it may be cached until reset. */
  cache?: boolean;
  /** Handles the request: a Response, or a JSON body for a 200. */
  handler: (ctx: C, params: Params) => Response | JsonBody | Promise<Response | JsonBody>;
}

/** A compiled route table: finds the route and parameters for a method and path. */
export function compileRoutes<C>(routes: Route<C>[]) {
  const compiled = routes.map((route) => {
    const names: string[] = [];
    const source = route.pattern.replace(/:(\w+)/g, (_, name) => {
      names.push(name);
      return "([^/]+)";
    });
    return { route, names, regex: new RegExp(`^${source}/?$`) };
  });
  type Match = { route?: Route<C>; params: Params; pathKnown: boolean };
  // Clients repeat the same paths: remember the last thousand answers (params are not mutated).
  const memo = new Map<string, Match>();
  const find = (method: string, path: string): Match => {
    let pathKnown = false;
    for (const { route, names, regex } of compiled) {
      const m = regex.exec(path);
      if (!m) continue;
      pathKnown = true;
      if (route.method !== method) continue;
      const params: Params = {};
      names.forEach((n, i) => (params[n] = decodeURIComponent(m[i + 1])));
      return { route, params, pathKnown };
    }
    return { params: {}, pathKnown };
  };
  return (method: string, path: string): Match => {
    const key = `${method} ${path}`;
    let found = memo.get(key);
    if (!found) {
      if (memo.size >= 1000) memo.clear();
      memo.set(key, found = find(method, path));
    }
    return found;
  };
}
