/**
 * Call history: your call log (or, for an admin, the company's), filtered
 * by period, direction and recordings, a page at a time; a call's legs
 * (the `Detailed` view); and a call's recording downloaded to a file.
 * @module
 */
import { downloadContent, progressLine } from "../../media.ts";
import { Cancelled } from "../prompt.ts";
import { recordAnswer } from "../recorder.ts";
import type { Playground } from "../playground.ts";
import { askSavePath } from "./_save_as.ts";

const ACCOUNT = "/restapi/v1.0/account/~";
const PER_PAGE = 10;

interface Party {
  phoneNumber?: string;
  extensionNumber?: string;
  name?: string;
}

interface CallRecord {
  id: string;
  startTime: string;
  direction: string;
  result?: string;
  duration?: number;
  from?: Party;
  to?: Party;
  recording?: { id: string; contentUri: string };
  extension?: { id: number };
  legs?: (Omit<CallRecord, "id" | "legs"> & { legType: string })[];
}

/** A party in a few characters: `101 Alice Admin`, a name, or the number. */
function party(p?: Party): string {
  if (!p) return "?";
  if (p.extensionNumber) return `${p.extensionNumber} ${p.name ?? ""}`.trim();
  return p.name ? `${p.name} ${p.phoneNumber ?? ""}`.trim() : p.phoneNumber ?? "?";
}

