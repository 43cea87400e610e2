/**
 * The client's verbs are typed from the spec: `deno check` accepts correct
 * calls and rejects a wrong path, a wrong enum value in a query, a misspelt
 * response field and a wrong body field, each with an error that names it; a
 * body field with a default in the spec may be left out.
 * The fixtures are written to a temporary folder and checked there.
 */
import { equal, match } from "node:assert/strict";
import { ROOT, runDeno, tempDir } from "../_helpers.ts";

// Types only: the fixtures are checked, never run, so the client needs no server.
const HEADER = `import { RingCentral } from "${ROOT}/mod.ts";
const rc = new RingCentral({ server: "https://platform.ringcentral.com", clientId: "id" });
`;

const GOOD = `${HEADER}
// "~", ids and string variables fill path parameters; array query parameters take one value or several.
const list = await (await rc.get("/restapi/v1.0/account/~/extension/~/message-store", {
  messageType: "SMS",
  direction: ["Inbound", "Outbound"],
  perPage: 10,
})).json();
const subject: string | undefined = list.records[0]?.subject;
const page: number | undefined = list.paging.page;
const id: string = "1001";
const me = await (await rc.get(\`/restapi/v1.0/account/~/extension/\${id}\`)).json();
const status: string | undefined = me.status;
const sms = await (await rc.post("/restapi/v1.0/account/~/extension/~/sms", {
  from: { phoneNumber: "+16505550101" },
  to: [{ phoneNumber: "+16505550199" }],
  text: "Hi",
})).json();
const direction: "Inbound" | "Outbound" | undefined = sms.direction;
await rc.put(\`/restapi/v1.0/account/~/extension/~/message-store/\${sms.id}\`, { readStatus: "Read" });
await rc.patch(\`/restapi/v1.0/account/~/extension/~/message-store/\${sms.id}\`, { readStatus: "Unread" });
await rc.delete(\`/restapi/v1.0/account/~/extension/~/message-store/\${sms.id}\`, { purge: false });
const log = await (await rc.get("/restapi/v1.0/account/~/extension/~/call-log", { view: "Detailed" })).json();
const duration: number | undefined = log.records[0]?.duration;
// The literal segment wins over a parameter: /user-role/default, not /user-role/{roleId}.
await rc.put("/restapi/v1.0/account/~/user-role/default", { id: "1" });
// A body field the spec gives a default may be left out (PresenceInfoRequest defaults allowSeeMyPresence & co).
await rc.put("/restapi/v1.0/account/~/extension/~/presence", { userStatus: "Busy" });
// A DELETE whose operation requires a body takes it in the options, typed.
await rc.delete("/restapi/v1.0/account/~/call-recordings", undefined, { body: { records: ["1"] } });
// A path known only at run time is not checked; request() takes anything.
const somewhere: string = "/restapi/v1.0/account/~";
await rc.get(somewhere);
await rc.request("POST", "/__emulator/inbound-sms", { body: { from: "+14155550123", text: "Hi" } });
console.log(subject, page, status, direction, duration);
`;

/** Each wrong call, and the error deno check must give for it. */
const BAD: { code: string; error: RegExp }[] = [
  {
    code: `await rc.get("/restapi/v1.0/account/~/extension/~/message-stor");`,
    error:
      /Argument of type '"\/restapi\/v1\.0\/account\/~\/extension\/~\/message-stor"' is not assignable to parameter of type '"no get operation for \/restapi\/v1\.0\/account\/~\/extension\/~\/message-stor"'/,
  },
  {
    code: `await rc.get("/restapi/v1.0/account/~/extension/~/message-store", { messageType: "Smss" });`,
    error: /Type '"Smss"' is not assignable to type .*"SMS"/,
  },
  {
    code: `const l = await (await rc.get("/restapi/v1.0/account/~/extension/~/message-store")).json(); l.recods;`,
    error: /Property 'recods' does not exist on type .*Did you mean 'records'\?/s,
  },
  {
    code: `await rc.post("/restapi/v1.0/account/~/extension/~/sms", {
  from: { phoneNumber: "+16505550101" },
  to: [{ phoneNumber: "+16505550199" }],
  txt: "Hi",
});`,
    error: /Object literal may only specify known properties, .*'txt' does not exist/,
  },
  {
    code: `await rc.delete("/restapi/v1.0/account/~/call-recordings");`,
    error: /Expected 3 arguments, but got 1/,
  },
  {
    code: `await rc.delete("/restapi/v1.0/account/~/call-recordings", {}, { body: { record: [] } });`,
    error: /Object literal may only specify known properties, .*'record' does not exist/s,
  },
];

async function check(dir: string, name: string, code: string): Promise<{ code: number; output: string }> {
  await Deno.writeTextFile(`${dir}/${name}`, code);
  const r = await runDeno(["check", "--quiet", name], { cwd: dir });
  return { code: r.code, output: r.stdout + r.stderr }; // runDeno sets NO_COLOR
}

Deno.test("deno check accepts calls that match the spec", async () => {
  await using dir = await tempDir();
  const r = await check(dir.path, "good.ts", GOOD);
  equal(r.code, 0, r.output);
});

Deno.test("deno check rejects a wrong path, enum value, response field and body field, each where it is", async () => {
  await using dir = await tempDir();
  const ranges: [number, number][] = [];
  let code = HEADER;
  for (const bad of BAD) {
    const first = code.split("\n").length;
    code += `${bad.code}\n`;
    ranges.push([first, code.split("\n").length - 1]);
  }
  const r = await check(dir.path, "bad.ts", code);
  equal(r.code, 1, "deno check must fail");
  match(r.output, new RegExp(`Found ${BAD.length} errors`));
  const errors = r.output.split(/\n(?=TS\d+ \[ERROR\])/).filter((e) => e.startsWith("TS"));
  BAD.forEach((bad, i) => {
    const [first, last] = ranges[i];
    const here = errors.filter((e) => {
      const line = Number(/bad\.ts:(\d+):\d+/.exec(e)?.[1]);
      return line >= first && line <= last;
    });
    equal(here.length, 1, `one error for: ${bad.code.split("\n")[0]}\n${r.output}`);
    match(here[0], bad.error);
  });
});
