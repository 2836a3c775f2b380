import { randomUUID } from "node:crypto";
import { configCreateDefaults, resolvePoll, selectProvider } from "../config/resolve.js";
import { assertWritable } from "../core/download.js";
import { loadImages } from "../core/load-images.js";
import { createJob } from "../core/job-flow.js";
import { hashRequest, toJobParams } from "../core/journal.js";
import { renderPlan } from "../core/output-plan.js";
import { validateCreate } from "../core/validate-create.js";
import { InterruptedError } from "../errors.js";
import { describeRequest } from "../http/encode.js";
import { shellQuote } from "../util/format.js";
import { providers } from "../providers/registry.js";
import { fixedPath, planDestination } from "./destination.js";
import { downloadAndReport } from "./download.js";
import { readPrompt } from "./prompt.js";
import { renderFinal } from "./render.js";
import {
  type CommonFlags,
  createOutput,
  loadSessionConfig,
  openJournal,
  openSession,
  type Runtime,
  resolveGateway,
} from "./session.js";
import { afterSending } from "./outcome.js";
import { waitAndReport } from "./wait.js";

export interface CreateFlags extends CommonFlags {
  prompt?: string;
  promptFile?: string;
  model?: string;
  duration?: string;
  ratio?: string;
  resolution?: string;
  image: string[];
  wait?: boolean;
  download?: boolean;
  output?: string;
  force?: boolean;
  dryRun?: boolean;
  interval?: string;
  timeout?: string;
}

export async function runCreate(
  flags: CreateFlags,
  runtime: Runtime & { stdin: NodeJS.ReadableStream },
): Promise<void> {
  const out = createOutput(flags, runtime);
  const config = await loadSessionConfig(flags, runtime, out);
  // Everything the user typed is checked before a key is looked up or a byte is sent.
  const selection = selectProvider(flags.provider, runtime.env, config);
  const provider = providers[selection.dialect];
  const defaults = configCreateDefaults(selection.dialect, config);
  const prompt = await readPrompt(flags, runtime.stdin);
  const { params, model } = validateCreate(provider, {
    prompt,
    images: flags.image,
    ...defaults,
    ...(flags.model === undefined ? {} : { model: { value: flags.model } }),
    ...(flags.duration === undefined ? {} : { duration: { value: flags.duration } }),
    ...(flags.ratio === undefined ? {} : { ratio: { value: flags.ratio } }),
    ...(flags.resolution === undefined ? {} : { resolution: { value: flags.resolution } }),
  });
  // -o says where the video goes, so it asks for the download too.
  const wantDownload = flags.download === true || flags.output !== undefined;
  const wantWait = flags.wait === true || wantDownload;
  const poll = resolvePoll(flags, config, selection.choice);
  const images = await loadImages(params.images, model);
  const loaded = { ...params, images };
  if (flags.dryRun) {
    if (wantWait) out.warn("--dry-run sends nothing, so there is nothing to wait for or download");
    const { gateway, stopSandbox } = await resolveGateway(flags, runtime, out, config, undefined, {
      allowMissingKey: true,
    });
    await stopSandbox?.();
    const spec = provider.buildCreate(loaded, model);
    out.resultJson(describeRequest(gateway.baseUrl, gateway.apiKey, spec, gateway.keyVariable));
    return;
  }
  // A file that would be refused after the job is paid for is refused now instead.
  const plan = wantDownload ? await planDestination(flags.output, config, runtime.cwd) : undefined;
  const fixed = plan && fixedPath(plan, selection.choice);
  if (fixed !== undefined) await assertWritable(fixed, flags.force === true);
  const session = await openSession(flags, runtime, out, config, {
    journal: openJournal(runtime, out),
    creates: true,
  });
  try {
    // A Ctrl-C that came while files were read must stop us before the paid call, not after.
    if (runtime.signal.aborted) throw new InterruptedError("interrupted; nothing was sent");
    // Two identical commands are two jobs: the intent's hash is this command's alone.
    const requestHash = hashRequest(session.gateway.name, model.id, toJobParams(params), randomUUID());
    // The intent is journaled (and fsynced) inside createJob before anything is sent, the id the
    // moment it is known: the paid job cannot be lost.
    const submitted = await createJob(
      session.gateway,
      params,
      images,
      model,
      session.recorder,
      session.deps,
      {
        requestHash,
        output: plan,
      },
    );
    const id = submitted.task.id;
    for (const w of submitted.warnings) out.warn(w);
    // Shown before any waiting: if anything goes wrong later, the paid job can still be found.
    out.info(`submitted task ${id} to ${session.gateway.name}`);
    if (runtime.signal.aborted) {
      throw new InterruptedError(`interrupted; task ${id} was submitted to ${session.gateway.name}`, {
        hint: `resume with: grokvid wait ${shellQuote(id)}`,
      });
    }
    if (!wantWait) {
      if (out.mode.json) out.resultJson(submitted.task);
      else out.result(id);
      return;
    }
    const task = await waitAndReport(session, id, poll);
    if (task.status !== "succeeded" || !wantDownload) {
      renderFinal(session, task);
      return;
    }
    const dest = renderPlan(
      plan ?? (await planDestination(undefined, config, runtime.cwd)),
      session.gateway.name,
      id,
    );
    await downloadAndReport(session, task, dest, flags.force === true);
  } catch (err) {
    throw session.sent() ? afterSending(err) : err;
  } finally {
    await session.close();
  }
}
