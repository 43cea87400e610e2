/** In CI a missing Chromium fails the browser tests, with how to install it; elsewhere they are ignored. */
import { equal, throws } from "node:assert/strict";
import { chromium, CHROMIUM_REQUIRED } from "./_chromium.ts";

Deno.test("browser tests: no Chromium is ignored on a machine, a failure in CI that says how to install it", async () => {
  const missing = ["/nonexistent/chromium"];
  equal(chromium({ ci: false, paths: missing }).ignore, true, "a developer without Chromium: ignored");
  const ci = chromium({ ci: true, paths: missing });
  equal(ci.ignore, false, "in CI the test runs");
  throws(() => ci.require(), new RegExp(CHROMIUM_REQUIRED.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")));
  equal(CHROMIUM_REQUIRED, "Chromium is required in CI: apt-get install chromium");
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(`${dir}/chromium`, "");
    const found = chromium({ ci: true, paths: [`${dir}/chromium`] });
    equal(found.require(), `${dir}/chromium`);
    equal(found.ignore, false);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
  // CI sets CI=true, and .ci/run sets it too, so the tests can tell.
  const run = await Deno.readTextFile(new URL("../.ci/run", import.meta.url));
  equal(/^export CI=true$/m.test(run), true, ".ci/run exports CI=true");
});
