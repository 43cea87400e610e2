/**
 * Response helpers of the emulator: RingCentral's pretty-printed JSON,
 * its error bodies and headers, and a small regex router.
 * @module
 */

/**
 * Serializes like RingCentral's Jackson pretty printer: `"key" : value`,
 * two-space indent, arrays of objects opened as `[ {`.
 */
export function jackson(value: unknown, indent = ""): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value) ?? "null";
  const inner = indent + "  ";
  if (Array.isArray(value)) {
    if (value.length === 0) return "[ ]";
    if (value.every((v) => v !== null && typeof v === "object" && !Array.isArray(v))) {
      return `[ ${value.map((v) => jackson(v, indent)).join(", ")} ]`;
    }
    return `[ ${value.map((v) => jackson(v, inner)).join(", ")} ]`;
  }
  const entries = Object.entries(value).filter(([, v]) => v !== undefined);
  if (entries.length === 0) return "{ }";
  return `{\n${entries.map(([k, v]) => `${inner}${JSON.stringify(k)} : ${jackson(v, inner)}`).join(",\n")}\n${indent}}`;
}

/** Headers every emulator response carries. */
export function baseHeaders(extra: HeadersInit = {}): Headers {
  const headers = new Headers(extra);
  headers.set("RCRequestId", crypto.randomUUID());
  headers.set("Content-Language", "en-US");
  headers.set("Server", "ringcentral-emulator");
  return headers;
}

/** A JSON response in RingCentral's style. */
export function json(body: unknown, status = 200, headers: HeadersInit = {}): Response {
  const h = baseHeaders(headers);
  h.set("Content-Type", "application/json; charset=UTF-8");
  return new Response(jackson(body), { status, headers: h });
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
  { topCode, headers }: { topCode?: string; headers?: HeadersInit } = {},
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
    headers?: HeadersInit;
  } = {},
): Response {
  const item: Record<string, unknown> = { errorCode, message };
  if (parameters) item.parameters = parameters;
  return json({ error, errors: [item], error_description: message }, status, headers);
}

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
  /** Handles the request. */
  handler: (ctx: C, params: Params) => Response | Promise<Response>;
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
  return (method: string, path: string): { route?: Route<C>; params: Params; pathKnown: boolean } => {
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
}
