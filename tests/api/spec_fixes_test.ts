/**
 * Each known defect of RingCentral's spec is repaired by name where it is
 * present, on a small spec that has them all (the pinned 0.15.9 has only
 * some; the newer file on GitHub has the others), and a defect of a new kind
 * stops the task.
 */
import { deepEqual, equal, throws } from "node:assert/strict";
import { parseSpec } from "../../scripts/spec/fixes.ts";

const SPEC = `
openapi: 3.0.3
info: { title: t, version: "1" }
paths:
  /restapi/oauth/token:
    post:
      operationId: getToken
      security: [{ OauthBasicScheme: [] }]
      responses: { "200": { description: ok } }
components:
  securitySchemes: {}
  schemas:
    BridgePreferences:
      type: object
      properties:
        playTones: { type: string, enum: [On, Off], default: Off }
    MinimalSmsOptRecord:
      allOf:
        - type: object
        - type: object
          discriminator:
            propertyName: type
            mapping:
              CampaignType: "#/components/schemas/CampaignTypeConsentRecord"
              VirtualSender: "#/components/schemas/VirtualSenderConsentRecord"
              Bridge: "#/components/schemas/BridgePreferences"
    TcrCampaignRecord:
      type: object
      properties:
        consentSettings: { allOf: [] }
    MessageThread:
      type: object
      properties:
        assignee:
          nullable: true
          allOf: [{ $ref: "#/components/schemas/BridgePreferences" }]
    RoleResource:
      type: object
      properties:
        displayName: { type: string, pattern: '^((?!(<|>|\\/|\\")).)*$' }
`;

Deno.test("parseSpec() repairs each known defect by name, only where present", () => {
  const { spec, fixes } = parseSpec(SPEC);
  deepEqual(fixes.map((f) => f.defect).sort(), [
    "dangling-discriminator-mapping",
    "dangling-discriminator-mapping",
    "empty-allOf",
    "nullable-without-type",
    "pattern-unicode-escape",
    "undefined-security-scheme",
  ]);
  const schemas = spec.components.schemas;
  // YAML 1.1 booleans: parsed as YAML 1.2 core, On and Off stay strings.
  deepEqual(schemas.BridgePreferences.properties.playTones.enum, ["On", "Off"]);
  equal(schemas.BridgePreferences.properties.playTones.default, "Off");
  deepEqual(Object.keys(schemas.MinimalSmsOptRecord.allOf[1].discriminator.mapping), ["Bridge"]);
  equal(schemas.TcrCampaignRecord.properties.consentSettings.allOf, undefined);
  equal(schemas.MessageThread.properties.assignee.type, "object");
  new RegExp(schemas.RoleResource.properties.displayName.pattern, "u"); // valid with the u flag now
  deepEqual(spec.components.securitySchemes.OauthBasicScheme, { type: "http", scheme: "basic" });
  deepEqual(
    parseSpec(
      SPEC.replace(/OauthBasicScheme: \[\]/, "Other: []").replace(
        "securitySchemes: {}",
        "securitySchemes: { Other: { type: http, scheme: bearer } }",
      ),
    ).fixes.filter((f) => f.defect === "undefined-security-scheme"),
    [],
  );
});

Deno.test("parseSpec() stops on a defect of a new kind, naming where it is", () => {
  throws(
    () =>
      parseSpec(SPEC.replace('$ref: "#/components/schemas/BridgePreferences"', '$ref: "#/components/schemas/Nothing"')),
    {
      message: /A dangling \$ref #\/components\/schemas\/Nothing at #\/components\/schemas\/MessageThread/,
    },
  );
  throws(() => parseSpec(SPEC.replace("OauthBasicScheme: []", "MadeUpScheme: []")), {
    message: "An undefined security scheme MadeUpScheme (/restapi/oauth/token)",
  });
});
