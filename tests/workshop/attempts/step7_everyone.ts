// Step 7 printing every user with their manager, not only those without a direct number.
import { RingCentral } from "@rc-playground/ringcentral";
type User = { id: number; name: string; contact: { department?: string; jobTitle?: string } };
const rc = await RingCentral.fromEnv();
const users: User[] = [];
for await (const u of rc.paginate<User>("/restapi/v1.0/account/~/extension", { type: "User", status: "Enabled" })) {
  users.push(u);
}
for await (
  const _ of rc.paginate("/restapi/v1.0/account/~/phone-number", { usageType: "DirectNumber", perPage: 1000 })
) {
  // read, and not used
}
const managers = new Map(
  users.filter((u) => u.contact.jobTitle?.endsWith("Manager")).map((m) => [m.contact.department, m]),
);
for (const u of users) console.log(`${u.name} → ${managers.get(u.contact.department)?.name}`);
