/**
 * Logging in with a browser (authorization code + PKCE over a loopback
 * redirect) against a served emulator, with its real consent page; here a
 * small function plays the browser: it loads the page, submits the form and
 * follows the redirect to the client's listener.
 */
import { equal, match, ok, rejects } from "node:assert/strict";
import { RingCentral, RingCentralError } from "../mod.ts";
import { authorizeInBrowser } from "../lib/browser_login.ts";
import { PUBLIC_CLIENT_ID } from "../lib/emulator/seed.ts";
import { childEnv, serveEmulator, stats } from "./_helpers.ts";

/** A free loopback port. */
function freePort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const { port } = listener.addr as Deno.NetAddr;
  listener.close();
  return port;
}

/**
 * Plays the browser: loads the authorization URL, submits the consent form
 * with `decision`, and (unless `follow` is false) goes to where it redirects.
 * Returns the final redirect's URL.
 */
export async function playBrowser(url: string, decision: "approve" | "deny", follow = true): Promise<string> {
  const html = await (await fetch(url)).text();
  const form = new URLSearchParams();
  for (const m of html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) {
    form.set(m[1], m[2].replace(/&#(\d+);/g, (_, c) => String.fromCharCode(Number(c))));
  }
  form.set("decision", decision);
  const answer = await fetch(new URL("/restapi/oauth/authorize", url), {
    method: "POST",
    body: form,
    redirect: "manual",
  });
  const location = answer.headers.get("location");
  await answer.body?.cancel();
  if (!location) throw new Error(`the consent page answered ${answer.status}, no redirect`);
  if (follow) await (await fetch(location)).body?.cancel();
  return location;
}

/** A printer that plays the browser with `decision` as soon as the authorization URL is printed. */
function browserThat(decision: "approve" | "deny", lines: string[] = []) {
  return (line: string) => {
    lines.push(line);
    if (/\/restapi\/oauth\/authorize\?/.test(line)) playBrowser(line, decision).catch(() => {});
  };
}

Deno.test("browser login: approve in the consent page, the client gets tokens for the chosen user", async () => {
  await using s = serveEmulator({ rateLimits: false });
  const lines: string[] = [];
  const rc = new RingCentral({
    server: s.url,
    clientId: PUBLIC_CLIENT_ID,
    redirectUri: `http://127.0.0.1:${freePort()}/oauth2callback`,
    browser: { open: false, paste: false, print: browserThat("approve", lines) },
  });
  equal(rc.grant, "browser");
  const me = await (await rc.get("/restapi/v1.0/account/~/extension/~")).json();
  equal(me.extensionNumber, "101");
  ok(
    lines.some((l) =>
      /^http:\/\/127\.0\.0\.1:\d+\/restapi\/oauth\/authorize\?response_type=code&client_id=emulator-public-id&redirect_uri=.*&state=.*&code_challenge=.*&code_challenge_method=S256$/
        .test(l)
    ),
    lines.join("\n"),
  );
  const grants = (await stats(s.url)).grants;
  equal(grants.authorization_code.ok, 1);
  // Later calls refresh as usual: no browser again.
  await rc.refresh();
  equal((await stats(s.url)).grants.authorization_code.ok, 1);
  equal((await stats(s.url)).grants.refresh_token.ok, 1);
});

Deno.test("browser login: every way it can fail says what happened and what to do", async (t) => {
  await using s = serveEmulator({ rateLimits: false }, { validate: false });
  const base = { server: s.url, clientId: PUBLIC_CLIENT_ID, open: false, paste: false };
  await t.step("the user denies", async () => {
    await rejects(
      authorizeInBrowser({
        ...base,
        redirectUri: `http://127.0.0.1:${freePort()}/oauth2callback`,
        print: browserThat("deny"),
      }),
      (e) =>
        e instanceof RingCentralError &&
        /The login was denied in the browser\. Run it again and choose Approve/.test(e.message),
    );
  });
  await t.step("an answer with another state", async () => {
    const redirectUri = `http://127.0.0.1:${freePort()}/oauth2callback`;
    await rejects(
      authorizeInBrowser({
        ...base,
        redirectUri,
        print: (line) => {
          if (line.includes("/authorize?")) {
            fetch(`${redirectUri}?code=stolen&state=another`).then((r) => r.body?.cancel());
          }
        },
      }),
      /state that is not this login's/,
    );
  });
  await t.step("the port is in use", async () => {
    const taken = Deno.listen({ hostname: "127.0.0.1", port: 0 });
    try {
      const port = (taken.addr as Deno.NetAddr).port;
      await rejects(
        authorizeInBrowser({ ...base, redirectUri: `http://127.0.0.1:${port}/oauth2callback`, print: () => {} }),
        new RegExp(
          `Port ${port} of RC_REDIRECT_URI \\(http://127\\.0\\.0\\.1:${port}\\) is in use\\. Stop what uses it, or pick another port`,
        ),
      );
    } finally {
      taken.close();
    }
  });
  await t.step(
    "a redirect URI the app did not register: the browser shows RingCentral's error, the terminal times out",
    async () => {
      let browserSaw = 0;
      await rejects(
        authorizeInBrowser({
          ...base,
          redirectUri: `http://127.0.0.1:${freePort()}/not-registered`,
          timeoutMs: 500,
          print: (line) => {
            if (line.includes("/authorize?")) {
              fetch(line).then(async (r) => (browserSaw = r.status, await r.body?.cancel()));
            }
          },
        }),
        /No answer from the browser within 500 ms/,
      );
      equal(browserSaw, 400);
    },
  );
  await t.step("cancelled (Ctrl-C)", async () => {
    const stop = new AbortController();
    const waiting = authorizeInBrowser({
      ...base,
      redirectUri: `http://127.0.0.1:${freePort()}/oauth2callback`,
      signal: stop.signal,
      print: () => {},
    });
    const reason = new Error("Ctrl-C");
    setTimeout(() => stop.abort(reason), 50);
    equal(await waiting.catch((e) => e), reason, "it rejects with the signal's reason");
  });
  await t.step("the listener is closed afterwards: the port is free again", () => {
    const port = freePort();
    const again = Deno.listen({ hostname: "127.0.0.1", port });
    again.close();
  });
});

Deno.test("browser login: paste mode takes the redirected address (state checked), or a public app's bare code", async (t) => {
  await using s = serveEmulator({ rateLimits: false });
  for (const what of ["address", "code", "another state"] as const) {
    await t.step(what, async () => {
      let url = "";
      const login = authorizeInBrowser({
        server: s.url,
        clientId: PUBLIC_CLIENT_ID,
        publicClient: true,
        redirectUri: `http://127.0.0.1:${freePort()}/oauth2callback`,
        open: false,
        print: (line) => line.includes("/authorize?") && (url = line),
        readLine: async () => {
          while (!url) await new Promise((r) => setTimeout(r, 5));
          const location = new URL(await playBrowser(url, "approve", false)); // the browser cannot reach this machine
          if (what === "code") return location.searchParams.get("code");
          if (what === "another state") location.searchParams.set("state", "forged");
          return location.href;
        },
      });
      if (what === "another state") await rejects(login, /The pasted address has a state that is not this login's/);
      else match((await login).code, /^EMC/);
    });
  }
  await t.step("a confidential app: a bare code is refused, the whole address is asked for", async () => {
    let url = "";
    const lines: string[] = [];
    let location: URL | undefined;
    const pasted: string[] = [];
    const login = authorizeInBrowser({
      server: s.url,
      clientId: PUBLIC_CLIENT_ID,
      redirectUri: `http://127.0.0.1:${freePort()}/oauth2callback`,
      open: false,
      paste: true,
      print: (line) => (lines.push(line), line.includes("/authorize?") && (url = line)),
      readLine: async () => {
        while (!url) await new Promise((r) => setTimeout(r, 5));
        location ??= new URL(await playBrowser(url, "approve", false));
        // First someone else's code (it could come from any authorization), then the address the browser ended on.
        const line = pasted.length === 0 ? "EMC-someone-elses-code" : location.href;
        pasted.push(line);
        return line;
      },
    });
    equal((await login).code, location!.searchParams.get("code"), "only the address's code was taken");
    equal(pasted.length, 2);
    ok(
      lines.some((l) => /That looks like a bare code\. Paste the whole address the browser ended on/.test(l)),
      lines.join("\n"),
    );
  });
});

Deno.test("browser login: a one-off script with RC_REDIRECT_URI prints the URL, waits, succeeds; the next run uses the cache", async () => {
  const { ROOT, runDeno, tempDir } = await import("./_helpers.ts");
  await using s = serveEmulator({ rateLimits: false });
  await using dir = await tempDir();
  const redirectUri = `http://127.0.0.1:${freePort()}/oauth2callback`;
  await Deno.writeTextFile(
    `${dir.path}/.env-sandbox`,
    `RC_SERVER_URL=${s.url}\nRC_CLIENT_ID=${PUBLIC_CLIENT_ID}\nRC_REDIRECT_URI=${redirectUri}\n`,
  );
  const script = `${dir.path}/one_off.ts`;
  await Deno.writeTextFile(
    script,
    `import { RingCentral } from "${ROOT}/mod.ts";\nconst rc = await RingCentral.fromEnv();\n` +
      `console.log((await (await rc.get("/restapi/v1.0/account/~/extension/~")).json()).name);\n`,
  );
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", script],
    cwd: dir.path,
    env: childEnv({ RC_NO_BROWSER: "1" }),
    clearEnv: true,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const stderr = child.stderr.pipeThrough(new TextDecoderStream()).getReader();
  let text = "";
  let url: RegExpExecArray | null = null;
  while (!(url = /^(http:\S+\/restapi\/oauth\/authorize\?\S+)$/m.exec(text))) {
    const { value, done } = await stderr.read();
    if (done) throw new Error(`the script ended without a URL: ${text}`);
    text += value;
  }
  match(text, /Log in to RingCentral in your browser\. Open this URL:/);
  await playBrowser(url[1], "approve");
  const printed = await new Response(child.stdout).text();
  await stderr.cancel();
  equal((await child.status).code, 0, text);
  equal(printed.trim(), "Alice Admin");
  equal((await stats(s.url)).grants.authorization_code.ok, 1);
  const again = await runDeno(["run", "-A", script], { cwd: dir.path, env: { RC_NO_BROWSER: "1" } });
  equal(again.code, 0, again.stderr);
  equal(again.stdout.trim(), "Alice Admin");
  ok(!again.stderr.includes("/restapi/oauth/authorize?"), "no browser the second time");
  equal((await stats(s.url)).grants.authorization_code.ok, 1);
});

Deno.test("browser login: a replay (not interactive) fails at once and says how to log in; app mix-ups get their fix", async (t) => {
  await using s = serveEmulator({ rateLimits: false, autoApprove: true }, { validate: false });
  await t.step("not interactive", async () => {
    const rc = new RingCentral({
      server: s.url,
      clientId: PUBLIC_CLIENT_ID,
      redirectUri: `http://127.0.0.1:${freePort()}/oauth2callback`,
      browser: { interactive: false },
    });
    await rejects(rc.authenticate(), /No valid token, and logging in needs a browser\. Log in first/);
  });
  await t.step("a public app given a secret", async () => {
    const rc = new RingCentral({
      server: s.url,
      clientId: PUBLIC_CLIENT_ID,
      clientSecret: "a-secret-it-does-not-have",
      redirectUri: `http://127.0.0.1:${freePort()}/oauth2callback`,
      browser: {
        open: false,
        paste: false,
        print: (l) => l.includes("/authorize?") && fetch(l).then((r) => r.body?.cancel()),
      },
    });
    await rejects(rc.authenticate(), /OAU-146 .*public and has no secret.*leave RC_CLIENT_SECRET empty/);
  });
  await t.step("a confidential app without its secret", async () => {
    const rc = new RingCentral({
      server: s.url,
      clientId: "emulator-client-id",
      redirectUri: `http://127.0.0.1:${freePort()}/oauth2callback`,
      browser: {
        open: false,
        paste: false,
        print: (l) => l.includes("/authorize?") && fetch(l).then((r) => r.body?.cancel()),
      },
    });
    await rejects(
      rc.authenticate(),
      /OAU-123 Client authentication is required.*set RC_CLIENT_ID and RC_CLIENT_SECRET/,
    );
  });
});

/** A one-off script that logs in with a browser (RC_NO_BROWSER: the URL is printed), running in a real terminal. */
async function browserScriptInTerminal(s: { url: string }) {
  const { ROOT, tempDir } = await import("./_helpers.ts");
  const { terminal } = await import("./e2e/_tmux.ts");
  const dir = await tempDir();
  const redirectUri = `http://127.0.0.1:${freePort()}/oauth2callback`;
  await Deno.writeTextFile(
    `${dir.path}/.env-sandbox`,
    `RC_SERVER_URL=${s.url}\nRC_CLIENT_ID=${PUBLIC_CLIENT_ID}\nRC_REDIRECT_URI=${redirectUri}\n`,
  );
  const script = `${dir.path}/one_off.ts`;
  await Deno.writeTextFile(
    script,
    `import { RingCentral } from "${ROOT}/mod.ts";\nconst rc = await RingCentral.fromEnv();\n` +
      `console.log("name:", (await (await rc.get("/restapi/v1.0/account/~/extension/~")).json()).name);\n`,
  );
  const env = Object.entries(childEnv({ RC_NO_BROWSER: "1" })).map(([k, v]) => `${k}='${v}'`).join(" ");
  const term = await terminal(
    `cd ${dir.path} && env -i ${env} ${Deno.execPath()} run -A ${script}; echo "EXITED $?"; sleep 30`,
    { columns: 400, rows: 40 },
  );
  const screen = await term.waitFor(/Then paste here the address/);
  const url = /(http:\S+\/restapi\/oauth\/authorize\?\S+)/.exec(screen)![1];
  return {
    term,
    url,
    async [Symbol.asyncDispose]() {
      await term[Symbol.asyncDispose]();
      await dir[Symbol.asyncDispose]();
    },
  };
}

Deno.test("browser login in a real terminal: when the browser's redirect logs the script in, it ends without waiting for Enter", async () => {
  await using s = serveEmulator({ rateLimits: false });
  await using run = await browserScriptInTerminal(s);
  await playBrowser(run.url, "approve"); // the browser's redirect reaches the script; nobody types anything
  match(await run.term.waitFor(/EXITED \d+/, 10_000), /name: Alice Admin\nEXITED 0/);
});

Deno.test("browser login in a real terminal: after the address is pasted and the work is done, the script ends", async () => {
  await using s = serveEmulator({ rateLimits: false });
  await using run = await browserScriptInTerminal(s);
  const location = await playBrowser(run.url, "approve", false); // the browser ends on an address nobody serves
  await run.term.press([location, "Enter"], /name: Alice Admin/);
  match(await run.term.waitFor(/EXITED \d+/, 10_000), /name: Alice Admin\nEXITED 0/); // no second Enter
});
