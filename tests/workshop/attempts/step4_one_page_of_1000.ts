// Step 4 with one page of perPage's maximum, 1000, and no paging: the check's account has more enabled users.
import { RingCentral } from "@rc-playground/ringcentral";
const rc = await RingCentral.fromEnv();
const page =
  await (await rc.get("/restapi/v1.0/account/~/extension", { perPage: 1000, type: "User", status: "Enabled" })).json();
for (const e of page.records) console.log(e.extensionNumber, e.name);
