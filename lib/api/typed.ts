/**
 * Types only: the client's verbs typed from the spec (`paths.d.ts`, derived
 * by `deno task spec` with openapi-typescript). A call's path is matched to
 * the spec's template: each `{param}` becomes `${string}`, and the path must
 * have as many `/` as the template, so every hole is exactly one segment
 * (`~`, an id, or a `string` variable). That keeps overlapping templates
 * apart: `/extension/~/message-store` matches `/extension/{extensionId}/message-store`,
 * never `/extension/{extensionId}`. Where two templates still match (`/user-role/default`
 * and `/user-role/{roleId}`), the one with the literal segment wins, as on the server.
 * @module
 */
import type { paths } from "./paths.d.ts";
import type { Query, RequestOptions } from "../transport.ts";

/**
 * A verb of the client, as openapi-typescript names it.
 * @ignore
 */
export type Verb = "get" | "post" | "put" | "patch" | "delete";

/**
 * The spec's template with every `{param}` as `${string}`.
 * @ignore
 */
export type Pattern<K extends string> = K extends `${infer A}{${string}}${infer B}` ? `${A}${string}${Pattern<B>}` : K;

/**
 * The number of `/` in S.
 * @ignore
 */
export type Slashes<S extends string, N extends unknown[] = []> = S extends `${string}/${infer R}`
  ? Slashes<R, [...N, 0]>
  : N["length"];

/**
 * The spec's templates that have an operation for the verb.
 * @ignore
 */
export type TemplatesFor<M extends Verb> = {
  [K in keyof paths]: paths[K][M] extends undefined ? never : K;
}[keyof paths];

/**
 * Every template that a path P matches for the verb.
 * @ignore
 */
export type Matches<P extends string, M extends Verb> = {
  [K in TemplatesFor<M>]: P extends Pattern<K> ? (Slashes<P> extends Slashes<K> ? K : never) : never;
}[TemplatesFor<M>];

/**
 * Of several matching templates, the one whose pattern is narrower than the others'.
 * @ignore
 */
export type MostSpecific<K extends string> = {
  [A in K]: [Exclude<K, A>] extends [never] ? A : Pattern<A> extends Pattern<Exclude<K, A>> ? A : never;
}[K];

/**
 * The spec's template that a path matches for a verb (`never` when none does).
 * Through `infer`: applied directly, MostSpecific made every check of the client 0.5 s slower.
 * @ignore
 */
export type TemplateOf<P extends string, M extends Verb> = Matches<P, M> extends infer K extends string
  ? MostSpecific<K>
  : never;

/**
 * The operations of a verb by template (computed once per verb, then indexed).
 * @ignore
 */
export type OperationsFor<M extends Verb> = { [K in TemplatesFor<M>]: NonNullable<paths[K][M]> };
/** @ignore */
export type OperationOf<P extends string, M extends Verb> = TemplateOf<P, M> extends
  infer K extends keyof OperationsFor<M> ? OperationsFor<M>[K]
  : never;

/** @ignore */
export type ParametersOf<O> = O extends { parameters: infer X } ? X : never;

/**
 * The first success answer of an operation's responses.
 * @ignore
 */
export type Success<R> = 200 extends keyof R ? R[200]
  : 201 extends keyof R ? R[201]
  : 202 extends keyof R ? R[202]
  : 204 extends keyof R ? R[204]
  : unknown;

/** @ignore */
export type JsonContent<R> = R extends { content: { "application/json": infer J } } ? J : unknown;

/**
 * An array parameter also takes one value: the client sends arrays as repeated parameters anyway.
 * @ignore
 */
export type OneOrMany<Q> = { [K in keyof Q]: NonNullable<Q[K]> extends readonly (infer E)[] ? E | E[] : Q[K] };

/**
 * The query parameters of the operation a path names (`never` when it has
 * none).
 *
 * @example The message store's filters
 * ```ts
 * import type { QueryOf } from "../../mod.ts";
 * const query: QueryOf<"/restapi/v1.0/account/~/extension/~/message-store"> = {
 *   messageType: "SMS",
 *   direction: ["Inbound", "Outbound"],
 *   perPage: 10,
 * };
 * void query;
 * ```
 */
export type QueryOf<P extends string, M extends Verb = "get"> = ParametersOf<OperationOf<P, M>> extends
  { query?: infer Q } ? [Q] extends [undefined] ? never : OneOrMany<NonNullable<Q>>
  : never;

/**
 * The JSON body of the success answer of the operation a path names.
 *
 * @example The extension's own record
 * ```ts
 * import type { ResponseBody } from "../../mod.ts";
 * type Me = ResponseBody<"/restapi/v1.0/account/~/extension/~">;
 * const me: Pick<Me, "name" | "extensionNumber"> = { name: "Alice Admin", extensionNumber: "101" };
 * void me;
 * ```
 */
export type ResponseBody<P extends string, M extends Verb = "get"> = OperationOf<P, M> extends { responses: infer R }
  ? JsonContent<Success<R>>
  : unknown;

/**
 * The request body of the operation a path names: its JSON type, or
 * `FormData`, `URLSearchParams`, `Blob` or text for an operation that takes
 * no JSON (multipart uploads, forms).
 *
 * @example An SMS
 * ```ts
 * import type { RequestBody } from "../../mod.ts";
 * const sms: RequestBody<"/restapi/v1.0/account/~/extension/~/sms"> = {
 *   from: { phoneNumber: "+16505550101" },
 *   to: [{ phoneNumber: "+16505550199" }],
 *   text: "Hi",
 * };
 * void sms;
 * ```
 */
