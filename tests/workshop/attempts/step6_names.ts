// Step 6 joining by name instead of id: two people may share a name.
import { RingCentral } from "@rc-playground/ringcentral";
const rc = await RingCentral.fromEnv();
const owners = new Set<string>();
for await (
  const n of rc.paginate<{ extension?: { name: string } }>("/restapi/v1.0/account/~/phone-number", {
    usageType: "DirectNumber",
    perPage: 1000,
  })
) if (n.extension) owners.add(n.extension.name);
const users = rc.paginate<{ extensionNumber: string; name: string }>("/restapi/v1.0/account/~/extension", {
  type: "User",
  status: "Enabled",
});
for await (const u of users) if (!owners.has(u.name)) console.log(u.extensionNumber, u.name);
