/**
 * What a check's emulator saw: every request the attendee's script made,
 * in order, with its answer's status, its rate-limit group and what is left
 * of it, which records of which list it returned (paging), and which
 * messages it showed in which status. The checks read it to see what the
 * script did, not only what it printed; the live status reads it to say
 * what the script is doing now.
 * @module
 */

/** One page of a list that an answer held. */
export interface SeenPage {
  /** The list: its path (`~` for the account and the caller) and its filters, without `page` and `perPage`. */
  list: string;
  /** Its path alone. */
  path: string;
  /** Index of the page's first record in the list. */
  start: number;
  /** Index after its last record. */
  end: number;
  /** How many records the list has. */
  total: number;
  /** The page size asked for. */
  perPage: number;
}

/** One request the script made, and its answer once it came. */
export interface Seen {
  /** When it arrived, in ms since the log started. */
  at: number;
  /** Method. */
  method: string;
  /** Path and query, as sent. */
  target: string;
  /** Path, with the account's id and the caller's own id written `~`. */
  path: string;
  /** The answer's status; none while it is on its way. */
  status?: number;
  /** Its rate-limit group (`Light`, `Medium`, `Heavy`, `Auth`), when limits apply. */
  group?: string;
  /** The group's requests per window. */
  limit?: number;
  /** What the group had left after it. */
  remaining?: number;
  /** The group's window in seconds. */
  window?: number;
  /** When its answer came, in ms since the log started. */
  answeredAt?: number;
  /** The page of a list it returned. */
  page?: SeenPage;
  /** The messages it showed, with the status each had then. */
  messages?: { id: string; status: string }[];
}

/** A handler as `Deno.serve` takes it. */
type Handler = (request: Request, info?: Deno.ServeHandlerInfo) => Response | Promise<Response>;

const FINAL = new Set(["Delivered", "DeliveryFailed", "SendingFailed", "Received"]);

/**
 * Whether a message status is final: the message will not change any more.
 *
 * @example
 * ```ts
 * import { isFinal } from "./seen.ts";
 * import { equal } from "node:assert/strict";
 * equal(isFinal("Delivered"), true);
 * equal(isFinal("Queued"), false);
 * ```
 */
export function isFinal(status: string): boolean {
  return FINAL.has(status);
}

/**
 * The requests a served emulator answers, recorded by wrapping its handler
 * (`serve({ wrap: log.wrap })`).
 *
 * @example
 * ```ts
 * import { RingCentral } from "../../mod.ts";
 * import { serve } from "../emulator/mod.ts";
 * import { RequestLog } from "./seen.ts";
 * import { equal } from "node:assert/strict";
 * const log = new RequestLog();
 * await using served = serve({ wrap: log.wrap });
 * log.me = served.emulator.state.extensions[0].id;
 * log.account = served.emulator.state.account.id;
 * const rc = new RingCentral(served.credentials);
 * let n = 0;
 * for await (const _ of rc.paginate("/restapi/v1.0/account/~/extension", { perPage: 10 })) n++;
 * await log.settled();
 * equal(n, 25);
 * const pages = log.requests.filter((r) => r.page?.path === "/restapi/v1.0/account/~/extension");
 * equal(pages.length, 3);
 * equal(log.complete("/restapi/v1.0/account/~/extension"), true);
 * ```
 */
export class RequestLog {
  /** Every request, in the order they came. */
  readonly requests: Seen[] = [];
  /** The account's id, written `~` in paths. */
  account?: number;
  /** The caller's extension id, written `~` in paths. */
  me?: number;
  /** Called for each request as it comes, and again when its answer is read. */
  onRequest?: (seen: Seen) => void;
  #start: number;
  #now: () => number;
  #pending = new Set<Promise<void>>();

  /** A log whose times are `now()` less the time it starts. */
  constructor(now: () => number = Date.now) {
    this.#now = now;
    this.#start = now();
  }

  /** Milliseconds since the log started. */
  elapsed(): number {
    return this.#now() - this.#start;
  }

