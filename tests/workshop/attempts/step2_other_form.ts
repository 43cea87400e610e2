// Step 2 with every page read, each line in another form than "<extensionNumber> <name>".
import { RingCentral } from "@rc-playground/ringcentral";
const rc = await RingCentral.fromEnv();
for await (const e of rc.paginate<{ extensionNumber: string; name: string }>("/restapi/v1.0/account/~/extension")) {
  console.log(`${e.name} (ext ${e.extensionNumber})`);
}
