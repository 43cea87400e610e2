/**
 * The routes of calls (the call log, recordings, RingOut, call control,
 * presence) and their clock. The table is here; the code that answers
 * loads on the first request that needs it, so that a script that never
 * touches calls starts as fast as before (`deno task bench --only 4`).
 * @module
 */
import type { Ctx } from "./_context.ts";
import type { Handler, Route } from "./_router.ts";
import type { EmulatorState } from "./state.ts";

/** The modules of calls, loaded once. */
interface CallCode {
  calls: typeof import("./calls.ts");
  handlers: Record<string, Handler<Ctx>>;
}

let code: CallCode | undefined;
let loading: Promise<CallCode> | undefined;

/** Loads the call modules (once). */
export function loadCallCode(): Promise<CallCode> {
  return loading ??= Promise.all([
    import("./calls.ts"),
    import("./call_log.ts"),
    import("./recordings.ts"),
    import("./ringout.ts"),
    import("./call_control.ts"),
    import("./presence.ts"),
  ]).then(([calls, log, recordings, ringOut, control, presence]) =>
    code = {
      calls,
      handlers: {
        ...log.callLogHandlers,
        ...recordings.recordingHandlers,
        ...ringOut.ringOutHandlers,
        ...control.callControlHandlers,
        ...presence.presenceHandlers,
      },
    }
  );
}

/** The handler of `operationId`, loaded on first use. */
function lazy(operationId: string): Handler<Ctx> {
  return async (ctx, params) => (await loadCallCode()).handlers[operationId](ctx, params);
}

/**
 * Runs the steps of calls that are due by `now`; returns when the next one
 * is (emulated ms), if any. Calls exist only once their code has loaded
 * (a state that has some starts loading it).
 */
export function tickCalls(state: EmulatorState, now: number): number | undefined {
  if (!code) {
    if (state.calls.length) void loadCallCode();
    return undefined;
  }
  code.calls.advanceCalls(state, now);
  return code.calls.nextCallStep(state);
}

const ACCOUNT = "/restapi/v1.0/account/:accountId";
const EXT = `${ACCOUNT}/extension/:extensionId`;
const SESSION = `${ACCOUNT}/telephony/sessions/:telephonySessionId`;
const PARTY = `${SESSION}/parties/:partyId`;
const callLog = { group: "Heavy" as const, permission: "ReadCallLog" };
const control = { group: "Light" as const, permission: "CallControl" };

