/**
 * The single values of a configuration, checked: the environment
 * (`ENVIRONMENT`), the server (`RC_SERVER_URL`) and a browser login's
 * loopback redirect (`RC_REDIRECT_URI`). Errors name the key and where it
 * came from, never the value.
 * @module
 */
import { ConfigError } from "./errors.ts";
import { isLoopbackHost } from "./_util.ts";

/** Whether `host` is one of RingCentral's own servers (production or sandbox). */
export function isRingCentralHost(host: string): boolean {
  return /(^|\.)ringcentral\.com$/.test(host);
}

/** A loopback `http://127.0.0.1:<port>/<path>` or `http://localhost:<port>/<path>`, as a browser login needs. */
export function checkRedirect(value: string, where: string): string {
  const fail = (problem: string) =>
    new ConfigError(
      `RC_REDIRECT_URI in ${where} ${problem}: use a loopback address with a port and a path, such as ` +
        `http://127.0.0.1:53682/oauth2callback, registered as a redirect URI of the app`,
      "RC_REDIRECT_URI",
      where,
    );
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw fail("is not a URL");
  }
  if (url.protocol !== "http:" || !isLoopbackHost(url.hostname) || url.hostname === "[::1]") {
    throw fail("must be http://127.0.0.1 or http://localhost (the browser comes back to this machine)");
  }
  if (!url.port) throw fail("needs a port");
  if (url.username || url.password || url.search || url.hash) throw fail("must have no user, query or fragment");
  return url.href;
}

/**
 * A checked `RC_SERVER_URL` (no trailing slash): https, or plain http to a
 * loopback emulator or, with `shared`, to a workshop room's emulator; no user
 * info, query or fragment. Errors name the key, `where` it came from, and the
 * environment's `defaultServer` to use; never the value (it may be a pasted secret).
 */
export function checkServer(value: string, defaultServer: string, where: string, shared: boolean): string {
  const fail = (problem: string) =>
    new ConfigError(`RC_SERVER_URL in ${where} ${problem}. Use ${defaultServer}`, "RC_SERVER_URL", where);
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw fail("is not a URL (a URL starts with https://)"); // the value itself may be a pasted secret
  }
  if (url.username || url.password) {
    throw fail("must not hold a user name or password (remove what stands between // and @)");
  }
  const shown = url.origin + url.pathname.replace(/\/+$/, "");
  if (shared && isRingCentralHost(url.hostname)) {
    throw new ConfigError(
      `RC_SHARED_EMULATOR is set in ${where} but RC_SERVER_URL is RingCentral's own server: remove RC_SHARED_EMULATOR`,
      "RC_SHARED_EMULATOR",
      where,
    );
  }
  if (url.protocol !== "https:" && !(url.protocol === "http:" && (shared || isLoopbackHost(url.hostname)))) {
    const room = url.protocol === "http:" && !isRingCentralHost(url.hostname)
      ? ", or a workshop's shared emulator with RC_SHARED_EMULATOR=yes"
      : "";
    throw fail(`must use https (got "${shown}"); plain http is only for a local emulator at 127.0.0.1${room}`);
  }
  if (url.search || url.hash) {
    throw fail(`must be a bare server URL (remove the ${url.search ? "query" : "#fragment"})`);
  }
  return url.origin + url.pathname.replace(/\/+$/, "");
}

/** The environment, and where it was asked for (for messages). */
export function selectEnvironment(
  dotEnv: Record<string, string>,
  env: Record<string, string | undefined>,
): { environment: "sandbox" | "production"; explicit: string } {
  const fromVariable = !!env.ENVIRONMENT?.trim();
  const raw = (fromVariable ? env.ENVIRONMENT! : dotEnv.ENVIRONMENT || "sandbox").trim();
  const explicit = fromVariable ? "the ENVIRONMENT variable" : dotEnv.ENVIRONMENT ? "in .env" : "the default";
  if (raw !== "sandbox" && raw !== "production") {
    const shown = raw.length > 20 ? `${raw.slice(0, 20)}…` : raw;
    throw new ConfigError(
      `ENVIRONMENT in ${fromVariable ? "the ENVIRONMENT variable" : ".env"} is "${shown}": use sandbox or production`,
      "ENVIRONMENT",
      ".env",
    );
  }
  return { environment: raw, explicit };
}
