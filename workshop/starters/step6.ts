// Workshop step 6: who has no direct number?
// Goal: print "<extensionNumber> <name>" for each enabled user who has no direct number, and only them.
// Check it: deno task exercise 6
import { RingCentral } from "@rc-playground/ringcentral";

const rc = await RingCentral.fromEnv();
type User = { id: number; extensionNumber: string; name: string };
type CompanyNumber = { phoneNumber: string; usageType: string; extension?: { id: number } };

// Steps 4 and 5, kept in lists.
const users: User[] = [];
for await (const u of rc.paginate<User>("/restapi/v1.0/account/~/extension", { type: "User", status: "Enabled" })) {
  users.push(u);
}
const numbers: CompanyNumber[] = [];
for await (const n of rc.paginate<CompanyNumber>("/restapi/v1.0/account/~/phone-number", { perPage: 1000 })) {
  numbers.push(n);
}

// TODO: keep the users whose id is not the extension.id of any "DirectNumber", and print them.
console.log(`${users.length} users, ${numbers.length} numbers`);
