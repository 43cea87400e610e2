// Workshop step 7: who is their manager?
// Goal: for each enabled user without a direct number, print a line with their name and their manager's name,
// like "Grace Green → Kira Kim". At Acme Robotics a department's manager is the user of the same
// contact.department whose contact.jobTitle ends with "Manager".
// Check it: deno task exercise 7
import { RingCentral } from "@rc-playground/ringcentral";

const rc = await RingCentral.fromEnv();
type User = { id: number; extensionNumber: string; name: string; contact: { department?: string; jobTitle?: string } };

// Step 6: the users, and the ids of those who have a direct number.
const users: User[] = [];
for await (const u of rc.paginate<User>("/restapi/v1.0/account/~/extension", { type: "User", status: "Enabled" })) {
  users.push(u);
}
const owners = new Set<number>();
for await (
  const n of rc.paginate<{ extension?: { id: number } }>("/restapi/v1.0/account/~/phone-number", {
    usageType: "DirectNumber",
    perPage: 1000,
  })
) if (n.extension) owners.add(n.extension.id);
const without = users.filter((u) => !owners.has(u.id));

// TODO: find each one's manager (a Map from department to manager helps), and print both names.
for (const u of without) console.log(u.name, u.contact.department);