export type RequestBody<P extends string, M extends Verb = "post"> = OperationOf<P, M> extends
  { requestBody?: { content: infer C } } ? C extends { "application/json": infer J } ? J
  : FormData | URLSearchParams | Blob | string
  : undefined;

/**
 * A `Response` whose `json()` has the type of the operation's answer.
 *
 * @example
 * ```ts
 * import { RingCentral, type TypedResponse } from "../../mod.ts";
 * import { createEmulator } from "../emulator/mod.ts";
 * import { equal } from "node:assert/strict";
 * const emulator = createEmulator();
 * const rc = new RingCentral({ ...emulator.credentials, fetch: emulator.fetch });
 * const response: TypedResponse<{ name?: string }> = await rc.get("/restapi/v1.0/account/~/extension/~");
 * equal((await response.json()).name, "Alice Admin");
 * ```
 */
export interface TypedResponse<T> extends Response {
  /** The body, parsed as JSON. */
  json(): Promise<T>;
}

/**
 * A path the verb may take: a literal or template path must match an
 * operation of the spec (the error then names the verb and the path); a
 * path known only at run time (`string`) is not checked.
 *
 * @example A template literal fills a path parameter
 * ```ts
 * import type { ApiPath } from "../../mod.ts";
 * const id: string = "1001";
 * const path: ApiPath<`/restapi/v1.0/account/~/extension/${string}`, "get"> = `/restapi/v1.0/account/~/extension/${id}`;
 * void path;
 * ```
 */
export type ApiPath<P extends string, M extends Verb> = string extends P ? P
  : [TemplateOf<P, M>] extends [never] ? `no ${M} operation for ${P}`
  : P;

/**
 * The arguments after the path of `get` and `delete`: the query (required
 * when the operation has a required query parameter, typed from the spec),
 * then the request's options. A `delete` whose operation requires a body
 * (`bulkDeleteUsersV2`, `deleteCompanyCallRecordings`, …) requires the
 * options with that body, typed from the spec: `rc.delete(path, undefined, { body })`.
 *
 * @example
 * ```ts
 * import type { QueryArguments } from "../../mod.ts";
 * const args: QueryArguments<"/restapi/v1.0/account/~/extension", "get"> = [{ perPage: 100, type: "User" }];
 * const recordings: QueryArguments<"/restapi/v1.0/account/~/call-recordings", "delete"> = [
 *   undefined,
 *   { body: { records: ["1001"] } },
 * ];
 * void args, recordings;
 * ```
 */
export type QueryArguments<P extends string, M extends Verb> = string extends P
  ? [query?: Query, options?: RequestOptions]
  : [TemplateOf<P, M>] extends [never] ? [query?: Query, options?: RequestOptions] // the path is the error
  : OperationOf<P, M> extends { requestBody: unknown } ? [
      query: ([QueryOf<P, M>] extends [never] ? Record<string, never> : QueryOf<P, M>) | undefined,
      options: RequestOptions & { body: RequestBody<P, M> },
    ]
  : [QueryOf<P, M>] extends [never] ? [query?: Record<string, never>, options?: OptionsWithBody<P, M>]
  : ParametersOf<OperationOf<P, M>> extends { query: unknown } ? [query: QueryOf<P, M>, options?: OptionsWithBody<P, M>]
  : [query?: QueryOf<P, M>, options?: OptionsWithBody<P, M>];

/**
 * The request's options of a `delete` whose operation takes an optional body: the body typed from the spec.
 * @ignore
 */
export type OptionsWithBody<P extends string, M extends Verb> = OperationOf<P, M> extends
  { requestBody?: { content: unknown } } ? RequestOptions & { body?: RequestBody<P, M> }
  : RequestOptions;

/**
 * The arguments after the path of `post`, `put` and `patch`: the body
 * (required when the operation requires one, typed from the spec), then the
 * request's options.
 *
 * @example
 * ```ts
 * import type { BodyArguments } from "../../mod.ts";
 * const args: BodyArguments<"/restapi/v1.0/subscription", "post"> = [{
 *   eventFilters: ["/restapi/v1.0/account/~/extension/~/message-store"],
 *   deliveryMode: { transportType: "WebHook", address: "https://example.com/hook" },
 * }];
 * void args;
 * ```
 */
export type BodyArguments<P extends string, M extends Verb> = string extends P
  ? [body?: unknown, options?: RequestOptions]
  : [TemplateOf<P, M>] extends [never] ? [body?: unknown, options?: RequestOptions] // the path is the error
  : OperationOf<P, M> extends { requestBody: unknown } ? [body: RequestBody<P, M>, options?: RequestOptions]
  : [body?: RequestBody<P, M>, options?: RequestOptions];

/**
 * What a verb resolves to: a {@linkcode TypedResponse} of the operation's
 * answer, or a `Response` whose `json()` is `any` for a path known only at
 * run time.
 *
 * @example
 * ```ts
 * import type { ApiResponse } from "../../mod.ts";
 * type Account = Awaited<ReturnType<ApiResponse<"/restapi/v1.0/account/~", "get">["json"]>>;
 * const account: Pick<Account, "mainNumber"> = { mainNumber: "+16505550100" };
 * void account;
 * ```
 */
export type ApiResponse<P extends string, M extends Verb> = string extends P ? Response
  : TypedResponse<ResponseBody<P, M>>;
