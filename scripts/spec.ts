/**
 * `deno task spec`: derives the catalog and the types from RingCentral's
 * OpenAPI spec, as published in the npm package `ringcentral-open-api-parser`
 * (pinned in deno.json, integrity in deno.lock). Nothing parses YAML at run
 * time: the client's types, `./api`, the emulator and the tests read what
 * this writes.
 *
 *     deno task spec            # writes lib/api/{operations,schemas,samples}.json and lib/api/paths.d.ts
 *     deno task spec --check    # fails when those files differ from what the pinned spec gives
 *
 * The spec's known defects are repaired here, each by name (scripts/spec/fixes.ts).
 * @module
 */
import specText from "ringcentral-open-api-parser/rc-public-openapi.yml" with { type: "text" };
import specPackage from "ringcentral-open-api-parser/package.json" with { type: "json" };
import openapiTS, { astToString } from "openapi-typescript";
import { operationsOf, schemasOf } from "./spec/catalog.ts";
import { type Fix, type Json, parseSpec } from "./spec/fixes.ts";
import { sampleOperations } from "./spec/samples.ts";
import type { Operation, Schema, Schemas } from "../lib/api/catalog.ts";
import { SchemaValidator } from "./spec/validator.ts";

const OUT = new URL("../lib/api/", import.meta.url);
const SOURCE = `npm:${specPackage.name}@${specPackage.version} (rc-public-openapi.yml)`;
const NOTE = "Derived by deno task spec (scripts/spec.ts); do not edit. The data is one JSON string: see catalog.ts.";

/** A derived JSON file: where it came from, and the data as one JSON string. */
function derivedJson(data: unknown): string {
  return JSON.stringify({ source: SOURCE, note: NOTE, data: JSON.stringify(data) }, null, 2) + "\n";
}

/** The TypeScript types of every path, operation and schema, by openapi-typescript. */
async function typesOf(spec: Json): Promise<string> {
  const ast = await openapiTS(spec, { silent: true, defaultNonNullable: false }); // a field with a default may be left out of a request
  return [
    `// Derived from ${SOURCE} by deno task spec (openapi-typescript); do not edit.`,
    "// deno-lint-ignore-file",
    "",
    astToString(ast),
  ].join("\n");
}

/** Compiles every schema with strict Ajv: a schema Ajv refuses is a new defect to name in fixes.ts. */
function compileAll(operations: Operation[], schemas: Schemas): number {
  const validator = new SchemaValidator(schemas.schemas);
  const all: [string, Schema | undefined][] = [
    ...operations.flatMap((op) =>
      [...op.parameters.map((p) => p.schema), op.requestBody?.schema, op.response?.schema]
        .map((schema): [string, Schema | undefined] => [`${op.method} ${op.path}`, schema])
    ),
    ...Object.entries(schemas.responses).map(([name, schema]): [string, Schema] => [`response ${name}`, schema]),
  ];
  let compiled = 0;
  for (const [where, schema] of all) {
    if (!schema) continue;
    try {
      validator.compile(schema);
      compiled++;
    } catch (e) {
      throw new Error(`${where}: Ajv cannot compile a schema: ${(e as Error).message}`);
    }
  }
  return compiled;
}

function summary(fixes: Fix[]): string {
  const counts = new Map<string, number>();
  for (const f of fixes) counts.set(f.defect, (counts.get(f.defect) ?? 0) + 1);
  return [...counts].map(([defect, n]) => `${defect} ×${n}`).join(", ") || "none needed";
}

async function main(args: string[]): Promise<number> {
  const check = args.includes("--check");
  const { spec, fixes } = parseSpec(specText);
  const operations = operationsOf(spec);
  const schemas = schemasOf(spec);
  const compiled = compileAll(operations, schemas);
  const { samples, invalid } = sampleOperations(spec, operations, schemas.schemas);
  const files: Record<string, string> = {
    "operations.json": derivedJson(operations),
    "schemas.json": derivedJson(schemas),
    "samples.json": derivedJson(samples),
    "paths.d.ts": await typesOf(spec),
  };
  console.log(`spec: ${SOURCE}`);
  console.log(`repaired: ${summary(fixes)}`);
  for (const f of fixes) console.log(`  ${f.defect}: ${f.where}`);
  const count = `${Object.keys(schemas.schemas).length} schemas, ${Object.keys(schemas.responses).length} responses`;
  console.log(`${operations.length} operations, ${count}, ${compiled} compiled by Ajv`);
  const samplesCount = Object.keys(samples.responses).length + Object.keys(samples.requests).length;
  console.log(`${samplesCount} sampled bodies, ${invalid.length} not valid (the spec's own contradictions):`);
  for (const i of invalid) console.log(`  ${i.operationId} ${i.kind}: ${i.errors.slice(0, 2).join("; ")}`);

  const stale: string[] = [];
  for (const [name, text] of Object.entries(files)) {
    const url = new URL(name, OUT);
    if (check) {
      const current = await Deno.readTextFile(url).catch(() => "");
      if (current !== text) stale.push(`lib/api/${name}`);
    } else {
      await Deno.writeTextFile(url, text);
      console.log(`wrote lib/api/${name} (${new TextEncoder().encode(text).length} bytes)`);
    }
  }
  if (stale.length) {
    console.error(`spec: ${stale.join(", ")} differ from what ${SOURCE} gives: run deno task spec`);
    return 1;
  }
  if (check) console.log("spec: the derived files are up to date");
  return 0;
}

if (import.meta.main) Deno.exit(await main(Deno.args));
