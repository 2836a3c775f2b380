import { mkdir, readFile, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { useE2e } from "../helpers/e2e.js";
import { runCli } from "../helpers/run-cli.js";

/** Where `gallery -o` and `batch --gallery` write, and what they refuse before writing or paying. */
const e2e = useE2e();

const env = () => e2e.envFor("apimart");
const gallery = (args: string[]) => runCli(["gallery", ...args], { cwd: e2e.dir, env: env() });
const isFile = (path: string) => stat(join(e2e.dir, path)).then((s) => s.isFile());

async function writeBatchFile(): Promise<void> {
  const lines = [{ prompt: "a heron", output: "heron.mp4" }, { prompt: "a storm [fail]" }];
  await writeFile(join(e2e.dir, "b.jsonl"), lines.map((l) => JSON.stringify(l)).join("\n"));
}

const batch = (extra: string[]) =>
  runCli(["batch", "b.jsonl", "--provider", "apimart", "--interval", "100ms", ...extra], {
    cwd: e2e.dir,
    env: env(),
  });

describe("where a gallery is written", () => {
  it("-o makes missing folders; a folder (trailing slash or existing) gets gallery.html in it", async () => {
    const deep = await gallery(["-o", "sub/dir/g.html"]);
    expect(deep.code, deep.stderr).toBe(0);
    expect(deep.stdout).toBe(`${join("sub", "dir", "g.html")}\n`);
    expect(await isFile("sub/dir/g.html")).toBe(true);

    const slash = await gallery(["-o", "newdir/"]);
    expect(slash.code, slash.stderr).toBe(0);
    expect(await isFile("newdir/gallery.html")).toBe(true);

    await mkdir(join(e2e.dir, "pages"));
    const folder = await gallery(["-o", "pages"]);
    expect(folder.code, folder.stderr).toBe(0);
    expect(folder.stdout).toBe(`${join("pages", "gallery.html")}\n`);
    expect(await isFile("pages/gallery.html")).toBe(true);
  });

  it("a path that cannot be written is one line with exit 2, never an internal error", async () => {
    await writeFile(join(e2e.dir, "notes.txt"), "mine");
    const underFile = await gallery(["-o", "notes.txt/x.html"]);
    expect(underFile.code).toBe(2);
    expect(underFile.stderr).toMatch(
      /^error: cannot write the gallery to .*x\.html: .*notes\.txt is not a folder$/m,
    );
    expect(underFile.stderr).not.toContain("internal error");

    const long = await gallery(["-o", `${"a".repeat(300)}.html`]);
    expect(long.code).toBe(2);
    expect(long.stderr).toContain("bytes long");
    expect(await readFile(join(e2e.dir, "notes.txt"), "utf8")).toBe("mine");
  });

  it("batch --gallery refuses a page it could not write before anything is sent", async () => {
    await writeBatchFile();
    await writeFile(join(e2e.dir, "notes.html"), "<p>mine</p>");
    const taken = await batch(["--gallery", "notes.html"]);
    expect(taken.code).toBe(2);
    expect(taken.stderr).toContain("is not a grokvid gallery; pass --force");
    expect(e2e.sandbox.requests).toHaveLength(0);
    expect(await readFile(join(e2e.dir, "notes.html"), "utf8")).toBe("<p>mine</p>");

    await writeFile(join(e2e.dir, "notes.txt"), "mine");
    const underFile = await batch(["--gallery", "notes.txt/g.html"]);
    expect(underFile.code).toBe(2);
    expect(underFile.stderr).toContain("notes.txt is not a folder");
    expect(e2e.sandbox.requests).toHaveLength(0);
  });

  it("batch --gallery into a folder that does not exist yet makes it", async () => {
    await writeBatchFile();
    const r = await batch(["--gallery", "pages/run.html"]);
    expect(r.code).toBe(7);
    expect(r.stdout.trimEnd().split("\n").at(-1)).toBe(join("pages", "run.html"));
    expect(await isFile("pages/run.html")).toBe(true);
  });

  it("a page that cannot be written after the batch ran still reports every line, then says so", async () => {
    await writeFile(join(e2e.dir, "b.jsonl"), JSON.stringify({ prompt: "a heron", output: "heron.mp4" }));
    const running = batch(["--manifest", "run.json", "--gallery", "pages/run.html"]);
    // The folder is free when the batch checks it, and taken by a file before the page is written.
    await expect.poll(() => e2e.sandbox.requests.length, { interval: 5, timeout: 15_000 }).toBeGreaterThan(0);
    await writeFile(join(e2e.dir, "pages"), "in the way");
    const r = await running;
    expect(r.code).toBe(2);
    expect(r.stdout).toMatch(/^1\ttask_\w+\tsucceeded\theron\.mp4\n$/);
    expect(r.stderr).toMatch(/error: cannot write the gallery to .*run\.html: .*pages is not a folder/);
    expect(r.stderr).toContain("grokvid gallery --batch run.json -o pages/run.html");
    expect(r.stderr).not.toContain("internal error");
  });
});
