/** The .env reader: strict about lines, and reading values as Node's parseEnv does. */
import { deepEqual, equal } from "node:assert/strict";
import { parseEnv } from "node:util";
import { closestKey, parseDotEnv, unknownKeys } from "../lib/_dotenv.ts";

Deno.test("parseDotEnv() reads values exactly as node:util parseEnv does", () => {
  const texts = [
    "A=1\nB= two \nC='p w'\nD=\"x\\ny\"\nexport E=5\nF=val # comment\nG=\"q # not\"\n# c\nH=`b t`\nI=\nJ='multi\nline'",
    'K="a \\"q\\" b"\nL=a#b\nM=x=y\nN=""',
    "A=1\r\nB=2\r\n",
    "  A = spaced  \nRC_JWT=eyJ.eyJ.sig\nRC_PASSWORD='p@ss word#1'",
  ];
  for (const text of texts) deepEqual(parseDotEnv(".env-sandbox", text), { ...parseEnv(text) }, text);
});

Deno.test("closestKey() and unknownKeys() suggest the key that was meant", () => {
  equal(closestKey("RC_CLIENTSECRET", ["RC_CLIENT_SECRET", "RC_CLIENT_ID"]), "RC_CLIENT_SECRET");
  equal(closestKey("rc_jwt", ["RC_JWT"]), "RC_JWT");
  deepEqual(unknownKeys(".env", { ENVIRONMENT: "x", ENVIROMENT: "y" }, ["ENVIRONMENT"]), [
    "Warning: .env sets ENVIROMENT, which this client does not read (did you mean ENVIRONMENT?)",
  ]);
});

Deno.test("trust 16: a value cut at # or a quote left open is read as dotenv reads it, with a warning naming the line", async () => {
  const { dotEnvWarnings } = await import("../lib/_dotenv.ts");
  const text = [
    "RC_CLIENT_ID=id # a comment, as meant",
    "RC_PASSWORD=emulator#password",
    'RC_JWT="eyJ.eyJ.sig',
    "RC_USERNAME='+16505550100'",
    "RC_EXTENSION=101",
  ].join("\n");
  deepEqual(parseDotEnv(".env-sandbox.local", text).RC_PASSWORD, "emulator", "the rule: # begins a comment");
  deepEqual(dotEnvWarnings(".env-sandbox.local", text), [
    'Warning: .env-sandbox.local line 2: the value of RC_PASSWORD stops at "#" (the rest is a comment): if "#" belongs to the value, quote it: RC_PASSWORD="…"',
    "Warning: .env-sandbox.local line 3: the double quote that opens the value of RC_JWT is never closed on that line: close it, or the value takes in what follows",
  ]);
});

Deno.test("trust 16: a secret in the tracked .env gets the tracked-file warning", async () => {
  const { parseConfig } = await import("../lib/config.ts");
  const config = parseConfig({ files: { ".env": "ENVIRONMENT=sandbox\nRC_PASSWORD=hunter2" } });
  equal(
    config.warnings.some((w) => /RC_PASSWORD is in \.env, a file this project tracks in git/.test(w)),
    true,
    config.warnings.join("\n"),
  );
  equal(config.warnings.join("\n").includes("hunter2"), false, "never the value");
});

Deno.test('trust 16: \\" inside double quotes keeps its backslash, and $ is no expansion: each read as dotenv does, with a warning', async () => {
  const { dotEnvWarnings } = await import("../lib/_dotenv.ts");
  const text = [
    'RC_PASSWORD="pa\\"ss"',
    "RC_CLIENT_SECRET=pa$word",
    "RC_USERNAME='a$b'",
    'RC_JWT="no \\n escape here"',
    'RC_EXTENSION="a\\"b" # a comment',
  ].join("\n");
  const read = parseDotEnv(".env-sandbox.local", text);
  equal(read.RC_PASSWORD, 'pa\\"ss', "the backslash is kept, as Node's parseEnv keeps it");
  equal(read.RC_CLIENT_SECRET, "pa$word", "no expansion");
  deepEqual(read, { ...parseEnv(text) });
  deepEqual(dotEnvWarnings(".env-sandbox.local", text), [
    `Warning: .env-sandbox.local line 1: the value of RC_PASSWORD holds \\" inside double quotes: the backslash stays in the value (a .env file does not unescape it); for a value with a double quote, use single quotes: RC_PASSWORD='…'`,
    `Warning: .env-sandbox.local line 2: the value of RC_CLIENT_SECRET holds "$": it is kept as it is (a .env file expands no variables); if that is what you meant, quote it to say so: RC_CLIENT_SECRET='…'`,
    `Warning: .env-sandbox.local line 5: the value of RC_EXTENSION holds \\" inside double quotes: the backslash stays in the value (a .env file does not unescape it); for a value with a double quote, use single quotes: RC_EXTENSION='…'`,
  ]);
  equal(/pa\$word|pa\\"ss/.test(dotEnvWarnings(".env", text).join("\n")), false, "never the value");
});
