// Workshop step 3: send an SMS and see it delivered.
// Goal: send "Hello from the workshop" to +16505550199 from one of your numbers that can send SMS
// (its features include "SmsSender"), then read it back from the message store until its
// messageStatus is "Delivered", and print that status.
// Check it: deno task exercise 3
import { RingCentral } from "@rc-playground/ringcentral";

const rc = await RingCentral.fromEnv();
// TODO: find a sender in /restapi/v1.0/account/~/extension/~/phone-number, POST to .../extension/~/sms,
// then GET .../message-store/{id} every second until it is Delivered.
console.log(rc.target);
