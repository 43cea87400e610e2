/**
 * Start-up of the playground to its first prompt, in a pseudo-terminal
 * (script(1) from util-linux), with a warm Deno cache:
 *
 *     deno run -A bench/startup.ts [runs]
 *
 * Measures from spawning `deno run ... repl.ts --env emulator --no-record`
 * to the moment "What next?" reaches the terminal.
 * @module
 */
const runs = Number(Deno.args[0] ?? 10);
const root = new URL("..", import.meta.url).pathname;
const flags = "--allow-read --allow-write --allow-env --allow-net --allow-run";
const command = `${Deno.execPath()} run ${flags} ${root}repl.ts --env emulator --no-record`;

async function once(): Promise<number> {
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
  while (true) {
    const { value, done } = await reader.read();
    if (done) break;
    text += value;
    if (text.includes("What next?")) {
      elapsed = performance.now() - t0;
      break;
    }
  }
  child.kill("SIGKILL");
  reader.releaseLock();
  await child.stdout.cancel().catch(() => {});
  await child.stdin.close().catch(() => {});
  await child.status;
  return elapsed;
}

await once(); // warm the cache
const times: number[] = [];
for (let i = 0; i < runs; i++) times.push(await once());
times.sort((a, b) => a - b);
const median = times[Math.floor(times.length / 2)];
console.log(
  `start-up to the first prompt: median ${median.toFixed(0)} ms, min ${times[0].toFixed(0)} ms, max ${
    times.at(-1)!.toFixed(0)
  } ms over ${runs} runs (goal <= 250 ms)`,
);
