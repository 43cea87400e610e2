/**
 * {@linkcode matchOperation}: the spec's operation for a method and a
 * concrete path, as the server picks it. The emulator answers by it, the
 * playground's recorder and Explore ask it which calls the types know.
 * @module
 */
import { type Operation, operations } from "./catalog.ts";

interface Compiled {
  op: Operation;
  regex: RegExp;
  /** Path parameters in order. */
  names: string[];
  /** Literal segments: where two templates match, the one with more wins (`/user-role/default`). */
  literals: number;
}

let compiled: Map<string, Compiled[]> | undefined;

function compile(): Map<string, Compiled[]> {
  const byMethod = new Map<string, Compiled[]>();
  for (const op of operations) {
    const names: string[] = [];
    const source = op.path.split("/").map((segment) =>
      segment.replace(/\{([^}]+)\}|[^{}]+/g, (part, name: string | undefined) => {
        if (name === undefined) return part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
        names.push(name);
        return "([^/]+)";
      })
    ).join("/");
    const literals = op.path.split("/").filter((s) => s && !s.includes("{")).length;
    const list = byMethod.get(op.method) ?? [];
    list.push({ op, regex: new RegExp(`^${source}/?$`), names, literals });
    byMethod.set(op.method, list);
  }
  for (const list of byMethod.values()) list.sort((a, b) => b.literals - a.literals);
  return byMethod;
}

/** What {@linkcode matchOperation} found: the operation and the path's parameters, decoded. */
export interface OperationMatch {
  /** The operation. */
  operation: Operation;
  /** The values of its path parameters. */
  params: Record<string, string>;
}

/**
 * The operation a method and path name (no query string), or undefined;
 * where two templates match, the one with more literal segments.
 *
 * @example
 * ```ts
 * import { matchOperation } from "./match.ts";
 * import { equal } from "node:assert/strict";
 * const found = matchOperation("GET", "/restapi/v1.0/account/~/extension/~/call-log");
 * equal(found?.operation.operationId, "readUserCallLog");
 * equal(found?.params.extensionId, "~");
 * equal(matchOperation("GET", "/restapi/v1.0/account/~/user-role/default")?.operation.operationId, "readDefaultRole");
 * ```
 */
export function matchOperation(method: string, path: string): OperationMatch | undefined {
  compiled ??= compile();
  for (const { op, regex, names } of compiled.get(method.toUpperCase()) ?? []) {
    const m = regex.exec(path);
    if (!m) continue;
    const params: Record<string, string> = {};
    try {
      names.forEach((name, i) => (params[name] = decodeURIComponent(m[i + 1])));
    } catch {
      return undefined; // a malformed %-escape names nothing
    }
    return { operation: op, params };
  }
  return undefined;
}

/**
 * Whether some operation has this path with another method (the server's
 * 405 rather than 404).
 *
 * @example
 * ```ts
 * import { pathKnown } from "./match.ts";
 * import { equal } from "node:assert/strict";
 * equal(pathKnown("/restapi/v1.0/account/~/extension/~/sms"), true);
 * equal(pathKnown("/restapi/v1.0/nothing"), false);
 * ```
 */
export function pathKnown(path: string): boolean {
  try {
    decodeURIComponent(path);
  } catch {
    return false; // a malformed %-escape names nothing
  }
  compiled ??= compile();
  return [...compiled.values()].some((list) => list.some(({ regex }) => regex.test(path)));
}
