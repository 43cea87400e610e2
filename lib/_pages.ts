/**
 * The records of a paged RingCentral list, one page in memory at a time,
 * following `navigation.nextPage`. An iterator of its own rather than an
 * async generator: a record costs one resolved promise, not a generator step.
 * @module
 */
import { RingCentralError } from "./errors.ts";
import { parseJsonOrText } from "./_util.ts";

interface Page {
  records?: unknown[];
  navigation?: { nextPage?: { uri?: string } };
}

/** Iterates the records of a list whose first page is at `first` (path and query). */
export class Pages<T> implements AsyncIterableIterator<T> {
  #next?: string;
  #get: (pathAndQuery: string) => Promise<Response>;
  #server: string;
  #records: unknown[] = [];
  #at = 0;

  /** Pages from `first`, each read with `get`; next pages are taken on `server`. */
  constructor(first: string, get: (pathAndQuery: string) => Promise<Response>, server: string) {
    this.#next = first;
    this.#get = get;
    this.#server = server;
  }

  /** Itself. */
  [Symbol.asyncIterator](): this {
    return this;
  }

  /** The next record, reading the next page when this one is done. */
  next(): Promise<IteratorResult<T>> {
    if (this.#at < this.#records.length) return Promise.resolve({ done: false, value: this.#records[this.#at++] as T });
    return this.#page();
  }

  /** Stops: no more pages are read. */
  return(): Promise<IteratorResult<T>> {
    this.#next = undefined;
    this.#records = [];
    return Promise.resolve({ done: true, value: undefined });
  }

  async #page(): Promise<IteratorResult<T>> {
    while (this.#next !== undefined) {
      const at = this.#next;
      const response = await this.#get(at);
      const page = parseJsonOrText(await response.text()) as Page | string | undefined;
      if (!page || typeof page !== "object" || (page.records !== undefined && !Array.isArray(page.records))) {
        this.#next = undefined;
        throw new RingCentralError({
          status: response.status,
          message: `The answer is not a JSON page of records (${typeof page === "string" ? "text" : "no records"})`,
          requestId: response.headers.get("rcrequestid") ?? undefined,
          method: "GET",
          path: new URL(at, this.#server).pathname,
          hint: "paginate() reads lists such as /restapi/v1.0/account/~/extension; check the path and RC_SERVER_URL",
        });
      }
      const uri = page.navigation?.nextPage?.uri;
      // The next page's path and query, on this client's server (never another host a body names).
      this.#next = uri ? (({ pathname, search }) => pathname + search)(new URL(uri, this.#server)) : undefined;
      this.#records = page.records ?? [];
      this.#at = 0;
      if (this.#records.length) return { done: false, value: this.#records[this.#at++] as T };
    }
    return { done: true, value: undefined };
  }
}
