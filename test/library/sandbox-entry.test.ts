import { stat } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
// Both entries by the package's own name, as a user would import them.
import { createClient, UsageError } from "grokvid";
import { launchSandbox, startSandbox } from "grokvid/sandbox";
import { makeTempDir } from "../helpers/run-cli.js";

/**
 * The simulator is its own entry: the library never loads it by itself, and a script that wants
 * `provider: "sandbox"` jobs hands it `launchSandbox`, as the CLI does.
 */
let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => {
  ({ dir, cleanup } = await makeTempDir());
});
afterEach(() => cleanup());

const env = () => ({ GROKVID_HOME: join(dir, "home"), HOME: dir, GROKVID_SANDBOX_DELAY: "0" });

describe("grokvid/sandbox", () => {
  it("createClient({ sandbox: launchSandbox }) runs a sandbox job to a saved file", async () => {
    const client = createClient({ env: env(), cwd: dir, provider: "sandbox", sandbox: launchSandbox });
    try {
      const { task, saved } = await client.create(
        { prompt: "a fox" },
        { output: "fox.mp4", interval: "100ms" },
      );
      expect(task.status).toBe("succeeded");
      expect(saved?.path).toBe(join(dir, "fox.mp4"));
      expect((await stat(join(dir, "fox.mp4"))).size).toBe(saved?.bytes);
    } finally {
      await client.close();
    }
  });

  it("without it, a sandbox job is a usage error that says how to pass one, and nothing starts", async () => {
    const client = createClient({ env: env(), cwd: dir, provider: "sandbox" });
    try {
      const err = await client.create({ prompt: "a fox" }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(UsageError);
      expect((err as UsageError).message).toContain('"grokvid/sandbox"');
    } finally {
      await client.close();
    }
  });

  it("startSandbox serves the dialects on 127.0.0.1", async () => {
    const sandbox = await startSandbox();
    try {
      expect(new URL(sandbox.baseUrl("apimart")).hostname).toBe("127.0.0.1");
    } finally {
      await sandbox.close();
    }
  });
});
