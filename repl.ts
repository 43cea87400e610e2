/**
 * The playground (`deno task start`). Placeholder until the guided flows land:
 * it shows where requests would go and runs the demo's calls.
 * @module
 */
import { RingCentral } from "./mod.ts";

if (import.meta.main) {
  try {
    const rc = await RingCentral.fromEnv();
    console.log(`RingCentral playground: ${rc.target} (${rc.server})`);
    console.log("The guided playground is coming. Meanwhile: deno task demo");
  } catch (e) {
    console.error((e as Error).message);
    Deno.exit(1);
  }
}
