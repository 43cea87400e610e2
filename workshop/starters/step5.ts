// Workshop step 5: the company's numbers.
// Goal: print "<extensionNumber> <phoneNumber>" for every direct number of the company (usageType "DirectNumber"),
// with the extension number of the user it belongs to.
// Check it: deno task exercise 5
import { RingCentral } from "@rc-playground/ringcentral";

const rc = await RingCentral.fromEnv();
// This prints only your own numbers. Reading someone else's /extension/{id}/phone-number is refused (403 CMN-419).
// TODO: the company's list, /restapi/v1.0/account/~/phone-number, has every number and its "extension".
// It is in the Heavy rate-limit group (10 requests a minute): read it in pages of up to 1000 (perPage: 1000).
const mine = await (await rc.get("/restapi/v1.0/account/~/extension/~/phone-number")).json();
for (const n of mine.records) console.log("101", n.phoneNumber);
