/**
 * Where the browser tests find Debian's Chromium, and what they do without
 * it: ignored on a developer's machine, a failure in CI (`CI=true`, which
 * `.ci/run` sets), so CI never stays green with the browser tests skipped.
 */

/** The message a browser test fails with in CI when Chromium is missing. */
export const CHROMIUM_REQUIRED = "Chromium is required in CI: apt-get install chromium";

/** Where Debian and Ubuntu install Chromium. */
const PATHS = ["/usr/bin/chromium", "/usr/bin/chromium-browser"];

/**
 * The browser tests' Chromium: its path (when one of `paths` is a file), whether to ignore the test (no Chromium,
 * not in CI), and `require()`, which returns the path or throws {@linkcode CHROMIUM_REQUIRED}.
 */
export function chromium(
  { ci = Deno.env.get("CI") === "true", paths = PATHS }: { ci?: boolean; paths?: string[] } = {},
): { path?: string; ignore: boolean; require(): string } {
  const path = paths.find((p) => {
    try {
      return Deno.statSync(p).isFile;
    } catch {
      return false;
    }
  });
  return {
    path,
    ignore: !path && !ci,
    require() {
      if (!path) throw new Error(CHROMIUM_REQUIRED);
      return path;
    },
  };
}
