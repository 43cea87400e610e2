// Workshop step 2: every extension.
// Goal: print one line per extension of the account, "<extensionNumber> <name>", all pages of them.
// Check it: deno task exercise 2
import { RingCentral } from "@rc-playground/ringcentral";

const rc = await RingCentral.fromEnv();
// TODO: list /restapi/v1.0/account/~/extension, following the pages (hint: rc.paginate), and print each one.
const first = await (await rc.get("/restapi/v1.0/account/~/extension", { perPage: 10 })).json();
for (const e of first.records) console.log(e.extensionNumber, e.name);
