// Step 5 with one page of perPage's maximum, 1000, and no paging: the check's account has more direct numbers.
import { RingCentral } from "@rc-playground/ringcentral";
const rc = await RingCentral.fromEnv();
const page = await (await rc.get("/restapi/v1.0/account/~/phone-number", { perPage: 1000, usageType: "DirectNumber" }))
  .json();
for (const n of page.records ?? []) console.log(n.extension?.extensionNumber, n.phoneNumber);
