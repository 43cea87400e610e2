/**
 * The dashboard in a real browser: headless Chromium (Debian's package,
 * driven by puppeteer-core, as the browser login's test) loads
 * `/__emulator/ui` with no console error; an inbound SMS injected through
 * the control API shows within a second; a click on "Advance clock" moves a
 * queued message to Delivered (the emulator's clock is fixed otherwise); the
 * page's own actions inject an SMS and queue a fault. Reported as ignored
 * where no Chromium is installed; in CI (`CI=true`) a failure.
 */
import { deepEqual, equal } from "node:assert/strict";
import { RingCentral } from "../../mod.ts";
import { serveEmulator } from "../_helpers.ts";
import { chromium } from "../_chromium.ts";

const CHROMIUM = chromium();

Deno.test({
  name: "dashboard in headless Chromium: no console error, an injected SMS within a second, Advance clock delivers",
  ignore: CHROMIUM.ignore, // in CI (CI=true) a missing Chromium fails instead
}, async () => {
  const executablePath = CHROMIUM.require(); // in CI: fails here, with how to install it
  const { default: puppeteer } = await import("puppeteer-core");
  const fixed = Date.now();
  await using s = serveEmulator({ now: () => fixed, rateLimits: false }); // time moves only when the page says so
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
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on("console", (m) => {
      if (m.type() === "error") errors.push(`console: ${m.text()}`);
    });
    page.on("pageerror", (e) => errors.push(`page: ${(e as Error).message}`));
    page.on("requestfailed", (r) => {
      if (!r.url().endsWith("/__emulator/ui/events")) errors.push(`request: ${r.url()} ${r.failure()?.errorText}`);
    });
    await page.goto(`${s.url}/__emulator/ui`);
    await page.waitForSelector('#live[data-state="open"]', { timeout: 10_000 });
    await page.waitForSelector("#messages tbody tr[data-message-id]", { timeout: 5000 }); // the seed's messages

    // An SMS injected through the control API shows within a second.
    const injected = await (await fetch(`${s.url}/__emulator/inbound-sms`, {
      method: "POST",
      body: JSON.stringify({ from: "+14155550123", text: "Seen in the browser" }),
    })).json();
    await page.waitForSelector(`#messages tr[data-message-id="${injected.id}"][data-status="Received"]`, {
      timeout: 1000,
    });

    // A message sent now is Queued, and stays so on this clock, until Advance clock.
    const rc = new RingCentral(s.credentials);
    const sent = await (await rc.post("/restapi/v1.0/account/~/extension/~/sms", {
      from: { phoneNumber: "+16505550101" },
      to: [{ phoneNumber: "+16505550199" }],
      text: "Queued until the clock moves",
    })).json();
    const row = `#messages tr[data-message-id="${sent.id}"]`;
    await page.waitForSelector(`${row}[data-status="Queued"]`, { timeout: 5000 });
    await page.click("#advance-clock");
    await page.waitForSelector(`${row}[data-status="Delivered"]`, { timeout: 5000 });
    equal(await page.$eval("#action-result", (e) => e.getAttribute("data-ok")), "true");

    // Advance clock with no number of seconds says so, and moves nothing.
    const before = s.emulator.now();
    for (const typed of ["", "abc"]) {
      await page.$eval("#advance-seconds", (e) => ((e as unknown as { value: string }).value = ""));
      if (typed) await page.type("#advance-seconds", typed);
      await page.click("#advance-clock");
      await page.waitForSelector('#action-result[data-ok="false"]', { timeout: 5000 });
      equal(
        await page.$eval("#action-result", (e) => e.textContent),
        "Give a number of seconds to advance the clock by, such as 60.",
        `typed ${JSON.stringify(typed)}`,
      );
      await page.$eval("#action-result", (e) => e.setAttribute("data-ok", ""));
    }
    equal(s.emulator.now(), before, "the clock did not move");
    // This emulator has rate limits off: the panel says so rather than staying empty.
    equal(await page.$eval("#rate-limits-off", (e) => (e as unknown as { hidden: boolean }).hidden), false);

    // The page's own actions: an inbound SMS, a fault.
    await page.$eval("#inbound-sms-text", (e) => ((e as unknown as { value: string }).value = ""));
    await page.type("#inbound-sms-text", "Typed in the dashboard");
    await page.click("#inbound-sms-send");
    await page.waitForFunction(
      `[...document.querySelectorAll("#messages tbody tr")].some((r) => r.textContent.includes("Typed in the dashboard"))`,
      { timeout: 5000 },
    );
    await page.click("#fault-queue");
    await page.waitForSelector('#faults tr[data-fault-index="0"]', { timeout: 5000 });
    equal(s.emulator.state.faults[0].status, 503);
    equal(await page.$eval("#download-world", (e) => e.getAttribute("href")), "/__emulator/world");
    deepEqual(errors, [], "no console error, no failed request");
  } finally {
    await browser.close();
    await Deno.remove(userDir, { recursive: true });
  }
});
