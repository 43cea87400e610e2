/** redact(), redactData() and redactPath(): every carrier of a secret, by pattern and by structure. */
import { equal } from "node:assert/strict";

import { redact } from "../lib/redact.ts";

Deno.test("redact() removes every carrier of a RingCentral secret", () => {
  const cases: [string, string][] = [
    ["Authorization: Basic ZW11bGF0b3I6c2VjcmV0", "Authorization: Basic [REDACTED]"],
    ["authorization: bearer U1BCMDFUMDRKV1MwMXxz", "authorization: bearer [REDACTED]"],
    ["grant_type=urn%3Ajwt&assertion=eyJ.eyJ.sig", "grant_type=urn%3Ajwt&assertion=[REDACTED]"],
    ["username=bob&password=hunter22&extension=101", "username=bob&password=[REDACTED]&extension=101"],
    ["grant_type=refresh_token&refresh_token=abcdef123", "grant_type=refresh_token&refresh_token=[REDACTED]"],
    ["/restapi/v1.0/account/~?access_token=abc123def", "/restapi/v1.0/account/~?access_token=[REDACTED]"],
    ['{"access_token" : "abc", "expires_in" : 3600}', '{"access_token" : "[REDACTED]", "expires_in" : 3600}'],
    ['{"refresh_token":"r1","scope":"SMS"}', '{"refresh_token":"[REDACTED]","scope":"SMS"}'],
    ["code=xyz&code_verifier=verifier123&client_id=id", "code=[REDACTED]&code_verifier=[REDACTED]&client_id=id"],
    ["client_id=id&client_secret=shh123", "client_id=id&client_secret=[REDACTED]"],
    ["token=abc123xyz", "token=[REDACTED]"],
  ];
  for (const [input, expected] of cases) equal(redact(input), expected);
});
