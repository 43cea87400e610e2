/**
 * RingCentral's OpenAPI file, parsed and repaired: each known defect has a
 * name, is fixed only where it is present, and is reported. The pinned
 * package (0.15.9) has the undefined `OauthBasicScheme`, the regex escapes
 * and array keywords on an object; the newer file on GitHub also has the dangling discriminator
 * mappings, the empty `allOf` and a `nullable` without `type`. A defect of
 * an unknown kind (a dangling `$ref`, a boolean in a string enum) stops the
 * task instead of being repaired silently.
 * @module
 */
import YAML from "yaml";

// deno-lint-ignore no-explicit-any
export type Json = any;

/** One repair: the defect's name and where it was. */
export interface Fix {
  /** The defect, such as `undefined-security-scheme`. */
  defect: string;
  /** A JSON pointer or operation. */
  where: string;
}

/** The HTTP methods an OpenAPI path item may have. */
export const METHODS = ["get", "put", "post", "delete", "patch", "head", "options", "trace"] as const;

const escapePointer = (s: string) => s.replace(/~/g, "~0").replace(/\//g, "~1");
const unescapePointer = (s: string) => s.replace(/~1/g, "/").replace(/~0/g, "~");

/** The node a local `$ref` (`#/components/schemas/X`) points at, or undefined. */
export function resolveRef(spec: Json, ref: string): Json {
  if (!ref.startsWith("#/")) return undefined;
  return ref.slice(2).split("/").map(unescapePointer).reduce((node: Json, key) => node?.[key], spec);
}

/** Calls `visit` on every object of `node`, depth first, with its JSON pointer. */
function walk(node: Json, at: string, visit: (n: Json, at: string) => void): void {
  if (Array.isArray(node)) return node.forEach((x, i) => walk(x, `${at}/${i}`, visit));
  if (!node || typeof node !== "object") return;
  visit(node, at);
  for (const [k, v] of Object.entries(node)) walk(v, `${at}/${escapePointer(k)}`, visit);
}

/** Parses the spec's YAML and repairs its known defects. */
export function parseSpec(text: string): { spec: Json; fixes: Fix[] } {
  // YAML 1.1 booleans: the file relies on YAML 1.2 core scalars. A YAML 1.1 loader turns the enum values
  // `On`/`Off` (playTones, screening) and the JWKey property `n` into booleans, and `e164` into a number.
  // Parsing as YAML 1.2 core keeps them strings; the check in the walk below makes sure none slipped through.
  const spec = YAML.parse(text, { version: "1.2", schema: "core" });
  const fixes: Fix[] = [];
  walk(spec, "#", (node, at) => repairNode(spec, node, at, fixes));
  defineOauthBasicScheme(spec, fixes);
  return { spec, fixes };
}

function repairNode(spec: Json, n: Json, at: string, fixes: Fix[]): void {
  if (Array.isArray(n.enum) && n.enum.some((e: unknown) => typeof e === "boolean") && n.type === "string") {
    throw new Error(`A YAML 1.1 boolean in a string enum at ${at}: parse the file as YAML 1.2 core`);
  }
  // Empty allOf (TcrCampaignRecord.consentSettings on GitHub): `allOf` must not be empty; validators refuse it.
  for (const k of ["allOf", "anyOf", "oneOf"]) {
    if (Array.isArray(n[k]) && n[k].length === 0) {
      delete n[k];
      fixes.push({ defect: `empty-${k}`, where: at });
    }
  }
  // Dangling discriminator mappings (MinimalSmsOptRecord on GitHub: CampaignType and VirtualSender map to
  // schemas that do not exist); openapi-typescript stops on them. The entries are dropped.
  const mapping = n.discriminator?.mapping;
  if (mapping) {
    for (const [value, ref] of Object.entries<string>(mapping)) {
      if (resolveRef(spec, ref) !== undefined) continue;
      delete mapping[value];
      fixes.push({ defect: "dangling-discriminator-mapping", where: `${at}: ${value} -> ${ref}` });
    }
    if (Object.keys(mapping).length === 0) delete n.discriminator.mapping;
  }
  // `nullable` without `type` (MessageThread.assignee on GitHub: nullable + allOf); Ajv refuses it. Every
  // member there is an object.
  if (n.nullable === true && n.type === undefined && !at.endsWith("/properties")) {
    n.type = "object";
    fixes.push({ defect: "nullable-without-type", where: at });
  }
  // A regular expression invalid with the `u` flag, which Ajv uses: `^((?!(<|>|\/|\")).)*$` (role names)
  // escapes `"`. Needless backslashes are dropped.
  if (typeof n.pattern === "string" && typeof n.type === "string") {
    try {
      new RegExp(n.pattern, "u");
    } catch {
      const repaired = n.pattern.replace(/\\([^\\^$.*+?()[\]{}|\/\-a-zA-Z0-9])/g, "$1");
      new RegExp(repaired, "u"); // throws if still broken: a new kind of defect
      n.pattern = repaired;
      fixes.push({ defect: "pattern-unicode-escape", where: at });
    }
  }
  // Array keywords on an object (SpeechContextPhrasesInput: `type: object` with minItems/maxItems): they
  // constrain nothing, and Ajv's strict mode refuses them. They are dropped.
  if (n.type === "object" && (n.minItems !== undefined || n.maxItems !== undefined)) {
    delete n.minItems;
    delete n.maxItems;
    fixes.push({ defect: "array-keywords-on-object", where: at });
  }
  if (typeof n.$ref === "string" && resolveRef(spec, n.$ref) === undefined) {
    throw new Error(`A dangling $ref ${n.$ref} at ${at}: a new defect of the spec, name it in scripts/spec/fixes.ts`);
  }
}

/**
 * The undefined `OauthBasicScheme`: POST /restapi/oauth/token and /revoke name it in `security`, but
 * `components.securitySchemes` never defines it. It is HTTP Basic with the app's id and secret.
 */
function defineOauthBasicScheme(spec: Json, fixes: Fix[]): void {
  const schemes = spec.components.securitySchemes ??= {};
  const added = new Set<string>();
  for (const [path, item] of Object.entries<Json>(spec.paths)) {
    for (const method of METHODS) {
      for (const requirement of item[method]?.security ?? []) {
        for (const name of Object.keys(requirement)) {
          if (schemes[name] && !added.has(name)) continue;
          if (name !== "OauthBasicScheme") throw new Error(`An undefined security scheme ${name} (${path})`);
          schemes[name] = { type: "http", scheme: "basic" };
          added.add(name);
          fixes.push({ defect: "undefined-security-scheme", where: `${method.toUpperCase()} ${path}: ${name}` });
        }
      }
    }
  }
}