/** A duration as `m:ss`. */
function minutes(seconds = 0): string {
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, "0")}`;
}

/** One row of the table. */
function row(n: number, r: Omit<CallRecord, "id" | "legs">): string {
  const when = r.startTime.slice(0, 16).replace("T", " ");
  const fromTo = `${party(r.from)} → ${party(r.to)}`;
  return `  ${String(n).padStart(2)}  ${when}  ${r.direction.padEnd(8)} ${fromTo.slice(0, 46).padEnd(46)} ${
    (r.result ?? "").padEnd(14)
  } ${minutes(r.duration).padStart(6)}${"recording" in r && r.recording ? "  ●" : ""}`;
}

/** Runs the flow. */
export async function callHistory(s: Playground): Promise<void> {
  const scope = await s.prompter.select("Whose calls?", [
    { name: "Mine (…/extension/~/call-log)", value: "mine" },
    { name: "The whole company's (…/account/~/call-log, for admins)", value: "company" },
    { name: "Back", value: "" },
  ]);
  if (!scope) throw new Cancelled(true);
  const days = await s.prompter.select("Which period?", [
    { name: "The last 24 hours (RingCentral's default)", value: 0 },
    { name: "The last 7 days", value: 7 },
    { name: "The last 30 days", value: 30 },
  ]);
  const direction = await s.prompter.select("Which direction?", [
    { name: "Both", value: "" },
    { name: "Inbound", value: "Inbound" },
    { name: "Outbound", value: "Outbound" },
  ]);
  const recorded = await s.prompter.confirm("Only calls with a recording?", { default: false });
  const path = scope === "mine" ? `${ACCOUNT}/extension/~/call-log` : `${ACCOUNT}/call-log`;
  const query = {
    ...(days ? { dateFrom: new Date(Date.now() - days * 86_400_000).toISOString() } : {}),
    ...(direction ? { direction: [direction] } : {}),
    ...(recorded ? { recordingType: "All" } : {}),
    perPage: PER_PAGE,
  };
  for (let page = 1;;) {
    const answer = await s.call(`Call log, page ${page}`, "GET", path, { query: { ...query, page } });
    const records = answer.body.records as CallRecord[];
    // RingCentral's call log leaves out totalPages and totalElements ("for performance"): navigation says what is next.
    const navigation = (answer.body.navigation ?? {}) as { nextPage?: unknown };
    if (!records.length) {
      s.out.print("  No call in that period: try a longer one (the seeded history covers the last four weeks).");
      return;
    }
    s.out.print(`       When (UTC)        Direction From → To${" ".repeat(38)}Result           Length`);
    records.forEach((r, i) => s.out.print(row((page - 1) * PER_PAGE + i + 1, r)));
    const more = navigation.nextPage ? "; there are more" : "";
    s.out.print(`  Page ${page} (${records.length} call${records.length === 1 ? "" : "s"}${more}; ● recorded).`);
    const withRecording = records.filter((r) => r.recording);
    const action = await s.prompter.select("Next?", [
      ...(navigation.nextPage ? [{ name: "Next page", value: "next" }] : []),
      ...(page > 1 ? [{ name: "Previous page", value: "previous" }] : []),
      { name: "A call's legs (the Detailed view)", value: "legs" },
      ...(withRecording.length ? [{ name: "Download a call's recording", value: "download" }] : []),
      { name: "Done", value: "done" },
    ]);
    if (action === "done") return;
    if (action === "next") page++;
    else if (action === "previous") page--;
    else if (action === "legs") {
      const picked = await pick(s, records, page);
      if (picked) await showLegs(s, path, picked);
    } else if (action === "download") {
      const picked = await pick(s, withRecording, page, records);
      if (picked) await download(s, picked);
    }
  }
}

/** One of `records` (numbered as on the page), or `undefined` for Back. */
async function pick(
  s: Playground,
  records: CallRecord[],
  page: number,
  onPage: CallRecord[] = records,
): Promise<CallRecord | undefined> {
  const chosen = await s.prompter.select("Which call?", [
    ...records.map((r) => ({
      name: row((page - 1) * PER_PAGE + onPage.indexOf(r) + 1, r).trim(),
      value: r.id,
    })),
    { name: "Back", value: "" },
  ]);
  return records.find((r) => r.id === chosen);
}

/** Reads one call with `view=Detailed` and shows its legs. */
async function showLegs(s: Playground, path: string, record: CallRecord): Promise<void> {
  const one = await s.call("A call's legs", "GET", `${path}/${record.id}`, { query: { view: "Detailed" } });
  const legs = (one.body as CallRecord).legs ?? [];
  s.out.print(`  ${legs.length} leg${legs.length === 1 ? "" : "s"} of call ${record.id}:`);
  legs.forEach((leg, i) => s.out.print(`  ${row(i + 1, leg)}  ${leg.legType}`));
}

/** A file extension for a recording's media type: RingCentral's are usually MP3 (`audio/mpeg`), the emulator's WAV. */
const AUDIO_EXTENSIONS: Record<string, string> = {
  "audio/mpeg": "mp3",
  "audio/mp3": "mp3",
  "audio/wav": "wav",
  "audio/x-wav": "wav",
  "audio/wave": "wav",
  "audio/ogg": "ogg",
  "audio/mp4": "m4a",
};

/** Downloads a call's recording to a file, with a progress line for large ones. */
async function download(s: Playground, record: CallRecord): Promise<void> {
  const { id, contentUri } = record.recording!;
  // Its metadata says its media type (and length), so that the name suggested has the right extension.
  const meta = await s.call("The recording's metadata", "GET", `${ACCOUNT}/recording/${id}`);
  const { contentType = "", duration } = meta.body as { contentType?: string; duration?: number };
  const extension = AUDIO_EXTENSIONS[contentType.split(";")[0].trim().toLowerCase()] ?? "audio";
  s.out.print(
    `  Recording ${id}: ${contentType || "media type not given"}${duration ? `, ${minutes(duration)}` : ""}.`,
  );
  const path = await askSavePath(s, "Save it as", `recording-${id}.${extension}`);
  let quarter = -1;
  const saved = await s.waitFor(`Downloading recording ${id}`, (signal) =>
    downloadContent(s.rc, contentUri, path, {
      signal,
      // A line at each quarter of a large download (a megabyte or more).
      onProgress: (received, total) => {
        if ((total ?? received) < 1024 * 1024) return;
        const now = total ? Math.floor((received / total) * 4) : Math.floor(received / (1024 * 1024));
        if (now === quarter) return;
        quarter = now;
        s.out.print(progressLine(path, received, total));
      },
    }));
  s.record({
    kind: "request",
    label: `Download recording ${id}`,
    method: "GET",
    path: contentUri,
    result: recordAnswer(200, undefined),
    notes: [`The playground saved it as ${path} (downloadContent() does that in a script).`],
  });
  s.out.print(`  ✓ Saved ${path}: ${saved.bytes} bytes of ${saved.contentType} from ${new URL(contentUri).origin}.`);
}
