import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { useE2e } from "../helpers/e2e.js";
import {
  type FreshDatabase,
  freshDatabase,
  roleWithoutPermission,
  withClient,
  wrongPasswordUrl,
} from "../helpers/postgres.js";
import { type CliResult, runCli } from "../helpers/run-cli.js";

// Issue 25, acceptance 5 and 6: a local journal copied in and back out; a bad URL, a wrong
// password, a database without permission: one line each, exit 3, the password never shown.
const e2e = useE2e();
let db: FreshDatabase;
beforeEach(async () => {
  db = await freshDatabase();
});
afterEach(() => db.drop());

const home = () => join(e2e.dir, "home");
const run = (args: string[], env: Record<string, string> = {}) =>
  runCli(args, {
    cwd: e2e.dir,
    env: { ...e2e.envFor("apimart"), GROKVID_PROVIDER: "apimart", GROKVID_HOME: home(), ...env },
  });
const shared = (args: string[], url = db.url) => run(args, { GROKVID_JOURNAL_URL: url });

const passwordOf = (url: string) => decodeURIComponent(new URL(url).password);

function expectOneLineRefusal(r: CliResult, url: string, pattern: RegExp): void {
  expect(r.code, r.stderr).toBe(3);
  const lines = r.stderr.trim().split("\n");
  expect(lines[0]).toMatch(pattern);
  // The error, and at most its hint.
  expect(lines.length).toBeLessThanOrEqual(2);
  const password = passwordOf(url);
  expect(password.length).toBeGreaterThan(5);
  expect(r.stdout + r.stderr).not.toContain(password);
  expect(
    e2e.sandbox.requests.filter((q) => q.method === "POST"),
    "nothing was sent",
  ).toEqual([]);
}

describe("journal import and export", () => {
  it("import then export round-trips a real journal; importing twice adds nothing", async () => {
    for (const prompt of ["a fox", "a hare"]) {
      const made = await run(["create", "--prompt", prompt, "--wait", "--download", "--interval", "100ms"]);
      expect(made.code, made.stderr).toBe(0);
    }
    const local = await readFile(join(home(), "journal.jsonl"), "utf8");
    const records = local.trim().split("\n");
    expect(records.length).toBeGreaterThanOrEqual(10);

    const first = await shared(["journal", "import"]);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toContain(
      `imported ${records.length} records from ${join(home(), "journal.jsonl")}`,
    );
    expect(first.stdout).toContain(`${records.length} new, 0 already there`);
    const second = await shared(["journal", "import", "--json"]);
    expect(JSON.parse(second.stdout)).toMatchObject({ records: records.length, added: 0, damaged: 0 });

    const exported = await shared(["journal", "export"]);
    expect(exported.code, exported.stderr).toBe(0);
    expect(exported.stdout).toBe(local);

    // The shared journal knows the jobs as the file did.
    const listed = await shared(["jobs", "--json"]);
    const jobs = JSON.parse(listed.stdout) as Array<{ params: { prompt: string }; status: string }>;
    expect(jobs.map((j) => [j.params.prompt, j.status])).toEqual([
      ["a hare", "succeeded"],
      ["a fox", "succeeded"],
    ]);
  });

  it("a damaged line is left out and counted; import without a shared journal is refused", async () => {
    await mkdir(home(), { recursive: true });
    const made = await run(["create", "--prompt", "a fox"]);
    expect(made.code, made.stderr).toBe(0);
    const file = join(e2e.dir, "old.jsonl");
    await writeFile(file, `${await readFile(join(home(), "journal.jsonl"), "utf8")}{"torn":\n`);
    const r = await shared(["journal", "import", "old.jsonl", "--json"]);
    expect(JSON.parse(r.stdout)).toMatchObject({ from: file, records: 2, added: 2, damaged: 1 });
    const refused = await run(["journal", "import"]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/no shared journal is set/);
  });
});

