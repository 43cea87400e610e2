/**
 * Group 4, start-up, each a whole `deno run` with a warm cache: an empty
 * script; a raw-`fetch` one-off script (one GET with a token it is given);
 * this client's one-off script (`RingCentral.fromEnv()` with a cached token,
 * one GET: it must send no token request); the same script offline, on the
 * built-in emulator, calling an operation it emulates with state (which must
 * not load the API catalog) and one it answers from the spec (which does);
 * and the playground to its first prompt in a pseudo-terminal (script(1)
 * from util-linux).
 * @module
 */
import { RingCentral } from "../mod.ts";
import { alternate, emulatorProcess, type Figure, rawLogin, ROOT } from "./_harness.ts";

const GROUP = "4. start-up";
const ME = "/restapi/v1.0/account/~/extension/~";

/** Milliseconds from spawning `deno run args` to its exit; throws when it fails. */
async function run(args: string[], cwd: string, env: Record<string, string> = {}): Promise<number> {
  const t0 = performance.now();
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", ...args],
    cwd,
    env,
    stdout: "null",
    stderr: "piped",
  })
    .output();
  const ms = performance.now() - t0;
  if (out.code !== 0) throw new Error(`deno run ${args.join(" ")}: ${new TextDecoder().decode(out.stderr)}`);
  return ms;
}

/** Milliseconds from spawning the playground in a pseudo-terminal to "What next?" on its screen. */
async function playground(): Promise<number> {
  const flags = "--allow-read --allow-write --allow-env --allow-net --allow-run";
  const command = `${Deno.execPath()} run ${flags} ${ROOT}repl.ts --env emulator --no-record`;
  const t0 = performance.now();
  const child = new Deno.Command("script", {
    args: ["-qfec", command, "/dev/null"],
    stdin: "piped",
    stdout: "piped",
    stderr: "null",
    env: { TERM: "xterm-256color" },
  }).spawn();
  const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let text = "";
  let elapsed = NaN;
  const deadline = setTimeout(() => child.kill("SIGKILL"), 10_000);
  while (true) {
    const { value, done } = await reader.read();
    if (done) break;
    text += value;
    if (text.includes("What next?")) {
      elapsed = performance.now() - t0;
      break;
    }
  }
  clearTimeout(deadline);
  child.kill("SIGKILL");
  reader.releaseLock();
  await child.stdout.cancel().catch(() => {});
  await child.stdin.close().catch(() => {});
  await child.status;
  return elapsed;
}

/** Runs group 4 with `reps` alternating runs of each. */
export async function startup({ reps = 10 } = {}): Promise<Figure[]> {
  await using emu = await emulatorProcess(["--rate-limits", "off"]);
  const dir = await Deno.makeTempDir({ prefix: "rc-bench-" });
  try {
    await Deno.writeTextFile(`${dir}/empty.ts`, "// nothing\n");
    await Deno.writeTextFile(
      `${dir}/raw.ts`,
      `const r = await fetch(Deno.env.get("URL")!, { headers: { Authorization: \`Bearer \${Deno.env.get("TOKEN")}\` } });\n` +
        `console.log(r.status, (await r.json()).name);\n`,
    );
    await Deno.writeTextFile(
      `${dir}/client.ts`,
      `import { RingCentral } from "${ROOT}mod.ts";\n` +
        `const rc = await RingCentral.fromEnv();\n` +
        `const r = await rc.get("${ME}");\n` +
        `console.log(r.status, (await r.json()).name);\n`,
    );
    const offline = `${dir}/offline`; // no .env files: the built-in emulator
    await Deno.mkdir(offline);
    await Deno.writeTextFile(`${offline}/stateful.ts`, await Deno.readTextFile(`${dir}/client.ts`));
    await Deno.writeTextFile(
      `${offline}/sampled.ts`,
      `import { RingCentral } from "${ROOT}mod.ts";\n` +
        `const rc = await RingCentral.fromEnv({ onNotice: () => {} });\n` +
        `const r = await rc.get("${ME}/caller-id");\n` +
        `console.log(r.status, r.headers.get("x-emulator-sample"));\n`,
    );
    const env = emu.env;
    await Deno.writeTextFile(
      `${dir}/.env-sandbox.local`,
      `RC_SERVER_URL=${env.RC_SERVER_URL}\nRC_CLIENT_ID=${env.RC_CLIENT_ID}\nRC_CLIENT_SECRET=${env.RC_CLIENT_SECRET}\nRC_JWT=${env.RC_JWT}\n`,
    );
    await (await RingCentral.fromEnv({ dir, env: {} })).authenticate(); // the cached token
    const token = await rawLogin(env);
    const rawEnv = { URL: `${env.RC_SERVER_URL}${ME}`, TOKEN: token };
    const pty = await playground().then(() => true, () => false); // script(1), from util-linux's bsdutils
    const contenders = {
      empty: () => run(["empty.ts"], dir),
      raw: () => run(["--allow-net=127.0.0.1", "--allow-env=URL,TOKEN", "raw.ts"], dir, rawEnv),
      client: () => run(["-A", "client.ts"], dir),
      stateful: () => run(["-A", "stateful.ts"], offline),
      sampled: () => run(["-A", "sampled.ts"], offline),
      playground: pty ? playground : () => Promise.resolve(NaN),
    };
    for (const c of Object.values(contenders)) await c(); // warm Deno's cache
    const before = (await emu.stats()).grants;
    const medians = await alternate(contenders, reps);
    const after = (await emu.stats()).grants;
    const tokenRequests = Object.values(after).reduce((n, g) => n + g.ok + g.failed, 0) -
      Object.values(before).reduce((n, g) => n + g.ok + g.failed, 0);
    return [
      { group: GROUP, name: "empty deno run", value: medians.empty, unit: "ms" },
      { group: GROUP, name: "raw-fetch one-off script", value: medians.raw, unit: "ms" },
      {
        group: GROUP,
        name: `client one-off script, cached token (${tokenRequests} token requests)`,
        value: medians.client,
        unit: "ms",
        ratio: medians.client / medians.raw,
        baseline: "of the raw script",
        goal: "≤ 1.3, 0 token requests",
        met: medians.client / medians.raw <= 1.3 && tokenRequests === 0,
      },
      {
        group: GROUP,
        name: "the same offline (built-in emulator), an emulated operation",
        value: medians.stateful,
        unit: "ms",
        ratio: medians.stateful / medians.client,
        baseline: "of the online script",
      },
      {
        group: GROUP,
        name: "the same offline, an operation sampled from the spec",
        value: medians.sampled,
        unit: "ms",
        ratio: medians.sampled / medians.stateful,
        baseline: "of the emulated one (loads the catalog)",
      },
      {
        group: GROUP,
        name: pty ? "playground to its first prompt (pty)" : "playground to its first prompt: skipped (no script(1))",
        value: medians.playground,
        unit: "ms",
        goal: "≤ 250 ms",
        met: medians.playground <= 250,
      },
    ];
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

if (import.meta.main) {
  const { table } = await import("./_harness.ts");
  console.log(table(await startup()));
}
