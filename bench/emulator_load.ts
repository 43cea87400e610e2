/**
 * Emulator throughput against a bare `Deno.serve` "hello", in one run, with
 * wrk (Debian package `wrk`) as the load generator on loopback.
 *
 *     deno run --allow-run --allow-net --allow-read bench/emulator_load.ts [seconds] [connections]
 *
 * The emulator serves token-authenticated GETs of the current extension
 * (`--rate-limits off`, so every request does the full work and none is a 429).
 * A third server, a bare Deno.serve answering the same body with the same
 * headers, shows the ceiling for that response on this machine.
 * @module
 */
import { JWT_GRANT } from "../lib/grants.ts";

const seconds = Number(Deno.args[0] ?? 5);
const connections = Number(Deno.args[1] ?? 32);
const root = new URL("..", import.meta.url).pathname;

async function spawn(args: string[]) {
  const child = new Deno.Command(Deno.execPath(), { args, stdout: "piped", stderr: "null", stdin: "null" }).spawn();
  const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let text = "";
  while (!/http:\/\/127\.0\.0\.1:\d+/.test(text)) {
    const { value, done } = await reader.read();
    if (done) throw new Error("server exited");
    text += value;
  }
  const url = /http:\/\/127\.0\.0\.1:\d+/.exec(text)![0];
  return {
    url,
    async stop() {
      child.kill("SIGTERM");
      reader.releaseLock();
      await child.stdout.cancel().catch(() => {});
      await child.status;
    },
  };
}

async function wrk(url: string, headers: string[] = []): Promise<number> {
  const args = ["-t2", `-c${connections}`, `-d${seconds}s`, ...headers.flatMap((h) => ["-H", h]), url];
  const out = await new Deno.Command("wrk", { args, stdout: "piped", stderr: "piped" }).output();
  const text = new TextDecoder().decode(out.stdout);
  const rps = /Requests\/sec:\s+([\d.]+)/.exec(text);
  const non2xx = /Non-2xx or 3xx responses: (\d+)/.exec(text);
  if (!rps) throw new Error(`wrk failed: ${new TextDecoder().decode(out.stderr)}`);
  if (non2xx) throw new Error(`${non2xx[1]} non-2xx responses from ${url}`);
  return Number(rps[1]);
}

const hello = await spawn(["run", "--allow-net=127.0.0.1", `${root}bench/hello_server.ts`]);
let same: Awaited<ReturnType<typeof spawn>> | undefined;
const emulator = await spawn([
  "run",
  "--allow-net=127.0.0.1",
  `${root}lib/emulator/cli.ts`,
  "--port",
  "0",
  "--quiet",
  "--rate-limits",
  "off",
]);
try {
  const login = await fetch(`${emulator.url}/restapi/oauth/token`, {
    method: "POST",
    headers: { Authorization: `Basic ${btoa("emulator-client-id:emulator-client-secret")}` },
    body: new URLSearchParams({
      grant_type: JWT_GRANT,
      assertion: (await import("../lib/emulator/mod.ts")).createEmulator().credentials.jwt,
    }),
  });
  const token = (await login.json()).access_token;
  const target = `${emulator.url}/restapi/v1.0/account/~/extension/~`;
  const auth = [`Authorization: Bearer ${token}`];
  const bodyFile = await Deno.makeTempFile();
  const sample = await fetch(target, { headers: { Authorization: `Bearer ${token}` } });
  const headers = Object.fromEntries(
    [...sample.headers].filter(([k]) => !/^(date|content-length|rcrequestid)$/.test(k)),
  );
  const body = await sample.text();
  await Deno.writeTextFile(bodyFile, JSON.stringify({ body, headers }));
  same = await spawn([
    "run",
    "--allow-net=127.0.0.1",
    `--allow-read=${bodyFile}`,
    `${root}bench/hello_server.ts`,
    bodyFile,
  ]);
  for (const [url, h] of [[hello.url, []], [target, auth], [same.url, []]] as const) await wrk(url, [...h]); // warm up
  const base = await wrk(hello.url);
  const emu = await wrk(target, auth);
  const ceiling = await wrk(same.url);
  const size = new TextEncoder().encode(body).length;
  const headerCount = Object.keys(headers).length + 1;
  console.log(`Deno.serve "hello":                               ${base.toFixed(0)} requests/s`);
  console.log(`emulator GET /restapi/v1.0/account/~/extension/~: ${emu.toFixed(0)} requests/s`);
  console.log(`Deno.serve, same ${size}-byte body, ${headerCount} headers:  ${ceiling.toFixed(0)} requests/s`);
  console.log(`emulator / hello:   ${(emu / base).toFixed(2)} (goal >= 0.5)`);
  console.log(`emulator / ceiling: ${(emu / ceiling).toFixed(2)}`);
  console.log(
    `ceiling / hello:    ${
      (ceiling / base).toFixed(2)
    }   (wrk -t2 -c${connections} -d${seconds}s, 2 cores shared with wrk)`,
  );
  await Deno.remove(bodyFile);
} finally {
  await hello.stop();
  await emulator.stop();
  await same?.stop();
}
