/**
 * List extensions: filters by type and status, one page or all pages, a
 * readable table and totals.
 * @module
 */
import type { Playground } from "../playground.ts";
import { tableLines } from "../_view.ts";

const TYPES = ["User", "Department", "Announcement", "Voicemail", "IvrMenu", "ParkLocation", "FaxUser", "Limited"];
const STATUSES = ["Enabled", "Disabled", "NotActivated", "Frozen"];
const EXT = "/restapi/v1.0/account/~/extension";

interface Extension {
  extensionNumber?: string;
  name: string;
  type: string;
  status: string;
  contact?: { email?: string };
}

/** The table of extensions, as wide as the terminal allows (the email goes first, then the status). */
function extensionTable(records: Extension[], columns: number): string[] {
  const rows = records.map((e) => [e.extensionNumber ?? "-", e.name, e.type, e.status, e.contact?.email ?? ""]);
  return tableLines(["Ext", "Name", "Type", "Status", "Email"], rows, columns, { optional: [4, 3] });
}

/** Runs the flow. */
export async function listExtensions(s: Playground): Promise<void> {
  const types = await s.prompter.checkbox("Types (none = all)", TYPES.map((t) => ({ name: t, value: t })));
  const statuses = await s.prompter.checkbox("Statuses (none = all)", STATUSES.map((t) => ({ name: t, value: t })));
  const all = await s.prompter.select("Pages", [
    { name: "All pages", value: true },
    { name: "One page", value: false },
  ]);
  const whole = (v: string) => /^[1-9]\d*$/.test(v) || "Enter a whole number ≥ 1";
  const perPage = Number(
    await s.prompter.input("Records per page (1-1000)", {
      default: all ? "100" : "10",
      validate: (v) => whole(v) === true && Number(v) <= 1000 || "Enter a whole number from 1 to 1000",
    }),
  );
  let page = all ? 1 : Number(await s.prompter.input("Page number", { default: "1", validate: whole }));
  const records: Extension[] = [];
  let total = 0;
  let pages = 0;
  for (;;) {
    const query = {
      ...(types.length ? { type: types } : {}),
      ...(statuses.length ? { status: statuses } : {}),
      perPage,
      page,
    };
    const r = await s.call(`List extensions, page ${page}`, "GET", EXT, { query });
    total = r.body.paging?.totalElements ?? records.length + r.body.records.length;
    pages = r.body.paging?.totalPages ?? 1;
    if (!all && page > pages && pages > 0) {
      // The API answers an empty page; say why, and ask again within the pages there are.
      s.out.print(
        `  There is no page ${page}: ${total} extensions make ${pages} page${pages === 1 ? "" : "s"} of ${perPage}.`,
      );
      page = Number(
        await s.prompter.input(`Page number (1-${pages})`, {
          default: String(pages),
          validate: (v) => whole(v) === true && Number(v) <= pages || `Enter a whole number from 1 to ${pages}`,
        }),
      );
      continue;
    }
    records.push(...r.body.records);
    if (!all || !r.body.navigation?.nextPage) break;
    page++;
  }
  for (const line of extensionTable(records, s.out.columns)) s.out.print(line);
  const byType = new Map<string, number>();
  for (const e of records) byType.set(e.type, (byType.get(e.type) ?? 0) + 1);
  const summary = [...byType].map(([t, n]) => `${n} ${t}`).join(", ");
  const where = all ? `all ${pages} page${pages === 1 ? "" : "s"}` : `page ${page} of ${pages}`;
  s.out.print(`  ${records.length} shown of ${total} extensions, ${where}${summary ? ` (${summary})` : ""}`);
}
