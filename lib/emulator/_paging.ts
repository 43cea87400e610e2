/**
 * RingCentral's `page` / `perPage` paging, with `paging` and `navigation`
 * exactly as the platform returns them.
 * @module
 */
import type { Ctx } from "./_context.ts";
import { invalidParameter } from "./_http.ts";

/** One page of a list, as RingCentral returns it. */
export interface Page<T> {
  /** The list's URI, with `~` resolved. */
  uri: string;
  /** The records of this page. */
  records: T[];
  /** `page`, `totalPages`, `perPage`, `totalElements`, `pageStart`, `pageEnd` (no totals with `totals: false`). */
  paging: Record<string, number>;
  /** `firstPage`, `nextPage`, `previousPage`, `lastPage` (no `lastPage` with `totals: false`). */
  navigation: Record<string, { uri: string }>;
}

/**
 * A page of records with its `uri`, `paging` and `navigation`; throws a 400
 * for bad paging parameters. `totals: false` leaves out `totalPages`,
 * `totalElements` and `navigation.lastPage`, as the call log and active
 * calls do ("may be omitted for performance"): clients page by `nextPage`.
 */
export function paginate<T>(
  ctx: Ctx,
  records: T[],
  { defaultPerPage = 100, max = 1000, extraQuery = {}, totals = true }: {
    defaultPerPage?: number;
    max?: number;
    extraQuery?: Record<string, string>;
    totals?: boolean;
  } = {},
): Page<T> {
  const q = ctx.url.searchParams;
  const bad = (name: string) => invalidParameter(name, { value: q.get(name) ?? "" });
  const page = q.has("page") ? Number(q.get("page")) : 1;
  const perPage = q.has("perPage") ? Number(q.get("perPage")) : defaultPerPage;
  if (!Number.isInteger(page) || page < 1) throw bad("page");
  if (!Number.isInteger(perPage) || perPage < 1 || perPage > max) throw bad("perPage");

  // RingCentral's uris carry numeric ids where the request said "~".
  const path = ctx.url.pathname
    .replace(/\/account\/~(?=\/|$)/, `/account/${ctx.state.account.id}`)
    .replace(/\/extension\/~(?=\/|$)/, `/extension/${ctx.session?.extensionId ?? "~"}`);
  const total = records.length;
  const totalPages = Math.ceil(total / perPage);
  const start = (page - 1) * perPage;
  const slice = records.slice(start, start + perPage);
  const paging: Record<string, number> = totals
    ? { page, totalPages, perPage, totalElements: total }
    : { page, perPage };
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
  if (totals) navigation.lastPage = link(Math.max(1, totalPages));
  const echo = new URLSearchParams(q);
  for (const [k, v] of Object.entries(extraQuery)) echo.set(k, v);
  const search = echo.toString();
  return { uri: `${ctx.origin}${path}${search ? `?${search}` : ""}`, records: slice, paging, navigation };
}
