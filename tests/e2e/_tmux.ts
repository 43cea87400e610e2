/**
 * A real terminal for tests: a tmux session running one command, read the
 * way a person sees it. Waits are bounded and say what they waited for.
 * @module
 */

/**
 * Runs tmux on a server of this terminal's own (`-L`), without the user's
 * `~/.tmux.conf` (`-f /dev/null`): terminals of tests running side by side
 * never share a server that exits when another test closes its last session.
 */
async function tmux(server: string, ...args: string[]): Promise<string> {
  const r = await new Deno.Command("tmux", {
    args: ["-L", server, "-f", "/dev/null", ...args],
    stdout: "piped",
    stderr: "piped",
  }).output();
  if (r.code !== 0) throw new Error(`tmux ${args[0]}: ${new TextDecoder().decode(r.stderr)}`);
  return new TextDecoder().decode(r.stdout);
}

/** A terminal of `columns`×`rows` running `command` (a shell line); dispose it to close it. */
export async function terminal(command: string, { columns = 80, rows = 24 } = {}) {
  const name = `rc-e2e-${Deno.pid}-${Math.random().toString(36).slice(2, 8)}`;
  await tmux(name, "new-session", "-d", "-s", name, "-x", String(columns), "-y", String(rows), command);
  /** The whole scrollback, lines the terminal wrapped joined again (-J). */
  const screen = () => tmux(name, "capture-pane", "-p", "-J", "-t", name, "-S", "-2000");
  /** Only what is on the screen now, as wrapped. */
  const visible = () => tmux(name, "capture-pane", "-p", "-t", name);
  const waitFor = async (text: string | RegExp, timeoutMs = 20_000) => {
    const end = Date.now() + timeoutMs;
    for (;;) {
      const s = await screen();
      if (typeof text === "string" ? s.includes(text) : text.test(s)) return s;
      if (Date.now() > end) throw new Error(`timed out waiting for ${text}; the screen:\n${s}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  };
  /**
   * Sends keys and waits for `next`. A prompt is drawn a moment before it
   * listens, so keys can be lost on a busy machine: when the screen has not
   * changed at all after a while, the keys are sent once more.
   */
  const press = async (k: string[], next: string | RegExp, timeoutMs = 20_000) => {
    await new Promise((r) => setTimeout(r, 150));
    const before = await screen();
    await tmux(name, "send-keys", "-t", name, ...k);
    try {
      return await waitFor(next, 3000);
    } catch {
      if ((await screen()) === before) await tmux(name, "send-keys", "-t", name, ...k);
      return await waitFor(next, timeoutMs);
    }
  };
  /** Lines of the scrollback wider than the terminal (Deno's own `Task …` line and code typed at `> ` aside). */
  const tooWide = async () =>
    (await screen()).split("\n").filter((l) =>
      [...l].length > columns && !l.startsWith("Task ") && !l.startsWith("> ")
    );
  return {
    screen,
    visible,
    waitFor,
    press,
    tooWide,
    async [Symbol.asyncDispose]() {
      await tmux(name, "kill-server").catch(() => "");
    },
  };
}
