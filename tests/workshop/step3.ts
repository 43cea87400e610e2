// Reference solution of workshop step 3.
import { RingCentral } from "@rc-playground/ringcentral";

const rc = await RingCentral.fromEnv();
const numbers = await (await rc.get("/restapi/v1.0/account/~/extension/~/phone-number")).json();
const from = numbers.records.find((n) => n.features?.includes("SmsSender"))?.phoneNumber ?? "";
const sent = await (await rc.post("/restapi/v1.0/account/~/extension/~/sms", {
  from: { phoneNumber: from },
  to: [{ phoneNumber: "+16505550199" }],
  text: "Hello from the workshop",
})).json();
let status = sent.messageStatus;
while (status !== "Delivered" && status !== "DeliveryFailed" && status !== "SendingFailed") {
  await new Promise((r) => setTimeout(r, 1000));
  status = (await (await rc.get(`/restapi/v1.0/account/~/extension/~/message-store/${sent.id}`)).json()).messageStatus;
}
console.log(status);
