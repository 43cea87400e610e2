// Step 8 that sends each manager their SMS, then prints "<manager>: Delivered" without reading them back.
import { RingCentral } from "@rc-playground/ringcentral";
type User = { id: number; name: string; extensionNumber: string; contact: { department?: string; jobTitle?: string } };
const rc = await RingCentral.fromEnv();
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
const mine = await (await rc.get("/restapi/v1.0/account/~/extension/~/phone-number")).json();
const from = mine.records.find((n) => n.features?.includes("SmsSender"))?.phoneNumber ?? "";
for (const [manager, team] of teams) {
  await rc.post("/restapi/v1.0/account/~/extension/~/sms", {
    from: { phoneNumber: from },
    to: [{ phoneNumber: direct.get(manager.id)! }],
    text: `Hi ${manager.name}, no direct number yet: ${team.map((u) => u.name).join(", ")}`,
  });
  console.log(`${manager.name}: Delivered`);
}
