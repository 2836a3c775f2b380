import { afterEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { generateTaskVideo } from "../../src/sandbox/task-video.js";
import { type Sandbox, type SandboxOptions, startSandbox } from "../../src/sandbox/server.js";

const START = 1_760_000_000_000;
const KEY = "sk-test-0123456789";
const PNG_DATA_URI =
  "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==";

let clock = START;
const opened: Sandbox[] = [];

async function open(options: SandboxOptions = {}): Promise<Sandbox> {
  const sandbox = await startSandbox({ now: () => clock, ...options });
  opened.push(sandbox);
  return sandbox;
}

afterEach(async () => {
  await Promise.all(opened.splice(0).map((sandbox) => sandbox.close()));
  clock = START;
});

interface CallInit {
  method?: string;
  key?: string | null;
  json?: unknown;
  headers?: Record<string, string>;
}

async function call(url: string, init: CallInit = {}) {
  const headers: Record<string, string> = { ...init.headers };
  if (init.key !== null) headers.Authorization = `Bearer ${init.key ?? KEY}`;
  const request: RequestInit = { method: init.method ?? (init.json === undefined ? "GET" : "POST"), headers };
  if (init.json !== undefined) {
    headers["Content-Type"] = "application/json";
    request.body = JSON.stringify(init.json);
  }
  const response = await fetch(url, request);
  const text = await response.text();
  const body: unknown = text === "" ? undefined : JSON.parse(text);
  return { status: response.status, headers: response.headers, body };
}

async function download(url: string, headers: Record<string, string> = {}) {
  const response = await fetch(url, { headers });
  return {
    status: response.status,
    headers: response.headers,
    bytes: Buffer.from(await response.arrayBuffer()),
  };
}

// Seed documents' own example bodies.
const S2_TEXT = {
  model: "grok-imagine-1.5-video-apimart",
  prompt: "一只狗在海滩上奔跑，阳光明媚，慢镜头",
  size: "16:9",
  duration: 6,
};
const S4_TEXT = {
  model: "grok-imagine-1.0-video-apimart",
  prompt: "一只狗在海滩上奔跑，阳光明媚，慢镜头",
  size: "16:9",
  duration: 6,
  quality: "720p",
};
const S0_BODY = {
  model: "grok-imagine-video-1.5",
  prompt: "一只精美的茶杯中缓缓注入热茶，雾气袅袅，微距镜头摄影",
  ratio: "16:9",
  duration: 10,
  image_urls: ["https://example.com/cup.jpg"],
};
const S1_TEXT = {
  model: "grok-imagine-video-1.5-preview",
  prompt: "雨夜霓虹街头，一辆复古跑车驶过湿润路面",
  seconds: "8",
  aspect_ratio: "16:9",
  resolution: "720P",
};

const apimartCreated = z.object({
  code: z.literal(200),
  data: z.tuple([z.object({ task_id: z.string(), status: z.literal("submitted") })]),
});
const xcomputeCreated = z.object({
  code: z.literal(200),
  data: z.object({
    id: z.string(),
    status: z.literal("submitted"),
    progress: z.literal(0),
    created: z.number(),
  }),
});
const jimmyaiCreated = z.object({
  code: z.literal("20000"),
  msg: z.literal("ok"),
  data: z.object({
    task_id: z.string(),
    status: z.literal("queued"),
    model: z.string(),
    created_at: z.number(),
  }),
});
const duoyuanxCreated = z.object({ id: z.string(), object: z.literal("video"), status: z.literal("queued") });

const apimartTask = z.object({
  code: z.literal(200),
  data: z.object({
    id: z.string(),
    status: z.string(),
    progress: z.number(),
    result: z.object({ videos: z.tuple([z.object({ url: z.tuple([z.string()]) })]) }).optional(),
  }),
});

describe("apimart lifecycle", () => {
  it("walks a S2 text-to-video task from pending to a downloadable mp4", async () => {
    const sandbox = await open();
    const base = sandbox.baseUrl("apimart");
    const created = await call(`${base}/v1/videos/generations`, { json: S2_TEXT });
    expect(created.status).toBe(200);
    const id = apimartCreated.parse(created.body).data[0].task_id;
    expect(id).toMatch(/^task_[0-9a-z]+$/);

    const queued = await call(`${base}/v1/tasks/${id}?language=en`);
    expect(queued.body).toEqual({
      code: 200,
      data: { id, status: "pending", progress: 0, created: START / 1000, estimated_time: 3 },
    });

    clock = START + 2000;
    const running = apimartTask.parse((await call(`${base}/v1/tasks/${id}`)).body);
    expect(running.data).toMatchObject({ status: "processing", progress: 50 });
    expect(running.data.result).toBeUndefined();

    clock = START + 3000;
    const done = await call(`${base}/v1/tasks/${encodeURIComponent(id)}`);
    const url = apimartTask.parse(done.body).data.result?.videos[0].url[0] ?? "";
    expect(done.body).toEqual({
      code: 200,
      data: {
        id,
        status: "completed",
        progress: 100,
        created: START / 1000,
        estimated_time: 3,
        result: { videos: [{ url: [url] }] },
        completed: (START + 3000) / 1000,
        actual_time: 3,
      },
    });
    expect(url).toBe(`${sandbox.url}/files/${id}.mp4`);
    const video = await download(url);
    expect(video.status).toBe(200);
    expect(video.headers.get("content-type")).toBe("video/mp4");
    expect(video.headers.get("accept-ranges")).toBe("bytes");
    expect(video.bytes.equals(generateTaskVideo(id))).toBe(true);
  });

  it("creates a S2 image-to-video task and fails it at the end of running with [fail]", async () => {
    const sandbox = await open();
    const base = sandbox.baseUrl("apimart");
    const body = {
      model: "grok-imagine-1.5-video-apimart",
      prompt: "让画面动起来，添加自然的动态效果 [fail]",
      image_urls: ["https://example.com/start.png"],
      size: "16:9",
      duration: 10,
      quality: "720p",
    };
    const id = apimartCreated.parse((await call(`${base}/v1/videos/generations`, { json: body })).body)
      .data[0].task_id;
    clock = START + 2999;
    expect((await call(`${base}/v1/tasks/${id}`)).body).toMatchObject({
      data: { status: "processing", progress: 99 },
    });
    clock = START + 3000;
    const failed = await call(`${base}/v1/tasks/${id}`);
    expect(failed.body).toMatchObject({
      code: 200,
      data: { status: "failed", error: { message: "sandbox: generation failed ([fail] in prompt)" } },
    });
    expect(failed.body).not.toHaveProperty("data.result");
    expect((await download(`${sandbox.url}/files/${id}.mp4`)).status).toBe(404);
  });

  it("serves result.videos[0].url as a plain string with variant apimartUrl:string", async () => {
    const sandbox = await open({ variants: { apimartUrl: "string" } });
    const base = sandbox.baseUrl("apimart");
    const id = apimartCreated.parse((await call(`${base}/v1/videos/generations`, { json: S2_TEXT })).body)
      .data[0].task_id;
    clock += 5000;
    expect((await call(`${base}/v1/tasks/${id}`)).body).toMatchObject({
      data: { result: { videos: [{ url: `${sandbox.url}/files/${id}.mp4` }] } },
    });
  });
});

describe("xcompute lifecycle", () => {
  it("answers the S4 body with an object data and a flat query by default", async () => {
    const sandbox = await open();
    const base = sandbox.baseUrl("xcompute");
    const created = await call(`${base}/v1/videos/generations`, { json: S4_TEXT });
    const data = xcomputeCreated.parse(created.body).data;
    expect(created.body).toEqual({
      code: 200,
      data: { id: data.id, status: "submitted", progress: 0, created: START / 1000, type: "video" },
    });
    clock = START + 1000;
    expect((await call(`${base}/v1/tasks/${data.id}?language=zh`)).body).toMatchObject({
      id: data.id,
      status: "processing",
      progress: 1,
    });
    clock = START + 3000;
    const done = await call(`${base}/v1/tasks/${data.id}`);
    expect(done.body).toMatchObject({ id: data.id, status: "completed", progress: 100 });
    expect(done.body).not.toHaveProperty("code");
    const url = z
      .object({ result: z.object({ videos: z.tuple([z.object({ url: z.tuple([z.string()]) })]) }) })
      .parse(done.body).result.videos[0].url[0];
    expect((await download(url)).bytes.equals(generateTaskVideo(data.id))).toBe(true);
  });

  it("wraps the query in {code,data} with variant xcomputeQuery:wrapped", async () => {
    const sandbox = await open({ variants: { xcomputeQuery: "wrapped" } });
    const base = sandbox.baseUrl("xcompute");
    const id = xcomputeCreated.parse((await call(`${base}/v1/videos/generations`, { json: S4_TEXT })).body)
      .data.id;
    expect((await call(`${base}/v1/tasks/${id}`)).body).toMatchObject({
      code: 200,
      data: { id, status: "pending" },
    });
  });

  it("does not know apimart's ids", async () => {
    const sandbox = await open();
    const created = await call(`${sandbox.baseUrl("apimart")}/v1/videos/generations`, { json: S2_TEXT });
    const id = apimartCreated.parse(created.body).data[0].task_id;
    const answer = await call(`${sandbox.baseUrl("xcompute")}/v1/tasks/${id}`);
    expect(answer.status).toBe(404);
    expect(answer.body).toMatchObject({ error: { code: 404, type: "not_found_error" } });
  });
});

describe("jimmyai lifecycle", () => {
  it("walks the S0 body through queued, processing and completed (wrapped query)", async () => {
    const sandbox = await open();
    const base = sandbox.baseUrl("jimmyai");
    const created = await call(`${base}/api/open-api/v1/grok/videos`, { json: S0_BODY });
    const data = jimmyaiCreated.parse(created.body).data;
    expect(data).toEqual({
      task_id: data.task_id,
      status: "queued",
      model: "grok-imagine-video-1.5",
      created_at: START / 1000,
    });
    expect(data.task_id).toMatch(/^jm_[0-9a-z]+$/);
    const query = `${base}/api/open-api/v1/videos/${data.task_id}`;
    expect((await call(query)).body).toMatchObject({
      code: "20000",
      data: { status: "queued", progress: 0 },
    });
    clock = START + 1500;
    expect((await call(query)).body).toMatchObject({ data: { status: "processing", progress: 25 } });
    clock = START + 3000;
    const done = await call(query);
    const url = `${sandbox.url}/files/${data.task_id}.mp4`;
    expect(done.body).toEqual({
      code: "20000",
      msg: "ok",
      data: {
        task_id: data.task_id,
        status: "completed",
        progress: 100,
        model: "grok-imagine-video-1.5",
        created_at: START / 1000,
        completed_at: (START + 3000) / 1000,
        result: { video_url: url, image_url: "" },
        error_message: "",
      },
    });
    expect((await download(url)).bytes.equals(generateTaskVideo(data.task_id))).toBe(true);
  });

  it("reports a [fail] task with error_message and progress 0, flat with variant jimmyaiQuery:flat", async () => {
    const sandbox = await open({ variants: { jimmyaiQuery: "flat" } });
    const base = sandbox.baseUrl("jimmyai");
    const body = { ...S0_BODY, prompt: `${S0_BODY.prompt} [fail]` };
    const id = jimmyaiCreated.parse((await call(`${base}/api/open-api/v1/grok/videos`, { json: body })).body)
      .data.task_id;
    clock = START + 3000;
    expect((await call(`${base}/api/open-api/v1/videos/${id}`)).body).toEqual({
      task_id: id,
      status: "failed",
      progress: 0,
      model: "grok-imagine-video-1.5",
      created_at: START / 1000,
      completed_at: (START + 3000) / 1000,
      result: { video_url: "" },
      error_message: "sandbox: generation failed ([fail] in prompt)",
    });
  });

  it("answers an unknown task id with 404 code 40400", async () => {
    const sandbox = await open();
    const answer = await call(`${sandbox.baseUrl("jimmyai")}/api/open-api/v1/videos/jm_nope`);
    expect(answer.status).toBe(404);
    expect(answer.body).toMatchObject({ code: "40400", msg: "task not found" });
  });
});

describe("duoyuanx preview lifecycle", () => {
  it("walks the S1 text-to-video body to completion with a direct video_url", async () => {
    const sandbox = await open();
    const base = sandbox.baseUrl("duoyuanx");
    const created = await call(`${base}/v1/videos`, { json: S1_TEXT });
    const id = duoyuanxCreated.parse(created.body).id;
    expect(id).toMatch(/^video_[0-9a-z]+$/);
    expect(created.body).toEqual({
      id,
      object: "video",
      model: "grok-imagine-video-1.5-preview",
      status: "queued",
      progress: 0,
      created_at: START / 1000,
      seconds: "8",
      size: "720P",
      video_url: "",
    });
    clock = START + 2000;
    expect((await call(`${base}/v1/videos/${id}`)).body).toMatchObject({
      status: "processing",
      progress: 50,
    });
    clock = START + 3000;
    const done = await call(`${base}/v1/videos/${id}`);
    expect(done.body).toEqual({
      id,
      object: "video",
      model: "grok-imagine-video-1.5-preview",
      status: "completed",
      progress: 100,
      created_at: START / 1000,
      completed_at: (START + 3000) / 1000,
      seconds: "8",
      size: "720P",
      video_url: `${sandbox.url}/files/${id}.mp4`,
    });
    expect((await download(`${sandbox.url}/files/${id}.mp4`)).bytes.equals(generateTaskVideo(id))).toBe(true);
  });

  it("says in_progress while running with variant duoyuanxRunning:in_progress", async () => {
    const sandbox = await open({ variants: { duoyuanxRunning: "in_progress" } });
    const base = sandbox.baseUrl("duoyuanx");
    const id = duoyuanxCreated.parse((await call(`${base}/v1/videos`, { json: S1_TEXT })).body).id;
    clock = START + 1200;
    expect((await call(`${base}/v1/videos/${id}`)).body).toMatchObject({ status: "in_progress" });
  });

  it("fails a [fail] task with error {message, code}", async () => {
    const sandbox = await open();
    const base = sandbox.baseUrl("duoyuanx");
    const body = { ...S1_TEXT, prompt: "[fail] neon" };
    const id = duoyuanxCreated.parse((await call(`${base}/v1/videos`, { json: body })).body).id;
    clock = START + 3000;
    expect((await call(`${base}/v1/videos/${id}`)).body).toMatchObject({
      status: "failed",
      video_url: "",
      error: { message: "sandbox: generation failed ([fail] in prompt)", code: "video_generation_failed" },
    });
  });
});

describe("[never] marker", () => {
  it("keeps the task running at progress 50 forever", async () => {
    const sandbox = await open();
    const base = sandbox.baseUrl("apimart");
    const body = { ...S2_TEXT, prompt: "stuck [never]" };
    const id = apimartCreated.parse((await call(`${base}/v1/videos/generations`, { json: body })).body)
      .data[0].task_id;
    clock = START + 1500;
    expect((await call(`${base}/v1/tasks/${id}`)).body).toMatchObject({
      data: { status: "processing", progress: 25 },
    });
    for (const later of [3000, 60_000, 86_400_000]) {
      clock = START + later;
      expect((await call(`${base}/v1/tasks/${id}`)).body).toMatchObject({
        data: { status: "processing", progress: 50 },
      });
    }
  });
});

describe("statelessness", () => {
  it("answers about an id created by another sandbox exactly as the first one does", async () => {
    const first = await open();
    const ids = {
      apimart: apimartCreated.parse(
        (await call(`${first.baseUrl("apimart")}/v1/videos/generations`, { json: S2_TEXT })).body,
      ).data[0].task_id,
      xcompute: xcomputeCreated.parse(
        (await call(`${first.baseUrl("xcompute")}/v1/videos/generations`, { json: S4_TEXT })).body,
      ).data.id,
      jimmyai: jimmyaiCreated.parse(
        (await call(`${first.baseUrl("jimmyai")}/api/open-api/v1/grok/videos`, { json: S0_BODY })).body,
      ).data.task_id,
      duoyuanx: duoyuanxCreated.parse(
        (await call(`${first.baseUrl("duoyuanx")}/v1/videos`, { json: S1_TEXT })).body,
      ).id,
    };
    await first.close();
    const second = await open();
    const paths = (sandbox: Sandbox) => [
      `${sandbox.baseUrl("apimart")}/v1/tasks/${ids.apimart}`,
      `${sandbox.baseUrl("xcompute")}/v1/tasks/${ids.xcompute}`,
      `${sandbox.baseUrl("jimmyai")}/api/open-api/v1/videos/${ids.jimmyai}`,
      `${sandbox.baseUrl("duoyuanx")}/v1/videos/${ids.duoyuanx}`,
    ];
    for (const at of [START + 500, START + 1700, START + 3500]) {
      clock = at;
      const third = await open();
      const fromSecond = await Promise.all(paths(second).map((url) => call(url)));
      const fromThird = await Promise.all(paths(third).map((url) => call(url)));
      // Only the origin of the file URLs differs (each sandbox has its own port).
      const normalize = (answers: { body: unknown }[], origin: string) =>
        JSON.stringify(answers.map((answer) => answer.body)).replaceAll(origin, "ORIGIN");
      expect(normalize(fromSecond, second.url)).toBe(normalize(fromThird, third.url));
      expect(fromSecond.every((answer) => answer.status === 200)).toBe(true);
    }
    const video = await download(`${second.url}/files/${ids.duoyuanx}.mp4`);
    expect(video.bytes.equals(generateTaskVideo(ids.duoyuanx))).toBe(true);
  });
});

describe("request log", () => {
  it("records method, path, status, dialect and parsed bodies but never the key", async () => {
    const sandbox = await open();
    await call(`${sandbox.baseUrl("apimart")}/v1/videos/generations`, {
      json: S2_TEXT,
      key: "sk-secret-key-42",
    });
    await call(`${sandbox.baseUrl("apimart")}/v1/tasks/task_unknown?language=en&api_key=sk-secret-key-42`);
    await call(`${sandbox.url}/files/nothing.mp4`, { key: null });
    expect(sandbox.requests).toEqual([
      {
        method: "POST",
        path: "/apimart/v1/videos/generations",
        status: 200,
        dialect: "apimart",
        contentType: "application/json",
        body: S2_TEXT,
      },
      {
        method: "GET",
        path: "/apimart/v1/tasks/task_unknown?language=en&api_key=%5Bredacted%5D",
        status: 404,
        dialect: "apimart",
      },
      { method: "GET", path: "/files/nothing.mp4", status: 404, dialect: "files" },
    ]);
    expect(JSON.stringify(sandbox.requests)).not.toContain("sk-secret-key-42");
  });
});

describe("files and routing", () => {
  it("honours single byte ranges with 206 and refuses unsatisfiable ones with 416", async () => {
    const sandbox = await open();
    const id = jimmyaiCreated.parse(
      (await call(`${sandbox.baseUrl("jimmyai")}/api/open-api/v1/grok/videos`, { json: S0_BODY })).body,
    ).data.task_id;
    const url = `${sandbox.url}/files/${id}.mp4`;
    expect((await download(url)).status).toBe(404);
    clock = START + 3000;
    const whole = generateTaskVideo(id);
    const part = await download(url, { Range: "bytes=10-19" });
    expect(part.status).toBe(206);
    expect(part.headers.get("content-range")).toBe(`bytes 10-19/${whole.length}`);
    expect(part.bytes.equals(whole.subarray(10, 20))).toBe(true);
    const tail = await download(url, { Range: "bytes=100-" });
    expect(tail.status).toBe(206);
    expect(tail.bytes.equals(whole.subarray(100))).toBe(true);
    const beyond = await download(url, { Range: `bytes=${whole.length}-` });
    expect(beyond.status).toBe(416);
    expect(beyond.headers.get("content-range")).toBe(`bytes */${whole.length}`);
  });

  it("answers unknown routes with 404 JSON and wrong methods with 405", async () => {
    const sandbox = await open();
    const unknown = await call(`${sandbox.url}/nowhere`);
    expect(unknown.status).toBe(404);
    const wrongMethod = await call(`${sandbox.baseUrl("apimart")}/v1/videos/generations`);
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.headers.get("allow")).toBe("POST");
    expect(wrongMethod.body).toMatchObject({ error: { code: 405 } });
    const deleteTask = await call(`${sandbox.baseUrl("duoyuanx")}/v1/videos/video_x`, { method: "DELETE" });
    expect(deleteTask.status).toBe(405);
    const unknownDialectPath = await call(`${sandbox.baseUrl("jimmyai")}/api/open-api/v2/whatever`);
    expect(unknownDialectPath.status).toBe(404);
    expect(unknownDialectPath.body).toMatchObject({ code: "40400" });
  });

  it("listens on 127.0.0.1 only and closes with keep-alive sockets open", async () => {
    const sandbox = await startSandbox({ now: () => clock });
    expect(sandbox.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(sandbox.baseUrl("duoyuanx")).toBe(`${sandbox.url}/duoyuanx`);
    await call(`${sandbox.url}/files/x.mp4`, { headers: { Connection: "keep-alive" } });
    const started = performance.now();
    await sandbox.close();
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it("serves an id given the image data URI fixture from S1 single-image", async () => {
    const sandbox = await open();
    const body = {
      model: "grok-imagine-video-1.5-preview",
      prompt: "让参考图中的人物缓慢转身，背景光线自然流动",
      seconds: "6",
      aspect_ratio: "9:16",
      resolution: "720P",
      image: PNG_DATA_URI,
    };
    const created = await call(`${sandbox.baseUrl("duoyuanx")}/v1/videos`, { json: body });
    expect(created.status).toBe(200);
    expect(created.body).toMatchObject({ seconds: "6", size: "720P" });
  });
});
