import { deepEqual, equal, match, ok, throws } from "node:assert/strict";
import { ApiError, ConfigError, NetworkError, RingCentral } from "../mod.ts";
import { errorCard, image, table, timeline } from "../lib/display.ts";
import { createEmulator } from "../lib/emulator/mod.ts";

const JUPYTER = Symbol.for("Jupyter.display");

Deno.test("table(): columns, dotted paths, escaping, a count of what is not shown", () => {
  const records = Array.from({ length: 25 }, (_, i) => ({
    uri: "https://x",
    extensionNumber: String(101 + i),
    name: i === 0 ? "<script>alert(1)</script>" : `User ${i}`,
    contact: { email: `u${i}@example.com` },
  }));
  const t = table(records, ["extensionNumber", "name", "contact.email"], { limit: 10 });
  equal((t.html.match(/<tr>/g) ?? []).length, 11, "a header and 10 rows");
  ok(!t.html.includes("<script>"), "values are escaped");
  match(t.html, /&#60;script&#62;/);
  match(t.html, /u9@example\.com/);
  match(t.text, /^extensionNumber {2}name +contact\.email/);
  match(t.text, /… and 15 more \(25 in all\)$/);
  equal(String(t), t.text);
  equal(Deno.inspect(t), t.text, "console.log prints the text table");
  const bundle = (t as unknown as { [JUPYTER](): Record<string, string> })[JUPYTER]();
  equal(bundle["text/html"], t.html);
  const all = table(records.slice(0, 2));
  match(all.text, /^extensionNumber {2}name/, "default columns: the first record's keys, without uri");
  match(all.text, /2 in all$/);
  throws(() => table({} as never), /takes a list of records/);
});

Deno.test("timeline(): statuses with their times, failures marked", () => {
  const t0 = new Date("2026-11-30T10:00:00Z");
  const t = timeline([
    { at: t0, status: "Queued" },
    { at: new Date(t0.getTime() + 2000), status: "Sent" },
    { at: new Date(t0.getTime() + 5000), status: "DeliveryFailed" },
  ]);
  equal(t.text, "Queued (10:00:00) → Sent (+2 s) → DeliveryFailed (+5 s)");
  match(t.html, /color:#b00020[^>]*>DeliveryFailed/);
});

Deno.test("errorCard(): an API error as a card, with its fix and no secret; the other kinds too", async () => {
  const emulator = createEmulator();
  const rc = new RingCentral({ ...emulator.credentials, fetch: emulator.fetch });
  const error = await rc.get("/restapi/v1.0/account/~/extension/~/message-store/1").catch((e) => e);
  ok(error instanceof ApiError);
  const bundle = (errorCard(error) as unknown as { [JUPYTER](): Record<string, string> })[JUPYTER]();
  match(bundle["text/plain"], /^GET \/restapi\/v1\.0\/account\/~\/extension\/~\/message-store\/1 → 404 CMN-102/);
  match(bundle["text/plain"], /message: Resource for parameter \[messageId\] is not found/);
  match(bundle["text/plain"], /fix: Nothing exists at that id/);
  match(bundle["text/html"], /request id/);
  const token = (await rc.tokenStore.load())?.tokens.access_token ?? "";
  ok(token.length > 8 && !bundle["text/html"].includes(token) && !bundle["text/plain"].includes(token));
  const lost = new NetworkError("The connection failed", { method: "POST", path: "/sms", outcome: "unknown" });
  match(errorCard(lost).text, /^POST \/sms → NetworkError\n {2}message: The connection failed\n {2}outcome: unknown/);
  match(
    errorCard(new ConfigError("RC_JWT is empty", { key: "RC_JWT", file: ".env-sandbox" })).text,
    /setting: RC_JWT in \.env-sandbox/,
  );
  match(errorCard(new Error("plain")).text, /^Error\n {2}message: plain/);
});

Deno.test("image(): the picture's bytes in the Jupyter bundle under its type, an <img>, a line of text", async () => {
  const png = await Deno.readFile(new URL("../lib/repl/samples/picture.png", import.meta.url));
  const d = image(png, { alt: "the sample <picture>", width: 128 });
  const bundle = (d as unknown as Record<symbol, () => Record<string, string>>)[Symbol.for("Jupyter.display")]();
  deepEqual(Uint8Array.fromBase64(bundle["image/png"]), png);
  equal(bundle["text/plain"], `[image/png, ${png.length} bytes, 64×64: the sample <picture>]`);
  match(
    bundle["text/html"],
    /^<img src="data:image\/png;base64,[A-Za-z0-9+/=]+" alt="the sample &#60;picture&#62;" width="128"/,
  );
  const jpeg = image(new Uint8Array([255, 216, 255]), { type: "image/jpeg" });
  equal(jpeg.text, "[image/jpeg, 3 bytes]");
  throws(() => image("picture.png" as unknown as Uint8Array), /needs the picture's bytes/);
});
