// Reference solution of workshop step 2.
import { RingCentral } from "@rc-playground/ringcentral";

const rc = await RingCentral.fromEnv();
for await (const e of rc.paginate<{ extensionNumber: string; name: string }>("/restapi/v1.0/account/~/extension")) {
  console.log(e.extensionNumber, e.name);
}
