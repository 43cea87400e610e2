// Reference solution of workshop step 8: the whole script.
import { RingCentral } from "@rc-playground/ringcentral";

type User = { id: number; name: string; extensionNumber: string; contact: { department?: string; jobTitle?: string } };
const rc = await RingCentral.fromEnv();

// Who has a direct number, and which one.
const direct = new Map<number, string>();
for await (
  const n of rc.paginate<{ phoneNumber: string; extension?: { id: number } }>(
    "/restapi/v1.0/account/~/phone-number",
    { usageType: "DirectNumber", perPage: 1000 },
  )
) if (n.extension) direct.set(n.extension.id, n.phoneNumber);

// The enabled users, their managers, and each manager's team without a direct number.
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

// One SMS per manager, from a number of ours that can send SMS; then wait until each is delivered.
const mine = await (await rc.get("/restapi/v1.0/account/~/extension/~/phone-number")).json();
const from = mine.records.find((n) => n.features?.includes("SmsSender"))?.phoneNumber ?? "";
const sent: { manager: User; id: string; status: string }[] = [];
for (const [manager, team] of teams) {
  const names = team.map((u) => `${u.name} (ext ${u.extensionNumber})`).join(", ");
  const sms = await (await rc.post("/restapi/v1.0/account/~/extension/~/sms", {
    from: { phoneNumber: from },
    to: [{ phoneNumber: direct.get(manager.id)! }],
    text: `Hi ${manager.name}, these people in your team have no direct number yet: ${names}`,
  })).json();
  sent.push({ manager, id: String(sms.id), status: sms.messageStatus ?? "" });
}
const final = (s: string) => ["Delivered", "DeliveryFailed", "SendingFailed"].includes(s);
while (!sent.every((s) => final(s.status))) {
  await new Promise((r) => setTimeout(r, 1000));
  for (const s of sent.filter((s) => !final(s.status))) {
    const path = `/restapi/v1.0/account/~/extension/~/message-store/${s.id}`;
    s.status = (await (await rc.get(path)).json()).messageStatus ?? "";
  }
}
for (const s of sent) console.log(`${s.manager.name}: ${s.status}`);
