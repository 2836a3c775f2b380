import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { resolveSharedJournal } from "../../src/config/journal-setting.js";
import { PgJournal } from "../../src/core/journal/pg/pg-journal.js";
import { MACHINE } from "../../src/core/journal/pg/pg-claims.js";
import { unsentRecords } from "../helpers/shared-journal.js";
import { created, succeeded } from "../helpers/journal-events.js";
import {
  databaseUrl,
  type FreshDatabase,
  freshDatabase,
  privateCluster,
  withClient,
} from "../helpers/postgres.js";

// The shared journal's own mechanisms, against a real server: leases and their heartbeat, a
// holder on this machine that died, commit order under concurrent writers, the local file that
// keeps what the database could not take, and a schema from a newer grokvid.
let home: string;
let db: FreshDatabase;
const opened: PgJournal[] = [];
beforeEach(async () => {
  home = await mkdtemp(join(tmpdir(), "grokvid-pg-"));
  db = await freshDatabase();
});
afterEach(async () => {
  await Promise.all(opened.splice(0).map((j) => j.close()));
  await db.drop();
  await rm(home, { recursive: true, force: true });
});

function journal(env: Record<string, string> = {}, url = db.url, warnings: string[] = []): PgJournal {
  const shared = resolveSharedJournal({ GROKVID_JOURNAL_URL: url, ...env }, {});
  if (!shared) throw new Error("no shared journal");
  const j = new PgJournal(shared, home, (w) => warnings.push(w));
  opened.push(j);
  return j;
}

const KEY = "cd".repeat(32);

describe("claims with leases", () => {
  it("another machine's live claim is refused, naming its host; once its lease ran out it is taken over", async () => {
    const a = journal({ GROKVID_HOST: "worker-a", GROKVID_JOURNAL_LEASE: "1s" });
    const b = journal({ GROKVID_HOST: "worker-b", GROKVID_JOURNAL_LEASE: "1s" });
    const held = await a.claims.take(KEY);
    expect("claim" in held).toBe(true);
    expect(await b.claims.take(KEY)).toEqual({ heldBy: { pid: process.pid, host: "worker-a" } });
    // worker-a stops beating (as a killed process does) and its lease lapses.
    a.claims.close();
    await new Promise((r) => setTimeout(r, 1300));
    const taken = await b.claims.take(KEY);
    expect("claim" in taken).toBe(true);
    // The old holder's release does not free the taker's claim.
    if ("claim" in held) await held.claim.release();
    expect(await journal({ GROKVID_HOST: "worker-c" }).claims.take(KEY)).toMatchObject({
      heldBy: { host: "worker-b" },
    });
  });

  it("the heartbeat keeps a claim held past its lease while its holder lives", async () => {
    const a = journal({ GROKVID_HOST: "worker-a", GROKVID_JOURNAL_LEASE: "1s" });
    const b = journal({ GROKVID_HOST: "worker-b", GROKVID_JOURNAL_LEASE: "1s" });
    const held = await a.claims.take(KEY);
    await new Promise((r) => setTimeout(r, 1600));
    expect(await b.claims.take(KEY)).toEqual({ heldBy: { pid: process.pid, host: "worker-a" } });
    if ("claim" in held) await held.claim.release();
    expect("claim" in (await b.claims.take(KEY))).toBe(true);
  });

  it("a holder whose claim was taken while it could not beat is told so at its next beat", async () => {
    const warnings: string[] = [];
    const a = journal({ GROKVID_HOST: "worker-a", GROKVID_JOURNAL_LEASE: "1s" }, db.url, warnings);
    await a.claims.take(KEY);
    await withClient(db.url, (c) =>
      c.query(
        "UPDATE grokvid_claims SET holder = 'worker-b:1:x', host = 'worker-b' WHERE request_hash = $1",
        [KEY],
      ),
    );
    await new Promise((r) => setTimeout(r, 500));
    expect(warnings.join("\n")).toMatch(
      /claim on a request ran out .* another grokvid may be on the same job now/,
    );
    expect(a.claims.holds(KEY)).toBe(false);
  });

  it("a holder on this machine that is gone is taken over at once, not after its lease", async () => {
    const mine = journal();
    await mine.claims.take("00".repeat(32));
    await withClient(db.url, (c) =>
      c.query(
        `INSERT INTO grokvid_claims (request_hash, holder, host, pid, started, machine, lease_until)
         VALUES ($1, 'dead', $2, 2147483646, NULL, $3, now() + interval '1 hour')`,
        [KEY, mine.host, MACHINE],
      ),
    );
    expect("claim" in (await mine.claims.take(KEY))).toBe(true);
  });

  it("a holder that only shares this host's name (a container, a clone) is waited out, not judged by its pid", async () => {
    const mine = journal();
    await mine.readJobs();
    await withClient(db.url, (c) =>
      c.query(
        `INSERT INTO grokvid_claims (request_hash, holder, host, pid, started, machine, lease_until)
         VALUES ($1, 'elsewhere', $2, 2147483646, NULL, 'another-boot pid:[1]', now() + interval '1 hour')`,
        [KEY, mine.host],
      ),
    );
    expect(await mine.claims.take(KEY)).toEqual({ heldBy: { pid: 2147483646 } });
  });
});

