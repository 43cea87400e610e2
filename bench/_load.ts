/**
 * A load generator in its own process, for bench/emulator.ts: GETs `url`
 * from `connections` loops for `seconds`, and prints the requests per second
 * (after checking every answer was a 200).
 *
 *     deno run --allow-net=127.0.0.1 --allow-env=AUTH bench/_load.ts URL SECONDS CONNECTIONS
 * @module
 */
const [url, seconds = "3", connections = "32"] = Deno.args;
const auth = Deno.env.get("AUTH");
const headers: Record<string, string> = auth ? { Authorization: auth } : {};
const end = performance.now() + Number(seconds) * 1000;
let count = 0;
let bad = 0;
await Promise.all(Array.from({ length: Number(connections) }, async () => {
  while (performance.now() < end) {
    const r = await fetch(url, { headers });
    await r.arrayBuffer();
    if (r.status === 200) count++;
    else bad++;
  }
}));
if (bad) {
  console.error(`${bad} answers were not 200`);
  Deno.exit(1);
}
console.log(Math.round(count / Number(seconds)));