describe("a journal that cannot be used: one line, exit 3, nothing sent, no password", () => {
  it("a wrong password", async () => {
    const url = wrongPasswordUrl(db.url);
    const r = await shared(["create", "--prompt", "a fox"], url);
    expectOneLineRefusal(
      r,
      url,
      /^error: the shared journal grokvid_admin@127\.0\.0\.1:\d+\/grokvid_test_\w+ refused user grokvid_admin/,
    );
  });

  it("a database without permission", async () => {
    const url = await roleWithoutPermission(db.url);
    const r = await shared(["create", "--prompt", "a fox"], url);
    expectOneLineRefusal(
      r,
      url,
      /^error: user grokvid_role_\w+ may not use the shared journal .*permission denied/,
    );
  });

  it("nothing listening", async () => {
    const u = new URL(db.url);
    u.port = "1";
    const r = await shared(["batch", "-"], u.toString());
    expectOneLineRefusal(
      r,
      u.toString(),
      /^error: cannot reach the shared journal grokvid_admin@127\.0\.0\.1:1\/\w+ \(ECONNREFUSED\)/,
    );
  });

  it("a database that does not exist", async () => {
    const u = new URL(db.url);
    u.pathname = "/nowhere";
    const r = await shared(["status", "task_x"], u.toString());
    expectOneLineRefusal(
      r,
      u.toString(),
      /^error: the shared journal grokvid_admin@127\.0\.0\.1:\d+\/nowhere does not exist/,
    );
  });

  for (const [what, url, pattern] of [
    [
      "not a URL",
      "db.lan:5432 user=me password=sekrit-pass-1",
      /^error: GROKVID_JOURNAL_URL is not a postgres:\/\/ URL/,
    ],
    [
      "another scheme",
      "mysql://me:sekrit-pass-1@db.lan/grokvid",
      /^error: GROKVID_JOURNAL_URL is not a postgres:\/\/ URL/,
    ],
    ["no host", "postgres://me:sekrit-pass-1@/grokvid", /^error: GROKVID_JOURNAL_URL/],
  ] as const) {
    it(`a bad URL: ${what}`, async () => {
      const r = await shared(["create", "--prompt", "a fox"], url);
      expect(r.code, r.stderr).toBe(3);
      expect(r.stderr.trim().split("\n")[0]).toMatch(pattern);
      expect(r.stdout + r.stderr).not.toContain("sekrit-pass-1");
      expect(e2e.sandbox.requests).toEqual([]);
    });
  }

  it("a password in a project's config is refused; journal.url there needs trust", async () => {
    const project = join(e2e.dir, "project");
    await mkdir(project);
    await writeFile(
      join(project, ".grokvidrc.json"),
      JSON.stringify({ journal: { url: "postgres://me:sekrit-pass-2@db.lan/j" } }),
    );
    const env = { ...e2e.envFor("apimart"), GROKVID_HOME: home() };
    const r = await runCli(["create", "--prompt", "a fox"], { cwd: project, env: { ...env, HOME: e2e.dir } });
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/puts a password in journal\.url; a project's config never holds secrets/);
    expect(r.stdout + r.stderr).not.toContain("sekrit-pass-2");
    await writeFile(
      join(project, ".grokvidrc.json"),
      JSON.stringify({ journal: { url: db.url.replace(/:[^:@/]+@/, "@") } }),
    );
    const untrusted = await runCli(["create", "--prompt", "a fox"], {
      cwd: project,
      env: { ...env, HOME: e2e.dir },
    });
    expect(untrusted.code).toBe(3);
    expect(untrusted.stderr).toMatch(/journal\.url/);
    expect(e2e.sandbox.requests).toEqual([]);
  });
});

