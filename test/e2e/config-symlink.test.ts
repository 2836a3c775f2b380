import { lstat, mkdir, readFile, symlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { useE2e } from "../helpers/e2e.js";
import { runCli } from "../helpers/run-cli.js";

/**
 * Dotfiles managers keep ~/.config/grokvid/config.json as a link into the user's dotfiles repo:
 * `config set` and `config edit` change the file the link points at, and the link stays a link.
 */
const e2e = useE2e();

async function linkedConfig(): Promise<{ link: string; target: string }> {
  const target = join(e2e.dir, "dotfiles", "grokvid.json");
  await mkdir(join(e2e.dir, "dotfiles"), { recursive: true });
  await writeFile(target, JSON.stringify({ poll: { interval: "5s" } }));
  const link = join(e2e.dir, ".config", "grokvid", "config.json");
  await mkdir(join(link, ".."), { recursive: true });
  await symlink(target, link);
  return { link, target };
}

describe("a symlinked user config file", () => {
  it("config set writes through the link", async () => {
    const { link, target } = await linkedConfig();
    const r = await runCli(["config", "set", "poll.interval", "2s"], { cwd: e2e.dir, env: {} });
    expect(r.code, r.stderr).toBe(0);
    expect((await lstat(link)).isSymbolicLink()).toBe(true);
    expect(JSON.parse(await readFile(target, "utf8"))).toEqual({ poll: { interval: "2s" } });
  });

  it("config edit writes through the link", async () => {
    const { link, target } = await linkedConfig();
    // The "editor" is a shell command that rewrites the copy it is given.
    const editor = `node -e 'require("fs").writeFileSync(process.argv[1], JSON.stringify({poll:{interval:"3s"}}))'`;
    const r = await runCli(["config", "edit"], { cwd: e2e.dir, env: { EDITOR: editor } });
    expect(r.code, r.stderr).toBe(0);
    expect((await lstat(link)).isSymbolicLink()).toBe(true);
    expect(JSON.parse(await readFile(target, "utf8"))).toEqual({ poll: { interval: "3s" } });
  });
});
