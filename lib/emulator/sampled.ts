/**
 * Every operation of the spec that no route emulates with state, answered
 * Prism-like from the derived catalog (lib/api/): the path, query and JSON
 * body are validated against the operation (a missing required parameter or
 * a wrong type is RingCentral's 400 `CMN-101` naming it), the operation's
 * rate-limit group and app permission apply as for any route, and a success
 * answers with the operation's sampled body, always the same one, marked
 * `X-Emulator-Sample: true` so that nobody takes it for behaviour. The
 * catalog and its schemas are loaded on the first request that misses the
 * stateful routes, never at start-up.
 * @module
 */
import type { Operation, Samples, Schema } from "../api/catalog.ts";
import type { Ctx } from "./_context.ts";
import { baseHeaders, invalidParameter, json } from "./_http.ts";
import type { RouteMatch } from "./_router.ts";
import { coerce, problems, type SchemaProblem } from "./_schema.ts";

/** The header that marks a sampled answer. */
const SAMPLE_HEADER = "X-Emulator-Sample";

/** What answering from the catalog needs, loaded once. */
interface Catalog {
  match: typeof import("../api/match.ts");
  samples: Samples;
  schemas: Record<string, Schema>;
}

let catalog: Promise<Catalog> | undefined;

function loadCatalog(): Promise<Catalog> {
  return catalog ??= (async () => {
    const [match, { loadSchemas, loadSamples }] = await Promise.all([
      import("../api/match.ts"),
      import("../api/catalog.ts"),
    ]);
    const [{ schemas }, samples] = await Promise.all([loadSchemas(), loadSamples()]);
    return { match, samples, schemas };
  })();
}

/**
 * The sampled route for a request that no stateful route has: the
 * operation's group and permission, and a handler that validates and
 * answers. `pathKnown` is whether a stateful route has the path, for the 405.
 */
export async function sampledRoute(method: string, path: string, pathKnown: boolean): Promise<RouteMatch<Ctx>> {
  const { match, ...rest } = await loadCatalog();
  const found = match.matchOperation(method, path);
  if (!found) return { params: {}, pathKnown: pathKnown || match.pathKnown(path) };
  const { operation } = found;
  const group = operation.rateGroup === "NoThrottling" ? undefined : operation.rateGroup;
  return {
    route: {
      method,
      pattern: operation.path,
      group,
      permission: operation.permission,
      handler: (ctx, params) => answer(ctx, operation, params, rest),
    },
    params: found.params,
    pathKnown: true,
  };
}

/** Validates the request against the operation, then answers its sample. */
async function answer(
  ctx: Ctx,
  operation: Operation,
  params: Record<string, string>,
  { samples, schemas }: Omit<Catalog, "match">,
): Promise<Response> {
  const pathValues = Object.fromEntries(Object.entries(params).map(([k, v]) => [k, listOrValue(operation, k, v)]));
  checkParameters(operation, "path", pathValues, schemas);
  checkParameters(operation, "query", queryOf(ctx.url.searchParams), schemas);
  await checkBody(ctx, operation, schemas);
  return sampleResponse(operation, samples);
}

/** A path parameter that is a list (`/message-store/1,2`) as an array. */
function listOrValue(operation: Operation, name: string, value: string): string | string[] {
  const parameter = operation.parameters.find((p) => p.in === "path" && p.name === name);
  return parameter?.schema.type === "array" ? value.split(",") : value;
}

/** The query as an object: a repeated parameter is an array. */
function queryOf(search: URLSearchParams): Record<string, string | string[]> {
  const query: Record<string, string | string[]> = {};
  for (const key of new Set(search.keys())) {
    const all = search.getAll(key);
    query[key] = all.length > 1 ? all : all[0];
  }
  return query;
}

/** The operation's path or query parameters, each in its schema's type, checked: the first problem is a 400. */
function checkParameters(
  operation: Operation,
  place: "path" | "query",
  values: Record<string, string | string[]>,
  schemas: Record<string, Schema>,
): void {
  for (const parameter of operation.parameters.filter((p) => p.in === place)) {
    const given = values[parameter.name];
    if (given === undefined) {
      if (parameter.required) throw parameterError({ path: "", message: "", missing: parameter.name }, values);
      continue;
    }
    const value = coerce(parameter.schema, given, schemas);
    const found = problems(parameter.schema, value, schemas, `/${parameter.name}`);
    if (found.length) throw parameterError(found[0], { [parameter.name]: value });
  }
}

/** RingCentral's 400 for the first problem: the parameter named as `to[0].phoneNumber`, and what is wrong. */
function parameterError(problem: SchemaProblem, value: unknown): ReturnType<typeof invalidParameter> {
  const at = problem.path.split("/").slice(1).map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"));
  const name = [...at, ...(problem.missing ? [problem.missing] : [])]
    .map((s, i) => /^\d+$/.test(s) ? `[${s}]` : i === 0 ? s : `.${s}`).join("") || "body";
  if (problem.missing) return invalidParameter(name, { message: `Parameter [${name}] is required` });
  const given = at.reduce<unknown>((v, k) => (v as Record<string, unknown> | undefined)?.[k], value);
  return invalidParameter(name, {
    detail: ` It ${problem.message}.`,
    ...(typeof given === "string" || typeof given === "number" ? { value: String(given) } : {}),
  });
}

/** A JSON body is checked against the operation's schema; another kind only has to be there when required. */
async function checkBody(ctx: Ctx, operation: Operation, schemas: Record<string, Schema>): Promise<void> {
  const expected = operation.requestBody;
  if (!expected) return;
  const bytes = await ctx.body();
  if (!bytes.length) {
    if (expected.required) throw invalidParameter("body", { message: "Parameter [body] is required" });
    return;
  }
  if (!expected.schema || !/json/.test(expected.contentType)) return;
  const body = await ctx.json();
  if (body === undefined) {
    throw invalidParameter("body", { message: "Parameter [body] value is invalid. The body is not JSON." });
  }
  const found = problems(expected.schema, body, schemas);
  if (found.length) throw parameterError(found[0], body);
}

/** The operation's success answer: its sampled JSON body, an empty one, or a placeholder of its media type. */
function sampleResponse(operation: Operation, samples: Samples): Response {
  const status = operation.response?.status ?? 200;
  const contentType = operation.response?.contentType;
  const marked = { [SAMPLE_HEADER]: "true" };
  if (operation.operationId in samples.responses) {
    return json(structuredClone(samples.responses[operation.operationId]), status, marked);
  }
  if (!contentType || status === 204) return new Response(null, { status, headers: baseHeaders(marked) });
  const concrete = contentType.replace("audio/*", "audio/mpeg").replace("image/*", "image/png");
  const text = concrete === "text/csv" ? "sample\n" : "emulator sample";
  return new Response(text, { status, headers: baseHeaders({ "Content-Type": concrete, ...marked }) });
}
