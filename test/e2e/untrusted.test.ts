import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { E2E_KEY, useE2e } from "../helpers/e2e.js";
import { scriptedServer } from "../helpers/http-deps.js";
import { runCli } from "../helpers/run-cli.js";

const e2e = useE2e();

const home = () => join(e2e.dir, "state");
const homeEnv = (extra: Record<string, string> = {}) => ({ GROKVID_HOME: home(), ...extra });
const readJournal = () => readFile(join(home(), "journal.jsonl"), "utf8");

/** The key and the encodings a proxy or a log line shows it in. */
const KEY_FORMS = [
  E2E_KEY,
  Buffer.from(E2E_KEY).toString("base64"),
  Buffer.from(E2E_KEY).toString("base64url"),
  Buffer.from(`Bearer ${E2E_KEY}`).toString("base64"),
  Buffer.from(`:${E2E_KEY}`).toString("base64"),
];

function expectNoKey(text: string, where: string): void {
  for (const form of KEY_FORMS) expect(text.includes(form), `${form} in ${where}`).toBe(false);
}

/** What a terminal acts on: ESC, C1 controls, bidi overrides and isolates, BEL. */
// eslint-disable-next-line no-control-regex
const TERMINAL_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/u;

describe("a key echoed by a gateway is never stored, printed or written", () => {
  it("a failed task quoting the key: not in the journal, jobs --json, or stdout", async () => {
    e2e.sandbox.setFaults([{ kind: "echo-key", target: "query", times: Infinity }]);
    const env = homeEnv(e2e.envFor("apimart"));
    const r = await runCli(["create", "--provider", "apimart", "--prompt", "p", "--wait", "--json"], {
      cwd: e2e.dir,
      env,
    });
    expect(r.code).toBe(7);
    expectNoKey(r.stdout + r.stderr, "create output");
    expect(JSON.parse(r.stdout)).toMatchObject({
      status: "failed",
      error: { message: expect.stringContaining("sandbox fault: rejected key ***") },
    });
    expectNoKey(await readJournal(), "journal.jsonl");
    // No key in the environment: jobs has nothing registered and must rely on what was stored.
    const jobs = await runCli(["jobs", "--json"], { cwd: e2e.dir, env: homeEnv() });
    expect(jobs.code).toBe(0);
    expectNoKey(jobs.stdout, "jobs --json");
    expect(JSON.parse(jobs.stdout)).toMatchObject([{ status: "failed" }]);
  });

  it("jobs redacts keys of the environment even from an old journal that holds them", async () => {
    e2e.sandbox.setFaults([]);
    const env = homeEnv(e2e.envFor("apimart"));
    const created = await runCli(["create", "--provider", "apimart", "--prompt", "p"], { cwd: e2e.dir, env });
    const id = created.stdout.trim();
    const b64 = Buffer.from(E2E_KEY).toString("base64");
    const status = {
      type: "status",
      at: "2026-01-01T00:00:00.000Z",
      id,
      provider: "apimart",
      status: "failed",
      progress: null,
      videoUrl: null,
      error: { code: null, message: `echoed ${E2E_KEY} and ${b64}` },
    };
    await writeFile(join(home(), "journal.jsonl"), `${await readJournal()}${JSON.stringify(status)}\n`);
    const jobs = await runCli(["jobs", "--json"], { cwd: e2e.dir, env });
    expectNoKey(jobs.stdout, "jobs --json");
    expect(jobs.stdout).toContain("echoed *** and ***");
    // Written by the test itself: the shared file check must not blame grokvid for it.
    await writeFile(join(home(), "journal.jsonl"), "");
  });

  it("batch: an error and a failed task quoting the key stay out of the manifest and the journal", async () => {
    e2e.sandbox.setFaults([
      { kind: "echo-key", target: "create", times: 1 },
      { kind: "echo-key", target: "query", times: Infinity },
    ]);
    await writeFile(join(e2e.dir, "b.jsonl"), '{"prompt":"one"}\n{"prompt":"two"}\n');
    const args = ["batch", "b.jsonl", "--provider", "apimart", "--concurrency", "1", "--manifest", "m.json"];
    const r = await runCli([...args, "--interval", "100ms"], {
      cwd: e2e.dir,
      env: homeEnv(e2e.envFor("apimart")),
    });
    expect(r.code).toBe(6);
    expectNoKey(r.stdout + r.stderr, "batch output");
    const manifest = await readFile(join(e2e.dir, "m.json"), "utf8");
    expectNoKey(manifest, "the manifest");
    expect(JSON.parse(manifest)).toMatchObject([
      { line: 1, status: "error", error: expect.stringContaining("rejected key ***") },
      { line: 2, status: "failed", error: expect.stringContaining("rejected key ***") },
    ]);
    expectNoKey(await readJournal(), "journal.jsonl");
  });
});

