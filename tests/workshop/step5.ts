// Reference solution of workshop step 5.
import { RingCentral } from "@rc-playground/ringcentral";

const rc = await RingCentral.fromEnv();
type CompanyNumber = { phoneNumber: string; usageType: string; extension?: { extensionNumber: string } };
const numbers = rc.paginate<CompanyNumber>("/restapi/v1.0/account/~/phone-number", {
  usageType: "DirectNumber",
  perPage: 1000,
});
for await (const n of numbers) console.log(n.extension?.extensionNumber, n.phoneNumber);
