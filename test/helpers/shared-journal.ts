import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { expect } from "vitest";
import { generateTaskVideo } from "../../src/sandbox/task-video.js";
import type { SandboxRequest } from "../../src/sandbox/types.js";

/** A batch file of `n` lines, each its own prompt ("clip 1" ... "clip n"): each a request of its own. */
export function batchLines(n: number): string {
  return Array.from({ length: n }, (_, i) => JSON.stringify({ prompt: `clip ${i + 1}` })).join("\n") + "\n";
}

/** The prompts of every create the sandbox received, in order. */
export function createdPrompts(requests: readonly SandboxRequest[]): string[] {
  return requests
    .filter((r) => r.method === "POST")
    .map((r) => String((r.body as { prompt?: unknown } | undefined)?.prompt));
}

/** Exactly once: no prompt was sent twice. */
export function expectNoRepeats(prompts: readonly string[]): void {
  const seen = new Map<string, number>();
  for (const p of prompts) seen.set(p, (seen.get(p) ?? 0) + 1);
  const twice = [...seen].filter(([, n]) => n > 1).map(([p]) => p);
  expect(twice, "prompts sent more than once").toEqual([]);
}

/**
 * Every video under the folders, checked byte for byte against what the sandbox serves for the
 * task its sidecar names. Returns the task ids, one per video.
 */
export async function savedVideos(dirs: readonly string[]): Promise<string[]> {
  const ids: string[] = [];
  for (const dir of dirs) {
    const names = await readdir(dir).catch(() => [] as string[]);
    for (const name of names.filter((n) => n.endsWith(".mp4"))) {
      const sidecar = JSON.parse(await readFile(join(dir, `${name.slice(0, -4)}.json`), "utf8")) as {
        id: string;
      };
      const bytes = await readFile(join(dir, name));
      expect(bytes.equals(generateTaskVideo(sidecar.id)), `${dir}/${name} is ${sidecar.id}'s video`).toBe(
        true,
      );
      ids.push(sidecar.id);
    }
  }
  return ids;
}

/** Every record the shared journal's local file(s) in `home` hold, set-aside ones included. */
export async function unsentRecords(home: string): Promise<string> {
  const names = (await readdir(home).catch(() => [] as string[]))
    .filter((n) => n.startsWith("journal-unsent-"))
    .sort();
  const texts = await Promise.all(names.map((n) => readFile(join(home, n), "utf8")));
  return texts.join("");
}
