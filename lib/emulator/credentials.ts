/**
 * The seed account's well-known values: the apps' ids and secrets, the
 * users' password, the numbers that matter, and how to name an extension
 * or make a JWT for it. Clients and tests use them; `seed.ts` builds the state.
 * @module
 */
import { base64url } from "../_util.ts";

/**
 * Client id of the emulator's main app (all grants).
 *
 * @example The main app
 * ```ts
 * import { createEmulator, EMULATOR_CLIENT_ID } from "./mod.ts";
 * import { equal } from "node:assert/strict";
 * equal(createEmulator().credentials.clientId, EMULATOR_CLIENT_ID);
 * ```
 */
export const EMULATOR_CLIENT_ID = "emulator-client-id";
/**
 * Its client secret.
 *
 * @example Its secret
 * ```ts
 * import { createEmulator, EMULATOR_CLIENT_SECRET } from "./mod.ts";
 * import { equal } from "node:assert/strict";
 * equal(createEmulator().credentials.clientSecret, EMULATOR_CLIENT_SECRET);
 * ```
 */
export const EMULATOR_CLIENT_SECRET = "emulator-client-secret";
/**
 * Client id of an app allowed only the JWT grant (to see OAU-251 with a password).
 *
 * @example The password grant refused with OAU-251
 * ```ts
 * import { RingCentral } from "../../mod.ts";
 * import { createEmulator, JWT_ONLY_CLIENT_ID, JWT_ONLY_CLIENT_SECRET } from "./mod.ts";
 * import { equal } from "node:assert/strict";
 * const emulator = createEmulator();
 * const rc = new RingCentral({
 *   ...emulator.passwordCredentials,
 *   clientId: JWT_ONLY_CLIENT_ID,
 *   clientSecret: JWT_ONLY_CLIENT_SECRET,
 *   fetch: emulator.fetch,
 * });
 * equal((await rc.authenticate().catch((e) => e)).errorCode, "OAU-251");
 * ```
 */
export const JWT_ONLY_CLIENT_ID = "emulator-jwt-only-id";
/**
 * Its client secret.
 *
 * @example The JWT grant works
 * ```ts
 * import { RingCentral } from "../../mod.ts";
 * import { createEmulator, JWT_ONLY_CLIENT_ID, JWT_ONLY_CLIENT_SECRET } from "./mod.ts";
 * import { equal } from "node:assert/strict";
 * const emulator = createEmulator();
 * const rc = new RingCentral({
 *   ...emulator.credentials,
 *   clientId: JWT_ONLY_CLIENT_ID,
 *   clientSecret: JWT_ONLY_CLIENT_SECRET,
 *   fetch: emulator.fetch,
 * });
 * equal((await rc.get("/restapi/v1.0/account/~")).status, 200);
 * ```
 */
export const JWT_ONLY_CLIENT_SECRET = "emulator-jwt-only-secret";
/**
 * Client id of a public app (PKCE, no secret).
 *
 * @example The app of a browser login
 * ```ts
 * import { createEmulator, PUBLIC_CLIENT_ID } from "./mod.ts";
 * import { equal } from "node:assert/strict";
 * equal(createEmulator().browserCredentials.clientId, PUBLIC_CLIENT_ID);
 * ```
 */
export const PUBLIC_CLIENT_ID = "emulator-public-id";
/**
 * The password of every seed user.
 *
 * @example Log in as Bob by email
 * ```ts
 * import { RingCentral } from "../../mod.ts";
 * import { createEmulator, EMULATOR_PASSWORD } from "./mod.ts";
 * import { equal } from "node:assert/strict";
 * const emulator = createEmulator();
 * const rc = new RingCentral({
 *   ...emulator.credentials,
 *   jwt: undefined,
 *   username: "bob.baker@acme-robotics.example",
 *   password: EMULATOR_PASSWORD,
 *   fetch: emulator.fetch,
 * });
 * equal((await (await rc.get("/restapi/v1.0/account/~/extension/~")).json()).extensionNumber, "102");
 * ```
 */
export const EMULATOR_PASSWORD = "emulator-password";
/**
 * The account's main number, also the admin's login name.
 *
 * @example The account's main number
 * ```ts
 * import { RingCentral } from "../../mod.ts";
 * import { createEmulator } from "./mod.ts";
 * import { equal } from "node:assert/strict";
 * import { MAIN_NUMBER } from "./mod.ts";
 * const emulator = createEmulator();
 * const rc = new RingCentral({ ...emulator.credentials, fetch: emulator.fetch });
 * equal((await (await rc.get("/restapi/v1.0/account/~")).json()).mainNumber, MAIN_NUMBER);
 * ```
 */