describe("records", () => {
  it("two writers at once and a reader folding all along: every record folded exactly once", async () => {
    const writers = [journal(), journal()];
    const reader = journal();
    let done = false;
    const reading = (async () => {
      while (!done) await reader.refresh();
    })();
    await Promise.all(
      writers.map((w, k) =>
        Promise.all(Array.from({ length: 150 }, (_, i) => w.append(created(`w${k}-${i}`)))),
      ),
    );
    done = true;
    await reading;
    const ids = (await reader.readJobs()).map((j) => j.id);
    expect(ids).toHaveLength(300);
    expect(new Set(ids).size).toBe(300);
  });

  it("findJob folds the job's own rows as the whole journal folds them, with the host", async () => {
    const j = journal({ GROKVID_HOST: "worker-a" });
    await j.append(created("t1"));
    await j.append(created("t2"));
    await j.append(succeeded("t1"));
    const whole = (await journal().readJobs()).find((x) => x.id === "t1");
    expect(await journal().findJob("t1")).toEqual(whole);
    expect(whole).toMatchObject({ status: "succeeded", host: "worker-a" });
  });

  it("a schema from a newer grokvid is refused with exit 3, naming the database", async () => {
    await journal().readJobs();
    await withClient(db.url, (c) =>
      c.query("UPDATE grokvid_meta SET value = '99' WHERE key = 'schema_version'"),
    );
    await expect(journal().readJobs()).rejects.toMatchObject({
      exitCode: 3,
      message: expect.stringMatching(/has schema version 99; this grokvid knows versions up to 1/),
    });
  });
});

it("the database gone after a create: the records go to the local file, an intent is refused; both carried over in order once it is back", async () => {
  const cluster = await privateCluster();
  try {
    await withClient(cluster.url, (c) => c.query("CREATE DATABASE j"));
    const url = databaseUrl(cluster.url, "j");
    const warnings: string[] = [];
    const j = journal({}, url, warnings);
    await j.append(created("t1"));
    await cluster.stop();
    await j.append(succeeded("t1"));
    await expect(
      j.append({
        type: "submitting",
        at: "2026-01-01T00:02:00.000Z",
        provider: "apimart",
        requestHash: "h2",
      }),
    ).rejects.toMatchObject({
      exitCode: 3,
      message: expect.stringMatching(/cannot reach the shared journal/),
    });
    const unsent = await unsentRecords(home);
    expect(unsent).toContain('"status":"succeeded"');
    // The refused intent may have been committed all the same: it is marked never sent.
    expect(unsent).toContain('"type":"abandoned","at"');
    expect(unsent).toContain('"requestHash":"h2"');
    expect(warnings.join("\n")).toMatch(/job t1 is recorded in .*journal-unsent-[0-9a-f]{12}\.jsonl/);
    await cluster.start();
    // A new process (or this one's next record) carries the file over before anything else.
    const after = journal({}, url, warnings);
    expect(await after.findJob("t1")).toMatchObject({ status: "succeeded" });
    expect((await after.readState()).uncertain.size).toBe(0);
    expect(await unsentRecords(home)).toBe("");
    expect(warnings.join("\n")).toMatch(
      /carried 2 records written while the shared journal was out of reach/,
    );
  } finally {
    await Promise.all(opened.splice(0).map((x) => x.close().catch(() => undefined)));
    await cluster.destroy();
  }
});

it("a hostile row (huge, or not a record) is skipped with a warning; a CRLF journal imports as the same records", async () => {
  const warnings: string[] = [];
  const j = journal({}, db.url, warnings);
  await j.append(created("t1"));
  await withClient(db.url, (c) =>
    c.query(
      `INSERT INTO grokvid_events (digest, job_id, request_hash, host, body) VALUES
       ('huge', 't2', NULL, 'x', repeat('a', 2000000)), ('junk', 't3', NULL, 'x', '{"type":"created"}')`,
    ),
  );
  expect((await journal({}, db.url, warnings).readJobs()).map((x) => x.id)).toEqual(["t1"]);
  expect(warnings.join("\n")).toMatch(/skipped 2 unreadable records/);
  const file = join(home, "crlf.jsonl");
  await writeFile(file, `${JSON.stringify(created("t1"))}\r\n${JSON.stringify(created("t4"))}\r\n`);
  const { importJournal } = await import("../../src/core/journal/transfer.js");
  expect(await importJournal(j, file)).toMatchObject({ records: 2, added: 1, damaged: 0 });
});
