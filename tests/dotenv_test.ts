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
