import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ExitCode } from "../../src/util/errors.js";
import { useE2e } from "../helpers/e2e.js";
import { writeJournalText } from "../helpers/journal-text.js";
import { BIN, runCli, testJournalEnv } from "../helpers/run-cli.js";

const e2e = useE2e();
const home = () => join(e2e.dir, "state");

/** Three created jobs, the last with a prompt holding a tab and a newline. */
async function journal(): Promise<void> {
  await mkdir(home(), { recursive: true });
  const prompts = ["a fox", "a dog on a beach", "two\tlines\nof prompt"];
  const lines = prompts.map((prompt, i) =>
    JSON.stringify({
      type: "created",
      at: `2026-11-01T00:00:0${i}.000Z`,
      id: `task_${i}`,
      provider: "apimart",
      baseUrl: "http://127.0.0.1:9/apimart",
      model: "grok-imagine-1.5-video-apimart",
      params: { prompt, images: [] },
      requestHash: String(i).padStart(64, "0"),
    }),
  );
  await writeJournalText(join(home(), "journal.jsonl"), `${lines.join("\n")}\n`);
}

const jobs = (args: string[]) => runCli(["jobs", ...args], { cwd: e2e.dir, env: { GROKVID_HOME: home() } });

describe("jobs for scripts", () => {
  it("off a terminal: tab-separated rows, no header, no padding, exact times, whole prompts", async () => {
    await journal();
    const r = await jobs([]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(
      [
        "task_2\tapimart\tqueued\t2026-11-01T00:00:02.000Z\t\ttwo lines of prompt\t",
        "task_1\tapimart\tqueued\t2026-11-01T00:00:01.000Z\t\ta dog on a beach\t",
        "task_0\tapimart\tqueued\t2026-11-01T00:00:00.000Z\t\ta fox\t",
        "",
      ].join("\n"),
    );
  });

  it("--ids prints the ids alone, newest first, and still honours the filters", async () => {
    await journal();
    const r = await jobs(["--ids", "--limit", "2"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe("task_2\ntask_1\n");
    expect(r.stderr).toBe("1 more; use --limit 0 to see all\n");
  });

  it("--provider takes a known provider or one in the journal; a misspelt one is exit 2 with a suggestion", async () => {
    await journal();
    const typo = await jobs(["--provider", "apimrt"]);
    expect(typo.code).toBe(2);
    expect(typo.stdout).toBe("");
    expect(typo.stderr).toMatch(
      /^error: --provider apimrt is not a known provider; .*did you mean apimart\?$/m,
    );
    // Known, with no job: an empty list, not an error.
    expect((await jobs(["--provider", "xai"])).code).toBe(0);
  });

  it("-q is --ids for jobs (as docker ps -q), and --quiet still quiets stderr", async () => {
    await journal();
    const r = await jobs(["-q", "--limit", "2", "--quiet"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe("task_2\ntask_1\n");
    expect(r.stderr).toBe("");
  });

  it("--ids with --json is a usage error (exit 2) with nothing on stdout but the error document", async () => {
    await journal();
    const r = await jobs(["--ids", "--json"]);
    expect(r.code).toBe(ExitCode.usage);
    expect(r.stderr).toContain("--ids and --json cannot be combined");
    expect(JSON.parse(r.stdout)).toMatchObject({ error: { exitCode: ExitCode.usage } });
  });

  // `script` gives the command a terminal for stdout, as a person running it would have.
  it.skipIf(!existsSync("/usr/bin/script"))("on a terminal: the padded table with its header", async () => {
    await journal();
    const r = spawnSync("script", ["-qec", `"${process.execPath}" "${BIN}" jobs`, "/dev/null"], {
      cwd: e2e.dir,
      env: {
        PATH: process.env.PATH ?? "",
        HOME: e2e.dir,
        NO_COLOR: "1",
        ...testJournalEnv(),
        GROKVID_HOME: home(),
      },
      encoding: "utf8",
    });
    const lines = r.stdout.split(/\r?\n/);
    expect(lines[0]).toMatch(/^ID {6}PROVIDER {2}STATUS {2}AGE +PROMPT +FILE$/);
    expect(lines[1]).toMatch(/^task_2 {2}apimart {3}queued {2}\d+d +two lines of prompt$/);
    expect(r.stdout).not.toContain("\t");
  });
});
