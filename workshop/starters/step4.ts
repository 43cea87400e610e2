// Workshop step 4: only the people.
// Goal: print "<extensionNumber> <name>" for each user extension that is enabled, and nothing else:
// no departments, no IVR menus, no disabled or not yet activated users.
// Check it: deno task exercise 4
import { RingCentral } from "@rc-playground/ringcentral";

const rc = await RingCentral.fromEnv();
// This prints every extension (step 2). TODO: ask the server for users only, with the query
// parameters type and status (rc.paginate takes them as its second argument).
for await (const e of rc.paginate<{ extensionNumber: string; name: string }>("/restapi/v1.0/account/~/extension")) {
  console.log(e.extensionNumber, e.name);
}
