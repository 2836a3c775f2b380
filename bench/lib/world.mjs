// What every row shares: the temp folder, the sandbox processes, the grokvid binary, and a minimal
// environment so neither side of a pair inherits settings (NODE_OPTIONS, GROKVID_*, a config file).
import { spawn } from "node:child_process";
import { mkdir, mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { cpuMsOf, run } from "./measure.mjs";

export const root = fileURLToPath(new URL("../..", import.meta.url));
const pkg = JSON.parse(await readFile(join(root, "package.json"), "utf8"));
export const VERSION = pkg.version;
/** The executable as npm installs it, whatever it is called today. */
export const BIN = join(root, typeof pkg.bin === "string" ? pkg.bin : pkg.bin.grokvid);
export const KEY = "sk-bench-key";

const sandboxes = new Set();
let work;

export async function openWork() {
  work = await mkdtemp(join(tmpdir(), "grokvid-bench-"));
  return work;
}

/** A fresh folder under the benchmark's temp folder. */
export async function folder(...parts) {
  const path = join(work, ...parts);
  await mkdir(path, { recursive: true });
  return path;
}

/**
 * HOME, XDG folders and GROKVID_HOME all inside `home`, so no config file or journal of the
 * machine's user is found; `extra` adds the key and base URL where a row needs them.
 */
export function cleanEnv(home, extra = {}) {
  return {
    PATH: process.env.PATH,
    HOME: home,
    XDG_CONFIG_HOME: join(home, ".config"),
    XDG_DATA_HOME: join(home, ".local", "share"),
    XDG_CACHE_HOME: join(home, ".cache"),
    GROKVID_HOME: join(home, "grokvid"),
    ...extra,
  };
}

export const grokvid = (args, options) => run([process.execPath, BIN, ...args], options);

/** Starts bench/sandbox-server.mjs; resolves { url, apimart, pid, cpuMs() }. */
export async function startSandbox(delayMs, videoBytes) {
  const args = [join(root, "bench", "sandbox-server.mjs"), String(delayMs)];
  if (videoBytes !== undefined) args.push(String(videoBytes));
  const child = spawn(process.execPath, args, { stdio: ["pipe", "pipe", "inherit"] });
  sandboxes.add(child);
  child.on("exit", () => sandboxes.delete(child));
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  for (let next = await lines.next(); !next.done; next = await lines.next()) {
    const { url } = JSON.parse(next.value);
    return {
      url,
      apimart: `${url}/apimart`,
      pid: child.pid,
      /** Every create (POST) the sandbox received so far. */
      creates: async () => {
        child.stdin.write("count\n");
        const answer = await lines.next();
        if (answer.done) throw new Error("the sandbox process ended");
        return JSON.parse(answer.value).creates;
      },
      /** The sandbox's own CPU so far, to show how much of a row's machine time is the gateway's. */
      cpuMs: () => cpuMsOf(child.pid, false) ?? NaN,
      stop: () => stopSandbox(child),
    };
  }
  throw new Error("the sandbox process ended before it printed its address");
}

function stopSandbox(child) {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once("exit", resolve);
    child.stdin.end();
  });
}

/** Stops every sandbox and removes the temp folder (kept with BENCH_KEEP=1). */
export async function closeWorld() {
  await Promise.all([...sandboxes].map(stopSandbox));
  if (work && process.env.BENCH_KEEP !== "1") await rm(work, { recursive: true, force: true });
}

/** Submits one apimart task straight to the sandbox (no journal) and resolves its id. */
export async function createTask(sandbox, prompt) {
  const res = await fetch(`${sandbox.apimart}/v1/videos/generations`, {
    method: "POST",
    headers: { authorization: `Bearer ${KEY}`, "content-type": "application/json" },
    body: JSON.stringify({ model: "grok-imagine-1.5-video-apimart", prompt }),
  });
  const body = await res.json();
  const id = body?.data?.[0]?.task_id;
  if (!res.ok || typeof id !== "string") throw new Error(`sandbox create failed: ${JSON.stringify(body)}`);
  return id;
}

/** Resolves once the sandbox says the task is finished (the sandbox's own clock decides). */
export async function waitDone(sandbox, id) {
  for (;;) {
    const res = await fetch(`${sandbox.apimart}/v1/tasks/${id}`, {
      headers: { authorization: `Bearer ${KEY}` },
    });
    const body = await res.json();
    if (body?.data?.status === "completed" || body?.data?.status === "failed") return body.data.status;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
