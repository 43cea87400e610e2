/**
 * The emulator's one route table: `{ method, pattern, group, handler }`
 * entries for RingCentral's API and the emulator's controls, matched in order.
 * @module
 */
import type { JsonBody } from "./_http.ts";

/** A request's path parameters. */
export type Params = Record<string, string>;

/** What answers a route: a Response, or a JSON body for a 200; errors are thrown as `HttpError`s. */
export type Handler<C> = (ctx: C, params: Params) => Response | JsonBody | Promise<Response | JsonBody>;

/** One route: method, a pattern like `/restapi/v1.0/account/:accountId`, a handler and a rate group. */
export interface Route<C> {
  /** HTTP method. */
  method: string;
  /** Path pattern with `:name` segments. */
  pattern: string;
  /** RingCentral rate-limit group (`x-throttling-group`), or none for emulator controls. */
  group?: "Light" | "Medium" | "Heavy" | "Auth";
  /** The app permission it needs (`x-app-permission`); a token without it gets a 403 `CMN-401`. */
  permission?: string;
  /** Whether the route needs a Bearer token. @default true */
  auth?: boolean;
  /** The spec's path this route is another spelling of, which RingCentral accepts too (`/ringout` for `/ring-out`). */
  aliasOf?: string;
  /** Served on the media origin too (content such as a recording's, whose `contentUri` points there). */
  media?: boolean;
  /** An emulator control (`/__emulator/...`): not counted, not limited, never faulted. */
  control?: boolean;
  /**
   * In a room, who may use this control besides the instructor (who has the key): `attendee` with their
   * own Bearer token (for themselves), `anyone` (joining). @default only the instructor
   */
  roomAccess?: "attendee" | "anyone";
  /**
   * Handles the request: a Response, or a JSON body for a 200. Errors are
   * thrown as `HttpError`s.
   */
  handler: (ctx: C, params: Params) => Response | JsonBody | Promise<Response | JsonBody>;
}

/** What {@linkcode compileRoutes}' matcher finds for a method and path. */
export interface RouteMatch<C> {
  /** The route, when one has this method and path. */
  route?: Route<C>;
  /** The path parameters, decoded. */
  params: Params;
  /** Whether some route has this path (with another method: a 405). */
  pathKnown: boolean;
}

/**
 * A compiled route table: finds the route and parameters for a method and
 * path, trying the routes in order (as std's `routeLinear`).
 *
 * @example
 * ```ts
 * import { compileRoutes } from "./_router.ts";
 * import { deepEqual } from "node:assert/strict";
 * const match = compileRoutes([{ method: "GET", pattern: "/a/:id", handler: () => ({}) }]);
 * deepEqual(match("GET", "/a/7").params, { id: "7" });
 * ```
 */
export function compileRoutes<C>(routes: Route<C>[]): (method: string, path: string) => RouteMatch<C> {
  const compiled = routes.map((route) => {
    const names: string[] = [];
    const source = route.pattern.replace(/:(\w+)/g, (_, name) => {
      names.push(name);
      return "([^/]+)";
    });
    return { route, names, regex: new RegExp(`^${source}/?$`) };
  });
  return (method: string, path: string): RouteMatch<C> => {
    let pathKnown = false;
    for (const { route, names, regex } of compiled) {
      const m = regex.exec(path);
      if (!m) continue;
      pathKnown = true;
      if (route.method !== method) continue;
      const params: Params = {};
      try {
        names.forEach((n, i) => (params[n] = decodeURIComponent(m[i + 1])));
      } catch {
        return { params: {}, pathKnown: false }; // a malformed %-escape names nothing: 404
      }
      return { route, params, pathKnown };
    }
    return { params: {}, pathKnown };
  };
}