  /** Wraps a served emulator's handler so that each request and answer is recorded. */
  wrap = (handle: Handler) => async (request: Request, info?: Deno.ServeHandlerInfo): Promise<Response> => {
    const url = new URL(request.url);
    if (url.pathname.startsWith("/__emulator/")) return await handle(request, info);
    const seen: Seen = {
      at: this.elapsed(),
      method: request.method,
      target: url.pathname + url.search,
      path: this.#tilde(url.pathname),
    };
    this.requests.push(seen);
    this.onRequest?.(seen);
    const response = await handle(request, info);
    seen.status = response.status;
    seen.answeredAt = this.elapsed();
    const h = response.headers;
    if (h.has("x-rate-limit-group")) {
      const group = h.get("x-rate-limit-group")!;
      seen.group = group[0].toUpperCase() + group.slice(1);
      seen.limit = Number(h.get("x-rate-limit-limit"));
      seen.remaining = Number(h.get("x-rate-limit-remaining"));
      seen.window = Number(h.get("x-rate-limit-window"));
    }
    if (request.method === "GET" && response.ok && /json/.test(h.get("content-type") ?? "")) {
      const reading = response.clone().json().then((body) => this.#read(seen, url, body), () => {});
      this.#pending.add(reading);
      reading.finally(() => this.#pending.delete(reading));
    }
    this.onRequest?.(seen);
    return response;
  };

  /** Resolves once every answer is read. */
  async settled(): Promise<void> {
    while (this.#pending.size) await Promise.all([...this.#pending]);
  }

  /** The path with the account's id and the caller's id as `~`. */
  #tilde(path: string): string {
    let p = path;
    if (this.account !== undefined) p = p.replace(new RegExp(`/account/${this.account}(?=/|$)`), "/account/~");
    if (this.me !== undefined) p = p.replace(new RegExp(`/extension/${this.me}(?=/|$)`), "/extension/~");
    return p;
  }

  #read(seen: Seen, url: URL, body: unknown): void {
    if (!body || typeof body !== "object") return;
    const b = body as {
      id?: unknown;
      messageStatus?: unknown;
      records?: { id?: unknown; messageStatus?: unknown }[];
      paging?: { pageStart?: number; pageEnd?: number; totalElements?: number; perPage?: number };
    };
    const messages = [b, ...(Array.isArray(b.records) ? b.records : [])]
      .filter((m) => m && m.id !== undefined && typeof m.messageStatus === "string")
      .map((m) => ({ id: String(m.id), status: String(m.messageStatus) }));
    if (messages.length) seen.messages = messages;
    if (Array.isArray(b.records) && b.paging && typeof b.paging.totalElements === "number") {
      const query = [...url.searchParams].filter(([k]) => k !== "page" && k !== "perPage")
        .map(([k, v]) => `${k}=${v}`).sort().join("&");
      const start = b.paging.pageStart ?? 0;
      seen.page = {
        list: query ? `${seen.path}?${query}` : seen.path,
        path: seen.path,
        start,
        end: b.paging.pageEnd === undefined ? start : b.paging.pageEnd + 1,
        total: b.paging.totalElements,
        perPage: b.paging.perPage ?? b.records.length,
      };
    }
  }

  /** The pages read of each list at `path` (any filters), by list. */
  lists(path: string): Map<string, SeenPage[]> {
    const lists = new Map<string, SeenPage[]>();
    for (const r of this.requests) {
      if (r.page?.path === path) lists.set(r.page.list, [...lists.get(r.page.list) ?? [], r.page]);
    }
    return lists;
  }

  /** Whether some list at `path` was read whole: its pages together hold every record. */
  complete(path: string): boolean {
    return [...this.lists(path).values()].some((pages) => covered(pages) >= pages.at(-1)!.total);
  }

  /** Each status the message `id` was seen in, in order. */
  statusesOf(id: string): string[] {
    return this.requests.flatMap((r) => r.messages?.filter((m) => m.id === id).map((m) => m.status) ?? []);
  }

  /** The last request, answered or not. */
  last(): Seen | undefined {
    return this.requests.at(-1);
  }

  /**
   * The rate-limit group whose requests are used up for now, after the
   * last answer (the client holds the group's next request back until the
   * window frees one): its name, limit, window and when the next fits.
   */
  holding(): { group: string; limit: number; window: number; freeInMs: number } | undefined {
    const last = [...this.requests].reverse().find((r) => r.status !== undefined);
    if (!last?.group || last.remaining !== 0 || !last.window) return undefined;
    const windowMs = last.window * 1000;
    const now = this.elapsed();
    const inWindow = this.requests.filter((r) =>
      r.group === last.group && r.status !== undefined && r.status !== 429 && r.at > now - windowMs
    );
    const oldest = Math.min(...inWindow.map((r) => r.at), now);
    return { group: last.group, limit: last.limit ?? 0, window: last.window, freeInMs: oldest + windowMs - now };
  }
}

/** How many records the pages hold together, counting each once. */
export function covered(pages: SeenPage[]): number {
  const sorted = [...pages].sort((a, b) => a.start - b.start);
  let n = 0;
  let upTo = 0;
  for (const p of sorted) {
    const from = Math.max(p.start, upTo);
    if (p.end > from) n += p.end - from;
    upTo = Math.max(upTo, p.end);
  }
  return n;
}
