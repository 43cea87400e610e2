// Reference solution of workshop step 7.
import { RingCentral } from "@rc-playground/ringcentral";

type User = { id: number; name: string; contact: { department?: string; jobTitle?: string } };
const rc = await RingCentral.fromEnv();
const owners = new Set<number>();
for await (
  const n of rc.paginate<{ extension?: { id: number } }>("/restapi/v1.0/account/~/phone-number", {
    usageType: "DirectNumber",
    perPage: 1000,
  })
) if (n.extension) owners.add(n.extension.id);
const users: User[] = [];
for await (const u of rc.paginate<User>("/restapi/v1.0/account/~/extension", { type: "User", status: "Enabled" })) {
  users.push(u);
}
const managers = new Map(
  users.filter((u) => u.contact.jobTitle?.endsWith("Manager")).map((m) => [m.contact.department, m]),
);
for (const u of users.filter((u) => !owners.has(u.id))) {
  console.log(`${u.name} → ${managers.get(u.contact.department)?.name ?? "(no manager)"}`);
}
