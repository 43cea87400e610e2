/**
 * RingCentral's `page` / `perPage` paging, with `paging` and `navigation`
 * exactly as the platform returns them.
 * @module
 */
import type { Ctx } from "./context.ts";
import { apiError } from "./http.ts";

/** A page of records with its `uri`, `paging` and `navigation`, or a 400 for bad paging parameters. */
export function paginate<T>(
  ctx: Ctx,
  records: T[],
  { defaultPerPage = 100, max = 1000, extraQuery = {} }: {
    defaultPerPage?: number;
    max?: number;
    extraQuery?: Record<string, string>;
  } = {},
):
  | { uri: string; records: T[]; paging: Record<string, number>; navigation: Record<string, { uri: string }> }
  | Response {
  const q = ctx.url.searchParams;
  const bad = (name: string) =>
    apiError(400, {
      errorCode: "CMN-101",
      message: `Parameter [${name}] value is invalid.`,
      parameterName: name,
      parameterValue: q.get(name) ?? "",
    }, { topCode: "InvalidParameter" });
  const page = q.has("page") ? Number(q.get("page")) : 1;
  const perPage = q.has("perPage") ? Number(q.get("perPage")) : defaultPerPage;
  if (!Number.isInteger(page) || page < 1) return bad("page");
  if (!Number.isInteger(perPage) || perPage < 1 || perPage > max) return bad("perPage");

  // RingCentral's uris carry numeric ids where the request said "~".
  const path = ctx.url.pathname
    .replace(/\/account\/~(?=\/|$)/, `/account/${ctx.state.account.id}`)
    .replace(/\/extension\/~(?=\/|$)/, `/extension/${ctx.session?.extensionId ?? "~"}`);
  const total = records.length;
  const totalPages = Math.ceil(total / perPage);
  const start = (page - 1) * perPage;
  const slice = records.slice(start, start + perPage);
  const paging: Record<string, number> = { page, totalPages, perPage, totalElements: total };
  if (slice.length) {
    paging.pageStart = start;
    paging.pageEnd = start + slice.length - 1;
  }
  const link = (p: number) => {
    const params = new URLSearchParams(q);
    for (const [k, v] of Object.entries(extraQuery)) params.set(k, v);
    params.set("page", String(p));
    params.set("perPage", String(perPage));
    return { uri: `${ctx.origin}${path}?${params}` };
  };
  const navigation: Record<string, { uri: string }> = { firstPage: link(1) };
  if (page < totalPages) navigation.nextPage = link(page + 1);
  if (page > 1 && page <= totalPages) navigation.previousPage = link(page - 1);
  navigation.lastPage = link(Math.max(1, totalPages));
  const echo = new URLSearchParams(q);
  for (const [k, v] of Object.entries(extraQuery)) echo.set(k, v);
  const search = echo.toString();
  return { uri: `${ctx.origin}${path}${search ? `?${search}` : ""}`, records: slice, paging, navigation };
}
