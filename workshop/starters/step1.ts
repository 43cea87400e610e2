// Workshop step 1: who am I?
// Goal: print the logged-in user's name and extension number, like "Alice Admin (ext 101)".
// Check it: deno task exercise 1
import { RingCentral } from "@rc-playground/ringcentral";

const rc = await RingCentral.fromEnv();
// TODO: read /restapi/v1.0/account/~/extension/~ and print its name and extensionNumber.
console.log(rc.server);
