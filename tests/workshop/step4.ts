// Reference solution of workshop step 4.
import { RingCentral } from "@rc-playground/ringcentral";

const rc = await RingCentral.fromEnv();
const users = rc.paginate<{ extensionNumber: string; name: string }>("/restapi/v1.0/account/~/extension", {
  type: "User",
  status: "Enabled",
});
for await (const u of users) console.log(u.extensionNumber, u.name);
