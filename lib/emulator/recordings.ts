/**
 * Call recordings in the emulator: a recording's metadata, and its content,
 * a small valid WAV file as long as the recording, served on the media
 * origin (where its `contentUri` points, as RingCentral's points at
 * media.ringcentral.com) and on the platform origin too (SDKs that build
 * the path themselves send it there).
 * @module
 */
import type { Ctx } from "./_context.ts";
import { baseHeaders, invalidParameter, type JsonBody } from "./_http.ts";
import { checkAccount, notFound } from "./_lookup.ts";
import { contentDisposition } from "./_multipart.ts";
import type { Handler, Params } from "./_router.ts";
import { callLogOf } from "./call_history.ts";
import { recordingUris } from "./call_log.ts";
import type { CallLogEntry } from "./state.ts";

/** Samples per second of the recordings: a telephone's 8 kHz, one byte each. */
const SAMPLE_RATE = 8000;

/**
 * A WAV file (PCM, 8 kHz, 8-bit, mono) of `seconds`: a soft beep at the
 * start of every second, silence between.
 *
 * @example
 * ```ts
 * import { wav } from "./recordings.ts";
 * import { equal } from "node:assert/strict";
 * const file = wav(2);
 * equal(new TextDecoder().decode(file.subarray(0, 4)), "RIFF");
 * equal(file.length, 44 + 2 * 8000);
 * ```
 */
export function wav(seconds: number): Uint8Array<ArrayBuffer> {
  const samples = Math.max(1, Math.round(seconds)) * SAMPLE_RATE;
  const file = new Uint8Array(44 + samples);
  const view = new DataView(file.buffer);
  const ascii = (at: number, text: string) => [...text].forEach((c, i) => (file[at + i] = c.charCodeAt(0)));
  ascii(0, "RIFF");
  view.setUint32(4, 36 + samples, true);
  ascii(8, "WAVE");
  ascii(12, "fmt ");
  view.setUint32(16, 16, true); // the size of this chunk
  view.setUint16(20, 1, true); // PCM
  view.setUint16(22, 1, true); // mono
  view.setUint32(24, SAMPLE_RATE, true);
  view.setUint32(28, SAMPLE_RATE, true); // bytes per second
  view.setUint16(32, 1, true); // bytes per sample
  view.setUint16(34, 8, true); // bits per sample
  ascii(36, "data");
  view.setUint32(40, samples, true);
  const second = new Uint8Array(SAMPLE_RATE).fill(128);
  for (let i = 0; i < SAMPLE_RATE / 10; i++) {
    second[i] = 128 + Math.round(24 * Math.sin((2 * Math.PI * 440 * i) / SAMPLE_RATE));
  }
  for (let at = 0; at < samples; at += SAMPLE_RATE) {
    file.set(second.subarray(0, Math.min(SAMPLE_RATE, samples - at)), 44 + at);
  }
  return file;
}

/** The recording `recordingId`, when the caller may hear it: one of their own calls, or any for an admin. */
function recordingOf(ctx: Ctx, params: Params): NonNullable<CallLogEntry["recording"]> {
  checkAccount(ctx, params);
  const me = ctx.session!.extensionId;
  const admin = !!ctx.state.extensions.find((e) => e.id === me)?.admin;
  const entry = callLogOf(ctx.state).find((e) =>
    e.recording?.id === params.recordingId && (admin || e.extensionId === me)
  );
  if (!entry?.recording) throw notFound("recordingId");
  return entry.recording;
}

/** `GET …/recording/{id}`: its content's URI (on the media origin), type and duration. */
function readRecording(ctx: Ctx, params: Params): JsonBody {
  const recording = recordingOf(ctx, params);
  return {
    id: recording.id,
    contentUri: recordingUris(ctx, recording.id).contentUri,
    contentType: "audio/wav",
    duration: recording.seconds,
  };
}

/**
 * `GET …/recording/{id}/content`: the WAV file; `contentDisposition=Attachment`
 * (and `contentDispositionFilename`) asks a browser to save it.
 */
function readRecordingContent(ctx: Ctx, params: Params): Response {
  const recording = recordingOf(ctx, params);
  const q = ctx.url.searchParams;
  const disposition = q.get("contentDisposition");
  if (disposition !== null && disposition !== "Inline" && disposition !== "Attachment") {
    throw invalidParameter("contentDisposition", { value: disposition, detail: " It is Inline or Attachment." });
  }
  const name = q.get("contentDispositionFilename") ?? `recording-${recording.id}.wav`;
  const body = wav(recording.seconds);
  const headers = baseHeaders({
    "Content-Type": "audio/wav",
    "Content-Length": String(body.length),
    ...(disposition ? { "Content-Disposition": contentDisposition(disposition.toLowerCase(), name) } : {}),
  });
  return new Response(body, { headers });
}

/** The recording handlers, by operationId (call_routes.ts routes to them). */
export const recordingHandlers: Record<string, Handler<Ctx>> = {
  readCallRecording: readRecording,
  readCallRecordingContent: readRecordingContent,
};
