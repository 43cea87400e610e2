/**
 * A value outside a parameter's enum gets one wording from every route,
 * stateful or sampled: `Parameter [name] value is invalid. It must be one of "A", "B".`
 */
import { equal } from "node:assert/strict";
import { ApiError, RingCentral } from "../../mod.ts";
import { DEFAULT_PERMISSIONS } from "../../lib/emulator/permissions.ts";
import { inProcess } from "../_helpers.ts";

const EXT = "/restapi/v1.0/account/~/extension/~";

async function messageOf(call: () => Promise<unknown>): Promise<string> {
  try {
    await call();
  } catch (e) {
    if (e instanceof ApiError) return `${e.errorCode} ${(e.body as { message?: string }).message}`;
    throw e;
  }
  throw new Error("no error");
}

Deno.test("a value outside an enum: the same words from stateful and sampled routes", async () => {
  await using emu = inProcess({ permissions: [...DEFAULT_PERMISSIONS, "ReadContacts"] });
  const rc = new RingCentral(emu.credentials);
  const cases: [() => Promise<unknown>, string][] = [
    [
      () => rc.request("GET", `${EXT}/call-log`, { query: { direction: "Sideways" } }),
      'CMN-101 Parameter [direction] value is invalid. It must be one of "Inbound", "Outbound".',
    ],
    [
      () => rc.request("GET", `${EXT}/message-sync`, { query: { syncType: "FSync", direction: "Sideways" } }),
      'CMN-101 Parameter [direction] value is invalid. It must be one of "Inbound", "Outbound".',
    ],
    [
      () => rc.request("GET", `${EXT}/message-sync`, { query: { syncType: "FSync", messageType: "Letter" } }),
      'CMN-101 Parameter [messageType] value is invalid. It must be one of "Fax", "SMS", "VoiceMail", "Pager", "Text".',
    ],
    [
      () => rc.request("PUT", `${EXT}/presence`, { body: { dndStatus: "Asleep" } }),
      "CMN-101 Parameter [dndStatus] value is invalid. It must be one of " +
      '"TakeAllCalls", "DoNotAcceptDepartmentCalls", "TakeDepartmentCallsOnly", "DoNotAcceptAnyCalls", "Unknown".',
    ],
    [
      // A sampled route, checked against the spec's schema.
      () => rc.request("GET", `${EXT}/address-book/contact`, { query: { sortBy: "Everything" } }),
      'CMN-101 Parameter [sortBy[0]] value is invalid. It must be one of "FirstName", "LastName", "Company".',
    ],
  ];
  for (const [call, expected] of cases) equal(await messageOf(call), expected);
});