describe("control characters from a gateway never reach the terminal", () => {
  it("create --wait and status print a hostile failure message without ESC, C1 or bidi controls", async () => {
    e2e.sandbox.setFaults([{ kind: "escape-message", target: "query", times: Infinity }]);
    const env = homeEnv(e2e.envFor("apimart"));
    const r = await runCli(["create", "--provider", "apimart", "--prompt", "p", "--wait"], {
      cwd: e2e.dir,
      env,
    });
    expect(r.code).toBe(7);
    const id = /^submitted task (\S+)/m.exec(r.stderr)?.[1] ?? "";
    expect(r.stdout).not.toMatch(TERMINAL_CONTROL);
    expect(r.stderr).not.toMatch(TERMINAL_CONTROL);
    // The message stays one line: its CR LF cannot forge a line of our own.
    expect(r.stderr).not.toMatch(/^error: spoofed/m);
    expect(r.stderr).toContain("genfailed");

    for (const json of [[], ["--json"]]) {
      const s = await runCli(["status", id, ...json], { cwd: e2e.dir, env });
      expect(s.code).toBe(0);
      expect(s.stdout).not.toMatch(TERMINAL_CONTROL);
      expect(s.stderr).not.toMatch(TERMINAL_CONTROL);
      expect(s.stdout).toContain("failed");
    }
    const journal = await readJournal();
    expect(journal).not.toMatch(/\\u001b|\\u009b/i);
    expect(journal).not.toMatch(TERMINAL_CONTROL);
  });

  it("a refused create with a hostile message prints it as one clean line", async () => {
    e2e.sandbox.setFaults([{ kind: "escape-message", target: "create" }]);
    const r = await runCli(["create", "--provider", "apimart", "--prompt", "p"], {
      cwd: e2e.dir,
      env: homeEnv(e2e.envFor("apimart")),
    });
    expect(r.code).toBe(6);
    expect(r.stderr).not.toMatch(TERMINAL_CONTROL);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
  });
});

describe("a deeply nested answer is an unparseable response", () => {
  it("on a status query after the create: exit 6, one JSON document, the id to resume with", async () => {
    e2e.sandbox.setFaults([{ kind: "deep-json", target: "query", times: Infinity }]);
    const r = await runCli(
      ["create", "--provider", "apimart", "--prompt", "p", "--wait", "--json", "--interval", "100ms"],
      { cwd: e2e.dir, env: homeEnv(e2e.envFor("apimart")) },
    );
    const id = /^submitted task (\S+)/m.exec(r.stderr)?.[1] ?? "";
    expect(id).not.toBe("");
    expect(r.code).toBe(6);
    const doc = JSON.parse(r.stdout) as { error: { exitCode: number; message: string; hint: string } };
    expect(doc.error).toMatchObject({
      exitCode: 6,
      message: expect.stringContaining("unparseable response"),
    });
    expect(doc.error.hint).toContain(`grokvid wait ${id}`);
    expect(r.stderr).not.toContain("internal error");
  });

  it("on the create: exit 6 and the warning that a job may exist", async () => {
    e2e.sandbox.setFaults([{ kind: "deep-json", target: "create" }]);
    const r = await runCli(["create", "--provider", "apimart", "--prompt", "p", "--json"], {
      cwd: e2e.dir,
      env: homeEnv(e2e.envFor("apimart")),
    });
    expect(r.code).toBe(6);
    const doc = JSON.parse(r.stdout) as { error: { hint: string } };
    expect(doc.error.hint).toContain("a job may exist");
  });
});

describe("a status answer never changes a job's id", () => {
  it("answers about another id: the job still succeeds and downloads under its own id", async () => {
    e2e.sandbox.setFaults([{ kind: "rekey", target: "query", times: Infinity }]);
    const env = homeEnv(e2e.envFor("apimart"));
    const r = await runCli(
      ["create", "--provider", "apimart", "--prompt", "p", "--wait", "--download", "--interval", "100ms"],
      { cwd: e2e.dir, env },
    );
    expect(r.code).toBe(0);
    const id = /^submitted task (\S+)/m.exec(r.stderr)?.[1] ?? "";
    expect(r.stdout.trim()).toBe(`apimart-${id}.mp4`);
    const events = (await readJournal())
      .split("\n")
      .filter((l) => l !== "")
      .map((l) => JSON.parse(l) as { type: string; id?: string });
    expect(events.map((e) => e.type)).toEqual(expect.arrayContaining(["created", "status", "downloaded"]));
    for (const e of events) if (e.id !== undefined) expect(e.id).toBe(id);
    const jobs = await runCli(["jobs", "--json"], { cwd: e2e.dir, env });
    expect(JSON.parse(jobs.stdout)).toMatchObject([
      { id, status: "succeeded", download: { path: join(e2e.dir, `apimart-${id}.mp4`) } },
    ]);
  });
});

describe("amounts a gateway sends that are no amount", () => {
  it("balance: 1e400 left and -5 used are unknown, each with a warning, exit 0", async () => {
    const gateway = await scriptedServer((_req, res) => {
      // Raw JSON text: `1e400` is valid JSON that every parser reads as Infinity.
      res
        .writeHead(200, { "content-type": "application/json" })
        .end('{"success":true,"remain_balance":1e400,"used_balance":-5,"unlimited_quota":false}');
    });
    try {
      const env = homeEnv({ GROKVID_APIMART_API_KEY: E2E_KEY, GROKVID_APIMART_BASE_URL: gateway.url });
      const r = await runCli(["balance", "--provider", "apimart"], { cwd: e2e.dir, env });
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toBe("apimart: unknown left\n");
      expect(r.stderr).toContain(
        "apimart reported remain_balance Infinity, which is no amount; shown as unknown",
      );
      expect(r.stderr).toContain("apimart reported used_balance -5, which is no amount; shown as unknown");
      const json = await runCli(["balance", "--provider", "apimart", "--json"], { cwd: e2e.dir, env });
      expect(JSON.parse(json.stdout)).toMatchObject({ remaining: null, used: null, unlimited: false });
      expect(json.stdout).not.toMatch(/Infinity|-5/);
    } finally {
      await gateway.close();
    }
  });
});
