// Reference solution of workshop step 6.
import { RingCentral } from "@rc-playground/ringcentral";

const rc = await RingCentral.fromEnv();
const owners = new Set<string>();
const numbers = rc.paginate<{ extension?: { id: number } }>("/restapi/v1.0/account/~/phone-number", {
  usageType: "DirectNumber",
  perPage: 1000,
});
for await (const n of numbers) if (n.extension) owners.add(String(n.extension.id));
const users = rc.paginate<{ id: number; extensionNumber: string; name: string }>(
  "/restapi/v1.0/account/~/extension",
  { type: "User", status: "Enabled" },
);
for await (const u of users) if (!owners.has(String(u.id))) console.log(u.extensionNumber, u.name);
