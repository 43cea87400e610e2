// Step 3 that sends, then prints "Delivered" without reading the message store.
import { RingCentral } from "@rc-playground/ringcentral";
const rc = await RingCentral.fromEnv();
const numbers = await (await rc.get("/restapi/v1.0/account/~/extension/~/phone-number")).json();
const from = numbers.records.find((n) => n.features?.includes("SmsSender"))?.phoneNumber ?? "";
await rc.post("/restapi/v1.0/account/~/extension/~/sms", {
  from: { phoneNumber: from },
  to: [{ phoneNumber: "+16505550199" }],
  text: "Hello from the workshop",
});
console.log("Delivered");
