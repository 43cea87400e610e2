// Reference solution of workshop step 1 (the test checks that it passes).
import { RingCentral } from "@rc-playground/ringcentral";

const rc = await RingCentral.fromEnv();
const me = await (await rc.get("/restapi/v1.0/account/~/extension/~")).json();
console.log(`${me.name} (ext ${me.extensionNumber})`);
