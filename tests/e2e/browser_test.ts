/**
 * The browser login in a real browser: headless Chromium (Debian's package,
 * driven by puppeteer-core) loads the emulator's consent page, picks a user,
 * approves, and lands on the client's loopback page; the client's call then
 * succeeds. Reported as ignored where no Chromium is installed; in CI (`CI=true`) a failure.
 */
import { equal, match } from "node:assert/strict";
import { RingCentral } from "../../mod.ts";
import { PUBLIC_CLIENT_ID } from "../../lib/emulator/seed.ts";
import { serveEmulator, stats } from "../_helpers.ts";
import { chromium } from "../_chromium.ts";

const CHROMIUM = chromium();

Deno.test({
  name: "browser login in headless Chromium: consent page, approve, back to the terminal",
  ignore: CHROMIUM.ignore, // in CI (CI=true) a missing Chromium fails instead
}, async () => {
  const executablePath = CHROMIUM.require(); // in CI: fails here, with how to install it
  const { default: puppeteer } = await import("puppeteer-core");
  await using s = serveEmulator({ rateLimits: false });
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close();
  const userDir = await Deno.makeTempDir({ prefix: "rc-chromium-" });
  const browser = await puppeteer.launch({
    executablePath,
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      `--user-data-dir=${userDir}`,
    ],
  });
  try {
    const landed = Promise.withResolvers<string>();
    const bob = s.emulator.state.extensions.find((e) => e.extensionNumber === "102")!;
    const rc = new RingCentral({
      server: s.url,
      clientId: PUBLIC_CLIENT_ID,
      redirectUri: `http://127.0.0.1:${port}/oauth2callback`,
      browser: {
        open: false,
        paste: false,
        print: (line) => {
          if (!line.includes("/restapi/oauth/authorize?")) return;
          (async () => {
            const page = await browser.newPage();
            await page.goto(line);
            await page.select("#user", String(bob.id));
            await Promise.all([page.waitForNavigation(), page.click("#approve")]);
            landed.resolve(await page.content());
          })().catch(landed.reject);
        },
      },
    });
    const me = await (await rc.get("/restapi/v1.0/account/~/extension/~")).json();
    equal(me.extensionNumber, "102", "logged in as the user picked in the page");
    match(await landed.promise, /Logged in[\s\S]*You can close this window and go back to the terminal/);
    equal((await stats(s.url)).grants.authorization_code.ok, 1);
  } finally {
    await browser.close();
    await Deno.remove(userDir, { recursive: true });
  }
});
