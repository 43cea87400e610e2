/**
 * Group 6, the emulator: requests per second for a token-authenticated
 * `GET …/extension/~` (rate limits off, so every request does the full work)
 * against a bare `Deno.serve` answering the same body and headers, each
 * loaded by a generator in a process of its own, so that it is known never
 * to be what another benchmark measures.
 * @module
 */
import { alternate, emulatorProcess, type Figure, rawLogin, ROOT } from "./_harness.ts";

const GROUP = "6. the emulator";

async function server(args: string[]) {
  const child = new Deno.Command(Deno.execPath(), { args, stdout: "piped", stderr: "null", stdin: "null" }).spawn();
  const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let text = "";
  while (!/http:\/\/127\.0\.0\.1:\d+/.test(text)) {
    const { value, done } = await reader.read();
    if (done) throw new Error("the server exited");
    text += value;
  }
  return {
    url: /http:\/\/127\.0\.0\.1:\d+/.exec(text)![0],
    async [Symbol.asyncDispose]() {
      child.kill("SIGTERM");
      reader.releaseLock();
      await child.stdout.cancel().catch(() => {});
      await child.status;
    },
  };
}

async function load(url: string, seconds: number, auth?: string): Promise<number> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "--allow-net=127.0.0.1", "--allow-env=AUTH", `${ROOT}bench/_load.ts`, url, String(seconds), "32"],
    env: auth ? { AUTH: auth } : {},
    stdout: "piped",
    stderr: "piped",
  }).output();
  if (out.code !== 0) throw new Error(new TextDecoder().decode(out.stderr));
  return Number(new TextDecoder().decode(out.stdout));
}

/** Runs group 6: `reps` alternating runs of `seconds` each. */
export async function emulator({ reps = 3, seconds = 3 } = {}): Promise<Figure[]> {
  await using emu = await emulatorProcess(["--rate-limits", "off"]);
  const token = await rawLogin(emu.env);
  const target = `${emu.url}/restapi/v1.0/account/~/extension/~`;
  const sample = await fetch(target, { headers: { Authorization: `Bearer ${token}` } });
  const headers = Object.fromEntries(
    [...sample.headers].filter(([k]) => !/^(date|content-length|rcrequestid)$/.test(k)),
  );
  const file = await Deno.makeTempFile();
  await Deno.writeTextFile(file, JSON.stringify({ body: await sample.text(), headers }));
  try {
    await using same = await server([
      "run",
      "--allow-net=127.0.0.1",
      `--allow-read=${file}`,
      `${ROOT}bench/hello_server.ts`,
      file,
    ]);
    await load(target, 1, `Bearer ${token}`); // warm up both
    await load(same.url, 1);
    const rps = await alternate({
      bare: () => load(same.url, seconds),
      emulator: () => load(target, seconds, `Bearer ${token}`),
    }, reps);
    return [
      { group: GROUP, name: "bare Deno.serve, the same body and headers", value: rps.bare, unit: "req/s" },
      {
        group: GROUP,
        name: "emulator, token-authenticated GET …/extension/~",
        value: rps.emulator,
        unit: "req/s",
        ratio: rps.emulator / rps.bare,
        baseline: "of bare Deno.serve",
      },
    ];
  } finally {
    await Deno.remove(file);
  }
}

if (import.meta.main) {
  const { table } = await import("./_harness.ts");
  console.log(table(await emulator()));
}
