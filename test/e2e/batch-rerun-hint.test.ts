import { readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { expect, it } from "vitest";
import { useE2e } from "../helpers/e2e.js";
import { runCli, runUntilSignalled } from "../helpers/run-cli.js";

/**
 * Issue 23 item 3: the hint after Ctrl-C of a batch repeats the options that decide where the
 * videos, the manifest and the gallery go, so following it as printed finishes the batch there and
 * brings the earlier run's manifest and gallery up to date. Before, it said `grokvid batch FILE`
 * alone: line 3's video landed in the working folder, and the manifest and page still said
 * "interrupted".
 */
const e2e = useE2e();

it("following the printed hint finishes the batch into the same folder, manifest and gallery", async () => {
  await writeFile(
    join(e2e.dir, "five.jsonl"),
    ["a fox", "a hare", "a crow"].map((prompt) => JSON.stringify({ prompt })).join("\n"),
  );
  const opts = { cwd: e2e.dir, env: e2e.envFor("apimart") };
  const args = ["batch", "five.jsonl", "--provider", "apimart", "--concurrency", "2", "--interval", "250ms"];
  const paid = () => e2e.sandbox.requests.filter((r) => r.method === "POST").length;
  const stopped = await runUntilSignalled(
    [...args, "--out-dir", "b80", "--manifest", "b80.json", "--gallery"],
    opts,
    () => paid() === 2,
    "SIGINT",
  );
  expect(stopped.code, stopped.stderr).toBe(130);
  const hint = /resume with: grokvid (batch .*)\n/.exec(stopped.stderr)?.[1];
  expect(hint).toBe(
    "batch five.jsonl --provider apimart --out-dir b80 --manifest b80.json --concurrency 2 --interval 250ms --gallery",
  );

  // Typed as printed (no value here needs quoting).
  const rerun = await runCli(hint?.split(" ") ?? [], opts);
  expect(rerun.code, rerun.stderr).toBe(0);
  // Exactly one more create (line 3); lines 1 and 2 were picked up, not paid again.
  expect(paid()).toBe(3);
  const videos = (await readdir(join(e2e.dir, "b80"))).filter((f) => f.endsWith(".mp4"));
  expect(videos).toHaveLength(3);
  expect((await readdir(e2e.dir)).filter((f) => f.endsWith(".mp4"))).toEqual([]);
  const manifest = JSON.parse(await readFile(join(e2e.dir, "b80.json"), "utf8")) as { status: string }[];
  expect(manifest.map((e) => e.status)).toEqual(["succeeded", "succeeded", "succeeded"]);
  const page = await readFile(join(e2e.dir, "b80.html"), "utf8");
  expect(page.match(/<video /g)).toHaveLength(3);
  expect(page).not.toContain("interrupted");
});
