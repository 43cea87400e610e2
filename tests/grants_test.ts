/** The tutorial's three branches at their edges, and the grants' form bodies. */
import { equal } from "node:assert/strict";
import { basicAuth, JWT_GRANT, loginForm, tokenAction } from "../lib/grants.ts";

const stored = (expires_in: number, refresh?: number) => ({
  timestamp: 0,
  tokens: {
    access_token: "a",
    token_type: "bearer",
    expires_in,
    ...(refresh ? { refresh_token: "r", refresh_token_expires_in: refresh } : {}),
  },
});

Deno.test("tokenAction(): use until a tenth of the life (at most 60 s) is left, refresh until the same for the refresh token", () => {
  equal(tokenAction(stored(3600, 86400), 3539_999), "use");
  equal(tokenAction(stored(3600, 86400), 3540_000), "refresh");
  equal(tokenAction(stored(3600, 86400), 86340_000), "login");
  equal(tokenAction(stored(3600), 3600_000), "login", "no refresh token: log in");
  equal(tokenAction(stored(3600, 86400), -1), "login", "a cache from the future (a clock set back) is not trusted");
  equal(tokenAction(undefined, 0), "login");
});

Deno.test("loginForm() and basicAuth() send what RingCentral expects", () => {
  const jwt = loginForm({ jwt: "eyJ.a.b" });
  equal(jwt.get("grant_type"), JWT_GRANT);
  equal(jwt.get("assertion"), "eyJ.a.b");
  equal(loginForm({ username: "u", password: "p" }).has("extension"), false);
  equal(basicAuth("id", "sécret"), `Basic ${btoa(String.fromCharCode(...new TextEncoder().encode("id:sécret")))}`);
});
