// Workshop step 8: a summary SMS to each manager.
// Goal: send each manager one SMS, at their direct number, naming the people of their team who have no direct
// number; send it from one of your numbers with the "SmsSender" feature; then read each SMS back until its
// messageStatus is "Delivered", and print "<manager>: Delivered". Nobody else gets an SMS.
// Check it: deno task exercise 8
import { RingCentral } from "@rc-playground/ringcentral";

const rc = await RingCentral.fromEnv();
type User = { id: number; extensionNumber: string; name: string; contact: { department?: string; jobTitle?: string } };

// Steps 6 and 7: each manager's direct number, and their team without a direct number.
const direct = new Map<number, string>();
for await (
  const n of rc.paginate<{ phoneNumber: string; extension?: { id: number } }>(
    "/restapi/v1.0/account/~/phone-number",
    { usageType: "DirectNumber", perPage: 1000 },
  )
) if (n.extension) direct.set(n.extension.id, n.phoneNumber);
const users: User[] = [];
for await (const u of rc.paginate<User>("/restapi/v1.0/account/~/extension", { type: "User", status: "Enabled" })) {
  users.push(u);
}
const managers = new Map(
  users.filter((u) => u.contact.jobTitle?.endsWith("Manager")).map((m) => [m.contact.department, m]),
);
const teams = new Map<User, User[]>();
for (const u of users.filter((u) => !direct.has(u.id))) {
  const manager = managers.get(u.contact.department);
  if (manager) teams.set(manager, [...(teams.get(manager) ?? []), u]);
}

// TODO: pick a sender (step 3), send one SMS per manager to direct.get(manager.id), and wait for each to be
// Delivered.
for (const [manager, team] of teams) console.log(manager.name, team.map((u) => u.name).join(", "));
