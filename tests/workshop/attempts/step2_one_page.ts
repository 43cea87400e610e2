// Step 2 with the first page alone: not every extension.
import { RingCentral } from "@rc-playground/ringcentral";
const rc = await RingCentral.fromEnv();
const page = await (await rc.get("/restapi/v1.0/account/~/extension")).json();
for (const e of page.records) console.log(e.extensionNumber, e.name);
