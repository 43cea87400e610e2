/**
 * The main menu loop: each choice runs a flow; errors are shown with their
 * fix; Ctrl-C in a flow returns here, Ctrl-C here (or Quit) ends the session.
 * @module
 */
import { authenticate } from "./flows/authenticate.ts";
import { callHistory } from "./flows/call_history.ts";
import { incomingCall } from "./flows/incoming_call.ts";
import { placeCall } from "./flows/ringout.ts";
import { writeCode } from "./flows/code.ts";
import { customRequest } from "./flows/custom.ts";
import { explore } from "./flows/explore.ts";
import { listExtensions } from "./flows/extensions.ts";
import { logout } from "./flows/logout.ts";
import { recordings } from "./flows/recordings.ts";
import { sendSms } from "./flows/sms.ts";
import { teamChat } from "./flows/team_chat.ts";
import { sendFiles } from "./flows/files.ts";
import { tokenStatus } from "./flows/token_status.ts";
import { watchEvents } from "./flows/watch.ts";
import { workshop } from "./flows/workshop.ts";
import { curlFromExchange } from "./curl.ts";
import { Cancelled } from "./prompt.ts";
import type { Playground } from "./playground.ts";

type Choice =
  | "auth"
  | "token"
  | "extensions"
  | "sms"
  | "watch"
  | "explore"
  | "custom"
  | "code"
  | "workshop"
  | "ringout"
  | "incoming"
  | "history"
  | "chat"
  | "files"
  | "recordings"
  | "http"
  | "curl"
  | "answer"
  | "save"
  | "logout"
  | "quit";

/** Each flow, and the title of its recording. */
const FLOWS: Partial<Record<Choice, [string, (s: Playground) => Promise<void>]>> = {
  auth: ["authenticate", authenticate],
  token: ["refresh token", tokenStatus],
  extensions: ["list extensions", listExtensions],
  sms: ["send sms", sendSms],
  watch: ["watch events", watchEvents],
  explore: ["explore", explore],
  custom: ["custom request", customRequest],
  code: ["code mode", writeCode],
  workshop: ["workshop", workshop],
  ringout: ["place a call", placeCall],
  incoming: ["incoming call", incomingCall],
  history: ["call history", callHistory],
  files: ["send an mms or fax", sendFiles],
  chat: ["team chat", teamChat],
  recordings: ["recordings", recordings],
  logout: ["log out", logout],
};

/** The main menu's entries. */
function menuChoices(s: Playground): { name: string; value: Choice; description?: string }[] {
  return [
    { name: "Authenticate", value: "auth", description: "Log in (JWT, password or browser), and see the exchange" },
    { name: "Token status", value: "token", description: "Access and refresh token expiry; refresh now" },
    { name: "List extensions", value: "extensions", description: "The company's extensions, filtered, paged" },
    { name: "Send SMS", value: "sms", description: "From one of your SmsSender numbers, followed until delivered" },
    {
      name: "Watch events",
      value: "watch",
      description: "Subscribe over WebSocket and see SMS arrive live (inject one into the emulator)",
    },
    {
      name: "Explore the API",
      value: "explore",
      description: "Every operation of RingCentral's API: find one by words or area, read what it needs, send it",
    },
    { name: "Custom request", value: "custom", description: "Any method and path" },
    {
      name: "Write code",
      value: "code",
      description: "Deno's REPL with `rc` ready (deno task repl); every call recorded",
    },
    {
      name: "Workshop",
      value: "workshop",
      description: "Eight steps to a useful script, each checked against a fresh emulator (docs/workshop.md)",
    },
    {
      name: "Place a call (RingOut)",
      value: "ringout",
      description: "Your phone rings, then the number you call: follow its status and events live",
    },
    {
      name: "Simulate an incoming call",
      value: "incoming",
      description: "An emulator rings you: answer, hold, transfer or hang up with the call control API",
    },
    {
      name: "Call history",
      value: "history",
      description: "The call log: filters, pages, a call's legs, download its recording",
    },
    {
      name: "Send an MMS or fax",
      value: "files",
      description: "Pick files, see the upload, follow it until sent; download what arrives",
    },
    {
      name: "Team chat",
      value: "chat",
      description: "Team Messaging: pick a chat, read it, post, see new posts arrive live",
    },
    { name: "Recordings", value: "recordings", description: "List, show and replay the scripts of your flows" },
    {
      name: `Show the HTTP: ${s.httpView ? "on" : "off"}`,
      value: "http",
      description: "Print every exchange, secrets redacted",
    },
    {
      name: "Last request as curl",
      value: "curl",
      description: "The last API request as a curl command, secrets as $RC_… variables",
    },
    {
      name: "Last answer, whole",
      value: "answer",
      description: "The last API answer's body in full (the HTTP view cuts long ones)",
    },
    { name: "Save this session as one script", value: "save", description: "Everything so far, replayable" },
    { name: "Log out", value: "logout", description: "Revoke the session" },
    { name: "Quit", value: "quit" },
  ];
}

/** Runs the playground until Quit or Ctrl-C at the menu. */
export async function runMenu(s: Playground): Promise<void> {
  for (const line of await s.banner()) s.out.print(line);
  let last: Choice | undefined;
  for (;;) {
    s.out.print("");
    let choice: Choice;
    try {
      choice = await s.prompter.select<Choice>(`What next? (${await s.authLine({ brief: true })})`, menuChoices(s), {
        default: last,
      });
    } catch (e) {
      if (e instanceof Cancelled && e.byEscape) continue; // Escape at the menu: nothing to go back to
      if (e instanceof Cancelled) break; // Ctrl-C at the menu ends the session
      throw e;
    }
    last = choice; // the cursor stays where the user was
    if (choice === "quit") break;
    if (choice === "http") {
      s.httpView = !s.httpView;
      s.out.print(`  The HTTP view is ${s.httpView ? "on" : "off"}.`);
      continue;
    }
    if (choice === "curl") {
      s.out.print(s.lastRequest ? curlFromExchange(s.lastRequest).replace(/^/gm, "  ") : "  No API request yet.");
      if (s.lastRequest) {
        s.out.print(
          s.builtInEmulator && !s.projectEmulator
            ? "  curl cannot reach the built-in emulator: start one with `deno task emulator` (this project's: every " +
              "tool here finds it), then set RC_SERVER_URL and RC_ACCESS_TOKEN=$(deno task token)."
            : `  First: export RC_SERVER_URL=${
              s.projectEmulator?.url ?? s.rc.server
            } RC_ACCESS_TOKEN=$(deno task token)`,
        );
      }
      continue;
    }
    if (choice === "answer") {
      const body = s.lastRequest?.responseBody;
      s.out.print(
        body ? `  ${s.lastRequest!.method} ${s.lastRequest!.path} ← ${s.lastRequest!.status}` : "  No API answer yet.",
      );
      if (body) s.out.print(`    ${body.replace(/\n/g, "\n    ")}`);
      continue;
    }
    if (choice === "save") {
      const path = s.recorder && await s.recorder.saveSession(s.context, (text) => s.rc.redact(text));
      s.out.print(path ? `  saved: ${path}` : "  Nothing to save yet (or recording is off).");
      continue;
    }
    try {
      const [title, flow] = FLOWS[choice]!;
      await s.run(title, flow);
    } catch (e) {
      s.showError(e);
      if (e instanceof Cancelled && !e.byEscape) {
        s.out.print("  Back at the menu; Ctrl-C here, or Quit, ends the session.");
      }
    }
  }
  s.out.print("Bye.");
}
