/**
 * The three clients the benchmarks compare, each logged in with the JWT of
 * an emulator's `.env` lines and used as its natural code would use it:
 * `get` and `post` return the parsed JSON.
 * @module
 */
import { SDK } from "@ringcentral/sdk";
import RingCentralExtensible from "@rc-ex/core";
import { RingCentral } from "../mod.ts";
import { MemoryStorage } from "./_harness.ts";

/** A logged-in client, reduced to what the benchmarks call. */
export interface Api {
  /** A GET; the parsed answer. */
  get(path: string, query?: Record<string, string>): Promise<unknown>;
  /** A POST with a JSON body; the parsed answer. */
  post(path: string, body: unknown): Promise<unknown>;
}

/** A contender: its name, and how it logs in against the emulator of `env`. */
export interface Contender {
  /** `client`, `@ringcentral/sdk` or `@rc-ex/core`. */
  name: string;
  /** Logs in; `retries` uses the client's own retry-on-429 option where it has one. */
  connect(env: Record<string, string>, options?: { retries?: boolean }): Promise<Api>;
}

/** This client, `@ringcentral/sdk` and `@rc-ex/core` (which has no retry option). */
export const CONTENDERS: Contender[] = [
  {
    name: "client",
    async connect(env) {
      const rc = new RingCentral({
        server: env.RC_SERVER_URL,
        clientId: env.RC_CLIENT_ID,
        clientSecret: env.RC_CLIENT_SECRET,
        jwt: env.RC_JWT,
      });
      await rc.authenticate();
      return {
        get: async (path, query) => await (await rc.get(path, query)).json(),
        post: async (path, body) => await (await rc.post(path, body)).json(),
      };
    },
  },
  {
    name: "@ringcentral/sdk",
    async connect(env, { retries = false } = {}) {
      const sdk = new SDK({
        server: env.RC_SERVER_URL,
        clientId: env.RC_CLIENT_ID,
        clientSecret: env.RC_CLIENT_SECRET,
        localStorage: new MemoryStorage() as unknown as Storage,
        ...(retries ? { handleRateLimit: true } : {}),
      });
      const platform = sdk.platform();
      await platform.login({ jwt: env.RC_JWT });
      return {
        get: async (path, query) => await (await platform.get(path, query)).json(),
        post: async (path, body) => await (await platform.post(path, body)).json(),
      };
    },
  },
  {
    name: "@rc-ex/core",
    async connect(env) {
      const rc = new RingCentralExtensible({
        server: env.RC_SERVER_URL,
        clientId: env.RC_CLIENT_ID,
        clientSecret: env.RC_CLIENT_SECRET,
      });
      await rc.authorize({ jwt: env.RC_JWT });
      return {
        get: async (path, query) => (await rc.get(path, query)).data,
        post: async (path, body) => (await rc.post(path, body as Record<string, unknown>)).data,
      };
    },
  },
];
