/**
 * No secret (client secret, password, JWT, access or refresh token) in any
 * error, log line, exchange, notice, written file or terminal output.
 */
import { equal, ok } from "node:assert/strict";
import { type ApiError, RingCentral, RingCentralError } from "../../mod.ts";

import { extensionIdOf } from "../../lib/emulator/seed.ts";
import { ROOT, runDeno, serveEmulator, tempDir } from "../_helpers.ts";

const SECRET = "CANARY-client-secret-4f7d1c";
const PASSWORD = "CANARY-password-9b2e77";
const WRONG = "CANARY-wrong-password-31aa";
const b64 = (o: unknown) => btoa(JSON.stringify(o)).replace(/=+$/, "").replace(/\+/g, "-").replace(/\//g, "_");
const JWT = [
  b64({ alg: "HS256", typ: "JWT" }),
  b64({ sub: String(extensionIdOf(101)), iss: "ringcentral-emulator", jti: "CANARYJWT" }),
  "Q0FOQVJZLXNpZ25hdHVyZQ",
].join(".");

Deno.test("canary: fake secrets never reach errors, logs, exchanges, files or the terminal", async () => {
  await using s = serveEmulator({ rateLimits: false }, { validate: false });
  s.emulator.state.apps[0].clientSecret = SECRET;
  s.emulator.state.userPassword = PASSWORD;
  await using dir = await tempDir();
  const seen: string[] = [];
  const record = {
    onLog: (line: string) => seen.push(line),
    onExchange: (x: unknown) => seen.push(JSON.stringify(x)),
    onNotice: (m: string) => seen.push(m),
  };
  const env = { ...s.env, RC_CLIENT_SECRET: SECRET, RC_JWT: JWT, RC_USERNAME: "", RC_PASSWORD: "" };
  const rc = await RingCentral.fromEnv({ dir: dir.path, env, ...record, retryDelayMs: 1 });
  const errors: unknown[] = [];
  const attempt = async (fn: () => Promise<unknown>) => {
    try {
      await fn();
    } catch (e) {
      ok(e instanceof RingCentralError || e instanceof TypeError, String(e));
      errors.push(e);
    }
  };
  const EXT = "/restapi/v1.0/account/~/extension/~";
  const fault = (body: unknown) =>
    fetch(`${s.url}/__emulator/faults`, { method: "POST", body: JSON.stringify(body) }).then((r) => r.body?.cancel());

  // Success paths.
  await rc.get(EXT);
  for await (const _ of rc.paginate("/restapi/v1.0/account/~/extension", { perPage: 10 }));
  await rc.post(`${EXT}/sms`, {
    from: { phoneNumber: "+16505550101" },
    to: [{ phoneNumber: "+16505550199" }],
    text: "hi",
  });
  await rc.refresh();
  const tokens = JSON.parse(await Deno.readTextFile(`${dir.path}/tokens_sandbox.json`)).tokens;
  // Failure paths.
  await attempt(() => rc.get(`${EXT}/message-store/1`));
  await attempt(() => rc.get(`/restapi/v1.0/account/~?access_token=${tokens.access_token}&x=1`));
  await attempt(() => rc.post(`${EXT}/sms`, { from: { phoneNumber: "+1" }, to: [], text: "" }));
  await fault({ path: `${EXT}/sms`, drop: "after" });
  await attempt(() =>
    rc.post(`${EXT}/sms`, { from: { phoneNumber: "+16505550101" }, to: [{ phoneNumber: "+16505550199" }], text: "x" })
  );
  await fault({ path: EXT, delayMs: 300 });
  await attempt(() => rc.get(EXT, undefined, { timeoutMs: 30 }));
  await fault({ path: "/restapi/oauth/token", status: 503, times: 4 });
  await attempt(() => rc.refresh());
  const password = await RingCentral.fromEnv({
    dir: dir.path,
    env: { ...s.env, RC_CLIENT_SECRET: SECRET, RC_JWT: "", RC_PASSWORD: WRONG },
    ...record,
  });
  await attempt(() => password.authenticate());
  const wrongSecret = new RingCentral({ ...s.credentials, clientSecret: "CANARY-bad-secret-0d0d", ...record });
  await attempt(() => wrongSecret.authenticate());
  await rc.logout();
  await attempt(() => new RingCentral({ server: s.url, clientId: "x", ...record }).authenticate());
  ok(errors.length >= 7, `${errors.length} errors`); // the ?access_token= call succeeds: only its log is checked

  // The demo in a terminal, with the same secrets.
  const demo = await runDeno(["run", "-A", `${ROOT}/scripts/demo.ts`], { cwd: dir.path, env, clearEnv: true });
  equal(demo.code, 0, demo.stderr);

  const files: string[] = [];
  for (const entry of Deno.readDirSync(dir.path)) {
    if (/^tokens_\w+\.json$/.test(entry.name)) continue; // the cache holds tokens by design (0600, git-ignored)
    if (entry.isFile) files.push(await Deno.readTextFile(`${dir.path}/${entry.name}`));
  }
  const haystack = [
    ...seen,
    ...errors.flatMap((e) => {
      const err = e as ApiError;
      return [
        err.message,
        String(err),
        JSON.stringify(err),
        JSON.stringify(err.body ?? null),
        err.hint ?? "",
        err.stack ?? "",
      ];
    }),
    ...files,
    demo.stdout,
    demo.stderr,
  ].join("\n");
  ok(seen.length > 20 && haystack.includes("[REDACTED]"), "the checks saw real traffic");
  for (
    const [name, value] of Object.entries({
      SECRET,
      PASSWORD,
      WRONG,
      JWT,
      access: tokens.access_token,
      refresh: tokens.refresh_token,
    })
  ) {
    equal(haystack.includes(value), false, `${name} leaked`);
  }
  equal(haystack.includes("CANARY-bad-secret-0d0d"), false, "the wrong secret leaked");
});
