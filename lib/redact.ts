/**
 * Redaction. Errors, logs, debug output and recordings pass their text
 * through {@linkcode redact} (secrets by their form) or a client's
 * {@linkcode SecretSet} (its own secret values too), and structured data
 * through {@linkcode redactData} (secrets by their key), before anyone sees it.
 * @module
 */

/** Replacement text for a secret. */
export const REDACTED = "[REDACTED]";

/** Names of fields and parameters that carry RingCentral secrets. */
const SECRET_FIELDS: readonly string[] = [
  "access_token",
  "ws_access_token",
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
/** In JSON, `code` is an ordinary word (`"code" : "USD"`); only forms and queries carry OAuth codes. */
const JSON_FIELDS = SECRET_FIELDS.filter((k) => k !== "code").join("|");
const PATTERNS: [RegExp, string][] = [
  // Authorization headers: Basic and Bearer (any case), in raw HTTP or JSON.
  [/\b(basic|bearer)\s+[A-Za-z0-9._~+/=-]{4,}/gi, `$1 ${REDACTED}`],
  // JSON members: "access_token" : "..."
  [new RegExp(`("(?:${JSON_FIELDS})"\\s*:\\s*)"(?:[^"\\\\]|\\\\.)*"`, "g"), `$1"${REDACTED}"`],
  // Form bodies and query strings: password=...& (in JSON text, the value stops before an escape: `\\"`)
  [new RegExp(`(^|[?&\\s])(${FIELDS})=[^&\\s"'\\\\]+`, "g"), `$1$2=${REDACTED}`],
];

/** How many rotating values (tokens) a {@linkcode SecretSet} keeps: the newest few generations. */
const ROTATING_KEPT = 8;

/**
 * The secret values one client knows: its credentials (kept) and its
 * newest tokens (a bounded list, so a long run does not grow it). Its
 * {@linkcode SecretSet.redact} removes them wherever they appear, even where
 * no field name announces them. Values shorter than 6 characters are
 * ignored: they would redact ordinary text.
 *
 * @example
 * ```ts
 * import { SecretSet } from "./redact.ts";
 * import { equal } from "node:assert/strict";
 * const secrets = new SecretSet();
 * secrets.add("s3cr3t-value");
 * equal(secrets.redact("echo s3cr3t-value"), "echo [REDACTED]");
 * equal(new SecretSet().redact("echo s3cr3t-value"), "echo s3cr3t-value"); // another client's set
 * ```
 */
export class SecretSet {
  #fixed = new Set<string>();
  #rotating: string[] = [];

  /**
   * Adds a credential (kept for the client's life), in every form the
   * client sends it or a server may echo it: as it is, JSON-escaped and
   * URL-encoded (a form's and a path's encodings).
   */
  add(value: string | undefined): void {
    if (!value) return;
    for (const form of forms(value)) if (form.length >= 6) this.#fixed.add(form);
  }

  /** Adds a token; only the newest {@linkcode ROTATING_KEPT} are kept. */
  addRotating(value: string | undefined): void {
    if (!value || value.length < 6 || this.#rotating.includes(value)) return;
    this.#rotating.push(value);
    if (this.#rotating.length > ROTATING_KEPT) this.#rotating.shift();
  }

  /** How many values it holds. */
  get size(): number {
    return this.#fixed.size + this.#rotating.length;
  }

  /** `text` with these values and every pattern-borne secret removed (see {@linkcode redact}). */
  redact(text: string): string {
    let out = text;
    for (const secret of [...this.#fixed, ...this.#rotating]) {
      if (out.includes(secret)) out = out.replaceAll(secret, REDACTED);
    }
    return redact(out);
  }
}

/** A secret's forms: raw, JSON-escaped, URL-encoded (as a component and as a form value). */
function forms(value: string): Set<string> {
  return new Set([
    value,
    JSON.stringify(value).slice(1, -1),
    encodeURIComponent(value),
    new URLSearchParams({ v: value }).toString().slice(2),
  ]);
}

/**
 * Returns `text` with every secret that shows by its form removed: Basic
 * and Bearer credentials, secret fields in JSON, form and query strings.
 * Values that show by nothing but themselves need a {@linkcode SecretSet}.
 *
 * @example Redact a token request
 * ```ts
 * import { redact } from "./redact.ts";
 * import { equal } from "node:assert/strict";
 * equal(
 *   redact("grant_type=password&username=bob&password=hunter22"),
 *   "grant_type=password&username=bob&password=[REDACTED]",
 * );
 * equal(redact('"currency" : { "code" : "USD" }'), '"currency" : { "code" : "USD" }');
 * ```
 */
export function redact(text: string): string {
  let out = text;
  for (const [pattern, replacement] of PATTERNS) out = out.replace(pattern, replacement);
  return out;
}

/** Keys whose values are secrets wherever they appear in structured data (JSON bodies, queries, forms). */
const SECRET_KEYS = new Set(SECRET_FIELDS.filter((k) => k !== "code").map((k) => k.toLowerCase()));

/**
 * A copy of structured data (a JSON body, a query, form fields) with every
 * secret removed by structure: the value of a secret-named key becomes
 * {@linkcode REDACTED}, and every other string goes through `redactText`
 * ({@linkcode redact}, or a client's `SecretSet.redact`).
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
export function redactData<T>(value: T, redactText: (text: string) => string = redact): T {
  if (typeof value === "string") return redactText(value) as T;
  if (Array.isArray(value)) return value.map((v) => redactData(v, redactText)) as T;
  if (value && typeof value === "object" && Object.getPrototypeOf(value) === Object.prototype) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      out[k] = SECRET_KEYS.has(k.toLowerCase()) && v !== undefined && v !== null ? REDACTED : redactData(v, redactText);
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
export function redactPath(path: string, redactText: (text: string) => string = redact): string {
  const at = path.indexOf("?");
  if (at < 0) return redactText(path);
  const params = new URLSearchParams();
  for (const [k, v] of new URLSearchParams(path.slice(at + 1))) {
    params.append(k, SECRET_KEYS.has(k.toLowerCase()) ? REDACTED : redactText(v));
  }
  return `${redactText(path.slice(0, at))}?${params}`;
}
