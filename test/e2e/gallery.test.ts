import { chmod, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { useE2e } from "../helpers/e2e.js";
import { runCli } from "../helpers/run-cli.js";

/** `grokvid gallery` and `batch --gallery`: the page's contents are checked in a browser (test/browser). */
const e2e = useE2e();

const env = () => e2e.envFor("apimart");

async function runBatch(extra: string[]) {
  const lines = [
    { prompt: "a heron <b>wading</b>", ratio: "9:16", resolution: "720p", output: "heron.mp4" },
    { prompt: "a storm [fail]", output: "storm.mp4" },
  ];
  await writeFile(join(e2e.dir, "b.jsonl"), lines.map((l) => JSON.stringify(l)).join("\n"));
  return runCli(["batch", "b.jsonl", "--provider", "apimart", "--interval", "100ms", ...extra], {
    cwd: e2e.dir,
    env: env(),
  });
}

describe("grokvid gallery", () => {
  it("batch --gallery writes the page beside the manifest, even when a line failed", async () => {
    const r = await runBatch(["--manifest", "run.json", "--gallery"]);
    expect(r.code).toBe(7);
    // The line results, then the page's path as the last line, as `gallery` prints it.
    const lines = r.stdout.trimEnd().split("\n");
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/^1\ttask_\w+\tsucceeded\theron\.mp4$/);
    expect(lines[2]).toBe("run.html");
    expect(r.stderr).toContain("gallery: run.html");
    const html = await readFile(join(e2e.dir, "run.html"), "utf8");
    expect(html).toContain('src="heron.mp4"');
    expect(html).toContain("a heron &lt;b&gt;wading&lt;/b&gt;");
    expect(html).not.toContain("<b>wading</b>");
    expect(html).toContain("720×1280");
    // --json keeps stdout one document: the entries, as without --gallery.
    const json = await runBatch(["--manifest", "run.json", "--gallery", "--json"]);
    expect(JSON.parse(json.stdout)).toHaveLength(2);
  });

  it("gallery prints the path on stdout; --status and --provider filter; a bad filter writes nothing", async () => {
    await runBatch([]);
    const all = await runCli(["gallery"], { cwd: e2e.dir, env: env() });
    expect(all.code, all.stderr).toBe(0);
    expect(all.stdout).toBe("gallery.html\n");
    expect(all.stderr).toContain("wrote a gallery of 2 jobs (1 with a video)");
    const failed = await runCli(["gallery", "--status", "failed", "-o", "failed.html", "--json"], {
      cwd: e2e.dir,
      env: env(),
    });
    expect(JSON.parse(failed.stdout)).toMatchObject({ jobs: 1, withVideo: 0 });
    const none = await runCli(["gallery", "--provider", "xai", "-o", "none.html"], {
      cwd: e2e.dir,
      env: env(),
    });
    expect(none.stderr).toContain("no job matches");
    const typo = await runCli(["gallery", "--provider", "apimrt", "-o", "bad.html"], {
      cwd: e2e.dir,
      env: env(),
    });
    expect(typo.code).toBe(2);
    expect(typo.stderr).toContain("--provider apimrt is not a known provider");
    expect(typo.stderr).toContain("did you mean apimart?");
    const bad = await runCli(["gallery", "--status", "done", "-o", "bad.html"], { cwd: e2e.dir, env: env() });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("--status must be one of");
    const since = await runCli(["gallery", "--since", "yesterday", "-o", "bad.html"], {
      cwd: e2e.dir,
      env: env(),
    });
    expect(since.code).toBe(2);
    await expect(readFile(join(e2e.dir, "bad.html"))).rejects.toThrow();
  });

  it("--batch takes a manifest's jobs; a file that is not a manifest is exit 2", async () => {
    await runBatch(["--manifest", "run.json"]);
    const r = await runCli(["gallery", "--batch", "run.json", "-o", "g.html", "--json"], {
      cwd: e2e.dir,
      env: env(),
    });
    expect(JSON.parse(r.stdout)).toMatchObject({ jobs: 2, withVideo: 1 });
    // Line order, as the README says, and each card names its line (issue 23 item 11): line 2 was
    // created last (one job at a time), so newest first would show it first.
    await runBatch(["--manifest", "ordered.json", "--concurrency", "1", "--retry-failed"]);
    for (const page of ["ordered.html", "ordered-again.html"]) {
      const args =
        page === "ordered.html"
          ? ["gallery", "--batch", "ordered.json", "-o", page]
          : ["gallery", "--batch", "ordered.json", "-o", page, "--force"];
      expect((await runCli(args, { cwd: e2e.dir, env: env() })).code).toBe(0);
      const html = await readFile(join(e2e.dir, page), "utf8");
      expect(html.indexOf("a heron")).toBeLessThan(html.indexOf("a storm"));
      expect(html).toMatch(/<span class="tag">line 1<\/span>[\s\S]*<span class="tag">line 2<\/span>/);
      expect(html).toContain('<select id="sort"><option value="line">Line order</option>');
    }
    await writeFile(join(e2e.dir, "x.json"), '{"not":"a manifest"}');
    const bad = await runCli(["gallery", "--batch", "x.json"], { cwd: e2e.dir, env: env() });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("is not a batch manifest");
  });

  it("replaces an earlier gallery, but not another file unless --force", async () => {
    await runBatch([]);
    expect((await runCli(["gallery"], { cwd: e2e.dir, env: env() })).code).toBe(0);
    expect((await runCli(["gallery"], { cwd: e2e.dir, env: env() })).code).toBe(0);
    await writeFile(join(e2e.dir, "notes.html"), "<p>mine</p>");
    const refused = await runCli(["gallery", "-o", "notes.html"], { cwd: e2e.dir, env: env() });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain("is not a grokvid gallery; pass --force");
    expect(await readFile(join(e2e.dir, "notes.html"), "utf8")).toBe("<p>mine</p>");
    const forced = await runCli(["gallery", "-o", "notes.html", "--force"], { cwd: e2e.dir, env: env() });
    expect(forced.code).toBe(0);
  });

  it("--open hands the page to $BROWSER and still prints the path; a missing opener is a warning", async () => {
    await runBatch([]);
    const opener = join(e2e.dir, "opener.sh");
    await writeFile(opener, `#!/bin/sh\nprintf '%s' "$1" > "${join(e2e.dir, "opened.txt")}"\n`);
    await chmod(opener, 0o755);
    const r = await runCli(["gallery", "--open"], { cwd: e2e.dir, env: { ...env(), BROWSER: opener } });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe("gallery.html\n");
    await expect
      .poll(() => readFile(join(e2e.dir, "opened.txt"), "utf8").catch(() => ""))
      .toBe(join(e2e.dir, "gallery.html"));
    const missing = await runCli(["gallery", "--open"], {
      cwd: e2e.dir,
      env: { ...env(), BROWSER: join(e2e.dir, "no-such-browser") },
    });
    expect(missing.code).toBe(0);
    expect(missing.stdout).toBe("gallery.html\n");
    expect(missing.stderr).toMatch(
      /warning: .*no-such-browser could not be started \(ENOENT\); open .*gallery\.html in a browser/,
    );
    // A list is tried in order, and a command may take arguments, as $BROWSER allows.
    const listed = await runCli(["gallery", "--open", "-o", "second.html"], {
      cwd: e2e.dir,
      env: { ...env(), BROWSER: `${join(e2e.dir, "no-such-browser")}:${opener} %s` },
    });
    expect(listed.code, listed.stderr).toBe(0);
    expect(listed.stderr).not.toContain("warning");
    await expect
      .poll(() => readFile(join(e2e.dir, "opened.txt"), "utf8").catch(() => ""))
      .toBe(join(e2e.dir, "second.html"));
  });
});
