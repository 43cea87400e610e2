/**
 * Baselines of bench/emulator_load.ts on 127.0.0.1: a bare Deno.serve "hello",
 * or (given a JSON file `{"body": "...", "headers": {...}}`) a bare Deno.serve
 * answering that body with those headers and a fresh RCRequestId: the ceiling
 * for a response identical to the emulator's.
 */
const file = Deno.args[0];
const same = file
  ? JSON.parse(await Deno.readTextFile(file)) as { body: string; headers: Record<string, string> }
  : undefined;
Deno.serve(
  {
    hostname: "127.0.0.1",
    port: 0,
    onListen: ({ port }) => console.log(`http://127.0.0.1:${port}`),
  },
  () =>
    same
      ? new Response(same.body, { headers: { ...same.headers, RCRequestId: crypto.randomUUID() } })
      : new Response("hello"),
);
