/**
 * What every benchmark group shares: alternating repetitions with medians,
 * figures with their baseline and goal, an emulator in its own process, and
 * the one table `deno task bench` prints.
 * @module
 */
import { JWT_GRANT } from "../lib/grants.ts";

/** One measured figure. */
export interface Figure {
  /** The group, such as `1. client overhead`. */
  group: string;
  /** What was measured. */
  name: string;
  /** The value, in `unit`. */
  value: number;
  /** Its unit, such as `req/s`, `ms`, `MB`, `count`. */
  unit: string;
  /** The value as a ratio to its baseline (measured in the same run), when there is one. */
  ratio?: number;
  /** What the ratio is against. */
  baseline?: string;
  /** The goal, in words, such as `ratio ≥ 0.90`. */
  goal?: string;
  /** Whether the goal is met. */
  met?: boolean;
}

/** The project root, with a trailing slash. */
export const ROOT = new URL("..", import.meta.url).pathname;

/** The median of `values`. */
export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/**
 * Runs each contender `reps` times in alternation (A B C A B C …) and
 * returns each one's median, so that drift in the machine touches all alike.
 */
export async function alternate<K extends string>(
  contenders: Record<K, () => Promise<number>>,
  reps: number,
): Promise<Record<K, number>> {
  const runs = Object.fromEntries(Object.keys(contenders).map((k) => [k, [] as number[]])) as Record<K, number[]>;
  for (let i = 0; i < reps; i++) {
    for (const [name, run] of Object.entries(contenders) as [K, () => Promise<number>][]) {
      runs[name].push(await run());
    }
  }
  return Object.fromEntries(Object.entries(runs).map(([k, v]) => [k, median(v as number[])])) as Record<K, number>;
}

/** Calls `call` `count` times with `concurrency` callers; returns calls per second. */
export async function throughput(call: () => Promise<unknown>, count: number, concurrency = 1): Promise<number> {
  let next = 0;
  const t0 = performance.now();
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < count) {
      next++;
      await call();
    }
  }));
  return count / ((performance.now() - t0) / 1000);
}

/** An emulator in its own process (`lib/emulator/cli.ts`), so it does not share the measured process. */
export interface EmulatorProcess {
  /** Its URL. */
  url: string;
  /** The `.env` lines it printed, as a record. */
  env: Record<string, string>;
  /** Its statistics. */
  stats(): Promise<
    { grants: Record<string, { ok: number; failed: number }>; statuses: Record<string, number>; penalties: number }
  >;
  /** Moves its clock. */
  advance(seconds: number): Promise<void>;
  /** Queues faults. */
  fault(body: unknown): Promise<void>;
  /** Stops it. */
  [Symbol.asyncDispose](): Promise<void>;
}

/** Whether util-linux's taskset is at hand. */
const TASKSET = (() => {
  try {
    return new Deno.Command("taskset", { args: ["-V"], stdout: "null", stderr: "null" }).outputSync().success;
  } catch {
    return false;
  }
})();

/** Starts `deno task emulator` with `args` (and `--port 0 --quiet`). */
export async function emulatorProcess(args: string[] = []): Promise<EmulatorProcess> {
  const command = [
    Deno.execPath(),
    "run",
    "--allow-net=127.0.0.1",
    `${ROOT}lib/emulator/cli.ts`,
    "--port",
    "0",
    "--quiet",
  ];
  // On the last core, so that it competes less with the measured process (2 cores here).
  const pinned = TASKSET && navigator.hardwareConcurrency > 1
    ? ["taskset", "-c", String(navigator.hardwareConcurrency - 1), ...command]
    : command;
  const child = new Deno.Command(pinned[0], {
    args: [...pinned.slice(1), ...args],
    stdout: "piped",
    stderr: "null",
    stdin: "null",
  }).spawn();
  const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let text = "";
  while (!/RC_EXTENSION=.*\n/.test(text)) {
    const { value, done } = await reader.read();
    if (done) throw new Error(`the emulator exited early: ${text}`);
    text += value;
  }
  const env = Object.fromEntries(
    text.trim().split("\n").filter((l) => /^[A-Z_]+=/.test(l)) // the .env lines, not the comments between them
      .map((l) => l.split(/=(.*)/s, 2) as [string, string]),
  );
  const url = env.RC_SERVER_URL;
  const post = async (path: string, body: unknown) => {
    const r = await fetch(`${url}${path}`, { method: "POST", body: JSON.stringify(body) });
    await r.body?.cancel();
    if (!r.ok) throw new Error(`${path}: ${r.status}`);
  };
  return {
    url,
    env,
    stats: async () => await (await fetch(`${url}/__emulator/stats`)).json(),
    advance: (seconds) => post("/__emulator/clock", { advanceSeconds: seconds }),
    fault: (body) => post("/__emulator/faults", body),
    async [Symbol.asyncDispose]() {
      child.kill("SIGTERM");
      reader.releaseLock();
      await child.stdout.cancel().catch(() => {});
      await child.status;
    },
  };
}

/** Logs in to an emulator with the JWT grant over plain fetch; returns the access token. */
export async function rawLogin(env: Record<string, string>): Promise<string> {
  const r = await fetch(`${env.RC_SERVER_URL}/restapi/oauth/token`, {
    method: "POST",
    headers: { Authorization: `Basic ${btoa(`${env.RC_CLIENT_ID}:${env.RC_CLIENT_SECRET}`)}` },
    body: new URLSearchParams({ grant_type: JWT_GRANT, assertion: env.RC_JWT }),
  });
  return (await r.json()).access_token;
}

/** An in-memory Storage, so @ringcentral/sdk keeps no tokens in Deno's localStorage. */
export class MemoryStorage {
  #items = new Map<string, string>();
  /** Number of items. */
  get length(): number {
    return this.#items.size;
  }
  /** The i-th key. */
  key(i: number): string | null {
    return [...this.#items.keys()][i] ?? null;
  }
  /** An item. */
  getItem(k: string): string | null {
    return this.#items.get(k) ?? null;
  }
  /** Sets an item. */
  setItem(k: string, v: string): void {
    this.#items.set(k, String(v));
  }
  /** Removes an item. */
  removeItem(k: string): void {
    this.#items.delete(k);
  }
  /** Removes every item. */
  clear(): void {
    this.#items.clear();
  }
}

/** Rounds for a table. */
export function round(value: number, digits = 2): string {
  return Number.isInteger(value) ? String(value) : value.toFixed(digits);
}

/** The figures as one plain-text table. */
export function table(figures: Figure[]): string {
  const rows = figures.map((f) => [
    f.group,
    f.name,
    `${round(f.value, f.unit === "req/s" ? 0 : 2)} ${f.unit}`,
    f.ratio === undefined ? "" : `${round(f.ratio)}× ${f.baseline ?? ""}`.trim(),
    f.goal ? `${f.goal} ${f.met ? "✓" : "✗"}` : "",
  ]);
  const head = ["group", "what", "value", "ratio", "goal"];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (r: string[]) => r.map((c, i) => c.padEnd(widths[i])).join("  ").trimEnd();
  return [line(head), line(widths.map((w) => "─".repeat(w))), ...rows.map(line)].join("\n");
}
