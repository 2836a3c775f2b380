import { chmod, mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config/load.js";

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "grokvid-perm-"));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

describe.skipIf(process.platform === "win32")("config file permissions", () => {
  it("warns when a file holding a key can be read by others, naming the fix and never the key", async () => {
    const file = join(dir, ".grokvideorc.json");
    await writeFile(file, JSON.stringify({ providers: { apimart: { apiKey: "sk-perm-secret-123456" } } }));
    await chmod(file, 0o644);
    const loaded = await loadConfig(file, dir, {});
    expect(loaded.warnings).toEqual([
      `${file} holds an API key and other users can read it; run: chmod 600 ${file}`,
    ]);
    await chmod(file, 0o600);
    expect((await loadConfig(file, dir, {})).warnings).toEqual([]);
  });

  it("a gateway's key counts too", async () => {
    const file = join(dir, ".grokvidrc.json");
    const gateway = {
      dialect: "apimart",
      baseUrl: "https://gw.example.com",
      apiKey: "sk-gateway-secret-123456",
      models: { m: { durations: { min: 6, max: 30 } } },
    };
    await writeFile(file, JSON.stringify({ gateways: { "my-gw": gateway } }));
    await chmod(file, 0o644);
    expect((await loadConfig(file, dir, {})).warnings).toHaveLength(1);
  });

  it("a readable file without a key is fine", async () => {
    const file = join(dir, ".grokvideorc.json");
    await writeFile(file, JSON.stringify({ defaultProvider: "apimart" }));
    await chmod(file, 0o644);
    expect((await loadConfig(file, dir, {})).warnings).toEqual([]);
  });
});

describe.skipIf(process.platform === "win32")("unreadable config files", () => {
  it("a symlink loop is named as such (exit 3), not as bad syntax", async () => {
    await symlink(join(dir, "b"), join(dir, "a"));
    await symlink(join(dir, "a"), join(dir, "b"));
    await expect(loadConfig(join(dir, "a"), dir, {})).rejects.toMatchObject({
      exitCode: 3,
      message: expect.stringContaining("(ELOOP)"),
    });
  });
});
