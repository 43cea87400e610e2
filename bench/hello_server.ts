/**
 * Baselines of bench/emulator_load.ts on 127.0.0.1: a bare Deno.serve "hello",
 * or (with a body file) a bare Deno.serve answering that body with the
 * emulator's headers, the ceiling for an identical response.
 */
const bodyFile = Deno.args[0];
const body = bodyFile ? await Deno.readTextFile(bodyFile) : "hello";
Deno.serve({
  hostname: "127.0.0.1",
  port: 0,
  onListen: ({ port }) => console.log(`http://127.0.0.1:${port}`),
}, () =>
  bodyFile
    ? new Response(body, {
      headers: {
        RCRequestId: crypto.randomUUID(),
        "Content-Language": "en-US",
        "Content-Type": "application/json; charset=UTF-8",
        "X-Rate-Limit-Group": "light",
        "X-Rate-Limit-Limit": "50",
        "X-Rate-Limit-Remaining": "49",
        "X-Rate-Limit-Window": "60",
      },
    })
    : new Response(body));
