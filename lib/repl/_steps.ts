/**
 * What a flow did, step by step: the data recordings, replays and curl
 * exports are made from.
 * @module
 */
import type { Query } from "../transport.ts";
import type { Recorded } from "./replay.ts";

/**
 * A path, or a path that uses a field of an earlier step's answer (and,
 * in `after`, maybe another: a party of a telephony session names both).
 */
export type PathExpr = string | { before: string; step: Step; field: string; after?: PathExpr };

/** The earlier steps whose answers a path uses. */
export function stepsOfPath(path: PathExpr): Step[] {
  return typeof path === "string" ? [] : [path.step, ...stepsOfPath(path.after ?? "")];
}

/** A path as text, each field it takes from an earlier answer written by `reference`. */
export function pathWith(path: PathExpr, reference: (step: Step, field: string) => string): string {
  return typeof path === "string"
    ? path
    : `${path.before}${reference(path.step, path.field)}${pathWith(path.after ?? "", reference)}`;
}

/**
 * A file a request sent (an MMS picture, a fax document): a recording reads
 * it from `path` when replayed, or carries it inline (`base64`) when it is small.
 */
export interface RecordedFile {
  /** Its name, as sent. */
  name: string;
  /** Its media type. */
  type: string;
  /** Its size in bytes. */
  size: number;
  /** Where the replay reads it (relative to the project folder, or absolute). */
  path?: string;
  /** Its bytes in base64, for a small file. */
  base64?: string;
}

/** One thing a flow did. */
export type Step =
  | { kind: "authenticate"; label: string }
  | { kind: "login"; label: string }
  | { kind: "refresh"; label: string }
  | { kind: "logout"; label: string }
  | {
    kind: "request";
    label: string;
    method: string;
    path: PathExpr;
    query?: Query;
    body?: unknown;
    /** Files sent with `body` as its JSON part (multipart: `withFiles(body, files)`). */
    files?: RecordedFile[];
    result: Recorded;
    /** Comment lines for the reader (what the flow showed). */
    notes?: string[];
    /** The file the answer's body was saved to (a download). */
    saveAs?: string;
  }
  | { kind: "follow"; label: string; path: PathExpr; result: Recorded }
  | { kind: "subscribe"; label: string; eventFilters: string[] }
  | {
    kind: "events";
    label: string;
    /** The `subscribe` step whose events these are. */
    subscription: Step;
    /** How many arrived while recording. */
    count: number;
  };