describe("a password however written is never shown", () => {
  for (const [what, url, secret] of [
    ["a password parameter", "postgres://me@db.lan/g?password=pw12", "pw12"],
    ["a short password", "postgres://me:pw12@db.lan/g", "pw12"],
    ["lower-case percent-encoding", "postgres://me:secr%2fet-9@db.lan/g", "secr%2fet-9"],
    ["malformed percent-encoding", "postgres://me:secr%zzet-9@db.lan/g", "secr%zzet-9"],
  ] as const) {
    it(`${what}: config get, config list (file and variable)`, async () => {
      const set = await run(["config", "set", "journal.url", url]);
      expect(set.code, set.stderr).toBe(0);
      for (const r of [
        await run(["config", "get", "journal.url"]),
        await run(["config", "get", "journal"]),
        await run(["config", "list"]),
        await run(["config", "list"], { GROKVID_JOURNAL_URL: url }),
        await run(["config", "list", "--json"], { GROKVID_JOURNAL_URL: url }),
      ]) {
        expect(r.code, r.stderr).toBe(0);
        expect(r.stdout).toContain("***");
        expect(r.stdout + r.stderr).not.toContain(secret);
      }
    });
  }

  it("a password parameter in a project's config is refused like one in the URL's userinfo", async () => {
    const project = join(e2e.dir, "project");
    await mkdir(project);
    await writeFile(
      join(project, ".grokvidrc.json"),
      JSON.stringify({ journal: { url: "postgres://me@db.lan/j?password=sekrit-pass-3" } }),
    );
    const r = await runCli(["jobs"], { cwd: project, env: { GROKVID_HOME: home(), HOME: e2e.dir } });
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/puts a password in journal\.url/);
    expect(r.stdout + r.stderr).not.toContain("sekrit-pass-3");
  });
});

describe("doctor", () => {
  it("names the database, its schema version and the round trip; made the schema on an empty database", async () => {
    const r = await shared(["doctor", "--provider", "apimart"]);
    expect(r.stdout + r.stderr).toMatch(
      /journal: postgres grokvid_admin@127\.0\.0\.1:\d+\/grokvid_test_\w+: schema version 1 \(was empty: migrated now\), [\d.]+ ms round trip, 0 records/,
    );
    const again = await shared(["doctor", "--provider", "apimart", "--json"]);
    const checks = JSON.parse(again.stdout) as Array<{ name: string; ok: boolean; detail: string }>;
    const journal = checks.find((c) => c.name === "journal");
    expect(journal?.ok).toBe(true);
    expect(journal?.detail).toMatch(/schema version 1, [\d.]+ ms round trip/);
    expect(again.stdout).not.toContain(passwordOf(db.url));
  });

  it("a wrong password is a failed line (exit 3) without the password", async () => {
    const url = wrongPasswordUrl(db.url);
    const r = await shared(["doctor", "--provider", "apimart"], url);
    expect(r.code).toBe(3);
    expect(r.stdout + r.stderr).toMatch(/journal: the shared journal .* refused user grokvid_admin/);
    expect(r.stdout + r.stderr).not.toContain(passwordOf(url));
  });
});

it("two processes starting on an empty database at once make the schema once", async () => {
  const [a, b] = await Promise.all([shared(["jobs"]), shared(["jobs"])]);
  expect(a.code, a.stderr).toBe(0);
  expect(b.code, b.stderr).toBe(0);
  const version = await withClient(
    db.url,
    async (c) =>
      (await c.query<{ value: string }>("SELECT value FROM grokvid_meta WHERE key = 'schema_version'")).rows,
  );
  expect(version).toEqual([{ value: "1" }]);
});

it("a record someone else wrote into the shared journal cannot send this machine's key to its own base URL", async () => {
  const made = await shared(["create", "--prompt", "a fox"]);
  expect(made.code, made.stderr).toBe(0);
  const id = made.stdout.trim();
  // Anyone who may write to the database: the job's record now names another gateway.
  await withClient(db.url, (c) =>
    c.query(
      "UPDATE grokvid_events SET body = replace(body, $1, 'http://127.0.0.1:9/apimart') WHERE job_id = $2",
      [e2e.sandbox.baseUrl("apimart"), id],
    ),
  );
  e2e.sandbox.requests.length = 0;
  for (const args of [["status", id], ["resume"]]) {
    const r = await shared(args);
    expect(r.code, r.stderr).toBe(3);
    expect(r.stderr).toMatch(
      /names http:\/\/127\.0\.0\.1:9\/apimart for apimart, and this machine's is .*; no key was sent there/,
    );
  }
  expect(e2e.sandbox.requests).toEqual([]);
});
