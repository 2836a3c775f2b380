import { mkdir, readdir, readFile, stat, symlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { useE2e } from "../helpers/e2e.js";
import { runCli } from "../helpers/run-cli.js";

/** `config path|get|set|edit` on the user's own config file, validated before it is written. */
const e2e = useE2e();
const file = () => join(e2e.dir, ".config", "grokvid", "config.json");
const env = () => ({ GROKVID_HOME: join(e2e.dir, "state") });
const cli = (args: string[], extra: Record<string, string> = {}) =>
  runCli(args, { cwd: e2e.dir, env: { ...env(), ...extra } });

describe("grokvid config path|get|set|edit", () => {
  it("set writes a validated 0600 JSON file that get and every command read back", async () => {
    expect((await cli(["config", "path"])).stdout.trim()).toBe(file());
    const set = await cli(["config", "set", "providers.apimart.defaults.duration", "10"]);
    expect(set.code, set.stderr).toBe(0);
    expect(set.stdout.trim()).toBe(file());
    expect((await stat(file())).mode & 0o777).toBe(0o600);
    expect(await cli(["config", "set", "poll.interval", "2s"])).toMatchObject({ code: 0 });
    expect(JSON.parse(await readFile(file(), "utf8"))).toEqual({
      providers: { apimart: { defaults: { duration: 10 } } },
      poll: { interval: "2s" },
    });
    expect((await cli(["config", "get", "poll.interval"])).stdout.trim()).toBe("2s");
    const dry = await cli(["create", "--provider", "apimart", "--prompt", "p", "--dry-run"]);
    expect(dry.stdout).toContain('"duration": 10');
  });

  it("a bad value or unknown key exits 3 naming the key path, and the file is unchanged", async () => {
    await cli(["config", "set", "poll.timeout", "5m"]);
    const before = await readFile(file(), "utf8");
    const bad = await cli(["config", "set", "poll.interval", "10ms"]);
    expect(bad.code).toBe(3);
    expect(bad.stderr).toContain("poll.interval");
    const unknown = await cli(["config", "set", "poll.speed", "1"]);
    expect(unknown.code).toBe(3);
    expect(unknown.stderr).toContain("unknown key speed");
    expect(await readFile(file(), "utf8")).toBe(before);
  });

  it("an apiKey is never set from the command line, and get shows one masked", async () => {
    const refused = await cli(["config", "set", "providers.apimart.apiKey", "sk-argv-key-123456"]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain("grokvid keys set");
    const key = "sk-config-key-0123456789";
    await cli(["config", "set", "poll.interval", "5s"]);
    await writeFile(file(), JSON.stringify({ providers: { apimart: { apiKey: key } } }), { mode: 0o600 });
    const one = await cli(["config", "get", "providers.apimart.apiKey"]);
    expect(one.stdout.trim()).toBe("sk-***89");
    const all = await cli(["config", "get", "providers"]);
    expect(all.stdout).toContain("sk-***89");
    expect(all.stdout + all.stderr + one.stdout + one.stderr).not.toContain(key);
  });

  it("edit opens $EDITOR on a copy and replaces the file only when the edit is valid", async () => {
    await cli(["config", "set", "poll.interval", "5s"]);
    const script = join(e2e.dir, "editor.sh");
    await writeFile(script, '#!/bin/sh\nprintf \'%s\' "$NEW" > "$1"\n', { mode: 0o755 });
    const bad = await cli(["config", "edit"], { EDITOR: script, NEW: '{"poll":{"interval":"1ms"}}' });
    expect(bad.code).toBe(3);
    expect(bad.stderr).toContain("poll.interval");
    expect(bad.stderr).toContain("is unchanged");
    expect(JSON.parse(await readFile(file(), "utf8"))).toEqual({ poll: { interval: "5s" } });
    const good = await cli(["config", "edit"], { VISUAL: script, NEW: '{"poll":{"interval":"7s"}}' });
    expect(good.code, good.stderr).toBe(0);
    expect(JSON.parse(await readFile(file(), "utf8"))).toEqual({ poll: { interval: "7s" } });
    expect((await stat(file())).mode & 0o777).toBe(0o600);
  });

  it("edit keeps its copy in a private temp folder: a bad edit leaves nothing in the working folder", async () => {
    // A dotfiles repository, worked in, that ~/.config/grokvid/config.json links into.
    const repo = join(e2e.dir, "dotfiles");
    const tmp = join(e2e.dir, "tmp");
    await mkdir(repo);
    await mkdir(tmp);
    await writeFile(join(repo, "grokvid.json"), '{"poll":{"interval":"5s"}}', { mode: 0o600 });
    await mkdir(join(file(), ".."), { recursive: true });
    await symlink(join(repo, "grokvid.json"), file());
    const script = join(e2e.dir, "editor.sh");
    await writeFile(script, '#!/bin/sh\nprintf \'%s\' "$NEW" > "$1"\n', { mode: 0o755 });
    const edit = (extra: Record<string, string>) =>
      runCli(["config", "edit"], {
        cwd: repo,
        env: {
          ...env(),
          HOME: e2e.dir,
          XDG_CONFIG_HOME: join(e2e.dir, ".config"),
          TMPDIR: tmp,
          EDITOR: script,
          ...extra,
        },
      });
    const entries = async () => [...(await readdir(repo)), ...(await readdir(join(file(), "..")))].sort();
    const before = await entries();

    const bad = await edit({ NEW: '{"poll":{"interval":"1ms"}}' });
    expect(bad.code).toBe(3);
    expect(await entries()).toEqual(before);
    // The bad edit is kept for the user, in a folder only they can enter, and named.
    const kept = /your edit is kept in (\S+)/.exec(bad.stderr)?.[1] ?? "";
    expect(kept.startsWith(`${tmp}/`), bad.stderr).toBe(true);
    expect(await readFile(kept, "utf8")).toBe('{"poll":{"interval":"1ms"}}');
    expect((await stat(join(kept, ".."))).mode & 0o777).toBe(0o700);

    const failed = await edit({ EDITOR: "false" });
    expect(failed.code).toBe(2);
    const good = await edit({ NEW: '{"poll":{"interval":"7s"}}' });
    expect(good.code, good.stderr).toBe(0);
    expect(JSON.parse(await readFile(join(repo, "grokvid.json"), "utf8"))).toEqual({
      poll: { interval: "7s" },
    });
    expect(await entries()).toEqual(before);
    // Only the kept bad edit is left in the temp folder; a failed editor and a good edit leave nothing.
    expect(await readdir(tmp)).toHaveLength(1);
  });

  it("edit reads an edit's $import from the file's own folder, though the copy is elsewhere", async () => {
    await mkdir(join(file(), ".."), { recursive: true });
    await writeFile(join(file(), "..", "base.json"), '{"poll":{"timeout":"9m"}}', { mode: 0o600 });
    await writeFile(file(), '{"$import":"base.json"}', { mode: 0o600 });
    const script = join(e2e.dir, "editor.sh");
    await writeFile(script, '#!/bin/sh\nprintf \'%s\' "$NEW" > "$1"\n', { mode: 0o755 });
    const NEW = '{"$import":"base.json","poll":{"interval":"7s"}}';
    const r = await cli(["config", "edit"], { EDITOR: script, NEW });
    expect(r.code, r.stderr).toBe(0);
    expect(await readFile(file(), "utf8")).toBe(NEW);
    expect((await cli(["config", "get", "poll.timeout"])).stdout.trim()).toBe("9m");
  });
});
