import { UsageError } from "../../util/errors.js";
import { providerSpecs } from "../../providers/specs.js";
import type {
  CreateParams,
  ModelSpec,
  ProviderSpec,
  RequestSpec,
  VideoOperation,
} from "../../providers/types.js";
import { acceptedSeconds, describeDurations, resolveModel, type Sourced } from "./validate-create.js";

/** What `edit` and `extend` take besides the source: no images, and a duration only to extend. */
export interface SourcedInput {
  operation: VideoOperation;
  from: string;
  prompt: string;
  model?: Sourced<string>;
  duration?: string | number;
  /** Flags that mean nothing here, named if given: the output of an edit matches its input. */
  unused: readonly string[];
}

export interface SourcedPlan {
  provider: ProviderSpec;
  params: CreateParams;
  model: ModelSpec;
  /** The request, once the source's video URL is known (it may need a status query first). */
  build(videoUrl: string): RequestSpec;
}

function offering(operation: VideoOperation): string {
  return Object.values(providerSpecs)
    .filter((p) => p.operations?.[operation])
    .map((p) => p.id)
    .join(", ");
}

/**
 * Every rule of an edit or extension, checked before the journal is read or a byte is sent: the
 * provider must offer the operation, the duration (extend only) must fit its range, and flags
 * the operation ignores are refused rather than silently dropped.
 */
export function validateSourced(spoken: ProviderSpec, input: SourcedInput, shownAs = spoken.id): SourcedPlan {
  // Messages name the provider the user chose (the sandbox speaks apimart's rules).
  const provider = shownAs === spoken.id ? spoken : { ...spoken, id: shownAs };
  const { operation } = input;
  const op = provider.operations?.[operation];
  if (!op) {
    throw new UsageError(
      `${provider.id} cannot ${operation} videos; providers that can: ${offering(operation)} (--provider)`,
    );
  }
  const [unused] = input.unused;
  if (unused !== undefined) {
    throw new UsageError(
      `${unused} cannot be used with ${operation}: the ${operation === "edit" ? "edited video keeps the size and length of its source" : "extension keeps the size of its source"}`,
    );
  }
  if (input.prompt.trim() === "")
    throw new UsageError(`prompt is empty; describe the ${operation}`, { option: "prompt" });
  if (!/^https?:\/\//i.test(input.from) && /[\s\p{Cc}]/u.test(input.from)) {
    throw new UsageError(`"${input.from.replace(/\p{Cc}/gu, "?")}" is neither a job id nor a video URL`);
  }
  if (/^https?:\/\//i.test(input.from) && !URL.canParse(input.from)) {
    throw new UsageError(`${input.from} is not a valid URL`);
  }
  const model = resolveModel(provider, input.model);
  const params: CreateParams = {
    prompt: input.prompt,
    model: model.id,
    images: [],
    source: { operation, from: input.from },
  };
  if (input.duration !== undefined) {
    if (operation !== "extend" || !provider.operations?.extend) {
      throw new UsageError(`duration cannot be used with ${operation}: the edited video keeps its length`, {
        option: "duration",
      });
    }
    params.duration = checkExtension(String(input.duration), provider.operations.extend.durations);
  }
  const build = (videoUrl: string) =>
    op.build({
      prompt: params.prompt,
      model: model.id,
      videoUrl,
      ...(params.duration === undefined ? {} : { duration: params.duration }),
    });
  return { provider, params, model, build };
}

function checkExtension(text: string, rule: ModelSpec["durations"]): number {
  const seconds = acceptedSeconds(text, rule);
  if (seconds === undefined) {
    throw new UsageError(
      `duration ${text.trim()} is not accepted for an extension; accepted: ${describeDurations(rule)} (seconds added to the source)`,
      { option: "duration" },
    );
  }
  return seconds;
}