export const MAIN_NUMBER = "+16505550100";
/**
 * A recipient that receives SMS.
 *
 * @example An SMS that gets delivered
 * ```ts
 * import { RingCentral } from "../../mod.ts";
 * import { createEmulator } from "./mod.ts";
 * import { equal } from "node:assert/strict";
 * import { TEST_RECIPIENT } from "./mod.ts";
 * const emulator = createEmulator();
 * const rc = new RingCentral({ ...emulator.credentials, fetch: emulator.fetch });
 * const sent = await (await rc.post("/restapi/v1.0/account/~/extension/~/sms", {
 *   from: { phoneNumber: "+16505550101" },
 *   to: [{ phoneNumber: TEST_RECIPIENT }],
 *   text: "Hi",
 * })).json();
 * emulator.advance(10);
 * const read = await (await rc.get(`/restapi/v1.0/account/~/extension/~/message-store/${sent.id}`)).json();
 * equal(read.messageStatus, "Delivered");
 * ```
 */
export const TEST_RECIPIENT = "+16505550199";
/**
 * Recipients matching this prefix fail delivery (`SendingFailed`), so failures can be seen.
 *
 * @example An SMS that fails
 * ```ts
 * import { RingCentral } from "../../mod.ts";
 * import { createEmulator } from "./mod.ts";
 * import { equal } from "node:assert/strict";
 * import { FAILING_RECIPIENT_PREFIX } from "./mod.ts";
 * const emulator = createEmulator();
 * const rc = new RingCentral({ ...emulator.credentials, fetch: emulator.fetch });
 * const sent = await (await rc.post("/restapi/v1.0/account/~/extension/~/sms", {
 *   from: { phoneNumber: "+16505550101" },
 *   to: [{ phoneNumber: `${FAILING_RECIPIENT_PREFIX}1234` }],
 *   text: "Hi",
 * })).json();
 * emulator.advance(10);
 * const read = await (await rc.get(`/restapi/v1.0/account/~/extension/~/message-store/${sent.id}`)).json();
 * equal(read.messageStatus, "SendingFailed");
 * ```
 */
export const FAILING_RECIPIENT_PREFIX = "+1555000";
/**
 * The redirect URIs the built-in apps register: loopback, any port (RFC 8252 §7.3).
 *
 * @example What the built-in apps register
 * ```ts
 * import { createEmulator, LOOPBACK_REDIRECTS } from "./mod.ts";
 * import { equal } from "node:assert/strict";
 * const app = createEmulator().state.apps.find((a) => a.redirectUris)!;
 * equal(app.redirectUris, LOOPBACK_REDIRECTS);
 * ```
 */
export const LOOPBACK_REDIRECTS: string[] = ["http://127.0.0.1/oauth2callback", "http://localhost/oauth2callback"];
/**
 * Account id.
 *
 * @example The account's id
 * ```ts
 * import { RingCentral } from "../../mod.ts";
 * import { createEmulator } from "./mod.ts";
 * import { equal } from "node:assert/strict";
 * import { ACCOUNT_ID } from "./mod.ts";
 * const emulator = createEmulator();
 * const rc = new RingCentral({ ...emulator.credentials, fetch: emulator.fetch });
 * equal((await (await rc.get("/restapi/v1.0/account/~")).json()).id, ACCOUNT_ID);
 * ```
 */
export const ACCOUNT_ID = 809646016;

/**
 * The id of the extension with `extensionNumber` `n` in the seed.
 *
 * @example Read Bob's extension by id
 * ```ts
 * import { RingCentral } from "../../mod.ts";
 * import { createEmulator } from "./mod.ts";
 * import { equal } from "node:assert/strict";
 * import { extensionIdOf } from "./mod.ts";
 * const emulator = createEmulator();
 * const rc = new RingCentral({ ...emulator.credentials, fetch: emulator.fetch });
 * const bob = await (await rc.get(`/restapi/v1.0/account/~/extension/${extensionIdOf(102)}`)).json();
 * equal(bob.name, "Bob Baker");
 * ```
 */
export function extensionIdOf(n: number): number {
  return 62264425000 + n;
}

/**
 * A JWT credential for an extension of the emulator. Its signature is a
 * placeholder: the emulator maps `sub` to an extension and checks `iss`.
 *
 * @example Log in as another user with a JWT
 * ```ts
 * import { RingCentral } from "../../mod.ts";
 * import { createEmulator, emulatorJwt, extensionIdOf } from "./mod.ts";
 * import { equal } from "node:assert/strict";
 * const emulator = createEmulator();
 * const rc = new RingCentral({ ...emulator.credentials, jwt: emulatorJwt(extensionIdOf(103)), fetch: emulator.fetch });
 * equal((await (await rc.get("/restapi/v1.0/account/~/extension/~")).json()).name, "Carol Chen");
 * ```
 */
export function emulatorJwt(extensionId: number, issuedAt = 1700000000): string {
  const b64 = (o: unknown) => base64url(JSON.stringify(o));
  return [
    b64({ kid: "emulator", typ: "JWT", alg: "HS256" }),
    b64({
      aud: "/restapi/oauth/token",
      sub: String(extensionId),
      iss: "ringcentral-emulator",
      iat: issuedAt,
      jti: `emu${extensionId}`,
    }),
    "ZW11bGF0b3Itc2lnbmF0dXJl",
  ].join(".");
}
