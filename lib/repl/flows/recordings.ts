/**
 * Recordings: list, show and replay the scripts the session recorded.
 * @module
 */
import { curlPath } from "../recorder.ts";
import type { Playground } from "../playground.ts";

/** The `deno run` arguments written in a recording's header (after `deno`), or undefined. */
export function replayArgs(script: string): string[] | undefined {
  const line = script.split("\n").find((l) => /^\/\/ {3}deno run /.test(l) && !l.endsWith("--check"));
  return line?.replace(/^\/\/ {3}deno /, "").trim().split(/\s+/);
}

/** The server a recording changes data on (from its header), or undefined when it changes nothing real. */
export function changesFor(script: string): string | undefined {
  return /^\/\/ It changes data for real on (\S+) /m.exec(script)?.[1];
}

/** Runs the flow. */
export async function recordings(s: Playground): Promise<void> {
  const dir = s.recorder?.dir;
  if (!dir) return void s.out.print("  Recording is off (--no-record).");
  let files: string[] = [];
  try {
    files = [...Deno.readDirSync(dir)].filter((e) => e.isFile && e.name.endsWith(".ts")).map((e) => e.name).sort();
  } catch {
    // no folder yet
  }
  if (files.length === 0) return void s.out.print(`  No recordings in ${dir}/ yet: every flow you run records one.`);
  const file = await s.prompter.select("Recording", [
    ...files.reverse().map((f) => ({ name: f, value: f })),
    { name: "Back", value: "" },
  ]);
  if (!file) return;
  const path = `${dir}/${file}`;
  const action = await s.prompter.select("Do", [
    { name: "Show it", value: "show" },
    { name: "Replay it", value: "replay" },
    { name: "Replay it and compare with the recording (--check)", value: "check" },
    { name: "Dry run: list what it would send, send nothing (--dry-run)", value: "dry" },
    { name: "Show it as curl commands (to share; secrets as $RC_… variables)", value: "curl" },
    { name: "Back", value: "back" },
  ]);
  if (action === "back") return;
  if (action === "curl") {
    const curl = await Deno.readTextFile(curlPath(path)).catch(() => undefined);
    s.out.print(
      curl
        ? curl.replace(/^/gm, "  ").trimEnd()
        : "  This recording has no curl form (it was recorded before they were written).",
    );
    return;
  }
  const text = await Deno.readTextFile(path);
  if (action === "show") {
    s.out.print(text.replace(/^/gm, "  "));
    return;
  }
  const args = replayArgs(text);
  if (!args) return void s.out.print("  This file has no replay command in its header.");
  if (action === "check") args.push("--check");
  if (action === "dry") args.push("--dry-run");
  const real = changesFor(text);
  if (real && action !== "dry") {
    const ok = await s.prompter.confirm(
      `This recording changes data for real on ${real} (it sends what was sent). Replay it?`,
      {
        default: false,
      },
    );
    if (!ok) return void s.out.print("  Not replayed.");
    args.push("--yes");
  }
  s.out.print(`  $ deno ${args.join(" ")}`);
  const result = await s.waitFor(
    "Replaying",
    (signal) =>
      new Deno.Command(Deno.execPath(), { args, stdout: "piped", stderr: "piped", stdin: "null", signal }).output(),
  );
  const decode = (b: Uint8Array) => new TextDecoder().decode(b).trimEnd();
  for (const out of [decode(result.stdout), decode(result.stderr)]) if (out) s.out.print(out.replace(/^/gm, "  "));
  s.out.print(result.code === 0 ? "  ✓ Replayed." : `  ✗ The replay exited with code ${result.code}.`);
}
