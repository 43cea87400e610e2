/**
 * RingCentral's whole API, mapped: a record for every operation of the
 * OpenAPI spec that `deno task spec` derived from the pinned npm package
 * `ringcentral-open-api-parser` (what it needs, its parameters and body,
 * its rate-limit group, its page in the API reference), and a search over
 * them. The client's verbs are typed from the same spec; the emulator
 * answers every operation from it. Importing the client (`mod.ts`) never
 * loads this catalog.
 *
 * @example What reading the call log needs
 * ```ts
 * import { findOperations } from "./mod.ts";
 * import { equal } from "node:assert/strict";
 * const [callLog] = findOperations("call log");
 * equal(callLog.permission, "ReadCallLog");
 * equal(callLog.rateGroup, "Heavy");
 * equal(callLog.reference, "https://developers.ringcentral.com/api-reference/Call-Log/readUserCallLog");
 * ```
 * @module
 */
export { type Method, type Operation, operations, type Parameter, type Schema, SOURCE } from "./catalog.ts";
export { findOperations } from "./search.ts";