/** The routes of calls, each in the spec's rate-limit group, with its app permission. */
export const callRoutes: Route<Ctx>[] = [
  { method: "GET", pattern: `${EXT}/call-log`, ...callLog, handler: lazy("readUserCallLog") },
  { method: "GET", pattern: `${EXT}/call-log/:callRecordId`, ...callLog, handler: lazy("readUserCallRecord") },
  { method: "GET", pattern: `${EXT}/call-log-sync`, ...callLog, handler: lazy("syncUserCallLog") },
  { method: "GET", pattern: `${EXT}/active-calls`, ...callLog, handler: lazy("listExtensionActiveCalls") },
  { method: "GET", pattern: `${ACCOUNT}/call-log`, ...callLog, handler: lazy("readCompanyCallLog") },
  { method: "GET", pattern: `${ACCOUNT}/call-log/:callRecordId`, ...callLog, handler: lazy("readCompanyCallRecord") },
  { method: "GET", pattern: `${ACCOUNT}/call-log-sync`, ...callLog, handler: lazy("syncAccountCallLog") },
  { method: "GET", pattern: `${ACCOUNT}/active-calls`, ...callLog, handler: lazy("listCompanyActiveCalls") },
  {
    method: "GET",
    pattern: `${ACCOUNT}/recording/:recordingId`,
    group: "Heavy",
    permission: "ReadCallRecording",
    handler: lazy("readCallRecording"),
  },
  {
    method: "GET",
    pattern: `${ACCOUNT}/recording/:recordingId/content`,
    group: "Heavy",
    permission: "ReadCallRecording",
    media: true, // served on the media origin too, where its contentUri points
    handler: lazy("readCallRecordingContent"),
  },
  {
    method: "POST",
    pattern: `${EXT}/ring-out`,
    group: "Heavy",
    permission: "RingOut",
    handler: lazy("createRingOutCall"),
  },
  {
    method: "GET",
    pattern: `${EXT}/ring-out/:ringoutId`,
    group: "Light",
    permission: "RingOut",
    handler: lazy("readRingOutCallStatus"),
  },
  {
    method: "DELETE",
    pattern: `${EXT}/ring-out/:ringoutId`,
    group: "Heavy",
    permission: "RingOut",
    handler: lazy("deleteRingOutCall"),
  },
  // RingCentral's guide and older samples spell it /ringout; the platform answers both.
  ...["POST", "GET", "DELETE"].map((method): Route<Ctx> => {
    const id = method === "POST" ? "" : "/:ringoutId";
    return {
      method,
      pattern: `${EXT}/ringout${id}`,
      aliasOf: `${EXT}/ring-out${id}`,
      group: method === "GET" ? "Light" : "Heavy",
      permission: "RingOut",
      handler: lazy({ POST: "createRingOutCall", GET: "readRingOutCallStatus", DELETE: "deleteRingOutCall" }[method]!),
    };
  }),
  { method: "GET", pattern: SESSION, ...control, handler: lazy("readCallSessionStatus") },
  { method: "DELETE", pattern: SESSION, ...control, handler: lazy("deleteCallSession") },
  { method: "GET", pattern: PARTY, ...control, handler: lazy("readCallPartyStatus") },
  { method: "PATCH", pattern: PARTY, ...control, handler: lazy("updateCallParty") },
  { method: "DELETE", pattern: PARTY, ...control, handler: lazy("deleteCallParty") },
  { method: "POST", pattern: `${PARTY}/answer`, ...control, handler: lazy("answerCallParty") },
  { method: "POST", pattern: `${PARTY}/hold`, ...control, handler: lazy("holdCallParty") },
  { method: "POST", pattern: `${PARTY}/unhold`, ...control, handler: lazy("unholdCallParty") },
  { method: "POST", pattern: `${PARTY}/transfer`, ...control, handler: lazy("transferCallParty") },
  { method: "POST", pattern: `${PARTY}/reject`, ...control, handler: lazy("rejectParty") },
  { method: "POST", pattern: `${PARTY}/forward`, ...control, handler: lazy("forwardCallParty") },
  { method: "POST", pattern: `${PARTY}/ignore`, ...control, handler: lazy("ignoreCallInQueue") },
  // Not played on a live session: a clear 501 there (a sample for a session the emulator does not know).
  ...["reply", "flip", "park", "pickup", "bridge", "supervise"].map((action): Route<Ctx> => ({
    method: "POST",
    pattern: `${PARTY}/${action}`,
    ...control,
    handler: lazy("notEmulatedCallControl"),
  })),
  ...["parties/bring-in", "supervise"].map((action): Route<Ctx> => ({
    method: "POST",
    pattern: `${SESSION}/${action}`,
    ...control,
    handler: lazy("notEmulatedCallControl"),
  })),
  { method: "POST", pattern: `${PARTY}/recordings`, ...control, handler: lazy("startCallRecording") },
  {
    method: "PATCH",
    pattern: `${PARTY}/recordings/:recordingId`,
    ...control,
    handler: lazy("pauseResumeCallRecording"),
  },
  {
    method: "GET",
    pattern: `${EXT}/presence`,
    group: "Light",
    permission: "ReadPresence",
    handler: lazy("readUserPresenceStatus"),
  },
  {
    method: "PUT",
    pattern: `${EXT}/presence`,
    group: "Medium",
    permission: "EditPresence",
    handler: lazy("updateUserPresenceStatus"),
  },
];
