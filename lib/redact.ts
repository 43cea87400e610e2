/**
 * The one redaction routine. Errors, logs, debug output and recordings pass
 * their text through {@linkcode redact} before anyone sees it.
 * @module
 */

/** Replacement text for a secret. */
export const REDACTED = "[REDACTED]";

/** Names of fields and parameters that carry RingCentral secrets. */
export const SECRET_FIELDS: readonly string[] = [
  "access_token",
  "refresh_token",
  "password",
  "assertion",
  "client_secret",
  "client_assertion",
  "code_verifier",
  "code",
  "token",
  "id_token",
  "jwt",
  "RC_JWT",
  "RC_PASSWORD",
  "RC_CLIENT_SECRET",
];

const FIELDS = SECRET_FIELDS.join("|");
const PATTERNS: [RegExp, string][] = [
  // Authorization headers: Basic and Bearer (any case), in raw HTTP or JSON.
  [/\b(basic|bearer)\s+[A-Za-z0-9._~+/=-]{4,}/gi, `$1 ${REDACTED}`],
  // JSON members: "access_token" : "..."
  [new RegExp(`("(?:${FIELDS})"\\s*:\\s*)"(?:[^"\\\\]|\\\\.)*"`, "g"), `$1"${REDACTED}"`],
  // Form bodies and query strings: password=...&
  [new RegExp(`(^|[?&\\s])(${FIELDS})=[^&\\s"']+`, "g"), `$1$2=${REDACTED}`],
];

/** Long secret values seen at run time, replaced wherever they appear. */
const knownSecrets = new Set<string>();

/**
 * Registers a secret value (a token, a password, a JWT) so that
 * {@linkcode redact} removes it even where no field name announces it.
 * Values shorter than 6 characters are ignored: they would redact ordinary text.
 *
 * @example Register a value and redact it
 * ```ts
 * import { redact, registerSecret } from "./redact.ts";
 * import { equal } from "node:assert/strict";
 * registerSecret("s3cr3t-value");
 * equal(redact("echo s3cr3t-value"), "echo [REDACTED]");
 * ```
 */
export function registerSecret(value: string | undefined): void {
  if (value && value.length >= 6) knownSecrets.add(value);
}

/**
 * Returns `text` with every secret removed: Basic and Bearer credentials,
 * secret fields in JSON, form and query strings, and every registered value.
 *
 * @example Redact a token request
 * ```ts
 * import { redact } from "./redact.ts";
 * import { equal } from "node:assert/strict";
 * equal(
 *   redact("grant_type=password&username=bob&password=hunter22"),
 *   "grant_type=password&username=bob&password=[REDACTED]",
 * );
 * ```
 */
export function redact(text: string): string {
  let out = text;
  for (const secret of knownSecrets) {
    if (out.includes(secret)) out = out.replaceAll(secret, REDACTED);
  }
  for (const [pattern, replacement] of PATTERNS) {
    out = out.replace(pattern, replacement);
  }
  return out;
}

/** Keys whose values are secrets wherever they appear in structured data (JSON bodies, queries, forms). */
const SECRET_KEYS = new Set(SECRET_FIELDS.filter((k) => k !== "code").map((k) => k.toLowerCase()));

/**
 * A copy of structured data (a JSON body, a query, form fields) with every
 * secret removed by structure: the value of a secret-named key becomes
 * {@linkcode REDACTED}, and every other string goes through {@linkcode redact}.
 *
 * @example
 * ```ts
 * import { redactData } from "./redact.ts";
 * import { deepEqual } from "node:assert/strict";
 * deepEqual(redactData({ user: { password: "hunter22" }, currency: { code: "USD" } }), {
 *   user: { password: "[REDACTED]" },
 *   currency: { code: "USD" },
 * });
 * ```
 */
export function redactData<T>(value: T): T {
  if (typeof value === "string") return redact(value) as T;
  if (Array.isArray(value)) return value.map((v) => redactData(v)) as T;
  if (value && typeof value === "object" && Object.getPrototypeOf(value) === Object.prototype) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      out[k] = SECRET_KEYS.has(k.toLowerCase()) && v !== undefined && v !== null ? REDACTED : redactData(v);
    }
    return out as T;
  }
  return value;
}

/**
 * A path with its query string redacted by structure (secret-named
 * parameters), and the rest through {@linkcode redact}.
 *
 * @example
 * ```ts
 * import { redactPath } from "./redact.ts";
 * import { equal } from "node:assert/strict";
 * equal(redactPath("/restapi/v1.0/x?access_token=abc&perPage=5"), "/restapi/v1.0/x?access_token=%5BREDACTED%5D&perPage=5");
 * ```
 */
export function redactPath(path: string): string {
  const at = path.indexOf("?");
  if (at < 0) return redact(path);
  const params = new URLSearchParams();
  for (const [k, v] of new URLSearchParams(path.slice(at + 1))) {
    params.append(k, SECRET_KEYS.has(k.toLowerCase()) ? REDACTED : redact(v));
  }
  return `${redact(path.slice(0, at))}?${params}`;
}
